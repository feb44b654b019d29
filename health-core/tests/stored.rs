//! What the registry stores of a result: messages cut to what a caller may
//! see, secrets redacted (in the message and in details, by key), and a
//! history of bounded length.

use health_core::hygiene::MAX_MESSAGE_CHARS;
use health_core::{Check, MAX_HISTORY, Outcome, Probe, Problem, Registry};

/// A check whose error is 1 MiB long: the history keeps its failures, so
/// each stored message must be cut when the result is recorded, not only
/// when a body is rendered.
#[tokio::test]
async fn a_long_message_is_stored_cut_in_the_latest_result_and_the_history() {
    let registry = Registry::builder()
        .without_declared()
        .check(Check::new("huge", || async {
            Err::<(), _>(format!("password=hunter2 {}", "x".repeat(1 << 20)))
        }))
        .build()
        .unwrap();
    for _ in 0..3 {
        registry.run(Probe::Readiness).await;
    }
    let report = registry.run(Probe::Readiness).await;
    let message = report.component("huge").unwrap().message().unwrap();
    assert_eq!(
        message.chars().count(),
        MAX_MESSAGE_CHARS,
        "{}",
        message.len()
    );
    assert!(message.starts_with("password=*** xxx") && message.ends_with('…'));
    let history = registry.history();
    assert_eq!(history[0].samples.len(), 4);
    for sample in &history[0].samples {
        let message = sample.message.as_deref().unwrap();
        assert_eq!(message.chars().count(), MAX_MESSAGE_CHARS);
    }
    let latest = history[0].message.as_deref().unwrap();
    assert_eq!(latest.chars().count(), MAX_MESSAGE_CHARS);
}

/// A message at the limit is kept whole.
#[tokio::test]
async fn a_message_at_the_limit_is_kept_whole() {
    let registry = Registry::builder()
        .without_declared()
        .check(Check::new("edge", || async {
            Err::<(), _>("é".repeat(MAX_MESSAGE_CHARS))
        }))
        .build()
        .unwrap();
    let report = registry.run(Probe::Readiness).await;
    let message = report.component("edge").unwrap().message().unwrap();
    assert_eq!(message, "é".repeat(MAX_MESSAGE_CHARS));
}

/// A detail whose key names a secret is replaced whole, at any depth,
/// whatever its value; other details keep their values, their strings
/// redacted.
#[tokio::test]
async fn a_detail_whose_key_is_a_secret_is_redacted_whole() {
    let registry = Registry::builder()
        .without_declared()
        .check(Check::new("db", || async {
            Outcome::down("refused")
                .with_detail("password", "hunter2")
                .with_detail("DB_PASSWORD", 1234)
                .with_detail(
                    "config",
                    serde_json::json!({"user": "app", "apiKey": "k-123", "nested": [{"token": "t-456"}]}),
                )
                .with_detail("url", "postgres://app:pw-789@db/app")
                .with_detail("user", "app")
        }))
        .build()
        .unwrap();
    let report = registry.run(Probe::Readiness).await;
    let details = report.component("db").unwrap().details().unwrap();
    let text = serde_json::to_string(details).unwrap();
    for secret in ["hunter2", "1234", "k-123", "t-456", "pw-789"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert_eq!(details["password"], "***");
    assert_eq!(details["DB_PASSWORD"], "***");
    assert_eq!(details["config"]["user"], "app");
    assert_eq!(details["config"]["nested"][0]["token"], "***");
    assert_eq!(details["url"], "postgres://app:***@db/app");
    assert_eq!(details["user"], "app");
}

/// A history longer than the documented maximum is a build problem, not a
/// panic (it used to abort `build()` with a capacity overflow).
#[test]
fn a_history_past_the_maximum_is_a_build_problem() {
    for results in [MAX_HISTORY + 1, usize::MAX] {
        let error = Registry::builder()
            .without_declared()
            .history_capacity(results)
            .build()
            .unwrap_err();
        assert_eq!(
            error.problems(),
            [Problem::HistoryTooLong {
                results,
                max: MAX_HISTORY
            }]
        );
        assert!(error.to_string().contains("3600"), "{error}");
    }
    assert!(
        Registry::builder()
            .without_declared()
            .history_capacity(MAX_HISTORY)
            .build()
            .is_ok()
    );
}
