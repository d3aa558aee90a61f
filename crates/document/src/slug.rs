//! Names for URLs: heading anchors and runbook routes.

use std::collections::HashMap;

/// A heading anchor as GitHub makes it, so links written for GitHub keep working:
/// lowercase, punctuation dropped, each space a hyphen.
/// `1. Detection & Triage (0-5 minutes)` → `1-detection--triage-0-5-minutes`.
pub fn heading_anchor(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Gives repeated anchors a `-1`, `-2`… suffix, as GitHub does.
#[derive(Debug, Default)]
pub struct AnchorSet {
    seen: HashMap<String, usize>,
}

impl AnchorSet {
    pub fn unique(&mut self, anchor: String) -> String {
        let anchor = if anchor.is_empty() { "section".to_string() } else { anchor };
        let mut candidate = anchor.clone();
        if self.seen.contains_key(&candidate) {
            let mut count = self.seen[&anchor];
            while self.seen.contains_key(&candidate) {
                count += 1;
                candidate = format!("{anchor}-{count}");
            }
            self.seen.insert(anchor, count);
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

/// The route name of a runbook from its path under `runbooks/`:
/// `incident-response.md` → `incident-response`, `db/RUNBOOK_FAILOVER.md` → `db/runbook-failover`.
pub fn runbook_slug(relative_path: &str) -> String {
    let without_ext =
        relative_path.strip_suffix(".md").or_else(|| relative_path.strip_suffix(".markdown")).unwrap_or(relative_path);
    without_ext.split(['/', '\\']).filter(|s| !s.is_empty()).map(slug_segment).collect::<Vec<_>>().join("/")
}

fn slug_segment(segment: &str) -> String {
    let mut slug = String::with_capacity(segment.len());
    for c in segment.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_anchors_match_github() {
        assert_eq!(heading_anchor("1. Detection & Triage (0-5 minutes)"), "1-detection--triage-0-5-minutes");
        assert_eq!(heading_anchor("Complete Service Outage (SEV1)"), "complete-service-outage-sev1");
        assert_eq!(heading_anchor("Useful Commands Cheat Sheet"), "useful-commands-cheat-sheet");
        assert_eq!(heading_anchor("Über `curl` -- tips_2"), "über-curl----tips_2");
    }

    #[test]
    fn repeated_anchors_get_numbered_suffixes() {
        let mut set = AnchorSet::default();
        assert_eq!(set.unique("summary".into()), "summary");
        assert_eq!(set.unique("summary".into()), "summary-1");
        assert_eq!(set.unique("summary".into()), "summary-2");
        assert_eq!(set.unique("summary-1".into()), "summary-1-1");
        assert_eq!(set.unique(String::new()), "section");
    }

    #[test]
    fn runbook_slugs_come_from_file_paths() {
        assert_eq!(runbook_slug("incident-response.md"), "incident-response");
        assert_eq!(runbook_slug("RUNBOOK_DATABASE_ISSUES.md"), "runbook-database-issues");
        assert_eq!(runbook_slug("db/Fail Over!.md"), "db/fail-over");
    }
}
