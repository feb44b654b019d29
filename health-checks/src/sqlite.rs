use health_core::Check;
use sqlx::SqlitePool;
use std::borrow::Cow;

/// `SELECT 1` on a connection from `pool` (the application's own pool: no
/// private connection per run). UP with the round-trip latency in
/// milliseconds, acquiring included.
///
/// ```no_run
/// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
/// let pool = sqlx::SqlitePool::connect_lazy("sqlite::memory:")?;
/// let check = health_checks::sqlite("db", pool).timeout(std::time::Duration::from_millis(500));
/// # Ok(()) }
/// ```
#[track_caller]
pub fn sqlite(name: impl Into<Cow<'static, str>>, pool: SqlitePool) -> Check {
    crate::sql::select_one(name.into(), pool)
}
