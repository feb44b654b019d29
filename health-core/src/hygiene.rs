//! Text hygiene for every message a caller or a log can see: credentials
//! removed ([`redact`]), and characters that could forge a line or hide
//! text removed, with a length bound ([`sanitize`]).

use std::borrow::Cow;

/// The longest message a rendering carries, in characters. The registry
/// stores no longer one: a check's message is cut to this length when its
/// result is recorded.
pub const MAX_MESSAGE_CHARS: usize = 256;

/// Key words whose value is a secret wherever they end a key: `DB_PASSWORD`,
/// `PGPASSWORD`, `x-api-key`, `AWS_SECRET_ACCESS_KEY`, `accessToken`. A `_`
/// here matches `_`, `-` or nothing (`api_key`, `api-key`, `apiKey`).
/// `password` and `passwd` end a key whatever precedes them (`PGPASSWORD`);
/// the others only after a separator, a case change or the key's start
/// (`access_token`, `accessToken`, not `mytoken`).
const GLUED_WORDS: [&[u8]; 2] = [b"password", b"passwd"];
const WORDS: [&[u8]; 7] = [
    b"pwd",
    b"secret",
    b"token",
    b"api_key",
    b"access_key",
    b"secret_key",
    b"private_key",
];
/// Keys whose value is a scheme and credentials (`Bearer abc`, `Basic dXNl`):
/// the scheme stays, the credentials go.
const AUTHORIZATION: &[u8] = b"authorization";

/// What a key's value holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    /// The value is the secret.
    Secret,
    /// An optional scheme word, then the secret.
    Credentials,
}

/// Removes credentials from a text, whatever their case, and whatever
/// precedes or follows them (a space, punctuation, an ANSI escape
/// sequence):
///
/// - the password of a URL or of `user:password@host` without a scheme
///   (`postgres://user:secret@host` → `postgres://user:***@host`), and a
///   URL's user name when it stands alone (`https://ghp_abc@host` →
///   `https://***@host`, as tokens are passed);
/// - the value of a key ending in `password`, `passwd`, `pwd`, `secret`,
///   `token`, `api_key`, `access_key`, `secret_key` or `private_key`
///   (`DB_PASSWORD`, `PGPASSWORD`, `x-api-key`,
///   `AWS_SECRET_ACCESS_KEY`, `client_secret`, `accessToken`) in
///   `key=value`, `key = "value"`, `key: value`, `"key":"value"`,
///   `"key" => "value"` and query strings;
/// - the credentials of `Authorization: Bearer …` / `Basic …` (any
///   scheme; the scheme stays), and of a bare `Bearer …`.
///
/// The registry applies it to every check's message and to the strings of
/// its details (a detail whose key is such a key is replaced whole), so
/// logs, listeners and responses never carry the secret, whoever wrote the
/// check. Redacting too much is the safe mistake: `mailto:bob@host`
/// becomes `mailto:***@host`.
///
/// ```
/// use health_core::hygiene::redact;
/// assert_eq!(redact("cannot reach redis://:hunter2@cache:6379/0"), "cannot reach redis://:***@cache:6379/0");
/// assert_eq!(redact("GET https://ghp_abc123@api.example/x failed"), "GET https://***@api.example/x failed");
/// assert_eq!(redact("host=db Password = 'hunter 2' user=app"), "host=db Password = '***' user=app");
/// assert_eq!(redact("GET /v1?access_token=abc&x=1: 401"), "GET /v1?access_token=***&x=1: 401");
/// assert_eq!(redact(r#"{"password":"hunter2"}"#), r#"{"password":"***"}"#);
/// assert_eq!(redact("env PGPASSWORD=hunter2 psql"), "env PGPASSWORD=*** psql");
/// assert_eq!(redact("Authorization: Bearer eyJhbGciOi"), "Authorization: Bearer ***");
/// assert_eq!(redact("login app:hunter2@db:5432 refused"), "login app:***@db:5432 refused");
/// assert_eq!(redact("\u{1b}[31mtoken=abc\u{1b}[0m"), "\u{1b}[31mtoken=***\u{1b}[0m");
/// assert_eq!(redact("connection refused"), "connection refused");
/// ```
pub fn redact(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    // Byte ranges of secrets, in order of their start.
    let mut secrets: Vec<(usize, usize)> = Vec::new();
    // The end of the last secret found: a separator inside a secret starts
    // nothing (and a text of `token=token=...` stays linear).
    let mut covered = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if i < covered {
            continue;
        }
        let found = match b {
            b'=' | b':' => keyed(text, i),
            b'b' | b'B' => bearer(bytes, i),
            _ => None,
        };
        if let Some((start, end)) = found {
            secrets.push((start, end));
            covered = end;
        }
    }
    userinfo(bytes, &mut secrets);
    if secrets.is_empty() {
        return Cow::Borrowed(text);
    }
    secrets.sort_unstable();
    let mut buf = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in secrets {
        if start < at {
            // Overlapping ranges: the first already covers this one's start.
            at = at.max(end);
            continue;
        }
        buf.push_str(&text[at..start]);
        buf.push_str("***");
        at = end;
    }
    buf.push_str(&text[at..]);
    Cow::Owned(buf)
}

