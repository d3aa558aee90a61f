//! A library of many runbooks for the page-load benchmark: the team's runbook, and copies of
//! it and of the runbook shapes the tests use (GitLab, Kubernetes, Chinese, …) under numbered
//! names, so the same page can be measured in a site of one runbook and of hundreds.

use std::path::{Path, PathBuf};

use crate::process::{root, step};

/// Writes `size` runbooks into target/bench/library-`size`/ (flat, one file each) and returns
/// the folder. `incident-response.md` is the team's runbook as it is.
pub fn write(size: usize) -> Result<PathBuf, String> {
    step(&format!("writing a library of {size} runbooks"));
    let folder = root().join(format!("target/bench/library-{size}"));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let team = read(&root().join("runbooks/incident-response.md"))?;
    let mut sources = vec![("incident-response".to_string(), team.clone())];
    let shapes = root().join("crates/runbook/tests/fixtures/shapes");
    for entry in std::fs::read_dir(&shapes).map_err(|e| format!("{}: {e}", shapes.display()))?.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "md") {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            sources.push((stem, read(&path)?));
        }
    }
    sources.sort();
    std::fs::write(folder.join("incident-response.md"), &team).map_err(|e| format!("{}: {e}", folder.display()))?;
    for index in 1..size {
        let (stem, text) = &sources[index % sources.len()];
        let name = format!("copy-{index:03}-{}.md", ascii(stem));
        let target = folder.join(&name);
        std::fs::write(&target, numbered(text, index)).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(folder)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A file name part any tool accepts: ASCII letters, digits and dashes.
fn ascii(stem: &str) -> String {
    let name: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let name = name.trim_matches('-').to_string();
    if name.is_empty() {
        "runbook".to_string()
    } else {
        name
    }
}

/// `text` with its first `# ` heading numbered, so every copy has its own title.
fn numbered(text: &str, index: usize) -> String {
    let mut done = false;
    text.lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(title) if !done => {
                done = true;
                format!("# {title} ({index})")
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_get_their_own_title_and_an_ascii_file_name() {
        assert_eq!(
            numbered("---\ntitle: x\n---\n# Disk full\n\n# Again\n", 7),
            "---\ntitle: x\n---\n# Disk full (7)\n\n# Again"
        );
        assert_eq!(ascii("数据库主节点故障"), "runbook");
        assert_eq!(ascii("KubePodCrashLooping"), "kubepodcrashlooping");
        assert_eq!(ascii("gitlab-patroni"), "gitlab-patroni");
    }
}
