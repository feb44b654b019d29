//! The shared service code, without HTTP: the registry the binaries build,
//! the embedded database, the startup migration and the maintenance routes.
#![cfg(feature = "services")]

mod support;

use health::{Probe, Status};
use health_examples::{Config, Service};
use std::time::Duration;

const HEALTH_TOKEN: &str = "details-0123456789abcdef";
const ADMIN_TOKEN: &str = "admin-0123456789abcdef";

fn config(health: Option<&str>, admin: Option<&str>) -> Config {
    Config {
        bind: ([127, 0, 0, 1], 0).into(),
        database_url: None,
        redis_url: None,
        upstream_url: None,
        health_token: health.map(str::to_owned),
        health_networks: Vec::new(),
        allowed_hosts: Vec::new(),
        probe_bind: None,
        admin_token: admin.map(str::to_owned),
        commit: Some("abc1234".into()),
        drain_delay: Duration::ZERO,
        drain_connections: true,
        trace_probes: false,
        stop_signals: health::StopSignal::DEFAULT.to_vec(),
    }
}

fn body(reply: &health_examples::Reply) -> serde_json::Value {
    serde_json::from_str(&reply.body).expect("JSON body")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_service() {
    let service =
        Service::new("test", config(Some(HEALTH_TOKEN), Some(ADMIN_TOKEN))).expect("service");
    let registry = service.registry();

    // Declared in the library, plus the built-in disk check, the runtime
    // watch and the supervised page-view counter; the checks of
    // unconfigured services (Redis, upstream) are not added.
    let checks = registry.checks();
    let names: Vec<&str> = checks.iter().map(|c| c.name()).collect();
    assert_eq!(
        names,
        [
            "database",
            "disk",
            "event_loop",
            "migrations",
            "page-view-counter",
            "runtime.alive",
            "runtime.busy",
            "scratch_disk"
        ]
    );

    // Not started until the migration ran; then latched.
    assert_eq!(registry.run(Probe::Startup).await.status(), Status::Down);
    service.spawn_migrations();
    assert!(
        support::until_up(registry, Probe::Startup).await,
        "the migration did not pass the startup check"
    );
    // Readiness is DEGRADED until the non-critical `scratch_disk`, an
    // interval check, has its first background result (later on a loaded
    // machine): the assertions below wait for it, bounded.
    support::until_up(registry, Probe::Readiness).await;
    let ready = registry.run(Probe::Readiness).await;
    let not_up: Vec<_> = ready
        .components()
        .iter()
        .filter(|c| c.status() != Status::Up)
        .map(|c| {
            (
                c.name().to_owned(),
                c.status(),
                c.message().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(ready.status(), Status::Up, "{not_up:?}");
    // The supervised counter started with the schema, and progresses.
    let counter = registry
        .run_component("page-view-counter")
        .await
        .expect("a component");
    let counter = counter.component("page-view-counter").expect("itself");
    assert_eq!(counter.status(), Status::Up, "{:?}", counter.message());
    assert_eq!(registry.run(Probe::Liveness).await.status(), Status::Up);

    // Concurrent requests open several pooled connections: they must all
    // see the one in-memory database the migration created.
    let replies = futures_join(&service, 8).await;
    let mut hits: Vec<i64> = replies
        .iter()
        .map(|r| {
            assert_eq!(r.status, 200, "{}", r.body);
            body(r)["page_views"].as_i64().expect("page_views")
        })
        .collect();
    hits.sort_unstable();
    assert_eq!(hits, (1..=8).collect::<Vec<_>>());

    // Maintenance: its own token checked (the details token is not
    // enough); PUT sets and DELETE clears, so a retried request (the same
    // call twice) leaves the state as asked.
    let admin = format!("Bearer {ADMIN_TOKEN}");
    let details = format!("Bearer {HEALTH_TOKEN}");
    for refused in [None, Some("Bearer nope"), Some(details.as_str())] {
        assert_eq!(service.start_maintenance(refused).status, 401);
        assert_eq!(service.end_maintenance(refused).status, 401);
    }
    assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Up);
    for _ in 0..2 {
        let on = service.start_maintenance(Some(&admin));
        assert_eq!(
            (on.status, body(&on)["maintenance"].as_bool()),
            (200, Some(true))
        );
        assert_eq!(
            registry.run(Probe::Readiness).await.status(),
            Status::OutOfService,
            "maintenance stays on when asked again"
        );
        assert_eq!(registry.run(Probe::Liveness).await.status(), Status::Up);
    }
    for _ in 0..2 {
        let off = service.end_maintenance(Some(&admin));
        assert_eq!(
            (off.status, body(&off)["maintenance"].as_bool()),
            (200, Some(false))
        );
        assert_eq!(
            registry.run(Probe::Readiness).await.status(),
            Status::Up,
            "maintenance stays off when asked again"
        );
    }

    // Draining is for good: neither request changes it.
    registry.begin_drain();
    assert_eq!(service.start_maintenance(Some(&admin)).status, 409);
    assert_eq!(service.end_maintenance(Some(&admin)).status, 409);
    assert_eq!(
        registry.run(Probe::Readiness).await.status(),
        Status::OutOfService
    );

    // Without a configured admin token the admin route stays closed, even
    // with a details token.
    let closed = Service::new("test", config(Some(HEALTH_TOKEN), None)).expect("service");
    for bearer in [&admin, &details] {
        assert_eq!(closed.start_maintenance(Some(bearer)).status, 403);
        assert_eq!(closed.end_maintenance(Some(bearer)).status, 403);
    }
}

#[tokio::test]
async fn weak_tokens_stop_the_service_from_starting() {
    for (health, admin, named) in [
        (Some("s3cret"), None, "HEALTH_TOKEN"),
        (None, Some("short"), "HEALTH_ADMIN_TOKEN"),
        (Some("has whitespace in it, 32 bytes"), None, "HEALTH_TOKEN"),
    ] {
        let error = Service::new("test", config(health, admin))
            .err()
            .expect("refused")
            .to_string();
        assert!(error.starts_with(named), "{error}");
        assert!(
            !error.contains("s3cret") && !error.contains("short\""),
            "{error}"
        );
    }
}

/// `HEALTH_NETWORKS`: callers from those networks see the status page's
/// checks without a token (a browser cannot send one); anyone else, the
/// probes' statuses only. A bad network stops the service from starting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn networks_see_the_status_page_without_a_token() {
    use health::http::{Method, Request, Resource};
    let mut with_networks = config(Some(HEALTH_TOKEN), None);
    with_networks.health_networks = vec!["127.0.0.1/32".into(), "10.0.0.0/8".into()];
    let service = Service::new("test", with_networks).expect("service");
    let data = |peer: [u8; 4]| {
        let endpoints = service.endpoints().clone();
        async move {
            let request = Request::new(Method::Get, "/health/ui/data").peer(Some(peer.into()));
            let response = endpoints.handle(Resource::UiData, &request).await;
            serde_json::from_slice::<serde_json::Value>(response.body()).expect("JSON")
        }
    };
    let names = |body: &serde_json::Value| -> Vec<String> {
        body["checks"]
            .as_array()
            .map(|c| {
                c.iter()
                    .filter_map(|c| c["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    for inside in [[127, 0, 0, 1], [10, 1, 2, 3]] {
        assert!(names(&data(inside).await).contains(&"database".to_owned()));
    }
    let outside = data([127, 0, 0, 2]).await;
    assert!(outside.get("checks").is_none(), "{outside}");
    assert_eq!(outside["probes"][0]["probe"], "readiness");

    let mut bad = config(None, None);
    bad.health_networks = vec!["10.0.0.0/33".into()];
    let error = Service::new("test", bad)
        .err()
        .expect("refused")
        .to_string();
    assert!(
        error.contains("HEALTH_NETWORKS") && error.contains("10.0.0.0/33"),
        "{error}"
    );
}

async fn futures_join(service: &Service, n: usize) -> Vec<health_examples::Reply> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let service = service.clone();
            tokio::spawn(async move { service.index().await })
        })
        .collect();
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.expect("task"));
    }
    replies
}
