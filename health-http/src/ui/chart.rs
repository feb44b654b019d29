//! The heartbeat bar and the latency sparkline of a check, as inline SVG.
//! Geometry only: colours come from the stylesheet (CSS classes), so the
//! page needs no `style` attribute. The script draws the same shapes
//! (`assets/page.js`, `bar` and `spark`).

use super::format::{look, ms_text};
use crate::body::write::millis_f64;
use health_core::Status;
use health_core::report::HistorySample;
use std::fmt::Write;

/// The bar has room for at least this many results; newest on the right.
pub(crate) const MIN_SLOTS: usize = 60;
/// Width of one result's slot in the bar, in SVG units (a 4-unit stroke
/// and a gap).
const SLOT: usize = 6;
/// Height of the bar and the sparkline, in SVG units.
const HEIGHT: usize = 20;
/// Width and height of the sparkline, in SVG units: whole numbers suffice.
const SPARK_WIDTH: usize = 600;
const SPARK_HEIGHT: usize = 100;

/// Where a status's bar starts from the top: the height tells the status
/// apart too (full: UP, two thirds: DEGRADED, one third: DOWN, a tick:
/// UNKNOWN), not the colour alone.
const fn top(status: Status) -> usize {
    match status {
        Status::Up | Status::OutOfService => 0,
        Status::Degraded => 7,
        Status::Down => 13,
        Status::Unknown => 17,
    }
}

const ORDER: [Status; 5] = [
    Status::Up,
    Status::Degraded,
    Status::Unknown,
    Status::Down,
    Status::OutOfService,
];

/// The heartbeat bar: one path per status present, one vertical stroke
/// per result; its label counts each status.
pub(crate) fn bar(out: &mut String, samples: &[HistorySample]) {
    let slots = samples.len().max(MIN_SLOTS);
    let width = slots * SLOT;
    let offset = slots - samples.len();
    let mut label = format!("Last {} results, oldest first:", samples.len());
    let mut paths = String::new();
    for status in ORDER {
        let mut count = 0;
        let mut d = String::new();
        for (i, _) in samples
            .iter()
            .enumerate()
            .filter(|(_, s)| s.status == status)
        {
            let x = (offset + i) * SLOT + SLOT / 2;
            let y = top(status);
            let _ = write!(d, "M{x} {y}V{HEIGHT}");
            count += 1;
        }
        if count > 0 {
            let (_, word, class) = look(status);
            let _ = write!(label, " {count} {word},");
            let _ = write!(paths, r#"<path class="{class}" d="{d}"/>"#);
        }
    }
    if samples.is_empty() {
        label.push_str(" none yet");
    }
    let label = label.trim_end_matches(',');
    let _ = write!(
        out,
        r#"<svg class="bar" viewBox="0 0 {width} {HEIGHT}" preserveAspectRatio="none" role="img" aria-label="{label}" data-n="{n}"><rect class="track" width="{width}" height="{HEIGHT}"/>{paths}</svg>"#,
        n = samples.len(),
    );
}

/// The latency sparkline: the last results' durations, scaled to the
/// highest; its label gives the latest and the highest.
pub(crate) fn spark(out: &mut String, samples: &[HistorySample]) {
    let durations: Vec<f64> = samples.iter().map(|s| millis_f64(s.duration)).collect();
    let max = durations.iter().copied().fold(0.0, f64::max);
    let label = match durations.last() {
        Some(last) => format!(
            "Latency of the last {} results: latest {}, highest {}",
            durations.len(),
            ms_text(*last),
            ms_text(max)
        ),
        None => "Latency: no result yet".to_owned(),
    };
    let mut points = String::new();
    let scale = if max > 0.0 { max } else { 1.0 };
    let step = if durations.len() > 1 {
        SPARK_WIDTH as f64 / (durations.len() - 1) as f64
    } else {
        0.0
    };
    for (i, d) in durations.iter().enumerate() {
        let x = (i as f64 * step).round();
        // A margin so the line is never clipped at the edges.
        let y = 4.0 + ((SPARK_HEIGHT as f64 - 8.0) * (1.0 - d / scale)).round();
        let _ = write!(points, "{}{x},{y}", if i == 0 { "" } else { " " });
    }
    let _ = write!(
        out,
        r#"<svg class="spark" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" preserveAspectRatio="none" role="img" aria-label="{label}"><polyline points="{points}"/></svg>"#
    );
}
