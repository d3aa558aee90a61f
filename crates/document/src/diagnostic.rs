//! Problems found while parsing, with the place they were found.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    /// Worth knowing; the runbook still renders as written.
    Info,
    /// Something is lost or guessed: a broken link, ignored front matter.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line in the file, counting front matter.
    pub line: u32,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn warning(file: &str, line: u32, message: impl Into<String>) -> Self {
        Diagnostic { file: file.to_string(), line, severity: Severity::Warning, message: message.into() }
    }

    pub fn info(file: &str, line: u32, message: impl Into<String>) -> Self {
        Diagnostic { file: file.to_string(), line, severity: Severity::Info, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Info => "note",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}: {}: {}", self.file, self.line, level, self.message)
    }
}

/// Maps byte offsets in a source text to 1-based line numbers.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// Added to every line: the lines of front matter cut off before the body.
    first_line: u32,
}

impl LineIndex {
    pub fn new(text: &str, first_line: u32) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts, first_line }
    }

    pub fn line(&self, offset: usize) -> u32 {
        let index = self.line_starts.partition_point(|&start| start <= offset);
        // partition_point is at least 1 because line_starts[0] == 0 <= offset.
        index as u32 - 1 + self.first_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_from_the_given_first_line() {
        let index = LineIndex::new("a\nbc\n\nd", 5);
        assert_eq!(index.line(0), 5);
        assert_eq!(index.line(2), 6);
        assert_eq!(index.line(3), 6);
        assert_eq!(index.line(5), 7);
        assert_eq!(index.line(6), 8);
        assert_eq!(index.line(100), 8);
    }
}
