//! Building and serving the runbook site.

use std::path::{Path, PathBuf};

use crate::process::{self, root, run, step};
use crate::{runbooks, tools};

/// `trunk build --release` into dist/, finished for deployment (`dist.rs`), then a copy of
/// index.html at each runbook's route so any static host can serve deep links, even one
/// without a single-page-app fallback.
pub fn build() -> Result<PathBuf, String> {
    tools::ensure_site_tools()?;
    let library = runbooks::lint()?;
    step("building the site (trunk build --release)");
    run(process::trunk().args(["build", "--release"]))?;
    let dist = root().join("dist");
    crate::dist::finish(&dist)?;
    let index =
        std::fs::read(dist.join("index.html")).map_err(|e| format!("dist/index.html: {e}"))?;
    for runbook in &library.runbooks {
        write_route(&dist, &format!("r/{}", runbook.slug), &index)?;
    }
    println!("site written to {}", dist.display());
    Ok(dist)
}

fn write_route(dist: &Path, route: &str, index: &[u8]) -> Result<(), String> {
    let dir = dist.join(route);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(dir.join("index.html"), index).map_err(|e| format!("{}: {e}", dir.display()))
}

/// Serves the site with live rebuilds on 127.0.0.1.
pub fn dev() -> Result<(), String> {
    tools::ensure_site_tools()?;
    runbooks::lint()?;
    step("serving the site at http://127.0.0.1:8080 (rebuilds when a runbook or the code changes; Ctrl-C stops)");
    run(process::trunk().args(["serve", "--address", "127.0.0.1", "--port", "8080"]))
}
