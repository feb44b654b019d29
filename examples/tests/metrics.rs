//! The example's `/metrics` text is valid for Prometheus' own tool:
//! `promtool check metrics` (Debian's `prometheus` package; `./test.sh`
//! installs it, through `.ci/services.sh`) accepts it, every series has
//! HELP text, and the check duration is a real `histogram`.
//!
//! Without promtool the test says so on stderr and passes, except in CI
//! (`CI` set, as `.ci/run` does), where a missing promtool is a failure.
#![cfg(feature = "services")]

mod support;

use health::{Probe, Status};
use health_examples::{Config, Service};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

fn config() -> Config {
    Config {
        bind: ([127, 0, 0, 1], 0).into(),
        database_url: None,
        redis_url: None,
        upstream_url: None,
        health_token: None,
        health_networks: Vec::new(),
        allowed_hosts: Vec::new(),
        probe_bind: None,
        admin_token: None,
        commit: None,
        drain_delay: Duration::ZERO,
        drain_connections: true,
        trace_probes: false,
        stop_signals: health::StopSignal::DEFAULT.to_vec(),
    }
}

/// `promtool check metrics` on `text`: `Ok(None)` when it accepts it,
/// `Ok(Some(output))` when it rejects it, `Err` when promtool cannot run.
fn promtool_check(text: &str) -> std::io::Result<Option<String>> {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin.write_all(text.as_bytes())?;
    drop(stdin);
    let output = child.wait_with_output()?;
    if output.status.success() {
        Ok(None)
    } else {
        Ok(Some(format!(
            "{}{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promtool_accepts_the_metrics() {
    // As the binaries do: the recorder first, then the service.
    let metrics = health_examples::init_metrics().expect("recorder");
    let service = Service::new("metrics-test", config()).expect("service");
    let registry = service.registry();
    service.spawn_migrations();
    assert!(
        support::until_up(registry, Probe::Startup).await,
        "the migration did not pass the startup check"
    );
    // Readiness is DEGRADED until the non-critical `scratch_disk`, an
    // interval check, has its first background result (later on a loaded
    // machine): the assertions below wait for it, bounded.
    support::until_up(registry, Probe::Readiness).await;
    for _ in 0..3 {
        assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Up);
        assert_eq!(registry.run(Probe::Liveness).await.status(), Status::Up);
    }

    let text = metrics.render();
    for series in [
        "health_check_status",
        "health_check_duration_seconds",
        "health_check_failures_total",
    ] {
        assert!(
            text.contains(&format!("# HELP {series} ")),
            "no HELP for {series}:\n{text}"
        );
    }
    assert!(
        text.contains("# TYPE health_check_duration_seconds histogram"),
        "the duration is not a histogram:\n{text}"
    );
    assert!(
        text.contains(r#"health_check_duration_seconds_bucket{check="database",le="+Inf"} "#),
        "no buckets for the database check:\n{text}"
    );
    assert!(
        text.contains(r#"health_check_status{check="database"} 1"#),
        "{text}"
    );

    match promtool_check(&text) {
        Ok(None) => {}
        Ok(Some(rejected)) => {
            panic!("promtool check metrics rejects /metrics: {rejected}\n--- /metrics ---\n{text}")
        }
        Err(e) => {
            let why = format!(
                "promtool is not installed ({e}): `bash .ci/services.sh` installs it \
                 (Debian's prometheus package)"
            );
            assert!(std::env::var_os("CI").is_none(), "in CI, {why}");
            // Straight to stderr: the test harness captures `eprintln!`.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED the promtool check of promtool_accepts_the_metrics: {why}"
            );
        }
    }
}
