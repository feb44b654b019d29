//! Running checks: every selected check concurrently, each bounded by its
//! timeout, isolated from panics, executed at most once at a time.
//!
//! | file | what |
//! |---|---|
//! | `selection.rs` | running a selection: results at hand, the rest awaited together |
//! | `slot.rs` | one check's cell: single flight, cache, rate limit, threshold, latest result |
//! | `execution.rs` | one execution: timeout, panic isolation, span |
//! | `join.rs` | awaiting many check futures at once, cheaply |
//! | `later.rs` | an instant after another, never overflowing |
//! | `history.rs` | a check's last results and uptime counters |
//! | `home.rs` | the runtime checks run on: the application's |

mod execution;
mod history;
mod home;
mod join;
mod later;
mod selection;
mod slot;

pub(crate) use home::Home;
pub(crate) use later::later;
pub(crate) use selection::{Results, Slots, at_hand, latest, refresh, run_until};
pub(crate) use slot::Slot;
