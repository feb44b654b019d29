use health_core::Check;
use redis::aio::ConnectionLike;
use std::borrow::Cow;

/// `PING` through `connection`: the application's
/// `redis::aio::ConnectionManager` or `MultiplexedConnection` (cloned per
/// run, which shares the one connection). UP with the round-trip latency in
/// milliseconds.
///
/// ```no_run
/// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
/// let client = redis::Client::open("redis://127.0.0.1:6379")?;
/// let manager = redis::aio::ConnectionManager::new(client).await?;
/// let check = health_checks::redis("cache", manager).with_critical(false);
/// # Ok(()) }
/// ```
#[track_caller]
pub fn redis<C>(name: impl Into<Cow<'static, str>>, connection: C) -> Check
where
    C: ConnectionLike + Clone + Send + Sync + 'static,
{
    Check::new(name, move || {
        let mut connection = connection.clone();
        crate::timed::latency(async move {
            redis::cmd("PING")
                .query_async::<String>(&mut connection)
                .await
        })
    })
}
