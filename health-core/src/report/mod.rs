//! What a probe run produces: a [`Report`] of [`Component`]s, and its
//! renderings.
//!
//! | file | what |
//! |---|---|
//! | `model.rs` | [`Report`], [`Component`] and [`aggregate`]: the data |
//! | `history.rs` | [`CheckHistory`]: a check's last results and uptime, for status pages |
//! | `render.rs` | [`Render`] and [`Visibility`]: how much a rendering shows |
//! | `json.rs` | JSON written by hand: escaping as serde_json's, constant keys as they are |
//! | `native.rs` | the native JSON body |
//! | `ietf.rs` | the IETF "Health Check Response Format" draft body |
//! | `text.rs` | Kubernetes-style text lines |

mod history;
mod ietf;
mod json;
mod model;
mod native;
mod render;
mod text;

pub(crate) use history::Past;
pub use history::{CheckHistory, HistorySample};
pub(crate) use model::{Clock, aggregate_statuses};
pub use model::{Component, Report, aggregate};
pub use render::{Render, Visibility};
