//! [`Later`]: the part of an answer that awaits checks.

use crate::body::{ContentType, View, Visibility};
use crate::endpoints::Endpoints;
use crate::request::Method;
use crate::response::Response;
use crate::route::Resource;
use crate::{trace, ui};
use health_core::Selection;
use std::time::Duration;
use tokio::time::Instant;

/// The part of an answer that awaits checks; owns what it needs, so its
/// future is `'static` and `Send`, for an adapter to box or spawn.
#[derive(Debug)]
#[must_use = "a Later answers nothing until it is responded"]
pub struct Later {
    pub(super) endpoints: Endpoints,
    /// What was asked, for the traces of a failing answer.
    pub(super) resource: Resource,
    pub(super) method: Method,
    pub(super) work: Work,
}

/// What is left to do for a request, once its checks are known.
#[derive(Debug)]
pub(crate) enum Work {
    Probe {
        selection: Selection,
        content_type: ContentType,
        visibility: Visibility,
        /// How long the caller waits.
        timeout: Duration,
    },
    Component {
        name: Box<str>,
        content_type: ContentType,
        visibility: Visibility,
        timeout: Duration,
    },
    Page {
        allowed: bool,
    },
    Data {
        allowed: bool,
    },
    Badge,
}

impl Later {
    /// Runs what the answer waits for, and answers. A failing answer
    /// leaves a `health_request` span in the traces.
    pub async fn respond(self) -> Response {
        let Self {
            endpoints,
            resource,
            method,
            work,
        } = self;
        let response = run(&endpoints, work).await;
        trace::answered(&endpoints, resource, method, &response);
        response
    }
}

/// Runs `work`, and answers.
async fn run(endpoints: &Endpoints, work: Work) -> Response {
    let http = &*endpoints.0;
    let registry = &http.registry;
    match work {
        Work::Probe {
            selection,
            content_type,
            visibility,
            timeout,
        } => {
            let probe = selection.probe();
            let deadline = deadline(timeout);
            if visibility == Visibility::Status {
                // No components to show: none are built. The verdict
                // was not at hand when the request was prepared: run.
                let verdict = registry.verdict_until(selection, deadline).await;
                Response::verdict(content_type, probe, &verdict, &http.balancer)
            } else {
                let report = registry.run_until(selection, deadline).await;
                Response::report(
                    &report,
                    content_type,
                    &View::of(registry, visibility),
                    &http.balancer,
                )
            }
        }
        Work::Component {
            name,
            content_type,
            visibility,
            timeout,
        } => match registry.run_component_until(&name, deadline(timeout)).await {
            Some(report) => Response::report(
                &report,
                content_type,
                &View::of(registry, visibility),
                &http.balancer,
            ),
            None => Response::not_found(),
        },
        Work::Page { allowed } => ui::page(registry, &http.ui, allowed).await,
        Work::Data { allowed } => ui::data(registry, &http.ui, allowed).await,
        Work::Badge => ui::badge(registry).await,
    }
}

/// When the answer is due for a caller waiting `timeout`: a margin before
/// it (a tenth, at most 100 ms) for the bytes to reach the caller.
fn deadline(timeout: Duration) -> Instant {
    let margin = (timeout / 10).min(Duration::from_millis(100));
    Instant::now() + timeout.saturating_sub(margin)
}
