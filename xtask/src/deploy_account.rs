//! What `cargo xtask deploy` asks the Cloudflare account before sending anything: who is
//! logged in, which Worker secrets exist, which Pages projects (and their domains) exist.
//! The answers are wrangler's own JSON, read by the small parsers below.

use config::deploy::Deploy;
use config::deploy_check::NamedSecret;

use crate::worker::wrangler;

/// wrangler for this deploy's account: `[deploy] account_id` when written, else
/// `CLOUDFLARE_ACCOUNT_ID` or the only account the token sees.
pub fn wrangler_for(deploy: &Deploy) -> std::process::Command {
    let mut command = wrangler();
    if let Some(id) = &deploy.account_id {
        command.env("CLOUDFLARE_ACCOUNT_ID", id);
    }
    command
}

/// A Pages project as `wrangler pages project list --json` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagesProject {
    pub name: String,
    pub domains: Vec<String>,
}

/// What the account has, and what it still needs before this deploy can work.
#[derive(Debug, Default)]
pub struct Account {
    pub project: Option<PagesProject>,
    pub missing: Vec<String>,
    pub notes: Vec<String>,
}

/// Logged in (a token or `wrangler login`), every required secret set, `[site] url` one of
/// the project's addresses, its custom domain attached.
pub fn check(deploy: &Deploy, secrets: &[NamedSecret], with_probe: bool, url: Option<&str>) -> Result<Account, String> {
    let mut account = Account::default();
    let who = answer(wrangler_for(deploy).arg("whoami"))?;
    if who.contains("not authenticated") {
        return Err("not logged in to Cloudflare: set CLOUDFLARE_API_TOKEN (a token with \"Workers Scripts: Edit\" \
                    and \"Cloudflare Pages: Edit\") or run `npx wrangler login`"
            .into());
    }
    if with_probe {
        let listed =
            answer(wrangler_for(deploy).args(["secret", "list", "--format", "json", "--name", &deploy.worker]));
        let existing = match listed {
            Ok(json) => secret_names(&json)?,
            // A first deploy: the Worker does not exist yet, so neither do its secrets.
            Err(why) if why.contains(&format!("Worker \"{}\"", deploy.worker)) && why.contains("not found") => {
                Vec::new()
            }
            Err(why) => return Err(why),
        };
        for secret in secrets.iter().filter(|s| !existing.contains(&s.name)) {
            let prefix =
                deploy.account_id.as_ref().map(|id| format!("CLOUDFLARE_ACCOUNT_ID={id} ")).unwrap_or_default();
            let command = format!("{prefix}npx wrangler secret put {} --name {}", secret.name, deploy.worker);
            let line = format!("{} is not set (read by {}): `{command}`", secret.name, secret.used_by.join(", "));
            if secret.required {
                account.missing.push(line);
            } else {
                account.notes.push(format!("optional secret {line}"));
            }
        }
    }
    let projects = projects(deploy)?;
    account.project = projects.into_iter().find(|p| p.name == deploy.pages_project);
    if let (Some(project), Some(url)) = (&account.project, url) {
        account.missing.extend(url_problem(deploy, project, url));
    }
    match (&account.project, &deploy.site_domain) {
        (None, _) => account.notes.push(format!(
            "the Pages project {:?} will be created first, and its address checked against [site] url before \
             anything else is sent",
            deploy.pages_project
        )),
        (Some(project), Some(domain)) if !project.domains.contains(domain) => account.notes.push(format!(
            "{domain} is not yet a custom domain of {:?}: add it on the dashboard (Workers & Pages → the project → \
             Custom domains), then it serves this deploy",
            project.name
        )),
        _ => {}
    }
    Ok(account)
}

/// Names from `wrangler secret list --format json`: `[{"name": "X", "type": "secret_text"}]`.
pub fn secret_names(json: &str) -> Result<Vec<String>, String> {
    let list: serde_json::Value = serde_json::from_str(json_part(json))
        .map_err(|e| format!("`wrangler secret list` answered what is not JSON ({e}): {json}"))?;
    let items = list.as_array().ok_or("`wrangler secret list` answered what is not a list")?;
    Ok(items.iter().filter_map(|item| item["name"].as_str().map(str::to_string)).collect())
}

