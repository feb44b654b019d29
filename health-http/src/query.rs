//! The query string: `verbose`, `exclude`, `tag`, `format`, `timeout`.

use crate::body::ContentType;
use percent_encoding::percent_decode_str;
use std::borrow::Cow;
use std::time::Duration;

/// The default prober timeout: the kubelet's (`timeoutSeconds: 1`).
pub const DEFAULT_PROBE_TIMEOUT: Duration = Duration::from_secs(1);

/// The longest prober timeout, configured or asked with `?timeout=`.
pub const MAX_PROBE_TIMEOUT: Duration = Duration::from_secs(60);

/// The longest query accepted, in bytes.
pub(crate) const MAX_QUERY: usize = 2048;

#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Query {
    pub(crate) verbose: bool,
    pub(crate) exclude: Vec<String>,
    pub(crate) tag: Option<String>,
    /// The probe format `?format=` asks for.
    pub(crate) format: Option<ContentType>,
    /// How long the caller waits, `?timeout=500ms`.
    pub(crate) timeout: Option<Duration>,
}

/// Parses a raw query. Unknown parameters are ignored, undecoded (a
/// cache-buster such as `?_=1733` must never fail a probe); a known one
/// that is malformed, or given twice (`exclude` aside, which accumulates
/// as in Kubernetes' `/readyz`), is an error. The error is a message for a
/// 400 body; it never echoes the input.
pub(crate) fn parse(raw: Option<&str>) -> Result<Query, Cow<'static, str>> {
    let mut query = Query::default();
    let Some(raw) = raw else { return Ok(query) };
    if raw.len() > MAX_QUERY {
        return Err("the query is too long".into());
    }
    let (mut seen_verbose, mut seen_format) = (false, false);
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let Ok(key) = decode(key) else { continue };
        match &*key {
            "verbose" => {
                once(&mut seen_verbose, "verbose")?;
                query.verbose = match &*decode(value)? {
                    "" | "true" | "1" => true,
                    "false" | "0" => false,
                    _ => {
                        return Err("`verbose` takes no value, or one of: true, false, 1, 0".into());
                    }
                };
            }
            "exclude" => {
                query.exclude.extend(
                    decode(value)?
                        .split(',')
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned),
                );
            }
            "tag" => {
                if query.tag.is_some() {
                    return Err("`tag` is given more than once".into());
                }
                let value = decode(value)?;
                if value.is_empty() {
                    return Err("`tag` needs a value".into());
                }
                query.tag = Some(value.into_owned());
            }
            "format" => {
                once(&mut seen_format, "format")?;
                let Some(format) = ContentType::from_query(&decode(value)?) else {
                    return Err("unknown `format`: expected one of: json, ietf, text".into());
                };
                query.format = Some(format);
            }
            "timeout" => {
                if query.timeout.is_some() {
                    return Err("`timeout` is given more than once".into());
                }
                let value = decode(value)?;
                match health_names::duration::parse(&value) {
                    Ok(t) if !t.is_zero() && t <= MAX_PROBE_TIMEOUT => query.timeout = Some(t),
                    _ => {
                        return Err(
                            "`timeout` takes a duration above zero and at most 60s, such as 500ms"
                                .into(),
                        );
                    }
                }
            }
            // Unknown: ignored, as Kubernetes and Spring do.
            _ => {}
        }
    }
    Ok(query)
}

fn once(seen: &mut bool, key: &'static str) -> Result<(), Cow<'static, str>> {
    if std::mem::replace(seen, true) {
        return Err(format!("`{key}` is given more than once").into());
    }
    Ok(())
}

/// Decodes `application/x-www-form-urlencoded` text: `+` is a space,
/// `%XX` a byte; the result must be UTF-8 without control characters.
fn decode(raw: &str) -> Result<Cow<'_, str>, Cow<'static, str>> {
    if !raw.bytes().any(|b| b == b'%' || b == b'+') {
        // Nothing to decode (the common case): no copy.
        if raw.chars().any(char::is_control) {
            return Err("the query contains control characters".into());
        }
        return Ok(Cow::Borrowed(raw));
    }
    if !well_escaped(raw) {
        return Err("the query has a malformed percent escape".into());
    }
    let plus: Cow<'_, str> = if raw.contains('+') {
        raw.replace('+', " ").into()
    } else {
        raw.into()
    };
    let decoded = percent_decode_str(&plus)
        .decode_utf8()
        .map_err(|_| "the query is not valid UTF-8")?;
    if decoded.chars().any(char::is_control) {
        return Err("the query contains control characters".into());
    }
    Ok(Cow::Owned(decoded.into_owned()))
}

/// Whether every `%` starts a `%XX` escape.
fn well_escaped(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'%')
        .all(|(i, _)| {
            bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_parameter() {
        let q = parse(Some("verbose&exclude=a,b&exclude=c&tag=db&format=ietf")).unwrap();
        assert!(q.verbose);
        assert_eq!(q.exclude, ["a", "b", "c"]);
        assert_eq!(q.tag.as_deref(), Some("db"));
        assert_eq!(q.format, Some(ContentType::HealthJson));
        assert_eq!(parse(Some("verbose=false&&")).unwrap(), Query::default());
        assert_eq!(parse(None).unwrap(), Query::default());
        assert_eq!(
            parse(Some("tag=a%20b+c")).unwrap().tag.as_deref(),
            Some("a b c")
        );
    }

    #[test]
    fn rejects_malformed_queries() {
        for bad in [
            "format=xml",
            "verbose=maybe",
            "verbose&verbose",
            "tag=a&tag=b",
            "tag=",
            "tag=%FF%FE",
            "tag=%00",
            "tag=%",
            "tag=%4",
            "tag=%zz",
            "format=json&format=text",
            "verbose=%zz",
            &"a".repeat(MAX_QUERY + 1),
        ] {
            assert!(parse(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn ignores_unknown_parameters_whatever_they_hold() {
        for ignored in [
            "_=1733",
            "nope=1",
            "_=%zz",
            "%zz=1",
            "cb&cb&cb",
            "x=%FF",
            "verbose2=maybe",
        ] {
            assert_eq!(parse(Some(ignored)).unwrap(), Query::default(), "{ignored}");
        }
        let q = parse(Some("_=1&tag=db&t=9")).unwrap();
        assert_eq!(q.tag.as_deref(), Some("db"));
    }
}
