//! `cargo xtask test [rust|browser|worker] [FILTER]`: every test, or one kind of them, or the
//! tests of one kind whose names match FILTER. Each kind builds only what it needs.

use std::path::PathBuf;

use crate::process::{self, root, step};
use crate::{runbooks, tools, worker};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The workspace's Rust tests (pure crates, xtask), natively.
    Rust,
    /// The built site in Chromium (`tests/e2e`).
    Browser,
    /// The worker under workerd (`tests/worker`).
    Worker,
    /// `cargo xtask deploy --dry-run`, the deploy workflow and updating a fork (`tests/deploy`).
    Deploy,
}

/// What `cargo xtask test` was asked to run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// `None`: everything, formatting and lints first.
    pub kind: Option<Kind>,
    pub filter: Option<String>,
}

impl Selection {
    pub fn parse(args: &[String]) -> Result<Selection, String> {
        let mut args = args.iter();
        let kind = match args.next().map(String::as_str) {
            None => return Ok(Selection::default()),
            Some("rust") => Kind::Rust,
            Some("browser") => Kind::Browser,
            Some("worker") => Kind::Worker,
            Some("deploy") => Kind::Deploy,
            Some(other) => {
                return Err(format!(
                    "unknown test kind {other:?}: use rust, browser, worker or deploy (and a FILTER after it)"
                ))
            }
        };
        let filter = args.next().cloned();
        if let Some(extra) = args.next() {
            return Err(format!("unexpected argument {extra:?}: give at most one FILTER"));
        }
        Ok(Selection { kind: Some(kind), filter })
    }
}

/// What a full run on a clean clone leaves in `target/` and `node_modules/`, with room to spare
/// (measured with `du` during `.ci/run`).
const FULL_RUN_DISK_GB: f64 = 6.0;

/// Cheapest first, so a mistake fails fast.
pub fn run(selection: &Selection) -> Result<(), String> {
    let filter = selection.filter.as_deref();
    match selection.kind {
        None => {
            process::warn_if_disk_low(FULL_RUN_DISK_GB);
            tools::ensure_worker_tools()?;
            tools::ensure_browser()?;
            formatting_and_lints()?;
            rust(None)?;
            team_content()?;
            let dist = example_site()?;
            worker::build()?;
            let shapes = shapes_site()?;
            browser(&dist, &shapes, None)?;
            worker_tests(None)?;
            deploy_tests(None)?;
        }
        Some(Kind::Rust) => rust(filter)?,
        Some(Kind::Browser) => {
            tools::ensure_worker_tools()?;
            tools::ensure_browser()?;
            let dist = example_site()?;
            let shapes = shapes_site()?;
            // The site and the probe together (`probe_in_site.test.mjs`) need the worker.
            worker::build()?;
            browser(&dist, &shapes, filter)?;
        }
        Some(Kind::Worker) => {
            tools::ensure_worker_tools()?;
            worker::build()?;
            worker_tests(filter)?;
        }
        // The dry runs build what they deploy themselves.
        Some(Kind::Deploy) => deploy_tests(filter)?,
    }
    println!("\nall tests passed");
    Ok(())
}