/// Projects from `wrangler pages project list --json`: `"Project Domains"` is one string,
/// comma-separated.
pub fn pages_projects(json: &str) -> Result<Vec<PagesProject>, String> {
    let list: serde_json::Value = serde_json::from_str(json_part(json))
        .map_err(|e| format!("`wrangler pages project list` answered what is not JSON ({e})"))?;
    let items = list.as_array().ok_or("`wrangler pages project list` answered what is not a list")?;
    Ok(items
        .iter()
        .filter_map(|item| {
            let name = item["Project Name"].as_str()?.to_string();
            let domains = item["Project Domains"].as_str().unwrap_or_default();
            let domains = domains.split(',').map(str::trim).filter(|d| !d.is_empty()).map(str::to_string).collect();
            Some(PagesProject { name, domains })
        })
        .collect())
}

/// `[site] url` is not one of the project's addresses. Cloudflare names the project's
/// address after it, with a suffix when the name is taken elsewhere: the project's own list
/// of domains is the truth.
pub fn url_problem(deploy: &Deploy, project: &PagesProject, url: &str) -> Option<String> {
    let host = url.split_once("://").map_or(url, |(_, rest)| rest).split(['/', ':']).next().unwrap_or_default();
    if project.domains.iter().any(|domain| domain.eq_ignore_ascii_case(host)) {
        return None;
    }
    let answers = if project.domains.is_empty() {
        "which lists no address yet".to_string()
    } else {
        format!("which answers at {}", project.domains.join(", "))
    };
    let fix = if deploy.site_domain.as_deref().is_some_and(|domain| domain.eq_ignore_ascii_case(host)) {
        format!(
            "add {host} to the project on the dashboard (Workers & Pages → {} → Custom domains), or set url to its \
             pages.dev address until it is",
            project.name
        )
    } else {
        "set url to one of those".to_string()
    };
    Some(format!("[site] url {url:?} is not an address of the Pages project {:?}, {answers}: {fix}", project.name))
}

/// The projects of the account.
pub fn projects(deploy: &Deploy) -> Result<Vec<PagesProject>, String> {
    pages_projects(&answer(wrangler_for(deploy).args(["pages", "project", "list", "--json"]))?)
}

/// Where a Pages deploy went, from its `pages-deploy-detailed` record: (environment,
/// production branch), such as ("production", "main") or ("preview", "master").
pub fn pages_environment(ndjson: &str) -> Option<(String, String)> {
    ndjson.lines().filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok()).find_map(|entry| {
        (entry["type"] == "pages-deploy-detailed").then(|| {
            (
                entry["environment"].as_str().unwrap_or_default().to_string(),
                entry["production_branch"].as_str().unwrap_or_default().to_string(),
            )
        })
    })
}

