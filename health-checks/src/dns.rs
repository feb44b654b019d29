//! Host name lookups that a hung resolver cannot pile up.
//!
//! `getaddrinfo` blocks its thread, and a thread cannot be stopped: a
//! lookup that outlives its check's timeout keeps its thread until the
//! resolver gives up, and a run that started another lookup each time
//! would take one more thread per probe. A [`Lookup`] belongs to one check
//! and runs at most one lookup at a time: while its previous lookup has not
//! returned, a new run is DOWN at once and names it.
//!
//! Lookups run on a thread of their own rather than on tokio's blocking
//! pool, so a stuck one never holds up the runtime's shutdown either.

use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex, PoisonError};

/// What resolves a host name: the system's resolver, or a test's.
pub(crate) type Resolve = fn(&str, u16) -> io::Result<Vec<SocketAddr>>;

/// The system's resolver (`getaddrinfo`), blocking.
fn system(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    (host, port).to_socket_addrs().map(Iterator::collect)
}

/// One check's lookups: at most one outstanding.
#[derive(Debug)]
pub(crate) struct Lookup {
    /// The host of the lookup still running, if one is.
    pending: Arc<Mutex<Option<Arc<str>>>>,
    resolve: Resolve,
}

/// Why a lookup gave no address.
#[derive(Debug)]
pub(crate) enum LookupError {
    /// The previous run's lookup of this host has not returned.
    Stuck(Arc<str>),
    /// The resolver failed.
    Failed(String, io::Error),
    /// The resolver answered with no address.
    Empty(String),
    /// No thread could be started for the lookup.
    NoThread(io::Error),
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Stuck(host) => write!(
                f,
                "the DNS lookup of {host} from a previous run has not returned yet"
            ),
            Self::Failed(host, e) => write!(f, "cannot resolve {host}: {e}"),
            Self::Empty(host) => write!(f, "{host} resolved to no address"),
            Self::NoThread(e) => write!(f, "cannot start a DNS lookup thread: {e}"),
        }
    }
}

/// Clears the pending lookup when the lookup's thread ends, or when the
/// thread never started.
struct Release(Arc<Mutex<Option<Arc<str>>>>);

