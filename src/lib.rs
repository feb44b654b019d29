//! Declarative health checks for Rust services.
//!
//! Annotate plain functions with [`#[health_check]`](health_check); they
//! are registered at link time, run concurrently under their timeouts by a
//! [`Registry`], and aggregated into UP / DEGRADED / DOWN. The `axum` and
//! `actix` features serve them as liveness, readiness and startup endpoints.
//!
//! ```
//! use health::{health_check, Registry, Status, Probe};
//!
//! #[health_check(timeout = "200ms", tags = ["doc"])]
//! async fn cache() -> Result<(), std::io::Error> {
//!     Ok(())
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), health::BuildError> {
//! let registry = Registry::builder().build()?;
//! let report = registry.check(Probe::Readiness).await;
//! assert_eq!(report.status(), Status::Up);
//! # Ok(()) }
//! ```

pub use health_core::*;
pub use health_macros::health_check;

/// Built-in checks: TCP and disk always; PostgreSQL, SQLite, Redis and
/// HTTP upstreams behind the features `postgres`, `sqlite`, `redis`, `http`.
pub use health_checks as checks;

/// The axum adapter: `Router::new().merge(health::axum::routes(registry))`.
#[cfg(feature = "axum")]
pub use health_axum as axum;

/// The actix-web adapter: `App::new().configure(health::actix::configure(registry))`.
#[cfg(feature = "actix")]
pub use health_actix as actix;

#[doc(hidden)]
pub use health_core::__private;
