//! A kubelet-like prober: for each URL, one GET every `--every` (default
//! 100 ms) on a new connection, giving up after `--timeout` (default 1 s),
//! for `--for` (default 60 s). Prints one line per URL: probes, answered,
//! the latency's p50, p99 and max (of the answered), how many took more
//! than the timeout or failed, and the status codes seen; and, with
//! `--timeline`, each probe as `ms-since-start status latency-ms`.
//!
//! `prober [--every 100ms] [--timeout 1s] [--for 60s] [--timeline] URL...`
//! with URLs `http://127.0.0.1:PORT/PATH` only.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

struct Target {
    addr: SocketAddr,
    path: String,
    url: String,
}

fn parse_url(url: &str) -> Result<Target, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: http:// only"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let addr = host.parse().map_err(|e| format!("{url}: {e}"))?;
    Ok(Target {
        addr,
        path: format!("/{path}"),
        url: url.to_owned(),
    })
}

fn duration(text: &str) -> Result<Duration, String> {
    if let Some(ms) = text.strip_suffix("ms") {
        return ms
            .parse()
            .map(Duration::from_millis)
            .map_err(|e| format!("{text}: {e}"));
    }
    if let Some(s) = text.strip_suffix('s') {
        return s
            .parse()
            .map(Duration::from_secs)
            .map_err(|e| format!("{text}: {e}"));
    }
    Err(format!("{text}: a duration such as 100ms or 60s"))
}

/// One probe: the status code, or what went wrong, and how long it took.
fn probe(target: &Target, timeout: Duration) -> (Result<u16, String>, Duration) {
    let start = Instant::now();
    let left = || {
        timeout
            .saturating_sub(start.elapsed())
            .max(Duration::from_millis(1))
    };
    let result = (|| {
        let mut stream =
            TcpStream::connect_timeout(&target.addr, timeout).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(left()))
            .map_err(|e| e.to_string())?;
        stream
            .set_write_timeout(Some(left()))
            .map_err(|e| e.to_string())?;
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: kube-probe/1.37\r\nConnection: close\r\n\r\n",
            target.path, target.addr
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        let mut head = [0_u8; 12];
        stream.read_exact(&mut head).map_err(|e| e.to_string())?;
        let mut rest = Vec::new();
        loop {
            stream
                .set_read_timeout(Some(left()))
                .map_err(|e| e.to_string())?;
            let mut buf = [0_u8; 4096];
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => rest.extend_from_slice(&buf[..n]),
                Err(e) => return Err(e.to_string()),
            }
        }
        std::str::from_utf8(&head[9..12])
            .ok()
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| "not HTTP".to_owned())
    })();
    let took = start.elapsed();
    if result.is_ok() && took > timeout {
        return (Err("over the timeout".to_owned()), took);
    }
    (result, took)
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut every, mut timeout, mut run_for) = (
        Duration::from_millis(100),
        Duration::from_secs(1),
        Duration::from_secs(60),
    );
    let mut timeline = false;
    let mut targets = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--every" => every = duration(&args.next().ok_or("--every needs a value")?)?,
            "--timeout" => timeout = duration(&args.next().ok_or("--timeout needs a value")?)?,
            "--for" => run_for = duration(&args.next().ok_or("--for needs a value")?)?,
            "--timeline" => timeline = true,
            url => targets.push(parse_url(url)?),
        }
    }
    if targets.is_empty() {
        return Err(
            "usage: prober [--every 100ms] [--timeout 1s] [--for 60s] [--timeline] URL...".into(),
        );
    }
    let started = Instant::now();
    let workers: Vec<_> = targets
        .into_iter()
        .map(|target| {
            std::thread::spawn(move || {
                let mut probes = Vec::new();
                let mut next = started;
                while next < started + run_for {
                    if let Some(wait) = next.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    let at = started.elapsed();
                    let (result, took) = probe(&target, timeout);
                    probes.push((at, result, took));
                    // The kubelet's period is from the start of one probe to
                    // the next; a slow one delays the next.
                    next = (next + every).max(Instant::now());
                }
                (target.url, probes)
            })
        })
        .collect();
    for worker in workers {
        let (url, probes) = worker.join().map_err(|_| "a probe thread panicked")?;
        let mut answered: Vec<Duration> = Vec::new();
        let mut codes: BTreeMap<String, usize> = BTreeMap::new();
        let mut failed = 0;
        for (at, result, took) in &probes {
            let word = match result {
                Ok(code) => {
                    answered.push(*took);
                    code.to_string()
                }
                Err(why) => {
                    failed += 1;
                    if why == "over the timeout" {
                        "late".into()
                    } else {
                        "error".into()
                    }
                }
            };
            if timeline {
                println!(
                    "{url} {} {word} {:.1}",
                    at.as_millis(),
                    took.as_secs_f64() * 1e3
                );
            }
            *codes.entry(word).or_default() += 1;
        }
        answered.sort();
        let pct = |p: f64| {
            answered
                .get(((answered.len() as f64 * p).ceil() as usize).saturating_sub(1))
                .map_or(f64::NAN, |d| d.as_secs_f64() * 1e3)
        };
        println!(
            "{url} probes={} answered={} p50_ms={:.1} p99_ms={:.1} max_ms={:.1} failed_or_late={failed} codes={codes:?}",
            probes.len(),
            answered.len(),
            pct(0.50),
            pct(0.99),
            answered.last().map_or(f64::NAN, |d| d.as_secs_f64() * 1e3),
        );
    }
    Ok(())
}
