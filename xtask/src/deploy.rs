//! `cargo xtask deploy [--dry-run] [--config PATH]`: the site to Cloudflare Pages and the
//! probe to Workers, with the names in outpost.toml's `[deploy]`. Everything that can be
//! checked is checked before anything is sent: the config as deployed (`config::deploy_check`),
//! the account (`deploy_account`), the built site against Pages' limits (`pages_limits`) and
//! the Worker bundle (`wrangler deploy --dry-run`). `--dry-run` does all of it that needs no
//! account, and is what the tests run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use config::deploy::Deploy;
use config::deploy_check::{readiness, secrets_named, NamedSecret};

use crate::deploy_account::wrangler_for;
use crate::process::{self, root, step};
use crate::{deploy_account, pages_limits};

/// The Worker's size after compression on the Free plan (Workers limits: 3 MB).
const MAX_WORKER_GZIP_BYTES: u64 = 3 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub dry_run: bool,
    /// `--if-configured`: a config with no `[deploy]` section is not set up for deploying,
    /// and that is fine (the workflow on a fork that has not named its deployment yet).
    pub if_configured: bool,
    /// outpost.toml, or another file to check (`--config`, dry runs only: the probe is
    /// always built with the repository's outpost.toml).
    pub config: PathBuf,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options { dry_run: false, if_configured: false, config: root().join("outpost.toml") };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--dry-run" => options.dry_run = true,
                "--if-configured" => options.if_configured = true,
                "--config" => options.config = args.next().map(PathBuf::from).ok_or("--config needs a file")?,
                other => {
                    return Err(format!("unknown option {other:?}: use --dry-run, --if-configured and --config PATH"))
                }
            }
        }
        if !options.dry_run && options.config != root().join("outpost.toml") {
            return Err("--config is for dry runs: a deploy sends outpost.toml, which the probe is built with".into());
        }
        Ok(options)
    }
}

pub fn run(options: &Options) -> Result<(), String> {
    step(&format!("checking {} for deployment", shown(&options.config)));
    let text = std::fs::read_to_string(&options.config).map_err(|e| format!("{}: {e}", options.config.display()))?;
    let (config, errors) = config::parse_config(&text);
    // A mistyped key drops the whole [deploy] table: that is a mistake, not "not configured".
    if options.if_configured && config.deploy.is_none() && errors.is_empty() {
        println!(
            "{} has no [deploy] section, so there is nothing to deploy yet (README.md, \"Deploy\")",
            shown(&options.config)
        );
        return Ok(());
    }
    let ready = readiness(&config);
    let mut missing: Vec<String> = errors.iter().map(ToString::to_string).collect();
    missing.extend(ready.missing);
    if !missing.is_empty() {
        return Err(numbered("before deploying, fix", &missing));
    }
    for warning in &ready.warnings {
        println!("note: {warning}");
    }
    let deploy = config.deploy.clone().expect("readiness asks for [deploy]");
    let secrets = secrets_named(&config);
    let probe_api = config.probe_api.clone();

    let account = if options.dry_run {
        None
    } else {
        // wrangler comes with the npm packages.
        crate::tools::ensure_npm_packages()?;
        step("checking the Cloudflare account (wrangler whoami, secret list, pages project list)");
        let account = deploy_account::check(&deploy, &secrets, probe_api.is_some(), config.site_url.as_deref())?;
        if !account.missing.is_empty() {
            return Err(numbered("before deploying, set", &account.missing));
        }
        account.notes.iter().for_each(|note| println!("note: {note}"));
        Some(account)
    };

    let (dist, _bundle) = crate::build_all()?;
    let site = if options.config == root().join("outpost.toml") { dist } else { site_for(&dist, &options.config)? };
    step("checking the site against Cloudflare Pages' limits");
    let (measured, mut problems) = pages_limits::check(&site)?;
    problems.extend(policy_problem(&site, probe_api.as_deref()));
    if !problems.is_empty() {
        return Err(numbered("the site cannot be deployed to Pages as built", &problems));
    }
    let worker = match &probe_api {
        Some(_) => Some(bundle_checked(&deploy)?),
        None => None,
    };
    print!("{}", plan(&deploy, &secrets, &measured, worker, probe_api.as_deref(), options.dry_run));
    let Some(account) = account else {
        println!("\ndry run: nothing was sent. `cargo xtask deploy` sends it.");
        return Ok(());
    };
    send(&deploy, &site, probe_api.as_deref(), config.site_url.as_deref(), account.project.is_none())
}

/// The site as the checked config would build it: `dist/` finished with its probe address.
fn site_for(dist: &Path, config: &Path) -> Result<PathBuf, String> {
    let copy = root().join("target/dist-deploy");
    let _ = std::fs::remove_dir_all(&copy);
    crate::app::copy_dir(dist, &copy)?;
    crate::dist::finish(&copy, &crate::dist::ProbeSettings::read(config, false)?)?;
    Ok(copy)
}

