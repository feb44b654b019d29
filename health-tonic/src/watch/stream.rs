//! What one `Watch` call sends.
//!
//! A known service: its current status at once (the shared loop's latest,
//! or its first evaluation when this is the first watcher), then each
//! change, never the same status twice in a row. An unknown name:
//! `SERVICE_UNKNOWN`, and the stream stays open, as the protocol asks.
//! With components served, a name that could be a check's is followed
//! like a known one: its status comes when a check of that name is added
//! at run time, and `SERVICE_UNKNOWN` again when it is removed; any other
//! name never appears. Either way the stream ends cleanly (status OK) when
//! the watches end (see `ending.rs`).
//!
//! An idle stream holds two `watch` receivers, its [`Permit`] and a small
//! state; it costs no evaluation of its own.

use super::hub::Latest;
use super::limits::Permit;
use crate::proto::{HealthCheckResponse, ServingStatus};
use futures_util::Stream;
use std::pin::Pin;
use tokio::sync::watch;

/// The response stream of one `Watch` call.
pub(crate) type WatchStream =
    Pin<Box<dyn Stream<Item = Result<HealthCheckResponse, tonic::Status>> + Send>>;

/// The stream of one call: `latest` for a known service, `None` for an
/// unknown name; `ended` flips to `true` when the watches end. The stream
/// holds `permit` until it is dropped.
pub(crate) fn stream(
    latest: Option<Latest>,
    ended: watch::Receiver<bool>,
    permit: Permit,
) -> WatchStream {
    let state = Call {
        latest,
        ended,
        sent: None,
        _permit: permit,
    };
    Box::pin(futures_util::stream::unfold(state, |mut call| async move {
        let status = call.next().await?;
        Some((Ok(HealthCheckResponse::new(status)), call))
    }))
}

struct Call {
    latest: Option<Latest>,
    ended: watch::Receiver<bool>,
    /// The last status sent.
    sent: Option<ServingStatus>,
    /// Counts this stream against the caps until it is dropped.
    _permit: Permit,
}

impl Call {
    /// The next status to send; `None` ends the stream.
    async fn next(&mut self) -> Option<ServingStatus> {
        let Call {
            latest,
            ended,
            sent,
            ..
        } = self;
        let Some(latest) = latest else {
            if sent.is_none() {
                *sent = Some(ServingStatus::ServiceUnknown);
                return *sent;
            }
            // Err: the server is gone, which ends the stream too.
            let _ = ended.wait_for(|e| *e).await;
            return None;
        };
        let previous = *sent;
        // A status at hand goes out before the end is noticed: a call
        // made after the end still learns the latest status.
        tokio::select! {
            biased;
            next = latest.wait_for(|s| s.is_some() && *s != previous) => {
                // Err: the loop is gone (it never stops while watched).
                let next = (*next.ok()?)?;
                *sent = Some(next);
                Some(next)
            }
            _ = ended.wait_for(|e| *e) => None,
        }
    }
}
