pub mod cockpit_bar;
pub mod code_block;
pub mod copy_button;
pub mod diagnostics;
pub mod hosts;
pub mod markdown;
pub mod search_box;
pub mod step_check;
pub mod template_form;
pub mod toc;

/// Whether this is the build-time drawing of a page, before the app runs in the browser:
/// controls are drawn disabled and say they are getting ready, so a click never vanishes.
pub const BEFORE_APP: bool = cfg!(feature = "ssr");
/// What a control says while the app loads.
pub const GETTING_READY: &str = "Getting ready… (a moment after the page loads)";