/// The site must be allowed to read the probe: `_headers`' policy names its origin.
fn policy_problem(site: &Path, probe_api: Option<&str>) -> Option<String> {
    let api = probe_api?;
    let origin = api.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    let headers = std::fs::read_to_string(site.join("_headers")).unwrap_or_default();
    let Some(policy) = headers.lines().find(|l| l.trim_start().starts_with("Content-Security-Policy:")) else {
        return Some("_headers has no Content-Security-Policy: was the site built by `cargo xtask build`?".into());
    };
    (!policy.split([' ', ';']).any(|source| source == origin)).then(|| {
        format!("_headers' Content-Security-Policy does not name the probe ({origin}): the site could not read it")
    })
}

/// `wrangler deploy --dry-run`: the bundle as it would be uploaded, held to the Free plan.
fn bundle_checked(deploy: &Deploy) -> Result<(u64, u64), String> {
    step("checking the probe's bundle (wrangler deploy --dry-run)");
    let outdir = root().join("target/deploy-worker");
    let _ = std::fs::remove_dir_all(&outdir);
    let mut command = wrangler_for(deploy);
    command.args(["deploy", "--dry-run", "--name", &deploy.worker]).arg("--outdir").arg(&outdir);
    if let Some(domain) = &deploy.probe_domain {
        command.args(["--domain", domain]);
    }
    process::run(&mut command)?;
    let (mut raw, mut gzip) = (0, 0);
    for entry in std::fs::read_dir(&outdir).map_err(|e| format!("{}: {e}", outdir.display()))?.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.ends_with(".js") || name.ends_with(".wasm") {
            let bytes = std::fs::read(entry.path()).map_err(|e| e.to_string())?;
            raw += bytes.len() as u64;
            gzip += crate::bench::gzip(&bytes) as u64;
        }
    }
    if gzip > MAX_WORKER_GZIP_BYTES {
        return Err(format!("the probe is {} KiB compressed, past the Free plan's 3 MiB", gzip / 1024));
    }
    Ok((raw, gzip))
}

/// What will be (or would be) sent, and where it will answer.
fn plan(
    deploy: &Deploy,
    secrets: &[NamedSecret],
    site: &pages_limits::Site,
    worker: Option<(u64, u64)>,
    probe_api: Option<&str>,
    dry_run: bool,
) -> String {
    let mut out = String::new();
    let verb = if dry_run { "would deploy" } else { "deploys" };
    writeln!(out, "\nThis {verb}:").unwrap();
    if let Some((raw, gzip)) = worker {
        writeln!(out, "  1. the probe: Worker {:?}, at {}", deploy.worker, probe_api.unwrap_or_default()).unwrap();
        writeln!(out, "     {} KiB, {} KiB compressed (the Free plan takes 3 MiB)", raw / 1024, gzip / 1024).unwrap();
        writeln!(out, "     with these secrets (checked with `wrangler secret list` before sending):").unwrap();
        for secret in secrets {
            let optional = if secret.required { "" } else { "optional: " };
            writeln!(out, "       {:<20} {optional}{}", secret.name, secret.used_by.join(", ")).unwrap();
        }
    }
    let number = if worker.is_some() { 2 } else { 1 };
    writeln!(
        out,
        "  {number}. the site: Pages project {:?}, at {}",
        deploy.pages_project,
        deploy.site_origins().join(" and ")
    )
    .unwrap();
    writeln!(
        out,
        "     {} files, {:.1} MiB; _headers {} of {} rules; _redirects {} static and {} dynamic",
        site.files,
        site.bytes as f64 / 1_048_576.0,
        site.header_rules,
        pages_limits::MAX_HEADER_RULES,
        site.redirects.0,
        site.redirects.1
    )
    .unwrap();
    if let Some(api) = probe_api {
        writeln!(out, "     reading the probe at {api} (named in its Content-Security-Policy)").unwrap();
    }
    out
}

