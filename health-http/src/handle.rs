//! The request pipeline: limits, path rule, method, query, disclosure,
//! then the endpoint's answer (the status page family's from `ui`).

use crate::endpoints::{Endpoints, Inner};
use crate::negotiate::{self, status_body};
use crate::query::{self, Format};
use crate::request::{Method, Request};
use crate::response::{ContentType, Response, status_code};
use crate::route::Endpoint;
use crate::ui;
use bytes::Bytes;
use health_core::report::{Render, Report, Visibility};
use health_core::{Probe, Registry, Selection, Status, Verdict};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// The longest request path accepted, in bytes: longer ones get 414.
pub const MAX_PATH: usize = 1024;

impl Endpoints {
    /// Answers `request` for `endpoint`.
    ///
    /// A HEAD request gets the GET answer, body included, so that its
    /// `Content-Length` is the GET body's: the server sends the headers only
    /// (hyper and actix-web do so by themselves; a router-less adapter must).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use health_http::{Endpoint, Endpoints, Method, Request};
    /// let endpoints = Endpoints::new(health_core::Registry::builder().without_declared().build()?)?;
    /// let response = endpoints.handle(Endpoint::Readiness, &Request::new(Method::Get, "/ready")).await;
    /// assert_eq!(response.status(), 200);
    /// # Ok(()) }
    /// ```
    pub async fn handle(&self, endpoint: Endpoint, request: &Request<'_>) -> Response {
        self.answer(endpoint, request).await
    }

    /// Answers `request` for `endpoint` at once when nothing has to run or
    /// be waited for (a path that is not ours, a bad query, liveness with
    /// no checks, a probe over cached checks, a drain...), or else says
    /// what is left to do, owning all it needs: an adapter returns the
    /// first without a future, and boxes or awaits the second.
    /// [`handle`](Self::handle) is both in one.
    ///
    /// ```
    /// use health_http::{Answer, Endpoint, Endpoints, Method, Request};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let endpoints = Endpoints::new(health_core::Registry::builder().without_declared().build()?)?;
    /// let request = Request::new(Method::Get, "/health");
    /// let response = match endpoints.answer(Endpoint::Liveness, &request) {
    ///     Answer::Now(response) => response,
    ///     Answer::Later(later) => later.respond().await,
    /// };
    /// assert_eq!(response.status(), 200);
    /// # Ok(()) }
    /// ```
    pub fn answer(&self, endpoint: Endpoint, request: &Request<'_>) -> Answer {
        match prepare(&self.0, endpoint, request) {
            Ok(response) => Answer::Now(response),
            Err(work) => Answer::Later(Later {
                endpoints: self.clone(),
                work,
            }),
        }
    }
}

/// What [`Endpoints::answer`] gives: an answer at once, or the work left.
#[derive(Debug)]
pub enum Answer {
    /// The answer: nothing had to run or be waited for.
    Now(Response),
    /// Checks must run (or an execution under way be waited for) first:
    /// await [`Later::respond`].
    Later(Later),
}

impl IntoFuture for Answer {
    type Output = Response;
    type IntoFuture = Responding;

    /// One future for either: ready at once for [`Answer::Now`], and only
    /// for [`Answer::Later`] a boxed one. An adapter returns it (mapped to
    /// its framework's response) as its handler's future.
    fn into_future(self) -> Responding {
        Responding(match self {
            Answer::Now(response) => Pending::Now(Some(response)),
            Answer::Later(later) => Pending::Later(Box::pin(later.respond())),
        })
    }
}

/// The future of an [`Answer`]: no allocation, and no copy of a large
/// future, when the answer is at hand.
///
/// ```
/// use health_http::{Endpoint, Endpoints, Method, Request};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let endpoints = Endpoints::new(health_core::Registry::builder().without_declared().build()?)?;
/// let future = endpoints.answer(Endpoint::Liveness, &Request::new(Method::Get, "/health"));
/// assert_eq!(future.await.status(), 200);
/// # Ok(()) }
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Responding(Pending);

enum Pending {
    Now(Option<Response>),
    Later(Pin<Box<dyn Future<Output = Response> + Send>>),
}

impl Future for Responding {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        match &mut self.get_mut().0 {
            // Polled again after it answered: a 500 rather than a panic.
            Pending::Now(response) => Poll::Ready(
                response
                    .take()
                    .unwrap_or_else(|| Response::error(500, "the answer was already given")),
            ),
            Pending::Later(later) => later.as_mut().poll(cx),
        }
    }
}

impl std::fmt::Debug for Responding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            Pending::Now(_) => "Responding::Now",
            Pending::Later(_) => "Responding::Later",
        })
    }
}

/// The part of an answer that awaits checks; owns what it needs, so its
/// future is `'static` and `Send`, for an adapter to box or spawn.
#[derive(Debug)]
#[must_use = "a Later answers nothing until it is responded"]
pub struct Later {
    endpoints: Endpoints,
    work: Work,
}

