//! The answers left in the application's traces: a failing one as a span
//! of its own, a healthy one not at all.
//!
//! The application leaves probes out of its request spans
//! ([`Endpoints::is_probe`]); what it would lose, the failures, the
//! contract puts back here, once for every adapter and the probe listener.

use crate::endpoints::Endpoints;
use crate::request::Method;
use crate::response::Response;
use crate::route::Resource;

/// Whether a prober reads `response` as a failure: any status outside 2xx
/// (503 for DOWN, UNKNOWN, OUT_OF_SERVICE; a balancer's own code such as
/// Consul's 429; every refusal: 400, 404, 405, 414, 421).
fn is_failure(response: &Response) -> bool {
    !(200..300).contains(&response.status())
}

/// Leaves `response`, the answer to a `method` request for `resource`, in
/// the traces if it is a failure: a `health_request` span. A healthy
/// answer costs one comparison.
#[inline]
pub(crate) fn answered(
    endpoints: &Endpoints,
    resource: Resource,
    method: Method,
    response: &Response,
) {
    if is_failure(response) {
        failure(endpoints, resource, method, response.status());
    }
}

/// The span of a failing answer: INFO, in the current span if there is
/// one (the request's, when the application traces probes), else a root
/// span (its trace of its own). Fields as OpenTelemetry's HTTP server
/// spans name them, read by `tracing-opentelemetry`: `otel.kind` server,
/// `otel.status_code` ERROR for a 5xx (a 4xx is the caller's mistake,
/// status unset), `http.route` the endpoint's path pattern (bounded: never
/// a name a caller typed). Created and closed at once: it stands for the
/// answer, not for the time the checks took (each execution has its
/// `health_check` span).
#[cold]
#[inline(never)]
fn failure(endpoints: &Endpoints, resource: Resource, method: Method, status: u16) {
    let route = endpoints
        .routes()
        .iter()
        .find(|route| route.resource == resource)
        .map(|route| route.path.as_str());
    let method = match method {
        Method::Get => "GET",
        Method::Head => "HEAD",
        // OpenTelemetry's name for a method it does not know.
        Method::Other => "_OTHER",
    };
    // Every field at creation: a span with no `record` after it.
    let error = (status >= 500).then_some("ERROR");
    let _span = tracing::info_span!(
        "health_request",
        otel.kind = "server",
        otel.status_code = error,
        http.request.method = method,
        http.route = route,
        http.response.status_code = status,
    );
}

#[cfg(test)]
mod tests {
    use super::is_failure;
    use crate::response::Response;

    #[test]
    fn only_2xx_answers_are_healthy() {
        assert!(!is_failure(&Response::new(
            200,
            crate::body::ContentType::Json,
            bytes::Bytes::new()
        )));
        for status in [400, 404, 405, 414, 421, 429, 503] {
            assert!(is_failure(&Response::error(status, "x")), "{status}");
        }
    }
}
