//! Link-time registration of `#[health_check]` functions.
//!
//! The attribute emits one `static` [`Declared`] into the distributed slice
//! [`DECLARED`]; linkme gathers them from every linked object file. linkme
//! cannot register an `async fn` directly, so the descriptor holds a plain
//! function pointer that returns a boxed future.
//!
//! One trap: rustc links a dependency only if the code names it. Checks
//! declared in a library crate that the binary never names (no `use`, no
//! call) vanish silently. Name it with `use that_crate as _;`, and enable
//! `#![warn(unused_crate_dependencies)]` to be told where this is needed.

use super::{Check, CheckFuture, Policy};
use crate::state::{State, StateReq};
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// Every `#[health_check]` in the linked binary.
#[linkme::distributed_slice]
pub static DECLARED: [Declared];

/// A source location: where a check was declared or built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The file, as `file!()` gives it.
    pub file: &'static str,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl Location {
    #[track_caller]
    pub(crate) fn caller() -> Self {
        let l = std::panic::Location::caller();
        Self {
            file: l.file(),
            line: l.line(),
            column: l.column(),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The descriptor `#[health_check]` registers. Not public API.
#[doc(hidden)]
pub struct Declared {
    pub name: &'static str,
    pub tags: &'static [&'static str],
    pub policy: Policy,
    pub location: Location,
    pub requires: &'static [StateReq],
    pub run: fn(&State) -> CheckFuture,
    /// A plain `fn`: its run function calls `run_blocking`.
    pub blocking: bool,
}

impl Declared {
    pub(crate) fn to_check(&'static self) -> Check {
        Check {
            name: Arc::from(self.name),
            tags: self.tags.iter().map(|t| Cow::Borrowed(*t)).collect(),
            policy: self.policy,
            location: self.location,
            requires: Cow::Borrowed(self.requires),
            run: Arc::new(self.run),
            blocking: self.blocking,
        }
    }
}

/// Every declared check in the linked binary, in no particular order.
pub(crate) fn all() -> impl Iterator<Item = Check> {
    DECLARED.iter().map(Declared::to_check)
}
