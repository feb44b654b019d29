//! The HTTP contract of [`health`](https://docs.rs/health), once for every
//! adapter.
//!
//! Every HTTP decision lives here: paths, methods, status codes, headers,
//! bodies, query parameters, who sees details. An adapter
//! registers [`Endpoints::routes`], turns its framework's request into a
//! [`Request`], calls [`Endpoints::handle`], and copies the [`Response`]
//! back. [`Endpoints`] is built from a [`Registry`](health_core::Registry)
//! and this crate's own settings ([`Paths`], [`Disclosure`]), validated
//! when it is built.
//!
//! | endpoint (default path) | 200 | 503 |
//! |---|---|---|
//! | `/health`: liveness checks | UP, DEGRADED | DOWN |
//! | `/ready`: readiness checks and lifecycle | UP, DEGRADED | DOWN, UNKNOWN, OUT_OF_SERVICE (with `Retry-After`) |
//! | `/startup`: startup checks, latched | UP, DEGRADED | DOWN, UNKNOWN |
//! | `/health/{name}`: one component, 404 if unknown | UP, DEGRADED | DOWN, UNKNOWN |
//! | `/version`: version, commit, uptime | always | |
//!
//! A caller the [`Disclosure`] does not allow (anonymous, under the
//! default [`Disclosure::never`] or a bearer rule) sees only overall
//! statuses and learns nothing about any one component: `/health/{name}`
//! is the same 404 for every name, and `?exclude` / `?tag` are refused
//! with one 400 whatever they name. `/version` is public: it is the answer
//! to "what is deployed", and can be turned off with `Paths::version(None)`.
//!
//! GET and HEAD; other methods 405 with `Allow`. Query: `verbose`,
//! `exclude=a,b` (repeatable), `tag=x`, `format=json|ietf|text` (or
//! `Accept: application/health+json`); unknown parameters are ignored
//! (cache-busters), a malformed or repeated known one is a 400 with a JSON
//! error, and so is a selection that leaves the probe with no check. No
//! endpoint answers 429: the registry's [`RateLimit`](health_core::RateLimit)
//! bounds how often checks run, and past it probes are answered from the
//! latest results, with their true status.
//!
//! Paths are matched byte for byte, on every adapter alike: no
//! percent-decoding (names hold only unreserved characters), no case
//! folding, no slash or dot-segment normalization; anything else is 404.
//!
//! ```
//! use health_http::{Endpoint, Endpoints, Method, Request};
//! use health_core::{Check, Registry};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), health_core::BuildError> {
//! let registry = Registry::builder()
//!     .without_declared()
//!     .check(Check::new("db", || async { false }))
//!     .build()?;
//! let endpoints = Endpoints::from(registry);
//! let response = endpoints.handle(Endpoint::Readiness, &Request::new(Method::Get, "/ready")).await;
//! assert_eq!(response.status(), 503);
//! assert_eq!(&response.body()[..], br#"{"status":"DOWN"}"#);
//! assert_eq!(response.header("cache-control"), Some("no-store"));
//! # Ok(()) }
//! ```
//!
//! # Layers
//!
//! Each module imports only from the layers above it:
//!
//! | layer | what |
//! |---|---|
//! | `token`, `network` | [`Token`]: a bearer token as a keyed digest; [`Network`]: CIDR, the client behind trusted proxies |
//! | `error` | [`ConfigError`]: every problem of the settings |
//! | `request`, `response`, `query` | the wire: [`Request`] and its [`Headers`], [`Response`], the query string |
//! | `paths`, `disclosure` | the settings: [`Paths`], [`Disclosure`] |
//! | `route`, `negotiate` | which [`Endpoint`] a path is; which body format a request gets |
//! | `endpoints` | [`Endpoints`] and its builder: a registry plus the settings, validated |
//! | `handle` | the request pipeline: [`Endpoints::handle`] |

mod disclosure;
mod endpoints;
mod error;
mod handle;
mod negotiate;
mod network;
mod paths;
mod query;
mod request;
mod response;
mod route;
mod token;

pub use disclosure::Disclosure;
pub use endpoints::{Endpoints, EndpointsBuilder};
pub use error::{ConfigError, ConfigProblem};
pub use handle::MAX_PATH;
pub use negotiate::IETF_CONTENT_TYPE;
pub use network::{Network, NetworkError};
pub use paths::Paths;
pub use request::{Headers, Method, Request};
pub use response::{CACHE_CONTROL, Parts, Response, status_code};
pub use route::{Endpoint, Route};
pub use token::{MIN_TOKEN_BYTES, Token, TokenError};
