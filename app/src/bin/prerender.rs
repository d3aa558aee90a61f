//! `prerender DIST [STARTER_HEAD]`: writes every route of the site as a complete HTML page
//! into DIST, over DIST/index.html (Trunk's output) as the template, runbook pages with the
//! page starter's `<head>` lines from the file STARTER_HEAD and the app named, not loaded
//! (`app::prerender::defer_app`). Run by `cargo xtask build`.
//!
//! `prerender --markdown IN OUT`: each `IN/*.md`, read as a runbook, drawn as its page's body
//! into `OUT/*.html`. Run by `cargo xtask bench` to measure what of the CommonMark and GFM
//! specs survives the build.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, input, output] = args.as_slice() {
        if flag == "--markdown" {
            return match markdown_pages(&PathBuf::from(input), &PathBuf::from(output)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("{error}");
                    ExitCode::FAILURE
                }
            };
        }
    }
    let Some(dist) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: prerender DIST [STARTER_HEAD]");
        return ExitCode::from(2);
    };
    let template = match std::fs::read_to_string(dist.join("index.html")) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{}: {error}", dist.join("index.html").display());
            return ExitCode::FAILURE;
        }
    };
    // The page starter's script and preloads, as `cargo xtask build` made them.
    let starter_head = match std::env::args().nth(2).map(std::fs::read_to_string).transpose() {
        Ok(head) => head.unwrap_or_default(),
        Err(error) => {
            eprintln!("the page starter's head: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Runbook pages load the app when it is first needed (`early.js`), not with the page.
    let (deferred_template, app_meta) = match app::prerender::defer_app(&template) {
        Ok(deferred) => deferred,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let runbook_head = starter_head + &app_meta;
    for (path, file, title) in app::prerender::routes() {
        let html = app::prerender::render(&path);
        let head = app::prerender::preloads(&path) + &app::prerender::head_extra(&path, &runbook_head);
        let template = if api::links::runbook_slug(&path).is_some() { &deferred_template } else { &template };
        let page = match app::prerender::page(template, &title, &head, &html, &app::prerender::after_body(&path)) {
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
    // What the browser's app reads instead of the markdown.
    for (file, bytes) in app::prerender::published_files() {
        let target = dist.join(&file);
        if let Some(parent) = target.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Err(error) = std::fs::write(&target, &bytes) {
            eprintln!("{}: {error}", target.display());
            return ExitCode::FAILURE;
        }
        println!("{file} ({:.1} KB)", bytes.len() as f64 / 1024.0);
    }
    ExitCode::SUCCESS
}

/// Each `input/*.md` drawn as a runbook page's body into `output/*.html`.
fn markdown_pages(input: &std::path::Path, output: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(output).map_err(|e| format!("{}: {e}", output.display()))?;
    let entries = std::fs::read_dir(input).map_err(|e| format!("{}: {e}", input.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let runbook: &'static runbook::Runbook =
            Box::leak(Box::new(runbook::Runbook::from_document(document::parse(&name, &text))));
        let html = app::prerender::render_runbook(runbook);
        let target = output.join(path.with_extension("html").file_name().unwrap_or_default());
        std::fs::write(&target, html).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(())
}
