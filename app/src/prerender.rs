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
/// page starter (`starter_head`, the script and preloads `cargo xtask build` made for it).
pub fn head_extra(path: &str, starter_head: &str) -> String {
    if api::links::runbook_slug(path).is_some() {
        starter_head.to_string()
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
