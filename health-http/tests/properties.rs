//! Property tests of the HTTP contract, [`Endpoints::handle`], and of the
//! core's text hygiene ([`redact`], [`sanitize`]).
//!
//! Requests are arbitrary: methods (GET, HEAD, others, random tokens),
//! paths (the real routes, percent escapes, dot segments, double slashes,
//! random segments, near and past [`MAX_PATH`]), query strings (known and
//! unknown keys, malformed escapes, repeats, near and past the query
//! limit), `Authorization` (none, the right token, near misses, garbage,
//! huge) and `Accept`. They are answered by registries whose checks fail
//! with messages holding a secret ([`SECRET`], and a password that
//! redaction must remove), among them a check named `hidden_check` that no
//! caller is told of, under `Disclosure::never`, `Disclosure::bearer` and
//! `Disclosure::always`.
//!
//! Each property runs [`CASES`] cases from a fixed seed, so a run is
//! reproducible, without failure-persistence files. `PROPTEST_CASES` and
//! `PROPTEST_RNG_SEED` override both (for a longer or a fresh search).

// Helpers outside `#[test]` functions build fixtures that cannot fail.
#![allow(clippy::unwrap_used)]

use health_core::hygiene::{MAX_MESSAGE_CHARS, redact, sanitize};
use health_core::{Check, Observed, Outcome, Probe, Probes, RateLimit, Registry};
use health_http::{Disclosure, Endpoints, MAX_PATH, Method, Paths, Request, Resource, Response};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::Value;
use std::net::IpAddr;
use std::time::Duration;
use tokio::runtime::Runtime;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Cases per property, unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 256;
/// The seed of every property, unless `PROPTEST_RNG_SEED` says otherwise.
const SEED: u64 = 0x6865_616c_7468;

/// In every failing check's message: no caller who may not see components
/// may ever read it.
const SECRET: &str = "secret-XYZ";
/// A password in the messages: redaction removes it before anyone sees it.
const PASSWORD: &str = "hunter2-pw";
/// The bearer token of `Disclosure::bearer`.
const TOKEN: &str = "prop-token-4f9c2e7d1a8b3c6e5f0a";
/// The checks of every registry.
const NAMES: [&str; 7] = [
    "primary_db",
    "hidden_check",
    "cache_store",
    "warmup_job",
    "live_ping",
    "slow_check",
    "err_check",
];
/// Their tags.
const TAGS: [&str; 3] = ["sql_tag", "internal_tag", "cache_tag"];
/// The status codes the contract documents.
const DOCUMENTED: [u16; 6] = [200, 400, 404, 405, 414, 503];
const JSON: &str = "application/json";
const TEXT: &str = "text/plain; charset=utf-8";
const HEALTH_JSON: &str = "application/health+json";

fn config() -> Config {
    // `Config::default()` reads the PROPTEST_* variables.
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = CASES;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(SEED);
    }
    config.failure_persistence = None;
    config
}

/// Runs `test` over `strategy`; a failure panics with the minimal case.
fn check<S: Strategy>(strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(config());
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------
// The fixtures: registries, disclosures, paths.

/// The checks of a registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checks {
    /// Every check but two fails, with [`SECRET`] and [`PASSWORD`] in its
    /// message.
    Failing,
    /// Every check passes (but `slow_check`, which times out).
    Healthy,
    /// Failing, with a rate limit of one run per second per check: past
    /// it, answers come from the latest results.
    RateLimited,
    /// Healthy, in maintenance, the reason holding the secrets.
    Maintenance,
    /// Healthy, draining.
    Draining,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Never,
    Bearer,
    Always,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `Paths::default()`.
    Default,
    /// Below `/ops`, readiness at `/readyz`, components at `/components`,
    /// no version resource.
    Ops,
}

/// One [`Endpoints`] of the [`World`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fixture {
    checks: Checks,
    who: Who,
    layout: Layout,
}

fn fixtures() -> Vec<Fixture> {
    let mut all = Vec::new();
    for who in [Who::Never, Who::Bearer, Who::Always] {
        for checks in [
            Checks::Failing,
            Checks::Healthy,
            Checks::RateLimited,
            Checks::Maintenance,
            Checks::Draining,
        ] {
            all.push(Fixture {
                checks,
                who,
                layout: Layout::Default,
            });
        }
        all.push(Fixture {
            checks: Checks::Failing,
            who,
            layout: Layout::Ops,
        });
    }
    all
}

