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
    let absent = absent_files(&library, &root().join("runbooks"));
    for line in &absent {
        println!("{line}");
    }
    let warnings = other.iter().filter(|d| d.severity == Severity::Warning).count() + missing.len() + absent.len();
    if warnings == 0 {
        println!("no problems found");
    }
    Ok(library)
}

/// A warning for each image or file a runbook names that is not in `folder`: it would not
/// show (or its link would lead nowhere) on the site.
pub fn absent_files(library: &Library, folder: &Path) -> Vec<String> {
    library
        .named_files()
        .into_iter()
        .filter(|named| !folder.join(&named.path).is_file())
        .map(|named| {
            let what = if named.image { "image" } else { "linked file" };
            format!(
                "{}:{}: warning: {what} `{}` is not in the runbooks folder, so the site cannot show it",
                named.file, named.line, named.path
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_or_file_missing_from_the_runbooks_folder_is_a_warning_with_its_line() {
        let folder = std::env::temp_dir().join(format!("outpost-named-files-{}", std::process::id()));
        std::fs::create_dir_all(folder.join("img")).unwrap();
        std::fs::write(folder.join("img/flow.png"), b"png").unwrap();
        let source = "# Alerts\n\n![flow](img/flow.png)\n\n![gone](img/gone.png)\n\n<img src=\"img/also-gone.png\">\n\n[script](scripts/fix.sh)\n";
        let library = Library::build("runbooks", [("alerts.md", source)]);
        let warnings = absent_files(&library, &folder);
        std::fs::remove_dir_all(&folder).unwrap();
        assert_eq!(
            warnings,
            [
                "runbooks/alerts.md:5: warning: image `img/gone.png` is not in the runbooks folder, so the site cannot show it",
                "runbooks/alerts.md:7: warning: image `img/also-gone.png` is not in the runbooks folder, so the site cannot show it",
                "runbooks/alerts.md:9: warning: linked file `scripts/fix.sh` is not in the runbooks folder, so the site cannot show it",
            ]
        );
    }
}
