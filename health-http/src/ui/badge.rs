//! The readiness badge: a small SVG in the shields.io style, `health | UP`.
//! The word says the status; the colour only repeats it. No script, no
//! style element, no external reference.

use super::escape::escape;
use health_core::Status;
use std::fmt::Write;

const LABEL: &str = "health";

/// The badge of `status`.
pub(crate) fn render(status: Status) -> String {
    let (word, fill) = (super::format::look(status).1, colour(status));
    let pad = 6;
    let (lw, vw) = (width(LABEL) + 2 * pad, width(word) + 2 * pad);
    let total = lw + vw;
    let mut svg = String::with_capacity(1024);
    let _ = write!(
        svg,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" viewBox="0 0 {total} 20" role="img" aria-label="{label}: {word}">"#,
            r#"<title>{label}: {word}</title>"#,
            r##"<rect width="{lw}" height="20" rx="3" fill="#3d444d"/>"##,
            r#"<rect x="{lw}" width="{vw}" height="20" rx="3" fill="{fill}"/>"#,
            r#"<rect x="{lw}" width="4" height="20" fill="{fill}"/>"#,
            r##"<g fill="#fff" font-family="Verdana,DejaVu Sans,Geneva,sans-serif" font-size="11" text-anchor="middle">"##,
            r#"<text x="{lx}" y="14" textLength="{ltl}" lengthAdjust="spacingAndGlyphs">{label}</text>"#,
            r#"<text x="{vx}" y="14" textLength="{vtl}" lengthAdjust="spacingAndGlyphs" font-weight="bold">{word}</text>"#,
            "</g></svg>\n"
        ),
        total = total,
        label = escape(LABEL),
        word = word,
        lw = lw,
        vw = vw,
        fill = fill,
        lx = lw / 2,
        ltl = lw - 2 * pad,
        vx = lw + vw / 2,
        vtl = vw - 2 * pad,
    );
    svg
}

/// The colour of a status on the badge and the page's icon: each with
/// white text at a contrast of at least 4.5:1.
pub(crate) const fn colour(status: Status) -> &'static str {
    match status {
        Status::Up => "#1a7f37",
        Status::Degraded => "#9a6700",
        Status::Unknown => "#57606a",
        Status::Down => "#cf222e",
        Status::OutOfService => "#6639ba",
    }
}

/// The page's icon: a dot of the status's colour, as a `data:` URL (the
/// page's CSP allows `data:` images and nothing else), so the browser
/// fetches no `/favicon.ico`.
pub(crate) fn icon(status: Status) -> String {
    format!(
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%23{}'/%3E%3C/svg%3E",
        colour(status).trim_start_matches('#')
    )
}

/// The width of `text` in Verdana 11px, near enough: `textLength` makes
/// any font fit it exactly.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'I' | '.' | ' ' => 4,
            'f' | 'j' | 'r' | 't' => 5,
            'M' | 'W' | 'm' | 'w' => 11,
            'A'..='Z' => 8,
            _ => 7,
        })
        .sum()
}