/// Whether a detail's key names a secret (see [`redact`]): its value is
/// replaced whole.
pub(crate) fn is_secret_key(key: &str) -> bool {
    key_kind(key.as_bytes()).is_some()
}

/// The secret after the separator at `sep` (`=` or `:`), if the key before
/// it is a secret key.
fn keyed(text: &str, sep: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    // The key: `key=`, `key =`, `"key":`, `'key' =>`, `key\x1b[0m=`.
    let mut end = sep;
    loop {
        while end > 0 && bytes[end - 1] == b' ' {
            end -= 1;
        }
        match escape_ending_at(bytes, end) {
            Some(esc) => end = esc,
            None => break,
        }
    }
    if end > 0 && matches!(bytes[end - 1], b'"' | b'\'') {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && is_key_byte(bytes[start - 1]) {
        start -= 1;
    }
    let kind = key_kind(&bytes[start..end]).or_else(|| {
        // A key glued to an escape sequence (`\x1b[31mtoken=`): the key
        // starts where the sequence ends.
        let after = escape_end_within(bytes, start, end)?;
        key_kind(&bytes[after..end])
    })?;
    let mut i = sep + 1;
    if bytes[sep] == b'=' && bytes.get(i) == Some(&b'>') {
        i += 1;
    }
    value(text, i, kind)
}

/// The secret value starting at `from` (after spaces; quoted or not).
fn value(text: &str, from: usize, kind: Key) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let from = skip_blanks(bytes, from);
    let (start, end) = match *bytes.get(from)? {
        quote @ (b'"' | b'\'') => {
            let start = from + 1;
            let mut end = start;
            while end < bytes.len() && bytes[end] != quote {
                // An escaped quote does not end the value.
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            (start, end.min(bytes.len()))
        }
        _ => {
            let mut start = from;
            if kind == Key::Credentials {
                // `Bearer abc`: past the scheme word, if a value follows.
                let word = bytes[start..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                let next = skip_blanks(bytes, start + word);
                if word > 0
                    && next > start + word
                    && bytes.get(next).is_some_and(|&b| !ends_value(b))
                {
                    start = next;
                }
            }
            let end = bytes[start..]
                .iter()
                .position(|&b| ends_value(b))
                .map_or(bytes.len(), |e| start + e);
            (start, end)
        }
    };
    (end > start).then_some((start, end))
}

/// The bytes that end an unquoted value: whitespace, control characters
/// (an escape sequence glued after it), and the separators of query
/// strings, connection strings and lists.
fn ends_value(b: u8) -> bool {
    b.is_ascii_whitespace()
        || b.is_ascii_control()
        || matches!(b, b'&' | b';' | b',' | b'#' | b'"' | b'\'')
}

/// The token after a bare `Bearer ` starting at `at`.
fn bearer(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    const WORD: &[u8] = b"bearer";
    let word = bytes.get(at..at + WORD.len())?;
    if !word.eq_ignore_ascii_case(WORD)
        || (at > 0 && bytes[at - 1].is_ascii_alphanumeric() && !escape_ends_at(bytes, at))
    {
        return None;
    }
    let start = skip_blanks(bytes, at + WORD.len());
    if start == at + WORD.len() {
        return None;
    }
    // RFC 6750's b64token.
    let end = start
        + bytes[start..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b))
            .count();
    (end > start).then_some((start, end))
}

/// The userinfo secrets: in each run of text without whitespace, quotes or
/// angle brackets that holds an `@`, the part of the userinfo before its
/// last `@` after the first `:` (`user:pw@host`, `scheme://user:pw@host`),
/// or the whole userinfo of a URL whose user name has no `:`
/// (`https://token@host`).
fn userinfo(bytes: &[u8], secrets: &mut Vec<(usize, usize)>) {
    let mut run_start = 0;
    for end in 0..=bytes.len() {
        if end < bytes.len() && !ends_run(bytes[end]) {
            continue;
        }
        let run = &bytes[run_start..end];
        if let Some(at) = run.iter().rposition(|&b| b == b'@') {
            let scheme = run[..at].windows(3).rposition(|w| w == b"://");
            let info = scheme.map_or(0, |s| s + 3);
            let userinfo = &run[info..at];
            let colon = userinfo.iter().position(|&b| b == b':');
            let secret = match (scheme, colon) {
                // A URL: the password after the user's `:`, or all of
                // the userinfo when a `@` comes first (a user name alone,
                // as tokens are passed, then the rest of the URL).
                (Some(_), Some(colon)) if !userinfo[..colon].contains(&b'@') => {
                    Some(info + colon + 1)
                }
                (Some(_), _) => Some(info),
                (None, colon) => colon.map(|colon| colon + 1),
            };
            if let Some(start) = secret.filter(|&s| s < at) {
                secrets.push((run_start + start, run_start + at));
            }
        }
        run_start = end + 1;
    }
}

/// The bytes that end a run of [`userinfo`].
fn ends_run(b: u8) -> bool {
    b.is_ascii_whitespace() || b.is_ascii_control() || matches!(b, b'"' | b'\'' | b'<' | b'>')
}

/// The bytes of a key: `db.password`, `x-api-key`, `DB_PASSWORD`.
fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// What the value of `key` holds, if `key` names a secret.
fn key_kind(key: &[u8]) -> Option<Key> {
    if ends_with_word(key, AUTHORIZATION, false) {
        return Some(Key::Credentials);
    }
    let secret = GLUED_WORDS.iter().any(|w| ends_with_word(key, w, true))
        || WORDS.iter().any(|w| ends_with_word(key, w, false));
    secret.then_some(Key::Secret)
}

/// Whether `key` ends with `word` (ASCII case ignored; `_` in `word`
/// matches `_`, `-` or nothing), at a word boundary unless `glued`: the
/// key's start, a byte that is not a letter or digit, or a case change
/// (`accessToken`).
fn ends_with_word(key: &[u8], word: &[u8], glued: bool) -> bool {
    let (mut k, mut w) = (key.len(), word.len());
    while w > 0 {
        let expected = word[w - 1];
        w -= 1;
        match key[..k].last() {
            Some(&b) if expected == b'_' && matches!(b, b'_' | b'-') => k -= 1,
            _ if expected == b'_' => {}
            Some(&b) if b.eq_ignore_ascii_case(&expected) => k -= 1,
            _ => return false,
        }
    }
    if glued || k == 0 {
        return true;
    }
    let (before, first) = (key[k - 1], key[k]);
    !before.is_ascii_alphanumeric()
        || ((before.is_ascii_lowercase() || before.is_ascii_digit()) && first.is_ascii_uppercase())
}

/// The longest escape sequence looked for before a key.
const MAX_ESCAPE: usize = 32;

/// Where an escape sequence (`ESC [ 31 m`, `ESC M`) that starts before
/// `start` ends, if that is inside `start..end`: the sequence's last bytes
/// are glued to the key (`\x1b[31mtoken`).
fn escape_end_within(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let from = start.saturating_sub(MAX_ESCAPE);
    let esc = from + bytes[from..start].iter().rposition(|&b| b == 0x1b)?;
    let after = escape_end(bytes, esc);
    (start < after && after < end).then_some(after)
}

/// Whether an escape sequence ends right at `at`.
fn escape_ends_at(bytes: &[u8], at: usize) -> bool {
    escape_ending_at(bytes, at).is_some()
}

/// Where the escape sequence that ends right at `at` starts, if one does.
fn escape_ending_at(bytes: &[u8], at: usize) -> Option<usize> {
    let from = at.saturating_sub(MAX_ESCAPE);
    let esc = from + bytes[from..at].iter().rposition(|&b| b == 0x1b)?;
    (escape_end(bytes, esc) == at).then_some(esc)
}

/// `at`, past any spaces and escape sequences (`= \x1b[33mhunter2`).
fn skip_blanks(bytes: &[u8], mut at: usize) -> usize {
    loop {
        match bytes.get(at) {
            Some(b' ') => at += 1,
            Some(0x1b) => at = escape_end(bytes, at),
            _ => return at,
        }
    }
}

/// The end of the escape sequence at `esc` (ECMA-48: a control sequence
/// `ESC [` parameters, intermediates, final byte; or `ESC`, intermediates,
/// final byte).
fn escape_end(bytes: &[u8], esc: usize) -> usize {
    let mut i = esc + 1;
    let csi = bytes.get(i) == Some(&b'[');
    if csi {
        i += 1;
        while bytes.get(i).is_some_and(|b| (0x30..=0x3f).contains(b)) {
            i += 1;
        }
    }
    while bytes.get(i).is_some_and(|b| (0x20..=0x2f).contains(b)) {
        i += 1;
    }
    if bytes
        .get(i)
        .is_some_and(|b| (0x40..=0x7e).contains(b) || (!csi && (0x30..=0x3f).contains(b)))
    {
        i += 1;
    }
    i
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
/// use health_core::hygiene::sanitize;
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

/// `message` cut to at most [`MAX_MESSAGE_CHARS`] characters, a longer one
/// ending in `…` as [`sanitize`] ends it: what the registry stores of a
/// check's message. `None` when it is short enough.
pub(crate) fn shorten(message: &str) -> Option<String> {
    if message.len() <= MAX_MESSAGE_CHARS {
        return None;
    }
    let mut chars = message.char_indices();
    let (cut, _) = chars.nth(MAX_MESSAGE_CHARS - 1)?;
    chars.next()?;
    let mut short = String::with_capacity(cut + '…'.len_utf8());
    short.push_str(&message[..cut]);
    short.push('…');
    Some(short)
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
            ("ssh git@github.com: denied", "ssh git@github.com: denied"),
            ("at 12:30 on db1", "at 12:30 on db1"),
            ("token_type=bearer", "token_type=bearer"),
            // The forms of issue 20.
            (r#"{"password":"hunter2"}"#, r#"{"password":"***"}"#),
            (r#"{'password': 'hunter2'}"#, r#"{'password': '***'}"#),
            (r#"{"password"=>"hunter2"}"#, r#"{"password"=>"***"}"#),
            (r#"{"token": "a\"b"}"#, r#"{"token": "***"}"#),
            ("DB_PASSWORD=hunter2", "DB_PASSWORD=***"),
            ("PGPASSWORD=hunter2 psql", "PGPASSWORD=*** psql"),
            ("AWS_SECRET_ACCESS_KEY=wJalrX", "AWS_SECRET_ACCESS_KEY=***"),
            ("x-api-key: k1", "x-api-key: ***"),
            ("X-Api-Key:k1", "X-Api-Key:***"),
            ("apiKey=k1 accessToken=t1", "apiKey=*** accessToken=***"),
            ("--password=p1", "--password=***"),
            ("db.password: p1", "db.password: ***"),
            (
                "Authorization: Bearer eyJhbGci.eyJzdWIi.sig",
                "Authorization: Bearer ***",
            ),
            (
                "authorization: Basic dXNlcjpwdw==",
                "authorization: Basic ***",
            ),
            ("Proxy-Authorization: abc123", "Proxy-Authorization: ***"),
            ("sent bearer abc123 to api", "sent bearer *** to api"),
            ("app:hunter2@db:5432", "app:***@db:5432"),
            ("dial app:pa@ss@db failed", "dial app:***@db failed"),
            // Glued to punctuation and escape sequences.
            ("(password=hunter2)", "(password=***"),
            ("[token:abc],", "[token:***,"),
            ("\u{1b}[31mpassword=hunter2", "\u{1b}[31mpassword=***"),
            (
                "\u{1b}[1;31mtoken=abc\u{1b}[0m",
                "\u{1b}[1;31mtoken=***\u{1b}[0m",
            ),
            (
                "token\u{1b}[0m=\u{1b}[33mabc\u{1b}[0m",
                "token\u{1b}[0m=\u{1b}[33m***\u{1b}[0m",
            ),
            ("\u{1b}[1mBearer abc", "\u{1b}[1mBearer ***"),
            ("\u{1b}Mapi_key=k", "\u{1b}Mapi_key=***"),
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

    #[test]
    fn detail_keys_that_name_a_secret() {
        for key in [
            "password",
            "DB_PASSWORD",
            "pgpassword",
            "api-key",
            "clientSecret",
            "authorization",
            "refresh_token",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["tokens", "password_hint", "mytoken", "user", "token_count"] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn shortens_as_sanitize_cuts() {
        assert_eq!(shorten("short"), None);
        assert_eq!(shorten(&"é".repeat(MAX_MESSAGE_CHARS)), None);
        for long in ["x".repeat(10_000), "é".repeat(300)] {
            let short = shorten(&long).unwrap();
            assert_eq!(short, sanitize(&long));
            assert_eq!(short.chars().count(), MAX_MESSAGE_CHARS);
        }
    }
}
