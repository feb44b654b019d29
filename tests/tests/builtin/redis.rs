use super::*;
use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use health_tests::servers::{Redis, failing_redis, silent_listener};

const TIMEOUT: Duration = Duration::from_millis(500);

fn config() -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_number_of_retries(1)
        .set_connection_timeout(Some(Duration::from_millis(200)))
}

async fn manager(url: &str) -> ConnectionManager {
    let client = ::redis::Client::open(url).expect("valid URL");
    ConnectionManager::new_with_config(client, config())
        .await
        .expect("Redis is up")
}

/// `total_connections_received` from `INFO stats`: every connection the
/// server ever accepted, through `conn` (one the caller keeps, so asking
/// opens none).
async fn connections_received(conn: &mut ::redis::aio::MultiplexedConnection) -> u64 {
    let info: String = ::redis::cmd("INFO")
        .arg("stats")
        .query_async(conn)
        .await
        .unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("total_connections_received:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn up_down_and_up_again_across_a_restart() {
    let server = Redis::start().expect("redis-server (see .ci/services.sh)");
    let reg = registry(
        health::checks::redis("cache", manager(&server.url()).await).with_timeout(TIMEOUT),
    );
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
    let client = ::redis::Client::open(format!("redis://{addr}")).unwrap();
    let lazy = ConnectionManager::new_lazy_with_config(client, config()).unwrap();
    let reg = registry(health::checks::redis("cache", lazy).with_timeout(TIMEOUT));
    let (c, took) = run(&reg).await;
    assert_down_within(&c, took, TIMEOUT);
    listener.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_runs_share_one_connection() {
    let server = Redis::start().expect("redis-server (see .ci/services.sh)");
    let reg = registry(
        health::checks::redis("cache", manager(&server.url()).await).with_timeout(TIMEOUT),
    );
    run(&reg).await;
    let mut admin = ::redis::Client::open(server.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    // Every connection ever accepted, not those open now: a connection
    // opened and closed per run shows here.
    let before = connections_received(&mut admin).await;
    for _ in 0..1000 {
        assert_eq!(run(&reg).await.0.status(), Status::Up);
    }
    let opened = connections_received(&mut admin).await - before;
    assert_eq!(opened, 0, "{opened} connections opened for 1000 runs");
}

/// The registry redacts every check's message: a server (or a proxy in
/// front of one) whose error names a Redis URL with its password reaches
/// the report, and every rendering of it, with the password replaced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_in_an_error_reaches_the_report_redacted() {
    let (addr, server) =
        failing_redis("ERR upstream redis://default:hunter2@10.1.2.3:6379/0 unavailable").await;
    let client = ::redis::Client::open(format!("redis://{addr}")).unwrap();
    let lazy = ConnectionManager::new_lazy_with_config(client, config()).unwrap();
    let reg = registry(health::checks::redis("cache", lazy).with_timeout(TIMEOUT));
    let report = reg.run(Probe::Readiness).await;
    let c = report.component("cache").unwrap();
    assert_eq!(c.status(), Status::Down);
    let message = c.message().unwrap();
    assert!(
        message.contains("upstream redis://default:***@10.1.2.3:6379/0 unavailable"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
    server.abort();
}
