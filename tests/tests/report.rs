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
        redis["message"], "connection refused   [31mpassword=*** at line 3",
        "control characters stripped, the password glued to the escape redacted"
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

/// The history a status page shows: the last N results with durations and
/// failure messages, since when the status holds, and the uptime.
#[tokio::test(start_paused = true)]
async fn history_keeps_the_last_results_and_the_uptime() {
    use health::Probe;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let up = Arc::new(AtomicBool::new(true));
    let u = Arc::clone(&up);
    let check = Check::new("db", move || {
        let ok = u.load(Ordering::SeqCst);
        async move {
            tokio::time::sleep(Duration::from_millis(3)).await;
            if ok { Ok(()) } else { Err("refused") }
        }
    });
    let registry = Registry::builder()
        .without_declared()
        .check(check)
        .history(5)
        .build()
        .unwrap();
    for minute in 0..8 {
        up.store(minute < 6, Ordering::SeqCst);
        registry.run(Probe::Readiness).await;
        tokio::time::advance(Duration::from_secs(60)).await;
    }
    let history = registry.history();
    let db = &history[0];
    assert_eq!(db.samples.len(), 5, "the last five");
    let statuses: Vec<Status> = db.samples.iter().map(|s| s.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Up,
            Status::Up,
            Status::Up,
            Status::Down,
            Status::Down
        ]
    );
    assert!(
        db.samples
            .iter()
            .all(|s| s.duration >= Duration::from_millis(3))
    );
    assert_eq!(db.samples[4].message.as_deref(), Some("refused"));
    assert_eq!(db.samples[0].message, None, "no message kept for a pass");
    assert!(db.samples.windows(2).all(|w| w[0].at < w[1].at));
    assert_eq!(db.status, Status::Down);
    // DOWN since the seventh run, two minutes (and one run) ago.
    let since = db.since.expect("a status since");
    let ago = std::time::SystemTime::now()
        .duration_since(since)
        .unwrap_or_default();
    assert!(
        ago >= Duration::from_secs(119) && ago <= Duration::from_secs(121),
        "{ago:?}"
    );
    // Up for six of the eight minutes.
    let hour = db.uptime_hour.expect("uptime");
    assert!((hour - 0.75).abs() < 0.01, "{hour}");
    assert!(db.critical && db.probes.contains(Probe::Readiness));
}
