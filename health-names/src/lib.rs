//! The two rules every part of `health` must agree on, in one crate that
//! depends on nothing: the [name rule](problem) of checks and tags, and the
//! [duration grammar](duration) (`"200ms"`, `"1.5s"`, `"1m30s"`).
//!
//! The `#[health_check]` attribute applies them when the user's crate
//! compiles, the registry to checks built at run time, the HTTP routes to
//! component paths, the probe binary to its command line, and every
//! message that states a duration is written by [`duration::format`], so
//! that what one part accepts or writes, every other part reads the same
//! way.
//!
//! ```
//! use std::time::Duration;
//!
//! assert_eq!(health_names::problem("redis.cache-1"), None);
//! let timeout = health_names::duration::parse("1m30s")?;
//! assert_eq!(timeout, Duration::from_secs(90));
//! assert_eq!(health_names::duration::format(timeout).to_string(), "1m30s");
//! # Ok::<(), health_names::duration::DurationError<'static>>(())
//! ```
//!
//! # Layers
//!
//! | module | what | may import |
//! |---|---|---|
//! | `name` | the name rule: [`problem`], [`MAX_LEN`], [`PATTERN`] | core |
//! | [`duration`] | the duration grammar: units, parser, errors, formatter | core |
#![cfg_attr(not(test), no_std)]

pub mod duration;
mod name;

pub use name::{MAX_LEN, PATTERN, problem};
