//! Finishing `dist/` after Trunk: what makes it a deployable, offline-capable static site.
//!
//! - Trunk's inline start-up script moves to a hashed file, so the Content Security Policy
//!   can forbid inline script.
//! - `sw.js` gets the list of files to precache and a version that changes with them.
//! - `_headers` (Cloudflare Pages format) sets the CSP, long caching for hashed files and no
//!   caching for the pages and the service worker.
//! - `_redirects` (Cloudflare Pages format) serves `404.html` with status 200 at the
//!   addresses the app draws itself (incidents, share links): without it Pages would answer
//!   them with status 404.
//! - With `[site] probe_api`, every page names the probe (`<meta name="outpost-probe-api">`
//!   and its endpoints), and the policy lets the site read exactly that origin.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::process::root;

/// Directives every page is served with. `wasm-unsafe-eval` lets WebAssembly compile;
/// nothing else runs but the site's own files.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' https: data:; connect-src 'self'{probe}; font-src 'self'; manifest-src 'self'; \
worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// What the site is told of the edge probe: `[site] probe_api` and the endpoint names.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ProbeSettings {
    pub api: Option<String>,
    pub endpoints: Vec<String>,
}

impl ProbeSettings {
    /// From an outpost.toml (its mistakes are reported by `worker::check_config`). A local
    /// config (the demo) may name loopback endpoints.
    pub fn read(path: &Path, local: bool) -> Result<ProbeSettings, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let (config, _) = config::parse_config_for(&text, config::Platform { local });
        Ok(ProbeSettings {
            api: config.probe_api.map(|api| api.trim().trim_end_matches('/').to_string()).filter(|a| !a.is_empty()),
            endpoints: config.endpoints.into_iter().map(|e| e.name).collect(),
        })
    }

    /// `https://probe.example.com` of `https://probe.example.com/some/path`.
    fn origin(&self) -> Option<String> {
        let api = self.api.as_deref()?;
        let (scheme, rest) = api.split_once("://")?;
        let host = rest.split(['/', '?', '#']).next().filter(|h| !h.is_empty())?;
        Some(format!("{scheme}://{host}"))
    }

    /// The probe's origin, and its WebSocket origin for live rooms (`wss://` for `https://`).
    fn policy(&self) -> String {
        let origins = self.origin().map(|origin| {
            let socket = origin.replacen("https://", "wss://", 1).replacen("http://", "ws://", 1);
            format!(" {origin} {socket}")
        });
        CONTENT_SECURITY_POLICY.replace("{probe}", &origins.unwrap_or_default())
    }

    /// The `<meta>` lines every page carries.
    fn meta(&self) -> String {
        let Some(api) = &self.api else { return String::new() };
        format!(
            "<meta name=\"outpost-probe-api\" content=\"{}\"><meta name=\"outpost-endpoints\" content=\"{}\">",
            html_attribute(api),
            html_attribute(&self.endpoints.join(" "))
        )
    }
}

fn html_attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Trunk's inline start-up script out of `index.html` (the template of every page).
pub fn externalize_boot_script(dist: &Path) -> Result<(), String> {
    let index_path = dist.join("index.html");
    let index = read(&index_path)?;
    let index = move_inline_script(dist, &index)?;
    write(&index_path, &index)
}

/// The page starter beside the app: its script and WebAssembly (Trunk's build of
/// `starter/index.html` in `built`) copied into `dist`, its start-up script moved out as
/// the app's is, and the `<head>` lines that load it returned, for the runbook pages.
pub fn add_starter(dist: &Path, built: &Path) -> Result<String, String> {
    for entry in std::fs::read_dir(built).map_err(|e| format!("{}: {e}", built.display()))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("starter-") && (name.ends_with(".js") || name.ends_with(".wasm")) {
            std::fs::copy(entry.path(), dist.join(&name)).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    let page = move_inline_script(dist, &read(&built.join("index.html"))?)?;
    starter_head_lines(&page)
}

/// What Trunk put in the starter page's `<head>`: its script and preloads.
fn starter_head_lines(page: &str) -> Result<String, String> {
    let start = page.find("<head>").ok_or("the page starter's build has no <head>")? + "<head>".len();
    let end = page.find("</head>").ok_or("the page starter's build has no </head>")?;
    let lines: Vec<&str> = page[start..end]
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<script") || l.starts_with("<link"))
        .collect();
    if !lines.iter().any(|l| l.contains("starter-")) {
        return Err("the page starter's build does not load starter-*.js: did Trunk's output change?".into());
    }
    Ok(lines.concat())
}

/// The probe's settings in every page, then the service worker's precache list, `_headers`
/// and `_redirects`, once every page is written. Running it again with other settings
/// replaces them (the browser tests make the demo's site this way).
pub fn finish(dist: &Path, probe: &ProbeSettings) -> Result<(), String> {
    let files = published_files(dist)?;
    for page in files.iter().filter(|f| f.ends_with(".html") || f.as_str() == "/") {
        let path = if page == "/" { dist.join("index.html") } else { dist.join(&page[1..]) };
        write(&path, &with_probe_meta(&read(&path)?, probe))?;
    }
    write_service_worker(dist, &files)?;
    write_headers(dist, &files, probe)?;
    write_redirects(dist)
}

/// `page` with the probe's `<meta>` lines (and none left from an earlier run) after its
/// charset.
fn with_probe_meta(page: &str, probe: &ProbeSettings) -> String {
    let mut page = page.to_string();
    for name in ["outpost-probe-api", "outpost-endpoints"] {
        let marker = format!("<meta name=\"{name}\"");
        while let Some(start) = page.find(&marker) {
            let end = page[start..].find('>').map_or(page.len(), |i| start + i + 1);
            page.replace_range(start..end, "");
        }
    }
    let anchor = "<meta charset=\"utf-8\">";
    match page.find(anchor) {
        Some(at) => page.insert_str(at + anchor.len(), &probe.meta()),
        None => page.insert_str(0, &probe.meta()),
    }
    page
}

/// Addresses with no file of their own that the app draws: `/i/<id>` and `/s`. Pages strips
/// `.html` (it redirects `/404.html` to `/404`), so the rewrite names `/404`.
const APP_DRAWN: [&str; 2] = ["/i/*", "/s"];

fn write_redirects(dist: &Path) -> Result<(), String> {
    let mut out = String::from("# Drawn by the app from 404.html, answered with status 200.\n");
    for path in APP_DRAWN {
        writeln!(out, "{path} /404 200").unwrap();
    }
    write(&dist.join("_redirects"), &out)
}

/// `<script type="module">…</script>` → `<script type="module" src="/boot-<hash>.js">`.
fn move_inline_script(dist: &Path, index: &str) -> Result<String, String> {
    let open = "<script type=\"module\">";
    let Some(start) = index.find(open) else {
        return Err("dist/index.html has no start-up script: did Trunk's output change?".into());
    };
    let body_start = start + open.len();
    let end = index[body_start..].find("</script>").map(|i| body_start + i).ok_or("unclosed start-up script")?;
    let script = index[body_start..end].trim();
    let name = format!("boot-{:016x}.js", hash(script.as_bytes()));
    write(&dist.join(&name), &format!("{script}\n"))?;
    Ok(format!(
        "{}<script type=\"module\" src=\"/{name}\"></script>{}",
        &index[..start],
        &index[end + "</script>".len()..]
    ))
}

/// Every file a visitor may need, as site paths: the app shell is `/`.
fn published_files(dist: &Path) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    collect(dist, dist, &mut files)?;
    files.retain(|f| f != "/sw.js" && f != "/_headers" && f != "/_redirects");
    for file in &mut files {
        if file == "/index.html" {
            *file = "/".into();
        }
    }
    files.sort();
    Ok(files)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else {
            let relative = path.strip_prefix(root).expect("under dist").to_string_lossy().replace('\\', "/");
            out.push(format!("/{relative}"));
        }
    }
    Ok(())
}

