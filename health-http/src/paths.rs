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
/// // The status page, its data and the badge (see `ui`).
/// assert_eq!(paths.ui_path().as_deref(), Some("/ops/health/ui"));
/// assert_eq!(paths.ui_data_path().as_deref(), Some("/ops/health/ui/data"));
/// assert_eq!(paths.badge_path().as_deref(), Some("/ops/health/badge.svg"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    prefix: String,
    liveness: String,
    readiness: String,
    startup: String,
    component: Option<String>,
    version: Option<String>,
    ui: Option<String>,
    badge: Badge,
}

/// Where the badge is: beside the status page unless set.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Badge {
    /// `badge.svg` beside the status page (`/health/ui` gives
    /// `/health/badge.svg`); none without a page.
    BesideUi,
    /// Set with [`Paths::badge`].
    At(Option<String>),
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
            ui: Some("/health/ui".into()),
            badge: Badge::BesideUi,
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

    /// The status page (default `/health/ui`): one HTML page, and its
    /// JSON data at `{path}/data`; `None` serves neither (nor the badge,
    /// unless [`badge`](Self::badge) sets it). See the crate docs' "Status
    /// page".
    pub fn ui(mut self, path: Option<&str>) -> Self {
        self.ui = path.map(|p| normalize(p.into()));
        self
    }

    /// The readiness badge, an SVG (default `badge.svg` beside the status
    /// page: `/health/badge.svg`); `None` serves none. Set, it is served
    /// whether or not the page is.
    pub fn badge(mut self, path: Option<&str>) -> Self {
        self.badge = Badge::At(path.map(|p| normalize(p.into())));
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

    /// The full status page path, if served.
    pub fn ui_path(&self) -> Option<String> {
        self.ui.as_ref().map(|p| join(&self.prefix, p))
    }

    /// The full path of the status page's JSON data, `{ui}/data`, if
    /// served.
    pub fn ui_data_path(&self) -> Option<String> {
        self.ui_path()
            .map(|p| format!("{}/data", p.strip_suffix('/').unwrap_or(&p)))
    }

    /// The full badge path, if served.
    pub fn badge_path(&self) -> Option<String> {
        match &self.badge {
            Badge::At(path) => path.as_ref().map(|p| join(&self.prefix, p)),
            Badge::BesideUi => self.ui.as_ref().map(|ui| {
                let parent = ui.rsplit_once('/').map_or("", |(parent, _)| parent);
                join(&self.prefix, &format!("{parent}/badge.svg"))
            }),
        }
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
        // The status page family may sit beside the component route (the
        // default `/health/ui` does): only a check of that name clashes,
        // which `shadowed` finds.
        let beside = fixed.len();
        fixed.extend(self.ui_path().map(|p| ("status page", p)));
        fixed.extend(self.ui_data_path().map(|p| ("status page data", p)));
        fixed.extend(self.badge_path().map(|p| ("badge", p)));
        let mut problems = Vec::new();
        for (i, (a, path)) in fixed.iter().enumerate() {
            for (b, other) in &fixed[i + 1..] {
                if path == other {
                    problems.push(format!("the {a} and {b} endpoints are both at `{path}`"));
                }
            }
            if i >= beside {
                continue;
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

impl Paths {
    /// The names a check may not take, each with a message: the component
    /// path of a check so named would be a page of the status page family
    /// (`/health/ui` when components are at `/health/{name}`).
    pub(crate) fn reserved(&self) -> Vec<(String, String)> {
        let Some(component) = self.component_path() else {
            return Vec::new();
        };
        let base = component.strip_suffix("{name}").unwrap_or(&component);
        let family = [
            ("status page", self.ui_path()),
            ("status page data", self.ui_data_path()),
            ("badge", self.badge_path()),
        ];
        family
            .into_iter()
            .filter_map(|(what, path)| {
                let path = path?;
                let name = path.strip_prefix(base)?;
                (!name.is_empty() && !name.contains('/')).then(|| {
                    let message = format!(
                        "the {what} `{path}` is also the component path of the check `{name}`: \
                         rename the check, or move the page with `Paths::ui` / `Paths::badge`"
                    );
                    (name.to_owned(), message)
                })
            })
            .collect()
    }

    /// The messages of [`reserved`](Self::reserved) for the names in
    /// `names`: those checks' `/health/{name}` would be shadowed.
    pub(crate) fn shadowed<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let reserved = self.reserved();
        names
            .into_iter()
            .flat_map(|name| reserved.iter().filter(move |(n, _)| n == name))
            .map(|(_, message)| message.clone())
            .collect()
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
