//! The load generator of `bench/grpc/run.sh`: `grpc.health.v1.Health/Check`
//! through tonic's client over ONE HTTP/2 connection, with N calls in
//! flight at all times.
//!
//! `grpc-load ADDR [--concurrency N] [--duration SECS] [--warmup SECS] [--service NAME]`
//! (defaults: 32 in flight, 5 s measured after 1 s of warm-up, service
//! `""`). Prints one line: `requests=R seconds=S rps=X errors=E`. ADDR
//! must be on loopback. Runs on tokio's current-thread runtime (one core).

use health::tonic::proto::{self, HealthCheckRequest, HealthCheckResponse, ServingStatus};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tonic::transport::{Channel, Endpoint};

type Error = Box<dyn std::error::Error + Send + Sync>;

const USAGE: &str =
    "usage: grpc-load ADDR [--concurrency N] [--duration SECS] [--warmup SECS] [--service NAME]";

struct Args {
    addr: SocketAddr,
    concurrency: usize,
    duration: Duration,
    warmup: Duration,
    service: String,
}

fn parse() -> Result<Args, Error> {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = args.next().ok_or(USAGE)?.parse()?;
    if !addr.ip().is_loopback() {
        return Err("grpc-load talks to loopback addresses only".into());
    }
    let mut parsed = Args {
        addr,
        concurrency: 32,
        duration: Duration::from_secs(5),
        warmup: Duration::from_secs(1),
        service: String::new(),
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(USAGE)?;
        match flag.as_str() {
            "--concurrency" => parsed.concurrency = value.parse()?,
            "--duration" => parsed.duration = Duration::from_secs_f64(value.parse()?),
            "--warmup" => parsed.warmup = Duration::from_secs_f64(value.parse()?),
            "--service" => parsed.service = value,
            _ => return Err(USAGE.into()),
        }
    }
    if parsed.concurrency == 0
        || parsed.duration.is_zero()
        || parsed.duration > Duration::from_secs(60)
    {
        return Err("--concurrency must be at least 1, --duration 60 s at most".into());
    }
    Ok(parsed)
}

fn main() -> Result<(), Error> {
    let args = parse()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(args))
}

#[derive(Default)]
struct Counters {
    ok: AtomicU64,
    errors: AtomicU64,
    stop: AtomicBool,
}

async fn run(args: Args) -> Result<(), Error> {
    // One Channel to one endpoint: one HTTP/2 connection, every call a
    // stream on it.
    let channel = Endpoint::from_shared(format!("http://{}", args.addr))?
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await?;
    let counters = Arc::new(Counters::default());
    let tasks: Vec<_> = (0..args.concurrency)
        .map(|_| {
            tokio::spawn(caller(
                channel.clone(),
                args.service.clone(),
                Arc::clone(&counters),
            ))
        })
        .collect();
    tokio::time::sleep(args.warmup).await;
    let (ok0, err0) = (
        counters.ok.load(Ordering::Relaxed),
        counters.errors.load(Ordering::Relaxed),
    );
    let started = Instant::now();
    tokio::time::sleep(args.duration).await;
    let seconds = started.elapsed().as_secs_f64();
    let requests = counters.ok.load(Ordering::Relaxed) - ok0;
    let errors = counters.errors.load(Ordering::Relaxed) - err0;
    counters.stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
    }
    println!(
        "requests={requests} seconds={seconds:.3} rps={:.0} errors={errors}",
        requests as f64 / seconds
    );
    Ok(())
}

/// Calls `Check` back to back until told to stop.
async fn caller(channel: Channel, service: String, counters: Arc<Counters>) {
    let mut grpc = tonic::client::Grpc::new(channel);
    let path = http::uri::PathAndQuery::from_static(proto::CHECK);
    while !counters.stop.load(Ordering::Relaxed) {
        if grpc.ready().await.is_err() {
            counters.errors.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        }
        let request = tonic::Request::new(HealthCheckRequest {
            service: service.clone(),
        });
        let codec = tonic_prost::ProstCodec::<HealthCheckRequest, HealthCheckResponse>::default();
        match grpc.unary(request, path.clone(), codec).await {
            Ok(response) if response.get_ref().status() == ServingStatus::Serving => {
                counters.ok.fetch_add(1, Ordering::Relaxed);
            }
            _ => {
                counters.errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}
