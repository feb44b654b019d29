//! The load client of `bench/callgrind.sh` and `bench/soak.sh`: exactly N
//! HTTP/1.1 requests on keep-alive connections, one after another on each,
//! every answer checked, so that a broken server cannot produce a fast
//! wrong number.
//!
//! `bench-client ADDR PATH N [OPTIONS]`, ADDR a loopback address
//! (`127.0.0.1:PORT`; anything else is refused). Options:
//!
//! - `--header 'Name: value'`: sent with every request (repeatable).
//! - `--status CODE`: the status every answer must have (default 200).
//! - `--body TEXT`: the exact body every answer must have.
//! - `--contains TEXT`: a text every body must contain (repeatable).
//! - `--content-type TYPE`: the exact `content-type` every answer must have.
//! - `--connections C`: N is split over C connections, each on its own
//!   thread (default 1: one connection, strictly sequential).
//! - `--connect-timeout SECS`: how long to retry connecting while the
//!   server starts (default 60: a server under valgrind starts slowly).
//! - `--timeout SECS`: how long one answer may take (default 60).
//!
//! Each connection is opened once (retried until the server listens) and
//! kept for all its requests: an answer that closes the connection
//! (`connection: close`, or EOF) is an error, as is a body not delimited by
//! `content-length`. Prints one line to stdout:
//! `requests=N connections=C seconds=S rps=R`. Exit status 0 only when
//! every answer matched; otherwise the first mismatch is printed to stderr
//! (request number, status line, headers, body) and the status is 1.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: bench-client ADDR PATH N [--header 'Name: value']... [--status CODE] \
     [--body TEXT] [--contains TEXT]... [--content-type TYPE] [--connections C] \
     [--connect-timeout SECS] [--timeout SECS]";

/// The most a head (status line and headers) may take.
const MAX_HEAD: usize = 64 * 1024;
/// The most a body may take.
const MAX_BODY: usize = 16 * 1024 * 1024;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// What every answer must be.
#[derive(Debug, Clone)]
struct Expect {
    status: u16,
    body: Option<String>,
    contains: Vec<String>,
    content_type: Option<String>,
}

#[derive(Debug, Clone)]
struct Options {
    addr: SocketAddr,
    path: String,
    requests: u64,
    headers: Vec<String>,
    expect: Expect,
    connections: u64,
    connect_timeout: Duration,
    timeout: Duration,
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("bench-client: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(elapsed) => {
            let seconds = elapsed.as_secs_f64();
            #[allow(clippy::cast_precision_loss)]
            let rps = options.requests as f64 / seconds.max(1e-9);
            println!(
                "requests={} connections={} seconds={seconds:.3} rps={rps:.0}",
                options.requests, options.connections
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench-client: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, Error> {
    let addr: SocketAddr = args.next().ok_or("missing ADDR")?.parse()?;
    if !addr.ip().is_loopback() {
        return Err(format!("{addr}: only loopback addresses (127.0.0.1) are allowed").into());
    }
    let path = args.next().ok_or("missing PATH")?;
    if !path.starts_with('/') || path.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(format!("{path:?}: PATH must start with / and hold no spaces").into());
    }
    let requests: u64 = args.next().ok_or("missing N")?.parse()?;
    let mut options = Options {
        addr,
        path,
        requests,
        headers: Vec::new(),
        expect: Expect {
            status: 200,
            body: None,
            contains: Vec::new(),
            content_type: None,
        },
        connections: 1,
        connect_timeout: Duration::from_secs(60),
        timeout: Duration::from_secs(60),
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--header" => {
                let header = value()?;
                if !header.contains(':') || header.contains(['\r', '\n']) {
                    return Err(format!("{header:?}: a header is 'Name: value'").into());
                }
                options.headers.push(header);
            }
            "--status" => options.expect.status = value()?.parse()?,
            "--body" => options.expect.body = Some(value()?),
            "--contains" => options.expect.contains.push(value()?),
            "--content-type" => options.expect.content_type = Some(value()?),
            "--connections" => options.connections = value()?.parse()?,
            "--connect-timeout" => {
                options.connect_timeout = Duration::from_secs(value()?.parse()?);
            }
            "--timeout" => options.timeout = Duration::from_secs(value()?.parse()?),
            _ => return Err(format!("unknown option {flag}").into()),
        }
    }
    if options.connections == 0 || options.connections > 64 {
        return Err("--connections must be 1 to 64".into());
    }
    if options.timeout.is_zero() {
        return Err("--timeout must be at least 1 s".into());
    }
    Ok(options)
}

