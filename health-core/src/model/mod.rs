//! The data model: [`Status`], [`Outcome`] and [`Detail`], and the
//! [`IntoOutcome`] conversion from what a check returns.

mod outcome;
mod status;

pub use outcome::{Detail, IntoOutcome, Outcome};
pub use status::Status;
