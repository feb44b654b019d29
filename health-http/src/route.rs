//! The contract's endpoints and the paths that serve them.

use crate::paths::Paths;

/// What a path of the contract serves: one of its endpoints. (The
/// served whole, a registry with its settings, is [`Endpoints`](crate::Endpoints).)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resource {
    /// Liveness checks.
    Liveness,
    /// Readiness checks and the lifecycle.
    Readiness,
    /// Startup checks, latched.
    Startup,
    /// One component by name: the path's last segment.
    Component,
    /// Version, commit, uptime.
    Version,
    /// The status page: one self-contained HTML document.
    Ui,
    /// The status page's data: JSON, what the page shows, for its script.
    UiData,
    /// The readiness badge: an SVG image.
    Badge,
}

/// A path to register with a router, and the resource it serves. Paths use
/// `{name}` for the component segment, as axum and actix-web both do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Route {
    /// The path pattern.
    pub path: String,
    /// The resource.
    pub resource: Resource,
}

impl Route {
    fn new(path: String, resource: Resource) -> Self {
        Self { path, resource }
    }

    /// Whether this route serves `path`, as in the request line, at its
    /// end (an application may nest the routes below a prefix of its own):
    /// byte for byte, the component segment a valid check name (names hold
    /// only unreserved characters, so a correct client never encodes them).
    pub(crate) fn serves(&self, path: &str) -> bool {
        self.matches(path, true)
    }

    /// Whether this route is exactly `path` (no prefix).
    pub(crate) fn is(&self, path: &str) -> bool {
        self.matches(path, false)
    }

    fn matches(&self, path: &str, below_prefix: bool) -> bool {
        let ends_at = |path: &str, route: &str| match path.strip_suffix(route) {
            Some("") => true,
            Some(prefix) => below_prefix && prefix.starts_with('/') && !prefix.ends_with('/'),
            None => false,
        };
        match self.path.strip_suffix("{name}") {
            Some(base) => path.rsplit_once('/').is_some_and(|(before, name)| {
                health_names::problem(name).is_none()
                    && ends_at(before, base.strip_suffix('/').unwrap_or(base))
            }),
            // The root route, below a prefix, is the prefix itself.
            None if self.path == "/" && below_prefix => {
                path == "/" || (path.starts_with('/') && !path.ends_with('/'))
            }
            None => ends_at(path, &self.path),
        }
    }
}

/// The routes of `paths`: fixed paths first, the component pattern last.
pub(crate) fn routes(paths: &Paths) -> Vec<Route> {
    let mut routes = vec![
        Route::new(paths.liveness_path(), Resource::Liveness),
        Route::new(paths.readiness_path(), Resource::Readiness),
        Route::new(paths.startup_path(), Resource::Startup),
    ];
    routes.extend(
        paths
            .version_path()
            .map(|path| Route::new(path, Resource::Version)),
    );
    let ui = [
        (paths.ui_path(), Resource::Ui),
        (paths.ui_data_path(), Resource::UiData),
        (paths.badge_path(), Resource::Badge),
    ];
    routes.extend(
        ui.into_iter()
            .filter_map(|(path, resource)| Some(Route::new(path?, resource))),
    );
    routes.extend(
        paths
            .component_path()
            .map(|path| Route::new(path, Resource::Component)),
    );
    routes
}