/// Where a deployed Worker answers, from the `deploy` entry wrangler writes to
/// `WRANGLER_OUTPUT_FILE_PATH`: `https://<name>.<sub>.workers.dev`,
/// `status.example.com (custom domain)`, `schedule: * * * * *`.
pub fn deployed_targets(ndjson: &str) -> Vec<String> {
    ndjson
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|entry| entry["type"] == "deploy")
        .flat_map(|entry| {
            entry["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether `probe_api` is at one of the Worker's `targets`.
pub fn answers_at(targets: &[String], probe_api: &str) -> bool {
    let host = |address: &str| {
        let rest = address.split_once("://").map_or(address, |(_, rest)| rest);
        rest.split(['/', ' ', ':']).next().unwrap_or_default().to_ascii_lowercase()
    };
    let wanted = host(probe_api);
    targets.iter().any(|target| !target.starts_with("schedule:") && host(target) == wanted)
}

/// wrangler may print lines before its JSON (a "▲ [WARNING]"): from the line that opens a
/// list on.
fn json_part(text: &str) -> &str {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let rest = line.trim();
        if rest.starts_with('[') && matches!(rest[1..].trim_start().chars().next(), None | Some('{' | ']')) {
            return &text[offset..];
        }
        offset += line.len();
    }
    text
}

/// wrangler's output, or its own words on failure.
fn answer(command: &mut std::process::Command) -> Result<String, String> {
    let output = command.output().map_err(|e| format!("could not run wrangler: {e}"))?;
    let out = String::from_utf8_lossy(&output.stdout).to_string();
    if output.status.success() {
        return Ok(out);
    }
    let err = String::from_utf8_lossy(&output.stderr);
    Err(format!("wrangler failed: {}", format!("{err}\n{out}").trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_read_from_wranglers_json_even_after_a_warning_line() {
        let json = "▲ [WARNING] something\n[\n  {\"name\": \"HEALTH_TOKEN\", \"type\": \"secret_text\"},\n  {\"name\": \"UPDATES_TOKEN\", \"type\": \"secret_text\"}\n]";
        assert_eq!(secret_names(json).unwrap(), ["HEALTH_TOKEN", "UPDATES_TOKEN"]);
        assert_eq!(secret_names("[]").unwrap(), Vec::<String>::new());
        assert!(secret_names("You are not authenticated").unwrap_err().contains("not JSON"));
    }

    #[test]
    fn the_workers_addresses_are_read_from_wranglers_output_file_and_matched_by_host() {
        let ndjson = concat!(
            "{\"type\":\"wrangler-session\",\"version\":1}\n",
            "{\"type\":\"deploy\",\"version\":1,\"worker_name\":\"acme-probe\",\"targets\":[\"https://acme-probe.acme.workers.dev\",\"status.acme.example (custom domain)\",\"schedule: * * * * *\"]}\n",
            "not json\n"
        );
        let targets = deployed_targets(ndjson);
        assert_eq!(targets.len(), 3);
        assert!(answers_at(&targets, "https://acme-probe.acme.workers.dev"));
        assert!(answers_at(&targets, "https://STATUS.acme.example/api"));
        assert!(!answers_at(&targets, "https://acme-probe.acmee.workers.dev"), "a mistyped subdomain");
        assert!(!answers_at(&targets, "https://schedule"));
        assert_eq!(deployed_targets("{\"type\":\"deploy\"}"), Vec::<String>::new());
    }

    #[test]
    fn a_url_the_project_does_not_answer_at_is_named_with_the_fix() {
        let mut deploy = Deploy::named_by_default();
        deploy.pages_project = "acme".into();
        deploy.site_domain = Some("runbooks.acme.example".into());
        let taken = PagesProject { name: "acme".into(), domains: vec!["acme-7xq.pages.dev".into()] };
        let said = url_problem(&deploy, &taken, "https://acme.pages.dev").unwrap();
        assert!(said.contains("which answers at acme-7xq.pages.dev: set url to one of those"), "{said}");
        assert_eq!(url_problem(&deploy, &taken, "https://ACME-7xq.pages.dev/"), None);
        let unattached = url_problem(&deploy, &taken, "https://runbooks.acme.example").unwrap();
        assert!(unattached.contains("add runbooks.acme.example to the project on the dashboard"), "{unattached}");
        let empty = PagesProject { name: "acme".into(), domains: vec![] };
        assert!(url_problem(&deploy, &empty, "https://acme.pages.dev").unwrap().contains("lists no address yet"));
    }

    #[test]
    fn a_pages_deploy_says_whether_it_went_to_production() {
        let record = "{\"type\":\"wrangler-session\"}\n{\"type\":\"pages-deploy-detailed\",\"environment\":\"preview\",\"production_branch\":\"master\"}\n";
        assert_eq!(pages_environment(record), Some(("preview".into(), "master".into())));
        assert_eq!(pages_environment("{\"type\":\"deploy\"}\n"), None);
    }

    #[test]
    fn pages_projects_carry_their_domains_split_on_commas() {
        let json = r#"[{"Project Name": "acme-runbooks", "Project Domains": "acme-runbooks.pages.dev, runbooks.acme.example", "Git Provider": "No"},
                       {"Project Name": "blog", "Project Domains": ""}]"#;
        assert_eq!(
            pages_projects(json).unwrap(),
            [
                PagesProject {
                    name: "acme-runbooks".into(),
                    domains: vec!["acme-runbooks.pages.dev".into(), "runbooks.acme.example".into()]
                },
                PagesProject { name: "blog".into(), domains: vec![] },
            ]
        );
    }
}
