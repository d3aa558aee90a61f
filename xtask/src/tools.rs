//! Installs what the build and tests need, each only when missing or at the wrong version.
//! Versions are pinned to ones proven together on the machines CI runs on.

use std::path::Path;

use crate::process::{self, command, output, root, run, step};

const TRUNK_VERSION: &str = "0.21.14";
const WORKER_BUILD_VERSION: &str = "0.8.7";
/// The anchor `cargo xtask bench` loads beside the site.
pub const MDBOOK_VERSION: &str = "0.5.4";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMIUM: &str = "/usr/bin/chromium";

/// The wasm target, Trunk, wasm-bindgen-cli matching Cargo.lock, and the npm packages
/// (wasm-opt from binaryen, playwright-core).
pub fn ensure_site_tools() -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_npm_packages()
}

/// worker-build for the edge probe (wrangler and esbuild come with the npm packages).
pub fn ensure_worker_tools() -> Result<(), String> {
    ensure_site_tools()?;
    if installed_version("worker-build").as_deref() == Some(WORKER_BUILD_VERSION) {
        return Ok(());
    }
    step(&format!("installing worker-build {WORKER_BUILD_VERSION} (once, about 6 minutes)"));
    run(process::cargo().args(["install", "worker-build", "--locked", "--version", WORKER_BUILD_VERSION]))
}

/// mdBook, for the page-load benchmark only; its HTML output needs no optional feature but
/// search, which its default theme shows.
pub fn ensure_mdbook() -> Result<(), String> {
    if installed_version("mdbook").as_deref() == Some(MDBOOK_VERSION) {
        return Ok(());
    }
    step(&format!("installing mdBook {MDBOOK_VERSION} for the benchmark (once, about 4 minutes)"));
    run(process::cargo().args([
        "install",
        "mdbook",
        "--locked",
        "--version",
        MDBOOK_VERSION,
        "--no-default-features",
        "--features",
        "search",
    ]))
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = output(command("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    step("installing the wasm32 target (once)");
    run(command("rustup").args(["target", "add", WASM_TARGET]))
}

fn ensure_trunk() -> Result<(), String> {
    if installed_version("trunk").as_deref() == Some(TRUNK_VERSION) {
        return Ok(());
    }
    step(&format!("installing Trunk {TRUNK_VERSION} (once, about 11 minutes)"));
    run(process::cargo().args(["install", "trunk", "--locked", "--version", TRUNK_VERSION]))
}

/// wasm-bindgen-cli must be exactly the wasm-bindgen in Cargo.lock, and Trunk.toml must pin
/// the same version, or Trunk would try to download one.
fn ensure_wasm_bindgen() -> Result<(), String> {
    let version = locked_version("wasm-bindgen")?;
    let trunk_toml = std::fs::read_to_string(root().join("Trunk.toml")).map_err(|e| format!("Trunk.toml: {e}"))?;
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{version}\"")) {
        return Err(format!(
            "Cargo.lock has wasm-bindgen {version} but Trunk.toml pins another version.\n  \
             Set `wasm_bindgen = \"{version}\"` under [tools] in Trunk.toml."
        ));
    }
    if installed_version("wasm-bindgen").as_deref() == Some(version.as_str()) {
        return Ok(());
    }
    step(&format!("installing wasm-bindgen-cli {version} (once, about 4 minutes)"));
    // Without --locked: its own lockfile wants a crate the registry no longer has.
    run(process::cargo().args(["install", "wasm-bindgen-cli", "--version", &version, "--force"]))
}

pub fn ensure_npm_packages() -> Result<(), String> {
    let root = root();
    let installed = root.join("node_modules/.package-lock.json");
    if is_newer_or_equal(&installed, &root.join("package-lock.json"))
        && is_newer_or_equal(&installed, &root.join("package.json"))
    {
        return Ok(());
    }
    step("installing npm packages (wasm-opt, playwright-core, wrangler, esbuild)");
    run(command("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]))
}

/// Debian's Chromium, driven by playwright-core in the browser tests.
pub fn ensure_browser() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    step("installing Chromium from Debian (once, under a minute)");
    let as_root = output(command("id").arg("-u")).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        if as_root {
            let mut c = command("apt-get");
            c.args(args);
            c
        } else {
            let mut c = command("sudo");
            c.arg("-n").arg("apt-get").args(args);
            c
        }
    };
    run(apt(&["update", "-qq"]).env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(apt(&["install", "-y", "-qq", "--no-install-recommends", "chromium"]).env("DEBIAN_FRONTEND", "noninteractive"))
        .map_err(|e| format!("{e}\n  Chromium is needed for the browser tests: install Debian's `chromium` package"))
}

/// `trunk 0.21.14`, `0.8.7` or `mdbook v0.5.4` → the version.
fn installed_version(program: &str) -> Option<String> {
    let text = output(command(program).arg("--version"))?;
    text.split_whitespace()
        .map(|word| word.strip_prefix('v').unwrap_or(word))
        .find(|word| word.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_string)
}

/// The version of a package in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{package}\"") {
            if let Some(version) = lines.next().and_then(|l| l.trim().strip_prefix("version = ")) {
                return Ok(version.trim_matches('"').to_string());
            }
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

fn is_newer_or_equal(a: &Path, b: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(a), modified(b)) {
        (Some(a), Some(b)) => a >= b,
        _ => false,
    }
}
