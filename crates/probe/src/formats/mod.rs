//! The formats other tools already read: Atlassian Statuspage v2 JSON, badges (SVG and
//! shields.io endpoint JSON), and an Atom feed of incidents and maintenance.

pub mod atom;
pub mod badge;
pub mod statuspage;

use api::EndpointStatus;
use api::State;

/// The worst state among the endpoints (maintenance aside), or up when there are none.
pub fn overall(endpoints: &[EndpointStatus]) -> State {
    endpoints.iter().filter(|e| e.maintenance.is_none()).map(|e| e.state).max().unwrap_or(State::Up)
}

/// Text into XML (the Atom feed, SVG badges): nothing from config or the network becomes
/// markup, and characters XML cannot hold are left out. The HTML status page is escaped by its template engine.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 forbids would make the whole document unreadable.
            c if (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}
