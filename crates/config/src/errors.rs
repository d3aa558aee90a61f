//! Mistakes found while reading `outpost.toml`, each with its line: what every part of the
//! validation adds to, and the notes that say what was chosen for the reader.

use std::ops::Range;

use crate::raw::LineIndex;
use crate::ConfigError;

pub(crate) struct Errors<'a> {
    pub list: Vec<ConfigError>,
    pub notes: Vec<ConfigError>,
    pub lines: &'a LineIndex,
}

impl Errors<'_> {
    pub fn add(&mut self, span: Range<usize>, message: String) {
        self.list.push(ConfigError { line: self.lines.line(span.start), message });
    }

    pub fn note(&mut self, span: Range<usize>, message: String) {
        self.notes.push(ConfigError { line: self.lines.line(span.start), message });
    }

    pub fn line(&self, span: Range<usize>) -> u32 {
        self.lines.line(span.start)
    }
}
