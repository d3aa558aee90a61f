//! The runbook site in the browser: see `app::start`.

fn main() {
    #[cfg(not(feature = "ssr"))]
    app::start();
}
