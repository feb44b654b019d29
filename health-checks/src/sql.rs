use health_core::check::waiting_for;
use sqlx::{Database, Executor, IntoArguments, Pool};

/// `SELECT 1` on a connection from `pool`, saying what it waits for
/// (acquiring, with the pool's numbers, then the query), so that a timeout
/// names the step. An acquire that fails says the pool's numbers too.
pub(crate) async fn select_one<DB>(pool: &Pool<DB>) -> Result<(), String>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
{
    waiting_for(format!("acquiring a connection ({})", numbers(pool)));
    let mut connection = pool
        .acquire()
        .await
        .map_err(|e| format!("{e} ({})", numbers(pool)))?;
    waiting_for("running SELECT 1");
    sqlx::query("SELECT 1")
        .execute(&mut *connection)
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

/// `pool: 1 open, 0 idle, max 10`.
fn numbers<DB: Database>(pool: &Pool<DB>) -> String {
    format!(
        "pool: {} open, {} idle, max {}",
        pool.size(),
        pool.num_idle(),
        pool.options().get_max_connections()
    )
}
