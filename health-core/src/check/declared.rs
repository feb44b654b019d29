//! Registration of `#[health_check]` functions before `main`.
//!
//! The attribute emits one `static` [`Declared`] through [`declare!`]
//! (`inventory::submit!`); `inventory` gathers them from every linked object
//! file. The descriptor holds a plain function pointer that returns a boxed
//! future, as a `static` cannot hold an `async fn`.
//!
//! One trap: rustc links a dependency only if the code names it. Checks
//! declared in a library crate that the binary never names (no `use`, no
//! call) vanish silently. Name it with `use that_crate as _;`, and enable
//! `#![warn(unused_crate_dependencies)]` to be told where this is needed.

use super::state::{State, StateReq};
use super::{Check, CheckFuture, Location, Policy};
use std::borrow::Cow;
use std::sync::Arc;

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

inventory::collect!(Declared);

/// Registers a [`Declared`] (or a `#[health_task]`'s descriptor): the one
/// place that knows the registration mechanism, so the attributes'
/// expansions do not. Not public API.
#[doc(hidden)]
#[macro_export]
macro_rules! __health_declare {
    ($declared:expr) => {
        $crate::__private::inventory::submit! { $declared }
    };
}

impl Declared {
    fn to_check(&'static self) -> Check {
        Check {
            name: Arc::from(self.name),
            tags: self.tags.iter().map(|t| Cow::Borrowed(*t)).collect(),
            policy: self.policy,
            location: self.location,
            requires: Cow::Borrowed(self.requires),
            run: Arc::new(self.run),
            blocking: self.blocking,
            inline: false,
        }
    }
}

/// Every declared check in the linked binary, in no particular order.
pub(crate) fn all() -> impl Iterator<Item = Check> {
    inventory::iter::<Declared>
        .into_iter()
        .map(Declared::to_check)
}
