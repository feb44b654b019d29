use health_core::Check;
use sqlx::PgPool;
use std::borrow::Cow;

/// `SELECT 1` on a connection from `pool` (the application's own pool: no
/// private connection per run). UP with the round-trip latency in
/// milliseconds, acquiring included.
///
/// A run that times out says what it was waiting for: "timed out after
/// 300ms while acquiring a connection (pool: 0 open, 0 idle, max 10)", or
/// "while running SELECT 1". Give the pool an
/// [`acquire_timeout`](sqlx::pool::PoolOptions::acquire_timeout) below the
/// check's timeout: sqlx retries a refused connection until its acquire
/// timeout, so with a longer one a stopped server shows only as the
/// check's timeout; with a shorter one the run fails with the pool's own
/// error (and its numbers) first, and the application's own queries give
/// up no later than the check does.
///
/// ```
/// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// let pool = sqlx::postgres::PgPoolOptions::new()
///     .max_connections(10)
///     // Below the check's timeout.
///     .acquire_timeout(Duration::from_millis(400))
///     .connect_lazy("postgres://app@127.0.0.1/app")?;
/// let check = health_checks::postgres("db", pool).timeout(Duration::from_millis(500));
/// # Ok(()) }
/// ```
#[track_caller]
pub fn postgres(name: impl Into<Cow<'static, str>>, pool: PgPool) -> Check {
    Check::new(name.into(), move || {
        let pool = pool.clone();
        crate::timed::latency(async move { crate::sql::select_one(&pool).await })
    })
}
