//! A report's bodies, as the HTTP contract answers them: JSON, IETF
//! health+json, Kubernetes-style text; for a caller allowed to see
//! components, with `?verbose` or without, and for an anonymous one.

// Test helpers too may unwrap: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use health::http::{ContentType, Disclosure, Endpoints, Method, Request, Resource, Response};
use health::{Check, Observed, Outcome, Probe, Registry, Status};
use serde_json::Value;
use std::time::Duration;

/// How much a caller sees: the overall status only (anonymous), the
/// components (allowed), everything (allowed, `?verbose`).
#[derive(Clone, Copy)]
enum Seen {
    Status,
    Components,
    Full,
}

/// The readiness answer of `registry` for a caller who sees `seen`, in
/// `format` (`?format=`, or none).
async fn ready(registry: &Registry, seen: Seen, format: Option<&str>) -> Response {
    let disclosure = match seen {
        Seen::Status => Disclosure::never(),
        Seen::Components | Seen::Full => Disclosure::always(),
    };
    let endpoints = Endpoints::builder(registry.clone())
        .disclosure(disclosure)
        .build()
        .unwrap();
    let verbose = matches!(seen, Seen::Full).then_some("verbose");
    let format = format.map(|f| format!("format={f}"));
    let query = [verbose.map(str::to_owned), format]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("&");
    let request = Request::new(Method::Get, "/ready")
        .query(Some(&query).filter(|q| !q.is_empty()).map(String::as_str));
    endpoints.handle(Resource::Readiness, &request).await
}

async fn json_body(registry: &Registry, seen: Seen, format: Option<&str>) -> Value {
    json(ready(registry, seen, format).await.body())
}

async fn text(registry: &Registry, seen: Seen) -> String {
    let response = ready(registry, seen, Some("text")).await;
    assert_eq!(
        response.header("content-type"),
        Some(ContentType::Text.as_str())
    );
    String::from_utf8(response.body().to_vec()).unwrap()
}

/// A registry whose readiness report is DEGRADED, with a message, an
/// observed value and details.
async fn report() -> Registry {
    let reg = Registry::builder()
        .without_declared()
        .check(Check::new("db", || async { Ok::<(), std::io::Error>(()) }).with_tags(["sql"]))
        .check(
            Check::new("redis", || async {
                Err::<(), _>("connection refused\r\n\u{1b}[31mpassword=hunter2 at line 3")
            })
            .with_critical(false),
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
    assert_eq!(reg.run(Probe::Readiness).await.status(), Status::Degraded);
    reg
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

#[tokio::test]
async fn native_json_with_details() {
    let report = report().await;
    let body = json_body(&report, Seen::Full, None).await;
    assert_eq!(body["status"], "DEGRADED");
    assert_eq!(body["version"], "1.2.3");
    assert!(body["uptime_seconds"].is_u64());
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
    let redis = &body["components"]["redis"];
    assert_eq!(redis["status"], "DOWN");
    assert_eq!(redis["critical"], false);
    assert_eq!(
        redis["message"], "connection refused   [31mpassword=*** at line 3",
        "control characters stripped, the password glued to the escape redacted"
    );
    assert!(redis["duration_ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(redis["age_ms"], 0.0, "a result of the run just made");
    assert_eq!(body["components"]["db"]["tags"], serde_json::json!(["sql"]));
    assert_eq!(body["components"]["disk"]["observed_value"], 1024);
    assert_eq!(body["components"]["disk"]["observed_unit"], "MiB");
    assert_eq!(body["components"]["lag"]["details"]["seconds"], 12);
    assert!(body["components"]["db"].get("message").is_none());
}

#[tokio::test]
async fn without_details_only_the_status_is_shown() {
    let report = report().await;
    let body = json_body(&report, Seen::Status, None).await;
    let keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["status"]);
    let ietf = ready(&report, Seen::Status, Some("ietf")).await;
    assert_eq!(json(ietf.body()), serde_json::json!({"status": "warn"}));
    assert_eq!(ietf.header("content-type"), Some("application/health+json"));
    assert_eq!(
        text(&report, Seen::Status).await,
        "readiness check passed\n"
    );
}

#[tokio::test]
async fn ietf_health_json() {
    let report = report().await;
    let response = ready(&report, Seen::Full, Some("ietf")).await;
    assert_eq!(
        response.header("content-type"),
        Some("application/health+json")
    );
    let body = json(response.body());
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
    let text = text(&report, Seen::Full).await;
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines[0], "[+]db ok");
    assert_eq!(lines[1], "[+]disk ok");
    assert_eq!(lines[2], "[+]lag degraded: replica lag");
    assert!(lines[3].starts_with("[-]redis failed: connection refused"));
    assert_eq!(lines[4], "readiness check passed");
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
    let body = json_body(&reg, Seen::Full, None).await;
    let message = body["components"]["big"]["message"].as_str().unwrap();
    assert_eq!(message.chars().count(), health::MAX_MESSAGE_CHARS);
    assert!(message.ends_with('…'));
}

#[tokio::test]
async fn components_visibility_shows_statuses_but_no_messages() {
    let report = report().await;
    let body = json_body(&report, Seen::Components, None).await;
    assert_eq!(
        body["components"]["redis"],
        serde_json::json!({"status": "DOWN", "critical": false})
    );
    assert!(body.get("version").is_none());
    let text = text(&report, Seen::Components).await;
    assert!(
        text.contains("[-]redis failed\n") && !text.contains("refused"),
        "{text}"
    );
    let ietf = json_body(&report, Seen::Components, Some("ietf")).await;
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
        .history_capacity(5)
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
