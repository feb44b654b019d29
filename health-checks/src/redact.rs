use std::borrow::Cow;

/// Removes credentials from an error text: the password of URLs
/// (`postgres://user:secret@host` → `postgres://user:***@host`) and the
/// value of `password=` in key-value connection strings.
///
/// ```
/// use health_checks::redact;
/// assert_eq!(redact("cannot reach redis://:hunter2@cache:6379/0"), "cannot reach redis://:***@cache:6379/0");
/// assert_eq!(redact("host=db password=hunter2 user=app"), "host=db password=*** user=app");
/// assert_eq!(redact("postgres://app:a/b?c#d@db/app"), "postgres://app:***@db/app");
/// assert_eq!(redact("connection refused"), "connection refused");
/// ```
pub fn redact(text: &str) -> Cow<'_, str> {
    if !text.contains("://") && !text.to_ascii_lowercase().contains("password=") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&redact_word(word));
    }
    Cow::Owned(out)
}

fn redact_word(word: &str) -> Cow<'_, str> {
    if let Some(scheme_end) = word.find("://") {
        let rest = &word[scheme_end + 3..];
        // The last `@` of the word, not of the authority: a password may
        // hold `/`, `?` or `#` (redacting too much is the safe mistake).
        if let Some(at) = rest.rfind('@') {
            let userinfo = &rest[..at];
            if let Some(colon) = userinfo.find(':') {
                let keep = scheme_end + 3 + colon + 1;
                return Cow::Owned(format!("{}***{}", &word[..keep], &rest[at..]));
            }
        }
    }
    let lower = word.to_ascii_lowercase();
    if let Some(at) = lower.find("password=") {
        let keep = at + "password=".len();
        return Cow::Owned(format!("{}***", &word[..keep]));
    }
    Cow::Borrowed(word)
}
