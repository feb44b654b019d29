//! What idle `Watch` streams cost the server: memory, allocations and
//! check runs, for one watcher and for many, up to the server's caps.
//!
//! `grpc-watchers [WATCHERS] [CONNECTIONS] [PERIOD_MS] [health|tonic-health]`
//! (defaults 1000, 1000, 1000, health): a `health::tonic::HealthServer`
//! over one plain check (no cache: every evaluation runs it, and counts),
//! served as a component, and WATCHERS watchers of that check spread over
//! CONNECTIONS HTTP/2 connections, all in this process on 127.0.0.1. With
//! `tonic-health`, the same watchers of `""` on tonic-health's server
//! instead, for comparison: what tonic and h2 cost per stream by
//! themselves.
//!
//! The server's caps are set so that WATCHERS is exactly where they bind:
//! `max_watches(WATCHERS)` and `max_watches_per_connection` the watchers
//! of the fullest connection (with the defaults, 1000 in total is the
//! default cap). With every watcher open, one more `Watch` (on a new
//! connection, and on a full one) must get `RESOURCE_EXHAUSTED` while a
//! `Check` and the open watches are still served: the memory shown "with
//! WATCHERS watchers" is the memory at the cap.
//!
//! The server runs on a runtime of its own whose threads are marked, and a
//! counting global allocator tallies only what those threads allocate and
//! free: the live bytes and allocation counts below are the server's alone,
//! not the clients'. The process RSS (server and clients) is shown too.

use health::tonic::HealthServer;
use health::tonic::proto::{self, HealthCheckRequest, HealthCheckResponse, ServingStatus};
use health::{Check, Registry};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, Endpoint, Server};

type Error = Box<dyn std::error::Error + Send + Sync>;

// ---------------------------------------------------------------------------
// The server's allocations
// ---------------------------------------------------------------------------

thread_local! {
    /// Set on the server runtime's threads.
    static SERVER_THREAD: Cell<bool> = const { Cell::new(false) };
}

static LIVE_BYTES: AtomicI64 = AtomicI64::new(0);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

fn on_server_thread() -> bool {
    SERVER_THREAD.try_with(Cell::get).unwrap_or(false)
}

/// The system allocator, counting what server threads allocate and free.
struct Counting;

// SAFETY: every call is forwarded unchanged to `System`; the counters are
// plain atomics and never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, passed on as is.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() && on_server_thread() {
            LIVE_BYTES.fetch_add(layout.size() as i64, Ordering::Relaxed);
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if on_server_thread() {
            LIVE_BYTES.fetch_sub(layout.size() as i64, Ordering::Relaxed);
        }
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() && on_server_thread() {
            LIVE_BYTES.fetch_add(new_size as i64 - layout.size() as i64, Ordering::Relaxed);
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Resident set size of the whole process, in KiB.
fn rss_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4
}

struct Sample {
    live: i64,
    allocations: u64,
    rss_kib: u64,
    runs: usize,
}

fn sample(runs: &AtomicUsize) -> Sample {
    Sample {
        live: LIVE_BYTES.load(Ordering::Relaxed),
        allocations: ALLOCATIONS.load(Ordering::Relaxed),
        rss_kib: rss_kib(),
        runs: runs.load(Ordering::SeqCst),
    }
}

// ---------------------------------------------------------------------------
// The measurement
// ---------------------------------------------------------------------------

fn arg(n: usize, default: u64) -> Result<u64, Error> {
    Ok(match std::env::args().nth(n) {
        Some(v) => v.parse()?,
        None => default,
    })
}

