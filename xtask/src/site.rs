//! Building and serving the runbook site.

use std::path::{Path, PathBuf};

use document::Library;

use crate::process::{self, root, run, step};
use crate::worker;

/// `trunk build --release` into dist/, finished for deployment (`dist.rs`), then a copy of
/// index.html at each runbook's route so any static host can serve deep links, even one
/// without a single-page-app fallback.
pub fn build(library: &Library) -> Result<PathBuf, String> {
    step("building the site (trunk build --release)");
    run(process::trunk().args(["build", "--release"]))?;
    let dist = root().join("dist");
    crate::dist::finish(&dist)?;
    let index = std::fs::read(dist.join("index.html")).map_err(|e| format!("dist/index.html: {e}"))?;
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

/// The site with live rebuilds, and the edge probe under workerd probing the bundled demo
/// health server, all on 127.0.0.1. Ctrl-C stops everything.
pub fn dev(library: &Library) -> Result<(), String> {
    worker::build()?;
    step("starting the demo health server and the edge probe");
    let mut children = worker::start_demo()?;
    worker::start_ticker();
    println!(
        "\n  runbook site    http://127.0.0.1:8080\n  status page     http://127.0.0.1:{port}/\n  status JSON     http://127.0.0.1:{port}/api/status\n  tick now        curl http://127.0.0.1:{port}/__scheduled   (the demo ticks every minute)\n  break the demo  curl -X POST http://127.0.0.1:{health}/demo/down   (/demo/up, '/demo/regional?region=apac')\n  {count} runbooks; the site rebuilds when a runbook or the code changes\n",
        port = worker::WRANGLER_PORT,
        health = worker::DEMO_HEALTH_PORT,
        count = library.runbooks.len(),
    );
    let result = run(process::trunk().args(["serve", "--address", "127.0.0.1", "--port", "8080"]));
    for child in &mut children {
        let _ = child.kill();
    }
    result
}
