//! Runbooks of the shapes other teams already have (written for this project, in
//! `crates/runbook/tests/fixtures/shapes/`): alert runbooks with front matter and
//! `<details>`, OpenShift-style placeholders and tool output, GitLab-style docs with a TOC
//! marker, metadata lines, a long table, Terraform and JSON output with non-ASCII characters,
//! CJK text, Hugo shortcodes and admonitions. Each builds as part of one site, renders every
//! block, and has the right title, card, hosts, fields and secrets. Run with `--features ssr`.
#![cfg(feature = "ssr")]

use std::path::PathBuf;

use runbook::variables::Role;
use runbook::Runbook;

/// Every `(path under the folder, markdown)` of the corpus, as the build embeds them.
fn shapes() -> Vec<(String, String)> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../crates/runbook/tests/fixtures/shapes");
    let mut files = Vec::new();
    let mut folders = vec![folder.clone()];
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let relative = path.strip_prefix(&folder).unwrap().to_string_lossy().replace('\\', "/");
                files.push((relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// The `[variables]` of the corpus' own site settings (`fixtures/shapes.toml`).
fn site_variables() -> Vec<(String, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../crates/runbook/tests/fixtures/shapes.toml");
    let (config, errors) = config::parse_config(&std::fs::read_to_string(path).unwrap());
    assert!(errors.is_empty(), "{errors:?}");
    config.variables.into_iter().collect()
}

fn site() -> &'static [Runbook] {
    let files = shapes();
    let declared: Vec<String> = site_variables().into_iter().map(|(name, _)| name).collect();
    let library = runbook::library("runbooks", files.iter().map(|(p, t)| (p.as_str(), t.as_str())), &declared);
    Box::leak(library.runbooks.into_boxed_slice())
}

fn get(slug_part: &str) -> &'static Runbook {
    site().iter().find(|r| r.path.contains(slug_part)).unwrap_or_else(|| panic!("{slug_part} is in the site"))
}

/// The text a reader sees in `html`: tags dropped, entities read.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#x27;", "'").replace("&amp;", "&")
}

fn roles(runbook: &Runbook, role: Role) -> Vec<&str> {
    runbook.variables.iter().filter(|v| v.role == role).map(|v| v.name.as_str()).collect()
}

#[test]
fn every_shape_renders_every_code_line_and_no_template_syntax() {
    for runbook in site() {
        let html = app::prerender::render_runbook(runbook);
        let text = text_of(&html);
        for (_, source) in shapes().iter().filter(|(name, _)| *name == runbook.path) {
            let mut in_code = false;
            for line in source.lines() {
                if line.trim_start().starts_with("```") {
                    in_code = !in_code;
                } else if in_code && !line.trim().is_empty() {
                    // The values this build holds are filled in (`$FRONTEND_HOST` → its value).
                    let code = app::library::variable_defaults()
                        .fold(line.trim().to_string(), |code, (name, value)| code.replace(&format!("${name}"), value));
                    assert!(text.contains(&code), "{}: code line {code:?} is on the page", runbook.path);
                }
            }
        }
        for syntax in ["{{<", "[[_TOC_]]", ":::", "!!!"] {
            assert!(!text.contains(syntax), "{}: {syntax} is not shown", runbook.path);
        }
    }
}

#[test]
fn titles_and_cards_read_as_sentences() {
    let expected = [
        ("KubePodCrashLooping", "KubePodCrashLooping", "A pod in the cluster restarts again and again"),
        ("VirtLauncher", "VirtLauncherEvictionFailed", "A virtual machine's launcher pod could not be evicted"),
        ("gitlab-patroni", "Overview", "Patroni holds the leader lock in Consul"),
        ("数据库", "数据库主节点故障", "数据库主节点无法写入时的处理步骤。"),
        ("NodeRAID", "NodeRAIDDegraded", "A disk of the node's RAID array failed"),
        ("ディスク", "ディスク容量不足", "ログの出力が増え、ディスクの空き容量が 10% を下回りました。"),
    ];
    for (file, title, card) in expected {
        let runbook = get(file);
        assert_eq!(runbook.title, title, "{file}");
        assert!(runbook.description.starts_with(card), "{file}: {:?}", runbook.description);
    }
}

#[test]
fn hosts_fields_and_secrets_are_what_each_command_means() {
    let kube = get("KubePodCrashLooping");
    // FRONTEND_HOST, written `$FRONTEND_HOST`, is the site's own ([variables]): a host.
    assert_eq!((roles(kube, Role::Host), roles(kube, Role::Field)), (vec!["FRONTEND_HOST"], vec!["namespace", "pod"]));
    assert!(kube.secrets.is_empty(), "{:?}", kube.secrets);
    let virt = get("VirtLauncher");
    assert_eq!((roles(virt, Role::Host), roles(virt, Role::Field)), (vec!["node-ip"], vec!["namespace", "vm-name"]));
    assert!(virt.secrets.is_empty(), "assigned, shell and positional names: {:?}", virt.secrets);
    assert_eq!(roles(get("gitlab-patroni"), Role::Host), ["DB_PRIMARY"]);
    assert_eq!(roles(get("数据库"), Role::Host), ["PRIMARY_HOST"]);
    assert_eq!(roles(get("NodeRAID"), Role::Host), ["node"]);
    assert!(get("ディスク").variables.is_empty() && get("ディスク").secrets.is_empty(), "nothing to fill");
}

#[test]
fn details_keys_alerts_links_and_images_are_drawn_as_elements() {
    let kube = app::prerender::render_runbook(get("KubePodCrashLooping"));
    let kube = kube.replace("<!>", "");
    assert!(kube.contains("<details><summary>Full context</summary>"), "a section to open");
    assert!(kube.contains("<kbd>Ctrl</kbd>") && kube.contains("<strong>5 times</strong>"));
    let raid = app::prerender::render_runbook(get("NodeRAID")).replace("<!>", "");
    assert!(
        raid.contains(
            "<aside class=\"callout caution\"><p class=\"callout-title\">Data at risk</p><p>One more disk failure"
        ),
        "Docusaurus :::danger, with its title"
    );
    assert!(
        raid.contains(
            "<aside class=\"callout note\"><p class=\"callout-title\">Before you start</p><p>Find the node first."
        ),
        "MkDocs !!! note \"Before you start\""
    );
    assert!(
        raid.contains("<img src=\"/runbooks/img/raid-array.png\" alt=\"The array after one disk failed\""),
        "a Hugo figure is an image"
    );
    assert!(raid.contains("ssh admin@"), "the MkDocs block's command is code inside the alert");
    let mut missing = Vec::new();
    get("NodeRAID").for_each_link(&mut |link| {
        if let document::LinkTarget::MissingRunbook { href } = &link.target {
            missing.push(href.clone());
        }
    });
    assert_eq!(missing, ["./NodeDiskFull.md"], "the Hugo ref is a link, to a runbook this site lacks");
    let patroni = app::prerender::render_runbook(get("gitlab-patroni"));
    assert!(
        patroni.contains("<img src=\"/runbooks/img/patroni-failover.png\" alt=\"Patroni failover\""),
        "an image next to the runbooks is drawn from where the site publishes them"
    );
    assert!(text_of(&patroni).contains("étape 30 → alerte"), "the last row of the long table");
}
