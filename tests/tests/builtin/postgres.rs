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

/// Waits (at most a second) until `pool` holds `n` idle connections: sqlx
/// pings a returned connection before it is idle again, and stopping the
/// server during that ping would leave the pool empty.
async fn until_idle(pool: &sqlx::PgPool, n: usize) {
    for _ in 0..200 {
        if pool.num_idle() == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("{} idle connections, not {n}", pool.num_idle());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn up_down_and_up_again_across_a_restart() {
    let server = Postgres::start().expect("PostgreSQL (see .ci/services.sh)");
    let reg = registry(health::checks::postgres("db", pool(&server.url())).with_timeout(TIMEOUT));
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
            .with_timeout(TIMEOUT),
    );
    let (c, took) = run(&reg).await;
    assert_down_within(&c, took, TIMEOUT);
    // The connection's startup never ends: still acquiring.
    assert_eq!(
        c.message(),
        Some("timed out after 500ms while acquiring a connection (pool: 0 open, 0 idle, max 4)")
    );
    listener.abort();
}

/// sqlx retries a refused connection until the pool's acquire timeout:
/// with one longer than the check's timeout, the check's timeout fires
/// first, and says it was acquiring, with the pool's numbers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_server_times_out_naming_the_acquire_and_the_pool() {
    const CHECK: Duration = Duration::from_millis(300);
    let server = Postgres::start().expect("PostgreSQL (see .ci/services.sh)");
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(Duration::from_secs(10))
        .connect_lazy(&server.url())
        .unwrap();
    let reg = registry(health::checks::postgres("db", pool.clone()).with_timeout(CHECK));
    assert_up_with_latency(&run(&reg).await.0);
    until_idle(&pool, 1).await;

    server.stop().expect("stop");
    // The connection the pool keeps is idle, its server gone: the pool
    // finds out when it tests it, then tries to open a new one.
    let numbers = format!(
        "pool: {} open, {} idle, max 4",
        pool.size(),
        pool.num_idle()
    );
    assert_eq!(numbers, "pool: 1 open, 1 idle, max 4");
    let (c, took) = run(&reg).await;
    assert_down_within(&c, took, CHECK);
    assert_eq!(
        c.message(),
        Some(&*format!(
            "timed out after 300ms while acquiring a connection ({numbers})"
        ))
    );
    // Later runs: nothing idle is left in the pool. A connection sqlx is
    // still trying to open for the run before counts as open until its
    // own attempt gives up, so "open" is 0 or 1 depending on timing.
    let (c, took) = run(&reg).await;
    assert_down_within(&c, took, CHECK);
    let message = c.message().unwrap_or_default();
    let open = ["0", "1"].map(|n| {
        format!(
            "timed out after 300ms while acquiring a connection (pool: {n} open, 0 idle, max 4)"
        )
    });
    assert!(open.iter().any(|m| m == message), "{message}");
}

/// The documented setting: an acquire timeout below the check's, and the
/// run fails with the pool's own error, and its numbers, before the
/// check's timeout: the message says which fired, no clock is read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acquire_timeout_below_the_checks_fails_first_with_the_pools_numbers() {
    // Far above the pool's 150 ms: which fires first is not a race.
    const CHECK: Duration = Duration::from_secs(3);
    let server = Postgres::start().expect("PostgreSQL (see .ci/services.sh)");
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(Duration::from_millis(150))
        .connect_lazy(&server.url())
        .unwrap();
    let reg = registry(health::checks::postgres("db", pool.clone()).with_timeout(CHECK));
    server.stop().expect("stop");
    let (c, took) = run(&reg).await;
    assert_down_within(&c, took, CHECK);
    assert_eq!(
        c.message(),
        Some("pool timed out while waiting for an open connection (pool: 0 open, 0 idle, max 4)"),
        "not the check's timeout: the pool's own error"
    );
}

/// Sends `signal` to `pid` (a PostgreSQL backend: root may signal it).
fn signal(pid: i32, signal: &str) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} {pid}");
}

/// Resumes a stopped backend, even when the test fails.
struct Resume(i32);

impl Drop for Resume {
    fn drop(&mut self) {
        signal(self.0, "CONT");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_that_hangs_times_out_naming_the_query() {
    let server = Postgres::start().expect("PostgreSQL (see .ci/services.sh)");
    // One connection, handed out without a test: the check's query goes
    // to the backend the test stops.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .test_before_acquire(false)
        .connect_lazy(&server.url())
        .unwrap();
    let backend: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&pool)
        .await
        .unwrap();
    let reg = registry(health::checks::postgres("db", pool.clone()).with_timeout(TIMEOUT));
    assert_up_with_latency(&run(&reg).await.0);
    until_idle(&pool, 1).await;

    signal(backend, "STOP");
    let resume = Resume(backend);
    let (c, took) = run(&reg).await;
    drop(resume);
    assert_down_within(&c, took, TIMEOUT);
    assert_eq!(
        c.message(),
        Some("timed out after 500ms while running SELECT 1")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_never_reaches_the_message() {
    let server = Postgres::start().expect("PostgreSQL (see .ci/services.sh)");
    let url = format!(
        "postgres://postgres:hunter2@127.0.0.1:{}/no_such_database",
        server.port()
    );
    let reg = registry(health::checks::postgres("db", pool(&url)).with_timeout(TIMEOUT));
    let (c, _) = run(&reg).await;
    assert_eq!(c.status(), Status::Down);
    let message = c.message().unwrap();
    assert!(message.contains("no_such_database"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
}

/// Back-to-back runs may find no idle connection (sqlx tests a returned
/// connection before it is idle again) and open one more, up to the pool's
/// bound; none is opened per run. The server logs every session it
/// authorizes: the pool's connections are all it ever opened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_runs_open_at_most_the_pools_own_connections() {
    let server =
        Postgres::start_with(&["log_connections=on"]).expect("PostgreSQL (see .ci/services.sh)");
    let pool = pool(&server.url());
    let reg = registry(health::checks::postgres("db", pool.clone()).with_timeout(TIMEOUT));
    let sessions = || {
        server
            .log()
            .unwrap()
            .matches("connection authorized")
            .count()
    };
    assert_eq!(sessions(), 0);
    for _ in 0..1000 {
        let (c, _) = run(&reg).await;
        assert_eq!(c.status(), Status::Up);
    }
    let opened = sessions();
    println!(
        "1000 runs: {opened} sessions opened, {} connections in the pool",
        pool.size()
    );
    assert!(
        opened <= 4,
        "{opened} sessions for 1000 runs, the pool holds at most 4"
    );
    assert_eq!(
        opened,
        pool.size() as usize,
        "every session opened is one the pool still holds"
    );
}
