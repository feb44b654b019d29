//! Shared code of the example services.
//!
//! `axum-service` and `actix-service` are the same small application served
//! by two frameworks. Everything but the HTTP glue lives here, once: the
//! configuration read from the environment, the connections, the
//! migration, the application's two routes, and the health checks, declared
//! with `#[health_check]` in a private module (declared checks register at
//! start-up, before `main`, wherever they sit).
//!
//! A binary links this crate's checks by naming the crate: both binaries
//! call [`Service::new`], which is enough. A binary that named nothing from
//! here would lose the checks silently (rustc does not link an unused
//! dependency); `use health_examples as _;` is the fix.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `BIND` | `127.0.0.1:8080` (axum), `127.0.0.1:8081` (actix) | listen address |
//! | `DATABASE_URL` | embedded in-memory SQLite | `postgres://...` for PostgreSQL |
//! | `REDIS_URL` | none: no Redis check | `redis://127.0.0.1:6379` |
//! | `UPSTREAM_URL` | none: no upstream check | a plain-HTTP URL answering 2xx |
//! | `HEALTH_TOKEN` | none: status only | bearer token for details (at least 16 bytes) |
//! | `HEALTH_NETWORKS` | `127.0.0.0/8,::1/128` when `BIND` is a loopback address, else none | comma-separated CIDRs whose callers see details without a token (a browser cannot send one); `none` for no network |
//! | `HEALTH_ALLOWED_HOSTS` | none | comma-separated host names the status page answers besides `localhost` and IP addresses, where `HEALTH_NETWORKS` grants details (the DNS-rebinding guard answers any other name 421): an ingress's or a Service's name |
//! | `HEALTH_ADMIN_TOKEN` | none: admin routes answer 403 | bearer token for `PUT` (maintenance on) and `DELETE` (off) `/admin/maintenance` (at least 16 bytes) |
//! | `GIT_COMMIT` | none | reported by `/version` |
//! | `DRAIN_DELAY_SECS` | 5 | readiness OUT_OF_SERVICE this long before the server stops |
//! | `DRAIN_CONNECTIONS` | `on` | `on`: the application's own connections are drained too (`Connection: close`, GOAWAY, 503 after the delay, the audit at exit); `off`: readiness only, for comparison |
//! | `STOP_SIGNALS` | `SIGTERM,SIGINT` | the signals that begin the drain (the container's `stopSignal`) |
//! | `TRACE_PROBES` | `off` | `off`: probes are left out of the application's request spans (tower-http's `TraceLayer`, tracing-actix-web's `TracingLogger`); a failing answer still leaves the contract's `health_request` span; `on`: every request traced, probes too, for comparison |
//!
//! **The status page on this machine.** Bound to loopback (the default
//! `BIND`), only this machine can connect, so the services show the checks
//! to every caller on it: open `http://localhost:8080/health/ui` and see
//! them. As soon as `BIND` names another address (`0.0.0.0:8080` in a
//! container) that default is off and callers see only the status, unless
//! `HEALTH_TOKEN` or `HEALTH_NETWORKS` says otherwise. Behind a reverse
//! proxy on the same machine every client arrives from 127.0.0.1: there,
//! set `HEALTH_NETWORKS=none`. The library's own default stays
//! `Disclosure::never()`.

#[cfg(feature = "services")]
mod admin;
#[cfg(feature = "services")]
mod checks;
#[cfg(feature = "services")]
mod config;
#[cfg(feature = "services")]
mod service;
#[cfg(feature = "services")]
mod setup;

#[cfg(feature = "services")]
pub use admin::MAINTENANCE_PATH;
#[cfg(feature = "services")]
pub use config::{Config, LOOPBACK_NETWORKS, VARIABLES};
#[cfg(feature = "services")]
pub use service::{
    COUNTER_TASK, REQUEST_BUDGET, Reply, Service, print_grpc_kubernetes_probes_if_asked,
    print_kubernetes_probes_if_asked,
};

/// The error type of the examples' setup code.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Installs the Prometheus recorder that `/metrics` renders: the
/// registry's `health_check_status`, `health_check_duration_seconds` and
/// `health_check_failures_total`, per check, and `health_probe_status`,
/// per probe (and the drain's and supervised tasks' counters, once
/// something is counted). Call it before the registry
/// is built: building it describes the series (their `# HELP` lines) to
/// the recorder installed then.
///
/// Two things a recorder installed with `install_recorder()` needs, which
/// every user of the `metrics` feature must do alike:
///
/// - **Upkeep.** Histogram samples are kept until something drains them:
///   `render()` (a scrape) or `run_upkeep()`. Without either, every check
///   run adds about 16 bytes for good (a million `/health` requests:
///   +17 MiB).
///   A thread here runs upkeep every second, which bounds what is held to
///   one second of samples. (`PrometheusBuilder::install()`, with the
///   exporter's own HTTP listener, spawns such a task itself: its
///   `upkeep_timeout`, 5 s by default.)
/// - **Buckets.** Without them the exporter renders the duration as a
///   `summary` (quantiles computed here, which Prometheus cannot aggregate
///   over instances); with them it is a `histogram` with `_bucket` series.
#[cfg(feature = "services")]
pub fn init_metrics() -> Result<metrics_exporter_prometheus::PrometheusHandle, Error> {
    use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
    use std::time::Duration;

    /// From 1 ms (an in-process check) to the longest sensible timeout.
    const DURATION_BUCKETS: &[f64] = &[
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ];
    const UPKEEP: Duration = Duration::from_secs(1);

    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full("health_check_duration_seconds".into()),
            DURATION_BUCKETS,
        )?
        .install_recorder()?;
    let upkeep = handle.clone();
    std::thread::Builder::new()
        .name("metrics-upkeep".into())
        .spawn(move || {
            loop {
                std::thread::sleep(UPKEEP);
                upkeep.run_upkeep();
            }
        })?;
    Ok(handle)
}

/// Logs at INFO and above to stderr, in colour on a terminal (the registry
/// logs status changes: failures at WARN/ERROR, recoveries at INFO); and
/// each request's span as it closes, as a trace exporter (such as
/// `tracing-opentelemetry`'s layer) would receive it: the application's
/// (`request` from tower-http's `TraceLayer`, `HTTP request` from
/// tracing-actix-web) and the contract's `health_request` of a failing
/// probe answer. A healthy probe leaves no line. The registry's
/// `health_check` span of each check execution is left out here.
pub fn init_logging() {
    use std::io::IsTerminal;
    use tracing_subscriber::filter::filter_fn;
    use tracing_subscriber::fmt::format::FmtSpan;
    use tracing_subscriber::layer::{Layer, SubscriberExt};
    use tracing_subscriber::util::SubscriberInitExt;
    let log = tracing_subscriber::fmt::layer()
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .with_span_events(FmtSpan::CLOSE)
        .with_filter(filter_fn(|meta| {
            *meta.level() <= tracing::Level::INFO
                && !(meta.is_span() && meta.name() == "health_check")
        }));
    tracing_subscriber::registry().with(log).init();
}
