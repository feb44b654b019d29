//! The contract's endpoints and the paths that serve them.

use crate::paths::Paths;

/// One of the contract's endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Endpoint {
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
}

impl Endpoint {
    /// Every endpoint, in index order.
    pub(crate) const ALL: [Endpoint; 5] = [
        Endpoint::Liveness,
        Endpoint::Readiness,
        Endpoint::Startup,
        Endpoint::Component,
        Endpoint::Version,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// A path to register with a router, and the endpoint it serves. Paths use
/// `{name}` for the component segment, as axum and actix-web both do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Route {
    /// The path pattern.
    pub path: String,
    /// The endpoint.
    pub endpoint: Endpoint,
}

impl Route {
    fn new(path: String, endpoint: Endpoint) -> Self {
        Self { path, endpoint }
    }

    /// Whether this route serves `path` (percent-encoded, as in the request
    /// line).
    pub(crate) fn serves(&self, path: &str) -> bool {
        match self.path.strip_suffix("{name}") {
            Some(base) => path
                .strip_prefix(base)
                .is_some_and(|name| !name.is_empty() && !name.contains('/')),
            None => self.path == path,
        }
    }
}

/// The routes of `paths`: fixed paths first, the component pattern last.
pub(crate) fn routes(paths: &Paths) -> Vec<Route> {
    let mut routes = vec![
        Route::new(paths.liveness_path(), Endpoint::Liveness),
        Route::new(paths.readiness_path(), Endpoint::Readiness),
        Route::new(paths.startup_path(), Endpoint::Startup),
    ];
    routes.extend(
        paths
            .version_path()
            .map(|path| Route::new(path, Endpoint::Version)),
    );
    routes.extend(
        paths
            .component_path()
            .map(|path| Route::new(path, Endpoint::Component)),
    );
    routes
}
