//! Where a link in a runbook goes: out of the site, to another runbook, or nowhere we have.

use crate::model::LinkTarget;
use crate::slug::runbook_slug;

/// The runbooks a site has, for resolving links between them.
#[derive(Debug, Clone, Default)]
pub struct KnownRunbooks {
    slugs: Vec<String>,
}

impl KnownRunbooks {
    pub fn new(slugs: impl IntoIterator<Item = String>) -> Self {
        KnownRunbooks { slugs: slugs.into_iter().collect() }
    }

    /// Finds the runbook a link means. Runbooks are often moved between folders and renamed
    /// from `RUNBOOK_DATABASE_ISSUES.md` to `database-issues.md` when collected into a site,
    /// so after an exact path match this accepts a unique match on the file name, with or
    /// without a `runbook` prefix or suffix.
    pub fn resolve(&self, candidate: &str) -> Option<&str> {
        if let Some(exact) = self.slugs.iter().find(|s| *s == candidate) {
            return Some(exact);
        }
        let unique = |key: &dyn Fn(&str) -> String| {
            let wanted = key(candidate);
            let mut found = self.slugs.iter().filter(|s| key(s) == wanted);
            match (found.next(), found.next()) {
                (Some(one), None) => Some(one.as_str()),
                _ => None,
            }
        };
        unique(&|s| file_part(s).to_string()).or_else(|| unique(&|s| loose_name(file_part(s))))
    }
}

fn file_part(slug: &str) -> &str {
    slug.rsplit('/').next().unwrap_or(slug)
}

fn loose_name(name: &str) -> String {
    let name = name.strip_prefix("runbook-").unwrap_or(name);
    name.strip_suffix("-runbook").unwrap_or(name).to_string()
}

/// Classifies `href` as written in the runbook at `from` (a path relative to the runbooks
/// folder). With `known`, links to runbooks the site lacks become [`LinkTarget::MissingRunbook`].
pub fn classify(href: &str, from: &str, known: Option<&KnownRunbooks>) -> LinkTarget {
    let href = href.trim();
    // `[text]()`: a link to this very page, as CommonMark has it.
    if href.is_empty() {
        return LinkTarget::Anchor(String::new());
    }
    if let Some(anchor) = href.strip_prefix('#') {
        return LinkTarget::Anchor(percent_decode(anchor));
    }
    if href.starts_with("//") {
        return LinkTarget::External(format!("https:{href}"));
    }
    if let Some(scheme) = scheme_of(href) {
        return match scheme.to_ascii_lowercase().as_str() {
            "http" | "https" | "mailto" | "tel" => LinkTarget::External(href.to_string()),
            _ => LinkTarget::Unsafe { href: href.to_string() },
        };
    }
    let (path, anchor) = match href.split_once('#') {
        Some((path, anchor)) => (path, Some(percent_decode(anchor))),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let Some(resolved) = resolve_path(from, &percent_decode(path)) else {
        return LinkTarget::MissingRunbook { href: href.to_string() };
    };
    if !is_markdown(&resolved.path) {
        return if resolved.escapes_root {
            LinkTarget::MissingRunbook { href: href.to_string() }
        } else {
            LinkTarget::File { path: resolved.path }
        };
    }
    let candidate = runbook_slug(&resolved.path);
    match known {
        None => LinkTarget::Runbook { slug: candidate, anchor },
        Some(known) => match known.resolve(&candidate) {
            Some(slug) => LinkTarget::Runbook { slug: slug.to_string(), anchor },
            None => LinkTarget::MissingRunbook { href: href.to_string() },
        },
    }
}

fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// The scheme of an absolute URL (`https` in `https://x`), if `href` has one.
fn scheme_of(href: &str) -> Option<&str> {
    let (scheme, _) = href.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next()?.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then_some(scheme)
}

struct ResolvedPath {
    /// Normalised, relative to the runbooks folder, `..` that escaped it removed.
    path: String,
    escapes_root: bool,
}

fn resolve_path(from: &str, path: &str) -> Option<ResolvedPath> {
    if path.is_empty() {
        return None;
    }
    let mut segments: Vec<&str> = Vec::new();
    if !path.starts_with('/') {
        segments.extend(from.split('/').filter(|s| !s.is_empty()));
        segments.pop(); // the file itself
    }
    let mut escapes_root = false;
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => escapes_root |= segments.pop().is_none(),
            other => segments.push(other),
        }
    }
    (!segments.is_empty()).then(|| ResolvedPath { path: segments.join("/"), escapes_root })
}

/// Decodes `%XX` escapes, as in a URL fragment; invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> KnownRunbooks {
        KnownRunbooks::new(["incident-response", "database-issues", "db/failover"].map(String::from))
    }

    #[test]
    fn links_leaving_the_runbooks_folder_resolve_by_file_name() {
        let target = classify("../RUNBOOK_DATABASE_ISSUES.md#replica-lag", "incident-response.md", Some(&known()));
        assert_eq!(target, LinkTarget::Runbook { slug: "database-issues".into(), anchor: Some("replica-lag".into()) });
    }

    #[test]
    fn links_to_runbooks_the_site_lacks_are_missing() {
        let target = classify("../RUNBOOK_DEPLOYMENT.md", "incident-response.md", Some(&known()));
        assert_eq!(target, LinkTarget::MissingRunbook { href: "../RUNBOOK_DEPLOYMENT.md".into() });
    }

    #[test]
    fn relative_links_resolve_within_folders() {
        assert_eq!(
            classify("failover.md", "db/replicas.md", Some(&known())),
            LinkTarget::Runbook { slug: "db/failover".into(), anchor: None }
        );
        assert_eq!(
            classify("../incident-response.md#escalation-matrix", "db/replicas.md", Some(&known())),
            LinkTarget::Runbook { slug: "incident-response".into(), anchor: Some("escalation-matrix".into()) }
        );
    }

    #[test]
    fn only_safe_schemes_leave_the_site() {
        assert_eq!(classify("https://x.io/a", "a.md", None), LinkTarget::External("https://x.io/a".into()));
        assert_eq!(classify("mailto:oncall@x.io", "a.md", None), LinkTarget::External("mailto:oncall@x.io".into()));
        assert_eq!(
            classify("JavaScript:alert(1)", "a.md", None),
            LinkTarget::Unsafe { href: "JavaScript:alert(1)".into() }
        );
        assert_eq!(classify("data:text/html,x", "a.md", None), LinkTarget::Unsafe { href: "data:text/html,x".into() });
    }

    #[test]
    fn anchors_and_files_are_told_apart() {
        assert_eq!(classify("#escalation-matrix", "a.md", None), LinkTarget::Anchor("escalation-matrix".into()));
        assert_eq!(
            classify("scripts/restart%20all.sh", "a.md", None),
            LinkTarget::File { path: "scripts/restart all.sh".into() }
        );
        assert_eq!(
            classify("../../etc/passwd", "a.md", None),
            LinkTarget::MissingRunbook { href: "../../etc/passwd".into() }
        );
    }
}
