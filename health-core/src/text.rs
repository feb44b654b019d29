//! Text hygiene for every message a caller or a log can see: credentials
//! removed ([`redact`]), and characters that could forge a line or hide
//! text removed, with a length bound ([`sanitize`]).

use std::borrow::Cow;

/// The longest message a rendering carries, in characters.
pub const MAX_MESSAGE_CHARS: usize = 256;

/// Keys whose value is a secret in `key=value`, `key: value` and query
/// strings, compared without case.
const SECRET_KEYS: [&str; 10] = [
    "password",
    "passwd",
    "pwd",
    "secret",
    "client_secret",
    "token",
    "access_token",
    "refresh_token",
    "api_key",
    "apikey",
];

/// Removes credentials from a text: the password of a URL
/// (`postgres://user:secret@host` → `postgres://user:***@host`), a URL's
/// user name when it stands alone (`https://ghp_abc@host` →
/// `https://***@host`, as tokens are passed), and the value of
/// `password`, `pwd`, `secret`, `token`, `access_token` and similar keys in
/// `key=value`, `key = "value"`, `key: value` and query strings, whatever
/// their case.
///
/// The registry applies it to every check's message, so logs, listeners
/// and responses never carry the secret, whoever wrote the check.
///
/// ```
/// use health_core::text::redact;
/// assert_eq!(redact("cannot reach redis://:hunter2@cache:6379/0"), "cannot reach redis://:***@cache:6379/0");
/// assert_eq!(redact("GET https://ghp_abc123@api.example/x failed"), "GET https://***@api.example/x failed");
/// assert_eq!(redact("host=db Password = 'hunter 2' user=app"), "host=db Password = '***' user=app");
/// assert_eq!(redact("GET /v1?access_token=abc&x=1: 401"), "GET /v1?access_token=***&x=1: 401");
/// assert_eq!(redact("connection refused"), "connection refused");
/// ```
pub fn redact(text: &str) -> Cow<'_, str> {
    // Byte ranges of secrets.
    let mut secrets: Vec<(usize, usize)> = Vec::new();
    find_url_secrets(text, &mut secrets);
    find_key_secrets(text, &mut secrets);
    if secrets.is_empty() {
        return Cow::Borrowed(text);
    }
    secrets.sort_unstable();
    let mut buf = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in secrets {
        if start < at {
            // Overlapping ranges: the first already covers this one's start.
            if end > at {
                at = end;
            }
            continue;
        }
        buf.push_str(&text[at..start]);
        buf.push_str("***");
        at = end;
    }
    buf.push_str(&text[at..]);
    Cow::Owned(buf)
}

