//! Fuzzes `Endpoints::handle`, the HTTP contract, with the invariants of
//! `health-http/tests/properties.rs`.
//!
//! Input: one control byte (which endpoints, which endpoint is handed to
//! `handle`), then newline-separated fields, each lossily UTF-8: method,
//! path, query (absent if the field is missing), `Authorization`, `Accept`,
//! `X-Forwarded-For`. A crash is a panic, or an answer that breaks the
//! contract: an undocumented status, a missing `Cache-Control: no-store`,
//! a JSON body that does not parse, a control character in a text body, or
//! an unauthorized answer holding a message, a check name the request did
//! not hold, or the token.
#![no_main]

use health_core::{Check, Outcome, Probe, Probes, Registry};
use health_http::{ContentType, Disclosure, Resource, Endpoints, Method, Request};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::runtime::Runtime;

const SECRET: &str = "secret-XYZ";
const PASSWORD: &str = "hunter2-pw";
const TOKEN: &str = "fuzz-token-4f9c2e7d1a8b3c6e5f0a";
const NAMES: [&str; 5] = [
    "primary_db",
    "hidden_check",
    "cache_store",
    "warmup_job",
    "live_ping",
];
const TAGS: [&str; 2] = ["sql_tag", "internal_tag"];
const ENDPOINTS: [Resource; 5] = [
    Resource::Liveness,
    Resource::Readiness,
    Resource::Startup,
    Resource::Component,
    Resource::Version,
];

struct World {
    runtime: Runtime,
    /// Never, bearer, always; each with failing and with passing checks.
    endpoints: Vec<(Who, Endpoints)>,
}

#[derive(Clone, Copy, PartialEq)]
enum Who {
    Never,
    Bearer,
    Always,
}

fn registry(failing: bool) -> Registry {
    let outcome = move |message: String| {
        move || {
            let message = message.clone();
            async move {
                match failing {
                    true => Outcome::down(message),
                    false => Outcome::up(),
                }
            }
        }
    };
    Registry::builder()
        .without_declared()
        .version("1.2.3-fuzz")
        .check(
            Check::new(
                "primary_db",
                outcome(format!("{SECRET} postgres://app:{PASSWORD}@db/app")),
            )
            .with_tags(["sql_tag"]),
        )
        .check(
            Check::new(
                "hidden_check",
                outcome(format!("{SECRET} token={PASSWORD}\r\n[+]x ok\u{2028}")),
            )
            .with_probes(Probes::LIVENESS.with(Probe::Readiness).with(Probe::Startup))
            .with_tags(["internal_tag"]),
        )
        .check(
            Check::new("cache_store", outcome(format!("{SECRET} slow")))
                .with_critical(false)
                .with_timeout(Duration::from_millis(50)),
        )
        .check(Check::new("warmup_job", || async { true }).with_probes(Probe::Startup))
        .check(Check::new("live_ping", || async { true }).with_probes(Probe::Liveness))
        .build()
        .expect("a valid registry")
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let endpoints = runtime.block_on(async {
            let mut all = Vec::new();
            for who in [Who::Never, Who::Bearer, Who::Always] {
                for failing in [true, false] {
                    let disclosure = match who {
                        Who::Never => Disclosure::never(),
                        Who::Bearer => Disclosure::bearer(TOKEN),
                        Who::Always => Disclosure::always(),
                    };
                    let endpoints = Endpoints::builder(registry(failing))
                        .disclosure(disclosure)
                        .build()
                        .expect("valid endpoints");
                    all.push((who, endpoints));
                }
            }
            all
        });
        World { runtime, endpoints }
    })
}

fn unsafe_char(c: char) -> bool {
    c != '\n'
        && (c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'))
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let world = world();
    let (who, endpoints) = &world.endpoints[usize::from(control % 6)];
    let fields: Vec<String> = rest
        .splitn(6, |b| *b == b'\n')
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let field = |i: usize| fields.get(i).map(String::as_str);
    let method = field(0).unwrap_or("GET");
    let path = field(1).unwrap_or("/ready");
    let query = field(2);
    let mut headers: Vec<(&str, &str)> = Vec::new();
    for (name, i) in [("authorization", 3), ("accept", 4), ("x-forwarded-for", 5)] {
        if let Some(value) = field(i) {
            headers.push((name, value));
        }
    }
    // Half the time as a router-less adapter would route, else any resource.
    let resource = match control / 6 % 2 {
        0 => endpoints.route(path).unwrap_or(Resource::Liveness),
        _ => ENDPOINTS[usize::from(control / 12 % 5)],
    };
    let request = Request::new(Method::from_name(method), path)
        .query(query)
        .headers(&headers);
    let response = world.runtime.block_on(endpoints.handle(resource, &request));

    let status = response.status();
    assert!(
        [200, 400, 404, 405, 414, 503].contains(&status),
        "undocumented status {status}"
    );
    assert_eq!(response.header("cache-control"), Some("no-store"));
    if status == 405 {
        assert_eq!(response.header("allow"), Some("GET, HEAD"));
    }
    let body = response.body();
    match response.header("content-type") {
        Some(ct) if ct == "application/json" || ct == ContentType::HealthJson.as_str() => {
            serde_json::from_slice::<serde_json::Value>(body).expect("a JSON body");
        }
        Some("text/plain; charset=utf-8") => {
            let text = std::str::from_utf8(body).expect("a UTF-8 text body");
            assert!(!text.chars().any(unsafe_char), "unsafe text body {text:?}");
        }
        other => panic!("unexpected content-type {other:?}"),
    }
    let text = String::from_utf8_lossy(body);
    assert!(!text.contains(PASSWORD), "a password shown: {text}");
    assert!(!text.contains(TOKEN), "the token shown: {text}");
    let authorized = match who {
        Who::Always => true,
        // `Bearer <token>`, the scheme in any case, spaces around.
        Who::Bearer => {
            field(3)
                .and_then(|a| a.trim().split_once(' '))
                .is_some_and(|(scheme, token)| {
                    scheme.eq_ignore_ascii_case("bearer") && token.trim_start() == TOKEN
                })
        }
        Who::Never => false,
    };
    if !authorized {
        assert!(!text.contains(SECRET), "a message shown: {text}");
        let told = format!("{path} {}", query.unwrap_or_default());
        for name in NAMES.iter().chain(&TAGS) {
            assert!(
                !text.contains(name) || told.contains(name),
                "`{name}` shown unasked: {text}"
            );
        }
    }
});
