//! The request pipeline: limits, method, rate limit, query, disclosure,
//! then the endpoint's answer.

use crate::endpoints::{Endpoints, Inner};
use crate::negotiate::{self, status_body};
use crate::query::{self, Format};
use crate::request::{Method, Request};
use crate::response::{JSON, Response, status_code};
use crate::route::Endpoint;
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
    if request.method == Method::Other {
        return Response::error(405, "only GET and HEAD are allowed")
            .with_header("allow", "GET, HEAD");
    }
    if let Some(Err(wait)) = http.buckets[endpoint.index()].as_ref().map(|b| b.take()) {
        return Response::error(429, "too many requests").with_header("retry-after", seconds(wait));
    }
    let query = match query::parse(request.query) {
        Ok(query) => query,
        Err(message) => return Response::error(400, &message),
    };
    if let Err(message) = known_names(registry, &query) {
        return Response::error(400, message);
    }
    let visibility = match (
        http.disclosure.authorizes(request.authorization),
        query.verbose,
    ) {
        (false, _) => Visibility::Status,
        (true, false) => Visibility::Components,
        (true, true) => Visibility::Full,
    };
    let format = negotiate::format(query.format, request.accept);
    let render = Render::new(visibility)
        .version(registry.version())
        // Read only when shown: a clock read per request adds up.
        .uptime((visibility == Visibility::Full).then(|| registry.uptime()));

    let probe = match endpoint {
        Endpoint::Liveness => Probe::Liveness,
        Endpoint::Readiness => Probe::Readiness,
        Endpoint::Startup => Probe::Startup,
        Endpoint::Version => return version(registry),
        Endpoint::Component => {
            let name = request
                .path
                .rsplit('/')
                .next()
                .and_then(query::decode_segment);
            let report = match name {
                Some(name) => registry.run_component(&name).await,
                None => None,
            };
            return match report {
                Some(report) => report_response(&report, format, &render),
                None => Response::error(404, "no such component"),
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
    let mut selection = Selection::new(probe).exclude(query.exclude);
    if let Some(tag) = query.tag {
        selection = selection.tag(tag);
    }
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

/// A tag no check carries, or an excluded name no check has, is a typo: a
/// probe URL selecting nothing would answer UP forever.
fn known_names(registry: &Registry, query: &query::Query) -> Result<(), &'static str> {
    if let Some(tag) = &query.tag
        && !registry.checks().any(|c| c.has_tag(tag))
    {
        return Err("no check has this `tag`");
    }
    if query
        .exclude
        .iter()
        .any(|name| !registry.checks().any(|c| c.name() == name))
    {
        return Err("`exclude` names a check that does not exist");
    }
    Ok(())
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
