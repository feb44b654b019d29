use crate::dns::Lookup;
use health_core::{Check, Outcome};
use std::borrow::Cow;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

/// A TCP connect to `address` (`host:port`), resolved on every run so DNS
/// changes are followed. UP with the connect latency in milliseconds,
/// lookup included.
///
/// At most one DNS lookup per check is outstanding: a hung resolver keeps
/// one thread, never one per run. While the previous run's lookup has not
/// returned, a run is DOWN at once with "the DNS lookup of `host` from a
/// previous run has not returned yet"; a run that times out during its
/// lookup says "timed out after 300ms while resolving `host`". An IP
/// address needs no lookup.
///
/// ```
/// let check = health_checks::tcp("smtp", "127.0.0.1:25");
/// assert_eq!(check.name(), "smtp");
/// let by_name = health_checks::tcp("db", "db.internal:5432");
/// assert_eq!(by_name.name(), "db");
/// ```
#[track_caller]
pub fn tcp(name: impl Into<Cow<'static, str>>, address: impl Into<String>) -> Check {
    tcp_with(name, address.into(), Lookup::system())
}

/// [`tcp`] resolving through `lookup`.
#[track_caller]
pub(crate) fn tcp_with(
    name: impl Into<Cow<'static, str>>,
    address: String,
    lookup: Lookup,
) -> Check {
    let target = Arc::new(Target::parse(address));
    let lookup = Arc::new(lookup);
    Check::new(name, move || {
        let target = Arc::clone(&target);
        let lookup = Arc::clone(&lookup);
        async move { target.connect(&lookup).await }
    })
}

/// Where the check connects, parsed once.
#[derive(Debug)]
enum Target {
    Address(SocketAddr),
    Name { host: String, port: u16 },
    Invalid(String),
}

impl Target {
    fn parse(address: String) -> Self {
        if let Ok(address) = address.parse() {
            return Self::Address(address);
        }
        match address.rsplit_once(':') {
            Some((host, port)) if !host.is_empty() => match port.parse() {
                Ok(port) => Self::Name {
                    host: host.to_owned(),
                    port,
                },
                Err(_) => Self::Invalid(address),
            },
            _ => Self::Invalid(address),
        }
    }

    async fn connect(&self, lookup: &Lookup) -> Outcome {
        crate::timed::latency(async {
            let addresses = match self {
                Self::Address(address) => vec![*address],
                Self::Name { host, port } => lookup
                    .resolve(host, *port)
                    .await
                    .map_err(|e| e.to_string())?,
                Self::Invalid(address) => {
                    return Err(format!("invalid address {address:?}: expected host:port"));
                }
            };
            connect_any(&addresses).await.map_err(|e| e.to_string())
        })
        .await
    }
}

/// Connects to each address in turn, as `TcpStream::connect` does with
/// the addresses it resolved; the last error if none accepts.
async fn connect_any(addresses: &[SocketAddr]) -> io::Result<()> {
    let mut last = None;
    for address in addresses {
        health_core::check::waiting_for(format!("connecting to {address}"));
        match tokio::net::TcpStream::connect(address).await {
            Ok(_) => return Ok(()),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no address")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_parsed_once() {
        let parse = |a: &str| format!("{:?}", Target::parse(a.to_owned()));
        assert_eq!(parse("127.0.0.1:25"), "Address(127.0.0.1:25)");
        assert_eq!(parse("[::1]:25"), "Address([::1]:25)");
        assert_eq!(
            parse("db.internal:5432"),
            r#"Name { host: "db.internal", port: 5432 }"#
        );
        assert_eq!(parse("db.internal"), r#"Invalid("db.internal")"#);
        assert_eq!(parse(":80"), r#"Invalid(":80")"#);
        assert_eq!(parse("db:http"), r#"Invalid("db:http")"#);
    }

    /// Lookups the hanging resolver started.
    static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    /// A resolver that never returns (while the test runs).
    fn hanging(_: &str, _: u16) -> io::Result<Vec<SocketAddr>> {
        STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        loop {
            std::thread::park();
        }
    }

    #[tokio::test]
    async fn a_hung_resolver_holds_one_lookup_whatever_the_runs() {
        use health_core::{Probe, Registry, Status};
        let check = tcp_with(
            "db",
            "db.internal:5432".into(),
            Lookup::with_resolver(hanging),
        )
        .with_timeout(std::time::Duration::from_millis(50));
        let registry = Registry::builder().without_declared().check(check).build();
        let registry = registry.expect("one valid check");
        let mut messages = Vec::new();
        for _ in 0..10 {
            let report = registry.run(Probe::Readiness).await;
            let c = &report.components()[0];
            assert_eq!(c.status(), Status::Down);
            messages.push(c.message().map(str::to_owned));
        }
        assert_eq!(
            messages[0].as_deref(),
            Some("timed out after 50ms while resolving db.internal")
        );
        for m in &messages[1..] {
            assert_eq!(
                m.as_deref(),
                Some("the DNS lookup of db.internal from a previous run has not returned yet")
            );
        }
        assert_eq!(STARTED.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
