//! `Watch`: one shared evaluation loop per watched service, one light
//! stream per call, the caps on open streams, and the signal that ends
//! every stream on shutdown.
//!
//! | file | what |
//! |---|---|
//! | `limits.rs` | [`Gate`]: the caps on open watches (in total, per connection, of unknown names); a permit per open stream |
//! | `hub.rs` | [`Hub`]: one evaluation loop per watched service, started by its first watcher, stopped when the last leaves; a change re-evaluates at once only what needs no check run |
//! | `stream.rs` | [`stream`]: what one call sends: the current status, then each change; `SERVICE_UNKNOWN` for an unknown name |
//! | `ending.rs` | [`Ending`]: when the streams end (drain delay after draining began, or on demand) |

mod ending;
mod hub;
mod limits;
mod stream;

pub(crate) use ending::Ending;
pub(crate) use hub::Hub;
pub(crate) use limits::{Caps, Connection, Gate};
pub(crate) use stream::{WatchStream, stream};
