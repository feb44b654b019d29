//! Kubernetes-style text lines (`[+]db ok`, `[-]redis failed: ...`).

use super::{Render, Report};
use crate::model::Status;
use crate::text::sanitize;
use std::fmt::Write;

impl Report {
    /// Kubernetes-style text: with components visible one line per
    /// component (`[+]db ok`, `[-]redis failed`; with
    /// [`Visibility::Full`](super::Visibility::Full) `[-]redis failed:
    /// connection refused`), then a verdict line such as
    /// `readiness check passed`.
    pub fn to_text(&self, render: &Render<'_>) -> String {
        let mut out = String::new();
        if render.components() {
            for c in &self.components {
                let (mark, word) = match c.status() {
                    Status::Up => ('+', "ok"),
                    Status::Degraded => ('+', "degraded"),
                    Status::Unknown => ('-', "unknown"),
                    Status::Down | Status::OutOfService => ('-', "failed"),
                };
                let _ = write!(out, "[{mark}]{} {word}", c.name);
                if let (true, false, Some(m)) =
                    (render.full(), c.status() == Status::Up, c.message())
                {
                    let _ = write!(out, ": {}", sanitize(m));
                }
                out.push('\n');
            }
            if let Some(reason) = self.reason.as_deref().filter(|_| render.full()) {
                let _ = writeln!(out, "[-]lifecycle {}: {}", self.status, sanitize(reason));
            }
        }
        let what = self.probe.map_or("health", |p| p.as_str());
        let verdict = if self.status.is_serving() {
            "passed"
        } else {
            "failed"
        };
        let _ = writeln!(out, "{what} check {verdict}");
        out
    }
}
