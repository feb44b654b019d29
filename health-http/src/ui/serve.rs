//! The family's answers: the page, its data and the badge, with the
//! headers that harden them.

use super::{Settings, Snapshot, assets};
use crate::body::ContentType;
use crate::response::Response;
use bytes::Bytes;
use health_core::{Probe, Registry, Status};

/// The headers every answer of the family carries besides
/// `Cache-Control: no-store`.
fn hardened(response: Response, csp: &'static str) -> Response {
    response
        .with_header("content-security-policy", csp)
        .with_header("x-content-type-options", "nosniff")
        .with_header("referrer-policy", "no-referrer")
        .with_header("x-frame-options", "DENY")
}

/// `GET /health/ui`.
pub(crate) async fn page(registry: &Registry, settings: &Settings, allowed: bool) -> Response {
    let snapshot = Snapshot::take(registry, settings, allowed).await;
    let body = super::page::render(&snapshot, &settings.data_href);
    hardened(
        Response::new(200, ContentType::Html, Bytes::from(body)),
        assets::PAGE_CSP.as_str(),
    )
}

/// `GET /health/ui/data`.
pub(crate) async fn data(registry: &Registry, settings: &Settings, allowed: bool) -> Response {
    let snapshot = Snapshot::take(registry, settings, allowed).await;
    let body = super::data::render(&snapshot);
    hardened(
        Response::new(200, ContentType::Json, Bytes::from(body)),
        assets::NONE_CSP,
    )
}

/// `GET /health/badge.svg`: readiness, for anybody (it is the overall
/// status only), obtained as a readiness probe would.
pub(crate) async fn badge(registry: &Registry) -> Response {
    badge_of(registry.verdict(Probe::Readiness).await.status)
}

/// The badge of readiness's `status`.
pub(crate) fn badge_of(status: Status) -> Response {
    hardened(
        Response::new(
            200,
            ContentType::Svg,
            Bytes::from(super::badge::render(status)),
        ),
        assets::NONE_CSP,
    )
}
