//! `Watch`: the current status at once, then each change; transitions
//! within the period, interval checks and drains pushed; unknown names;
//! one shared evaluation for many watchers.

use crate::checks::{Set, Switch, builder, up};
use crate::grpc_support::serve;
use health::tonic::HealthServer;
use health::tonic::proto::ServingStatus::{NotServing, ServiceUnknown, Serving};
use std::time::Duration;
use tokio::time::Instant;

/// Longer than any period these tests use: a status that arrives sooner
/// was pushed, not polled.
const LONG: Duration = Duration::from_secs(3600);
/// The bound on a status that should come "at once".
const AT_ONCE: Duration = Duration::from_millis(500);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transition_arrives_within_the_period() {
    let db = Switch::new(Set::Up);
    let registry = builder().check(db.check("db")).build().unwrap();
    let period = Duration::from_millis(200);
    let health = HealthServer::builder(registry)
        .watch_period(period)
        .build()
        .unwrap();
    let server = serve(health).await;
    let mut client = server.client().await;
    let mut watch = client.watch("db").await;
    assert_eq!(watch.expect(AT_ONCE).await, Serving);

    db.set(Set::Down);
    let flipped = Instant::now();
    // A plain check: nobody else runs it, so the period finds the change.
    assert_eq!(watch.expect(period + AT_ONCE).await, NotServing);
    assert!(flipped.elapsed() <= period + AT_ONCE);
    db.set(Set::Degraded);
    assert_eq!(watch.expect(period + AT_ONCE).await, Serving);
    // Only changes: UP after DEGRADED is SERVING still, so nothing is sent.
    db.set(Set::Up);
    watch.stays_quiet(period * 3).await;
    db.set(Set::Down);
    assert_eq!(watch.expect(period + AT_ONCE).await, NotServing);
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
        .watch_period(LONG)
        .build()
        .unwrap();
    let server = serve(health).await;
    let mut client = server.client().await;
    let mut ready = client.watch("").await;
    let mut component = client.watch("db").await;
    // The first status may be UNKNOWN (NOT_SERVING) if the background
    // task has not finished its first run yet.
    let mut first = ready.expect(AT_ONCE).await;
    if first == NotServing {
        first = ready.expect(AT_ONCE).await;
    }
    assert_eq!(first, Serving);
    let mut first = component.expect(AT_ONCE).await;
    if first == NotServing {
        first = component.expect(AT_ONCE).await;
    }
    assert_eq!(first, Serving);

    db.set(Set::Down);
    // Within one interval and a little, though the watch period is an hour.
    assert_eq!(ready.expect(Duration::from_secs(1)).await, NotServing);
    assert_eq!(component.expect(Duration::from_secs(1)).await, NotServing);
    db.set(Set::Up);
    assert_eq!(ready.expect(Duration::from_secs(1)).await, Serving);
    assert_eq!(component.expect(Duration::from_secs(1)).await, Serving);
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
        assert_eq!(w.expect(AT_ONCE).await, Serving);
    }

    registry.set_maintenance("reindexing", Duration::from_secs(60));
    assert_eq!(whole.expect(AT_ONCE).await, NotServing);
    assert_eq!(ready.expect(AT_ONCE).await, NotServing);
    registry.clear_maintenance();
    assert_eq!(whole.expect(AT_ONCE).await, Serving);
    assert_eq!(ready.expect(AT_ONCE).await, Serving);

    let drained = Instant::now();
    registry.begin_drain();
    assert_eq!(whole.expect(AT_ONCE).await, NotServing);
    assert_eq!(ready.expect(AT_ONCE).await, NotServing);
    assert!(drained.elapsed() < AT_ONCE);
    assert_eq!(client.status("").await, NotServing);
    // Liveness stays SERVING: nothing new on its stream.
    live.stays_quiet(Duration::from_millis(300)).await;
    assert_eq!(client.status("liveness").await, Serving);
}

/// A drain during an evaluation is not held back by the checks in flight.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drain_during_a_slow_evaluation_is_pushed_at_once() {
    let db = Switch::new(Set::Up);
    let slow = Duration::from_secs(2);
    let registry = builder()
        .check(
            db.slow_check("db", slow)
                .with_timeout(Duration::from_secs(5)),
        )
        .build()
        .unwrap();
    // A short period: the loop is evaluating (2 s) nearly all the time.
    let health = HealthServer::builder(registry.clone())
        .watch_period(Duration::from_millis(10))
        .build()
        .unwrap();
    let server = serve(health).await;
    let mut client = server.client().await;
    let mut whole = client.watch("").await;
    assert_eq!(whole.expect(slow + AT_ONCE).await, Serving);
    // The next evaluation has started (10 ms later) and runs for 2 s.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let drained = Instant::now();
    registry.begin_drain();
    assert_eq!(whole.expect(AT_ONCE).await, NotServing);
    assert!(drained.elapsed() < AT_ONCE, "{:?}", drained.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_name_gets_service_unknown_and_stays_open() {
    let registry = builder().check(up("db")).build().unwrap();
    let server = serve(HealthServer::new(registry).unwrap()).await;
    let mut client = server.client().await;
    let mut unknown = client.watch("nope").await;
    assert_eq!(unknown.expect(AT_ONCE).await, ServiceUnknown);
    // Kept open: names are fixed when the server is built, so the name
    // never appears and nothing more is sent, until the watches end.
    unknown.stays_quiet(Duration::from_millis(500)).await;
    assert_eq!(client.status("db").await, Serving);
    server.health.end_watches();
    unknown.ends(AT_ONCE).await;
    // A Watch begun after the end gets what is at hand, then ends.
    let mut late = client.watch("nope").await;
    assert_eq!(late.expect(AT_ONCE).await, ServiceUnknown);
    late.ends(AT_ONCE).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watchers_share_one_evaluation() {
    let db = Switch::new(Set::Up);
    let registry = builder().check(db.check("db")).build().unwrap();
    let period = Duration::from_millis(100);
    let health = HealthServer::builder(registry)
        .watch_period(period)
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
        assert_eq!(watch.expect(AT_ONCE).await, Serving);
        watches.push(watch);
    }
    // `""` and readiness share one loop; `db` has its own.
    assert_eq!(health.watched_services(), 2);
    let start = db.runs();
    let idle = Duration::from_secs(1);
    tokio::time::sleep(idle).await;
    let runs = db.runs() - start;
    // Two loops, each one evaluation per period (plus slack for timers):
    // 150 watchers cost what 2 do.
    let bound = 2 * (idle.as_millis() / period.as_millis()) as usize + 4;
    assert!(runs <= bound, "{runs} runs in {idle:?}, more than {bound}");
    assert!(runs >= 2, "the loops evaluate every period: {runs} runs");

    // A change reaches every watcher once.
    db.set(Set::Down);
    for watch in &mut watches {
        assert_eq!(watch.expect(period + AT_ONCE).await, NotServing);
    }
    // When the last watcher leaves, the loops stop.
    drop(watches);
    let deadline = Instant::now() + Duration::from_secs(5);
    while health.watched_services() > 0 {
        assert!(Instant::now() < deadline, "the loops did not stop");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let stopped = db.runs();
    tokio::time::sleep(period * 3).await;
    assert_eq!(db.runs(), stopped, "no evaluation without watchers");
}