fn write_service_worker(dist: &Path, files: &[String]) -> Result<(), String> {
    let template = read(&root().join("public/sw.js"))?;
    let mut fingerprint = Vec::new();
    for file in files {
        let on_disk = if file == "/" { dist.join("index.html") } else { dist.join(&file[1..]) };
        fingerprint.extend_from_slice(file.as_bytes());
        fingerprint.extend_from_slice(
            &hash(&std::fs::read(&on_disk).map_err(|e| format!("{}: {e}", on_disk.display()))?).to_le_bytes(),
        );
    }
    let list = files.iter().map(|f| format!("{f:?}")).collect::<Vec<_>>().join(", ");
    let script = template
        .replace("__OUTPOST_VERSION__", &format!("{:016x}", hash(&fingerprint)))
        .replace("__OUTPOST_PRECACHE__", &format!("[{list}]"));
    write(&dist.join("sw.js"), &script)
}

fn write_headers(dist: &Path, files: &[String], probe: &ProbeSettings) -> Result<(), String> {
    let mut out = String::from("/*\n");
    writeln!(out, "  Content-Security-Policy: {}", probe.policy()).unwrap();
    out.push_str("  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n  X-Frame-Options: DENY\n");
    out.push_str("  Permissions-Policy: camera=(), microphone=(), geolocation=()\n");
    // Pages and the service worker must be fetched fresh so a deploy is seen at once.
    for path in ["/", "/index.html", "/404.html", "/r/*", "/i/*", "/s", "/sw.js", "/early.js", "/manifest.webmanifest"]
    {
        writeln!(out, "\n{path}\n  Cache-Control: no-cache").unwrap();
    }
    for file in files.iter().filter(|f| is_hashed(f)) {
        writeln!(out, "\n{file}\n  Cache-Control: public, max-age=31536000, immutable").unwrap();
    }
    write(&dist.join("_headers"), &out)
}

/// Trunk's outputs and the boot script carry a 16-hex-digit content hash in their names.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split(['-', '.', '_']).any(|part| part.len() == 16 && part.chars().all(|c| c.is_ascii_hexdigit()))
}

fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn read(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(api: &str) -> ProbeSettings {
        ProbeSettings { api: Some(api.into()), endpoints: vec!["api".into(), "frontend".into()] }
    }

    #[test]
    fn the_policy_lets_the_site_read_exactly_the_probe_origin() {
        assert!(ProbeSettings::default().policy().contains("connect-src 'self';"));
        let policy = probe("https://probe.example.com/outpost").policy();
        assert!(policy.contains("connect-src 'self' https://probe.example.com wss://probe.example.com;"), "{policy}");
        assert!(probe("http://127.0.0.1:8787")
            .policy()
            .contains("connect-src 'self' http://127.0.0.1:8787 ws://127.0.0.1:8787;"));
    }

    #[test]
    fn pages_name_the_probe_once_however_often_they_are_finished() {
        let page = "<html><head><meta charset=\"utf-8\"><title>x</title></head></html>";
        let once = with_probe_meta(page, &probe("https://p.example.com"));
        let twice = with_probe_meta(&once, &probe("https://q.example.com"));
        assert_eq!(twice.matches("outpost-probe-api").count(), 1);
        assert!(twice.contains("<meta name=\"outpost-probe-api\" content=\"https://q.example.com\">"));
        assert!(twice.contains("<meta name=\"outpost-endpoints\" content=\"api frontend\">"));
        assert_eq!(with_probe_meta(&twice, &ProbeSettings::default()), page, "no probe, no trace");
    }
}
