//! The HTTP contract of [`health`](https://docs.rs/health), once for every
//! adapter.
//!
//! Every HTTP decision lives here: paths, methods, status codes, headers,
//! bodies, query parameters, who sees details. An adapter
//! registers [`Endpoints::routes`], turns its framework's request into a
//! [`Request`], calls [`Endpoints::handle`], and copies the [`Response`]
//! back; or, to cost no future when no check has to run (most probes:
//! liveness without checks, cached checks, a drain), calls
//! [`Endpoints::answer`] and returns its [`Responding`] future, boxed only
//! for an [`Answer::Later`]. Every
//! [`ContentType`] is a constant, for the adapter to make its header value
//! once. [`Endpoints`] is built from a [`Registry`](health_core::Registry)
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
//! | `/health/ui`: the status page (HTML); `/health/ui/data` its data (JSON) | always | |
//! | `/health/badge.svg`: readiness as an SVG badge | always | |
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
//! error, and so is a selection that leaves the probe with no check. Load
//! never makes an endpoint answer 429: the registry's
//! [`RateLimit`](health_core::RateLimit) bounds how often checks run, and
//! past it probes are answered from the latest results, with their true
//! status.
//!
//! # Balancer profiles
//!
//! Some balancers read an answer their own way; each has a switch on the
//! [`EndpointsBuilder`], off by default:
//!
//! - **Consul** takes 429 as a warning: [`EndpointsBuilder::status_code`]
//!   sets the code of a probe's answers per status (`.status_code(Probe::Readiness,
//!   Status::Degraded, 429)`), validated when built.
//! - **Envoy** marks a host degraded when its health answer carries
//!   `x-envoy-degraded`: [`EndpointsBuilder::envoy_degraded_header`] adds
//!   it to every DEGRADED answer.
//!
//! (AWS ALB judges gRPC health by the gRPC status code: that switch is
//! `health-tonic`'s `not_serving_as_error`.)
//!
//! # Probes out of the traces
//!
//! A healthy probe leaves nothing in the traces: the application leaves
//! its request span out for a path where [`Endpoints::is_probe`] is true
//! (tower-http's `TraceLayer::make_span_with`, tracing-actix-web's
//! `RootSpanBuilder`; or, with axum, the health routes merged after its
//! `.layer(..)` calls), and the contract adds nothing to a healthy answer.
//! A failing answer (any status outside 2xx: 503 for DOWN or
//! OUT_OF_SERVICE, a refusal) is left in the traces by the contract
//! itself, on every adapter and the probe listener: a `health_request`
//! span (INFO) with `http.request.method`, `http.route` (the endpoint's
//! path pattern), `http.response.status_code`, and for
//! `tracing-opentelemetry` `otel.kind = "server"` and, for a 5xx,
//! `otel.status_code = "ERROR"` (the status a tail sampler keeps errors
//! by). Transitions are logged by the registry, as ever.
//!
//! Paths are matched byte for byte, on every adapter alike: no
//! percent-decoding (names hold only unreserved characters), no case
//! folding, no slash or dot-segment normalization; anything else is 404.
//!
//! ```
//! use health_http::{Resource, Endpoints, Method, Request};
//! use health_core::{Check, Registry};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let registry = Registry::builder()
//!     .without_declared()
//!     .check(Check::new("db", || async { false }))
//!     .build()?;
//! let endpoints = Endpoints::new(registry)?;
//! let response = endpoints.handle(Resource::Readiness, &Request::new(Method::Get, "/ready")).await;
//! assert_eq!(response.status(), 503);
//! assert_eq!(&response.body()[..], br#"{"status":"DOWN"}"#);
//! assert_eq!(response.header("cache-control"), Some("no-store"));
//! # Ok(()) }
//! ```
//!
//! # Status page
//!
//! `GET /health/ui` (HEAD too; [`Paths::ui`] moves it, `Paths::ui(None)`
//! turns it off) serves one self-contained HTML page: each probe's status
//! and, per check, its status by symbol and word (✔ UP, ▲ DEGRADED,
//! ✖ DOWN, ? UNKNOWN, ■ OUT OF SERVICE), critical or not, probes, tags, a
//! heartbeat bar of its last results (the registry keeps
//! [`RegistryBuilder::history_capacity`](health_core::RegistryBuilder::history_capacity) of
//! them, 60 by default), a latency sparkline, uptime over the last hour and
//! day, the age of its last result, since when its status holds
//! ("DOWN since 14:02:11 UTC (3m 12s)") and its last message; version,
//! commit and uptime at the top. It is complete without JavaScript (the
//! server renders it); its script refreshes it every 5 s from
//! `GET /health/ui/data` (JSON, the same snapshot), without reloading, and
//! pauses while the tab is hidden.
//!
//! - **Disclosure.** The page and its data follow the [`Disclosure`]: a
//!   caller it does not allow (anonymous under [`Disclosure::never`] or a
//!   bearer rule) sees each probe's status only: no check name, tag,
//!   message or count of checks. Version, commit and uptime are shown to
//!   everybody while `/version` (public) is served, else only to allowed
//!   callers. An allowed caller sees everything, messages included. The
//!   script sends no token and reads nothing from the URL: a browser user
//!   behind a bearer rule is allowed by a network rule
//!   ([`Disclosure::or_networks`]) or comes through a proxy that adds the
//!   `Authorization` header. Never put a token in a URL.
//! - **Hosts.** Where a network rule grants details, the page and its data
//!   answer only `localhost`, IP addresses and the names given to
//!   [`AllowedHosts`], any port, and refuse any other `Host` with 421: a
//!   page in an allowed browser cannot rebind its own name to the service
//!   (DNS rebinding) and read the checks as same-origin.
//! - **What a view runs.** Each probe's status is its verdict, obtained as
//!   a probe request would (the three together, so a check in two probes
//!   runs once): the checks' `cache`, `interval`, single flight and the
//!   registry's [`RateLimit`](health_core::RateLimit) apply, and a page
//!   view costs what three probe requests cost, no more. The history is
//!   read after, so it holds their results.
//! - **Headers.** `Cache-Control: no-store`, `X-Content-Type-Options:
//!   nosniff`, `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`, and
//!   a `Content-Security-Policy` of `default-src 'none'` that allows the
//!   page's one inline style and one inline script by SHA-256 hash
//!   (computed once, at the first page served), fetches to its own origin, and
//!   no framing. The data and the badge allow nothing at all. No asset
//!   leaves the page: no CDN, no font, no image.
//! - **Badge.** `GET /health/badge.svg` (beside the page by default,
//!   [`Paths::badge`] moves it or turns it off) is readiness as a
//!   shields.io-style SVG, `health | UP`, for anybody: it is the overall
//!   status only.
//! - **Names.** The default paths sit beside `/health/{name}`: a check
//!   named `ui` or `badge.svg` would be shadowed, so
//!   [`EndpointsBuilder::build`] refuses it as a
//!   [`Problem::PathClash`] naming the check (so does [`Endpoints::new`]:
//!   one rule, a clash is a build error, as on the gRPC port).
//! - Every answer is 200, whatever the statuses: the page is about the
//!   service, not a probe (probes are the other endpoints).
//!
//! ```
//! use health_http::{Disclosure, Resource, Endpoints, Method, Paths, Request};
//! use health_core::{Check, Registry};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let registry = Registry::builder()
//!     .without_declared()
//!     .check(Check::new("orders", || async { false }))
//!     .build()?;
//! // Everything for callers inside the cluster; the probes' statuses for
//! // anybody else.
//! let endpoints = Endpoints::builder(registry)
//!     .paths(Paths::default().ui(Some("/status")))
//!     .disclosure(Disclosure::networks(["10.0.0.0/8"]))
//!     .build()?;
//! let page = endpoints.handle(Resource::Ui, &Request::new(Method::Get, "/status")).await;
//! assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
//! let html = std::str::from_utf8(page.body())?;
//! assert!(html.contains("readiness</span> <span class=\"st\"><span aria-hidden=\"true\">✖</span> DOWN"));
//! assert!(!html.contains("orders")); // not for an anonymous caller
//! let from_cluster = Request::new(Method::Get, "/status/data").peer(Some([10, 1, 2, 3].into()));
//! let data = endpoints.handle(Resource::UiData, &from_cluster).await;
//! assert!(std::str::from_utf8(data.body())?.contains(r#""name":"orders""#));
//! # Ok(()) }
//! ```
//!
//! # Layers
//!
//! Each module imports only from the layers above it:
//!
//! | layer | what |
//! |---|---|
//! | `token`, `network` | [`Token`]: a bearer token as a keyed digest; [`Network`]: CIDR; [`ForwardedHeader`]: the client behind trusted proxies |
//! | `error` | [`BuildError`] and each [`Problem`] of the settings |
//! | `body` | every body with its media type ([`ContentType`]): JSON, health+json, text, `/version`, refusals; the one JSON writer |
//! | `balancer` | what balancers read besides the body: each probe's [`status_code`] per status, `x-envoy-degraded` |
//! | `request`, `query`, `response` | the wire: [`Request`] and its [`Headers`], the query string, [`Response`] |
//! | `paths`, `disclosure` | the settings: [`Paths`], [`Disclosure`] |
//! | `route` | which [`Resource`] a path is |
//! | `hosts` | [`AllowedHosts`]: which `Host` the status page answers (DNS rebinding) |
//! | `ui` | the status page, its data and the badge: a snapshot of the registry, written |
//! | `endpoints` | [`Endpoints`] and its builder: a registry plus the settings, validated; [`Endpoints::is_probe`] |
//! | `trace` | a failing answer's `health_request` span; a healthy one leaves none |
//! | `handle` | the request pipeline: [`Endpoints::answer`] at once, or [`Later`]; [`Endpoints::handle`] both |
//! | `kubernetes` | [`Endpoints::kubernetes_probes`]: the `httpGet` probe blocks the declarations call for |
//! | `drain` | [`Drain`]: what the application's server does with each request while draining |

