//! [`Settings`]: what the status page needs to know of the paths.

use crate::paths::Paths;

/// What the status page needs to know of the paths, fixed when the
/// endpoints are built.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The data endpoint relative to the page (`./ui/data`): right below
    /// whatever prefix an application nests the routes under.
    pub(super) data_href: String,
    /// `/version` is served, so version, commit and uptime are public.
    pub(super) public_version: bool,
}

impl Settings {
    pub(crate) fn new(paths: &Paths) -> Self {
        let page = paths.ui_path().unwrap_or_default();
        let last = page.rsplit('/').next().unwrap_or_default();
        let data_href = if last.is_empty() {
            "./data".to_owned()
        } else {
            format!("./{last}/data")
        };
        Self {
            data_href,
            public_version: paths.version_path().is_some(),
        }
    }
}
