//! The request pipeline: limits, path rule, method, query, disclosure,
//! then the endpoint's answer (the status page family's from `ui`).

use crate::endpoints::{Endpoints, Inner};
use crate::negotiate::{self, status_body};
use crate::query::{self, Format};
use crate::request::{Method, Request};
use crate::response::{JSON, Response, status_code};
use crate::route::Endpoint;
use crate::ui;
use bytes::Bytes;
use health_core::report::{Render, Report, Visibility};
use health_core::{Probe, Registry, Selection, Status};
use std::time::Duration;

/// The longest request path accepted, in bytes: longer ones get 414.
pub const MAX_PATH: usize = 1024;

impl Endpoints {
    /// Answers `request` for `endpoint`.
    ///
    /// A HEAD request gets the GET answer, body included, so that its
    /// `Content-Length` is the GET body's: the server sends the headers only
    /// (hyper and actix-web do so by themselves; a router-less adapter must).
    pub async fn handle(&self, endpoint: Endpoint, request: &Request<'_>) -> Response {
        respond(&self.0, endpoint, request).await
    }
}

async fn respond(http: &Inner, endpoint: Endpoint, request: &Request<'_>) -> Response {
    let registry = &http.registry;
    if request.path.len() > MAX_PATH || request.query.is_some_and(|q| q.len() > query::MAX_QUERY) {
        return Response::error(414, "the request URI is too long");
    }
    // One rule for every adapter: a path is ours only byte for byte (no
    // percent-decoding, no case folding, no dot or slash normalization),
    // whatever the framework's router forgave.
    if !http
        .routes
        .iter()
        .any(|r| r.endpoint == endpoint && r.serves(request.path))
    {
        return not_found();
    }
    if request.method == Method::Other {
        return Response::error(405, "only GET and HEAD are allowed")
            .with_header("allow", "GET, HEAD");
    }
    let query = match query::parse(request.query) {
        Ok(query) => query,
        Err(message) => return Response::error(400, &message),
    };
    let allowed = http.disclosure.allows(request);
    // A caller who may not see components learns nothing about one: the
    // same refusal whatever the names (no oracle of which exist or fail).
    if !allowed && (!query.exclude.is_empty() || query.tag.is_some()) {
        return Response::error(
            400,
            "`exclude` and `tag` need a caller allowed to see components",
        );
    }
    // The status page family takes no selection and one format each: past
    // the common checks above, `verbose`, `format`, `exclude` and `tag`
    // change nothing there.
    match endpoint {
        Endpoint::Ui => return ui::page(registry, &http.ui, allowed).await,
        Endpoint::UiData => return ui::data(registry, &http.ui, allowed).await,
        Endpoint::Badge => return ui::badge(registry).await,
        _ => {}
    }
    let visibility = match (allowed, query.verbose) {
        (false, _) => Visibility::Status,
        (true, false) => Visibility::Components,
        (true, true) => Visibility::Full,
    };
    let format = negotiate::format(query.format, request.header("accept"));
    let render = Render::new(visibility)
        .version(registry.version())
        // Read only when shown: a clock read per request adds up.
        .uptime((visibility == Visibility::Full).then(|| registry.uptime()));

    let probe = match endpoint {
        Endpoint::Liveness => Probe::Liveness,
        Endpoint::Readiness => Probe::Readiness,
        Endpoint::Startup => Probe::Startup,
        Endpoint::Version => return version(registry),
        // Answered above.
        Endpoint::Ui | Endpoint::UiData | Endpoint::Badge => return not_found(),
        Endpoint::Component => {
            // Unknown, and known to a caller who may not see components,
            // are one answer.
            let name = request.path.rsplit('/').next().unwrap_or_default();
            let report = match allowed {
                true => registry.run_component(name).await,
                false => None,
            };
            return match report {
                Some(report) => report_response(&report, format, &render),
                None => not_found(),
            };
        }
    };
    if probe == Probe::Liveness && http.static_liveness && visibility == Visibility::Status {
        return Response::new(
            200,
            format.content_type(),
            status_body(format, Some(probe), Status::Up),
        );
    }
    let selection = match select(registry, probe, query.exclude, query.tag) {
        Ok(selection) => selection,
        Err(message) => return Response::error(400, &message),
    };
    let (response, retry_after) = if visibility == Visibility::Status {
        // No components to show: none are built.
        let verdict = registry.verdict(selection).await;
        let body = status_body(format, Some(probe), verdict.status);
        let response = Response::new(status_code(verdict.status), format.content_type(), body);
        (response, verdict.retry_after)
    } else {
        let report = registry.run(selection).await;
        (
            report_response(&report, format, &render),
            report.retry_after(),
        )
    };
    match retry_after {
        Some(wait) => response.with_header("retry-after", seconds(wait)),
        None => response,
    }
}