fn formatting_and_lints() -> Result<(), String> {
    step("formatting");
    process::run(process::cargo().args(["fmt", "--all", "--", "--check"]))
        .map_err(|e| format!("{e}\n  run `cargo fmt --all` to fix"))?;
    step("lints");
    process::run(process::cargo().args(["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]))?;
    // The app's build-time renderer (`bin/prerender.rs`).
    process::run(process::cargo().args([
        "clippy",
        "--package",
        "app",
        "--no-default-features",
        "--features",
        "ssr",
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
        "--package",
        "starter",
        "--target",
        "wasm32-unknown-unknown",
        "--quiet",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The app as `cargo xtask dev` builds it: parsing its embedded runbooks itself.
    process::run(
        process::cargo()
            .args([
                "clippy",
                "--package",
                "app",
                "--target",
                "wasm32-unknown-unknown",
                "--quiet",
                "--",
                "-D",
                "warnings",
            ])
            .env("OUTPOST_EMBED_RUNBOOKS", "1"),
    )
}

fn rust(filter: Option<&str>) -> Result<(), String> {
    step("unit tests");
    let mut cargo = process::cargo();
    cargo.args(["test", "--workspace", "--exclude", "app", "--exclude", "worker-probe", "--quiet"]);
    if let Some(filter) = filter {
        cargo.args(["--", filter]);
    }
    process::run(&mut cargo)?;
    // The app's own tests draw pages as the build does: the build-time renderer's feature.
    step("the site's build path (markdown to pre-rendered HTML)");
    let mut app = process::cargo();
    app.args(["test", "--package", "app", "--no-default-features", "--features", "ssr", "--quiet"]);
    // Outpost's example site, whatever the shell holds for the tests' site of runbook shapes.
    app.env("OUTPOST_RUNBOOKS", root().join(EXAMPLE_RUNBOOKS)).env("OUTPOST_CONFIG", root().join(EXAMPLE_CONFIG));
    if let Some(filter) = filter {
        app.args(["--", filter]);
    }
    process::run(&mut app)
}

/// The team's runbooks and outpost.toml, checked as every build checks them (the team's site
/// itself is built by the deploy tests' dry run).
fn team_content() -> Result<(), String> {
    let library = runbooks::lint()?;
    worker::check_config(&library)
}

/// The site the browser tests run on: Outpost's example (its copy of the team's runbook and
/// outpost.toml), so a fork's own runbooks and settings never change what the tests expect.
fn example_site() -> Result<PathBuf, String> {
    crate::app::build_from(&root().join(EXAMPLE_RUNBOOKS), &root().join(EXAMPLE_CONFIG), "dist-example")
}

const EXAMPLE_RUNBOOKS: &str = "examples/runbooks";
const EXAMPLE_CONFIG: &str = "examples/outpost.toml";

/// A site built from the runbook shapes other teams have (`runbook_shapes.test.mjs`).
fn shapes_site() -> Result<PathBuf, String> {
    crate::app::build_from(&root().join(SHAPES), &root().join(SHAPES_CONFIG), "dist-shapes")
}

/// The corpus of runbook shapes, shared with the native tests (`app/tests/runbook_shapes.rs`).
const SHAPES: &str = "crates/runbook/tests/fixtures/shapes";
/// Its site's own outpost.toml.
const SHAPES_CONFIG: &str = "crates/runbook/tests/fixtures/shapes.toml";

fn browser(dist: &std::path::Path, shapes: &std::path::Path, filter: Option<&str>) -> Result<(), String> {
    let fixtures = share_fixtures()?;
    step("browser tests (Chromium)");
    let demo = crate::app::demo_copy(dist)?;
    let mut node = node_tests("tests/e2e", filter);
    node.env("OUTPOST_DIST", dist)
        .env("OUTPOST_DEMO_DIST", &demo)
        .env("OUTPOST_SHAPES_DIST", shapes)
        .env("OUTPOST_SHARE_FIXTURES", &fixtures);
    process::run(&mut node)
}

fn worker_tests(filter: Option<&str>) -> Result<(), String> {
    step("worker tests (workerd, misbehaving servers)");
    process::run(&mut node_tests("tests/worker", filter))
}

fn deploy_tests(filter: Option<&str>) -> Result<(), String> {
    step("deploy tests (dry runs, the workflow's lint, updating a fork)");
    let xtask = std::env::current_exe().map_err(|e| format!("where is xtask? {e}"))?;
    process::run(node_tests("tests/deploy", filter).env("OUTPOST_XTASK", xtask))
}

/// Node's test runner over every `*.test.mjs` in `dir`, one file at a time (each starts its
/// own servers), with `--test-name-pattern` when filtered.
fn node_tests(dir: &str, filter: Option<&str>) -> std::process::Command {
    let mut node = process::node();
    node.args(["--test", "--test-reporter=spec", "--test-concurrency=1"]);
    if let Some(filter) = filter {
        node.arg(format!("--test-name-pattern={filter}"));
    }
    node.arg(root().join(dir));
    node
}

/// Share links made by the real encoder (hostile text, damaged tokens) for the browser tests.
fn share_fixtures() -> Result<PathBuf, String> {
    let json = process::output(process::cargo().args([
        "run",
        "--quiet",
        "--package",
        "tokens",
        "--example",
        "share_fixtures",
    ]))
    .ok_or("could not make the share-link fixtures")?;
    let path = root().join("target/share-fixtures.json");
    std::fs::write(&path, json).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Selection, String> {
        Selection::parse(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn no_arguments_select_every_test() {
        assert_eq!(parse(&[]), Ok(Selection::default()));
    }

    #[test]
    fn a_kind_and_a_filter_select_matching_tests_of_that_kind() {
        assert_eq!(parse(&["rust", "share"]), Ok(Selection { kind: Some(Kind::Rust), filter: Some("share".into()) }));
        assert_eq!(parse(&["browser"]), Ok(Selection { kind: Some(Kind::Browser), filter: None }));
        assert_eq!(parse(&["worker", "tick"]), Ok(Selection { kind: Some(Kind::Worker), filter: Some("tick".into()) }));
    }

    #[test]
    fn unknown_kinds_and_extra_arguments_are_refused() {
        assert!(parse(&["--browser"]).unwrap_err().contains("unknown test kind"));
        assert!(parse(&["rust", "a", "b"]).unwrap_err().contains("at most one FILTER"));
    }
}
