//! Addresses in the runbook site that the probe links to (status page, alerts) and the site
//! itself uses: one definition, so a link from an alert lands where the site serves the page.

use std::collections::BTreeMap;

use crate::outage::OutageLink;
use crate::percent::encode;

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

/// The runbook a site path is the page of (`/r/<slug>/`, also without the slash), the
/// inverse of [`runbook_path`]; `None` for any other page.
pub fn runbook_slug(path: &str) -> Option<String> {
    let slug = path.strip_prefix("/r/")?.trim_end_matches('/');
    (!slug.is_empty()).then(|| slug.to_string())
}

/// An endpoint's `runbook = "slug#anchor"` setting as `(slug, anchor)`; the anchor may be
/// empty.
pub fn split_link(link: &str) -> (&str, &str) {
    link.split_once('#').unwrap_or((link, ""))
}

/// The full address of an endpoint's runbook section, from the site's URL and the
/// endpoint's `runbook = "slug#anchor"` setting.
pub fn runbook_url(site_url: &str, link: &str) -> String {
    outage_url(site_url, link, &BTreeMap::new(), None)
}

/// The same address with the endpoint's host values (`?FRONTEND_HOST=…`) and, when it is in
/// trouble, the outage (`&outage=…`): the site opens the section with the commands filled in
/// and offers to start the incident from the outage.
pub fn outage_url(site_url: &str, link: &str, hosts: &BTreeMap<String, String>, outage: Option<&OutageLink>) -> String {
    let (slug, anchor) = split_link(link);
    let mut query: Vec<String> =
        hosts.iter().map(|(name, value)| format!("{}={}", encode(name), encode(value))).collect();
    query.extend(outage.map(OutageLink::to_query));
    let mut url = format!("{}{}", site_url.trim_end_matches('/'), runbook_path(slug, None));
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    if !anchor.is_empty() {
        url.push('#');
        url.push_str(anchor);
    }
    url
}

#[cfg(test)]
mod tests {
    #[test]
    fn runbook_slug_reads_back_the_path_of_a_runbook_and_nothing_else() {
        assert_eq!(runbook_slug(&runbook_path("db/failover", None)).as_deref(), Some("db/failover"));
        assert_eq!(runbook_slug("/r/deploy").as_deref(), Some("deploy"));
        for other in ["/", "/r/", "/r//", "/i/abc", "/s", "/rr/x/"] {
            assert_eq!(runbook_slug(other), None, "{other}");
        }
    }

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

    #[test]
    fn an_outage_url_carries_the_hosts_and_the_outage_before_the_section() {
        let hosts = BTreeMap::from([("FRONTEND_HOST".to_string(), "aragora.live".to_string())]);
        let outage = OutageLink {
            endpoint: "frontend".into(),
            state: crate::outage::OutageState::Regional,
            onset: 1_764_387_060,
            declared: 1_764_387_080,
            regions: vec!["apac".into()],
            cause: "timed out".into(),
        };
        assert_eq!(
            outage_url(
                "https://runbooks.example.com/",
                "incident-response#complete-service-outage-sev1",
                &hosts,
                Some(&outage)
            ),
            "https://runbooks.example.com/r/incident-response/?FRONTEND_HOST=aragora.live\
             &outage=1~frontend~regional~1764387060~1764387080~apac~timed%20out#complete-service-outage-sev1"
        );
        assert_eq!(outage_url("", "db", &BTreeMap::new(), None), "/r/db/");
    }
}
