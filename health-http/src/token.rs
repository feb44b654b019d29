//! Bearer tokens: validated once, compared as fixed-size keyed digests.

use std::fmt;
use std::hash::{BuildHasher, RandomState};

/// The shortest token accepted, in bytes.
pub const MIN_TOKEN_BYTES: usize = 16;

/// A bearer token, for `Authorization: Bearer <token>`.
///
/// Kept only as a digest: two SipHash values under keys drawn at random
/// for this process (the standard library's `RandomState`, a keyed
/// pseudo-random function). A presented token is digested the same way and
/// the two fixed-size digests compared without an early exit, so the time
/// a comparison takes tells nothing about the token's length or content.
///
/// ```
/// use health_http::Token;
/// let token = Token::new("4f9c2e7d1a8b3c6e5f0a")?;
/// assert!(token.authorizes(Some("Bearer 4f9c2e7d1a8b3c6e5f0a")));
/// assert!(token.authorizes(Some("bearer 4f9c2e7d1a8b3c6e5f0a")));
/// assert!(!token.authorizes(Some("Bearer 4f9c2e7d1a8b3c6e5f0b")));
/// assert!(!token.authorizes(None));
/// assert!(Token::new("s3cret").is_err());
/// # Ok::<(), health_http::TokenError>(())
/// ```
#[derive(Clone)]
pub struct Token {
    keys: [RandomState; 2],
    digest: [u64; 2],
}

impl Token {
    /// A token of at least [`MIN_TOKEN_BYTES`] bytes, without whitespace or
    /// control characters (they would not survive an HTTP header intact).
    pub fn new(secret: &str) -> Result<Self, TokenError> {
        if secret.len() < MIN_TOKEN_BYTES {
            return Err(TokenError::TooShort {
                bytes: secret.len(),
            });
        }
        if secret.chars().any(char::is_whitespace) {
            return Err(TokenError::Whitespace);
        }
        if secret.chars().any(char::is_control) {
            return Err(TokenError::Control);
        }
        let keys = [RandomState::new(), RandomState::new()];
        let digest = digest(&keys, secret);
        Ok(Self { keys, digest })
    }

    /// Whether `given` is the token.
    pub fn matches(&self, given: &str) -> bool {
        let d = digest(&self.keys, given);
        let diff = (d[0] ^ self.digest[0]) | (d[1] ^ self.digest[1]);
        std::hint::black_box(diff) == 0
    }

    /// Whether an `Authorization` header value presents the token (the
    /// scheme `Bearer`, in any case).
    pub fn authorizes(&self, authorization: Option<&str>) -> bool {
        authorization
            .and_then(bearer_token)
            .is_some_and(|given| self.matches(given))
    }
}

fn digest(keys: &[RandomState; 2], text: &str) -> [u64; 2] {
    [keys[0].hash_one(text), keys[1].hash_one(text)]
}

/// The token of an `Authorization: Bearer <token>` value.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim_start())
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Why a token was refused. Never holds the token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// Shorter than [`MIN_TOKEN_BYTES`].
    TooShort {
        /// Its length.
        bytes: usize,
    },
    /// It holds whitespace.
    Whitespace,
    /// It holds a control character.
    Control,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::TooShort { bytes } => write!(
                f,
                "the bearer token has {bytes} bytes, fewer than {MIN_TOKEN_BYTES}: use a long random one (for example `openssl rand -hex 16`)"
            ),
            TokenError::Whitespace => f.write_str("the bearer token holds whitespace"),
            TokenError::Control => f.write_str("the bearer token holds a control character"),
        }
    }
}

impl std::error::Error for TokenError {}
