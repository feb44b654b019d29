//! Where the endpoints are served.

/// Where the endpoints are served. Paths are normalized (`"ops/"` is
/// `/ops`); [`EndpointsBuilder::build`](crate::EndpointsBuilder::build)
/// refuses paths that two endpoints would share.
///
/// ```
/// use health_http::Paths;
/// let paths = Paths::default().prefix("/ops").readiness("/readyz").version(None);
/// assert_eq!(paths.readiness_path(), "/ops/readyz");
/// assert_eq!(paths.version_path(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    prefix: String,
    liveness: String,
    readiness: String,
    startup: String,
    component: Option<String>,
    version: Option<String>,
}

impl Default for Paths {
    fn default() -> Self {
        Self {
            prefix: String::new(),
            liveness: "/health".into(),
            readiness: "/ready".into(),
            startup: "/startup".into(),
            component: Some("/health".into()),
            version: Some("/version".into()),
        }
    }
}

impl Paths {
    /// A prefix for every path (`"/ops"`). Default: none.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = normalize(prefix.into());
        self
    }

    /// The liveness path (default `/health`).
    pub fn liveness(mut self, path: impl Into<String>) -> Self {
        self.liveness = normalize(path.into());
        self
    }

    /// The readiness path (default `/ready`).
    pub fn readiness(mut self, path: impl Into<String>) -> Self {
        self.readiness = normalize(path.into());
        self
    }

    /// The startup path (default `/startup`).
    pub fn startup(mut self, path: impl Into<String>) -> Self {
        self.startup = normalize(path.into());
        self
    }

    /// The base of per-component paths, `{base}/{name}` (default
    /// `/health`); `None` serves no component endpoint.
    pub fn component(mut self, base: Option<&str>) -> Self {
        self.component = base.map(|b| normalize(b.into()));
        self
    }

    /// The version path (default `/version`); `None` serves none.
    pub fn version(mut self, path: Option<&str>) -> Self {
        self.version = path.map(|p| normalize(p.into()));
        self
    }

    /// The full liveness path.
    pub fn liveness_path(&self) -> String {
        join(&self.prefix, &self.liveness)
    }

    /// The full readiness path.
    pub fn readiness_path(&self) -> String {
        join(&self.prefix, &self.readiness)
    }

    /// The full startup path.
    pub fn startup_path(&self) -> String {
        join(&self.prefix, &self.startup)
    }

    /// The full component path pattern, `{base}/{name}`, if served.
    pub fn component_path(&self) -> Option<String> {
        self.component
            .as_ref()
            .map(|base| format!("{}{}/{{name}}", self.prefix, base))
    }

    /// The full version path, if served.
    pub fn version_path(&self) -> Option<String> {
        self.version.as_ref().map(|v| join(&self.prefix, v))
    }
}

impl Paths {
    /// Paths that two endpoints would share: routers disagree on who wins,
    /// so it is a build error.
    pub(crate) fn clashes(&self) -> Vec<String> {
        let mut fixed = vec![
            ("liveness", self.liveness_path()),
            ("readiness", self.readiness_path()),
            ("startup", self.startup_path()),
        ];
        fixed.extend(self.version_path().map(|p| ("version", p)));
        let mut problems = Vec::new();
        for (i, (a, path)) in fixed.iter().enumerate() {
            for (b, other) in &fixed[i + 1..] {
                if path == other {
                    problems.push(format!("the {a} and {b} endpoints are both at `{path}`"));
                }
            }
            let component = self.component_path();
            let base = component.as_deref().and_then(|c| c.strip_suffix("{name}"));
            if let Some(name) = base.and_then(|base| path.strip_prefix(base))
                && !name.is_empty()
                && !name.contains('/')
            {
                problems.push(format!(
                    "the {a} endpoint `{path}` is also the path of a component named `{name}`"
                ));
            }
        }
        problems
    }
}

/// `"ops/"` → `"/ops"`; `"/"` → `""` for a prefix's sake.
fn normalize(path: String) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

fn join(prefix: &str, path: &str) -> String {
    let joined = format!("{prefix}{path}");
    if joined.is_empty() {
        "/".into()
    } else {
        joined
    }
}
