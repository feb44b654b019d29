//! Balancer profiles: a probe's status codes per status (Consul's 429 for
//! a warning) and Envoy's `x-envoy-degraded`, switched on at the builder.

use crate::support::{AUTHORIZED, Set, Switch, TOKEN, build, builder, db_and_optional_search};
use health::http::{Disclosure, Endpoints};
use health::{Probe, Status};
use std::time::Duration;

/// The formats and methods a probe answers in: each must carry the same
/// code and headers.
const READY: [(&str, &str); 5] = [
    ("GET", "/ready"),
    ("HEAD", "/ready"),
    ("GET", "/ready?verbose"),
    ("GET", "/ready?format=ietf"),
    ("GET", "/ready?format=text"),
];

conformance! {
    /// Consul: readiness DEGRADED answers 429 (Consul's warning), UP and
    /// DOWN keep 200 and 503; liveness DOWN answers the 500 it was given;
    /// probes and components left out keep the defaults.
    async fn status_codes_per_probe_and_status(adapter) {
        let (db, search, heap) = (Switch::new(Set::Up), Switch::new(Set::Up), Switch::new(Set::Up));
        let registry = build(
            builder()
                .check(db.check("db"))
                .check(search.check("search").with_critical(false))
                .check(heap.check("heap").with_probes(Probe::Liveness)),
        );
        let endpoints = Endpoints::builder(registry)
            .disclosure(Disclosure::bearer(TOKEN))
            .status_code(Probe::Readiness, Status::Degraded, 429)
            .status_code(Probe::Liveness, Status::Down, 500)
            .build()
            .expect("valid endpoints");
        let server = adapter.spawn(endpoints).await;
        for (db_set, search_set, code) in [
            (Set::Up, Set::Up, 200),
            (Set::Up, Set::Down, 429),
            (Set::Degraded, Set::Up, 429),
            (Set::Down, Set::Up, 503),
        ] {
            db.set(db_set);
            search.set(search_set);
            for (method, target) in READY {
                for headers in [&[][..], &AUTHORIZED[..]] {
                    let r = server.request(method, target, headers).await;
                    assert_eq!(
                        r.status, code,
                        "{method} {target}, db {db_set:?}, search {search_set:?}"
                    );
                }
            }
        }
        // The body still says what the status is.
        db.set(Set::Degraded);
        let r = server.get("/ready").await;
        assert_eq!((r.status, r.text().as_str()), (429, r#"{"status":"DEGRADED"}"#));
        // A component keeps the defaults.
        let r = server.request("GET", "/health/db", &AUTHORIZED).await;
        assert_eq!(r.status, 200);
        // Liveness: DOWN as given, DEGRADED as by default.
        for (set, code) in [(Set::Up, 200), (Set::Degraded, 200), (Set::Down, 500)] {
            heap.set(set);
            assert_eq!(server.get("/health").await.status, code, "heap {set:?}");
        }
        // Startup keeps the defaults (its checks are readiness's here).
        assert_eq!(server.get("/startup").await.status, 200);
    }

    /// Without a map, DEGRADED readiness is 200, never 429.
    async fn status_codes_default_to_200_and_503(adapter) {
        let (db, _search, registry) = db_and_optional_search();
        let server = adapter.spawn(registry).await;
        db.set(Set::Degraded);
        assert_eq!(server.get("/ready").await.status, 200);
        db.set(Set::Down);
        assert_eq!(server.get("/ready").await.status, 503);
    }

    /// Liveness with no liveness check (its answer is precomputed) takes
    /// the map as well.
    async fn status_codes_of_static_liveness(adapter) {
        let endpoints = Endpoints::builder(build(builder()))
            .status_code(Probe::Liveness, Status::Up, 202)
            .build()
            .expect("valid endpoints");
        let server = adapter.spawn(endpoints).await;
        let r = server.get("/health").await;
        assert_eq!((r.status, r.text().as_str()), (202, r#"{"status":"UP"}"#));
    }

    /// A drain with OUT_OF_SERVICE mapped keeps its `Retry-After`.
    async fn status_codes_keep_retry_after(adapter) {
        let registry = build(builder().drain_delay(Duration::from_secs(5)));
        let endpoints = Endpoints::builder(registry.clone())
            .status_code(Probe::Readiness, Status::OutOfService, 500)
            .build()
            .expect("valid endpoints");
        let server = adapter.spawn(endpoints).await;
        registry.begin_drain();
        let r = server.get("/ready").await;
        assert_eq!((r.status, r.header("retry-after")), (500, Some("5")));
    }

    /// Envoy: with the switch on, every DEGRADED answer (probes in every
    /// format and method, components, a DEGRADED answer mapped to 429)
    /// carries `x-envoy-degraded`; UP and DOWN answers do not.
    async fn envoy_degraded_header_on_degraded_answers(adapter) {
        let (db, search, registry) = db_and_optional_search();
        let endpoints = Endpoints::builder(registry)
            .disclosure(Disclosure::bearer(TOKEN))
            .envoy_degraded_header(true)
            .build()
            .expect("valid endpoints");
        let server = adapter.spawn(endpoints).await;
        for (db_set, search_set, degraded) in [
            (Set::Up, Set::Up, false),
            (Set::Up, Set::Down, true),
            (Set::Degraded, Set::Up, true),
            (Set::Down, Set::Up, false),
            (Set::Up, Set::Up, false),
        ] {
            db.set(db_set);
            search.set(search_set);
            let expected = degraded.then_some("true");
            for (method, target) in READY {
                for headers in [&[][..], &AUTHORIZED[..]] {
                    let r = server.request(method, target, headers).await;
                    assert_eq!(
                        r.header("x-envoy-degraded"),
                        expected,
                        "{method} {target}, db {db_set:?}, search {search_set:?}"
                    );
                    assert_eq!(r.status, if db_set == Set::Down { 503 } else { 200 });
                }
            }
        }
        // A component: DEGRADED carries it, UP does not.
        db.set(Set::Degraded);
        let r = server.request("GET", "/health/db", &AUTHORIZED).await;
        assert_eq!((r.status, r.header("x-envoy-degraded")), (200, Some("true")));
        let r = server.request("GET", "/health/search", &AUTHORIZED).await;
        assert_eq!((r.status, r.header("x-envoy-degraded")), (200, None));
        // Liveness (no check: always UP) never carries it.
        assert_eq!(server.get("/health").await.header("x-envoy-degraded"), None);
    }

    /// The header is opt-in: a DEGRADED answer of the default endpoints
    /// carries none.
    async fn envoy_degraded_header_off_by_default(adapter) {
        let (db, _search, registry) = db_and_optional_search();
        let server = adapter.spawn(registry).await;
        db.set(Set::Degraded);
        for (method, target) in READY {
            let r = server.request(method, target, &[]).await;
            assert_eq!((r.status, r.header("x-envoy-degraded")), (200, None), "{method} {target}");
        }
    }

    /// Both switches together: Consul's 429 and Envoy's header on one
    /// DEGRADED answer.
    async fn envoy_header_with_a_mapped_code(adapter) {
        let (db, _search, registry) = db_and_optional_search();
        let endpoints = Endpoints::builder(registry)
            .status_code(Probe::Readiness, Status::Degraded, 429)
            .envoy_degraded_header(true)
            .build()
            .expect("valid endpoints");
        let server = adapter.spawn(endpoints).await;
        db.set(Set::Degraded);
        let r = server.get("/ready").await;
        assert_eq!((r.status, r.header("x-envoy-degraded")), (429, Some("true")));
    }
}
