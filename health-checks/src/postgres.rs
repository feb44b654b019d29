use crate::dns::{Lookup, ip_literal};
use health_core::Check;
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use std::borrow::Cow;
use std::sync::Arc;

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
/// With a host name (not an IP address nor a Unix socket), when the pool
/// has no idle connection and room for one more, the run first looks the
/// name up, at most one lookup per check at a time: a hung resolver then
/// makes the check DOWN ("the DNS lookup of db.internal from a previous
/// run has not returned yet") without asking sqlx to open connections, each
/// of which would hold a thread in the resolver.
///
/// ```
/// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// let pool = sqlx::postgres::PgPoolOptions::new()
///     .max_connections(10)
///     // Below the check's timeout.
///     .acquire_timeout(Duration::from_millis(400))
///     .connect_lazy("postgres://app@127.0.0.1/app")?;
/// let check = health_checks::postgres("db", pool).with_timeout(Duration::from_millis(500));
/// # Ok(()) }
/// ```
#[track_caller]
pub fn postgres(name: impl Into<Cow<'static, str>>, pool: PgPool) -> Check {
    let lookup = Arc::new(Lookup::system());
    Check::new(name.into(), move || {
        let pool = pool.clone();
        let lookup = Arc::clone(&lookup);
        crate::timed::latency(async move {
            let opens = pool.num_idle() == 0 && pool.size() < pool.options().get_max_connections();
            if opens && let Some((host, port)) = host_name(&pool.connect_options()) {
                lookup
                    .resolve(&host, port)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            crate::sql::select_one(&pool).await
        })
    })
}

/// The server's host and port when the host is a name that sqlx would
/// resolve: not an IP address, not a Unix socket directory.
fn host_name(options: &PgConnectOptions) -> Option<(String, u16)> {
    let host = options.get_host();
    let socket = options.get_socket().is_some() || host.starts_with('/');
    (!socket && !host.is_empty() && ip_literal(host).is_none())
        .then(|| (host.to_owned(), options.get_port()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_host_names_are_looked_up() {
        let host = |url: &str| host_name(&url.parse::<PgConnectOptions>().expect("a valid URL"));
        assert_eq!(
            host("postgres://app@db.internal:6543/app"),
            Some(("db.internal".into(), 6543))
        );
        assert_eq!(host("postgres://app@127.0.0.1/app"), None);
        assert_eq!(host("postgres://app@[::1]:5432/app"), None);
        assert_eq!(host("postgres://app@%2Fvar%2Frun%2Fpostgresql/app"), None);
        assert_eq!(host("postgres:///app?host=/tmp"), None);
    }
}