fn main() -> Result<(), Error> {
    let watchers = arg(1, 1000)? as usize;
    let connections = (arg(2, 1000)? as usize).clamp(1, watchers.max(1));
    let period = Duration::from_millis(arg(3, 1000)?);

    let runs = Arc::new(AtomicUsize::new(0));
    let up = Arc::new(AtomicBool::new(true));
    let (counted, flag) = (Arc::clone(&runs), Arc::clone(&up));
    let registry = Registry::builder()
        .without_declared()
        .check(Check::new("db", move || {
            counted.fetch_add(1, Ordering::SeqCst);
            let serving = flag.load(Ordering::SeqCst);
            async move { serving }
        }))
        .build()?;
    let per_connection = watchers.div_ceil(connections).max(1);
    let health = HealthServer::builder(registry)
        .components(true)
        .watch_period(period)
        .max_watches(watchers.max(1))
        .max_watches_per_connection(per_connection)
        .build()?;
    let reference = match std::env::args().nth(4).as_deref() {
        None | Some("health") => false,
        Some("tonic-health") => true,
        Some(_) => return Err("the server is `health` or `tonic-health`".into()),
    };
    let service = if reference { "" } else { "db" };

    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .on_thread_start(|| SERVER_THREAD.with(|s| s.set(true)))
        .enable_all()
        .build()?;
    let listener = server_runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    let served = health.clone();
    server_runtime.spawn(async move {
        let incoming = TcpIncoming::from(listener);
        if reference {
            let (_reporter, tonic_health) = tonic_health::server::health_reporter();
            Server::builder()
                .add_service(tonic_health)
                .serve_with_incoming(incoming)
                .await
        } else {
            Server::builder()
                .add_service(served)
                .serve_with_incoming(incoming)
                .await
        }
    });

    let clients = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    clients.block_on(async move {
        let settle = || tokio::time::sleep(Duration::from_millis(500));
        settle().await;
        let idle = sample(&runs);

        let mut channels = Vec::with_capacity(connections);
        for _ in 0..connections {
            channels.push(
                Endpoint::from_shared(format!("http://{addr}"))?
                    .connect_timeout(Duration::from_secs(5))
                    .connect()
                    .await?,
            );
        }
        settle().await;
        let connected = sample(&runs);

        let mut streams = Vec::with_capacity(watchers);
        streams.push(watch(&channels[0], service).await?);
        settle().await;
        let one = sample(&runs);
        let window = Duration::from_secs(5);
        tokio::time::sleep(window).await;
        let one_runs = runs.load(Ordering::SeqCst) - one.runs;

        for i in 1..watchers {
            streams.push(watch(&channels[i % connections], service).await?);
        }
        settle().await;
        let many = sample(&runs);
        tokio::time::sleep(window).await;
        let many_runs = runs.load(Ordering::SeqCst) - many.runs;
        let loops = health.watched_services();
        let at_cap = if reference {
            None
        } else {
            Some(past_the_cap(addr, &channels[0], &up, &mut streams[0]).await?)
        };

        drop(streams);
        gone(&health).await;
        settle().await;
        let after = sample(&runs);
        // Three more rounds: what the first left behind is capacity kept
        // by the connections (h2's stream slabs, buffers), not a leak, if
        // it levels off.
        let mut rounds = Vec::new();
        for _ in 0..3 {
            let mut streams = Vec::with_capacity(watchers);
            for i in 0..watchers {
                streams.push(watch(&channels[i % connections], service).await?);
            }
            drop(streams);
            gone(&health).await;
            settle().await;
            rounds.push(sample(&runs).live);
        }

        let extra = (watchers - 1).max(1) as f64;
        let server = if reference { "tonic-health's server, watching \"\"" } else { "health::tonic, watching one plain check" };
        println!("grpc-watchers: {watchers} watchers over {connections} connections; {server}; watch period {period:?}");
        println!("server live heap (bytes), counted on the server's threads only:");
        println!("  idle server                   {:>12}", idle.live);
        println!(
            "  + {connections} connections        {:>12}  ({:.0} B per connection)",
            connected.live,
            (connected.live - idle.live) as f64 / connections as f64
        );
        println!("  + 1 watcher (starts the loop)  {:>12}  (+{} B)", one.live, one.live - connected.live);
        println!(
            "  + {} more watchers           {:>12}  ({:.0} B and {:.1} allocations per watcher)",
            watchers - 1,
            many.live,
            (many.live - one.live) as f64 / extra,
            (many.allocations - one.allocations) as f64 / extra
        );
        println!("  all watchers gone             {:>12}  (loops left: {})", after.live, health.watched_services());
        println!("  after 3 more rounds           {rounds:?}  (loops left: {})", health.watched_services());
        println!(
            "process RSS (server and clients): {} KiB idle, {} KiB connected, {} KiB with {watchers} watchers ({:.1} KiB per watcher incl. its connection share, both sides)",
            idle.rss_kib,
            connected.rss_kib,
            many.rss_kib,
            (many.rss_kib as f64 - idle.rss_kib as f64) / watchers as f64
        );
        println!(
            "check runs in {window:?}: {one_runs} with 1 watcher, {many_runs} with {watchers} watchers ({loops} evaluation loop)"
        );
        if let Some(at_cap) = at_cap {
            println!(
                "at the cap (max_watches {watchers}, max_watches_per_connection {per_connection}): {}",
                at_cap
            );
        }
        Ok::<(), Error>(())
    })?;
    Ok(())
}

