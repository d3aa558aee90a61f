//! `cargo xtask <command>`: builds, serves, tests and measures Outpost. It installs the
//! tools it needs on first use (see `tools.rs`), so a fresh clone needs nothing else.

mod bench;
mod dist;
mod process;
mod runbooks;
mod site;
mod tools;
mod worker;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

  dev     serve the site on http://127.0.0.1:8080 (rebuilding on changes) and run the
          edge probe on http://127.0.0.1:8787 against a bundled demo health server
  test    run every test: formatting, lints, unit tests, browser tests, worker tests
  build   write the deployable site to dist/ and the worker bundle to worker/build/
  bench   measure dist/ sizes and parser speed, and update docs/benchmarks.md
  lint    check the runbooks and list what the site would warn about
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev(),
        Some("test") => test(&args[1..]),
        Some("build") => build_all().map(|_| ()),
        Some("bench") => bench::run(),
        Some("lint") => runbooks::lint().map(|_| ()),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The runbooks and outpost.toml checked, then the site and the worker built.
pub(crate) fn build_all() -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    tools::ensure_worker_tools()?;
    let library = runbooks::lint()?;
    worker::check_config(&library)?;
    let dist = site::build(&library)?;
    let bundle = worker::build()?;
    Ok((dist, bundle))
}

fn dev() -> Result<(), String> {
    tools::ensure_worker_tools()?;
    let library = runbooks::lint()?;
    worker::check_config(&library)?;
    site::dev(&library)
}

/// Every test, cheapest first, so a mistake fails fast. `--browser` or `--worker` runs
/// only those end-to-end tests (the build still happens).
fn test(args: &[String]) -> Result<(), String> {
    let browser_only = args.iter().any(|a| a == "--browser");
    let worker_only = args.iter().any(|a| a == "--worker");
    tools::ensure_worker_tools()?;
    tools::ensure_browser()?;
    if !browser_only && !worker_only {
        process::step("formatting");
        process::run(process::cargo().args(["fmt", "--all", "--", "--check"]))
            .map_err(|e| format!("{e}\n  run `cargo fmt --all` to fix"))?;
        process::step("lints");
        process::run(process::cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ]))?;
        process::run(process::cargo().args([
            "clippy",
            "--package",
            "app",
            "--package",
            "worker-probe",
            "--target",
            "wasm32-unknown-unknown",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ]))?;
        process::step("unit tests");
        process::run(process::cargo().args(["test", "--workspace", "--exclude", "app", "--quiet"]))?;
    }
    // Building checks the runbooks and outpost.toml too, and prints what it finds.
    let (dist, _bundle) = build_all()?;
    if !worker_only {
        let fixtures = share_fixtures()?;
        process::step("browser tests (Chromium)");
        process::run(
            process::node()
                .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
                .arg(process::root().join("tests/e2e"))
                .env("OUTPOST_DIST", &dist)
                .env("OUTPOST_SHARE_FIXTURES", &fixtures),
        )?;
    }
    if !browser_only {
        process::step("worker tests (workerd, misbehaving servers)");
        process::run(
            process::node()
                .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
                .arg(process::root().join("tests/worker")),
        )?;
    }
    println!("\nall tests passed");
    Ok(())
}

/// Share links made by the real encoder (hostile text, damaged tokens) for the browser tests.
fn share_fixtures() -> Result<std::path::PathBuf, String> {
    let json = process::output(process::cargo().args([
        "run",
        "--quiet",
        "--package",
        "runbook",
        "--example",
        "share_fixtures",
    ]))
    .ok_or("could not make the share-link fixtures")?;
    let path = process::root().join("target/share-fixtures.json");
    std::fs::write(&path, json).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}
