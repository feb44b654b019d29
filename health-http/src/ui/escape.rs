//! Escaping for HTML and SVG text and double- or single-quoted attribute
//! values: everything the page shows that came from a check (names, tags,
//! messages) or from the configuration goes through [`escape`].

use std::fmt;

/// `text` with `&`, `<`, `>`, `"` and `'` replaced by character
/// references: safe in element content and in quoted attribute values of
/// HTML and SVG alike. Characters the core already strips (controls,
/// bidi, zero-width) never get here from a check; any other character is
/// kept, the page being UTF-8.
pub(crate) struct Escape<'a>(pub(crate) &'a str);

impl fmt::Display for Escape<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut last = 0;
        for (i, byte) in text.bytes().enumerate() {
            let entity = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            // The bytes matched are ASCII: `i` is a char boundary.
            f.write_str(&text[last..i])?;
            f.write_str(entity)?;
            last = i + 1;
        }
        f.write_str(&text[last..])
    }
}

/// Shorthand for [`Escape`].
pub(crate) fn escape(text: &str) -> Escape<'_> {
    Escape(text)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_quotes() {
        let cases = [
            ("", ""),
            ("db", "db"),
            ("a&b", "a&amp;b"),
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            (r#"" onmouseover="x"#, "&quot; onmouseover=&quot;x"),
            ("it's", "it&#39;s"),
            ("&amp;", "&amp;amp;"),
            ("ünïcödé ✔ <", "ünïcödé ✔ &lt;"),
            ("]]><!--", "]]&gt;&lt;!--"),
        ];
        for (text, expected) in cases {
            assert_eq!(escape(text).to_string(), expected, "{text:?}");
        }
    }

    /// Whatever the input, the output holds no character that could open
    /// a tag, end an attribute or start another reference unescaped.
    #[test]
    fn no_markup_survives() {
        let nasty: String = (0u8..128)
            .map(char::from)
            .chain("✔é\u{fffd}".chars())
            .collect();
        let out = escape(&nasty).to_string();
        assert!(!out.contains(['<', '>', '"', '\'']));
        // Every `&` starts one of our references.
        for (i, _) in out.match_indices('&') {
            let rest = &out[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| rest.starts_with(e)),
                "{rest}"
            );
        }
    }
}
