//! `cargo xtask <command>`: builds, serves, tests and measures Outpost. It installs the
//! tools it needs on first use (see `tools.rs`), so a fresh clone needs nothing else.

mod app;
mod bench;
mod bench_library;
#[cfg(test)]
mod content;
mod crate_map;
mod cycles;
mod deploy;
mod deploy_account;
mod dist;
mod page_load;
mod pages_limits;
mod process;
mod room_cost;
mod runbooks;
mod serving;
mod spec;
mod test;
mod tools;
mod worker;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

  dev     serve the site on http://127.0.0.1:8080 (rebuilding on changes) and run the
          edge probe on http://127.0.0.1:8787 against a bundled demo health server
  test [KIND] [FILTER]
          run every test: formatting, lints, unit tests, browser tests, worker tests.
          KIND is rust, browser, worker or deploy: only those tests, building only what they
          need.
          FILTER picks tests by name (cargo test's filter; Node's --test-name-pattern).
  build   write the deployable site to dist/ and the worker bundle to worker/build/
  bench   measure dist/ sizes and parser speed, and update docs/benchmarks.md
          (`bench page`, `bench spec`, `bench room`: one table, printed)
  lint    check the runbooks and outpost.toml, and list what the site would warn about
  screenshots
          the README's pictures (docs/images/), from the demo's site and probe in Chromium
  deploy [--dry-run] [--if-configured] [--config PATH]
          check outpost.toml's [deploy], the account and the build, then deploy the probe
          (wrangler deploy) and the site (wrangler pages deploy); --dry-run checks all that
          needs no account and sends nothing; --if-configured does nothing, successfully,
          without a [deploy] section (the workflow of a fork not set up yet)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev(),
        Some("test") => match test::Selection::parse(&args[1..]) {
            Ok(selection) => test::run(&selection),
            Err(message) => {
                eprintln!("{message}\n");
                eprint!("{USAGE}");
                return ExitCode::from(2);
            }
        },
        Some("build") => build_all().map(|_| ()),
        // `bench spec`: only the spec table, printed (the whole run writes docs/benchmarks.md).
        Some("bench") if args.get(1).is_some_and(|a| a == "spec") => spec::measure().map(|table| print!("{table}")),
        // `bench room`: only the live incident's cost, printed (needs worker/build).
        Some("bench") if args.get(1).is_some_and(|a| a == "room") => {
            room_cost::measure().map(|table| print!("{table}"))
        }
        // `bench page`: only the page-load table, printed (builds the site first).
        Some("bench") if args.get(1).is_some_and(|a| a == "page") => {
            build_site().and_then(|dist| page_load::measure(&dist)).map(|table| print!("{table}"))
        }
        Some("bench") => bench::run(),
        Some("deploy") => match deploy::Options::parse(&args[1..]) {
            Ok(options) => deploy::run(&options),
            Err(message) => {
                eprintln!("{message}\n");
                eprint!("{USAGE}");
                return ExitCode::from(2);
            }
        },
        Some("screenshots") => screenshots(),
        Some("lint") => {
            runbooks::lint().and_then(|library| worker::check_config(&library)).and_then(|_| lint_modules())
        }
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

/// Modules look down too: files that use each other are named, and the lint fails.
fn lint_modules() -> Result<(), String> {
    process::step("checking that no two source files use each other");
    let found: Vec<String> = cycles::SOURCE_DIRS
        .iter()
        .flat_map(|dir| {
            cycles::cycles(&process::root().join(dir))
                .into_iter()
                .map(move |group| format!("  {dir}: {}", group.join(" ↔ ")))
        })
        .collect();
    if !found.is_empty() {
        return Err(format!("these files use each other; move what both need to a lower file:\n{}", found.join("\n")));
    }
    process::step("checking ARCHITECTURE.md's crate map against the manifests");
    crate_map::check(&process::root())
}

/// The runbooks and outpost.toml checked, then the site and the worker built.
pub(crate) fn build_all() -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    tools::ensure_worker_tools()?;
    let library = runbooks::lint()?;
    worker::check_config(&library)?;
    let dist = app::build(&library)?;
    let bundle = worker::build()?;
    Ok((dist, bundle))
}

/// The runbooks and outpost.toml checked, then the site built.
pub(crate) fn build_site() -> Result<std::path::PathBuf, String> {
    tools::ensure_site_tools()?;
    let library = runbooks::lint()?;
    worker::check_config(&library)?;
    app::build(&library)
}

/// The README's pictures: the demo's site and probe, as `cargo xtask dev` runs them.
fn screenshots() -> Result<(), String> {
    tools::ensure_browser()?;
    let (dist, _bundle) = build_all()?;
    let demo = app::demo_copy(&dist)?;
    process::step("taking the README's pictures (docs/images/)");
    process::run(
        process::node().arg(process::root().join("tests/e2e/readme_screenshots.mjs")).env("OUTPOST_DEMO_DIST", demo),
    )
}

fn dev() -> Result<(), String> {
    tools::ensure_worker_tools()?;
    let library = runbooks::lint()?;
    worker::check_config(&library)?;
    app::dev(&library)
}
