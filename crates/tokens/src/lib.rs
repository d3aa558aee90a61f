//! The token formats: an incident as text, for the browser's storage (`codec`, `o1…`) and
//! for share links (`share`, `s1…`). Everything here is a format: an edit in this crate can
//! change what old links and saved incidents decode to, and the golden tests say so.
//!
//! Pure: decoding any input returns a value or a [`DecodeError`], never a panic.

mod authors;
pub mod bytes;
pub mod codec;
pub mod error;
pub mod published;
pub mod share;

pub use error::DecodeError;
