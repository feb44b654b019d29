//! Every body the contract writes, with its media type beside it: the
//! [`ContentType`] names each format, and the format's writer lives next
//! to it. The report data comes from `health-core` (a [`Report`] and its
//! [`Component`]s); nothing else in the workspace writes a body.
//!
//! | file | what |
//! |---|---|
//! | `media.rs` | [`ContentType`]: the media types, and which probe format a request asks for |
//! | `view.rs` | how much a body shows to whom ([`Visibility`], [`View`]) |
//! | `rfc3339.rs` | wall-clock times as every body writes them |
//! | `write.rs` | the one JSON writer every JSON body uses |
//! | `json.rs` | the probes' own JSON body (`application/json`) |
//! | `health_json.rs` | the IETF draft's body (`application/health+json`) |
//! | `text.rs` | Kubernetes-style text lines (`text/plain`) |
//! | `status.rs` | the constant status-only bodies of the three |
//! | `version.rs` | the `/version` body |
//! | `error_json.rs` | a refusal's `{"error":"..."}` |
//!
//! The status page's HTML, data and badge are written by `ui`, with the
//! same JSON writer.
//!
//! [`Report`]: health_core::report::Report
//! [`Component`]: health_core::report::Component

mod error_json;
mod health_json;
mod json;
mod media;
mod rfc3339;
mod status;
mod text;
mod version;
mod view;
pub(crate) mod write;

pub(crate) use error_json::error_json;
pub(crate) use health_json::health_json;
pub(crate) use json::json;
pub use media::ContentType;
pub(crate) use rfc3339::{rfc3339, write_rfc3339};
pub(crate) use status::status_only;
pub(crate) use text::text;
pub(crate) use version::version;
pub(crate) use view::{View, Visibility};
