use health_core::Check;
use sqlx::{Database, Executor, IntoArguments, Pool};
use std::borrow::Cow;

/// `SELECT 1` on a connection from `pool`, for any sqlx database. The
/// check's location is the caller's.
#[track_caller]
pub(crate) fn select_one<DB>(name: Cow<'static, str>, pool: Pool<DB>) -> Check
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
{
    Check::new(name, move || {
        let pool = pool.clone();
        crate::timed::latency(async move {
            let mut connection = pool.acquire().await?;
            sqlx::query("SELECT 1")
                .execute(&mut *connection)
                .await
                .map(drop)
        })
    })
}
