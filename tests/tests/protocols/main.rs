//! One table of scenarios for both protocols, so HTTP and gRPC can never
//! disagree about a status: each scenario builds one registry, serves it
//! over HTTP (the axum adapter) and gRPC (`health::tonic`) at once on
//! 127.0.0.1, applies its lifecycle action, and asks every service of
//! every protocol. Serving is HTTP 200 and gRPC `SERVING` (in `Check`, in
//! the first message of `Watch`, and in `List`); not serving is 503 and
//! `NOT_SERVING`; an unknown component is 404, `NOT_FOUND`,
//! `SERVICE_UNKNOWN` and absent from `List`. Components are disclosed on
//! both (`Disclosure::always()`, `.components(true)`).

#![allow(clippy::unwrap_used)]

#[path = "../grpc_support/mod.rs"]
mod grpc_support;

use health::tonic::HealthServer;
use health::tonic::proto::ServingStatus;
use health::{Check, Jitter, Outcome, Probe, Registry};
use health_tests::client;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tonic::Code;

/// What a service must answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Serving,
    NotServing,
    /// No such service.
    Unknown,
}
use Expect::{NotServing, Serving, Unknown};

/// A service, as each protocol names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    Liveness,
    /// `/ready`; gRPC `""` and `readiness`.
    Readiness,
    Startup,
    Component(&'static str),
}
use Service::{Component, Liveness, Readiness, Startup};

impl Service {
    fn http_path(self) -> String {
        match self {
            Liveness => "/health".into(),
            Readiness => "/ready".into(),
            Startup => "/startup".into(),
            Component(name) => format!("/health/{name}"),
        }
    }

    fn grpc_names(self) -> Vec<&'static str> {
        match self {
            Liveness => vec!["liveness"],
            Readiness => vec!["", "readiness"],
            Startup => vec!["startup"],
            Component(name) => vec![name],
        }
    }
}

/// What happens to the registry before the services are asked.
#[derive(Debug, Clone, Copy)]
enum Action {
    Nothing,
    /// `begin_drain()` (what SIGTERM does under `shutdown_signal`).
    Drain,
    Maintenance,
    /// Maintenance set, then cleared.
    MaintenanceOver,
    /// One run of the probe first (to latch startup, or fill caches).
    RunFirst(Probe),
    /// The registry built with this jitter (default: `Jitter::DEFAULT`).
    Jittered(Jitter),
}

struct Scenario {
    name: &'static str,
    checks: fn() -> Vec<Check>,
    action: Action,
    expect: &'static [(Service, Expect)],
}

fn up(name: &'static str) -> Check {
    Check::new(name, || async {})
}

fn down(name: &'static str) -> Check {
    Check::new(name, || async { Outcome::down("refused") })
}

/// A check whose first run gives `first` and every later run `then`.
fn first_then(name: &'static str, first: bool, then: bool) -> Check {
    let runs = Arc::new(AtomicUsize::new(0));
    Check::new(name, move || {
        let first_run = runs.fetch_add(1, Ordering::SeqCst) == 0;
        async move { if first_run { first } else { then } }
    })
}

