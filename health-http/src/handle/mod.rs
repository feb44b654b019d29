//! The request pipeline: what a request needs, then its answer.
//!
//! | file | what |
//! |---|---|
//! | `prepare.rs` | [`Endpoints::answer`](crate::Endpoints::answer): limits, path rule, method, query, disclosure; the answer at once, or the work left |
//! | `later.rs` | [`Later`]: the work left, run and answered |
//! | `answer.rs` | [`Answer`] and its future [`Responding`] |

mod answer;
mod later;
mod prepare;

pub use answer::{Answer, Responding};
pub use later::Later;
pub(crate) use later::Work;
pub use prepare::MAX_PATH;
