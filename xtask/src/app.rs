//! Building and serving the runbook site (the `app` crate), as `worker.rs` does the worker.

use std::path::PathBuf;

use document::Library;

use crate::process::{self, root, run, step};
use crate::worker;

/// `dist/` as the demo's site: a copy that reads the demo's probe (`cargo xtask dev`'s,
/// on 127.0.0.1), for the browser tests that run the site and the probe together.
pub fn demo_copy(dist: &std::path::Path) -> Result<PathBuf, String> {
    let copy = root().join("target/dist-demo");
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(dist, &copy)?;
    let probe = crate::dist::ProbeSettings::read(&worker::demo_config(), true)?;
    crate::dist::finish(&copy, &probe)?;
    Ok(copy)
}

pub(crate) fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?.flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

/// `trunk build --release` into dist/, then every route pre-rendered as a complete page by
/// the app's own components (`app/src/bin/prerender.rs`), then finished for deployment
/// (`dist.rs`): readable with no script, on any static host.
pub fn build(library: &Library) -> Result<PathBuf, String> {
    step("building the site (trunk build --release)");
    let dist = root().join("dist");
    build_into(&dist, None)?;
    println!("site written to {} ({} runbooks)", dist.display(), library.runbooks.len());
    Ok(dist)
}

/// The site built as `build` does, from the runbooks in `folder` and the settings in
/// `config` instead of `runbooks/` and outpost.toml, into target/`name`: the browser tests'
/// site of runbook shapes other teams have.
pub fn build_from(folder: &std::path::Path, config: &std::path::Path, name: &str) -> Result<PathBuf, String> {
    step(&format!("building a site of the runbooks in {}", folder.strip_prefix(root()).unwrap_or(folder).display()));
    let dist = root().join("target").join(name);
    build_into(&dist, Some((folder, config)))?;
    // Trunk copied runbooks/ beside the pages: the folder's own files (images) instead.
    let published = dist.join("runbooks");
    std::fs::remove_dir_all(&published).map_err(|e| format!("{}: {e}", published.display()))?;
    copy_dir(folder, &published)?;
    let probe = crate::dist::ProbeSettings::read(config, false)?;
    crate::dist::finish(&dist, &probe)?;
    Ok(dist)
}

/// Trunk's release build into `dist`, then every route pre-rendered into it; the runbooks
/// and settings embedded are `source`'s when given (`OUTPOST_RUNBOOKS`, `OUTPOST_CONFIG`,
/// read by app/build.rs).
fn build_into(dist: &std::path::Path, source: Option<(&std::path::Path, &std::path::Path)>) -> Result<(), String> {
    let with_folder = |mut command: std::process::Command| {
        match source {
            Some((folder, config)) => command.env("OUTPOST_RUNBOOKS", folder).env("OUTPOST_CONFIG", config),
            None => command.env_remove("OUTPOST_RUNBOOKS").env_remove("OUTPOST_CONFIG"),
        };
        command.env_remove("OUTPOST_EMBED_RUNBOOKS");
        command
    };
    run(with_folder(process::trunk()).args(["build", "--release", "--dist"]).arg(dist))?;
    let linked = root().join("target/wasm32-unknown-unknown/release/app.wasm");
    let linked = std::fs::read(&linked).map_err(|e| format!("{}: {e}", linked.display()))?;
    if let Some(name) = markdown_parser_in(&linked) {
        return Err(format!(
            "the site's WebAssembly links the markdown parser ({name}): the browser must read the files the \
             pre-render publishes (app/src/library/fetched.rs), never parse markdown"
        ));
    }
    crate::dist::externalize_boot_script(dist)?;
    step("building the page starter");
    let starter_dist = root().join("target/starter-dist");
    run(with_folder(process::trunk())
        .args(["build", "--release", "--dist"])
        .arg(&starter_dist)
        .arg(root().join("starter/index.html")))?;
    let linked = root().join("target/wasm32-unknown-unknown/release/starter.wasm");
    let linked = std::fs::read(&linked).map_err(|e| format!("{}: {e}", linked.display()))?;
    if let Some(name) = markdown_parser_in(&linked) {
        return Err(format!("the page starter links the markdown parser ({name})"));
    }
    let starter_head = root().join("target/starter-head.html");
    std::fs::write(&starter_head, crate::dist::add_starter(dist, &starter_dist)?)
        .map_err(|e| format!("{}: {e}", starter_head.display()))?;
    step("pre-rendering every page");
    run(with_folder(process::cargo())
        .args([
            "run",
            "--quiet",
            "--package",
            "app",
            "--no-default-features",
            "--features",
            "ssr",
            "--bin",
            "prerender",
            "--",
        ])
        .arg(dist)
        .arg(&starter_head))?;
    if source.is_none() {
        let probe = crate::dist::ProbeSettings::read(&root().join("outpost.toml"), false)?;
        crate::dist::finish(dist, &probe)?;
    }
    Ok(())
}