fn hanging(name: &'static str) -> Check {
    Check::new(name, std::future::pending::<()>)
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "all up",
        checks: || vec![up("db"), up("event_loop").with_probes(Probe::Liveness)],
        action: Action::Nothing,
        expect: &[
            (Liveness, Serving),
            (Readiness, Serving),
            (Startup, Serving),
            (Component("db"), Serving),
            (Component("event_loop"), Serving),
            (Component("nope"), Unknown),
        ],
    },
    Scenario {
        name: "no checks at all",
        checks: Vec::new,
        action: Action::Nothing,
        expect: &[
            (Liveness, Serving),
            (Readiness, Serving),
            (Startup, Serving),
        ],
    },
    Scenario {
        name: "a critical check down",
        checks: || vec![up("db"), down("cache")],
        action: Action::Nothing,
        expect: &[
            (Liveness, Serving),
            (Readiness, NotServing),
            (Component("db"), Serving),
            (Component("cache"), NotServing),
        ],
    },
    Scenario {
        name: "a non-critical check down: DEGRADED",
        checks: || vec![up("db"), down("search").with_critical(false)],
        action: Action::Nothing,
        expect: &[(Readiness, Serving), (Component("search"), NotServing)],
    },
    Scenario {
        name: "a degraded outcome",
        checks: || {
            vec![Check::new("db", || async {
                Outcome::degraded("replica lag")
            })]
        },
        action: Action::Nothing,
        expect: &[(Readiness, Serving), (Component("db"), Serving)],
    },
    Scenario {
        name: "a critical interval check before its first result: UNKNOWN",
        checks: || {
            vec![
                hanging("warming")
                    .with_interval(Duration::from_secs(3600))
                    .with_timeout(Duration::from_secs(1800)),
            ]
        },
        action: Action::Nothing,
        expect: &[
            (Liveness, Serving),
            (Readiness, NotServing),
            (Component("warming"), NotServing),
        ],
    },
    Scenario {
        name: "a timed-out check",
        checks: || vec![hanging("db").with_timeout(Duration::from_millis(100))],
        action: Action::Nothing,
        expect: &[(Readiness, NotServing), (Component("db"), NotServing)],
    },
    Scenario {
        name: "a panicking check",
        checks: || {
            vec![Check::new("db", || async {
                if true {
                    panic!("boom");
                }
            })]
        },
        action: Action::Nothing,
        expect: &[
            (Liveness, Serving),
            (Readiness, NotServing),
            (Component("db"), NotServing),
        ],
    },
    Scenario {
        name: "a liveness check down",
        checks: || vec![up("db"), down("event_loop").with_probes(Probe::Liveness)],
        action: Action::Nothing,
        expect: &[
            (Liveness, NotServing),
            (Readiness, Serving),
            (Component("event_loop"), NotServing),
        ],
    },
    Scenario {
        name: "startup not passed yet",
        checks: || vec![up("db"), down("migrations").with_probes(Probe::Startup)],
        action: Action::Nothing,
        expect: &[
            (Startup, NotServing),
            (Readiness, Serving),
            (Component("migrations"), NotServing),
        ],
    },
    Scenario {
        name: "startup latched, then its check fails",
        checks: || vec![first_then("migrations", true, false).with_probes(Probe::Startup)],
        action: Action::RunFirst(Probe::Startup),
        // A check of the startup probe alone never runs again once startup
        // latched, on either protocol: its latched result, UP.
        expect: &[(Startup, Serving), (Component("migrations"), Serving)],
    },
    Scenario {
        name: "a cached result outlives its check's failure",
        checks: || vec![first_then("db", true, false).with_cache(Duration::from_secs(3600))],
        action: Action::RunFirst(Probe::Readiness),
        expect: &[(Readiness, Serving), (Component("db"), Serving)],
    },
    Scenario {
        name: "recovering under a success threshold: still not serving",
        // Failed once; every later run passes, but the thousand successes
        // in a row it asks for never come within the scenario.
        checks: || {
            vec![
                first_then("db", false, true)
                    .with_cache(Duration::from_millis(1))
                    .with_success_threshold(1000),
            ]
        },
        action: Action::RunFirst(Probe::Readiness),
        expect: &[
            (Liveness, Serving),
            (Readiness, NotServing),
            (Component("db"), NotServing),
        ],
    },
    Scenario {
        name: "a failure tolerated by its threshold, with a success threshold: serving",
        checks: || {
            vec![
                first_then("db", true, false)
                    .with_cache(Duration::from_millis(1))
                    .with_failure_threshold(1000)
                    .with_success_threshold(3),
            ]
        },
        action: Action::RunFirst(Probe::Readiness),
        expect: &[(Readiness, Serving), (Component("db"), Serving)],
    },
    Scenario {
        name: "an interval check whose first run the jitter delays: unknown until it runs",
        checks: || {
            vec![
                up("db")
                    .with_interval(Duration::from_secs(3600))
                    .with_timeout(Duration::from_secs(1)),
            ]
        },
        action: Action::Jittered(
            Jitter::NONE
                .with_initial(Duration::from_secs(3600))
                .seeded(1),
        ),
        expect: &[(Readiness, NotServing), (Component("db"), NotServing)],
    },
    Scenario {
        name: "draining",
        checks: || vec![up("db"), up("event_loop").with_probes(Probe::Liveness)],
        action: Action::Drain,
        expect: &[
            (Liveness, Serving),
            (Readiness, NotServing),
            (Startup, Serving),
            (Component("db"), Serving),
        ],
    },
    Scenario {
        name: "draining with a check down",
        checks: || vec![down("db")],
        action: Action::Drain,
        expect: &[
            (Liveness, Serving),
            (Readiness, NotServing),
            (Component("db"), NotServing),
        ],
    },
    Scenario {
        name: "maintenance",
        checks: || vec![up("db")],
        action: Action::Maintenance,
        expect: &[
            (Liveness, Serving),
            (Readiness, NotServing),
            (Component("db"), Serving),
        ],
    },
    Scenario {
        name: "maintenance over",
        checks: || vec![up("db")],
        action: Action::MaintenanceOver,
        expect: &[
            (Liveness, Serving),
            (Readiness, Serving),
            (Component("db"), Serving),
        ],
    },
];

