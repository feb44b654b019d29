//! Built-in checks: the dependencies services check first.
//!
//! Each constructor returns an ordinary [`Check`](health_core::Check), added
//! with `Registry::builder().check(...)` and configured like any other
//! (`.timeout(..)`, `.critical(..)`, `.probes(..)`, `.tags(..)`,
//! `.cache(..)`, `.interval(..)`). Each reports an observed value (a
//! latency, free bytes) and error texts with credentials removed. The
//! runner's timeout bounds every one of them, even against a server that
//! accepts connections and never answers.
//!
//! | check | feature | uses |
//! |---|---|---|
//! | [`tcp`] | always | a TCP connect |
//! | [`disk`] | always | free space on a path's file system |
//! | `postgres` | `postgres` | `SELECT 1` through your `sqlx::PgPool` |
//! | `sqlite` | `sqlite` | `SELECT 1` through your `sqlx::SqlitePool` |
//! | `redis` | `redis` | `PING` through your connection manager or multiplexed connection |
//! | `HttpProbe` | `http` | a GET or HEAD through your `reqwest::Client`, with an expected status range |
//!
//! ```
//! use health_core::Registry;
//! use std::time::Duration;
//!
//! let registry = Registry::builder()
//!     .without_declared()
//!     .check(health_checks::tcp("smtp", "127.0.0.1:25").timeout(Duration::from_millis(300)).critical(false))
//!     .check(health_checks::disk("scratch", std::env::temp_dir(), 64 * 1024 * 1024).interval(Duration::from_secs(30)))
//!     .build()?;
//! # Ok::<(), health_core::BuildError>(())
//! ```

mod disk;
mod redact;
mod tcp;
mod timed;

#[cfg(feature = "http")]
mod http;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "redis")]
mod redis;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod sql;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use disk::disk;
pub use redact::redact;
pub use tcp::tcp;

#[cfg(feature = "http")]
pub use http::{HttpProbe, InvalidUrl};
#[cfg(feature = "postgres")]
pub use postgres::postgres;
#[cfg(feature = "redis")]
pub use redis::redis;
#[cfg(feature = "sqlite")]
pub use sqlite::sqlite;
