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

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::process::root;

/// Directives every page is served with. `wasm-unsafe-eval` lets WebAssembly compile;
/// nothing else runs but the site's own files.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' https: data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; \
worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Trunk's inline start-up script out of `index.html` (the template of every page).
pub fn externalize_boot_script(dist: &Path) -> Result<(), String> {
    let index_path = dist.join("index.html");
    let index = read(&index_path)?;
    let index = move_inline_script(dist, &index)?;
    write(&index_path, &index)
}

/// The service worker's precache list, `_headers` and `_redirects`, once every page is
/// written.
pub fn finish(dist: &Path) -> Result<(), String> {
    let files = published_files(dist)?;
    write_service_worker(dist, &files)?;
    write_headers(dist, &files)?;
    write_redirects(dist)
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

fn write_headers(dist: &Path, files: &[String]) -> Result<(), String> {
    let mut out = String::from("/*\n");
    writeln!(out, "  Content-Security-Policy: {CONTENT_SECURITY_POLICY}").unwrap();
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
