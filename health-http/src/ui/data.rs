//! The JSON body of the page's data endpoint: the snapshot the page
//! shows, for its script (and for anyone who wants the history as data).
//!
//! ```json
//! {"generated_at":"2026-11-25T14:05:23.000Z",
//!  "service":{"version":"1.2.3","commit":"abc1234","uptime_seconds":431,"started_at":"..."},
//!  "probes":[{"probe":"readiness","status":"DOWN"},{"probe":"liveness","status":"UP"},{"probe":"startup","status":"UP"}],
//!  "checks":[{"name":"db","status":"DOWN","slow_ms":500.0,"slow":true,"critical":true,"probes":["readiness"],"tags":["db"],
//!             "since":"2026-11-25T14:02:11.000Z","since_seconds":192,"age_ms":12.5,
//!             "message":"connection refused","uptime_hour":0.95,"uptime_day":0.99,
//!             "samples":[{"at":"...","duration_ms":3.2,"status":"UP"},
//!                        {"at":"...","duration_ms":1.1,"status":"DOWN","message":"connection refused"}]}]}
//! ```
//!
//! `service` is left out where the page leaves it out, `checks` (and each
//! probe's `reason`) for a caller who may not see components. Written
//! with the bodies' one JSON writer rather than through
//! `serde_json::Value`: 1200 results would otherwise cost thousands of
//! small maps per request.

use super::Snapshot;
use super::format::since;
use crate::body::write as json;
use health_core::hygiene::sanitize;
use health_core::report::CheckHistory;

/// The body.
pub(crate) fn render(snapshot: &Snapshot) -> Vec<u8> {
    let samples = snapshot
        .checks
        .as_ref()
        .map_or(0, |c| c.iter().map(|c| c.samples.len()).sum::<usize>());
    let mut out = Vec::with_capacity(512 + samples * 90);
    out.extend_from_slice(b"{\"generated_at\":");
    json::time(&mut out, snapshot.now);
    if let Some(service) = &snapshot.service {
        out.extend_from_slice(b",\"service\":{\"version\":");
        json::optional_string(&mut out, service.version.as_deref());
        out.extend_from_slice(b",\"commit\":");
        json::optional_string(&mut out, service.commit.as_deref());
        out.extend_from_slice(b",\"uptime_seconds\":");
        json::unsigned(&mut out, service.uptime.as_secs());
        out.extend_from_slice(b",\"started_at\":");
        json::time(&mut out, service.started_at);
        out.push(b'}');
    }
    out.extend_from_slice(b",\"probes\":[");
    for (i, (probe, status, reason)) in snapshot.probes.iter().enumerate() {
        json::comma(&mut out, i);
        out.extend_from_slice(b"{\"probe\":");
        json::plain_string(&mut out, probe.as_str());
        out.extend_from_slice(b",\"status\":");
        json::plain_string(&mut out, status.as_str());
        if let Some(reason) = reason {
            out.extend_from_slice(b",\"reason\":");
            json::string(&mut out, reason);
        }
        out.push(b'}');
    }
    out.push(b']');
    if let Some(checks) = &snapshot.checks {
        out.extend_from_slice(b",\"checks\":[");
        for (i, c) in checks.iter().enumerate() {
            json::comma(&mut out, i);
            check(&mut out, c, snapshot);
        }
        out.push(b']');
    }
    out.push(b'}');
    out
}

