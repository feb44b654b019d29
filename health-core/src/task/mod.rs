//! Supervised background tasks: a queue consumer, a cache refresher, an
//! outbox sweeper, each a component of the registry. [`Check::task`] makes
//! the component and its [`Supervisor`]; [`Supervisor::spawn`] runs the
//! task under a [`Restart`] policy. `#[health_task]` declares one: it is
//! registered before `main`, and every registry built starts it.
//!
//! | the task | the component |
//! |---|---|
//! | not spawned yet | UNKNOWN "not started" |
//! | running, its [`Heartbeat`](crate::Heartbeat) touched within `stall_after` | UP |
//! | running, no touch within `stall_after` (an await that never returns) | DOWN "stalled for 45.2s (no progress within 30s)" |
//! | returned (`Ok` or `Err`) | DOWN "exited: ..." |
//! | panicked | DOWN "panicked" (the payload to the log only, redacted) |
//! | waiting to restart | DOWN "restarting (restart 3 in 1.6s) after: ..." |
//! | stopped at the end of the drain | UP "stopped: drained" |
//!
//! Restarts are counted in the component's `restarts` detail. The
//! supervisor runs the component whenever the task's state changes and
//! when it stalls, so probes, gRPC `Watch` streams and listeners see it at
//! once.
//!
//! | file | what |
//! |---|---|
//! | `restart.rs` | [`Restart`] and [`Backoff`]: when a task is started again |
//! | `supervisor.rs` | [`Check::task`], the [`Supervisor`] and its loop, which the registry starts (`Supervisor::spawn`, declared tasks) |
//! | `declared.rs` | the descriptors `#[health_task]` registers |
//!
//! This module sits below the registry: the loop reaches the registry
//! only through the `Host` it is given (run the component, resolve at
//! the end of the drain), so the registry can start declared tasks when
//! it is built.
//!
//! [`Check::task`]: crate::Check::task

pub(crate) mod declared;
mod restart;
mod supervisor;

pub(crate) use restart::DEFAULT_JITTER;
pub use restart::{Backoff, Restart};
pub(crate) use supervisor::Host;
pub use supervisor::Supervisor;
