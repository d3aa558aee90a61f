//! The edge probe's build and local run: config checked with the probe's own parser, the
//! bundle made by worker-build, and wrangler (workerd) serving it on 127.0.0.1.

use std::path::PathBuf;
use std::process::{Child, Command};

use document::Library;

use crate::process::{self, root, run, step};
use crate::tools;

pub const WRANGLER_PORT: u16 = 8787;
pub const DEMO_HEALTH_PORT: u16 = 8765;

/// Checks `outpost.toml` as the worker will read it, and its runbook links against the site.
pub fn check_config(library: &Library) -> Result<(), String> {
    step("checking outpost.toml");
    let path = root().join("outpost.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (config, errors) = config::parse_config(&text);
    if !errors.is_empty() {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(format!("outpost.toml has errors:\n  {}", list.join("\n  ")));
    }
    for endpoint in &config.endpoints {
        if let Some(link) = &endpoint.runbook {
            if let Some(problem) = runbook_link_problem(library, link) {
                println!("warning: outpost.toml:{}: endpoint {:?}: {problem}", endpoint.line, endpoint.name);
            }
        }
    }
    println!("{} endpoints in {} regions", config.endpoints.len(), config.regions.len());
    Ok(())
}

fn runbook_link_problem(library: &Library, link: &str) -> Option<String> {
    let (slug, anchor) = link.split_once('#').unwrap_or((link, ""));
    let Some(runbook) = library.get(slug) else {
        return Some(format!("runbook {slug:?} is not in runbooks/"));
    };
    (!anchor.is_empty() && !runbook.headings.iter().any(|h| h.anchor == anchor))
        .then(|| format!("runbook {slug:?} has no section #{anchor}"))
}

/// `worker/build/`: the bundle wrangler serves and deploys.
pub fn build() -> Result<PathBuf, String> {
    tools::ensure_worker_tools()?;
    step("building the worker (worker-build --release)");
    run(worker_build().arg("--release"))?;
    Ok(root().join("worker/build"))
}

fn worker_build() -> Command {
    let root = root();
    let mut command = process::command("worker-build");
    command
        .current_dir(root.join("worker"))
        .env("WASM_BINDGEN_BIN", process::cargo_bin_dir().join("wasm-bindgen"))
        .env("WASM_OPT_BIN", root.join("node_modules/.bin/wasm-opt"))
        .env("ESBUILD_BIN", root.join("node_modules/.bin/esbuild"))
        // Keep CI logs readable: the crate list of every build is noise.
        .env("CARGO_TERM_QUIET", "true");
    command
}

/// wrangler with its telemetry, update checks and banners off: it must not reach out.
pub fn wrangler() -> Command {
    let mut command = process::command(&root().join("node_modules/.bin/wrangler").to_string_lossy());
    command
        .current_dir(root().join("worker"))
        .env("WRANGLER_SEND_METRICS", "false")
        .env("WRANGLER_HIDE_BANNER", "true")
        .env("WRANGLER_SEND_ERROR_REPORTS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("NO_UPDATE_NOTIFIER", "1");
    command
}

/// The demo's outpost.toml: the worker probes the bundled health server on 127.0.0.1.
pub fn demo_config() -> PathBuf {
    root().join("worker/demo/outpost.demo.toml")
}

/// The demo: the bundled health server, and the worker probing it under workerd.
pub fn start_demo() -> Result<Vec<Child>, String> {
    let root = root();
    let health = process::node()
        .arg(root.join("worker/demo/health.mjs"))
        .arg(DEMO_HEALTH_PORT.to_string())
        .spawn()
        .map_err(|e| format!("could not start the demo health server: {e}"))?;
    let config = std::fs::read_to_string(demo_config()).map_err(|e| e.to_string())?;
    let worker = wrangler()
        .args(["dev", "--local", "--ip", "127.0.0.1", "--port", &WRANGLER_PORT.to_string(), "--test-scheduled"])
        .arg("--persist-to")
        .arg(root.join("target/wrangler-demo"))
        .arg("--var")
        .arg(format!("OUTPOST_CONFIG:{config}"))
        .args(["--var", "PROBE_TOKEN:demo-token", "--var", "UPDATES_TOKEN:demo-updates", "--var", "OUTPOST_LOCAL:1"])
        .spawn()
        .map_err(|e| format!("could not start wrangler: {e}"))?;
    Ok(vec![health, worker])
}

/// Crons do not fire by themselves under `wrangler dev`: run the minute cron (the watchdog
/// that arms the regions' alarms) once a minute, as deployed.
pub fn start_ticker() {
    std::thread::spawn(|| loop {
        std::thread::sleep(std::time::Duration::from_secs(5));
        let _ = tick();
        std::thread::sleep(std::time::Duration::from_secs(55));
    });
}

fn tick() -> std::io::Result<()> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", WRANGLER_PORT))?;
    stream.write_all(b"GET /__scheduled?cron=*+*+*+*+* HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")?;
    let mut sink = Vec::new();
    stream.read_to_end(&mut sink).map(drop)
}
