use health_core::Check;
use sqlx::PgPool;
use std::borrow::Cow;

/// `SELECT 1` on a connection from `pool` (the application's own pool: no
/// private connection per run). UP with the round-trip latency in
/// milliseconds, acquiring included.
///
/// ```no_run
/// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
/// let pool = sqlx::PgPool::connect_lazy("postgres://app@127.0.0.1/app")?;
/// let check = health_checks::postgres("db", pool).timeout(std::time::Duration::from_millis(500));
/// # Ok(()) }
/// ```
#[track_caller]
pub fn postgres(name: impl Into<Cow<'static, str>>, pool: PgPool) -> Check {
    crate::sql::select_one(name.into(), pool)
}
