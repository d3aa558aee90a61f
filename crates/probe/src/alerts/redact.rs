//! Error text made fit to publish: `GET /api/alerts` is open to anyone, and the runtime's
//! words about a failed delivery can echo the webhook's URL, whose path is the secret. URLs
//! and anything shaped like a token are replaced, and the text is capped.

/// The longest error text published, in characters.
pub const MAX_PUBLISHED_CHARS: usize = 200;
/// A run of this many letters, digits, `-` or `_` is taken for a token.
const TOKEN_CHARS: usize = 16;

/// `text` with every URL shown as `[url]` and every token as `[redacted]`.
pub fn published(text: &str) -> String {
    let mut out = String::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.contains("://") || word.starts_with("www.") || word.contains("hooks.") {
            out.push_str("[url]");
            continue;
        }
        out.push_str(&redact_tokens(word));
    }
    match out.char_indices().nth(MAX_PUBLISHED_CHARS) {
        Some((cut, _)) => format!("{}…", &out[..cut]),
        None => out,
    }
}

fn redact_tokens(word: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= TOKEN_CHARS {
            out.push_str("[redacted]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in word.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhook_url_in_a_runtime_error_is_never_published() {
        let error =
            "fetch failed: Invalid URL https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX (TypeError)";
        let shown = published(error);
        assert_eq!(shown, "fetch failed: Invalid URL [url] (TypeError)");
        let bare = published("bad url hooks.slack.com/services/T0/B0/abc and token=aGVsbG8td29ybGQtdG9rZW4tMTIz");
        assert!(!bare.contains("slack") && !bare.contains("aGVsbG8"), "{bare}");
        assert!(bare.contains("token=[redacted]"), "{bare}");
    }

    #[test]
    fn plain_words_pass_and_long_text_is_capped_on_a_character() {
        assert_eq!(published("HTTP 404: no_service"), "HTTP 404: no_service");
        let long = "é".repeat(500);
        let shown = published(&long);
        assert_eq!(shown.chars().count(), MAX_PUBLISHED_CHARS + 1);
        assert!(shown.ends_with('…'));
    }
}
