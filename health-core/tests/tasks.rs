//! Supervised tasks end with the drain, and never read as failed for it.

use health_core::task::Restart;
use health_core::{Check, Probe, Registry, Status};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_stopped_by_the_drain_is_not_a_failure() {
    let (check, supervisor) = Check::task("worker", Duration::from_secs(30));
    let registry = Registry::builder()
        .without_declared()
        .check(check.with_probes(Probe::Liveness))
        .drain_delay(Duration::from_millis(50))
        .stop_signals([])
        .build()
        .expect("registry");
    let supervised = supervisor.spawn(&registry, Restart::Never, |heartbeat| async move {
        loop {
            heartbeat.tick();
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        #[allow(unreachable_code)]
        Ok::<(), String>(())
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    registry.begin_drain();
    tokio::time::timeout(Duration::from_secs(5), supervised)
        .await
        .expect("the supervisor ends with the drain")
        .expect("no panic");
    let report = registry.run(Probe::Liveness).await;
    let worker = report.component("worker").expect("declared");
    assert_eq!(
        (worker.status(), worker.message()),
        (Status::Up, Some("stopped: drained"))
    );
}
