//! [`ProbeListener`]: the contract on a port, a thread and a runtime of
//! its own, so that probes are answered before any of the application's
//! work.

use crate::service::{ProbeService, WithPeer};
use health_http::Endpoints;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use std::io;
use std::net::{SocketAddr, TcpListener as StdListener, ToSocketAddrs};
use std::thread::JoinHandle;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// The contract served on its own port, by its own OS thread running its
/// own small tokio runtime, with its own accept queue: probes never wait
/// behind the application's connections, workers or middleware. The
/// checks still run on the application's runtime (the one the registry
/// was built on), so that they measure it; the answers come by each
/// prober's deadline ([`EndpointsBuilder::probe_timeout`]) whatever that
/// runtime does; and an inline check such as `RuntimeWatch`'s
/// `runtime.alive` tells when it cannot run at all.
///
/// Serving stops when the returned [`Serving`] is dropped (or
/// [`stopped`](Serving::stop)):
/// keep it for the life of the process, beside the application's server.
/// HTTP/1.1 with keep-alive, as the kubelet and load balancers probe.
///
/// ```no_run
/// use health_tower::ProbeListener;
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = health_core::Registry::builder().build()?;
/// let endpoints = health_http::Endpoints::new(registry.clone())?;
/// // Probes on :8081 (the manifests point there); the application on :8080.
/// let probes = ProbeListener::bind("0.0.0.0:8081")?.serve(endpoints)?;
/// # let app = async {};
/// app.await; // serve the application until its shutdown
/// drop(probes);
/// # Ok(()) }
/// ```
///
/// [`EndpointsBuilder::probe_timeout`]: health_http::EndpointsBuilder::probe_timeout
#[derive(Debug)]
pub struct ProbeListener {
    listener: StdListener,
}

/// A running [`ProbeListener`]: stops when dropped.
#[derive(Debug)]
#[must_use = "the listener stops when this is dropped: keep it"]
pub struct Serving {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl ProbeListener {
    /// Binds `addr` now, so that a port in use is an error here and not on
    /// the listener's thread.
    pub fn bind(addr: impl ToSocketAddrs) -> io::Result<Self> {
        let listener = StdListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        Ok(Self { listener })
    }

    /// The address bound (with the port the system chose for `:0`).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves `endpoints` on a thread of its own (`health-probes`), with a
    /// current-thread tokio runtime of its own: HTTP/1.1.
    pub fn serve(self, endpoints: Endpoints) -> io::Result<Serving> {
        let service = ProbeService::new(endpoints);
        self.spawn(move |stream, peer| {
            let service = TowerToHyperService::new(WithPeer::new(service.clone(), peer));
            async move {
                let connection = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service);
                let _ = connection.await;
            }
        })
    }

    /// Serves `service`, a gRPC service such as `health::tonic`'s
    /// `HealthServer`, over HTTP/2 on a thread and runtime of its own (feature
    /// `http2`): the kubelet's `grpc:` probes answered before the
    /// application's own RPCs, as [`serve`](Self::serve) does over HTTP.
    ///
    /// ```no_run
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let registry = health_core::Registry::builder().build()?;
    /// let health = health_tonic::HealthServer::new(registry)?;
    /// let probes = health_tower::ProbeListener::bind("0.0.0.0:50052")?.serve_http2(health)?;
    /// # drop(probes);
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "http2")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http2")))]
    pub fn serve_http2<S, B>(self, service: S) -> io::Result<Serving>
    where
        S: tower_service::Service<
                http::Request<hyper::body::Incoming>,
                Response = http::Response<B>,
                Error = std::convert::Infallible,
            > + Clone
            + Send
            + 'static,
        S::Future: Send + 'static,
        B: http_body::Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.spawn(move |stream, _peer| {
            let service = TowerToHyperService::new(service.clone());
            async move {
                let connection =
                    hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                        .serve_connection(TokioIo::new(stream), service);
                let _ = connection.await;
            }
        })
    }

    /// Runs the accept loop on the listener's own thread and runtime,
    /// each connection served by `connection` on that runtime.
    fn spawn<C, F>(self, connection: C) -> io::Result<Serving>
    where
        C: Fn(tokio::net::TcpStream, SocketAddr) -> F + Send + 'static,
        F: std::future::Future<Output = ()> + 'static,
    {
        let addr = self.listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (stop, stopped) = watch::channel(false);
        let listener = self.listener;
        let thread = std::thread::Builder::new()
            .name("health-probes".into())
            .spawn(move || {
                let local = tokio::task::LocalSet::new();
                local.block_on(&runtime, async move {
                    match TcpListener::from_std(listener) {
                        Ok(listener) => accept(listener, connection, stopped).await,
                        Err(error) => {
                            tracing::error!(%error, "health: the probe listener cannot serve")
                        }
                    }
                });
            })?;
        Ok(Serving {
            addr,
            stop,
            thread: Some(thread),
        })
    }
}

impl Serving {
    /// The address served.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops serving, and waits for the listener's thread to end.
    pub fn stop(mut self) {
        self.end();
    }

    fn end(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.end();
    }
}

/// Accepts connections until told to stop; each one is served by
/// `connection` on this thread, and ends with it.
async fn accept<C, F>(listener: TcpListener, connection: C, mut stopped: watch::Receiver<bool>)
where
    C: Fn(tokio::net::TcpStream, SocketAddr) -> F,
    F: std::future::Future<Output = ()> + 'static,
{
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors, say: keep accepting after a pause.
                    tracing::warn!(%error, "health: the probe listener could not accept");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopped.changed() => return,
        };
        let _ = stream.set_nodelay(true);
        let served = connection(stream, peer);
        let mut connection_stopped = stopped.clone();
        tokio::task::spawn_local(async move {
            tokio::select! {
                () = served => {}
                _ = connection_stopped.changed() => {}
            }
        });
    }
}
