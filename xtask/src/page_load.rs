//! The page-load part of `cargo xtask bench`: the built site against an mdBook of the same
//! runbooks, both loaded cold in Chromium under the same throttling and served brotli by the
//! same server, in one run (`tests/bench/page_load.mjs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::process::{self, root, run, step};

/// Cold loads of each site; the median is reported.
const RUNS: usize = 5;

/// The page both builds show: its slug, and a heading at its top both draw as text.
pub const RUNBOOK: (&str, &str) = ("incident-response", "Incident Response Runbook");

/// The size of the larger library the same page is measured in.
const LIBRARY_SIZE: usize = 200;

pub fn measure(dist: &Path) -> Result<String, String> {
    crate::tools::ensure_mdbook()?;
    crate::tools::ensure_browser()?;
    let book = build_mdbook(&root().join("runbooks"), "mdbook")?;
    let library = crate::bench_library::write(LIBRARY_SIZE)?;
    let large = crate::app::build_from(&library, &root().join("outpost.toml"), "bench/dist-library")?;
    let large_book = build_mdbook(&library, "mdbook-library")?;
    step(&format!(
        "loading a runbook page cold, {RUNS} times each: Outpost and mdBook, in the team's library and in one of \
         {LIBRARY_SIZE} runbooks (throttled Chromium)"
    ));
    let (slug, heading) = RUNBOOK;
    let json = process::output(
        process::node()
            .arg(root().join("tests/bench/page_load.mjs"))
            .args([
                RUNS.to_string(),
                heading.to_string(),
                format!("Outpost={}:/r/{slug}/", dist.display()),
                format!("mdBook={}:/{slug}.html", book.display()),
                format!("Outpost {LIBRARY_SIZE}={}:/r/{slug}/", large.display()),
                format!("mdBook {LIBRARY_SIZE}={}:/{slug}.html", large_book.display()),
            ])
            // Each load as it is measured, and why the script stopped if it did.
            .stderr(std::process::Stdio::inherit()),
    )
    .ok_or("the page-load benchmark failed (tests/bench/page_load.mjs)")?;
    let report: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| format!("page-load benchmark output: {e}"))?;
    Ok(render(&report))
}

/// An mdBook of the runbooks in `folder` (its top level), one chapter per file, with
/// mdBook's default theme and search, in target/bench/`name`.
fn build_mdbook(folder: &Path, name: &str) -> Result<PathBuf, String> {
    step(&format!("building an mdBook of the runbooks in {}", folder.strip_prefix(root()).unwrap_or(folder).display()));
    let dir = root().join("target/bench").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let mut summary = String::from("# Summary\n\n");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))?.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            files.push((entry.file_name().to_string_lossy().into_owned(), text));
        }
    }
    let library = document::Library::build("runbooks", files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    for runbook in &library.runbooks {
        let from = folder.join(&runbook.path);
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
    let large = format!("Outpost {LIBRARY_SIZE}");
    let large_book = format!("mdBook {LIBRARY_SIZE}");
    let pairs = [(site("Outpost"), site("mdBook")), (site(&large), site(&large_book))];
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
         same files (default theme), and the same page in a library of {LIBRARY_SIZE} runbooks (the team's, and \
         numbered copies of it and of the test runbook shapes: `xtask/src/bench_library.rs`), each loaded cold {runs} \
         times, alternating, in Chromium at {width}×{height} with {latency} ms round trip, {down:.1} Mbit/s down and a \
         {cpu}× slower CPU, served brotli (quality 11) by one local server (`tests/bench/page_load.mjs`). Medians. \
         \"Text visible\" is when the runbook's first heading is painted (Element Timing), so text hidden while a web \
         font loads does not count as shown. These loads only read. Another {runs} loads of each Outpost page are an \
         engineer's who starts an incident at once: \"Start incident\" is tapped the moment it shows (held until the \
         page starter or the app is ready), then the incident's first step the moment it shows; \"first checkbox \
         works\" is when the check is recorded (— for a load where it was not within a minute). Bytes are \
         compressed bytes on the wire until the page is quiet. Service workers are off, so the offline copy Outpost \
         fetches after the page has loaded (every file of the site, the app among them) is not counted.\n",
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
    writeln!(
        out,
        "| measure | Outpost | mdBook | Outpost ÷ mdBook | Outpost, {LIBRARY_SIZE} runbooks | mdBook, {LIBRARY_SIZE} \
         runbooks | Outpost ÷ mdBook |\n|---|---:|---:|---:|---:|---:|---:|"
    )
    .unwrap();
    let row = |out: &mut String, label: &str, key: &str, format: &dyn Fn(&serde_json::Value) -> String| {
        let cells: Vec<String> = pairs
            .iter()
            .flat_map(|(a, b)| {
                let (a, b) = (&a[key]["median"], &b[key]["median"]);
                [format(a), format(b), ratio(a, b)]
            })
            .collect();
        writeln!(out, "| {label} | {} |", cells.join(" | ")).unwrap();
    };
    row(&mut out, "first contentful paint", "fcp", &ms);
    row(&mut out, "runbook text visible", "text", &ms);
    row(&mut out, "load event", "loaded", &ms);
    row(
        &mut out,
        &format!("runbook text visible, every core busy with another process ({} runs)", report["busy_runs"]),
        "busy_text",
        &ms,
    );
    let only_outpost = |out: &mut String, label: &str, key: &str, format: &dyn Fn(&serde_json::Value) -> String| {
        let (a, b) = (&pairs[0].0[key]["median"], &pairs[1].0[key]["median"]);
        writeln!(out, "| {label} | {} | no such controls | — | {} | no such controls | — |", format(a), format(b))
            .unwrap();
    };
    row(&mut out, "bytes received when the text showed", "bytes_before_text", &kb);
    row(&mut out, "bytes of the whole first visit (reading)", "bytes", &kb);
    only_outpost(&mut out, "first checkbox works (\"Start incident\", then a step, recorded)", "checked", &ms);
    only_outpost(&mut out, "the app has taken over the incident (every button works)", "ready", &ms);
    only_outpost(&mut out, "bytes of a first visit that starts an incident at once", "incident_bytes", &kb);
    let (outpost, mdbook) = pairs[0];
    writeln!(out, "\nEvery run (text visible, s): Outpost {}; mdBook {}.", runs(outpost), runs(mdbook)).unwrap();
    let checked = |site: &serde_json::Value| runs_of(site, "checked");
    writeln!(
        out,
        "Every run (first checkbox works, s): Outpost {}; Outpost with {LIBRARY_SIZE} runbooks {}.",
        checked(outpost),
        checked(pairs[1].0)
    )
    .unwrap();
    out
}

fn runs(site: &serde_json::Value) -> String {
    runs_of(site, "text")
}

fn runs_of(site: &serde_json::Value, key: &str) -> String {
    site[key]["runs"]
        .as_array()
        .map(|runs| {
            runs.iter().map(|v| v.as_f64().map_or("—".into(), |v| format!("{:.2}", v / 1000.0))).collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .join(", ")
}
