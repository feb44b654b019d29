//! What a request needs: limits, path rule, method, query, disclosure;
//! then the answer at once, or the work left for [`Later`].

use super::{Answer, Later, Work};
use crate::body::{self, ContentType, View, Visibility};
use crate::endpoints::{Endpoints, Inner};
use crate::query;
use crate::request::{Method, Request};
use crate::response::Response;
use crate::route::Resource;
use crate::{trace, ui};
use health_core::{Probe, Registry, Selection, Status};

/// The longest request path accepted, in bytes: longer ones get 414.
pub const MAX_PATH: usize = 1024;

impl Endpoints {
    /// Answers `request` for `resource`.
    ///
    /// A HEAD request gets the GET answer, body included, so that its
    /// `Content-Length` is the GET body's: the server sends the headers only
    /// (hyper and actix-web do so by themselves; a router-less adapter must).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use health_http::{Resource, Endpoints, Method, Request};
    /// let endpoints = Endpoints::new(health_core::Registry::builder().without_declared().build()?)?;
    /// let response = endpoints.handle(Resource::Readiness, &Request::new(Method::Get, "/ready")).await;
    /// assert_eq!(response.status(), 200);
    /// # Ok(()) }
    /// ```
    pub async fn handle(&self, resource: Resource, request: &Request<'_>) -> Response {
        self.answer(resource, request).await
    }

    /// Answers `request`, routing it by its path, byte for byte: for a
    /// server with no router of its own (a plain hyper or tower server, a
    /// dedicated probe listener). A path that is not the contract's is its
    /// 404.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use health_http::{Endpoints, Method, Request};
    /// let endpoints = Endpoints::new(health_core::Registry::builder().without_declared().build()?)?;
    /// assert_eq!(endpoints.answer_by_path(&Request::new(Method::Get, "/health")).await.status(), 200);
    /// assert_eq!(endpoints.answer_by_path(&Request::new(Method::Get, "/nope")).await.status(), 404);
    /// # Ok(()) }
    /// ```
    pub fn answer_by_path(&self, request: &Request<'_>) -> Answer {
        match self.route(request.path) {
            Some(resource) => self.answer(resource, request),
            None => Answer::Now(Response::not_found()),
        }
    }

    /// Answers `request` for `resource` at once when nothing has to run or
    /// be waited for (a path that is not ours, a bad query, liveness with
    /// no checks, a probe over cached checks, a drain...), or else says
    /// what is left to do, owning all it needs: an adapter returns the
    /// first without a future, and boxes or awaits the second.
    /// [`handle`](Self::handle) is both in one.
    ///
    /// ```
    /// use health_http::{Answer, Resource, Endpoints, Method, Request};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let endpoints = Endpoints::new(health_core::Registry::builder().without_declared().build()?)?;
    /// let request = Request::new(Method::Get, "/health");
    /// let response = match endpoints.answer(Resource::Liveness, &request) {
    ///     Answer::Now(response) => response,
    ///     Answer::Later(later) => later.respond().await,
    /// };
    /// assert_eq!(response.status(), 200);
    /// # Ok(()) }
    /// ```
    ///
    /// A failing answer (any status outside 2xx) leaves a `health_request`
    /// span in the traces, here or when the [`Later`] answers; a healthy
    /// one leaves none ([`is_probe`](Self::is_probe)).
    pub fn answer(&self, resource: Resource, request: &Request<'_>) -> Answer {
        match prepare(&self.0, resource, request) {
            Ok(response) => {
                trace::answered(self, resource, request.method, &response);
                Answer::Now(response)
            }
            Err(work) => Answer::Later(Later {
                endpoints: self.clone(),
                resource,
                method: request.method,
                work,
            }),
        }
    }
}

/// The answer, when it needs no check to run; else the work left.
fn prepare(http: &Inner, resource: Resource, request: &Request<'_>) -> Result<Response, Work> {
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
        .any(|r| r.resource == resource && r.serves(request.path))
    {
        return Ok(Response::not_found());
    }
    if request.method == Method::Other {
        return Ok(
            Response::error(405, "only GET and HEAD are allowed").with_header("allow", "GET, HEAD")
        );
    }
    // DNS rebinding: the status page answers only the hosts allowed.
    if let Some(refusal) = http.hosts.refuse(resource, request) {
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
    let probe = match resource {
        Resource::Liveness => Probe::Liveness,
        Resource::Readiness => Probe::Readiness,
        Resource::Startup => Probe::Startup,
        Resource::Version => {
            return Ok(Response::new(
                200,
                ContentType::Json,
                body::version(registry).into(),
            ));
        }
        Resource::Ui => return Err(Work::Page { allowed }),
        Resource::UiData => return Err(Work::Data { allowed }),
        Resource::Badge => {
            return match registry.verdict_now(Probe::Readiness) {
                Some(verdict) => Ok(ui::badge_of(verdict.status)),
                None => Err(Work::Badge),
            };
        }
        Resource::Component => {
            // Unknown, and known to a caller who may not see components,
            // are one answer.
            if !allowed {
                return Ok(Response::not_found());
            }
            let name = request.path.rsplit('/').next().unwrap_or_default();
            return Err(Work::Component {
                name: name.into(),
                content_type: ContentType::negotiate(query.format, request.header("accept")),
                visibility: Visibility::of(allowed, query.verbose),
                timeout: query.timeout.unwrap_or(http.probe_timeout),
            });
        }
    };
    let visibility = Visibility::of(allowed, query.verbose);
    let content_type = ContentType::negotiate(query.format, request.header("accept"));
    // No liveness check (now: checks come and go at run time): the
    // anonymous liveness answer needs no run.
    if probe == Probe::Liveness
        && visibility == Visibility::Status
        && !http.registry.has_checks(Probe::Liveness)
    {
        return Ok(Response::status_only(
            content_type,
            probe,
            Status::Up,
            &http.balancer,
        ));
    }
    let selection = match select(registry, probe, query.exclude, query.tag) {
        Ok(selection) => selection,
        Err(message) => return Ok(Response::error(400, &message)),
    };
    // At hand (cached or `interval` results, the lifecycle): no future.
    if visibility == Visibility::Status {
        if let Some(verdict) = registry.verdict_now(&selection) {
            return Ok(Response::verdict(
                content_type,
                probe,
                &verdict,
                &http.balancer,
            ));
        }
    } else if let Some(report) = registry.run_now(&selection) {
        let view = View::of(registry, visibility);
        return Ok(Response::report(
            &report,
            content_type,
            &view,
            &http.balancer,
        ));
    }
    Err(Work::Probe {
        selection,
        content_type,
        visibility,
        timeout: query.timeout.unwrap_or(http.probe_timeout),
    })
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
    let checks = registry.checks();
    let of_probe = || {
        checks
            .iter()
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
