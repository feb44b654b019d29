//! The caps on open `Watch` streams: in total, per connection, and of
//! unknown names.
//!
//! Each open stream holds a [`Permit`]; dropping the stream (the client
//! cancelled, its connection closed, the watches ended) gives it back. A
//! `Watch` past a cap is refused with `RESOURCE_EXHAUSTED` before anything
//! is evaluated, and every other caller is served as before.
//!
//! A connection is told apart by the addresses tonic's transport records
//! with each request (TCP, with or without TLS). A request without them (a
//! Unix socket, a custom transport) counts toward the total and the
//! unknown-name cap only.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

/// How many watches may be open at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Caps {
    /// In total, on the whole server.
    pub(crate) total: usize,
    /// On one connection.
    pub(crate) per_connection: usize,
    /// Of names the server does not know, in total (they count toward the
    /// two others as well).
    pub(crate) unknown: usize,
}

/// One client connection: its two ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Connection {
    pub(crate) local: Option<SocketAddr>,
    pub(crate) remote: SocketAddr,
}

/// The open watches of one server, against its caps.
#[derive(Debug)]
pub(crate) struct Gate {
    caps: Caps,
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    unknown: usize,
    by_connection: HashMap<Connection, usize>,
}

/// Why a `Watch` was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Total,
    Connection,
    Unknown,
}

impl Refusal {
    /// The `RESOURCE_EXHAUSTED` status a refused client gets. It names the
    /// cap, never a count.
    pub(crate) fn status(self) -> tonic::Status {
        tonic::Status::resource_exhausted(match self {
            Refusal::Total => "too many open watches on this server",
            Refusal::Connection => "too many open watches on this connection",
            Refusal::Unknown => "too many open watches of unknown services",
        })
    }
}

/// One open watch, counted until dropped.
#[derive(Debug)]
pub(crate) struct Permit {
    gate: Arc<Gate>,
    connection: Option<Connection>,
    unknown: bool,
}

impl Gate {
    pub(crate) fn new(caps: Caps) -> Self {
        Self {
            caps,
            open: Mutex::default(),
        }
    }

    pub(crate) fn caps(&self) -> Caps {
        self.caps
    }

    /// How many watches are open now.
    pub(crate) fn open(&self) -> usize {
        self.lock().total
    }

    fn lock(&self) -> MutexGuard<'_, Open> {
        // Nothing panics while holding this lock; recover regardless.
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts one more watch on `connection` (of an unknown name if
    /// `unknown`), or says which cap it would pass.
    pub(crate) fn admit(
        self: &Arc<Self>,
        connection: Option<Connection>,
        unknown: bool,
    ) -> Result<Permit, Refusal> {
        let mut open = self.lock();
        if open.total >= self.caps.total {
            return Err(Refusal::Total);
        }
        if unknown && open.unknown >= self.caps.unknown {
            return Err(Refusal::Unknown);
        }
        if let Some(connection) = connection {
            let on_it = open.by_connection.get(&connection).copied();
            if on_it.unwrap_or(0) >= self.caps.per_connection {
                return Err(Refusal::Connection);
            }
            *open.by_connection.entry(connection).or_default() += 1;
        }
        open.total += 1;
        open.unknown += usize::from(unknown);
        Ok(Permit {
            gate: Arc::clone(self),
            connection,
            unknown,
        })
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut open = self.gate.lock();
        open.total -= 1;
        open.unknown -= usize::from(self.unknown);
        if let Some(connection) = &self.connection
            && let Some(on_it) = open.by_connection.get_mut(connection)
        {
            *on_it -= 1;
            if *on_it == 0 {
                open.by_connection.remove(connection);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connection(port: u16) -> Option<Connection> {
        Some(Connection {
            local: None,
            remote: SocketAddr::from(([127, 0, 0, 1], port)),
        })
    }

    #[test]
    fn each_cap_and_permits_given_back() {
        let gate = Arc::new(Gate::new(Caps {
            total: 4,
            per_connection: 2,
            unknown: 1,
        }));
        let a1 = gate.admit(connection(1), false).unwrap();
        let _a2 = gate.admit(connection(1), false).unwrap();
        assert_eq!(
            gate.admit(connection(1), false).unwrap_err(),
            Refusal::Connection
        );
        let _b = gate.admit(connection(2), true).unwrap();
        assert_eq!(
            gate.admit(connection(3), true).unwrap_err(),
            Refusal::Unknown
        );
        // Without an address: the total only.
        let _c = gate.admit(None, false).unwrap();
        assert_eq!(gate.admit(None, false).unwrap_err(), Refusal::Total);
        assert_eq!(gate.open(), 4);
        drop(a1);
        assert_eq!(gate.open(), 3);
        let _a3 = gate.admit(connection(1), false).unwrap();
        assert_eq!(
            gate.admit(connection(4), false).unwrap_err(),
            Refusal::Total
        );
    }

    #[test]
    fn refusals_name_the_cap_not_a_count() {
        for refusal in [Refusal::Total, Refusal::Connection, Refusal::Unknown] {
            let status = refusal.status();
            assert_eq!(status.code(), tonic::Code::ResourceExhausted);
            assert!(status.message().starts_with("too many open watches"));
            assert!(!status.message().chars().any(|c| c.is_ascii_digit()));
        }
    }
}
