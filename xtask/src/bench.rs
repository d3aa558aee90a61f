//! `cargo xtask bench`: what the site costs a phone (bytes over the wire) and how fast the
//! parser and search run, written to docs/benchmarks.md with the command that made them.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use crate::process::{self, output, root, step};

/// The heading of the hand-written part of docs/benchmarks.md, kept by every run.
const NOTES: &str = "## Notes kept between runs";

pub fn run() -> Result<(), String> {
    let (dist, bundle) = crate::build_all()?;
    step("measuring dist/ and the worker bundle");
    let sizes = dist_sizes(&dist)?;
    let mut worker_sizes = dist_sizes(&bundle)?;
    worker_sizes.retain(|f| f.path.ends_with(".wasm") || f.path.ends_with(".js"));
    step("measuring parser and search speed (cargo bench)");
    let mut speed = String::new();
    for (package, bench) in [("document", "parse"), ("runbook", "hostile"), ("tokens", "share"), ("probe", "tick")] {
        let figures = output(process::cargo().args(["bench", "--quiet", "--package", package, "--bench", bench]))
            .ok_or_else(|| format!("cargo bench --package {package} --bench {bench} failed"))?;
        speed.push_str(&figures);
        speed.push('\n');
    }
    step("simulating detection (cargo bench --package probe --bench detection)");
    let detection = output(process::cargo().args(["bench", "--quiet", "--package", "probe", "--bench", "detection"]))
        .ok_or("cargo bench --package probe --bench detection failed")?;
    let mut report = render(&sizes, &speed);
    report.push_str(&render_detection(&detection));
    report.push_str(&crate::page_load::measure(&dist)?);
    report.push_str(&crate::spec::measure()?);
    report.push_str(&crate::serving::declaration(&crate::app::demo_copy(&dist)?)?);
    report.push_str(&render_worker(&worker_sizes));
    report.push_str(&crate::room_cost::measure()?);
    print!("{report}");
    let path = root().join("docs/benchmarks.md");
    // Measurements of one-off decisions (before/after a change) are written by hand at the
    // end of the file, under NOTES; a run keeps them.
    if let Some(at) =
        std::fs::read_to_string(&path).ok().and_then(|old| old.find(NOTES).map(|at| old[at..].to_string()))
    {
        report.push('\n');
        report.push_str(&at);
    }
    std::fs::write(&path, report).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("\nwritten to docs/benchmarks.md");
    Ok(())
}

/// The detection simulation's table (`crates/probe/src/simulate`).
fn render_detection(table: &str) -> String {
    format!(
        "\n## Detection, simulated\n\n`cargo bench --package probe --bench detection`: 500 outages of each kind, each from a \
         random moment, the regions taking turns over their rounds (as armed in production) from a random phase; the probes' own time, the reports' \
         and the asks' are modelled. Times are from the onset (or the end) to what the monitor declares; for the outage \
         that spreads, from the spread to \"down\", and its two trouble alerts are the first region, then down. The \
         detector is `crates/probe/src/detect`; `crates/probe/tests/detection.rs` holds it to these figures.\n\n{}\n",
        table.trim_end()
    )
}

