pub mod cockpit_bar;
pub mod code_block;
pub mod copy_button;
pub mod diagnostics;
pub mod hosts;
pub mod live_panel;
pub mod markdown;
pub mod outage_panel;
pub mod probe_follow;
pub mod probe_status;
pub mod search_box;
pub mod status_post;
pub mod step_check;
pub mod template_form;
pub mod toc;
pub mod uptime_bar;

/// Whether this is the build-time drawing of a page, before the app runs in the browser.
/// Its buttons are marked `data-needs-app`: a click on one before the app is ready is held
/// by `public/early.js` and made again once it is, so no click is lost; with no script at
/// all they are hidden.
pub const BEFORE_APP: bool = cfg!(feature = "ssr");

/// The class that colours a severity tag by its number: `SEV1` → `sev sev-1`.
pub fn severity_class(tag: &str) -> String {
    let level: String = tag.chars().filter(char::is_ascii_digit).collect();
    format!("sev sev-{level}")
}
