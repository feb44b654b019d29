//! Kubernetes-style text lines (`text/plain`): `[+]db ok`,
//! `[-]redis failed: ...`, then the verdict.

use super::View;
use health_core::Status;
use health_core::hygiene::sanitize;
use health_core::report::Report;
use std::fmt::Write;

/// The text body of `report`: with components visible one line per
/// component (`[+]db ok`, `[-]redis failed`; with
/// [`Visibility::Full`](super::Visibility::Full) `[-]redis failed:
/// connection refused`), then a verdict line such as
/// `readiness check passed`.
pub(crate) fn text(report: &Report, view: &View<'_>) -> String {
    let mut out = String::new();
    if view.components() {
        for c in report.components() {
            let (mark, word) = match c.status() {
                Status::Up => ('+', "ok"),
                Status::Degraded => ('+', "degraded"),
                Status::Unknown => ('-', "unknown"),
                Status::Down | Status::OutOfService => ('-', "failed"),
            };
            let _ = write!(out, "[{mark}]{} {word}", c.name());
            if let (true, false, Some(m)) = (view.full(), c.status() == Status::Up, c.message()) {
                let _ = write!(out, ": {}", sanitize(m));
            }
            out.push('\n');
        }
        if let Some(reason) = report.reason().filter(|_| view.full()) {
            let _ = writeln!(
                out,
                "[-]lifecycle {}: {}",
                report.status(),
                sanitize(reason)
            );
        }
    }
    let what = report.probe().map_or("health", |p| p.as_str());
    let verdict = if report.status().is_serving() {
        "passed"
    } else {
        "failed"
    };
    let _ = writeln!(out, "{what} check {verdict}");
    out
}