/// Serves `registry` with the axum adapter on 127.0.0.1:0, components
/// disclosed to everybody: the gRPC service answers every component's
/// status to any caller of its port, so HTTP is asked the same way.
async fn serve_http(registry: Registry) -> (std::net::SocketAddr, tokio::task::AbortHandle) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let endpoints = health::http::Endpoints::builder(registry)
        .disclosure(health::http::Disclosure::always())
        .build()
        .expect("valid endpoints");
    let router = health::axum::routes(endpoints);
    let task = tokio::spawn(async move { axum::serve(listener, router).await });
    (addr, task.abort_handle())
}

/// The gRPC answers of one name, in the scenario's terms.
fn grpc_expect(status: ServingStatus) -> Expect {
    match status {
        ServingStatus::Serving => Serving,
        ServingStatus::NotServing => NotServing,
        ServingStatus::ServiceUnknown => Unknown,
        other => panic!("the server never sends {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_and_grpc_agree_on_every_scenario() {
    let mut disagreements = Vec::new();
    for scenario in SCENARIOS {
        let jitter = match scenario.action {
            Action::Jittered(jitter) => jitter,
            _ => Jitter::DEFAULT,
        };
        let registry = Registry::builder()
            .without_declared()
            .jitter(jitter)
            .checks((scenario.checks)())
            .build()
            .unwrap();
        match scenario.action {
            Action::Nothing | Action::Jittered(_) => {}
            Action::Drain => registry.begin_drain(),
            Action::Maintenance => registry.set_maintenance("reindexing", Duration::from_secs(60)),
            Action::MaintenanceOver => {
                registry.set_maintenance("reindexing", Duration::from_secs(60));
                registry.clear_maintenance();
            }
            Action::RunFirst(probe) => {
                registry.run(probe).await;
            }
        }
        let (http, http_task) = serve_http(registry.clone()).await;
        let health = HealthServer::builder(registry.clone())
            .components(true)
            .build()
            .unwrap();
        let grpc = grpc_support::serve(health).await;
        let mut client = grpc.client().await;
        let listed = client.list().await.unwrap();

        for &(service, expected) in scenario.expect {
            let mut answers: Vec<(String, Expect, Expect)> = Vec::new();
            let path = service.http_path();
            let response = client::request(http, "GET", &path, &[]).await.unwrap();
            let code = match response.status {
                200 => Serving,
                503 => NotServing,
                404 => Unknown,
                other => panic!("{}: GET {path} answered {other}", scenario.name),
            };
            answers.push((
                format!("HTTP GET {path} ({})", response.status),
                code,
                expected,
            ));
            for name in service.grpc_names() {
                let check = match client.check(name).await {
                    Ok(status) => grpc_expect(status),
                    Err(e) if e.code() == Code::NotFound => Unknown,
                    Err(e) => panic!("{}: Check {name:?}: {e:?}", scenario.name),
                };
                answers.push((format!("gRPC Check {name:?}"), check, expected));
                let mut watch = client.watch(name).await;
                let first = watch.expect(grpc_support::BOUND).await;
                answers.push((format!("gRPC Watch {name:?}"), grpc_expect(first), expected));
                let in_list = listed.get(name).map_or(Unknown, |s| grpc_expect(*s));
                answers.push((format!("gRPC List [{name:?}]"), in_list, expected));
            }
            for (what, answer, expected) in answers {
                if answer != expected {
                    disagreements.push(format!(
                        "{}: {service:?}: {what} says {answer:?}, expected {expected:?}",
                        scenario.name
                    ));
                }
            }
        }
        http_task.abort();
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
