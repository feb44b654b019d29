//! `Check`: every service name, each status, unknown names, configured
//! names, components off by default, the startup latch, and nothing but
//! statuses on the wire.

use crate::checks::{Set, Switch, builder, down, hanging, up, with_components};
use crate::grpc_support::{BOUND, serve};
use health::tonic::HealthServer;
use health::tonic::proto::ServingStatus::{NotServing, ServiceUnknown, Serving};
use health::{Probe, Probes};
use std::time::Duration;
use tonic::Code;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_service_name() {
    let registry = builder()
        .check(up("db"))
        .check(down("search").with_critical(false))
        .check(up("event_loop").with_probes(Probe::Liveness))
        .check(down("migrations").with_probes(Probe::Startup))
        .build()
        .unwrap();
    let health = with_components(registry);
    assert_eq!(
        health.services(),
        [
            "",
            "db",
            "event_loop",
            "liveness",
            "migrations",
            "readiness",
            "search",
            "startup"
        ]
    );
    let server = serve(health).await;
    let mut client = server.client().await;
    for (service, expected) in [
        // "": readiness, DEGRADED (a non-critical check is down).
        ("", Serving),
        ("readiness", Serving),
        ("liveness", Serving),
        ("startup", NotServing),
        ("db", Serving),
        ("search", NotServing),
        ("event_loop", Serving),
        ("migrations", NotServing),
    ] {
        assert_eq!(client.status(service).await, expected, "{service:?}");
    }
    for unknown in ["nope", "Readiness", " ", "grpc.health.v1.Health", "db/x"] {
        let error = client.check(unknown).await.unwrap_err();
        assert_eq!(error.code(), Code::NotFound, "{unknown:?}");
        assert_eq!(error.message(), "unknown service");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_for_each_status() {
    let db = Switch::new(Set::Up);
    let registry = builder()
        .check(db.check("db"))
        // UNKNOWN: an interval check before its first result.
        .check(
            hanging("warming")
                .with_critical(false)
                .with_interval(Duration::from_secs(3600))
                .with_timeout(Duration::from_secs(1800)),
        )
        .build()
        .unwrap();
    let server = serve(with_components(registry.clone())).await;
    let mut client = server.client().await;

    // UP and DEGRADED serve; DOWN does not.
    for (set, expected) in [
        (Set::Up, Serving),
        (Set::Degraded, Serving),
        (Set::Down, NotServing),
    ] {
        db.set(set);
        assert_eq!(client.status("db").await, expected, "db {set:?}");
        assert_eq!(
            client.status("").await,
            expected,
            "readiness with db {set:?}"
        );
    }
    db.set(Set::Up);
    // UNKNOWN does not serve (a non-critical one only degrades readiness).
    assert_eq!(client.status("warming").await, NotServing);
    assert_eq!(client.status("readiness").await, Serving);
    // OUT_OF_SERVICE does not serve; components keep their own status.
    registry.set_maintenance("reindexing", Duration::from_secs(60));
    assert_eq!(client.status("").await, NotServing);
    assert_eq!(client.status("readiness").await, NotServing);
    assert_eq!(client.status("liveness").await, Serving);
    assert_eq!(client.status("db").await, Serving);
    registry.clear_maintenance();
    assert_eq!(client.status("").await, Serving);
}

/// By default the port discloses no more than HTTP shows an anonymous
/// caller: the probes, no component, not even in `List` or `Watch`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn components_are_off_by_default() {
    let db = Switch::new(Set::Up);
    let registry = builder().check(db.check("db")).build().unwrap();
    let server = serve(HealthServer::new(registry).unwrap()).await;
    let mut client = server.client().await;
    assert_eq!(client.status("").await, Serving);
    let runs = db.runs();
    let error = client.check("db").await.unwrap_err();
    assert_eq!(error.code(), Code::NotFound);
    let listed = client.list().await.unwrap();
    assert_eq!(
        listed.keys().map(String::as_str).collect::<Vec<_>>(),
        ["", "liveness", "readiness", "startup"]
    );
    let mut watch = client.watch("db").await;
    assert_eq!(watch.expect(BOUND).await, ServiceUnknown);
    // `List` evaluated readiness, which ran it once; asking for it by
    // name ran nothing.
    assert_eq!(db.runs(), runs + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configured_names_and_no_components() {
    let registry = builder().check(down("db")).build().unwrap();
    let health = HealthServer::builder(registry)
        .probe_name(Probe::Liveness, "live")
        .probe_name(Probe::Readiness, "ready")
        .probe_name(Probe::Startup, "started")
        .components(false)
        .build()
        .unwrap();
    let server = serve(health).await;
    let mut client = server.client().await;
    assert_eq!(client.status("").await, NotServing);
    assert_eq!(client.status("ready").await, NotServing);
    assert_eq!(client.status("live").await, Serving);
    assert_eq!(client.status("started").await, Serving);
    for gone in ["db", "liveness", "readiness", "startup"] {
        assert_eq!(
            client.check(gone).await.unwrap_err().code(),
            Code::NotFound,
            "{gone}"
        );
    }
}

/// Startup latches, and a check of the startup probe alone is never run
/// again after the latch, whoever asks and however: `Check`, `List` and
/// `Watch` of it answer its latched result. A check in startup and another
/// probe is that other probe's, and runs as it does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn startup_latches_and_its_checks_never_run_again() {
    let migrations = Switch::new(Set::Down);
    let cache = Switch::new(Set::Up);
    let registry = builder()
        .check(migrations.check("migrations").with_probes(Probe::Startup))
        .check(
            cache
                .check("cache")
                .with_probes(Probes::STARTUP.with(Probe::Readiness)),
        )
        .build()
        .unwrap();
    let server = serve(with_components(registry)).await;
    let mut client = server.client().await;
    assert_eq!(client.status("startup").await, NotServing);
    assert_eq!(client.status("migrations").await, NotServing);
    migrations.set(Set::Up);
    assert_eq!(client.status("startup").await, Serving);
    migrations.set(Set::Down);
    cache.set(Set::Down);
    // Latched: startup checks no longer run, for the probe or by name.
    let runs = migrations.runs();
    assert_eq!(client.status("startup").await, Serving);
    assert_eq!(client.status("migrations").await, Serving);
    assert_eq!(client.list().await.unwrap()["migrations"], Serving);
    let mut watch = client.watch("migrations").await;
    assert_eq!(watch.expect(BOUND).await, Serving);
    assert_eq!(migrations.runs(), runs, "a latched startup check ran again");
    // Not a startup check only: it runs and tells the truth.
    let runs = cache.runs();
    assert_eq!(client.status("cache").await, NotServing);
    assert!(cache.runs() > runs);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statuses_only_never_messages() {
    let registry = builder().check(down("db")).build().unwrap();
    let server = serve(with_components(registry)).await;
    let mut client = server.client().await;
    // The raw response: headers, body and trailers hold no check message.
    for service in ["", "db", "nope"] {
        let mut request = tonic::Request::new(tonic_health::pb::HealthCheckRequest {
            service: service.into(),
        });
        request.set_timeout(Duration::from_secs(5));
        let mut raw = client.raw();
        let text = match raw.check(request).await {
            Ok(response) => format!("{:?} {:?}", response.metadata(), response.get_ref()),
            Err(status) => format!("{status:?}"),
        };
        assert!(!text.contains("secret-detail"), "{service:?}: {text}");
    }
    assert_eq!(client.status("db").await, NotServing);
}
