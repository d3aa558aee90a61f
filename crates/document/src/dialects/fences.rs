//! Where fenced code is, line by line, as CommonMark reads it closely enough for the dialects
//! to leave code alone: a fence opens at the top level, in a list item or in a quote, closes
//! with a like fence in the same quote, and ends with its container (a line outside the
//! quote, or less indented than the list item's content).

#[derive(Default)]
pub(super) struct Fences {
    open: Option<Open>,
    /// The content column of the list item the lines are in, if any.
    list_column: Option<usize>,
}

struct Open {
    marker: char,
    length: usize,
    quotes: usize,
    /// The list item's content column, for a fence inside one.
    column: Option<usize>,
}

/// A line past its quote marks: how deep, how indented, the content column of a list marker
/// that starts it, and what follows.
struct Shape<'a> {
    quotes: usize,
    indent: usize,
    item_column: Option<usize>,
    rest: &'a str,
}

impl Fences {
    /// Reads one line; whether it is code (inside a fence, or a fence's own line).
    pub(super) fn is_code(&mut self, line: &str) -> bool {
        let shape = shape(line);
        let blank = shape.rest.trim().is_empty() && shape.item_column.is_none();
        if let Some(open) = &self.open {
            let left_quote = shape.quotes < open.quotes;
            let left_item = open.column.is_some_and(|column| !blank && shape.indent < column);
            if !left_quote && !left_item {
                if shape.quotes == open.quotes && closes(shape.rest, open) {
                    self.open = None;
                }
                return true;
            }
            self.open = None;
        }
        if !blank {
            match shape.item_column {
                Some(column) => self.list_column = Some(column),
                None if shape.indent == 0 && shape.quotes == 0 => self.list_column = None,
                None => {}
            }
        }
        let Some((marker, length)) = opening(shape.rest) else { return false };
        let column = shape.item_column.or(self.list_column.filter(|&column| shape.indent >= column));
        let indent_in_place = shape.indent - column.unwrap_or(0).min(shape.indent);
        if shape.item_column.is_none() && indent_in_place > 3 {
            return false; // indented code, whose ``` is text
        }
        self.open = Some(Open { marker, length, quotes: shape.quotes, column });
        true
    }

    /// The container of an open fence ended (a MkDocs block): the fence ends with it.
    pub(super) fn close(&mut self) {
        self.open = None;
    }

    /// Whether a line indented `indent` columns is inside the list item being read.
    pub(super) fn in_list_item(&self, indent: usize) -> bool {
        self.list_column.is_some_and(|column| indent >= column)
    }
}

/// Columns of leading spaces and tabs (a tab to the next multiple of 4).
pub(super) fn width(text: &str) -> usize {
    text.chars().take_while(|c| *c == ' ' || *c == '\t').fold(0, |w, c| if c == '\t' { w + 4 - w % 4 } else { w + 1 })
}

fn shape(line: &str) -> Shape<'_> {
    let mut rest = line;
    let mut quotes = 0;
    while let Some(inner) = rest.trim_start_matches([' ', '\t']).strip_prefix('>') {
        quotes += 1;
        rest = inner.strip_prefix(' ').unwrap_or(inner);
    }
    let indent = width(rest);
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let digits = trimmed.len() - trimmed.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = match trimmed.as_bytes().first() {
        Some(b'-' | b'*' | b'+') => 1,
        Some(b'0'..=b'9') if digits <= 9 && matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')')) => digits + 1,
        _ => 0,
    };
    let after = &trimmed[marker..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    if marker > 0 && (spaces > 0 || after.is_empty()) {
        let column = indent + marker + spaces.clamp(1, 4);
        return Shape { quotes, indent, item_column: Some(column), rest: after.trim_start_matches(' ') };
    }
    Shape { quotes, indent, item_column: None, rest: trimmed }
}

fn opening(rest: &str) -> Option<(char, usize)> {
    let marker = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = rest.chars().take_while(|c| *c == marker).count();
    let info = &rest[length..];
    (length >= 3 && !(marker == '`' && info.contains('`'))).then_some((marker, length))
}

fn closes(rest: &str, open: &Open) -> bool {
    let length = rest.chars().take_while(|c| *c == open.marker).count();
    length >= open.length && rest[length..].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_lines(source: &str) -> Vec<bool> {
        let mut fences = Fences::default();
        source.lines().map(|line| fences.is_code(line)).collect()
    }

    #[test]
    fn a_fence_in_a_list_item_ends_with_the_item() {
        let source = "1. Run:\n\n    ```bash\n    ls\nAfter the list.\n";
        assert_eq!(code_lines(source), [false, false, true, true, false]);
    }

    #[test]
    fn a_fence_in_a_quote_ends_with_the_quote_and_a_quoted_fence_line_inside_code_is_code() {
        assert_eq!(code_lines("> ```\n> code\n\nafter\n"), [true, true, false, false]);
        assert_eq!(code_lines("```\n> ```\ncode\n```\nafter\n"), [true, true, true, true, false]);
    }

    #[test]
    fn indented_code_holding_a_fence_line_opens_no_fence() {
        assert_eq!(code_lines("Text.\n\n    ```\n    indented code\nafter\n"), [false, false, false, false, false]);
    }

    #[test]
    fn inline_code_on_a_list_line_is_no_fence() {
        assert_eq!(code_lines("- ```x``` inline\n- item\n"), [false, false]);
        assert_eq!(code_lines("- ~~~\n  code\n  ~~~\n- item\n"), [true, true, true, false]);
    }
}
