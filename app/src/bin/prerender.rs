//! `prerender DIST`: writes every route of the site as a complete HTML page into DIST,
//! over DIST/index.html (Trunk's output) as the template. Run by `cargo xtask build`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dist) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: prerender DIST");
        return ExitCode::from(2);
    };
    let template = match std::fs::read_to_string(dist.join("index.html")) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{}: {error}", dist.join("index.html").display());
            return ExitCode::FAILURE;
        }
    };
    for (path, file, title) in app::prerender::routes() {
        let html = app::prerender::render(&path);
        let page = match app::prerender::page(&template, &title, &html) {
            Ok(page) => page,
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::FAILURE;
            }
        };
        let target = dist.join(&file);
        if let Some(parent) = target.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Err(error) = std::fs::write(&target, page) {
            eprintln!("{}: {error}", target.display());
            return ExitCode::FAILURE;
        }
        println!("{path} → {file} ({} KB)", html.len() / 1024);
    }
    ExitCode::SUCCESS
}