impl Drop for Release {
    fn drop(&mut self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

impl Lookup {
    /// Lookups through the system's resolver.
    pub(crate) fn system() -> Self {
        Self::with_resolver(system)
    }

    /// Lookups through `resolve`.
    pub(crate) fn with_resolver(resolve: Resolve) -> Self {
        Self {
            pending: Arc::new(Mutex::new(None)),
            resolve,
        }
    }

    /// The addresses of `host` (a name, or an IP address, which needs no
    /// lookup) with `port`. Says what it waits for
    /// ([`waiting_for`](health_core::check::waiting_for)), so a timeout
    /// names the lookup.
    pub(crate) async fn resolve(
        &self,
        host: &str,
        port: u16,
    ) -> Result<Vec<SocketAddr>, LookupError> {
        if let Some(ip) = ip_literal(host) {
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
        let release = {
            let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(stuck) = &*pending {
                return Err(LookupError::Stuck(Arc::clone(stuck)));
            }
            *pending = Some(Arc::from(host));
            Release(Arc::clone(&self.pending))
        };
        let (send, receive) = tokio::sync::oneshot::channel();
        let resolve = self.resolve;
        let name = host.to_owned();
        // On failure the closure (and `release` in it) is dropped: the
        // guard is clear again.
        std::thread::Builder::new()
            .name("health-dns".into())
            .spawn(move || {
                let addresses = resolve(&name, port);
                // Cleared before the answer is sent: the next run, which may
                // start as soon as this one has its answer, finds no lookup
                // pending.
                drop(release);
                // The receiver is gone when the run timed out: nobody waits.
                let _ = send.send(addresses);
            })
            .map_err(LookupError::NoThread)?;
        health_core::check::waiting_for(format!("resolving {host}"));
        match receive.await {
            Ok(Ok(addresses)) if addresses.is_empty() => Err(LookupError::Empty(host.to_owned())),
            Ok(Ok(addresses)) => Ok(addresses),
            Ok(Err(e)) => Err(LookupError::Failed(host.to_owned(), e)),
            // The thread panicked before it sent anything.
            Err(_) => Err(LookupError::Failed(
                host.to_owned(),
                io::Error::other("the resolver panicked"),
            )),
        }
    }
}

/// `host` as an IP address, with or without the brackets of a URL's IPv6
/// host.
pub(crate) fn ip_literal(host: &str) -> Option<IpAddr> {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::time::Duration;

    /// Lookups the hanging resolver started.
    static STARTED: AtomicUsize = AtomicUsize::new(0);
    /// Set to let the hanging resolver return.
    static RELEASED: AtomicBool = AtomicBool::new(false);

    /// A resolver that hangs until [`RELEASED`] is set.
    fn hanging(_: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
        STARTED.fetch_add(1, Ordering::SeqCst);
        while !RELEASED.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))])
    }

    fn failing(_: &str, _: u16) -> io::Result<Vec<SocketAddr>> {
        Err(io::Error::other("no such host"))
    }

    fn nothing(_: &str, _: u16) -> io::Result<Vec<SocketAddr>> {
        Ok(Vec::new())
    }

    #[tokio::test]
    async fn a_stuck_lookup_makes_later_runs_fail_at_once_until_it_returns() {
        let lookup = Lookup::with_resolver(hanging);
        for run in 0..10 {
            let outcome = tokio::time::timeout(
                Duration::from_millis(20),
                lookup.resolve("db.internal", 5432),
            )
            .await;
            match (run, outcome) {
                // The first run waits for its lookup and times out ...
                (0, Err(_)) => {}
                // ... every later one fails at once, without waiting.
                (1.., Ok(Err(e))) => assert_eq!(
                    e.to_string(),
                    "the DNS lookup of db.internal from a previous run has not returned yet"
                ),
                (run, outcome) => panic!("run {run}: {outcome:?}"),
            }
        }
        // The first lookup's thread may start after its run timed out.
        for _ in 0..2000 {
            if STARTED.load(Ordering::SeqCst) > 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(STARTED.load(Ordering::SeqCst), 1, "one lookup for ten runs");
        RELEASED.store(true, Ordering::SeqCst);
        // Once it returned, a new run looks the name up again.
        let mut addresses = None;
        for _ in 0..200 {
            match lookup.resolve("db.internal", 5432).await {
                Ok(a) => {
                    addresses = Some(a);
                    break;
                }
                Err(LookupError::Stuck(_)) => tokio::time::sleep(Duration::from_millis(5)).await,
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(
            addresses,
            Some(vec![SocketAddr::from(([127, 0, 0, 1], 5432))])
        );
        assert_eq!(STARTED.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn ip_addresses_need_no_lookup_and_failures_are_named() {
        let lookup = Lookup::with_resolver(failing);
        let v4 = lookup
            .resolve("10.0.0.7", 80)
            .await
            .map_err(|e| e.to_string());
        assert_eq!(v4, Ok(vec![SocketAddr::from(([10, 0, 0, 7], 80))]));
        let v6 = lookup.resolve("[::1]", 80).await.map_err(|e| e.to_string());
        assert_eq!(v6, Ok(vec!["[::1]:80".parse().unwrap()]));
        let name = lookup
            .resolve("db.internal", 80)
            .await
            .map_err(|e| e.to_string());
        assert_eq!(name, Err("cannot resolve db.internal: no such host".into()));
        // A lookup that returned leaves the guard clear, even for a run
        // right after it.
        for _ in 0..100 {
            let again = lookup
                .resolve("db.internal", 80)
                .await
                .map_err(|e| e.to_string());
            assert_eq!(again, name);
        }
        let empty = Lookup::with_resolver(nothing)
            .resolve("db.internal", 80)
            .await;
        assert_eq!(
            empty.map_err(|e| e.to_string()),
            Err("db.internal resolved to no address".into())
        );
    }
}
