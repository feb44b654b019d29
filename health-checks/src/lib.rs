//! Built-in checks: the dependencies services check first.
//!
//! Each constructor returns an ordinary [`Check`](health_core::Check), added
//! with `Registry::builder().check(...)` and configured like any other
//! (`.with_timeout(..)`, `.with_critical(..)`, `.with_probes(..)`, `.with_tags(..)`,
//! `.with_cache(..)`, `.with_interval(..)`). Each reports an observed value (a
//! latency, free bytes). The registry removes credentials from every
//! message (see `health_core::hygiene::redact`), theirs included. The runner's
//! timeout bounds every one of them, even against a server that accepts
//! connections and never answers, and a timed-out run says what it was
//! waiting for ("timed out after 300ms while acquiring a connection (pool:
//! 0 open, 0 idle, max 10)"). Checks that resolve a host name (`tcp`, and
//! `postgres` before it opens a connection) keep at most one DNS lookup
//! outstanding per check, so a hung resolver cannot pile up threads.
//!
//! | check | feature | uses |
//! |---|---|---|
//! | [`tcp`] | always | a TCP connect |
//! | [`RuntimeWatch`] | always | the application's tokio runtime: busy (readiness), wedged (liveness) |
//! | `disk` | `disk` | free space on a path's file system |
//! | `postgres` | `postgres` | `SELECT 1` through your `sqlx::PgPool` |
//! | `sqlite` | `sqlite` | `SELECT 1` through your `sqlx::SqlitePool` |
//! | `redis` | `redis` | `PING` through your connection manager or multiplexed connection |
//! | `HttpCheck` | `http-check` | a GET or HEAD through your `reqwest::Client`, with an expected status range |
//!
//! ```
//! use health_core::Registry;
//! use std::time::Duration;
//!
//! let registry = Registry::builder()
//!     .without_declared()
//!     .check(health_checks::tcp("smtp", "127.0.0.1:25").with_timeout(Duration::from_millis(300)).with_critical(false))
//!     .build()?;
//! # Ok::<(), health_core::BuildError>(())
//! ```
//!
//! # Layers
//!
//! The checks over their shared steps; no step depends on a check.
//!
//! | layer | what |
//! |---|---|
//! | `timed`, `dns`, `sql` | shared steps: an outcome with its latency; host name lookups, one outstanding per check; `SELECT 1` through a pool, saying what it waits for |
//! | `tcp`, `runtime`, `disk`, `postgres`, `sqlite`, `redis`, `http` | the checks |

#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "disk")]
mod disk;
mod dns;
mod runtime;
mod tcp;
mod timed;

#[cfg(feature = "http-check")]
mod http;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "redis")]
mod redis;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod sql;
#[cfg(feature = "sqlite")]
mod sqlite;

#[cfg(feature = "disk")]
#[cfg_attr(docsrs, doc(cfg(feature = "disk")))]
pub use disk::disk;
pub use runtime::RuntimeWatch;
pub use tcp::tcp;

#[cfg(feature = "http-check")]
#[cfg_attr(docsrs, doc(cfg(feature = "http-check")))]
pub use http::{HttpCheck, InvalidUrl};
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use postgres::postgres;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis::redis;
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub use sqlite::sqlite;
