use super::*;
use health_tests::servers::silent_listener;

#[tokio::test]
async fn a_listening_port_is_up_a_closed_one_down() {
    let (addr, listener) = silent_listener().await;
    let reg = registry(
        health::checks::tcp("smtp", addr.to_string()).with_timeout(Duration::from_millis(300)),
    );
    assert_up_with_latency(&run(&reg).await.0);
    listener.abort();
    let _ = listener.await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let reg = registry(health::checks::tcp("closed", format!("127.0.0.1:{port}")));
    let (c, _) = run(&reg).await;
    assert_eq!(c.status(), Status::Down);
    assert!(
        c.message().unwrap().to_lowercase().contains("refused"),
        "{:?}",
        c.message()
    );
}

#[tokio::test]
async fn sqlite_in_memory_is_up() {
    let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
    let reg = registry(health::checks::sqlite("local", pool));
    assert_up_with_latency(&run(&reg).await.0);
}

#[tokio::test]
async fn disk_reports_free_bytes() {
    let reg = registry(health::checks::disk("tmp", std::env::temp_dir(), 1));
    let (c, _) = run(&reg).await;
    assert_eq!(c.status(), Status::Up);
    assert_eq!(c.observed().unwrap().unit(), Some("bytes"));
    let reg = registry(health::checks::disk("tmp", std::env::temp_dir(), u64::MAX));
    assert_eq!(run(&reg).await.0.status(), Status::Down);
}

#[tokio::test]
async fn built_in_checks_are_located_where_they_are_built() {
    let pool = sqlx::SqlitePool::connect_lazy("sqlite::memory:").unwrap();
    let pg = sqlx::postgres::PgPoolOptions::new()
        .connect_lazy("postgres://127.0.0.1:1/x")
        .unwrap();
    let client = reqwest::Client::new();
    let checks = [
        health::checks::tcp("a", "127.0.0.1:1"),
        health::checks::disk("b", "/", 1),
        health::checks::sqlite("c", pool),
        health::checks::postgres("d", pg),
        health::checks::HttpCheck::new(client, "http://127.0.0.1:1/")
            .unwrap()
            .into_check("e"),
    ];
    for check in checks {
        let file = check.location().file();
        assert!(file.ends_with("builtin/tcp.rs"), "{}: {file}", check.name());
    }
}
