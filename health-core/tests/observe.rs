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
    let take = || std::mem::take(&mut *seen.lock().unwrap());
    let short = |ts: Vec<Transition>| {
        ts.into_iter()
            .map(|t| (t.subject, t.from, t.to, t.message))
            .collect::<Vec<_>>()
    };
    let db = Subject::Check("db".into());
    let ready = Subject::Probe(Probe::Readiness);

    reg.run(Probe::Readiness).await;
    assert_eq!(
        short(take()),
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
    reg.run(Probe::Readiness).await;
    assert!(take().is_empty(), "no transition, no event");
    up.store(true, Ordering::SeqCst);
    reg.run(Probe::Readiness).await;
    assert_eq!(
        short(take()),
        [
            (db.clone(), Some(Status::Down), Status::Up, None),
            (ready.clone(), Some(Status::Down), Status::Up, None)
        ]
    );
    reg.set_maintenance("upgrade", std::time::Duration::from_secs(30));
    reg.run(Probe::Readiness).await;
    assert_eq!(
        short(take()),
        [(
            ready,
            Some(Status::Up),
            Status::OutOfService,
            Some("maintenance: upgrade".into())
        )]
    );
}
