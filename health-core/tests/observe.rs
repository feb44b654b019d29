//! Transitions reach the `on_change` listeners; steady successes do not.

use health_core::events::{Subject, Transition};
use health_core::{Probe, Registry, Status};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

mod common;
use common::switch;

#[tokio::test]
async fn listeners_get_every_check_and_probe_transition() {
    let up = Arc::new(AtomicBool::new(false));
    let seen: Arc<Mutex<Vec<Transition>>> = Arc::default();
    let log = Arc::clone(&seen);
    let reg = Registry::builder()
        .without_declared()
        .check(switch("db", &up))
        .on_change(move |t| log.lock().unwrap().push(t.clone()))
        .on_change(|_| panic!("a broken listener is isolated"))
        .build()
        .unwrap();
    // Listeners run on the registry's delivery thread: wait for `n`.
    let take = |n: usize| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while seen.lock().unwrap().len() < n && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        std::mem::take(&mut *seen.lock().unwrap())
    };
    let short = |ts: Vec<Transition>| {
        ts.into_iter()
            .map(|t| (t.subject, t.from, t.to, t.message))
            .collect::<Vec<_>>()
    };
    let db = Subject::Check("db".into());
    let ready = Subject::Probe(Probe::Readiness);

    reg.run(Probe::Readiness).await;
    assert_eq!(
        short(take(2)),
        [
            (
                db.clone(),
                None,
                Status::Down,
                Some("connection refused".into())
            ),
            (ready.clone(), None, Status::Down, None)
        ]
    );
    // No transition, no event. Events are delivered in order: the next
    // transition's two events are the sentinel, and an event of this run
    // would come before them.
    reg.run(Probe::Readiness).await;
    up.store(true, Ordering::SeqCst);
    reg.run(Probe::Readiness).await;
    assert_eq!(
        short(take(2)),
        [
            (db.clone(), Some(Status::Down), Status::Up, None),
            (ready.clone(), Some(Status::Down), Status::Up, None)
        ]
    );
    reg.set_maintenance("upgrade", std::time::Duration::from_secs(30));
    reg.run(Probe::Readiness).await;
    assert_eq!(
        short(take(1)),
        [(
            ready,
            Some(Status::Up),
            Status::OutOfService,
            Some("maintenance: upgrade".into())
        )]
    );
}

/// A listener that blocks never delays a probe: four transitions are
/// answered while the first listener call is held at a gate, which this
/// test opens only after them. A probe that waited for its listeners
/// would wait until the listener gave up (30 s) and find it returned.
#[tokio::test]
async fn a_slow_listener_never_delays_a_probe() {
    let up = Arc::new(AtomicBool::new(false));
    let [started, gate, returned] = [(); 3].map(|()| Arc::new(AtomicBool::new(false)));
    let (s, g, r) = (
        Arc::clone(&started),
        Arc::clone(&gate),
        Arc::clone(&returned),
    );
    let reg = Registry::builder()
        .without_declared()
        .check(switch("db", &up))
        .on_change(move |_| {
            s.store(true, Ordering::SeqCst);
            let held = std::time::Instant::now();
            while !g.load(Ordering::SeqCst) && held.elapsed() < std::time::Duration::from_secs(30) {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            r.store(true, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    for flip in [false, true, false, true] {
        up.store(flip, Ordering::SeqCst);
        assert_eq!(reg.run(Probe::Readiness).await.status().is_serving(), flip);
    }
    assert!(
        !returned.load(Ordering::SeqCst),
        "four transitions answered while the first listener call is held"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !started.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert!(started.load(Ordering::SeqCst), "the listener is called");
    gate.store(true, Ordering::SeqCst);
}
