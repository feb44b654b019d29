//! What idle `Watch` streams cost the server: memory, allocations and
//! check runs, for one watcher and for many.
//!
//! `grpc-watchers [WATCHERS] [CONNECTIONS] [PERIOD_MS] [health|tonic-health]`
//! (defaults 1000, 1000, 1000, health): a `health::tonic::HealthServer`
//! over one plain check (no cache: every evaluation runs it, and counts),
//! and WATCHERS watchers of that check spread over CONNECTIONS HTTP/2
//! connections, all in this process on 127.0.0.1. With `tonic-health`,
//! the same watchers of `""` on tonic-health's server instead, for
//! comparison: what tonic and h2 cost per stream by themselves.
//!
//! The server runs on a runtime of its own whose threads are marked, and a
//! counting global allocator tallies only what those threads allocate and
//! free: the live bytes and allocation counts below are the server's alone,
//! not the clients'. The process RSS (server and clients) is shown too.

use health::tonic::HealthServer;
use health::tonic::proto::{self, HealthCheckRequest, HealthCheckResponse};
use health::{Check, Registry};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
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
    let counted = Arc::clone(&runs);
    let registry = Registry::builder()
        .without_declared()
        .check(Check::new("db", move || {
            counted.fetch_add(1, Ordering::SeqCst);
            async {}
        }))
        .build()?;
    let health = HealthServer::builder(registry)
        .watch_period(period)
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

/// Opens a `Watch` of `service` on `channel` and reads its first message.
async fn watch(
    channel: &Channel,
    service: &str,
) -> Result<tonic::Streaming<HealthCheckResponse>, Error> {
    let mut grpc = tonic::client::Grpc::new(channel.clone());
    grpc.ready().await?;
    let codec = tonic_prost::ProstCodec::<HealthCheckRequest, HealthCheckResponse>::default();
    let request = tonic::Request::new(HealthCheckRequest {
        service: service.into(),
    });
    let mut stream = grpc
        .server_streaming(
            request,
            http::uri::PathAndQuery::from_static(proto::WATCH),
            codec,
        )
        .await?
        .into_inner();
    tokio::time::timeout(Duration::from_secs(5), stream.message())
        .await
        .map_err(|_| "no first Watch message within 5 s")??
        .ok_or("the Watch ended")?;
    Ok(stream)
}
