//! Serving a registry with each adapter on 127.0.0.1, and the checks the
//! cases share.

use actix_web::{App, HttpServer, web};
use health::http::{Disclosure, Endpoints};
use health::{Check, Outcome, Registry, RegistryBuilder};
use health_tests::client::{self, Response};
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// The adapters under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Adapter {
    Axum,
    Actix,
    /// `health::tower`: the contract as a tower service, on a dedicated
    /// probe listener (its own thread and runtime).
    Tower,
}

impl Adapter {
    /// Serves `registry`'s endpoints (and nothing else) on an ephemeral port.
    pub(crate) async fn spawn(self, endpoints: impl Served) -> Server {
        let endpoints = endpoints.endpoints();
        match self {
            Adapter::Axum => Server::axum(health::axum::routes(endpoints)).await,
            Adapter::Actix => Server::actix(health::actix::configure(endpoints)).await,
            Adapter::Tower => Server::tower(endpoints),
        }
    }
}

/// What a case serves: endpoints, or a registry with the defaults.
pub(crate) trait Served {
    fn endpoints(self) -> Endpoints;
}

impl Served for Endpoints {
    fn endpoints(self) -> Endpoints {
        self
    }
}

impl Served for Registry {
    fn endpoints(self) -> Endpoints {
        Endpoints::new(self).expect("the default endpoints of a test registry")
    }
}

/// A server running in the background; stopped when dropped.
pub(crate) struct Server {
    addr: SocketAddr,
    guard: Guard,
}

enum Guard {
    Axum(tokio::task::AbortHandle),
    Tower(Option<health::tower::Serving>),
    Actix {
        handle: actix_web::dev::ServerHandle,
        stopped: Mutex<mpsc::Receiver<()>>,
    },
}

impl Server {
    /// Serves `router` with axum on the current tokio runtime.
    pub(crate) async fn axum(router: ::axum::Router) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        // With the peer's address, as `Disclosure::networks` needs.
        let app = router.into_make_service_with_connect_info::<SocketAddr>();
        let task = tokio::spawn(async move { ::axum::serve(listener, app).await });
        Server {
            addr,
            guard: Guard::Axum(task.abort_handle()),
        }
    }

    /// Serves `endpoints` on a dedicated probe listener.
    pub(crate) fn tower(endpoints: Endpoints) -> Server {
        let serving = health::tower::ProbeListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.serve(endpoints))
            .expect("a probe listener on 127.0.0.1:0");
        Server {
            addr: serving.local_addr(),
            guard: Guard::Tower(Some(serving)),
        }
    }

    /// Serves `App::new().configure(configure)` with actix-web on a thread
    /// of its own, under its own actix `System`, with two workers.
    pub(crate) async fn actix(
        configure: impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
    ) -> Server {
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let (stopped_tx, stopped) = mpsc::channel();
        std::thread::Builder::new()
            .name("actix-server".into())
            .spawn(move || {
                let result = actix_web::rt::System::new().block_on(async move {
                    let server = HttpServer::new(move || App::new().configure(configure.clone()))
                        .workers(2)
                        .disable_signals()
                        .shutdown_timeout(1)
                        .bind(("127.0.0.1", 0))?;
                    let addr = server.addrs()[0];
                    let server = server.run();
                    let _ = ready_tx.send(Ok((addr, server.handle())));
                    server.await
                });
                if let Err(e) = result {
                    eprintln!("actix server failed: {e}");
                }
                let _ = stopped_tx.send(());
            })
            .expect("spawn the actix server thread");
        let (addr, handle) = tokio::time::timeout(client::TIMEOUT, ready_rx)
            .await
            .expect("actix server started in time")
            .unwrap_or_else(|_| Err(io::Error::other("the actix server thread ended")))
            .expect("actix server bound 127.0.0.1:0");
        Server {
            addr,
            guard: Guard::Actix {
                handle,
                stopped: Mutex::new(stopped),
            },
        }
    }

    /// `GET target`.
    pub(crate) async fn get(&self, target: &str) -> Response {
        self.request("GET", target, &[]).await
    }

    /// `method target` with `headers`.
    pub(crate) async fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
    ) -> Response {
        self.request_from(Ipv4Addr::LOCALHOST, method, target, headers)
            .await
    }

    /// `method target` with `headers`, from the loopback address `source`.
    pub(crate) async fn request_from(
        &self,
        source: Ipv4Addr,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
    ) -> Response {
        client::request_from(source, self.addr, method, target, headers)
            .await
            .unwrap_or_else(|e| panic!("{method} {} from {source}: {e}", abbreviate(target)))
    }

    /// `GET target`, and how long the answer took.
    pub(crate) async fn timed_get(&self, target: &str) -> (Response, Duration) {
        let start = Instant::now();
        let response = self.get(target).await;
        (response, start.elapsed())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        match &mut self.guard {
            Guard::Axum(task) => task.abort(),
            // Joins the listener's thread: off this runtime's workers.
            Guard::Tower(serving) => {
                if let Some(serving) = serving.take() {
                    std::thread::spawn(move || serving.stop());
                }
            }
            Guard::Actix { handle, stopped } => {
                // The stop command is sent at once; its completion future
                // is not needed, the thread says when it is done.
                drop(handle.stop(false));
                let stopped = stopped.get_mut().unwrap_or_else(|p| p.into_inner());
                let _ = stopped.recv_timeout(Duration::from_secs(5));
            }
        }
    }
}