fn registry(checks: Checks) -> Registry {
    let failing = matches!(checks, Checks::Failing | Checks::RateLimited);
    let message = move |what: &str| -> Outcome {
        Outcome::down(format!(
            "{SECRET}: {what} postgres://app:{PASSWORD}@db:5432/app (password={PASSWORD})"
        ))
    };
    let primary = message("cannot reach");
    let hidden = Outcome::down(format!(
        "{SECRET} hidden token={PASSWORD}\r\n[+]primary_db ok\u{2028}[+]x ok\u{202e}\u{1b}[31m\u{200b}"
    ))
    .with_detail("dsn", format!("{SECRET} api_key={PASSWORD}"))
    .with_observed(Observed::new(42, "ms"));
    let cache = Outcome::degraded(format!("{SECRET} slow, secret={PASSWORD}"));
    let outcome = move |o: &Outcome| {
        let o = if failing { o.clone() } else { Outcome::up() };
        move || {
            let o = o.clone();
            async move { o }
        }
    };
    let checks_list = vec![
        Check::new("primary_db", outcome(&primary)).with_tags(["sql_tag"]),
        Check::new("hidden_check", outcome(&hidden))
            .with_probes(Probes::LIVENESS.with(Probe::Readiness).with(Probe::Startup))
            .with_tags(["internal_tag"]),
        Check::new("cache_store", outcome(&cache))
            .with_critical(false)
            .with_tags(["cache_tag"]),
        Check::new("warmup_job", || async { Outcome::up() }).with_probes(Probe::Startup),
        Check::new("live_ping", || async { true }).with_probes(Probe::Liveness),
        Check::new("slow_check", || async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            true
        })
        .with_timeout(Duration::from_millis(1))
        .with_critical(false),
        Check::new("err_check", move || async move {
            match failing {
                true => Err(std::io::Error::other(format!(
                    "{SECRET}: refused, access_token={PASSWORD}"
                ))),
                false => Ok(()),
            }
        }),
    ];
    let mut builder = Registry::builder()
        .without_declared()
        .version("1.2.3-prop")
        .commit("0123abc")
        .checks(checks_list);
    if checks == Checks::RateLimited {
        builder = builder.rate_limit(RateLimit::per_second(1));
    }
    let registry = builder.build().unwrap();
    match checks {
        Checks::Maintenance => registry.set_maintenance(
            format!("{SECRET} maintenance, token={PASSWORD}"),
            Duration::from_secs(30),
        ),
        Checks::Draining => registry.begin_drain(),
        _ => {}
    }
    registry
}

/// Every fixture's endpoints, and the runtime that answers with them.
struct World {
    runtime: Runtime,
    endpoints: Vec<(Fixture, Endpoints)>,
}

impl World {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let endpoints = runtime.block_on(async {
            fixtures()
                .into_iter()
                .map(|f| {
                    let disclosure = match f.who {
                        Who::Never => Disclosure::never(),
                        Who::Bearer => Disclosure::bearer(TOKEN),
                        Who::Always => Disclosure::always(),
                    };
                    let paths = match f.layout {
                        Layout::Default => Paths::default(),
                        Layout::Ops => Paths::default()
                            .prefix("/ops")
                            .readiness("/readyz")
                            .component(Some("/components"))
                            .version(None),
                    };
                    let endpoints = Endpoints::builder(registry(f.checks))
                        .disclosure(disclosure)
                        .paths(paths)
                        .build()
                        .unwrap();
                    (f, endpoints)
                })
                .collect()
        });
        Self { runtime, endpoints }
    }

    fn endpoints(&self, fixture: Fixture) -> &Endpoints {
        &self
            .endpoints
            .iter()
            .find(|(f, _)| *f == fixture)
            .unwrap()
            .1
    }

    /// The answer to `req`, with `method` instead of its own if given.
    fn answer(&self, req: &Req, method: Option<&str>) -> Response {
        let endpoints = self.endpoints(req.fixture);
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if let Some(value) = req.auth.header() {
            headers.push(("authorization", value));
        }
        if let Some(value) = &req.accept {
            headers.push(("accept", value));
        }
        if let Some(value) = &req.forwarded_for {
            headers.push(("x-forwarded-for", value));
        }
        // As the adapter's router would, unless the case names one.
        let resource = req
            .resource
            .or_else(|| endpoints.route(&req.path))
            .unwrap_or(Resource::Liveness);
        let method = Method::from_name(method.unwrap_or(&req.method));
        let request = Request::new(method, &req.path)
            .query(req.query.as_deref())
            .headers(&headers)
            .peer(req.peer);
        self.runtime.block_on(endpoints.handle(resource, &request))
    }
}

// ---------------------------------------------------------------------------
// Requests.

/// An `Authorization` header, and whether it presents [`TOKEN`].
#[derive(Debug, Clone)]
enum Auth {
    None,
    Right(String),
    Wrong(String),
}

impl Auth {
    fn header(&self) -> Option<&str> {
        match self {
            Auth::None => None,
            Auth::Right(v) | Auth::Wrong(v) => Some(v),
        }
    }
}

#[derive(Debug, Clone)]
struct Req {
    fixture: Fixture,
    /// The resource handed to `handle`; `None`: the one the path routes to.
    resource: Option<Resource>,
    method: String,
    path: String,
    query: Option<String>,
    auth: Auth,
    accept: Option<String>,
    forwarded_for: Option<String>,
    peer: Option<IpAddr>,
}

impl Req {
    /// Whether the caller may see components.
    fn authorized(&self) -> bool {
        match self.fixture.who {
            Who::Always => true,
            Who::Bearer => matches!(self.auth, Auth::Right(_)),
            Who::Never => false,
        }
    }

    /// The path and query as sent and percent-decoded: what the request
    /// itself told.
    fn told(&self) -> String {
        let query = self.query.as_deref().unwrap_or_default();
        let decoded = |s: &str| {
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        };
        format!(
            "{} {} {} {}",
            self.path,
            query,
            decoded(&self.path),
            decoded(query)
        )
    }
}

/// The route patterns of each layout.
const DEFAULT_ROUTES: [&str; 5] = [
    "/health",
    "/ready",
    "/startup",
    "/version",
    "/health/{name}",
];
const OPS_ROUTES: [&str; 4] = [
    "/ops/health",
    "/ops/readyz",
    "/ops/startup",
    "/ops/components/{name}",
];

impl Layout {
    fn routes(self) -> Vec<&'static str> {
        match self {
            Layout::Default => DEFAULT_ROUTES.to_vec(),
            Layout::Ops => OPS_ROUTES.to_vec(),
        }
    }
}

fn known_name() -> impl Strategy<Value = String> + Clone {
    select(NAMES.iter().chain(&TAGS).copied().collect::<Vec<_>>()).prop_map(String::from)
}

