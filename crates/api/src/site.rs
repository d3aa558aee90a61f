//! Addresses in the runbook site that the probe links to (status page, alerts) and the site
//! itself uses: one definition, so a link from an alert lands where the site serves the page.

/// A runbook's address in the site, optionally at a heading: `/r/<slug>/#<anchor>`.
/// The trailing slash is the address static hosts serve `r/<slug>/index.html` at without a
/// redirect (Cloudflare Pages, Netlify, nginx and `python -m http.server` all redirect
/// `/r/<slug>` there), so every link the site or an alert makes lands in one request.
pub fn runbook_path(slug: &str, anchor: Option<&str>) -> String {
    match anchor.filter(|a| !a.is_empty()) {
        Some(anchor) => format!("/r/{slug}/#{anchor}"),
        None => format!("/r/{slug}/"),
    }
}

/// The full address of an endpoint's runbook section, from the site's URL and the
/// endpoint's `runbook = "slug#anchor"` setting.
pub fn runbook_url(site_url: &str, link: &str) -> String {
    let (slug, anchor) = link.split_once('#').unwrap_or((link, ""));
    format!("{}{}", site_url.trim_end_matches('/'), runbook_path(slug, Some(anchor)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runbook_paths_end_in_the_slash_static_hosts_serve_directories_at() {
        assert_eq!(runbook_path("incident-response", None), "/r/incident-response/");
        assert_eq!(runbook_path("db/fail-over", Some("steps")), "/r/db/fail-over/#steps");
        assert_eq!(runbook_path("db/fail-over", Some("")), "/r/db/fail-over/");
    }

    #[test]
    fn runbook_urls_join_the_site_and_the_endpoint_setting() {
        assert_eq!(
            runbook_url("https://runbooks.example.com/", "incident-response#complete-service-outage-sev1"),
            "https://runbooks.example.com/r/incident-response/#complete-service-outage-sev1"
        );
        assert_eq!(runbook_url("https://runbooks.example.com", "db"), "https://runbooks.example.com/r/db/");
    }
}
