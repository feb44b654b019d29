//! What a probe run produces, as data: a [`Report`] of [`Component`]s,
//! and each check's recent past ([`CheckHistory`]). Protocols read it and
//! write their own answers (bodies are `health-http`'s, statuses on the
//! wire `health-tonic`'s): nothing here knows a format.
//!
//! | file | what |
//! |---|---|
//! | `clock.rs` | the times a report is made with (crate-private) |
//! | `component.rs` | [`Component`]: one check's part of a report |
//! | `aggregate.rs` | [`Report`] and [`aggregate`]: the verdict over components |
//! | `history.rs` | [`CheckHistory`], [`HistorySample`]: a check's last results and uptime |

mod aggregate;
mod clock;
mod component;
mod history;

pub(crate) use aggregate::aggregate_statuses;
pub use aggregate::{Report, aggregate};
pub(crate) use clock::Clock;
pub use component::Component;
pub use history::{CheckHistory, HistorySample};
