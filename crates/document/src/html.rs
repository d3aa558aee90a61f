//! The HTML runbooks use where GitHub renders them (`<details>`, `<kbd>`, `<br>`, `<sub>`,
//! `<img>`…), read into tags the model can hold. An allowlist: a tag outside it, an attribute
//! that is not read, or anything that is not plainly a tag, and the whole piece of HTML stays
//! text, as before. Nothing here is ever handed to a browser as markup: the views draw the
//! model's elements themselves.

/// Tags read, each as what it means (see [`Token`]); any other makes the HTML text.
const ALLOWED: &[&str] = &[
    "details", "summary", "br", "kbd", "sub", "sup", "ins", "del", "s", "strike", "b", "strong", "i", "em", "code",
    "nobr", "mark", "span", "p", "div", "img", "a",
];

/// The attributes read; others are ignored (`width`, `align`, `class`…), as GitHub drops
/// most of them.
const READ_ATTRIBUTES: &[&str] = &["href", "src", "alt", "title", "open"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Open { name: String, attributes: Vec<(String, String)> },
    Close { name: String },
    Text(String),
}

impl Token {
    pub fn is_open(&self, tag: &str) -> bool {
        matches!(self, Token::Open { name, .. } if name == tag)
    }

    pub fn is_close(&self, tag: &str) -> bool {
        matches!(self, Token::Close { name } if name == tag)
    }

    /// The value of an attribute read on an opening tag.
    pub fn attribute(&self, wanted: &str) -> Option<&str> {
        match self {
            Token::Open { attributes, .. } => {
                attributes.iter().find(|(name, _)| name == wanted).map(|(_, value)| value.as_str())
            }
            _ => None,
        }
    }
}

/// `html` as tokens of the subset, comments dropped; `None` when any part is not.
pub fn tokens(html: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->")? + 3..];
        } else if rest.starts_with('<') {
            let end = tag_end(rest)?;
            out.push(tag(&rest[1..end])?);
            rest = &rest[end + 1..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            out.push(Token::Text(decode_entities(&rest[..end])));
            rest = &rest[end..];
        }
    }
    Some(out)
}

/// The byte offset of the `>` closing the tag at the start of `text`, quotes respected.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (at, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return Some(at),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// One tag's inside (`a href="x"`, `/kbd`, `br/`).
fn tag(inside: &str) -> Option<Token> {
    if let Some(name) = inside.strip_prefix('/') {
        let name = name.trim().to_ascii_lowercase();
        return ALLOWED.contains(&name.as_str()).then_some(Token::Close { name });
    }
    let inside = inside.strip_suffix('/').unwrap_or(inside);
    let name_len = inside.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(inside.len());
    let name = inside[..name_len].to_ascii_lowercase();
    if !ALLOWED.contains(&name.as_str()) {
        return None;
    }
    let mut attributes = Vec::new();
    let mut rest = &inside[name_len..];
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let key_len = rest.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(rest.len());
        let key = rest[..key_len].to_ascii_lowercase();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':') {
            return None;
        }
        rest = rest[key_len..].trim_start();
        let value = match rest.strip_prefix('=') {
            Some(after) => {
                let after = after.trim_start();
                let (value, remaining) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let close = after[1..].find(q)? + 1;
                        (&after[1..close], &after[close + 1..])
                    }
                    _ => {
                        let end = after.find(char::is_whitespace).unwrap_or(after.len());
                        (&after[..end], &after[end..])
                    }
                };
                rest = remaining;
                decode_entities(value)
            }
            None => String::new(),
        };
        if READ_ATTRIBUTES.contains(&key.as_str()) {
            attributes.push((key, value));
        }
    }
    Some(Token::Open { name, attributes })
}

/// `&amp;`, `&lt;`, `&#8594;`, `&#x2192;`… as characters; anything else as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&end| end <= 10);
        let decoded = end.and_then(|end| entity(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    let number = |digits: &str, radix| u32::from_str_radix(digits, radix).ok().and_then(char::from_u32);
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => match name.strip_prefix('#') {
            Some(hex) if hex.starts_with(['x', 'X']) => number(&hex[1..], 16),
            Some(decimal) => number(decimal, 10),
            None => None,
        }
        .filter(|c| *c != '\0'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(name: &str, attributes: &[(&str, &str)]) -> Token {
        Token::Open {
            name: name.into(),
            attributes: attributes.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    #[test]
    fn the_subset_is_read_with_the_attributes_that_matter() {
        assert_eq!(
            tokens("<details open><summary>Full <b>context</b></summary>").unwrap(),
            [
                open("details", &[("open", "")]),
                open("summary", &[]),
                Token::Text("Full ".into()),
                open("b", &[]),
                Token::Text("context".into()),
                Token::Close { name: "b".into() },
                Token::Close { name: "summary".into() },
            ]
        );
        assert_eq!(
            tokens(r#"<img src="../img/a b.png" width=500 alt='Flow → “é”'/>"#).unwrap(),
            [open("img", &[("src", "../img/a b.png"), ("alt", "Flow → “é”")])]
        );
        assert_eq!(
            tokens("a &amp; b &#8594; &#x1F600; &bogus; &").unwrap(),
            [Token::Text("a & b → 😀 &bogus; &".into())]
        );
    }

    #[test]
    fn anything_outside_the_subset_leaves_the_html_as_text() {
        for html in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)",
            "<iframe src=x>",
            "<a href='x'",
            "<div<b>",
            "<style>",
            "<!-- open",
        ] {
            assert_eq!(tokens(html), None, "{html}");
        }
        // An event handler is not read: the tag stays, the attribute is dropped.
        assert_eq!(tokens("<img src=x.png onerror=alert(1)>").unwrap(), [open("img", &[("src", "x.png")])]);
    }
}
