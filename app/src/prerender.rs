//! Build-time rendering: each route the site knows, drawn by the same components the
//! browser runs, as the HTML of its page. Used by `bin/prerender.rs`; `cargo xtask build`
//! runs it after Trunk, over `dist/index.html` as the page template.

/// The routes to write: `(address, file under dist/, page title)`.
#[cfg(embedded_runbooks)]
pub fn routes() -> Vec<(String, String, String)> {
    let title = crate::library::site_title();
    let mut routes = vec![("/".to_string(), "index.html".to_string(), format!("Runbooks · {title}"))];
    for runbook in &crate::library::site().library.runbooks {
        routes.push((
            api::links::runbook_path(&runbook.slug, None),
            format!("r/{}/index.html", runbook.slug),
            format!("{} · {title}", runbook.title),
        ));
    }
    // Every address the site has no file for: incidents and share links (the app draws
    // them), and addresses that are not pages at all.
    routes.push(("/404".to_string(), "404.html".to_string(), format!("No page here · {title}")));
    routes
}

/// The files the browser's app reads instead of parsing markdown (`tokens::published`):
/// `(path under dist/, bytes)`, one per runbook, the catalog and the search index.
#[cfg(embedded_runbooks)]
pub fn published_files() -> Vec<(String, Vec<u8>)> {
    use tokens::published;

    let site = crate::library::site();
    let mut files: Vec<(String, Vec<u8>)> = site
        .library
        .runbooks
        .iter()
        .map(|runbook| (published::runbook_path(&runbook.slug), published::write_runbook(runbook)))
        .collect();
    files.push((published::CATALOG_PATH.to_string(), published::write_catalog(&site.catalog)));
    files.push((published::SEARCH_PATH.to_string(), published::write_search(&site.search)));
    files.into_iter().map(|(path, bytes)| (path.trim_start_matches('/').to_string(), bytes)).collect()
}

/// What the page at `path` fetches before the app takes it over, asked for in its `<head>`
/// so the fetch starts with the page, beside the WebAssembly, not after it.
pub fn preloads(path: &str) -> String {
    let file = if path == "/" {
        Some(tokens::published::CATALOG_PATH.to_string())
    } else {
        api::links::runbook_slug(path).map(|slug| tokens::published::runbook_path(&slug))
    };
    file.map(|file| format!("<link rel=\"preload\" href=\"{}\" as=\"fetch\" crossorigin>", escape(&file)))
        .unwrap_or_default()
}

/// The app as HTML for `path`.
#[cfg(feature = "ssr")]
pub fn render(path: &str) -> String {
    use leptos::prelude::*;

    let owner = Owner::new();
    owner.with(|| {
        provide_context(leptos_router::location::RequestUrl::new(path));
        view! { <crate::App/> }.to_html()
    })
}

/// The id of the incident an incident page's template is drawn for; the page starter
/// (`starter/`) shows the template under the real incident's address.
pub const TEMPLATE_INCIDENT_ID: &str = "template";

/// The incident page "Start incident" opens on `slug`, as HTML, for an incident started at
/// the epoch with nothing done yet: the page starter shows it the moment the button is
/// tapped, and the app takes it over when it has loaded. Its one absolute time (the start)
/// is in `.started-at`, for the starter to write.
#[cfg(feature = "ssr")]
pub fn render_incident_template(slug: &str) -> String {
    use leptos::prelude::*;

    let owner = Owner::new();
    owner.with(|| {
        provide_context(leptos_router::location::RequestUrl::new(&format!("/i/{TEMPLATE_INCIDENT_ID}")));
        let incident = runbook::incident::Incident::new(TEMPLATE_INCIDENT_ID.to_string(), slug.to_string(), 0);
        provide_context(crate::state::store::Seed(vec![incident]));
        view! { <crate::App/> }.to_html()
    })
}

/// The body of `runbook`'s page as HTML, for any runbook, not only the site's: the whole
/// build path (markdown → document → runbook → HTML) that `tests/build_path.rs` pushes
/// arbitrary text through.
#[cfg(feature = "ssr")]
pub fn render_runbook(runbook: &'static runbook::Runbook) -> String {
    use leptos::prelude::*;
    use leptos_router::components::Router;

    let owner = Owner::new();
    owner.with(|| {
        provide_context(leptos_router::location::RequestUrl::new(&api::links::runbook_path(&runbook.slug, None)));
        let store = crate::state::store::Store::load();
        provide_context(store);
        provide_context(crate::state::clock::Clock::start());
        provide_context(crate::state::probe::ProbeFeed::start());
        let doc = crate::doc::Doc::new(runbook, None, Default::default(), store);
        view! { <Router><crate::routes::runbook::RunbookBody doc=doc/></Router> }.to_html()
    })
}

/// What a page at `path` carries after its body: a runbook page, the incident page its
/// "Start incident" opens, for the page starter (`render_incident_template`).
#[cfg(feature = "ssr")]
pub fn after_body(path: &str) -> String {
    api::links::runbook_slug(path)
        .map(|slug| format!("<template id=\"incident-template\">{}</template>", render_incident_template(&slug)))
        .unwrap_or_default()
}

