//! What of a server's text may reach the terminal: no control character
//! (an escape sequence could rewrite the screen, retitle the window or hide
//! what came before), no line or paragraph separator, no bidirectional or
//! zero-width formatting character. Each is replaced by a space.

/// `text` as one line: every character above replaced, newlines too. For
/// the one line on stderr.
///
/// ```
/// assert_eq!(health_probe::printable::line("db\x1b[31m down\r\n"), "db [31m down  ");
/// ```
pub fn line(text: &str) -> String {
    text.chars()
        .map(|c| if unsafe_char(c) { ' ' } else { c })
        .collect()
}

/// `text` keeping its lines: as [`line()`], but newlines and tabs stay, and a
/// carriage return before a newline goes. For a body `--verbose` prints.
///
/// ```
/// let body = "ok\r\n\x1b]0;title\x07\tx\u{202e}y\n";
/// assert_eq!(health_probe::printable::lines(body), "ok\n ]0;title \tx y\n");
/// ```
pub fn lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => {}
            c if unsafe_char(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A control character (C0, DEL, C1), a line or paragraph separator, or a
/// bidirectional or zero-width formatting character.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{061c}' | '\u{200e}' | '\u{200f}' // bidi marks
            | '\u{202a}'..='\u{202e}' // bidi embeddings and overrides
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' // zero-width
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_unsafe_is_left() {
        let hostile = "a\x1b[2J\x07\x00\x7f\u{9b}31m\u{2028}\u{202e}\u{2067}\u{200b}\u{feff}b";
        for cleaned in [line(hostile), lines(hostile)] {
            assert!(!cleaned.chars().any(unsafe_char), "{cleaned:?}");
            assert!(cleaned.starts_with('a') && cleaned.ends_with('b'));
            assert_eq!(cleaned.chars().count(), hostile.chars().count());
        }
    }

    #[test]
    fn lines_keep_their_breaks() {
        assert_eq!(lines("a\r\nb\n\tc\rd"), "a\nb\n\tc d");
        assert_eq!(line("a\nb\tc"), "a b c");
        assert_eq!(lines("caf\u{e9} \u{2713}"), "caf\u{e9} \u{2713}");
    }
}
