//! A selection's verdict is at hand, without a run, while every check it
//! keeps has a result it may serve; the whole probe's, from its memo.

#![allow(clippy::unwrap_used)]

use health_core::{Check, Probe, Registry, Selection, Status};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn counted(name: &'static str, runs: &Arc<AtomicUsize>, ok: bool) -> Check {
    let runs = Arc::clone(runs);
    Check::new(name, move || {
        runs.fetch_add(1, Ordering::SeqCst);
        async move { ok }
    })
    .with_cache(Duration::from_secs(3600))
}

#[tokio::test]
async fn a_selection_over_cached_checks_is_answered_without_a_run() {
    let runs = Arc::new(AtomicUsize::new(0));
    let registry = Registry::builder()
        .without_declared()
        .check(counted("db", &runs, true).with_tags(["cached"]))
        .check(
            counted("cache", &runs, false)
                .with_tags(["cached"])
                .with_critical(false),
        )
        .check(counted("search", &runs, false))
        .build()
        .unwrap();
    let tagged = Selection::new(Probe::Readiness).tag("cached");
    assert_eq!(registry.verdict_now(&tagged), None, "nothing ran yet");
    assert_eq!(
        registry.verdict(tagged.clone()).await.status,
        Status::Degraded
    );
    let ran = runs.load(Ordering::SeqCst);
    assert_eq!(ran, 2, "the two tagged checks");
    let at_hand = registry.verdict_now(&tagged).expect("at hand: both cached");
    assert_eq!(at_hand.status, Status::Degraded);
    let excluded = Selection::new(Probe::Readiness).exclude(["cache"]);
    assert_eq!(registry.verdict_now(&excluded), None, "search has not run");
    assert_eq!(runs.load(Ordering::SeqCst), ran, "no run to answer at hand");
}
