//! The JSON body of the page's data endpoint: the snapshot the page
//! shows, for its script (and for anyone who wants the history as data).
//!
//! ```json
//! {"generated_at":"2026-11-25T14:05:23.000Z",
//!  "service":{"version":"1.2.3","commit":"abc1234","uptime_seconds":431,"started_at":"..."},
//!  "probes":[{"probe":"readiness","status":"DOWN"},{"probe":"liveness","status":"UP"},{"probe":"startup","status":"UP"}],
//!  "checks":[{"name":"db","status":"DOWN","critical":true,"probes":["readiness"],"tags":["db"],
//!             "since":"2026-11-25T14:02:11.000Z","since_seconds":192,"age_ms":12.5,
//!             "message":"connection refused","uptime_hour":0.95,"uptime_day":0.99,
//!             "samples":[{"at":"...","duration_ms":3.2,"status":"UP"},
//!                        {"at":"...","duration_ms":1.1,"status":"DOWN","message":"connection refused"}]}]}
//! ```
//!
//! `service` is left out where the page leaves it out, `checks` (and each
//! probe's `reason`) for a caller who may not see components.

use super::Snapshot;
use super::format::{ms, since};
use health_core::report::CheckHistory;
use health_core::time::rfc3339;
use serde_json::{Map, Value, json};

/// The body.
pub(crate) fn render(snapshot: &Snapshot) -> Vec<u8> {
    let mut body = Map::new();
    body.insert("generated_at".into(), rfc3339(snapshot.now).into());
    if let Some(service) = &snapshot.service {
        body.insert(
            "service".into(),
            json!({
                "version": service.version,
                "commit": service.commit,
                "uptime_seconds": service.uptime.as_secs(),
                "started_at": rfc3339(service.started_at),
            }),
        );
    }
    let probes: Vec<Value> = snapshot
        .probes
        .iter()
        .map(|(probe, status, reason)| {
            let mut p = json!({ "probe": probe.as_str(), "status": status.as_str() });
            if let (Some(reason), Some(p)) = (reason, p.as_object_mut()) {
                p.insert("reason".into(), reason.as_str().into());
            }
            p
        })
        .collect();
    body.insert("probes".into(), probes.into());
    if let Some(checks) = &snapshot.checks {
        let checks: Vec<Value> = checks.iter().map(|c| check(c, snapshot)).collect();
        body.insert("checks".into(), checks.into());
    }
    serde_json::to_vec(&Value::Object(body)).unwrap_or_default()
}

fn check(check: &CheckHistory, snapshot: &Snapshot) -> Value {
    let samples: Vec<Value> = check
        .samples
        .iter()
        .map(|s| {
            let mut sample = json!({
                "at": rfc3339(s.at),
                "duration_ms": round(ms(s.duration)),
                "status": s.status.as_str(),
            });
            if let (Some(message), Some(sample)) = (&s.message, sample.as_object_mut()) {
                sample.insert("message".into(), message.as_str().into());
            }
            sample
        })
        .collect();
    json!({
        "name": &*check.name,
        "status": check.status.as_str(),
        "critical": check.critical,
        "probes": check.probes.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        "tags": check.tags,
        "since": check.since.map(rfc3339),
        "since_seconds": check.since.map(|at| since(snapshot.now, at).as_secs()),
        "age_ms": check.age.map(|a| round(ms(a))),
        "message": check.message,
        "uptime_hour": check.uptime_hour,
        "uptime_day": check.uptime_day,
        "samples": samples,
    })
}

/// Milliseconds to three decimals: microseconds, no float noise.
fn round(ms: f64) -> f64 {
    (ms * 1e3).round() / 1e3
}