/// A valid name that no check or tag has.
fn unknown_name() -> impl Strategy<Value = String> + Clone {
    "[a-z0-9][a-z0-9_.-]{0,20}".prop_filter("a known name", |n| {
        !NAMES.contains(&&**n) && !TAGS.contains(&&**n)
    })
}

fn name() -> impl Strategy<Value = String> + Clone {
    prop_oneof![known_name(), unknown_name()]
}

/// `text` with its character at `at` percent-encoded.
fn encode_one(text: &str, at: Index) -> String {
    let Some((i, c)) = text
        .char_indices()
        .nth(at.index(text.chars().count().max(1)))
    else {
        return text.to_owned();
    };
    let mut buf = [0; 4];
    let escaped: String = c
        .encode_utf8(&mut buf)
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect();
    format!("{}{escaped}{}", &text[..i], &text[i + c.len_utf8()..])
}

/// A name, or something in a name's place: encoded, odd, garbage.
fn name_or_garbage() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        4 => name(),
        1 => (name(), any::<Index>()).prop_map(|(n, at)| encode_one(&n, at)),
        1 => known_name().prop_map(|n| n.to_uppercase()),
        1 => "[A-Za-z0-9%,._~+-]{0,12}",
        1 => "\\PC{0,8}",
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Encode(Index),
    Uppercase,
    UppercaseOne(Index),
    TrailingSlash,
    DoubleSlash(Index),
    Prepend(&'static str),
    Append(&'static str),
    PrefixSegment(String),
    DropLeadingSlash,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => any::<Index>().prop_map(Mutation::Encode),
        1 => Just(Mutation::Uppercase),
        1 => any::<Index>().prop_map(Mutation::UppercaseOne),
        2 => Just(Mutation::TrailingSlash),
        2 => any::<Index>().prop_map(Mutation::DoubleSlash),
        2 => select(vec!["/.", "/..", "/x/..", "/./", "//", "/%2E", "/%2e%2e"]).prop_map(Mutation::Prepend),
        2 => select(vec!["/.", "/..", "/x", "%2Fx", "%2F..", "?", "#f", ";x", "%00", "%", " "]).prop_map(Mutation::Append),
        2 => "[a-z]{1,5}".prop_map(Mutation::PrefixSegment),
        1 => Just(Mutation::DropLeadingSlash),
    ]
}

fn mutate(path: &str, m: &Mutation) -> String {
    match m {
        Mutation::Encode(at) => encode_one(path, *at),
        Mutation::Uppercase => path.to_uppercase(),
        Mutation::UppercaseOne(at) => {
            let n = path.chars().count().max(1);
            let at = at.index(n);
            path.chars()
                .enumerate()
                .map(|(i, c)| match i == at {
                    true => c.to_ascii_uppercase(),
                    false => c,
                })
                .collect()
        }
        Mutation::TrailingSlash => format!("{path}/"),
        Mutation::DoubleSlash(at) => {
            let slashes: Vec<usize> = path.match_indices('/').map(|(i, _)| i).collect();
            match slashes.is_empty() {
                true => format!("/{path}"),
                false => {
                    let i = slashes[at.index(slashes.len())];
                    format!("{}/{}", &path[..i], &path[i..])
                }
            }
        }
        Mutation::Prepend(p) => format!("{p}{path}"),
        Mutation::Append(s) => format!("{path}{s}"),
        Mutation::PrefixSegment(s) => format!("/{s}{path}"),
        Mutation::DropLeadingSlash => path.trim_start_matches('/').to_owned(),
    }
}

/// A route of `layout`, its component segment a name (mostly valid).
fn route_path(layout: Layout) -> impl Strategy<Value = String> + Clone {
    let name = prop_oneof![4 => name(), 1 => name_or_garbage()];
    (select(layout.routes()), name).prop_map(|(route, name)| route.replace("{name}", &name))
}

/// A route of any layout.
fn any_route_path() -> impl Strategy<Value = String> + Clone {
    prop_oneof![route_path(Layout::Default), route_path(Layout::Ops)]
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9._~-]{0,10}",
        1 => Just("..".to_owned()),
        1 => Just(".".to_owned()),
        1 => Just(String::new()),
        1 => "%[0-9A-Fa-f]{2}",
        1 => "%[g-z]?",
        2 => name(),
        1 => select(vec!["health", "ready", "startup", "version", "ops", "readyz", "components"]).prop_map(String::from),
    ]
}

/// A path for endpoints of `layout`: its routes (half the time exactly),
/// mutated routes, routes of the other layout, random segments, garbage,
/// and paths around the length limit.
fn path(layout: Layout) -> BoxedStrategy<String> {
    prop_oneof![
        16 => route_path(layout),
        5 => (route_path(layout), vec(mutation(), 1..3))
            .prop_map(|(p, ms)| ms.iter().fold(p, |p, m| mutate(&p, m))),
        1 => any_route_path(),
        2 => vec(segment(), 0..6).prop_map(|s| format!("/{}", s.join("/"))),
        1 => "\\PC{0,40}",
        1 => ".{0,20}",
        // Around the limit: at most MAX_PATH bytes, or a few more.
        1 => (route_path(layout), -3i64..=3).prop_map(|(route, delta)| {
            let pad = usize::try_from(
                (MAX_PATH as i64 - route.len() as i64 - 1 + delta).max(0),
            )
            .unwrap();
            format!("/{}{route}", "a".repeat(pad))
        }),
        1 => (1usize..40).prop_map(|n| "/health".repeat(n * 20)),
    ]
    .boxed()
}

