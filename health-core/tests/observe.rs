//! Transitions reach listeners and the log; steady successes do not.

use health_core::events::{Subject, Transition};
use health_core::{Check, Probe, Registry, Status};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

fn switch(name: &'static str, up: &Arc<AtomicBool>) -> Check {
    let up = Arc::clone(up);
    Check::new(name, move || {
        let ok = up.load(Ordering::SeqCst);
        async move {
            if ok {
                Ok(())
            } else {
                Err("connection refused")
            }
        }
    })
}

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

    reg.check(Probe::Readiness).await;
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
    reg.check(Probe::Readiness).await;
    assert!(take().is_empty(), "no transition, no event");
    up.store(true, Ordering::SeqCst);
    reg.check(Probe::Readiness).await;
    assert_eq!(
        short(take()),
        [
            (db.clone(), Some(Status::Down), Status::Up, None),
            (ready.clone(), Some(Status::Down), Status::Up, None)
        ]
    );
    reg.set_maintenance("upgrade", std::time::Duration::from_secs(30));
    reg.check(Probe::Readiness).await;
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

/// A `MakeWriter` into a shared buffer.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().expect("log buffer")))
            .expect("UTF-8 log")
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_log_has_transitions_only_and_a_span_per_execution() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (up, optional_up) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let reg = Registry::builder()
        .without_declared()
        .check(switch("db", &up))
        .check(switch("search", &optional_up).critical(false))
        .build()
        .unwrap();

    reg.check(Probe::Readiness).await;
    let log = buffer.take();
    assert!(
        log.lines()
            .any(|l| l.contains("ERROR") && l.contains("health check failed") && l.contains("db")),
        "{log}"
    );
    assert!(
        log.lines().any(|l| l.contains("WARN")
            && l.contains("health check failed")
            && l.contains("search")),
        "{log}"
    );
    assert!(log.contains("connection refused"), "{log}");
    assert!(
        log.contains("health_check{check=db probes={Readiness}") && log.contains("status=\"DOWN\""),
        "{log}"
    );

    up.store(true, Ordering::SeqCst);
    optional_up.store(true, Ordering::SeqCst);
    reg.check(Probe::Readiness).await;
    let log = buffer.take();
    assert!(
        log.lines()
            .any(|l| l.contains("INFO") && l.contains("health check recovered")),
        "{log}"
    );

    reg.check(Probe::Readiness).await;
    let log = buffer.take();
    assert!(
        !log.contains("health check"),
        "steady successes are not logged: {log}"
    );
    assert_eq!(
        log.matches("close").count(),
        2,
        "one span per execution: {log}"
    );
}
