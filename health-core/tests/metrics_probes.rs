//! `health_probe_status{probe}`: each whole probe's verdict, read back
//! through a real Prometheus recorder, set on a change (the first verdict
//! is one), not on a verdict that repeats, but again once it held 10 s (an
//! exporter's idle timeout must not retire it). A test binary of its own:
//! it installs the global recorder.

use health_core::{Check, Probe, Registry, Status};
use metrics::{Gauge, GaugeFn, Key, KeyName, Metadata, Recorder, SharedString, Unit};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusRecorder};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Every value set on a `health_probe_status` gauge, in order: its
/// `probe` label and the value.
type Sets = Arc<Mutex<Vec<(String, f64)>>>;

/// The Prometheus recorder, with each set of a `health_probe_status`
/// gauge also written down.
struct Logged {
    inner: PrometheusRecorder,
    sets: Sets,
}

/// A `health_probe_status` gauge: the exporter's, and the log.
struct LoggedGauge {
    inner: Gauge,
    probe: String,
    sets: Sets,
}

impl GaugeFn for LoggedGauge {
    fn increment(&self, value: f64) {
        self.inner.increment(value);
    }
    fn decrement(&self, value: f64) {
        self.inner.decrement(value);
    }
    fn set(&self, value: f64) {
        self.sets
            .lock()
            .expect("the log")
            .push((self.probe.clone(), value));
        self.inner.set(value);
    }
}

impl Recorder for Logged {
    fn describe_counter(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.inner.describe_counter(key, unit, description);
    }
    fn describe_gauge(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.inner.describe_gauge(key, unit, description);
    }
    fn describe_histogram(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.inner.describe_histogram(key, unit, description);
    }
    fn register_counter(&self, key: &Key, metadata: &Metadata<'_>) -> metrics::Counter {
        self.inner.register_counter(key, metadata)
    }
    fn register_gauge(&self, key: &Key, metadata: &Metadata<'_>) -> Gauge {
        let inner = self.inner.register_gauge(key, metadata);
        if key.name() != "health_probe_status" {
            return inner;
        }
        let probe = key
            .labels()
            .find(|l| l.key() == "probe")
            .map(|l| l.value().to_owned())
            .unwrap_or_default();
        Gauge::from_arc(Arc::new(LoggedGauge {
            inner,
            probe,
            sets: Arc::clone(&self.sets),
        }))
    }
    fn register_histogram(&self, key: &Key, metadata: &Metadata<'_>) -> metrics::Histogram {
        self.inner.register_histogram(key, metadata)
    }
}

/// A check whose result the test sets.
fn switch(name: &'static str, critical: bool) -> (Check, Arc<AtomicBool>) {
    let up = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&up);
    let check = Check::new(name, move || {
        let ok = flag.load(Ordering::SeqCst);
        async move { ok }
    })
    .with_critical(critical);
    (check, up)
}

#[tokio::test(start_paused = true)]
async fn each_probe_verdict_is_recorded_on_a_change() {
    let inner = PrometheusBuilder::new().build_recorder();
    let handle = inner.handle();
    let sets = Sets::default();
    let recorder = Logged {
        inner,
        sets: Arc::clone(&sets),
    };
    metrics::set_global_recorder(recorder).expect("the only recorder of this test binary");
    let taken = || std::mem::take(&mut *sets.lock().unwrap());
    let gauge = |probe: &str| {
        let text = handle.render();
        let series = format!("health_probe_status{{probe=\"{probe}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(&series))
            .map(|v| v.parse::<f64>().unwrap())
    };

    let (db, db_up) = switch("db", true);
    let (cache, cache_up) = switch("cache", false);
    let registry = Registry::builder()
        .without_declared()
        .check(db)
        .check(cache)
        .build()
        .unwrap();
    assert_eq!(gauge("readiness"), None, "no verdict yet");

    // The first verdict is recorded, whatever it is.
    db_up.store(false, Ordering::SeqCst);
    assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Down);
    assert_eq!(taken(), [("readiness".to_owned(), 0.0)]);
    assert_eq!(gauge("readiness"), Some(0.0));
    let text = handle.render();
    assert!(
        text.contains("# HELP health_probe_status Verdict of a whole probe"),
        "described when the registry is built:\n{text}"
    );
    // A verdict that repeats records nothing.
    for _ in 0..3 {
        registry.run(Probe::Readiness).await;
        registry.verdict(Probe::Readiness).await;
    }
    assert_eq!(taken(), []);

    // Each change is recorded: DEGRADED, then UP.
    db_up.store(true, Ordering::SeqCst);
    cache_up.store(false, Ordering::SeqCst);
    assert_eq!(
        registry.run(Probe::Readiness).await.status(),
        Status::Degraded
    );
    assert_eq!(gauge("readiness"), Some(0.5));
    cache_up.store(true, Ordering::SeqCst);
    registry.run(Probe::Readiness).await;
    registry.run(Probe::Readiness).await;
    assert_eq!(
        taken(),
        [("readiness".to_owned(), 0.5), ("readiness".to_owned(), 1.0)]
    );
    assert_eq!(gauge("readiness"), Some(1.0));

    // One series per probe; startup latches, and records nothing after.
    registry.run(Probe::Liveness).await;
    registry.run(Probe::Startup).await;
    registry.run(Probe::Startup).await;
    assert_eq!(
        taken(),
        [("liveness".to_owned(), 1.0), ("startup".to_owned(), 1.0)]
    );
    assert_eq!(gauge("liveness"), Some(1.0));
    assert_eq!(gauge("startup"), Some(1.0));

    // Draining: readiness OUT_OF_SERVICE, recorded as 0 (not serving).
    registry.begin_drain();
    assert_eq!(
        registry.run(Probe::Readiness).await.status(),
        Status::OutOfService
    );
    registry.run(Probe::Readiness).await;
    assert_eq!(taken(), [("readiness".to_owned(), 0.0)]);
    assert_eq!(gauge("readiness"), Some(0.0));
    // Liveness goes on UP: unchanged, nothing recorded.
    registry.run(Probe::Liveness).await;
    assert_eq!(taken(), []);
    assert_eq!(gauge("liveness"), Some(1.0));

    // A verdict held for 10 s is set again (once), while the probe is asked.
    tokio::time::advance(Duration::from_secs(9)).await;
    registry.run(Probe::Liveness).await;
    assert_eq!(taken(), []);
    tokio::time::advance(Duration::from_secs(1)).await;
    registry.run(Probe::Liveness).await;
    registry.run(Probe::Liveness).await;
    assert_eq!(taken(), [("liveness".to_owned(), 1.0)]);

    // The check gauge's critical label: one series per check.
    let text = handle.render();
    for series in [
        "health_check_status{check=\"db\",critical=\"true\"} 1",
        "health_check_status{check=\"cache\",critical=\"false\"} 1",
    ] {
        assert!(text.contains(series), "no {series} in\n{text}");
    }
}
