//! The status page: one self-contained HTML page, the JSON data its script
//! refreshes it from, and an SVG badge of readiness.
//!
//! | file | what |
//! |---|---|
//! | `sha256.rs` | SHA-256 and Base64, for the CSP hashes |
//! | `escape.rs` | the HTML/SVG escaper |
//! | `format.rs` | how statuses, spans, times and shares are written |
//! | `assets.rs` | the embedded stylesheet and script, and the CSP headers made of their hashes |
//! | `chart.rs` | the heartbeat bar and the latency sparkline, as inline SVG |
//! | `page.rs` | the HTML page, rendered on the server |
//! | `data.rs` | the JSON body of the page's data endpoint |
//! | `badge.rs` | the SVG badge |
//! | `settings.rs` | what the page needs to know of the paths |
//! | `snapshot.rs` | what one view shows: the probes' verdicts, then the history |
//! | `serve.rs` | the page, its data and the badge as answers, hardened |
//!
//! Every request takes a [`Snapshot`] and renders it: each probe's
//! verdict, obtained as a probe would (so the registry's caches,
//! intervals, single flight and rate limit apply, and a page view runs no
//! check a probe would not), then, for a caller allowed to see components,
//! every check's history, read after the verdicts so it holds their
//! results. The page and its data are two renderings of one snapshot.

mod assets;
mod badge;
mod chart;
mod data;
mod escape;
mod format;
mod page;
mod serve;
mod settings;
mod sha256;
mod snapshot;

pub(crate) use serve::{badge, badge_of, data, page};
pub(crate) use settings::Settings;
use snapshot::Snapshot;

#[cfg(test)]
mod tests;