/// Waits (at most 5 s) until no evaluation loop runs.
async fn gone(health: &HealthServer) {
    for _ in 0..500 {
        if health.watched_services() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// With every watcher open: one more `Watch`, on a new connection and on
/// a full one, must be refused with `RESOURCE_EXHAUSTED`, while a `Check`
/// on the full connection is answered and an open watch (`first`) still
/// receives the check's change (`up` turned off, then on again). What it
/// saw, in words.
async fn past_the_cap(
    addr: std::net::SocketAddr,
    full: &Channel,
    up: &AtomicBool,
    first: &mut tonic::Streaming<HealthCheckResponse>,
) -> Result<String, Error> {
    let fresh = Endpoint::from_shared(format!("http://{addr}"))?
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await?;
    let mut refusals = Vec::new();
    for channel in [&fresh, full] {
        match try_watch(channel, "db").await? {
            Ok(_) => return Err("a Watch past the cap was accepted".into()),
            Err(status) if status.code() == tonic::Code::ResourceExhausted => {
                refusals.push(status.message().to_owned());
            }
            Err(status) => return Err(format!("past the cap: {status:?}").into()),
        }
    }
    let mut grpc = tonic::client::Grpc::new(full.clone());
    grpc.ready().await?;
    let codec = tonic_prost::ProstCodec::<HealthCheckRequest, HealthCheckResponse>::default();
    let checked = grpc
        .unary(
            tonic::Request::new(HealthCheckRequest::new("db")),
            http::uri::PathAndQuery::from_static(proto::CHECK),
            codec,
        )
        .await?
        .into_inner()
        .status();
    let mut pushed = Vec::new();
    for now_up in [false, true] {
        up.store(now_up, Ordering::SeqCst);
        let message = tokio::time::timeout(Duration::from_secs(30), first.message())
            .await
            .map_err(|_| "an open watch got no change within 30 s")??
            .ok_or("an open watch ended")?;
        pushed.push(message.status().as_str());
    }
    Ok(format!(
        "one more Watch refused: {refusals:?}; Check on a full connection: {}; an open watch then got {pushed:?}",
        checked.as_str()
    ))
}

/// Opens a `Watch` of `service` on `channel`: the stream after its first
/// message, or the status the server refused it with.
async fn try_watch(
    channel: &Channel,
    service: &str,
) -> Result<Result<tonic::Streaming<HealthCheckResponse>, tonic::Status>, Error> {
    let mut grpc = tonic::client::Grpc::new(channel.clone());
    grpc.ready().await?;
    let codec = tonic_prost::ProstCodec::<HealthCheckRequest, HealthCheckResponse>::default();
    let request = tonic::Request::new(HealthCheckRequest::new(service));
    let call = grpc
        .server_streaming(
            request,
            http::uri::PathAndQuery::from_static(proto::WATCH),
            codec,
        )
        .await;
    let mut stream = match call {
        Ok(response) => response.into_inner(),
        Err(status) => return Ok(Err(status)),
    };
    let first = tokio::time::timeout(Duration::from_secs(5), stream.message())
        .await
        .map_err(|_| "no first Watch message within 5 s")??
        .ok_or("the Watch ended")?;
    if first.status() == ServingStatus::Unknown {
        return Err("the first Watch message is UNKNOWN".into());
    }
    Ok(Ok(stream))
}

/// Opens a `Watch` of `service` on `channel` and reads its first message.
async fn watch(
    channel: &Channel,
    service: &str,
) -> Result<tonic::Streaming<HealthCheckResponse>, Error> {
    try_watch(channel, service)
        .await?
        .map_err(|status| format!("Watch {service:?} refused: {status:?}").into())
}
