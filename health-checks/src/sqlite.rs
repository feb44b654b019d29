use health_core::Check;
use sqlx::SqlitePool;
use std::borrow::Cow;

/// `SELECT 1` on a connection from `pool` (the application's own pool: no
/// private connection per run). UP with the round-trip latency in
/// milliseconds, acquiring included.
///
/// A run that times out says what it was waiting for: "timed out after
/// 300ms while acquiring a connection (pool: 4 open, 0 idle, max 4)", or
/// "while running SELECT 1". Give the pool an
/// [`acquire_timeout`](sqlx::pool::PoolOptions::acquire_timeout) below the
/// check's timeout: a pool that cannot hand out a connection then fails the
/// run with its own error (and the pool's numbers) before the check's
/// timeout, and the application's own queries give up no later than the
/// check does.
///
/// ```
/// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// let pool = sqlx::sqlite::SqlitePoolOptions::new()
///     .acquire_timeout(Duration::from_millis(400))
///     .connect_lazy("sqlite::memory:")?;
/// let check = health_checks::sqlite("db", pool).with_timeout(Duration::from_millis(500));
/// # Ok(()) }
/// ```
#[track_caller]
pub fn sqlite(name: impl Into<Cow<'static, str>>, pool: SqlitePool) -> Check {
    Check::new(name, move || {
        let pool = pool.clone();
        crate::timed::latency(async move { crate::sql::select_one(&pool).await })
    })
}