/// The Pages project first when it is new (its address is only known once Cloudflare has
/// given it), then the probe (the site reads it), then the site, to production.
fn send(
    deploy: &Deploy,
    site: &Path,
    probe_api: Option<&str>,
    url: Option<&str>,
    create_project: bool,
) -> Result<(), String> {
    if create_project {
        step(&format!("creating the Pages project {:?}", deploy.pages_project));
        process::run(wrangler_for(deploy).args([
            "pages",
            "project",
            "create",
            &deploy.pages_project,
            "--production-branch",
            PRODUCTION_BRANCH,
        ]))?;
        let created = deploy_account::projects(deploy)?.into_iter().find(|p| p.name == deploy.pages_project);
        let problem =
            created.as_ref().zip(url).and_then(|(project, url)| deploy_account::url_problem(deploy, project, url));
        if let Some(problem) = problem {
            return Err(format!("{problem}, then deploy again (the project was created; nothing else was sent)"));
        }
    }
    let record = root().join("target/deploy-output.ndjson");
    if let Some(api) = probe_api {
        step(&format!("deploying the probe (wrangler deploy --name {})", deploy.worker));
        let _ = std::fs::remove_file(&record);
        let mut command = wrangler_for(deploy);
        command.args(["deploy", "--name", &deploy.worker]).env("WRANGLER_OUTPUT_FILE_PATH", &record);
        if let Some(domain) = &deploy.probe_domain {
            command.args(["--domain", domain]);
        }
        process::run(&mut command)?;
        // A mistyped workers.dev subdomain passes every check before: wrangler says where the
        // Worker answers, and the site is not sent pointing elsewhere.
        let targets = std::fs::read_to_string(&record).map(|text| deploy_account::deployed_targets(&text));
        match targets.ok().filter(|t| !t.is_empty()) {
            Some(targets) if !deploy_account::answers_at(&targets, api) => {
                return Err(format!(
                    "the probe is deployed and answers at {}, but [site] probe_api is {api}: set probe_api to one \
                     of those, then deploy again (the site was not sent)",
                    targets.join(", ")
                ))
            }
            Some(_) => {}
            None => println!("warning: wrangler did not say where the probe answers: check that {api} is its address"),
        }
    }
    step(&format!("deploying the site (wrangler pages deploy --project-name {})", deploy.pages_project));
    let _ = std::fs::remove_file(&record);
    let mut command = wrangler_for(deploy);
    command.args(["pages", "deploy"]).arg(site).env("WRANGLER_OUTPUT_FILE_PATH", &record).args([
        "--project-name",
        &deploy.pages_project,
        "--branch",
        PRODUCTION_BRANCH,
        "--commit-dirty=true",
    ]);
    process::run(&mut command)?;
    // A project made elsewhere may have another production branch: then this was a preview.
    let went = std::fs::read_to_string(&record).ok().and_then(|text| deploy_account::pages_environment(&text));
    if let Some((environment, branch)) = went.filter(|(environment, _)| environment != "production") {
        return Err(format!(
            "the site went to a {environment}, not to production: the Pages project's production branch is {branch:?}; \
             set it to {PRODUCTION_BRANCH:?} on the dashboard (the project → Settings → Builds & deployments), then \
             deploy again"
        ));
    }
    let addresses = deploy_account::projects(deploy)
        .ok()
        .and_then(|all| all.into_iter().find(|p| p.name == deploy.pages_project))
        .map_or_else(|| deploy.site_origins(), |p| p.domains.iter().map(|d| format!("https://{d}")).collect());
    println!("\ndeployed: the site at {}", addresses.join(" and "));
    Ok(())
}

/// The branch a deploy goes to, whichever branch it is run from: the production branch of
/// the Pages project `cargo xtask deploy` creates (another would be a preview).
const PRODUCTION_BRANCH: &str = "main";

fn numbered(title: &str, items: &[String]) -> String {
    let list: Vec<String> = items.iter().enumerate().map(|(i, item)| format!("  {}. {item}", i + 1)).collect();
    format!("{title}:\n{}", list.join("\n"))
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn another_config_is_only_for_a_dry_run() {
        assert!(parse(&["--dry-run", "--config", "x.toml"]).is_ok());
        assert!(parse(&["--config", "x.toml"]).unwrap_err().contains("for dry runs"));
        assert!(parse(&["--dryrun"]).unwrap_err().contains("unknown option"));
        assert_eq!(
            parse(&[]).unwrap(),
            Options { dry_run: false, if_configured: false, config: root().join("outpost.toml") }
        );
        assert!(parse(&["--if-configured"]).unwrap().if_configured);
    }

    #[test]
    fn the_policy_check_finds_the_probes_origin_among_the_sources() {
        let dir = std::env::temp_dir().join(format!("outpost-policy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let policy = "/*\n  Content-Security-Policy: default-src 'self'; connect-src 'self' https://p.example.workers.dev wss://p.example.workers.dev; img-src 'self'\n";
        std::fs::write(dir.join("_headers"), policy).unwrap();
        assert_eq!(policy_problem(&dir, Some("https://p.example.workers.dev")), None);
        assert_eq!(policy_problem(&dir, Some("https://p.example.workers.dev/api")), None);
        assert!(policy_problem(&dir, Some("https://p.example.workers")).unwrap().contains("does not name the probe"));
        assert_eq!(policy_problem(&dir, None), None);
        std::fs::write(dir.join("_headers"), "/*\n  X-Frame-Options: DENY\n").unwrap();
        assert!(policy_problem(&dir, Some("https://p.example.workers.dev"))
            .unwrap()
            .contains("no Content-Security-Policy"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