impl Server {
    /// The address it serves on (127.0.0.1), for cases that write their
    /// own request head.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// The first 60 characters of `target`, for messages.
pub(crate) fn abbreviate(target: &str) -> String {
    match target.char_indices().nth(60) {
        None => target.to_owned(),
        Some((end, _)) => format!("{}… ({} bytes)", &target[..end], target.len()),
    }
}

/// The bearer token of the tests that disclose details to a token.
pub(crate) const TOKEN: &str = "s3cret-token-0123456789";

/// `Authorization` with [`TOKEN`].
pub(crate) const AUTHORIZED: [(&str, &str); 1] =
    [("authorization", "Bearer s3cret-token-0123456789")];

/// A registry of run-time checks only.
pub(crate) fn builder() -> RegistryBuilder {
    Registry::builder().without_declared()
}

/// Builds, or fails the test.
pub(crate) fn build(builder: RegistryBuilder) -> Registry {
    builder.build().expect("a valid registry")
}

/// `registry`'s endpoints with the default paths, details disclosed as
/// `disclosure` says.
pub(crate) fn disclose(registry: Registry, disclosure: Disclosure) -> Endpoints {
    Endpoints::builder(registry)
        .disclosure(disclosure)
        .build()
        .expect("valid endpoints")
}

/// A registry with `checks`, details shown to everybody.
pub(crate) fn open(checks: impl IntoIterator<Item = Check>) -> Endpoints {
    disclose(build(builder().checks(checks)), Disclosure::always())
}

/// A check that passes.
pub(crate) fn up(name: &'static str) -> Check {
    Check::new(name, || async {})
}

/// A check that fails with `"{name} is down"`.
pub(crate) fn down(name: &'static str) -> Check {
    Check::new(name, move || async move {
        Outcome::down(format!("{name} is down"))
    })
}

/// The outcome a [`Switch`] gives its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Set {
    Up,
    Degraded,
    Down,
}

/// A check whose outcome the test flips between requests.
#[derive(Clone)]
pub(crate) struct Switch(Arc<AtomicU8>);

impl Switch {
    pub(crate) fn new(initial: Set) -> Self {
        Self(Arc::new(AtomicU8::new(initial as u8)))
    }

    pub(crate) fn set(&self, to: Set) {
        self.0.store(to as u8, Ordering::SeqCst);
    }

    /// A check named `name` answering as the switch is set.
    pub(crate) fn check(&self, name: &'static str) -> Check {
        let switch = self.clone();
        Check::new(name, move || {
            let outcome = switch.outcome(name);
            async move { outcome }
        })
    }

    /// What a check named `name` answers now.
    pub(crate) fn outcome(&self, name: &str) -> Outcome {
        match self.0.load(Ordering::SeqCst) {
            0 => Outcome::up(),
            1 => Outcome::degraded(format!("{name} is slow")),
            _ => Outcome::down(format!("{name} is down")),
        }
    }
}

/// The component names of a native JSON body.
pub(crate) fn component_names(body: &serde_json::Value) -> Vec<String> {
    body["components"]
        .as_object()
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default()
}

/// A registry of a critical `db` and a non-critical `search`, both UP, with
/// the switches that set them.
pub(crate) fn db_and_optional_search() -> (Switch, Switch, Registry) {
    let (db, search) = (Switch::new(Set::Up), Switch::new(Set::Up));
    let registry = build(
        builder()
            .check(db.check("db"))
            .check(search.check("search").with_critical(false)),
    );
    (db, search, registry)
}

/// `/ready?verbose` once it answers `status` (polled), within 3 s: for
/// statuses that follow background work (TTL checks, supervised tasks).
pub(crate) async fn ready_becomes(server: &Server, status: u16) -> Response {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let r = server.get("/ready?verbose").await;
        if r.status == status || Instant::now() > deadline {
            assert_eq!(r.status, status, "{}", r.text());
            return r;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
