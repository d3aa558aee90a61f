//! Build-time check of the runbooks: the same parse the site does, reported in the terminal.

use std::path::{Path, PathBuf};

use document::{Library, Severity};

use crate::process::{root, step};

/// Every `(path under runbooks/, markdown)`, sorted.
pub fn read_all() -> Result<Vec<(String, String)>, String> {
    let folder = root().join("runbooks");
    let mut paths = Vec::new();
    collect_markdown(&folder, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let relative = path.strip_prefix(&folder).expect("under the folder").to_string_lossy().replace('\\', "/");
            Ok((relative, text))
        })
        .collect()
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect_markdown(&path, out);
        } else if path.extension().is_some_and(|e| e == "md" || e == "markdown") {
            out.push(path);
        }
    }
}

/// Prints every diagnostic, then the links to runbooks the site lacks, one per line.
/// Warnings never fail the build: a runbook with a broken link still beats no runbook.
pub fn lint() -> Result<Library, String> {
    step("checking runbooks");
    let files = read_all()?;
    let library = Library::build("runbooks", files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let missing = library.missing_links();
    let other: Vec<_> =
        library.all_diagnostics().filter(|d| !d.message.starts_with("link to a runbook this site")).collect();
    println!(
        "{} runbooks: {}",
        library.runbooks.len(),
        library.runbooks.iter().map(|r| r.slug.as_str()).collect::<Vec<_>>().join(", ")
    );
    for diagnostic in &other {
        println!("{diagnostic}");
    }
    if !missing.is_empty() {
        println!(
            "warning: {} links point to runbooks this site doesn't have (shown as missing in the page):",
            missing.len()
        );
        for link in &missing {
            println!("  {}:{}: {}", link.file, link.line, link.href);
        }
    }
    let warnings = other.iter().filter(|d| d.severity == Severity::Warning).count() + missing.len();
    if warnings == 0 {
        println!("no problems found");
    }
    Ok(library)
}
