//! `Watch`: one shared evaluation loop per watched service, one light
//! stream per call, and the signal that ends every stream on shutdown.
//!
//! | file | what |
//! |---|---|
//! | `hub.rs` | [`Hub`]: one evaluation loop per watched service, started by its first watcher, stopped when the last leaves |
//! | `stream.rs` | [`stream`]: what one call sends: the current status, then each change; `SERVICE_UNKNOWN` for an unknown name |
//! | `ending.rs` | [`Ending`]: when the streams end (drain delay after draining began, or on demand) |

mod ending;
mod hub;
mod stream;

pub(crate) use ending::Ending;
pub(crate) use hub::Hub;
pub(crate) use stream::{WatchStream, stream};