/// The markdown parser's crate, if the linked WebAssembly (before wasm-bindgen, with its
/// function names) holds any of its code.
fn markdown_parser_in(wasm: &[u8]) -> Option<&'static str> {
    // The parser's own crate, and the front matter reader (`document::front_matter::split`);
    // the model's types (their drop code) stay and are fine.
    ["pulldown_cmark", "front_matter5split"]
        .into_iter()
        .find(|name| wasm.windows(name.len()).any(|w| w == name.as_bytes()))
}

/// The site with live rebuilds, and the edge probe under workerd probing the bundled demo
/// health server, all on 127.0.0.1. Ctrl-C stops everything.
pub fn dev(library: &Library) -> Result<(), String> {
    worker::build()?;
    step("starting the demo health server and the edge probe");
    let mut children = worker::start_demo()?;
    worker::start_ticker();
    println!(
        "\n  runbook site    http://127.0.0.1:8080\n  status page     http://127.0.0.1:{port}/\n  status JSON     http://127.0.0.1:{port}/api/status\n  probe now       curl -X POST -H 'Authorization: Bearer demo-token' http://127.0.0.1:{port}/api/probe   (regions probe every 20 s)\n  status updates  token demo-updates (\"Post to status page\" in an incident asks for it)\n  break the demo  curl -X POST http://127.0.0.1:{health}/demo/down   (/demo/up, '/demo/regional?region=apac')\n  {count} runbooks; the site rebuilds when a runbook or the code changes\n",
        port = worker::WRANGLER_PORT,
        health = worker::DEMO_HEALTH_PORT,
        count = library.runbooks.len(),
    );
    // The dev site reads the demo's probe (it has no pre-rendered pages to carry it).
    let probe = crate::dist::ProbeSettings::read(&worker::demo_config(), true)?;
    let mut trunk = process::trunk();
    // The dev page is not pre-rendered and has no published files beside it: the app
    // parses the runbooks itself, so an edited runbook shows on the rebuild.
    trunk.args(["serve", "--address", "127.0.0.1", "--port", "8080"]).env("OUTPOST_EMBED_RUNBOOKS", "1");
    if let Some(api) = &probe.api {
        trunk.env("OUTPOST_PROBE_API", api).env("OUTPOST_ENDPOINTS", probe.endpoints.join(" "));
    }
    let result = run(&mut trunk);
    for child in &mut children {
        let _ = child.kill();
    }
    result
}

#[cfg(test)]
mod tests {
    use super::markdown_parser_in;

    #[test]
    fn a_linked_markdown_parser_is_found_by_its_function_names() {
        assert_eq!(markdown_parser_in(b"\0asm..._ZN14pulldown_cmark5parse6Parser3new17h"), Some("pulldown_cmark"));
        assert_eq!(markdown_parser_in(b"\0asm..._ZN8document12front_matter5split17h"), Some("front_matter5split"));
        assert_eq!(markdown_parser_in(b"\0asm..._ZN6tokens9published4read17h"), None);
        assert_eq!(markdown_parser_in(b"drop_in_place$LT$document..front_matter..FrontMatter$GT$"), None);
    }
}
