use health_core::{Check, Observed, Outcome};
use reqwest::{Client, Method, Url};
use std::borrow::Cow;
use std::fmt;
use std::ops::RangeInclusive;
use tokio::time::Instant;

/// A URL the HTTP check cannot use.
#[derive(Debug, thiserror::Error)]
#[error("invalid upstream URL: {0}")]
pub struct InvalidUrl(String);

/// A GET (or HEAD) of an upstream URL through the application's
/// `reqwest::Client`, expecting a status in a range (default 200–399).
///
/// ```
/// use health_checks::HttpCheck;
/// let check = HttpCheck::new(reqwest::Client::new(), "http://127.0.0.1:9000/health")?
///     .head()
///     .expect_status(200..=299)
///     .into_check("upstream");
/// assert_eq!(check.name(), "upstream");
/// assert!(HttpCheck::new(reqwest::Client::new(), "not a url").is_err());
/// # Ok::<(), health_checks::InvalidUrl>(())
/// ```
#[derive(Clone)]
pub struct HttpCheck {
    client: Client,
    url: Url,
    method: Method,
    expect: RangeInclusive<u16>,
}

/// The body read to let the connection be reused; past it, the connection
/// is dropped instead.
const DRAIN_LIMIT: usize = 64 * 1024;

impl fmt::Debug for HttpCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpCheck")
            .field("url", &health_core::hygiene::redact(self.url.as_str()))
            .field("method", &self.method)
            .field("expect", &self.expect)
            .finish_non_exhaustive()
    }
}

impl HttpCheck {
    /// A GET of `url`, expecting 200–399.
    pub fn new(client: Client, url: &str) -> Result<Self, InvalidUrl> {
        let url = Url::parse(url)
            .map_err(|e| InvalidUrl(health_core::hygiene::redact(&format!("{e}")).into_owned()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(InvalidUrl(format!(
                "scheme `{}` is not http or https",
                url.scheme()
            )));
        }
        Ok(Self {
            client,
            url,
            method: Method::GET,
            expect: 200..=399,
        })
    }

    /// Use HEAD instead of GET.
    pub fn head(mut self) -> Self {
        self.method = Method::HEAD;
        self
    }

    /// The statuses that mean UP.
    pub fn expect_status(mut self, statuses: RangeInclusive<u16>) -> Self {
        self.expect = statuses;
        self
    }

    /// The check.
    #[track_caller]
    pub fn into_check(self, name: impl Into<Cow<'static, str>>) -> Check {
        Check::new(name, move || {
            let probe = self.clone();
            async move { probe.run().await }
        })
    }

    async fn run(self) -> Outcome {
        let started = Instant::now();
        let response = match self.client.request(self.method, self.url).send().await {
            Ok(response) => response,
            // The URL may carry credentials: never in the message.
            Err(e) => {
                return Outcome::down(with_causes(&e.without_url()));
            }
        };
        let status = response.status().as_u16();
        drain(response).await;
        let observed = Observed::new(crate::timed::elapsed_ms(started), "ms");
        if self.expect.contains(&status) {
            Outcome::up().with_observed(observed)
        } else {
            let (low, high) = (self.expect.start(), self.expect.end());
            Outcome::down(format!("upstream answered {status}, expected {low}-{high}"))
                .with_observed(observed)
        }
    }
}

/// Reads (and drops) a small body, so the client can reuse the connection.
async fn drain(mut response: reqwest::Response) {
    let mut read = 0;
    while let Ok(Some(chunk)) = response.chunk().await {
        read += chunk.len();
        if read > DRAIN_LIMIT {
            break;
        }
    }
}

/// An error's text followed by its causes: reqwest's own says only "error
/// sending request", its cause says "connection refused".
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