/// The one answer for a path that is not ours, or a component the caller
/// may not know of.
fn not_found() -> Response {
    Response::error(404, "not found")
}

/// The selection `exclude` and `tag` make of `probe`'s checks. Each must
/// name something of this probe, and leave it at least one check: a typo
/// in a probe URL must never select nothing and answer UP forever.
fn select(
    registry: &Registry,
    probe: Probe,
    exclude: Vec<String>,
    tag: Option<String>,
) -> Result<Selection, String> {
    if exclude.is_empty() && tag.is_none() {
        return Ok(Selection::new(probe));
    }
    let of_probe = || {
        registry
            .checks()
            .filter(|c| c.policy().probes().contains(probe))
    };
    if let Some(tag) = &tag
        && !of_probe().any(|c| c.has_tag(tag))
    {
        return Err(format!("no check of the {probe} probe has this `tag`"));
    }
    if exclude
        .iter()
        .any(|name| !of_probe().any(|c| c.name() == name))
    {
        return Err(format!(
            "`exclude` names a check that is not in the {probe} probe"
        ));
    }
    let mut selection = Selection::new(probe).exclude(exclude);
    if let Some(tag) = tag {
        selection = selection.tag(tag);
    }
    if !of_probe().any(|c| selection.keeps(c)) {
        return Err(format!(
            "`exclude` and `tag` leave the {probe} probe with no check"
        ));
    }
    Ok(selection)
}

fn report_response(report: &Report, format: Format, render: &Render<'_>) -> Response {
    let status = report.status();
    let body = match (render.visibility(), format) {
        (Visibility::Status, _) => status_body(format, report.probe(), status),
        (_, Format::Native) => Bytes::from(report.to_json(render)),
        (_, Format::Ietf) => Bytes::from(report.to_ietf_json(render)),
        (_, Format::Text) => Bytes::from(report.to_text(render)),
    };
    Response::new(status_code(status), format.content_type(), body)
}

fn version(registry: &Registry) -> Response {
    let body = serde_json::json!({
        "version": registry.version(),
        "commit": registry.commit(),
        "uptime_seconds": registry.uptime().as_secs(),
        "started_at": health_core::time::rfc3339(registry.started_at()),
    });
    Response::new(
        200,
        JSON,
        Bytes::from(serde_json::to_vec(&body).unwrap_or_default()),
    )
}

/// `Retry-After` in whole seconds, rounded up, at least 1.
fn seconds(wait: Duration) -> String {
    let secs = wait
        .as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0));
    secs.max(1).to_string()
}

#[cfg(test)]
mod tests {
    use super::seconds;
    use std::time::Duration;

    #[test]
    fn retry_after_rounds_up_and_never_overflows() {
        assert_eq!(seconds(Duration::from_millis(1500)), "2");
        assert_eq!(seconds(Duration::ZERO), "1");
        assert_eq!(seconds(Duration::MAX), u64::MAX.to_string());
    }
}