fn query_pair() -> impl Strategy<Value = String> {
    let value = select(vec![
        "", "true", "1", "false", "0", "maybe", "%zz", "%", "%4", "%FF%FE", "%00", "+", "%74rue",
        "TRUE",
    ]);
    let format = select(vec![
        "json", "ietf", "text", "xml", "JSON", "", "%6Ason", "j%73on", "%", "text%00",
    ]);
    prop_oneof![
        3 => Just("verbose".to_owned()),
        2 => value.prop_map(|v| format!("verbose={v}")),
        3 => vec(name_or_garbage(), 0..4).prop_map(|ns| format!("exclude={}", ns.join(","))),
        2 => name_or_garbage().prop_map(|n| format!("tag={n}")),
        2 => format.prop_map(|f| format!("format={f}")),
        2 => "[0-9]{1,6}".prop_map(|d| format!("_={d}")),
        1 => "[a-zA-Z_]{1,8}(=[ -~]{0,10})?",
        1 => "\\PC{0,16}",
        1 => ".{0,16}",
        1 => select(vec![
            "%", "%4", "%zz", "%FF", "%00", "+", "=", "==", "verbose%3D1", "%76erbose",
            "exclude", "tag", "format", "%65xclude=hidden_check", "t%61g=sql_tag",
        ])
        .prop_map(String::from),
    ]
}

/// A parameter that no probe refuses (under a disclosure that allows
/// selections, and with a name the probe has).
fn good_pair() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("verbose".to_owned()),
        1 => select(vec!["verbose=true", "verbose=0", "verbose=1"]).prop_map(String::from),
        3 => select(vec!["format=json", "format=ietf", "format=text", "format=text"])
            .prop_map(String::from),
        2 => "[0-9]{1,6}".prop_map(|d| format!("_={d}")),
        1 => select(vec!["exclude=primary_db", "exclude=live_ping", "exclude=warmup_job"])
            .prop_map(String::from),
        1 => select(vec!["tag=internal_tag", "tag=sql_tag"]).prop_map(String::from),
    ]
}

fn query() -> BoxedStrategy<Option<String>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(String::new())),
        4 => vec(good_pair(), 1..3).prop_map(|ps| Some(ps.join("&"))),
        4 => vec(query_pair(), 1..6).prop_map(|ps| Some(ps.join("&"))),
        // Around the limit (2048 bytes).
        1 => (2030usize..2060).prop_map(|n| Some(format!("_={}", "a".repeat(n)))),
    ]
    .boxed()
}

/// `Authorization` values presenting [`TOKEN`].
fn right_auth() -> impl Strategy<Value = Auth> {
    select(vec!["Bearer ", "bearer ", "BEARER ", "bEaReR ", "Bearer  "])
        .prop_map(|scheme| Auth::Right(format!("{scheme}{TOKEN}")))
}

/// `Authorization` values that do not present [`TOKEN`], however close.
fn wrong_auth() -> impl Strategy<Value = Auth> {
    let changed = (any::<Index>(), any::<char>()).prop_filter_map("same char", |(at, c)| {
        let i = at.index(TOKEN.len());
        let old = char::from(TOKEN.as_bytes()[i]);
        (c != old).then(|| format!("Bearer {}{c}{}", &TOKEN[..i], &TOKEN[i + 1..]))
    });
    let flipped = any::<Index>().prop_filter_map("no letter", |at| {
        let i = at.index(TOKEN.len());
        let old = char::from(TOKEN.as_bytes()[i]);
        old.is_ascii_lowercase().then(|| {
            format!(
                "Bearer {}{}{}",
                &TOKEN[..i],
                old.to_ascii_uppercase(),
                &TOKEN[i + 1..]
            )
        })
    });
    let truncated =
        any::<Index>().prop_map(|at| format!("Bearer {}", &TOKEN[..at.index(TOKEN.len())]));
    let extended = "[!-~]{1,4}".prop_map(|s| format!("Bearer {TOKEN}{s}"));
    let fixed = select(vec![
        format!("Basic {TOKEN}"),
        format!("Token {TOKEN}"),
        TOKEN.to_owned(),
        format!("Bearer{TOKEN}"),
        format!("Bearer\t{TOKEN}"),
        format!("Bearer={TOKEN}"),
        format!("Bearer:{TOKEN}"),
        format!("Bearer%20{TOKEN}"),
        format!("Bearer {TOKEN} {TOKEN}"),
        format!("Bearer {TOKEN}\0"),
        format!("Bearer {}", TOKEN.to_uppercase()),
        format!("Bearer \"{TOKEN}\""),
        "Bearer".to_owned(),
        "Bearer ".to_owned(),
        String::new(),
    ]);
    prop_oneof![
        2 => changed,
        1 => flipped,
        1 => truncated,
        1 => extended,
        2 => fixed,
        1 => "\\PC{0,40}",
        1 => ".{0,20}",
        1 => (1usize..5).prop_map(|k| format!("Bearer {}", "A".repeat(k * 16 * 1024))),
    ]
    .prop_map(Auth::Wrong)
}

fn auth() -> BoxedStrategy<Auth> {
    prop_oneof![2 => Just(Auth::None), 3 => right_auth(), 5 => wrong_auth()].boxed()
}

fn accept() -> BoxedStrategy<Option<String>> {
    let known = select(vec![
        JSON,
        HEALTH_JSON,
        "application/health+json;q=0",
        "application/health+json; q=0.0",
        "APPLICATION/HEALTH+JSON",
        "text/plain",
        "*/*",
        "text/html, Application/Health+JSON; q=0.5",
        "application/health+json;q=abc",
        ";;,,",
    ]);
    prop_oneof![
        3 => Just(None),
        4 => known.prop_map(|s| Some(s.to_owned())),
        1 => "\\PC{0,40}".prop_map(Some),
        1 => Just(Some(format!("{HEALTH_JSON}, ").repeat(2000))),
    ]
    .boxed()
}