mod balancer;
mod body;
mod disclosure;
mod drain;
mod endpoints;
mod error;
mod handle;
mod hosts;
mod kubernetes;
mod network;
mod paths;
mod query;
mod request;
mod response;
mod route;
mod token;
mod trace;
mod ui;

pub use balancer::status_code;
pub use body::ContentType;
pub use disclosure::Disclosure;
pub use drain::{
    DEFAULT_REQUEST_BUDGET, DRAIN_QUIET, Drain, DrainDecision, ENVOY_IMMEDIATE_HEALTH_CHECK_FAIL,
    Http, PROBE_USER_AGENTS,
};
pub use endpoints::{Endpoints, EndpointsBuilder};
pub use error::{BuildError, Problem};
pub use handle::{Answer, Later, MAX_PATH, Responding};
pub use hosts::AllowedHosts;
pub use kubernetes::PortError;
pub use network::{ForwardedHeader, Network, NetworkError};
pub use paths::Paths;
pub use query::{DEFAULT_PROBE_TIMEOUT, MAX_PROBE_TIMEOUT};
pub use request::{Headers, Method, Request};
pub use response::{CACHE_CONTROL, Parts, Response};
pub use route::{Resource, Route};
pub use token::{MIN_TOKEN_BYTES, Token, TokenError};