/// What a page at `path` adds to its `<head>` besides its preloads: a runbook page runs the
/// page starter and names the app it loads later (`runbook_head`: the starter's script and
/// preloads `cargo xtask build` made, and `defer_app`'s `<meta>`).
pub fn head_extra(path: &str, runbook_head: &str) -> String {
    if api::links::runbook_slug(path).is_some() {
        runbook_head.to_string()
    } else {
        String::new()
    }
}

/// `template` (Trunk's `index.html`) with the page's title, what it adds to its head (its
/// preloads), its pre-rendered body and what follows the body (`after_body`).
pub fn page(template: &str, title: &str, head: &str, body: &str, after: &str) -> Result<String, String> {
    let with_title = match (template.find("<title>"), template.find("</title>")) {
        (Some(start), Some(end)) if start < end => format!(
            "{}<title>{}</title>{head}{}",
            &template[..start],
            escape(title),
            &template[end + "</title>".len()..]
        ),
        _ => return Err("the page template has no <title>".into()),
    };
    let Some(body_start) = with_title.find("<body>") else {
        return Err("the page template has no <body>".into());
    };
    let insert_at = body_start + "<body>".len();
    Ok(format!("{}<div id=\"app\">{body}</div>{after}{}", &with_title[..insert_at], &with_title[insert_at..]))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The name of the `<meta>` a runbook page carries instead of loading the app with the page:
/// its content is the app's start-up script, then the files that script fetches, for
/// `early.js` to load (and preload) when the app is first needed.
pub const DEFERRED_APP_META: &str = "outpost-app";

/// `template` (Trunk's `index.html`, its start-up script moved to a file) without the app's
/// start-up script and preloads, and the `<meta>` line that names them instead
/// (`DEFERRED_APP_META`): a runbook page is read, and "Start incident" and its first checks
/// made, by the page and its starter alone.
pub fn defer_app(template: &str) -> Result<(String, String), String> {
    let mut page = template.to_string();
    let script = take_tag(&mut page, "<script type=\"module\" src=\"", "</script>")
        .ok_or("the page template has no start-up script (<script type=\"module\" src=…>)")?;
    let mut files = vec![attribute(&script, "src").ok_or("the start-up script has no src")?];
    while let Some(link) = take_tag(&mut page, "<link rel=\"modulepreload\" href=\"/app-", ">")
        .or_else(|| take_tag(&mut page, "<link rel=\"preload\" href=\"/app-", ">"))
    {
        files.push(attribute(&link, "href").ok_or("an app preload has no href")?);
    }
    if files.len() < 3 {
        return Err(format!(
            "the page template preloads {} of the app's files, not its script and WebAssembly",
            files.len() - 1
        ));
    }
    if let Some(odd) = files.iter().find(|f| !f.starts_with('/') || f.contains([' ', '"', '<', '>'])) {
        return Err(format!("the app's file {odd:?} is not a plain site path"));
    }
    Ok((page, format!("<meta name=\"{DEFERRED_APP_META}\" content=\"{}\">", files.join(" "))))
}

/// The first tag of `page` from `open` to the next `close`, removed from it.
fn take_tag(page: &mut String, open: &str, close: &str) -> Option<String> {
    let start = page.find(open)?;
    let end = start + page[start..].find(close)? + close.len();
    Some(page.drain(start..end).collect())
}

/// The value of `name="…"` in `tag`.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    Some(tag[start..start + tag[start..].find('"')?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of Trunk's output once `cargo xtask build` has moved its script to a file.
    const TEMPLATE: &str = "<html><head><title>x</title><link rel=\"stylesheet\" href=\"/style-1.css\"/>\
        <script src=\"/early.js\"></script>\n<script type=\"module\" src=\"/boot-00aa.js\"></script>\n\
        <link rel=\"modulepreload\" href=\"/app-11bb.js\" crossorigin=\"anonymous\">\
        <link rel=\"preload\" href=\"/app-11bb_bg.wasm\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\">\
        </head><body></body></html>";

    #[test]
    fn a_deferred_page_names_the_apps_script_and_files_instead_of_loading_them() {
        let (page, meta) = defer_app(TEMPLATE).unwrap();
        assert_eq!(meta, "<meta name=\"outpost-app\" content=\"/boot-00aa.js /app-11bb.js /app-11bb_bg.wasm\">");
        assert!(!page.contains("boot-00aa") && !page.contains("app-11bb"), "{page}");
        assert!(page.contains("<script src=\"/early.js\"></script>") && page.contains("/style-1.css"), "{page}");
    }

    #[test]
    fn a_template_without_the_apps_script_or_preloads_is_refused() {
        assert!(defer_app("<html><head></head></html>").unwrap_err().contains("start-up script"));
        let no_preloads =
            TEMPLATE.replace("rel=\"modulepreload\"", "rel=\"other\"").replace("rel=\"preload\"", "rel=\"x\"");
        assert!(defer_app(&no_preloads).unwrap_err().contains("preloads 0"));
    }
}