fn method() -> BoxedStrategy<String> {
    prop_oneof![
        6 => Just("GET".to_owned()),
        3 => Just("HEAD".to_owned()),
        2 => select(vec![
            "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "get", "head", "Get",
            " GET", "GET ",
        ])
        .prop_map(String::from),
        1 => "[A-Z]{1,12}",
        1 => "\\PC{0,12}",
    ]
    .boxed()
}

fn resource() -> impl Strategy<Value = Resource> {
    select(vec![
        Resource::Liveness,
        Resource::Readiness,
        Resource::Startup,
        Resource::Component,
        Resource::Version,
    ])
}

fn peer() -> impl Strategy<Value = Option<IpAddr>> {
    option::of(prop_oneof![
        any::<[u8; 4]>().prop_map(IpAddr::from),
        any::<[u16; 8]>().prop_map(IpAddr::from),
    ])
}

fn request_with(auth: BoxedStrategy<Auth>) -> impl Strategy<Value = Req> {
    select(fixtures())
        .prop_flat_map(move |fixture| {
            (
                Just(fixture),
                option::weighted(0.1, resource()),
                method(),
                path(fixture.layout),
                query(),
                auth.clone(),
                accept(),
                option::weighted(0.2, "\\PC{0,30}"),
                peer(),
            )
        })
        .prop_map(
            |(fixture, resource, method, path, query, auth, accept, forwarded_for, peer)| Req {
                fixture,
                resource,
                method,
                path,
                query,
                auth,
                accept,
                forwarded_for,
                peer,
            },
        )
}

fn request() -> impl Strategy<Value = Req> {
    request_with(auth())
}

// ---------------------------------------------------------------------------
// What every answer must be.

/// Control, line and paragraph separator, and format characters.
fn unsafe_char(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::Format
    )
}

fn body_text(response: &Response) -> String {
    String::from_utf8_lossy(response.body()).into_owned()
}

/// The whole answer, headers and body, as text to search.
fn answer_text(response: &Response) -> String {
    let mut text = body_text(response);
    for (name, value) in response.headers() {
        text.push_str(&format!("\n{name}: {value}"));
    }
    text
}

fn headers(response: &Response) -> Vec<(&'static str, String)> {
    response.headers().map(|(n, v)| (n, v.to_owned())).collect()
}

/// The documented status, headers and body of any answer.
fn assert_well_formed(req: &Req, response: &Response) -> Result<(), TestCaseError> {
    let status = response.status();
    prop_assert!(
        DOCUMENTED.contains(&status),
        "undocumented status {}",
        status
    );
    prop_assert_eq!(response.header("cache-control"), Some("no-store"));
    if status == 405 {
        prop_assert_eq!(response.header("allow"), Some("GET, HEAD"));
    }
    if Method::from_name(&req.method) != Method::Other {
        prop_assert_ne!(status, 405, "GET and HEAD are always allowed");
    }
    let names: Vec<&str> = response.headers().map(|(n, _)| n).collect();
    for (i, (name, value)) in response.headers().enumerate() {
        prop_assert!(!names[..i].contains(&name), "header {} twice", name);
        prop_assert!(
            !value.chars().any(char::is_control),
            "control character in header {}: {:?}",
            name,
            value
        );
    }
    let body = response.body();
    match response.header("content-type") {
        Some(JSON | HEALTH_JSON) => {
            let json: Value = serde_json::from_slice(body).map_err(|e| {
                TestCaseError::fail(format!("body is not JSON ({e}): {}", body_text(response)))
            })?;
            prop_assert!(json.is_object(), "body is not a JSON object: {}", json);
            assert_clean_messages(&json)?;
        }
        Some(TEXT) => {
            let text = std::str::from_utf8(body)
                .map_err(|e| TestCaseError::fail(format!("text body is not UTF-8: {e}")))?;
            prop_assert!(
                !text.chars().any(|c| c != '\n' && unsafe_char(c)),
                "control, separator or format character in a text body: {:?}",
                text
            );
        }
        other => prop_assert!(false, "unexpected content-type {:?}", other),
    }
    let text = answer_text(response);
    prop_assert!(
        !text.contains(PASSWORD),
        "a redacted password shown: {}",
        text
    );
    prop_assert!(!text.contains(TOKEN), "the token shown: {}", text);
    Ok(())
}