struct FileSize {
    path: String,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

fn dist_sizes(dist: &Path) -> Result<Vec<FileSize>, String> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?.flatten() {
        // Of the pages and files per runbook, the team runbook's stand for all (below).
        if !entry.path().is_dir() {
            paths.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    let slug = crate::page_load::RUNBOOK.0;
    // Only the site has pages (this also measures the worker's bundle).
    paths.extend(
        [format!("r/{slug}/index.html"), format!("r/{slug}/runbook.bin")]
            .into_iter()
            .filter(|p| dist.join(p).is_file()),
    );
    let mut files = Vec::new();
    for name in paths {
        let path = dist.join(&name);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        files.push(FileSize { path: name, raw: bytes.len(), gzip: gzip(&bytes), brotli: brotli(&bytes) });
    }
    files.sort_by_key(|file| std::cmp::Reverse(file.raw));
    Ok(files)
}

pub(crate) fn gzip(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("in-memory write");
    encoder.finish().expect("in-memory write").len()
}

fn brotli(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("in-memory write");
    out.len()
}

fn render(sizes: &[FileSize], speed: &str) -> String {
    let mut out = String::new();
    let date = output(std::process::Command::new("date").arg("-u").arg("+%Y-%m-%d")).unwrap_or_default();
    let rustc = output(std::process::Command::new("rustc").arg("--version")).unwrap_or_default();
    writeln!(out, "# Benchmarks\n").unwrap();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    writeln!(
        out,
        "Produced by `cargo xtask bench` on {date} ({rustc}, {cores} cores). Re-run it after any change that"
    )
    .unwrap();
    writeln!(out, "can move size or speed; it rewrites this file.\n").unwrap();
    writeln!(out, "## What a visitor downloads (`dist/`, release build)\n").unwrap();
    writeln!(
        out,
        "Hashed file names are shortened. Of the files each runbook has (its page, with the incident page its \
         \"Start incident\" opens, and its published model), the team runbook's. Brotli at quality 11 and gzip at \
         level 9, as static hosts serve them.\n"
    )
    .unwrap();
    writeln!(out, "| file | raw | gzip | brotli |\n|---|---:|---:|---:|").unwrap();
    let mut total = (0, 0, 0);
    for file in sizes {
        writeln!(out, "| `{}` | {} | {} | {} |", short_name(&file.path), kb(file.raw), kb(file.gzip), kb(file.brotli))
            .unwrap();
        total = (total.0 + file.raw, total.1 + file.gzip, total.2 + file.brotli);
    }
    writeln!(out, "| **total** | **{}** | **{}** | **{}** |\n", kb(total.0), kb(total.1), kb(total.2)).unwrap();
    writeln!(out, "## Parser, search, share links and the probe's monitor (native, release)\n").unwrap();
    writeln!(out, "Median of 21 samples of native code. The site and the worker run this code compiled to WebAssembly, which these figures do not measure.\n").unwrap();
    writeln!(out, "| measure | median | what |\n|---|---:|---|").unwrap();
    for line in speed.lines().filter(|l| !l.starts_with("size\t")) {
        let mut parts = line.split('\t');
        if let (Some(name), Some(micros), Some(what)) = (parts.next(), parts.next(), parts.next()) {
            writeln!(out, "| `{name}` | {micros} µs | {what} |").unwrap();
        }
    }
    writeln!(out, "\n## Share links\n").unwrap();
    writeln!(out, "Characters of the token in `/s#…` (targets: 800 for a whole incident, 200 for ten steps; steps travel by full id so none is ever checked by mistake).\n")
        .unwrap();
    writeln!(out, "| link | characters | what |\n|---|---:|---|").unwrap();
    for line in speed.lines().filter_map(|l| l.strip_prefix("size\t")) {
        let mut parts = line.split('\t');
        if let (Some(name), Some(chars), Some(what)) = (parts.next(), parts.next(), parts.next()) {
            writeln!(out, "| `{name}` | {chars} | {what} |").unwrap();
        }
    }
    out
}

/// `app-3f2a…_bg.wasm` → `app-…_bg.wasm`: hashes change every build and say nothing here.
fn short_name(name: &str) -> String {
    match name.split_once('-') {
        Some((stem, rest)) if rest.len() > 16 && rest.chars().take(16).all(|c| c.is_ascii_hexdigit()) => {
            let after_hash = rest.trim_start_matches(|c: char| c.is_ascii_hexdigit());
            format!("{stem}-…{after_hash}")
        }
        _ => name.to_string(),
    }
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// The worker bundle, what one region's round costs, and what a day of rounds costs on the
/// free plan.
fn render_worker(sizes: &[FileSize]) -> String {
    use config::budget::*;
    use config::limits::*;
    let mut out = String::new();
    writeln!(out, "\n## Edge probe\n").unwrap();
    writeln!(out, "Worker bundle (`worker/build/`, made by worker-build; the free plan allows 3 MB compressed):\n")
        .unwrap();
    writeln!(out, "| file | raw | gzip |\n|---|---:|---:|").unwrap();
    for file in sizes {
        writeln!(out, "| `{}` | {} | {} |", file.path, kb(file.raw), kb(file.gzip)).unwrap();
    }
    let endpoints = 45;
    writeln!(
        out,
        "\nOne region's round for {endpoints} endpoints (the most a region may probe; from `config::budget`):\n"
    )
    .unwrap();
    writeln!(out, "| what | per round | free-plan limit |\n|---|---:|---:|").unwrap();
    writeln!(
        out,
        "| subrequests of the region's alarm (one per endpoint) | {endpoints} | {FREE_SUBREQUESTS_PER_INVOCATION} |"
    )
    .unwrap();
    writeln!(out, "| connections open at once | {FREE_CONNECTIONS} | {FREE_CONNECTIONS} |").unwrap();
    writeln!(
        out,
        "| time when every endpoint hangs, at the default {} s timeout | {:.0} s | |",
        config::DEFAULT_TIMEOUT_MS / 1000,
        region_worst_case_ms(std::iter::repeat_n(config::DEFAULT_TIMEOUT_MS, endpoints)) as f64 / 1000.0
    )
    .unwrap();
    writeln!(
        out,
        "| alert deliveries by the monitor's alarm, at most | {MAX_DELIVERIES_PER_TICK} | {FREE_SUBREQUESTS_PER_INVOCATION} |"
    )
    .unwrap();
    out.push_str(&render_cadence());
    out.push_str(&crate::serving::readers());
    out
}

/// What a day of rounds costs at each cadence (`config::cadence`), and the cadence
/// validation picks for this repository's `outpost.toml`.
fn render_cadence() -> String {
    use config::cadence::{daily, fastest_sustainable, Shape};
    let mut out = String::new();
    writeln!(
        out,
        "
### A day of rounds
"
    )
    .unwrap();
    writeln!(out, "Each region's object probes on its own alarm and reports every round to the monitor (`config::cadence`). Rows are counted as the platform meters them (each region run writes its plan and sets its alarm, each report writes the monitor's state: `tests/worker/cost.test.mjs` holds these to the cursors' `rowsWritten`); a day of trouble adds a recheck to every round. Worst: every endpoint hanging until its timeout, every round, all day; validation refuses a cadence whose worst day (or day of trouble) does not fit, and names one that does. A Durable Object waiting on a probe is billed for it (128 MB while active; {:.0} GB-s a day free).
", config::limits::FREE_DURATION_GB_S_PER_DAY).unwrap();
    writeln!(out, "| endpoints × regions, timeout | every | DO requests / day | rows written / day | rows written, a day of trouble | GB-s / day, steady | GB-s / day, worst | fits the free plan |\n|---|---:|---:|---:|---:|---:|---:|---|").unwrap();
    for (endpoints, timeout) in [(50, 10_000u32), (50, 5_000), (6, 5_000), (1, 5_000), (1, 10_000)] {
        let shape = Shape { timeouts_ms: vec![timeout; endpoints], regions: 3 };
        let mut intervals = vec![20, 30, 60];
        if let Some(fastest) = fastest_sustainable(&shape) {
            if !intervals.contains(&fastest) {
                intervals.push(fastest);
            }
        }
        intervals.sort_unstable();
        for interval in intervals {
            let day = daily(&shape, interval);
            let fits = day.overrun().map_or("yes".to_string(), |why| format!("no: {why}"));
            writeln!(
                out,
                "| {endpoints} × 3, {} s | {interval} s | {} | {} | {} | {:.0} | {:.0} | {fits} |",
                timeout / 1000,
                day.requests,
                day.rows_written,
                day.rows_written_worst,
                day.gb_seconds_steady,
                day.gb_seconds_worst
            )
            .unwrap();
        }
    }
    if let Ok(text) = std::fs::read_to_string(root().join("outpost.toml")) {
        let (config, errors) = config::parse_config(&text);
        let timeouts: Vec<u32> = config.endpoints.iter().map(|e| e.timeout_ms).collect();
        writeln!(
            out,
            "\nThis repository's `outpost.toml` ({} endpoints, timeouts {:?} ms, {} regions): rounds every {} s{}.",
            config.endpoints.len(),
            timeouts,
            config.regions.len(),
            config.interval_seconds,
            if errors.is_empty() { ", accepted by validation" } else { ", refused by validation" }
        )
        .unwrap();
    }
    out
}
