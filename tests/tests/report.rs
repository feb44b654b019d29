//! Report renderings: native JSON, IETF health+json, Kubernetes-style text.

// Test helpers too may unwrap: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use health::http::IETF_CONTENT_TYPE;
use health::report::{Render, Visibility};
use health::{Check, Observed, Outcome, Probe, Registry, Status};
use serde_json::Value;
use std::time::Duration;

async fn report() -> health::Report {
    let reg = Registry::builder()
        .without_declared()
        .check(Check::new("db", || async { Ok::<(), std::io::Error>(()) }).with_tags(["sql"]))
        .check(
            Check::new("redis", || async {
                Err::<(), _>("connection refused\r\n\u{1b}[31mpassword=hunter2 at line 3")
            })
            .critical(false),
        )
        .check(Check::new("disk", || async {
            Observed::new(1024_u64, "MiB")
        }))
        .check(Check::new("lag", || async {
            Outcome::degraded("replica lag").with_detail("seconds", 12)
        }))
        .version("1.2.3")
        .build()
        .unwrap();
    reg.run(Probe::Readiness).await
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

#[tokio::test]
async fn native_json_with_details() {
    let report = report().await;
    let render = Render::new(Visibility::Full)
        .version(Some("1.2.3"))
        .uptime(Some(Duration::from_secs(431)));
    let body = json(&report.to_json(&render));
    assert_eq!(body["status"], "DEGRADED");
    assert_eq!(body["version"], "1.2.3");
    assert_eq!(body["uptime_seconds"], 431);
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
    let redis = &body["components"]["redis"];
    assert_eq!(redis["status"], "DOWN");
    assert_eq!(redis["critical"], false);
    assert_eq!(
        redis["message"], "connection refused   [31mpassword=hunter2 at line 3",
        "control characters stripped"
    );
    assert!(redis["duration_ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(redis["age_ms"], 0.0);
    assert_eq!(body["components"]["db"]["tags"], serde_json::json!(["sql"]));
    assert_eq!(body["components"]["disk"]["observed_value"], 1024);
    assert_eq!(body["components"]["disk"]["observed_unit"], "MiB");
    assert_eq!(body["components"]["lag"]["details"]["seconds"], 12);
    assert!(body["components"]["db"].get("message").is_none());
}

#[tokio::test]
async fn without_details_only_the_status_is_shown() {
    let report = report().await;
    let body = json(&report.to_json(&Render::new(Visibility::Status).version(Some("1.2.3"))));
    let keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["status"]);
    let ietf = json(&report.to_ietf_json(&Render::default()));
    assert_eq!(ietf, serde_json::json!({"status": "warn"}));
    assert_eq!(
        report.to_text(&Render::default()),
        "readiness check passed\n"
    );
}

#[tokio::test]
async fn ietf_health_json() {
    assert_eq!(IETF_CONTENT_TYPE, "application/health+json");
    let report = report().await;
    let body = json(&report.to_ietf_json(&Render::new(Visibility::Full).version(Some("1.2.3"))));
    assert_eq!(body["status"], "warn");
    assert_eq!(body["version"], "1.2.3");
    let disk = &body["checks"]["disk:MiB"][0];
    assert_eq!(disk["componentId"], "disk");
    assert_eq!(disk["status"], "pass");
    assert_eq!(disk["observedValue"], 1024);
    assert_eq!(disk["observedUnit"], "MiB");
    let redis = &body["checks"]["redis:responseTime"][0];
    assert_eq!(redis["status"], "fail");
    assert_eq!(redis["observedUnit"], "ms");
    assert!(
        redis["output"]
            .as_str()
            .unwrap()
            .starts_with("connection refused")
    );
    assert!(redis["time"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn kubernetes_style_text() {
    let report = report().await;
    let text = report.to_text(&Render::new(Visibility::Full));
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines[0], "[+]db ok");
    assert_eq!(lines[1], "[+]disk ok");
    assert_eq!(lines[2], "[+]lag degraded: replica lag");
    assert!(lines[3].starts_with("[-]redis failed: connection refused"));
    assert_eq!(lines[4], "readiness check passed");
    assert_eq!(report.status(), Status::Degraded);
}

#[tokio::test]
async fn long_messages_are_truncated() {
    let reg = Registry::builder()
        .without_declared()
        .check(Check::new("big", || async {
            Err::<(), _>("é".repeat(10_000))
        }))
        .build()
        .unwrap();
    let report = reg.run(Probe::Readiness).await;
    let body = json(&report.to_json(&Render::new(Visibility::Full)));
    let message = body["components"]["big"]["message"].as_str().unwrap();
    assert_eq!(message.chars().count(), health::text::MAX_MESSAGE_CHARS);
    assert!(message.ends_with('…'));
}

#[tokio::test]
async fn components_visibility_shows_statuses_but_no_messages() {
    let report = report().await;
    let render = Render::new(Visibility::Components).version(Some("1.2.3"));
    let body = json(&report.to_json(&render));
    assert_eq!(
        body["components"]["redis"],
        serde_json::json!({"status": "DOWN", "critical": false})
    );
    assert!(body.get("version").is_none());
    let text = report.to_text(&render);
    assert!(
        text.contains("[-]redis failed\n") && !text.contains("refused"),
        "{text}"
    );
    let ietf = json(&report.to_ietf_json(&render));
    assert_eq!(
        ietf["checks"]["redis:responseTime"][0],
        serde_json::json!({"componentId": "redis", "status": "fail"})
    );
}
