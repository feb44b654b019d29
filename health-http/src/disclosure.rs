//! Who sees more than the overall status.

use std::borrow::Cow;
use std::fmt;

/// Who sees more than the overall status.
///
/// A caller allowed to see components sees each component's status; with
/// `?verbose`, its messages, durations, observed values, the version and
/// the uptime too. Any other caller sees only `{"status":"UP"}` (or
/// DOWN...), `?verbose` or not.
///
/// ```
/// use health_http::Disclosure;
/// let disclosure = Disclosure::bearer("s3cret");
/// assert!(disclosure.authorizes(Some("Bearer s3cret")));
/// assert!(!disclosure.authorizes(Some("Bearer wrong")));
/// assert!(!disclosure.authorizes(None));
/// assert!(!Disclosure::never().authorizes(Some("Bearer s3cret")));
/// assert!(Disclosure::always().authorizes(None));
/// ```
#[derive(Clone, Default)]
pub struct Disclosure {
    everyone: bool,
    token: Option<Cow<'static, str>>,
}

impl Disclosure {
    /// Nobody (the default): every caller sees only the overall status.
    pub fn never() -> Self {
        Self::default()
    }

    /// Everybody: for services reachable only from inside the cluster.
    pub fn always() -> Self {
        Self {
            everyone: true,
            token: None,
        }
    }

    /// Callers sending `Authorization: Bearer <token>`, compared in
    /// constant time.
    pub fn bearer(token: impl Into<Cow<'static, str>>) -> Self {
        Self {
            everyone: false,
            token: Some(token.into()),
        }
    }

    /// Whether a request with this `Authorization` header value may see
    /// components.
    pub fn authorizes(&self, authorization: Option<&str>) -> bool {
        if self.everyone {
            return true;
        }
        let (Some(token), Some(given)) = (&self.token, authorization.and_then(bearer_token)) else {
            return false;
        };
        // An empty configured token authorizes nobody.
        !token.is_empty() && constant_time_eq(given.as_bytes(), token.as_bytes())
    }
}

/// Compares without an early exit on the first differing byte.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// The token of an `Authorization: Bearer <token>` value (the scheme is
/// case-insensitive).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim_start())
}

impl fmt::Debug for Disclosure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.everyone, &self.token) {
            (true, _) => f.write_str("Disclosure::always()"),
            (false, None) => f.write_str("Disclosure::never()"),
            (false, Some(_)) => f.write_str("Disclosure::bearer(<redacted>)"),
        }
    }
}
