//! The files the build publishes beside the pages, so the browser never parses markdown:
//! each runbook's model (`r/<slug>/runbook.bin`), the catalog the home page lists
//! (`catalog.bin`) and the search index (`search.bin`). Written by the pre-render at build
//! time, read by the app when a page needs them.
//!
//! Layout: `OPST`, a kind byte, the format version, then the value in postcard. A file
//! from another build (a cached page of an older deploy) says so instead of being misread:
//! the version changes whenever the encoding of the golden fixture does.

use std::fmt;

use document::search::SearchIndex;
use runbook::catalog::Catalog;
use runbook::Runbook;
use serde::de::DeserializeOwned;
use serde::Serialize;

const MAGIC: &[u8; 4] = b"OPST";
/// Raised whenever `tests::golden_*` changes: the model types or their order changed.
pub const FORMAT_VERSION: u8 = 1;

/// What a published file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Runbook = b'R' as isize,
    Catalog = b'C' as isize,
    Search = b'S' as isize,
}

/// Where the site serves each file, under its root.
pub fn runbook_path(slug: &str) -> String {
    format!("/r/{slug}/runbook.bin")
}
pub const CATALOG_PATH: &str = "/catalog.bin";
pub const SEARCH_PATH: &str = "/search.bin";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not a file the build wrote (an HTML error page, an empty answer).
    NotPublished,
    /// A file of another kind where this one was expected.
    WrongKind,
    /// Written by another version of the site: a reload fetches matching files.
    OtherVersion(u8),
    /// Cut short or changed on its way.
    Damaged,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotPublished => write!(f, "the server answered with something that is not the site's data"),
            ReadError::WrongKind => write!(f, "the server answered with another of the site's files"),
            ReadError::OtherVersion(_) => {
                write!(f, "the data was written by another version of the site (reload the page)")
            }
            ReadError::Damaged => write!(f, "the data is damaged (reload the page)"),
        }
    }
}

pub fn write_runbook(runbook: &Runbook) -> Vec<u8> {
    write(Kind::Runbook, runbook)
}

pub fn read_runbook(bytes: &[u8]) -> Result<Runbook, ReadError> {
    read(Kind::Runbook, bytes)
}

pub fn write_catalog(catalog: &Catalog) -> Vec<u8> {
    write(Kind::Catalog, catalog)
}

pub fn read_catalog(bytes: &[u8]) -> Result<Catalog, ReadError> {
    read(Kind::Catalog, bytes)
}

pub fn write_search(index: &SearchIndex) -> Vec<u8> {
    write(Kind::Search, index)
}

pub fn read_search(bytes: &[u8]) -> Result<SearchIndex, ReadError> {
    read(Kind::Search, bytes)
}

fn write<T: Serialize>(kind: Kind, value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(MAGIC);
    out.push(kind as u8);
    out.push(FORMAT_VERSION);
    // Serialising the project's own types into a Vec cannot fail.
    postcard::to_extend(value, out).unwrap_or_default()
}

fn read<T: DeserializeOwned>(kind: Kind, bytes: &[u8]) -> Result<T, ReadError> {
    let Some((header, body)) = bytes.split_at_checked(6) else { return Err(ReadError::NotPublished) };
    if &header[..4] != MAGIC {
        return Err(ReadError::NotPublished);
    }
    if header[4] != kind as u8 {
        return Err(ReadError::WrongKind);
    }
    if header[5] != FORMAT_VERSION {
        return Err(ReadError::OtherVersion(header[5]));
    }
    match postcard::take_from_bytes::<T>(body) {
        Ok((value, [])) => Ok(value),
        _ => Err(ReadError::Damaged),
    }
}

#[cfg(test)]
mod tests;