/// The userinfo secrets of every `scheme://userinfo@host` in `text`: the
/// password after `:`, or the whole user name when there is no `:`.
fn find_url_secrets(text: &str, secrets: &mut Vec<(usize, usize)>) {
    let mut from = 0;
    while let Some(found) = text[from..].find("://") {
        let authority = from + found + 3;
        // The authority ends at whitespace or a quote; within it, the last
        // `@` ends the userinfo (a password may hold `/`, `?` or `#`:
        // redacting too much is the safe mistake).
        let end = text[authority..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
            .map_or(text.len(), |e| authority + e);
        if let Some(at) = text[authority..end].rfind('@') {
            let userinfo = &text[authority..authority + at];
            let secret_start = match userinfo.find(':') {
                Some(colon) => authority + colon + 1,
                None => authority,
            };
            if secret_start < authority + at {
                secrets.push((secret_start, authority + at));
            }
        }
        from = end.max(authority);
    }
}

/// The values of secret keys: `key=value`, `key = value`, `key: value`,
/// quoted or not, case-insensitive, the key at a word boundary.
fn find_key_secrets(text: &str, secrets: &mut Vec<(usize, usize)>) {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    for key in SECRET_KEYS {
        let mut from = 0;
        while let Some(found) = lower[from..].find(key) {
            let start = from + found;
            let after = start + key.len();
            from = after;
            let boundary_before = start == 0 || !is_word(bytes[start - 1]);
            let boundary_after = after == bytes.len() || !is_word(bytes[after]);
            if !(boundary_before && boundary_after) {
                continue;
            }
            let mut i = after;
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            if i >= bytes.len() || !matches!(bytes[i], b'=' | b':') {
                continue;
            }
            i += 1;
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            if i >= bytes.len() {
                continue;
            }
            let (value_start, value_end) = match bytes[i] {
                quote @ (b'"' | b'\'') => {
                    let close = lower[i + 1..]
                        .find(quote as char)
                        .map_or(bytes.len(), |c| i + 1 + c);
                    (i + 1, close)
                }
                _ => {
                    let end = lower[i..]
                        .find(|c: char| {
                            c.is_whitespace() || matches!(c, '&' | ';' | ',' | '#' | '"' | '\'')
                        })
                        .map_or(bytes.len(), |e| i + e);
                    (i, end)
                }
            };
            if value_end > value_start {
                secrets.push((value_start, value_end));
                from = value_end;
            }
        }
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `c` must not reach a response: control characters, line and
/// paragraph separators (Zl, Zp), and format characters (Cf: bidi
/// controls, zero-width characters, the BOM...), which could fake a
/// `[+]db ok` line in the text format or hide text from an operator.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{2028}' | '\u{2029}' // line and paragraph separators (Zl, Zp)
            | '\u{00AD}' // soft hyphen
            | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}' | '\u{0890}' | '\u{0891}' | '\u{08E2}'
            | '\u{180E}' // Mongolian vowel separator
            | '\u{200B}'..='\u{200F}' // zero-width space, joiners, LRM, RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' // word joiner, invisible operators, bidi isolates
            | '\u{FEFF}' // BOM, zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotations
            | '\u{110BD}' | '\u{110CD}' | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}' | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

/// A message fit for a response: control, separator and format characters
/// (see above) replaced by spaces, at most [`MAX_MESSAGE_CHARS`]
/// characters (a longer one ends in `…`).
///
/// ```
/// use health_core::text::sanitize;
/// assert_eq!(sanitize("refused\r\n\tat line 3\u{1b}[31m"), "refused   at line 3 [31m");
/// assert_eq!(sanitize("down\u{2028}[+]db ok\u{202e}"), "down [+]db ok ");
/// assert_eq!(sanitize(&"x".repeat(1000)).chars().count(), 256);
/// ```
pub fn sanitize(message: &str) -> Cow<'_, str> {
    let clean = !message.chars().any(is_unsafe);
    let short = message.len() <= MAX_MESSAGE_CHARS || message.chars().count() <= MAX_MESSAGE_CHARS;
    if clean && short {
        return Cow::Borrowed(message);
    }
    let mut out: String = message
        .chars()
        .take(MAX_MESSAGE_CHARS)
        .map(|c| if is_unsafe(c) { ' ' } else { c })
        .collect();
    if !short {
        out.pop();
        out.push('…');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_every_form() {
        let cases = [
            (
                "postgres://app:s3cr3t@db:5432/app",
                "postgres://app:***@db:5432/app",
            ),
            ("postgres://app:a/b?c#d@db/app", "postgres://app:***@db/app"),
            (
                "see https://ghp_tok@github.com/x.git",
                "see https://***@github.com/x.git",
            ),
            (
                "redis://:pw@cache and http://h/",
                "redis://:***@cache and http://h/",
            ),
            (
                "host=db password=hunter2 user=app",
                "host=db password=*** user=app",
            ),
            ("Server=x;Pwd=hunter2;Db=y", "Server=x;Pwd=***;Db=y"),
            (r#"password = "two words" next"#, r#"password = "***" next"#),
            ("PASSWORD: abc", "PASSWORD: ***"),
            ("?token=abc&secret=def", "?token=***&secret=***"),
            ("x?ACCESS_TOKEN=abc#frag", "x?ACCESS_TOKEN=***#frag"),
            (
                "api_key=k1, client_secret='c s'",
                "api_key=***, client_secret='***'",
            ),
            // Not secrets: other words, or no value.
            (
                "tokens=3 password_hint=x mytoken=y",
                "tokens=3 password_hint=x mytoken=y",
            ),
            ("the token is missing", "the token is missing"),
            ("password=", "password="),
            ("http://host/path", "http://host/path"),
        ];
        for (input, expected) in cases {
            assert_eq!(redact(input), expected, "{input}");
        }
    }

    #[test]
    fn sanitizes_forged_lines_and_hidden_text() {
        for c in [
            '\u{2028}', '\u{2029}', '\u{200b}', '\u{200d}', '\u{202e}', '\u{2066}', '\u{feff}',
            '\u{85}', '\n',
        ] {
            let s = format!("a{c}b");
            assert_eq!(sanitize(&s), "a b", "{:?}", c);
        }
        assert_eq!(sanitize("naïve café ✓"), "naïve café ✓");
        let long: String = "é".repeat(300);
        let cut = sanitize(&long);
        assert_eq!(cut.chars().count(), MAX_MESSAGE_CHARS);
        assert!(cut.ends_with('…'));
    }
}
