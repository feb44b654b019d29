//! What the tests of the example's metrics share: the example service
//! serving with its Prometheus recorder installed, as the binaries do, and
//! Prometheus' own tool, `promtool` (Debian's `prometheus` package;
//! `./test.sh` installs it, through `.ci/services.sh`).
//!
//! Without promtool a test says so on stderr and passes, except in CI
//! (`CI` set, as `.ci/run` does), where a missing promtool is a failure.

use crate::support;
use health::{Probe, Status};
use health_examples::{Config, Service};
use metrics_exporter_prometheus::PrometheusHandle;
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

/// The example service with its recorder (the process's one: once per test
/// binary), started and UP on every probe, each run a few times.
pub(crate) async fn serving(name: &'static str) -> (PrometheusHandle, Service) {
    // As the binaries do: the recorder first, then the service.
    let metrics = health_examples::init_metrics().expect("recorder");
    let service = Service::new(name, config()).expect("service");
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
    (metrics, service)
}

/// Runs `promtool args…` (with `stdin` on its standard input): `Ok(None)`
/// when it succeeds, `Ok(Some(output))` when it fails, `Err` when promtool
/// cannot run.
pub(crate) fn promtool(args: &[&str], stdin: Option<&str>) -> std::io::Result<Option<String>> {
    let mut child = Command::new("promtool")
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("piped stdin");
        pipe.write_all(text.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    if output.status.success() {
        Ok(None)
    } else {
        Ok(Some(format!(
            "promtool {}: {}\n{}{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )))
    }
}

/// promtool could not run (`error`): a failure in CI, else a line on
/// stderr naming the `test` skipped.
pub(crate) fn without_promtool(test: &str, error: &std::io::Error) {
    let why = format!(
        "promtool is not installed ({error}): `bash .ci/services.sh` installs it \
         (Debian's prometheus package)"
    );
    assert!(std::env::var_os("CI").is_none(), "in CI, {why}");
    // Straight to stderr: the test harness captures `eprintln!`.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED the promtool check of {test}: {why}"
    );
}
