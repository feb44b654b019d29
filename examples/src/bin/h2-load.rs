//! An HTTP/2 load client that behaves like a real one across a drain: the
//! HTTP/2 client of `bench/drain.sh`. h2load, the usual tool, never opens a
//! new connection after GOAWAY and counts the streams a GOAWAY refused as
//! failed; gRPC, Go's and hyper's clients reconnect, and retry a request the
//! server never processed (RFC 9113 §8.7). This one does the same, and says
//! how often.
//!
//! `h2-load ADDR PATH [--connections C] [--streams M] [--duration SECS]`,
//! ADDR a loopback address (`127.0.0.1:PORT`; anything else is refused):
//! C connections (default 8) with M streams in flight each (default 4),
//! HTTP/2 with prior knowledge (h2c), for SECS seconds (default 6). When a
//! connection ends (GOAWAY, or closed), its streams go on over a new one.
//! A request that was never sent (its connection closing first) is sent
//! again and counted as `retried`, not failed.
//!
//! Prints one line: `h2-load requests=N ok=N non2xx=N failed=N retried=N
//! reconnects=N seconds=S`. `failed` is a request sent and not answered
//! (an error after it left); `non2xx` an answer other than 2xx. Exit status
//! 0 when nothing failed and every answer was 2xx.

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http2::SendRequest;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: h2-load ADDR PATH [--connections C] [--streams M] [--duration SECS]";

#[derive(Default)]
struct Counts {
    ok: AtomicU64,
    non2xx: AtomicU64,
    failed: AtomicU64,
    retried: AtomicU64,
    reconnects: AtomicU64,
}

struct Options {
    addr: SocketAddr,
    path: String,
    connections: u64,
    streams: u64,
    duration: Duration,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = args
        .next()
        .ok_or(USAGE)?
        .parse()
        .map_err(|e| format!("ADDR: {e}"))?;
    if !addr.ip().is_loopback() {
        return Err("ADDR must be a loopback address".into());
    }
    let path = args.next().ok_or(USAGE)?;
    let mut options = Options {
        addr,
        path,
        connections: 8,
        streams: 4,
        duration: Duration::from_secs(6),
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag}: a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|e| format!("{flag} {value}: {e}"))
        };
        match flag.as_str() {
            "--connections" => options.connections = number()?.max(1),
            "--streams" => options.streams = number()?.max(1),
            "--duration" => options.duration = Duration::from_secs(number()?),
            _ => return Err(format!("{flag}: unknown; {USAGE}")),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => Arc::new(options),
        Err(message) => {
            eprintln!("h2-load: {message}");
            return ExitCode::from(2);
        }
    };
    let counts = Arc::new(Counts::default());
    let started = Instant::now();
    let deadline = started + options.duration;
    let clients: Vec<_> = (0..options.connections)
        .map(|_| tokio::spawn(client(Arc::clone(&options), Arc::clone(&counts), deadline)))
        .collect();
    for client in clients {
        let _ = client.await;
    }
    let n = |c: &AtomicU64| c.load(Ordering::Relaxed);
    let (ok, non2xx, failed) = (n(&counts.ok), n(&counts.non2xx), n(&counts.failed));
    println!(
        "h2-load requests={} ok={ok} non2xx={non2xx} failed={failed} retried={} reconnects={} seconds={:.2}",
        ok + non2xx + failed,
        n(&counts.retried),
        n(&counts.reconnects),
        started.elapsed().as_secs_f64()
    );
    if failed == 0 && non2xx == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// One client: a connection at a time, `streams` requests in flight on it,
/// a new connection whenever it ends, until `deadline`.
async fn client(options: Arc<Options>, counts: Arc<Counts>, deadline: Instant) {
    let mut first = true;
    while Instant::now() < deadline {
        if !first {
            counts.reconnects.fetch_add(1, Ordering::Relaxed);
        }
        first = false;
        let Some(sender) = connect(options.addr).await else {
            // Refused (the balancer between two servers, say): again soon.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let streams: Vec<_> = (0..options.streams)
            .map(|_| {
                let (sender, options, counts) =
                    (sender.clone(), Arc::clone(&options), Arc::clone(&counts));
                tokio::spawn(stream(sender, options, counts, deadline))
            })
            .collect();
        for stream in streams {
            let _ = stream.await;
        }
    }
}

async fn connect(addr: SocketAddr) -> Option<SendRequest<Empty<Bytes>>> {
    let stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    let _ = stream.set_nodelay(true);
    let (sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .ok()?;
    tokio::spawn(connection);
    Some(sender)
}

/// Requests one after another on `sender` until its connection ends or
/// the deadline.
async fn stream(
    mut sender: SendRequest<Empty<Bytes>>,
    options: Arc<Options>,
    counts: Arc<Counts>,
    deadline: Instant,
) {
    let uri = format!("http://{}{}", options.addr, options.path);
    while Instant::now() < deadline {
        // Closed, or GOAWAY received: this connection takes no new stream.
        if sender.ready().await.is_err() {
            return;
        }
        let request = match http::Request::get(&uri).body(Empty::new()) {
            Ok(request) => request,
            Err(_) => return,
        };
        match sender.send_request(request).await {
            Ok(response) => {
                let status = response.status();
                let body = response.into_body().collect().await;
                let counter = match body {
                    Ok(_) if status.is_success() => &counts.ok,
                    Ok(_) => &counts.non2xx,
                    Err(_) => &counts.failed,
                };
                counter.fetch_add(1, Ordering::Relaxed);
            }
            // Never sent: the connection was closing. Again, on a new one.
            Err(error) if error.is_canceled() => {
                counts.retried.fetch_add(1, Ordering::Relaxed);
                return;
            }
            Err(error) => {
                eprintln!("h2-load: {error}");
                counts.failed.fetch_add(1, Ordering::Relaxed);
                return;
            }
        }
    }
}
