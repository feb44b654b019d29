//! Media types: the [`ContentType`] of every answer, and which of the
//! probe formats a request asks for (`?format=`, then `Accept`).

/// The `content-type` of an answer, one per body format: each a constant
/// string, for adapters to turn into their header value once.
///
/// The probe endpoints answer in three: [`Json`](Self::Json) (the default),
/// [`HealthJson`](Self::HealthJson) (`?format=ietf` or
/// `Accept: application/health+json`: the IETF "Health Check Response
/// Format for HTTP APIs" draft) and [`Text`](Self::Text) (`?format=text`,
/// Kubernetes-style lines).
///
/// ```
/// use health_http::ContentType;
/// assert_eq!(ContentType::HealthJson.as_str(), "application/health+json");
/// assert_eq!(ContentType::Text.as_str(), "text/plain; charset=utf-8");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContentType {
    /// `application/json`: the probes' own JSON body, errors, `/version`,
    /// the status page's data.
    Json,
    /// `application/health+json`: the IETF draft's body (`pass`, `warn`,
    /// `fail` and a `checks` map).
    HealthJson,
    /// `text/plain; charset=utf-8`: Kubernetes-style lines.
    Text,
    /// `text/html; charset=utf-8`: the status page.
    Html,
    /// `image/svg+xml`: the badge.
    Svg,
}

impl ContentType {
    /// The header value.
    pub const fn as_str(self) -> &'static str {
        match self {
            ContentType::Json => "application/json",
            ContentType::HealthJson => "application/health+json",
            ContentType::Text => "text/plain; charset=utf-8",
            ContentType::Html => "text/html; charset=utf-8",
            ContentType::Svg => "image/svg+xml",
        }
    }

    /// The probe format named by a `?format=` value: `json`, `ietf`
    /// (`application/health+json`) or `text`.
    pub(crate) fn from_query(word: &str) -> Option<Self> {
        match word {
            "json" => Some(ContentType::Json),
            "ietf" => Some(ContentType::HealthJson),
            "text" => Some(ContentType::Text),
            _ => None,
        }
    }

    /// The probe format of a request: `?format=` first, then `Accept`
    /// (`application/health+json` with a quality above zero), else JSON.
    pub(crate) fn negotiate(query: Option<Self>, accept: Option<&str>) -> Self {
        query
            .or_else(|| accepts_health_json(accept).then_some(ContentType::HealthJson))
            .unwrap_or(ContentType::Json)
    }
}

impl std::fmt::Display for ContentType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether `Accept` lists `application/health+json` with a quality above
/// zero.
fn accepts_health_json(accept: Option<&str>) -> bool {
    let media = ContentType::HealthJson.as_str();
    accept.is_some_and(|accept| {
        accept.split(',').any(|range| {
            let mut parts = range.split(';');
            let range = parts.next().unwrap_or_default().trim();
            range.eq_ignore_ascii_case(media) && !parts.any(zero_quality)
        })
    })
}

/// A `q=0` parameter: "not acceptable".
fn zero_quality(param: &str) -> bool {
    let param = param.trim();
    let q = param
        .strip_prefix("q=")
        .or_else(|| param.strip_prefix("Q="));
    q.is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q == 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_header() {
        assert!(accepts_health_json(Some("application/health+json")));
        assert!(accepts_health_json(Some(
            "text/html, Application/Health+JSON; q=0.5"
        )));
        assert!(!accepts_health_json(Some("application/health+json;q=0")));
        assert!(!accepts_health_json(Some("application/json")));
        assert!(!accepts_health_json(None));
    }

    #[test]
    fn the_query_wins_over_accept() {
        let accept = Some("application/health+json");
        assert_eq!(
            ContentType::negotiate(None, accept),
            ContentType::HealthJson
        );
        assert_eq!(
            ContentType::negotiate(Some(ContentType::Text), accept),
            ContentType::Text
        );
        assert_eq!(ContentType::negotiate(None, None), ContentType::Json);
    }
}
