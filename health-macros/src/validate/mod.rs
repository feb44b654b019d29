//! Cross-argument checks, and the validated [`Check`] or [`Task`] for
//! `expand/`.
//!
//! Each runs the argument checks, then the function's (`item.rs`). Every
//! check runs, whatever the others found, so one build shows every
//! mistake; each error points at the token to change. A mistake in the
//! arguments still gives a [`Check`] or [`Task`], with the default in
//! place of what was wrong, so the expansion's type checks (a future that
//! is not `Send`, a return type of the wrong kind) report in the same
//! build.
//!
//! | file | what |
//! |---|---|
//! | `common.rs` | what a check and a task share: the crate path, name, tags, criticality, probes, the function |
//! | `check.rs` | `#[health_check]`: timeout, cache, interval, threshold |
//! | `task.rs` | `#[health_task]`: stall detection and the heartbeat, restart and backoff |

mod check;
mod common;
mod task;

pub(crate) use check::{Check, DEFAULT_TIMEOUT_NANOS, check};
pub(crate) use common::Common;
pub(crate) use task::{Task, task};