fn check(out: &mut Vec<u8>, check: &CheckHistory, snapshot: &Snapshot) {
    out.extend_from_slice(b"{\"name\":");
    json::plain_string(out, &check.name);
    out.extend_from_slice(b",\"status\":");
    json::plain_string(out, check.status.as_str());
    out.extend_from_slice(b",\"slow_ms\":");
    json::millis(out, check.slow_after);
    if check.slow {
        out.extend_from_slice(b",\"slow\":true");
    }
    out.extend_from_slice(if check.critical {
        b",\"critical\":true,\"probes\":["
    } else {
        b",\"critical\":false,\"probes\":["
    });
    for (i, probe) in check.probes.iter().enumerate() {
        json::comma(out, i);
        json::plain_string(out, probe.as_str());
    }
    out.extend_from_slice(b"],\"tags\":[");
    for (i, tag) in check.tags.iter().enumerate() {
        json::comma(out, i);
        json::string(out, tag);
    }
    out.extend_from_slice(b"],\"since\":");
    match check.since {
        Some(at) => {
            json::time(out, at);
            out.extend_from_slice(b",\"since_seconds\":");
            json::unsigned(out, since(snapshot.now, at).as_secs());
        }
        None => out.extend_from_slice(b"null,\"since_seconds\":null"),
    }
    out.extend_from_slice(b",\"age_ms\":");
    match check.age {
        Some(age) => json::millis(out, age),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"message\":");
    json::optional_string(out, check.message.as_deref());
    out.extend_from_slice(b",\"uptime_hour\":");
    json::share(out, check.uptime_hour);
    out.extend_from_slice(b",\"uptime_day\":");
    json::share(out, check.uptime_day);
    out.extend_from_slice(b",\"samples\":[");
    // A failure repeats its message run after run: sanitise each distinct
    // one once.
    let mut last: Option<(&str, String)> = None;
    for (i, s) in check.samples.iter().enumerate() {
        json::comma(out, i);
        out.extend_from_slice(b"{\"at\":");
        json::time(out, s.at);
        out.extend_from_slice(b",\"duration_ms\":");
        json::millis(out, s.duration);
        out.extend_from_slice(b",\"status\":");
        json::plain_string(out, s.status.as_str());
        if let Some(message) = s.message.as_deref() {
            let clean = match &last {
                Some((raw, clean)) if *raw == message => clean.clone(),
                _ => sanitize(message).into_owned(),
            };
            out.extend_from_slice(b",\"message\":");
            json::string(out, &clean);
            last = Some((message, clean));
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
}

#[cfg(test)]
mod tests {
    use super::super::snapshot::{Service, Snapshot};
    use health_core::report::CheckHistory;
    use health_core::{Check, Probe, Registry, Status};
    use std::time::{Duration, SystemTime};

    /// The body is JSON, and holds what the page shows.
    #[tokio::test]
    async fn valid_json_of_everything() {
        let registry = Registry::builder()
            .without_declared()
            .check(Check::new("db", || async {
                Err::<(), _>(std::io::Error::other("bad \"quote\"\n\u{202e}x"))
            }))
            .build()
            .unwrap();
        registry.run(Probe::Readiness).await;
        registry.run(Probe::Readiness).await;
        let checks: Vec<CheckHistory> = registry.history();
        let snapshot = Snapshot {
            now: SystemTime::now(),
            probes: [
                (Probe::Readiness, Status::Down, Some("why \"not\"".into())),
                (Probe::Liveness, Status::Up, None),
                (Probe::Startup, Status::Up, None),
            ],
            service: Some(Service {
                version: Some("1.2.3".into()),
                commit: None,
                uptime: Duration::from_secs(61),
                started_at: SystemTime::UNIX_EPOCH,
            }),
            checks: Some(checks),
        };
        let body: serde_json::Value = serde_json::from_slice(&super::render(&snapshot)).unwrap();
        assert_eq!(body["probes"][0]["reason"], "why \"not\"");
        assert_eq!(body["service"]["commit"], serde_json::Value::Null);
        assert_eq!(body["service"]["uptime_seconds"], 61);
        assert_eq!(body["service"]["started_at"], "1970-01-01T00:00:00.000Z");
        let db = &body["checks"][0];
        assert_eq!(db["name"], "db");
        assert_eq!(db["probes"], serde_json::json!(["readiness"]));
        assert_eq!(db["tags"], serde_json::json!([]));
        assert!(db["since"].as_str().unwrap().ends_with('Z'));
        assert!(db["since_seconds"].is_u64());
        assert!(db["age_ms"].is_f64());
        let samples = db["samples"].as_array().unwrap();
        assert_eq!(samples.len(), 2);
        // Sanitised: no newline, no bidi override.
        for sample in samples {
            assert_eq!(sample["message"], "bad \"quote\"  x");
            assert_eq!(sample["status"], "DOWN");
            assert!(sample["duration_ms"].is_number());
        }
    }
}
