//! Parsing `#[health_check(key = value, ...)]` and
//! `#[health_task(key = value, ...)]` into spanned values.
//!
//! The parser never stops at the first mistake: `dispatch.rs` splits the
//! arguments at their top-level commas and parses each one on its own, so
//! a syntax error in one argument does not hide the mistakes in the
//! others, then hands its value to the parser of its key's kind (one file
//! each). Every error is pushed into [`Errors`](crate::errors::Errors) and
//! the user sees all of them at once. Each argument is kept as given
//! (`given.rs`), its key and value with their spans; checks that involve
//! several arguments live in `validate.rs`.

mod critical;
mod dispatch;
mod durations;
mod given;
mod krate;
mod literal;
mod names;
mod probes;
mod restart;
mod threshold;

pub(crate) use dispatch::parse;
pub(crate) use given::Args;
pub(crate) use probes::Probe;
pub(crate) use restart::Restart;
