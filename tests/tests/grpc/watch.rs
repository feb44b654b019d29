//! `Watch`: the current status at once, then each change; transitions
//! found by the period, interval checks and drains pushed; unknown names;
//! one shared evaluation for many watchers; a flapping check does not
//! rerun the others.
//!
//! "Pushed" is proven by a watch period of an hour (what arrives within
//! [`BOUND`] was not polled), "at once" by a check held in flight on a gate;
//! no test asserts how fast something happened.

use crate::checks::{Gated, Set, Switch, builder, flapping, up};
use crate::grpc_support::{BOUND, eventually, serve};
use health::tonic::HealthServer;
use health::tonic::proto::ServingStatus::{NotServing, ServiceUnknown, Serving};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::Instant;

/// Longer than any test: a status that arrives sooner was pushed, not
/// polled.
const LONG: Duration = Duration::from_secs(3600);

/// A plain check: nobody else runs it, so only the period's evaluations
/// can find its change (without them, nothing would ever arrive).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_period_finds_a_transition() {
    let db = Switch::new(Set::Up);
    let registry = builder().check(db.check("db")).build().unwrap();
    let period = Duration::from_millis(200);
    let health = HealthServer::builder(registry)
        .components(true)
        .watch_period(period)
        .build()
        .unwrap();
    let server = serve(health).await;
    let mut client = server.client().await;
    let mut watch = client.watch("db").await;
    assert_eq!(watch.expect(BOUND).await, Serving);

    db.set(Set::Down);
    assert_eq!(watch.expect(BOUND).await, NotServing);
    db.set(Set::Degraded);
    assert_eq!(watch.expect(BOUND).await, Serving);
    // Only changes: UP after DEGRADED is SERVING still, so nothing is sent.
    db.set(Set::Up);
    watch.stays_quiet(period * 3).await;
    db.set(Set::Down);
    assert_eq!(watch.expect(BOUND).await, NotServing);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interval_transitions_are_pushed() {
    let db = Switch::new(Set::Up);
    let registry = builder()
        .check(
            db.check("db")
                .with_interval(Duration::from_millis(100))
                .with_timeout(Duration::from_millis(50)),
        )
        .build()
        .unwrap();
    let health = HealthServer::builder(registry)
        .components(true)
        .watch_period(LONG)
        .build()
        .unwrap();
    let server = serve(health).await;
    let mut client = server.client().await;
    let mut ready = client.watch("").await;
    let mut component = client.watch("db").await;
    // The first status may be UNKNOWN (NOT_SERVING) if the background
    // task has not finished its first run yet.
    let mut first = ready.expect(BOUND).await;
    if first == NotServing {
        first = ready.expect(BOUND).await;
    }
    assert_eq!(first, Serving);
    let mut first = component.expect(BOUND).await;
    if first == NotServing {
        first = component.expect(BOUND).await;
    }
    assert_eq!(first, Serving);

    db.set(Set::Down);
    // Pushed: the watch period is an hour.
    assert_eq!(ready.expect(BOUND).await, NotServing);
    assert_eq!(component.expect(BOUND).await, NotServing);
    db.set(Set::Up);
    assert_eq!(ready.expect(BOUND).await, Serving);
    assert_eq!(component.expect(BOUND).await, Serving);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drain_and_maintenance_are_pushed_at_once() {
    let registry = builder().check(up("db")).build().unwrap();
    let health = HealthServer::builder(registry.clone())
        .watch_period(LONG)
        .build()
        .unwrap();
    let server = serve(health).await;
    let mut client = server.client().await;
    let mut whole = client.watch("").await;
    let mut ready = client.watch("readiness").await;
    let mut live = client.watch("liveness").await;
    for w in [&mut whole, &mut ready, &mut live] {
        assert_eq!(w.expect(BOUND).await, Serving);
    }

    // Pushed: the watch period is an hour.
    registry.set_maintenance("reindexing", Duration::from_secs(60));
    assert_eq!(whole.expect(BOUND).await, NotServing);
    assert_eq!(ready.expect(BOUND).await, NotServing);
    registry.clear_maintenance();
    assert_eq!(whole.expect(BOUND).await, Serving);
    assert_eq!(ready.expect(BOUND).await, Serving);

    registry.begin_drain();
    assert_eq!(whole.expect(BOUND).await, NotServing);
    assert_eq!(ready.expect(BOUND).await, NotServing);
    assert_eq!(client.status("").await, NotServing);
    // Liveness stays SERVING: nothing new on its stream.
    live.stays_quiet(Duration::from_millis(300)).await;
    assert_eq!(client.status("liveness").await, Serving);
}

/// A drain during an evaluation is not held back by the checks in flight:
/// NOT_SERVING arrives while the check is still held on its gate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drain_during_an_evaluation_is_pushed_at_once() {
    let db = Gated::new();
    let registry = builder().check(db.check("db")).build().unwrap();
    // A short period: the second evaluation starts soon, and holds.
    let health = HealthServer::builder(registry.clone())
        .watch_period(Duration::from_millis(10))
        .build()
        .unwrap();
    let server = serve(health).await;
    let mut client = server.client().await;
    let mut whole = client.watch("").await;
    assert_eq!(whole.expect(BOUND).await, Serving);
    eventually(BOUND, "a second evaluation runs db", || db.runs() == 2).await;
    registry.begin_drain();
    assert_eq!(whole.expect(BOUND).await, NotServing);
    assert_eq!(db.runs(), 2, "the evaluation is still in flight");
    db.open();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_name_gets_service_unknown_and_stays_open() {
    let registry = builder().check(up("db")).build().unwrap();
    let server = serve(HealthServer::new(registry).unwrap()).await;
    let mut client = server.client().await;
    let mut unknown = client.watch("nope").await;
    assert_eq!(unknown.expect(BOUND).await, ServiceUnknown);
    // Kept open: names are fixed when the server is built, so the name
    // never appears and nothing more is sent, until the watches end.
    unknown.stays_quiet(Duration::from_millis(500)).await;
    assert_eq!(client.status("").await, Serving);
    server.health.end_watches();
    unknown.ends(BOUND).await;
    // A Watch begun after the end gets what is at hand, then ends.
    let mut late = client.watch("nope").await;
    assert_eq!(late.expect(BOUND).await, ServiceUnknown);
    late.ends(BOUND).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watchers_share_one_evaluation() {
    let db = Switch::new(Set::Up);
    let registry = builder().check(db.check("db")).build().unwrap();
    let period = Duration::from_millis(100);
    let health = HealthServer::builder(registry)
        .components(true)
        .watch_period(period)
        .max_watches_per_connection(30)
        .build()
        .unwrap();
    let server = serve(health.clone()).await;
    // 50 watchers of each of `db`, `""` and `readiness`, over 5 connections.
    let mut clients = Vec::new();
    for _ in 0..5 {
        clients.push(server.client().await);
    }
    let mut watches = Vec::new();
    for i in 0..150 {
        let client = &mut clients[i % 5];
        let service = ["db", "", "readiness"][i % 3];
        let mut watch = client.watch(service).await;
        assert_eq!(watch.expect(BOUND).await, Serving);
        watches.push(watch);
    }
    // `""` and readiness share one loop; `db` has its own.
    assert_eq!(health.watched_services(), 2);
    let start = db.runs();
    eventually(BOUND, "the loops evaluate every period", || {
        db.runs() >= start + 2
    })
    .await;
    // Over a second (however long it really took): two loops, each one
    // evaluation per period, plus one under way each. 150 watchers cost
    // what 2 do; a loop per watcher would be 75 times more.
    let (start, started) = (db.runs(), Instant::now());
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (runs, idle) = (db.runs() - start, started.elapsed());
    let bound = 2 * (idle.as_millis() / period.as_millis() + 1) as usize;
    assert!(runs <= bound, "{runs} runs in {idle:?}, more than {bound}");

    // A change reaches every watcher once.
    db.set(Set::Down);
    for watch in &mut watches {
        assert_eq!(watch.expect(BOUND).await, NotServing);
    }
    // When the last watcher leaves, the loops stop.
    drop(watches);
    eventually(BOUND, "the loops stop", || health.watched_services() == 0).await;
    let stopped = db.runs();
    tokio::time::sleep(period * 3).await;
    assert_eq!(db.runs(), stopped, "no evaluation without watchers");
}

/// A check that flaps makes the registry report a change at every run
/// (20 a second). Each watched service whose evaluation runs checks reruns
/// them for a change at most once a second, however many changes: an
/// unrelated plain check watched meanwhile (as a component and inside
/// readiness) is not run again for each flap. The watch period is an hour,
/// so every run counted was triggered by a change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flapping_check_does_not_rerun_the_others() {
    let flaps = Arc::new(AtomicUsize::new(0));
    let steady = Switch::new(Set::Up);
    let registry = builder()
        .check(flapping("flapper", Arc::clone(&flaps)).with_critical(false))
        .check(steady.check("steady"))
        .build()
        .unwrap();
    let health = HealthServer::builder(registry)
        .components(true)
        .watch_period(LONG)
        .build()
        .unwrap();
    let server = serve(health.clone()).await;
    let mut client = server.client().await;
    let mut component = client.watch("steady").await;
    assert_eq!(component.expect(BOUND).await, Serving);
    let mut whole = client.watch("").await;
    // Readiness: UP or DEGRADED as the non-critical flapper goes.
    assert_eq!(whole.expect(BOUND).await, Serving);
    assert_eq!(health.watched_services(), 2);

    let (runs, started) = (steady.runs(), Instant::now());
    let flapped = flaps.load(Ordering::SeqCst);
    eventually(3 * BOUND, "forty flaps", || {
        flaps.load(Ordering::SeqCst) >= flapped + 40
    })
    .await;
    let (reruns, elapsed) = (steady.runs() - runs, started.elapsed());
    // Two loops run `steady`: each at most once a second, plus one each
    // for the second under way.
    let bound = 2 * (elapsed.as_secs() as usize + 2);
    assert!(
        reruns <= bound,
        "{reruns} runs of steady during {elapsed:?} of flapping (40 changes), more than {bound}"
    );
    drop((component, whole));
}
