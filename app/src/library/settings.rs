//! `outpost.toml`'s site title and host values, as build.rs wrote them.

mod generated {
    include!(concat!(env!("OUT_DIR"), "/site_settings.rs"));
}

/// Host values from outpost.toml's `[variables]`.
pub fn variable_defaults() -> impl Iterator<Item = (&'static str, &'static str)> {
    generated::VARIABLE_DEFAULTS.iter().copied()
}

pub fn site_title() -> &'static str {
    generated::SITE_TITLE
}
