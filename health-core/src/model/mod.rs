//! The data model: [`Status`], [`Outcome`] and [`Observed`], the
//! [`IntoOutcome`] conversion from what a check returns, and the record of
//! a finished execution. `limits` bounds what an outcome carries (used by
//! `outcome` and `observed`, below both).

mod finished;
mod limits;
mod observed;
mod outcome;
mod sample;
mod status;

pub(crate) use finished::Finished;
pub use observed::Observed;
pub use outcome::{IntoOutcome, Outcome};
pub(crate) use sample::Sample;
pub use status::Status;