/// Sends the requests; the time from the first connection's first request
/// to the last answer.
fn run(options: &Options) -> Result<Duration, Error> {
    let mut request = format!(
        "GET {} HTTP/1.1\r\nhost: {}\r\n",
        options.path, options.addr
    );
    for header in &options.headers {
        request.push_str(header);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    let request = request.into_bytes();

    // Connect every connection first, so that the time counts requests only.
    let mut streams = Vec::new();
    for _ in 0..options.connections {
        streams.push(connect(options)?);
    }
    let per = options.requests / options.connections;
    let extra = options.requests % options.connections;
    let started = Instant::now();
    std::thread::scope(|scope| {
        let workers: Vec<_> = streams
            .into_iter()
            .zip(0..)
            .map(|(stream, i)| {
                let count = per + u64::from(i < extra);
                let request = &request;
                scope.spawn(move || drive(stream, request, count, &options.expect))
            })
            .collect();
        let mut result = Ok(());
        for worker in workers {
            let outcome = worker
                .join()
                .unwrap_or_else(|_| Err("a client thread panicked".into()));
            if result.is_ok() {
                result = outcome;
            }
        }
        result
    })?;
    Ok(started.elapsed())
}

/// Connects, retrying while nothing listens yet, for at most
/// `connect_timeout`.
fn connect(options: &Options) -> Result<TcpStream, Error> {
    let deadline = Instant::now() + options.connect_timeout;
    loop {
        match TcpStream::connect_timeout(&options.addr, Duration::from_secs(1)) {
            Ok(stream) => {
                stream.set_nodelay(true)?;
                stream.set_read_timeout(Some(options.timeout))?;
                stream.set_write_timeout(Some(options.timeout))?;
                return Ok(stream);
            }
            Err(e) if Instant::now() >= deadline => {
                return Err(format!(
                    "{}: not listening after {:?}: {e}",
                    options.addr, options.connect_timeout
                )
                .into());
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// `count` requests on one connection, one after another.
fn drive(mut stream: TcpStream, request: &[u8], count: u64, expect: &Expect) -> Result<(), Error> {
    let mut buffer: Vec<u8> = Vec::with_capacity(8192);
    for n in 1..=count {
        stream.write_all(request)?;
        let answer =
            read_received(&mut stream, &mut buffer).map_err(|e| format!("request {n}: {e}"))?;
        if let Err(problem) = answer.check(expect) {
            return Err(format!(
                "request {n}: {problem}\n--- answer ---\n{}\n\n{}",
                answer.head,
                String::from_utf8_lossy(&answer.body)
            )
            .into());
        }
    }
    Ok(())
}

/// One parsed answer.
#[derive(Debug)]
struct Received {
    head: String,
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl Received {
    fn check(&self, expect: &Expect) -> Result<(), String> {
        if self.status != expect.status {
            return Err(format!(
                "status {}, expected {}",
                self.status, expect.status
            ));
        }
        if let Some(want) = &expect.content_type
            && self.content_type.as_deref() != Some(want.as_str())
        {
            return Err(format!(
                "content-type {:?}, expected {want:?}",
                self.content_type
            ));
        }
        if let Some(want) = &expect.body
            && self.body != want.as_bytes()
        {
            return Err(format!("body differs from the expected {want:?}"));
        }
        for want in &expect.contains {
            if !contains(&self.body, want.as_bytes()) {
                return Err(format!("body lacks {want:?}"));
            }
        }
        Ok(())
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads one answer; bytes past it stay in `buffer` for the next.
fn read_received(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Received, Error> {
    let head_end = loop {
        if let Some(i) = find(buffer, b"\r\n\r\n") {
            break i;
        }
        if buffer.len() > MAX_HEAD {
            return Err("head longer than 64 KiB".into());
        }
        fill(stream, buffer)?;
    };
    let head = std::str::from_utf8(&buffer[..head_end])
        .map_err(|_| "head is not UTF-8")?
        .to_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if version != "HTTP/1.1" {
        return Err(format!("status line {status_line:?}: not HTTP/1.1").into());
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("status line {status_line:?}"))?;
    let mut length = None;
    let mut content_type = None;
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("header line {line:?}"))?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.parse::<usize>()?);
        } else if name.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.to_owned());
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(format!("transfer-encoding {value:?}: expected content-length").into());
        } else if name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close") {
            return Err("the server closes the connection (connection: close)".into());
        }
    }
    let length = length.ok_or("no content-length")?;
    if length > MAX_BODY {
        return Err(format!("content-length {length}: too long").into());
    }
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        fill(stream, buffer)?;
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Ok(Received {
        head,
        status,
        content_type,
        body,
    })
}

fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<(), Error> {
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk)?;
    if n == 0 {
        return Err("the server closed the connection".into());
    }
    buffer.extend_from_slice(&chunk[..n]);
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