/// The messages of a JSON body (`message`, `output`, `reason`, `error`)
/// hold no control, separator or format character.
fn assert_clean_messages(json: &Value) -> Result<(), TestCaseError> {
    match json {
        Value::Object(map) => {
            for (key, value) in map {
                if let ("message" | "output" | "reason" | "error", Value::String(s)) =
                    (key.as_str(), value)
                {
                    prop_assert!(
                        !s.chars().any(unsafe_char),
                        "unsafe character in `{}`: {:?}",
                        key,
                        s
                    );
                    prop_assert!(s.chars().count() <= MAX_MESSAGE_CHARS);
                }
                assert_clean_messages(value)?;
            }
        }
        Value::Array(items) => {
            for item in items {
                assert_clean_messages(item)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// What a caller who may not see components learns: no message, no name
/// the request did not hold, no token.
fn assert_discloses_nothing(req: &Req, response: &Response) -> Result<(), TestCaseError> {
    let text = answer_text(response);
    prop_assert!(!text.contains(SECRET), "a message shown: {}", text);
    prop_assert!(!text.contains(TOKEN), "the token shown: {}", text);
    let told = req.told();
    for name in NAMES.iter().chain(&TAGS) {
        prop_assert!(
            !text.contains(name) || told.contains(name),
            "`{}`, never asked for, shown: {}",
            name,
            text
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The properties of `Endpoints::handle`.

#[test]
fn every_answer_has_a_documented_status_no_store_and_a_well_formed_body() {
    let world = World::new();
    check(request(), |req| {
        let response = world.answer(&req, None);
        assert_well_formed(&req, &response)
    });
}

#[test]
fn head_answers_with_the_status_and_headers_of_get() {
    let world = World::new();
    check(request(), |req| {
        let get = world.answer(&req, Some("GET"));
        let head = world.answer(&req, Some("HEAD"));
        prop_assert_eq!(get.status(), head.status());
        prop_assert_eq!(headers(&get), headers(&head));
        // Bodies are the same but for durations, ages and the uptime, which
        // only an authorized caller or `/version` sees.
        let get_body = body_text(&get);
        if !req.authorized() && !get_body.contains("uptime") {
            prop_assert_eq!(get_body, body_text(&head));
        }
        Ok(())
    });
}

#[test]
fn an_unauthorized_answer_holds_no_message_no_unasked_name_and_no_token() {
    let world = World::new();
    let unauthorized = prop_oneof![2 => Just(Auth::None), 1 => right_auth(), 5 => wrong_auth()];
    let strategy =
        request_with(unauthorized.boxed()).prop_filter("authorized", |r| !r.authorized());
    check(strategy, |req| {
        let response = world.answer(&req, None);
        assert_well_formed(&req, &response)?;
        assert_discloses_nothing(&req, &response)
    });
}

/// A request with slots for names: in the component path, in `exclude`,
/// in `tag`.
#[derive(Debug, Clone)]
struct Probing {
    fixture: Fixture,
    method: &'static str,
    shape: Shape,
    /// Other query parameters, before the names.
    extra: Vec<String>,
    auth: Auth,
    accept: Option<String>,
}

#[derive(Debug, Clone)]
enum Shape {
    /// `{base}/{name}`.
    Component(&'static str),
    /// A probe's path with `exclude` (that many names) and maybe `tag`.
    Selection {
        path: &'static str,
        exclude: usize,
        tag: bool,
    },
}

impl Probing {
    fn request(&self, names: &[String]) -> Req {
        let (path, mut query) = match &self.shape {
            Shape::Component(base) => (base.replace("{name}", &names[0]), self.extra.clone()),
            Shape::Selection { path, exclude, tag } => {
                let mut query = self.extra.clone();
                if *exclude > 0 {
                    query.push(format!("exclude={}", names[..*exclude].join(",")));
                }
                if *tag || *exclude == 0 {
                    query.push(format!("tag={}", names[3]));
                }
                ((*path).to_owned(), query)
            }
        };
        query.retain(|p| !p.is_empty());
        Req {
            fixture: self.fixture,
            resource: None,
            method: self.method.to_owned(),
            path,
            query: (!query.is_empty()).then(|| query.join("&")),
            auth: self.auth.clone(),
            accept: self.accept.clone(),
            forwarded_for: None,
            peer: None,
        }
    }
}

#[test]
fn an_unauthorized_status_does_not_depend_on_which_names_exist() {
    let world = World::new();
    let shape = prop_oneof![
        (select(vec!["/health/{name}", "/ops/components/{name}"])).prop_map(Shape::Component),
        (
            select(vec![
                "/health",
                "/ready",
                "/startup",
                "/ops/health",
                "/ops/readyz"
            ]),
            0usize..=3,
            any::<bool>()
        )
            .prop_map(|(path, exclude, tag)| Shape::Selection { path, exclude, tag }),
    ];
    let extra = vec(
        prop_oneof![
            Just("verbose".to_owned()),
            select(vec![
                "format=json",
                "format=ietf",
                "format=text",
                "_=1733",
                "cb"
            ])
            .prop_map(String::from),
        ],
        0..3,
    );
    let unauthorized = prop_oneof![Just(Auth::None), right_auth(), wrong_auth()];
    let probing = (
        select(fixtures()),
        select(vec!["GET", "HEAD"]),
        shape,
        extra,
        unauthorized,
        accept(),
    )
        .prop_map(|(fixture, method, shape, extra, auth, accept)| Probing {
            fixture,
            method,
            shape,
            extra,
            auth,
            accept,
        });
    let names = || vec(name(), 4);
    let strategy = (probing, names(), names())
        .prop_filter("authorized", |(p, a, _)| !p.request(a).authorized());
    check(strategy, |(probing, a, b)| {
        let (req_a, req_b) = (probing.request(&a), probing.request(&b));
        let (one, other) = (world.answer(&req_a, None), world.answer(&req_b, None));
        assert_well_formed(&req_a, &one)?;
        assert_discloses_nothing(&req_a, &one)?;
        prop_assert_eq!(one.status(), other.status(), "{:?} and {:?}", a, b);
        prop_assert_eq!(headers(&one), headers(&other));
        prop_assert_eq!(body_text(&one), body_text(&other));
        if matches!(probing.shape, Shape::Component(_)) {
            // Not found, or a bad query: never a component's own status.
            prop_assert!(matches!(one.status(), 400 | 404), "a component answered");
        }
        Ok(())
    });
}

/// The other side: an authorized caller does see components and messages
/// (so the unauthorized properties test a real difference), never a
/// password redaction removed, and never the token.
#[test]
fn an_authorized_caller_sees_components_and_messages_but_no_password() {
    let world = World::new();
    let authorized = (
        select(fixtures()).prop_filter("not a failing registry", |f| {
            matches!(f.checks, Checks::Failing | Checks::RateLimited) && f.who != Who::Never
        }),
        right_auth(),
        select(vec!["", "&format=json", "&format=ietf", "&format=text"]),
        vec(query_pair(), 0..2),
        accept(),
        any::<bool>(),
    );
    check(
        authorized,
        |(fixture, auth, format, extra, accept, component)| {
            let endpoints = world.endpoints(fixture);
            let wanted = match component {
                true => Resource::Component,
                false => Resource::Readiness,
            };
            let route = endpoints
                .routes()
                .iter()
                .find(|r| r.resource == wanted)
                .unwrap();
            // Unknown parameters only: anything else may be a 400.
            let extra: Vec<String> = extra.into_iter().filter(|p| p.starts_with("_=")).collect();
            let req = Req {
                fixture,
                resource: None,
                method: "GET".to_owned(),
                path: route.path.replace("{name}", "hidden_check"),
                query: Some(format!("verbose{format}&{}", extra.join("&"))),
                auth,
                accept,
                forwarded_for: None,
                peer: None,
            };
            prop_assert!(req.authorized());
            let response = world.answer(&req, None);
            assert_well_formed(&req, &response)?;
            prop_assert_eq!(response.status(), 503);
            let text = body_text(&response);
            prop_assert!(text.contains("hidden_check"), "no component: {}", text);
            prop_assert!(text.contains(SECRET), "no message: {}", text);
            Ok(())
        },
    );
}

/// Redaction applies to every message a caller can see, and the
/// maintenance reason of `Registry::set_maintenance` is one: the readiness
/// answer's `reason` (native), `output` (IETF) and `[-]lifecycle` line
/// (text) show it, redacted.
#[test]
fn no_answer_shows_a_password_not_even_in_a_maintenance_reason() {
    let world = World::new();
    let authorized = (
        select(vec![Who::Bearer, Who::Always]),
        right_auth(),
        select(vec!["", "&format=json", "&format=ietf", "&format=text"]),
        accept(),
    );
    check(authorized, |(who, auth, format, accept)| {
        let req = Req {
            fixture: Fixture {
                checks: Checks::Maintenance,
                who,
                layout: Layout::Default,
            },
            resource: None,
            method: "GET".to_owned(),
            path: "/ready".to_owned(),
            query: Some(format!("verbose{format}")),
            auth,
            accept,
            forwarded_for: None,
            peer: None,
        };
        let response = world.answer(&req, None);
        assert_well_formed(&req, &response)?;
        prop_assert_eq!(response.status(), 503);
        let text = answer_text(&response);
        prop_assert!(!text.contains(PASSWORD), "a password shown: {}", text);
        Ok(())
    });
}

// ---------------------------------------------------------------------------
// The text hygiene of the core.

/// Characters that sanitizing must remove, and their neighbours.
const TRICKY: [char; 20] = [
    '\n',
    '\r',
    '\t',
    '\0',
    '\u{1b}',
    '\u{7f}',
    '\u{85}',
    '\u{2028}',
    '\u{2029}',
    '\u{200b}',
    '\u{200d}',
    '\u{202e}',
    '\u{2066}',
    '\u{feff}',
    '\u{ad}',
    '\u{e0041}',
    '\u{fff9}',
    ' ',
    '\u{a0}',
    '…',
];

fn tricky_text(max: usize) -> impl Strategy<Value = String> {
    vec(
        prop_oneof![3 => any::<char>(), 1 => select(TRICKY.to_vec()), 2 => proptest::char::range('a', 'z')],
        0..max,
    )
    .prop_map(String::from_iter)
}

#[test]
fn sanitize_leaves_no_control_separator_or_format_character_and_at_most_256_chars() {
    check(tricky_text(600), |text| {
        let clean = sanitize(&text);
        prop_assert!(
            !clean.chars().any(unsafe_char),
            "unsafe character left: {:?}",
            clean
        );
        let chars = text.chars().count();
        prop_assert!(clean.chars().count() <= MAX_MESSAGE_CHARS);
        prop_assert_eq!(clean.chars().count(), chars.min(MAX_MESSAGE_CHARS));
        if chars > MAX_MESSAGE_CHARS {
            prop_assert!(clean.ends_with('…'));
        } else if !text.chars().any(unsafe_char) {
            prop_assert_eq!(&*clean, &*text, "clean text changed");
        }
        prop_assert_eq!(&*sanitize(&clean), &*clean, "not idempotent");
        Ok(())
    });
}

/// The keys whose value `redact` removes, kept here independently of its
/// own list: the documented words alone, and the real names they end
/// (environment variables, headers, CLI flags, dotted configuration).
const SECRET_KEYS: [&str; 22] = [
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
    "DB_PASSWORD",
    "PGPASSWORD",
    "MYSQL_ROOT_PASSWORD",
    "AWS_SECRET_ACCESS_KEY",
    "x-api-key",
    "X-Auth-Token",
    "--password",
    "db.password",
    "spring.datasource.password",
    "GITHUB_TOKEN",
    "secret_key",
    "private_key",
];

/// What may precede a secret with no space: punctuation and escape
/// sequences (never a letter, a digit or `_-.`, which would make the key
/// another word).
const GLUE_BEFORE: [&str; 16] = [
    " ",
    "(",
    "[",
    "{",
    ",",
    ";",
    "&",
    "|",
    "/",
    "\t",
    "\n",
    ">",
    "\u{1b}[31m",
    "\u{1b}[1;31m",
    "\u{1b}[0m",
    "\u{1b}M",
];

/// What may follow a secret with no space.
const GLUE_AFTER: [&str; 11] = [
    " ",
    ")",
    "]",
    "}",
    ",",
    ";",
    "&",
    "\n",
    "\u{1b}[0m",
    "\"",
    "'",
];

/// A secret in one of the forms `redact` documents, around `value`.
fn secret_form() -> impl Strategy<Value = (String, String)> {
    let key = (select(SECRET_KEYS.to_vec()), vec(any::<bool>(), 32)).prop_map(|(key, upper)| {
        key.chars()
            .zip(upper)
            .map(|(c, u)| if u { c.to_ascii_uppercase() } else { c })
            .collect::<String>()
    });
    let value = "[A-Za-z0-9]{3,24}";
    let separator = select(vec![
        "=",
        " = ",
        "  =",
        ":",
        ": ",
        " : ",
        "=>",
        " => ",
        "\u{1b}[0m=",
        "=\u{1b}[33m",
        ": \u{1b}[1m",
    ]);
    let quote = select(vec!["", "'", "\""]);
    let keyed = (key.clone(), separator, quote.clone(), value)
        .prop_map(|(k, s, q, v)| (format!("{k}{s}{q}{v}{q}"), v));
    // `{"password":"hunter2"}`, `{'token': 'abc'}`.
    let json = (key.clone(), select(vec![":", ": ", " : "]), quote, value)
        .prop_map(|(k, s, q, v)| (format!("{{\"{k}\"{s}{q}{v}{q}}}"), v));
    let query =
        (key, value, "[a-z]{0,4}").prop_map(|(k, v, p)| (format!("/v1/{p}?x=1&{k}={v}&y=2#z"), v));
    let scheme = "[a-z][a-z0-9+.-]{0,8}";
    let host = "[a-z0-9.-]{1,10}(:[0-9]{1,5})?(/[a-z?=&]{0,6})?";
    let url_password = (scheme, "[a-z0-9_.-]{0,8}", value, host)
        .prop_map(|(s, u, v, h)| (format!("{s}://{u}:{v}@{h}"), v));
    let url_user = (scheme, value, host).prop_map(|(s, v, h)| (format!("{s}://{v}@{h}"), v));
    // `app:hunter2@db:5432`: no scheme.
    let userinfo =
        ("[a-z][a-z0-9_.-]{0,8}", value, host).prop_map(|(u, v, h)| (format!("{u}:{v}@{h}"), v));
    // `Authorization: Bearer …`, `Basic …`, and a bare `Bearer …`.
    let authorization = (
        select(vec![
            "Authorization",
            "authorization",
            "Proxy-Authorization",
            "AUTHORIZATION",
        ]),
        select(vec![": ", ":", " = ", "="]),
        select(vec!["Bearer", "Basic", "bearer", "Token", "Digest"]),
        "[A-Za-z0-9+/]{4,24}={0,2}",
    )
        .prop_map(|(a, s, scheme, v)| (format!("{a}{s}{scheme} {v}"), v));
    let bearer = (
        select(vec!["Bearer", "bearer", "BEARER"]),
        "[A-Za-z0-9._~+/-]{8,32}",
    )
        .prop_map(|(b, v)| (format!("{b} {v}"), v));
    prop_oneof![
        4 => keyed,
        2 => json,
        1 => query,
        2 => url_password,
        1 => url_user,
        2 => userinfo,
        2 => authorization,
        1 => bearer,
    ]
}

#[test]
fn redact_removes_the_secret_of_every_documented_form_from_any_surrounding_text() {
    let strategy = (
        tricky_text(40),
        select(GLUE_BEFORE.to_vec()),
        secret_form(),
        select(GLUE_AFTER.to_vec()),
        tricky_text(40),
    );
    check(
        strategy,
        |(before, glue_before, (secret, value), glue_after, after)| {
            // Glued: no space between the surrounding text and the secret
            // unless the glue is one.
            let text = format!("{before}{glue_before}{secret}{glue_after}{after}");
            prop_assume!(text.matches(&*value).count() == 1);
            let redacted = redact(&text);
            prop_assert!(
                !redacted.contains(&*value),
                "{:?} left in {:?}",
                value,
                redacted
            );
            prop_assert!(redacted.contains("***"));
            Ok(())
        },
    );
}

/// Text made of the pieces redaction looks for.
fn soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        select(vec![
            "password",
            "PWD",
            "token",
            "access_token",
            "secret",
            "api_key",
            "=",
            ":",
            " ",
            "'",
            "\"",
            "://",
            "@",
            "&",
            "?",
            "#",
            ";",
            ",",
            "_",
            "x",
            "é",
            "\u{2028}",
            "\t",
            "Bearer ",
            "authorization",
            "PGPASSWORD",
            "x-api-key",
            "\u{1b}",
            "\u{1b}[31m",
            "[",
            "\\",
            "=>",
        ])
        .prop_map(String::from),
        "[a-z0-9]{1,3}",
        any::<char>().prop_map(String::from),
    ];
    vec(piece, 0..40).prop_map(|p| p.concat())
}

#[test]
fn redact_lengthens_a_text_by_at_most_two_bytes_per_secret_and_changes_no_text_without_one() {
    check(soup(), |text| {
        let redacted = redact(&text);
        // Each secret is found by a mark of its own: the `=` or `:` after a
        // key, the `@` ending a user info (a `://` may also be a key's
        // `:`, as in `password://x@h`), a bare `Bearer`. Each becomes
        // `***`: at most two bytes longer than a one-byte secret.
        let marks = text.matches(['=', ':', '@']).count()
            + text.to_ascii_lowercase().matches("bearer").count();
        prop_assert!(
            redacted.len() <= text.len() + 2 * marks,
            "{:?} became {:?}",
            text,
            redacted
        );
        if marks == 0 {
            prop_assert_eq!(&*redacted, &*text, "no secret, yet changed");
        }
        Ok(())
    });
}