/// What is left to do for a request, once its checks are known.
#[derive(Debug)]
enum Work {
    Probe {
        selection: Selection,
        format: Format,
        visibility: Visibility,
    },
    Component {
        name: Box<str>,
        format: Format,
        visibility: Visibility,
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
    /// Runs what the answer waits for, and answers.
    pub async fn respond(self) -> Response {
        let http = &*self.endpoints.0;
        let registry = &http.registry;
        match self.work {
            Work::Probe {
                selection,
                format,
                visibility,
            } => {
                let probe = selection.probe();
                if visibility == Visibility::Status {
                    // No components to show: none are built.
                    let verdict = registry.verdict(selection).await;
                    verdict_response(format, probe, &verdict)
                } else {
                    let report = registry.run(selection).await;
                    let response = report_response(&report, format, &render(registry, visibility));
                    with_retry_after(response, report.retry_after())
                }
            }
            Work::Component {
                name,
                format,
                visibility,
            } => match registry.run_component(&name).await {
                Some(report) => report_response(&report, format, &render(registry, visibility)),
                None => not_found(),
            },
            Work::Page { allowed } => ui::page(registry, &http.ui, allowed).await,
            Work::Data { allowed } => ui::data(registry, &http.ui, allowed).await,
            Work::Badge => ui::badge(registry).await,
        }
    }
}

/// The answer, when it needs no check to run; else the work left.
fn prepare(http: &Inner, endpoint: Endpoint, request: &Request<'_>) -> Result<Response, Work> {
    let registry = &http.registry;
    if request.path.len() > MAX_PATH || request.query.is_some_and(|q| q.len() > query::MAX_QUERY) {
        return Ok(Response::error(414, "the request URI is too long"));
    }
    // One rule for every adapter: a path is ours only byte for byte (no
    // percent-decoding, no case folding, no dot or slash normalization),
    // whatever the framework's router forgave.
    if !http
        .routes
        .iter()
        .any(|r| r.endpoint == endpoint && r.serves(request.path))
    {
        return Ok(not_found());
    }
    if request.method == Method::Other {
        return Ok(
            Response::error(405, "only GET and HEAD are allowed").with_header("allow", "GET, HEAD")
        );
    }
    // DNS rebinding: the status page answers only the hosts allowed.
    if let Some(refusal) = http.hosts.refuse(endpoint, request) {
        return Ok(refusal);
    }
    let query = match query::parse(request.query) {
        Ok(query) => query,
        Err(message) => return Ok(Response::error(400, &message)),
    };
    let allowed = http.disclosure.allows(request);
    // A caller who may not see components learns nothing about one: the
    // same refusal whatever the names (no oracle of which exist or fail).
    if !allowed && (!query.exclude.is_empty() || query.tag.is_some()) {
        return Ok(Response::error(
            400,
            "`exclude` and `tag` need a caller allowed to see components",
        ));
    }
    // The status page family takes no selection and one format each: past
    // the common checks above, `verbose`, `format`, `exclude` and `tag`
    // change nothing there.
    let probe = match endpoint {
        Endpoint::Liveness => Probe::Liveness,
        Endpoint::Readiness => Probe::Readiness,
        Endpoint::Startup => Probe::Startup,
        Endpoint::Version => return Ok(version(registry)),
        Endpoint::Ui => return Err(Work::Page { allowed }),
        Endpoint::UiData => return Err(Work::Data { allowed }),
        Endpoint::Badge => {
            return match registry.verdict_now(Probe::Readiness) {
                Some(verdict) => Ok(ui::badge_of(verdict.status)),
                None => Err(Work::Badge),
            };
        }
        Endpoint::Component => {
            // Unknown, and known to a caller who may not see components,
            // are one answer.
            if !allowed {
                return Ok(not_found());
            }
            let name = request.path.rsplit('/').next().unwrap_or_default();
            return Err(Work::Component {
                name: name.into(),
                format: negotiate::format(query.format, request.header("accept")),
                visibility: visibility(allowed, query.verbose),
            });
        }
    };
    let visibility = visibility(allowed, query.verbose);
    let format = negotiate::format(query.format, request.header("accept"));
    if probe == Probe::Liveness && http.static_liveness && visibility == Visibility::Status {
        return Ok(Response::new(
            200,
            format.content_type(),
            status_body(format, Some(probe), Status::Up),
        ));
    }
    let selection = match select(registry, probe, query.exclude, query.tag) {
        Ok(selection) => selection,
        Err(message) => return Ok(Response::error(400, &message)),
    };
    if visibility == Visibility::Status
        && selection.is_whole_probe()
        && let Some(verdict) = registry.verdict_now(probe)
    {
        return Ok(verdict_response(format, probe, &verdict));
    }
    Err(Work::Probe {
        selection,
        format,
        visibility,
    })
}

/// Who sees what: an allowed caller sees components, and with `verbose`
/// their messages and observed values.
fn visibility(allowed: bool, verbose: bool) -> Visibility {
    match (allowed, verbose) {
        (false, _) => Visibility::Status,
        (true, false) => Visibility::Components,
        (true, true) => Visibility::Full,
    }
}

/// How a report is rendered for `visibility`.
fn render(registry: &Registry, visibility: Visibility) -> Render<'_> {
    Render::new(visibility)
        .version(registry.version())
        // Read only when shown: a clock read per request adds up.
        .uptime((visibility == Visibility::Full).then(|| registry.uptime()))
}

/// The status-only answer of a probe.
fn verdict_response(format: Format, probe: Probe, verdict: &Verdict) -> Response {
    let body = status_body(format, Some(probe), verdict.status);
    let response = Response::new(status_code(verdict.status), format.content_type(), body);
    with_retry_after(response, verdict.retry_after)
}

fn with_retry_after(response: Response, retry_after: Option<Duration>) -> Response {
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
        ContentType::Json,
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
