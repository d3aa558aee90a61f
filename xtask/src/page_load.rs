//! The page-load part of `cargo xtask bench`: the built site against an mdBook of the same
//! runbooks, both loaded cold in Chromium under the same throttling and served brotli by the
//! same server, in one run (`tests/bench/page_load.mjs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::process::{self, root, run, step};

/// Cold loads of each site; the median is reported.
const RUNS: usize = 5;

/// The page both builds show, and a heading at its top both draw as text.
const RUNBOOK: (&str, &str) = ("incident-response", "Incident Response Runbook");

pub fn measure(dist: &Path) -> Result<String, String> {
    crate::tools::ensure_mdbook()?;
    crate::tools::ensure_browser()?;
    let book = build_mdbook()?;
    step(&format!("loading a runbook page cold, {RUNS} times each: Outpost and mdBook (throttled Chromium)"));
    let (slug, heading) = RUNBOOK;
    let json = process::output(process::node().arg(root().join("tests/bench/page_load.mjs")).args([
        RUNS.to_string(),
        heading.to_string(),
        format!("Outpost={}:/r/{slug}/", dist.display()),
        format!("mdBook={}:/{slug}.html", book.display()),
    ]))
    .ok_or("the page-load benchmark failed (tests/bench/page_load.mjs)")?;
    let report: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| format!("page-load benchmark output: {e}"))?;
    Ok(render(&report))
}

/// An mdBook of `runbooks/`, one chapter per file, with mdBook's default theme and search.
fn build_mdbook() -> Result<PathBuf, String> {
    step("building an mdBook of the same runbooks");
    let dir = root().join("target/bench/mdbook");
    let _ = std::fs::remove_dir_all(&dir);
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let mut summary = String::from("# Summary\n\n");
    let library = crate::runbooks::lint()?;
    for runbook in &library.runbooks {
        let from = root().join("runbooks").join(&runbook.path);
        let name = format!("{}.md", runbook.slug);
        std::fs::copy(&from, src.join(&name)).map_err(|e| format!("{}: {e}", from.display()))?;
        writeln!(summary, "- [{}]({name})", runbook.title.replace(['[', ']'], "")).unwrap();
    }
    write(&src.join("SUMMARY.md"), &summary)?;
    write(&dir.join("book.toml"), "[book]\ntitle = \"Runbooks\"\n\n[output.html]\n")?;
    run(process::command("mdbook").arg("build").arg(&dir))?;
    Ok(dir.join("book"))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn render(report: &serde_json::Value) -> String {
    let site = |name: &str| &report["sites"][name];
    let (outpost, mdbook) = (site("Outpost"), site("mdBook"));
    let ms = |v: &serde_json::Value| v.as_f64().map_or("—".to_string(), |v| format!("{:.2} s", v / 1000.0));
    let kb = |v: &serde_json::Value| v.as_f64().map_or("—".to_string(), |v| format!("{:.1} KB", v / 1024.0));
    let ratio = |a: &serde_json::Value, b: &serde_json::Value| match (a.as_f64(), b.as_f64()) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "—".to_string(),
    };
    let mut out = String::new();
    writeln!(out, "\n## Opening a runbook: Outpost against mdBook\n").unwrap();
    writeln!(
        out,
        "The team's runbook as `/r/{slug}/` from `dist/` and as `/{slug}.html` from an mdBook {version} build of the \
         same files (default theme), each loaded cold {runs} times, alternating, in Chromium at {width}×{height} with \
         {latency} ms round trip, {down:.1} Mbit/s down and a {cpu}× slower CPU, served brotli (quality 11) by one \
         local server (`tests/bench/page_load.mjs`). Medians. \"Text visible\" is when the runbook's first heading is \
         painted (Element Timing), so text hidden while a web font loads does not count as shown. Bytes are \
         compressed bytes on the wire. Service workers are off, so the offline copy Outpost fetches after the page \
         works is not counted.\n",
        slug = RUNBOOK.0,
        version = crate::tools::MDBOOK_VERSION,
        runs = report["runs"],
        width = report["viewport"]["width"],
        height = report["viewport"]["height"],
        latency = report["network"]["latency"],
        down = report["network"]["downloadThroughput"].as_f64().unwrap_or(0.0) * 8.0 / 1e6,
        cpu = report["cpu_slowdown"],
    )
    .unwrap();
    writeln!(out, "| measure | Outpost | mdBook | Outpost ÷ mdBook |\n|---|---:|---:|---:|").unwrap();
    for (label, key) in [("first contentful paint", "fcp"), ("runbook text visible", "text"), ("load event", "loaded")]
    {
        let (a, b) = (&outpost[key]["median"], &mdbook[key]["median"]);
        writeln!(out, "| {label} | {} | {} | {} |", ms(a), ms(b), ratio(a, b)).unwrap();
    }
    let (a, b) = (&outpost["busy_text"]["median"], &mdbook["busy_text"]["median"]);
    writeln!(
        out,
        "| runbook text visible, every core busy with another process ({} runs) | {} | {} | {} |",
        report["busy_runs"],
        ms(a),
        ms(b),
        ratio(a, b)
    )
    .unwrap();
    writeln!(
        out,
        "| buttons and checkboxes work (Outpost: the app has taken over) | {} | no such controls | — |",
        ms(&outpost["ready"]["median"])
    )
    .unwrap();
    let (a, b) = (&outpost["bytes_before_text"]["median"], &mdbook["bytes_before_text"]["median"]);
    writeln!(out, "| bytes received when the text showed | {} | {} | {} |", kb(a), kb(b), ratio(a, b)).unwrap();
    let (a, b) = (&outpost["bytes"]["median"], &mdbook["bytes"]["median"]);
    writeln!(out, "| bytes of the whole first visit | {} | {} | {} |", kb(a), kb(b), ratio(a, b)).unwrap();
    writeln!(out, "\nEvery run (text visible, s): Outpost {}; mdBook {}.", runs(outpost), runs(mdbook)).unwrap();
    out
}

fn runs(site: &serde_json::Value) -> String {
    site["text"]["runs"]
        .as_array()
        .map(|runs| {
            runs.iter().map(|v| v.as_f64().map_or("—".into(), |v| format!("{:.2}", v / 1000.0))).collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .join(", ")
}
