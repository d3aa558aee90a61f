//! `[deploy]`: where `cargo xtask deploy` sends the site and the probe, and the addresses
//! they will answer at. Each name is checked here as Cloudflare takes it; whether `[site]`
//! agrees with these addresses is `deploy_check`'s question, asked before anything is sent.

use toml::Spanned;

use crate::errors::Errors;
use crate::probe_api::is_dns_name;
use crate::raw::RawDeploy;

/// The names used when `[deploy]` leaves them out.
pub const DEFAULT_PAGES_PROJECT: &str = "outpost";
pub const DEFAULT_WORKER: &str = "outpost-probe";

/// Pages project names become `<name>.pages.dev`: the dashboard takes at most 58 characters
/// (the API documents only the characters), leaving room in the 63 of a DNS label for the
/// suffix Cloudflare adds when a name is taken.
const MAX_PAGES_PROJECT: usize = 58;
/// A Worker's name is one DNS label of `<name>.<subdomain>.workers.dev`.
const MAX_WORKER: usize = 63;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deploy {
    /// The Cloudflare Pages project the site is deployed to (`wrangler pages deploy`).
    pub pages_project: String,
    /// The edge probe's Worker name (`wrangler deploy --name`).
    pub worker: String,
    /// The account, when the API token sees several (else `CLOUDFLARE_ACCOUNT_ID`).
    pub account_id: Option<String>,
    /// A custom domain added to the Pages project, such as `runbooks.example.com`.
    pub site_domain: Option<String>,
    /// A custom domain the Worker is deployed to (`wrangler deploy --domain`).
    pub probe_domain: Option<String>,
    pub line: u32,
}

impl Deploy {
    /// The defaults, for a config that has no `[deploy]` yet.
    pub fn named_by_default() -> Deploy {
        Deploy {
            pages_project: DEFAULT_PAGES_PROJECT.into(),
            worker: DEFAULT_WORKER.into(),
            account_id: None,
            site_domain: None,
            probe_domain: None,
            line: 0,
        }
    }

    /// Whether `host` is the Pages project's own address: `<project>.pages.dev`, or
    /// `<project>-<suffix>.pages.dev` when Cloudflare found the name taken.
    pub fn is_pages_host(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let Some(label) = host.strip_suffix(".pages.dev") else { return false };
        label == self.pages_project
            || label.strip_prefix(&format!("{}-", self.pages_project)).is_some_and(|suffix| {
                !suffix.is_empty() && suffix.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            })
    }

    /// The addresses the site answers at once deployed.
    pub fn site_origins(&self) -> Vec<String> {
        let mut origins = vec![format!("https://{}.pages.dev", self.pages_project)];
        origins.extend(self.site_domain.iter().map(|domain| format!("https://{domain}")));
        origins
    }

    /// Whether `host` is one the Worker answers at: its custom domain, or its own
    /// `<worker>.<account subdomain>.workers.dev` (the subdomain is the account's, so any one
    /// label is taken).
    pub fn is_probe_host(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        if self.probe_domain.as_deref() == Some(host.as_str()) {
            return true;
        }
        let Some(rest) = host.strip_prefix(&format!("{}.", self.worker)) else { return false };
        rest.strip_suffix(".workers.dev").is_some_and(|sub| !sub.is_empty() && !sub.contains('.'))
    }
}

/// `[deploy]` checked: each name as Cloudflare takes it, defaults for what is left out.
pub(crate) fn validate(raw: Spanned<RawDeploy>, errors: &mut Errors) -> Deploy {
    let line = errors.line(raw.span());
    let raw = raw.into_inner();
    let pages_project = name(raw.pages_project, "pages_project", MAX_PAGES_PROJECT, DEFAULT_PAGES_PROJECT, errors);
    let worker = name(raw.worker, "worker", MAX_WORKER, DEFAULT_WORKER, errors);
    let account_id = raw.account_id.and_then(|written| {
        let id = written.get_ref().trim();
        if id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()) {
            Some(id.to_ascii_lowercase())
        } else {
            errors.add(
                written.span(),
                format!(
                    "[deploy] account_id {id:?} is not an account ID: it is 32 hexadecimal digits, shown on the \
                     dashboard's Workers & Pages overview (or leave it out and set CLOUDFLARE_ACCOUNT_ID)"
                ),
            );
            None
        }
    });
    let site_domain = raw.site_domain.and_then(|d| domain(d, "site_domain", errors));
    let probe_span = raw.probe_domain.as_ref().map(Spanned::span);
    let mut probe_domain = raw.probe_domain.and_then(|d| domain(d, "probe_domain", errors));
    if let (Some(span), true) = (probe_span, site_domain.is_some() && site_domain == probe_domain) {
        errors.add(span, "[deploy] probe_domain is the site's domain: the probe needs a host name of its own".into());
        probe_domain = None;
    }
    Deploy { pages_project, worker, account_id, site_domain, probe_domain, line }
}

/// A project or Worker name: lowercase letters, digits and inner dashes.
fn name(written: Option<Spanned<String>>, key: &str, max: usize, default: &str, errors: &mut Errors) -> String {
    let Some(written) = written else { return default.to_string() };
    let text = written.get_ref();
    let fine = (1..=max).contains(&text.len())
        && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.starts_with('-')
        && !text.ends_with('-');
    if fine {
        return text.clone();
    }
    errors.add(
        written.span(),
        format!(
            "[deploy] {key} {text:?}: Cloudflare takes 1 to {max} lowercase letters, digits and dashes \
             (not first or last), such as {default:?}"
        ),
    );
    default.to_string()
}

/// A host name only: `runbooks.example.com`, not an address.
fn domain(written: Spanned<String>, key: &str, errors: &mut Errors) -> Option<String> {
    let text = written.get_ref().trim();
    let why = if text.contains("://") || text.contains('/') {
        Some("write the host name only, such as \"runbooks.example.com\" (no https://, no path)")
    } else if !text.contains('.') || !is_dns_name(text) || text.chars().any(|c| c.is_ascii_uppercase()) {
        Some("it is not a lowercase host name, such as \"runbooks.example.com\"")
    } else if text.ends_with(".workers.dev") || text.ends_with(".pages.dev") {
        Some("it is Cloudflare's own address, used anyway: name only a domain of yours, or leave it out")
    } else {
        None
    };
    match why {
        None => Some(text.to_string()),
        Some(why) => {
            errors.add(written.span(), format!("[deploy] {key} {text:?}: {why}"));
            None
        }
    }
}
