use super::*;
use health_tests::servers::{Postgres, silent_listener};
use sqlx::postgres::PgPoolOptions;

const TIMEOUT: Duration = Duration::from_millis(500);

fn pool(url: &str) -> sqlx::PgPool {
    PgPoolOptions::new()
        .max_connections(4)
        .connect_lazy(url)
        .expect("valid URL")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn up_down_and_up_again_across_a_restart() {
    let server = Postgres::start().expect("PostgreSQL (see .ci/services.sh)");
    let reg = registry(health::checks::postgres("db", pool(&server.url())).timeout(TIMEOUT));
    let (c, _) = run(&reg).await;
    assert_up_with_latency(&c);

    server.stop().expect("stop");
    let (c, took) = run(&reg).await;
    assert_down_within(&c, took, TIMEOUT);

    server.start_again().expect("restart");
    until_up(&reg, 50).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_answers_is_down_within_the_timeout() {
    let (addr, listener) = silent_listener().await;
    let reg = registry(
        health::checks::postgres("db", pool(&format!("postgres://postgres@{addr}/postgres")))
            .timeout(TIMEOUT),
    );
    let (c, took) = run(&reg).await;
    assert_down_within(&c, took, TIMEOUT);
    assert_eq!(c.message(), Some("timed out after 500ms"));
    listener.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_never_reaches_the_message() {
    let server = Postgres::start().expect("PostgreSQL (see .ci/services.sh)");
    let url = format!(
        "postgres://postgres:hunter2@127.0.0.1:{}/no_such_database",
        server.port()
    );
    let reg = registry(health::checks::postgres("db", pool(&url)).timeout(TIMEOUT));
    let (c, _) = run(&reg).await;
    assert_eq!(c.status(), Status::Down);
    let message = c.message().unwrap();
    assert!(message.contains("no_such_database"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_runs_reuse_the_pool() {
    let server = Postgres::start().expect("PostgreSQL (see .ci/services.sh)");
    let pool = pool(&server.url());
    let reg = registry(health::checks::postgres("db", pool.clone()).timeout(TIMEOUT));
    let sessions = || async {
        // Cumulative sessions established, as the server counts them.
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&server.url())
            .await
            .unwrap();
        let n: i64 =
            sqlx::query_scalar("SELECT sessions FROM pg_stat_database WHERE datname = 'postgres'")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        // Closed, not dropped: the backend is gone before anything is counted.
        sqlx::Connection::close(conn).await.unwrap();
        n
    };
    let before = sessions().await;
    for _ in 0..1000 {
        let (c, _) = run(&reg).await;
        assert_eq!(c.status(), Status::Up);
    }
    // sqlx may open a second connection while the first is still being
    // returned, but never more than the pool's bound: nothing leaks.
    assert!(
        pool.size() <= 4,
        "{} connections in a pool of at most 4",
        pool.size()
    );
    let opened = sessions().await - before;
    assert!(opened <= 4 + 1, "{opened} sessions opened for 1000 runs");
}
