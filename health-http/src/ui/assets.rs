//! The page's stylesheet and script, embedded, and the
//! `Content-Security-Policy` headers that allow exactly them: by SHA-256
//! hash of the bytes embedded, computed once, at the first page served.
//! (Computed by const evaluation it cost every build of this crate 1.5 s
//! of its 2.4; at run time it takes microseconds, once.)

use super::sha256::{base64_32, sha256};
use std::sync::LazyLock;

/// The stylesheet, inlined in the page's one `<style>` element.
pub(crate) const STYLE: &str = include_str!("assets/page.css");
/// The script, inlined in the page's one `<script>` element.
pub(crate) const SCRIPT: &str = include_str!("assets/page.js");

/// The CSP of the page: nothing but its own style and script (by hash),
/// fetches to its own origin (the data endpoint), `data:` images (its
/// icon, so the browser asks for no `/favicon.ico`), no framing, no base
/// URL, no form target, no plugin.
pub(crate) static PAGE_CSP: LazyLock<String> = LazyLock::new(|| {
    let hash = |text: &str| {
        let digest = base64_32(&sha256(text.as_bytes()));
        // Base64 is ASCII.
        String::from_utf8_lossy(&digest).into_owned()
    };
    format!(
        "default-src 'none'; style-src 'sha256-{}'; script-src 'sha256-{}'; \
         connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'",
        hash(STYLE),
        hash(SCRIPT)
    )
});

/// The CSP of the data and the badge: nothing at all.
pub(crate) const NONE_CSP: &str =
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

#[cfg(test)]
mod tests {
    use super::*;

    /// The header names the hashes of the very bytes embedded, in the
    /// form browsers compute (here recomputed at run time).
    #[test]
    fn the_csp_allows_exactly_the_embedded_assets() {
        let hash = |text: &str| {
            let b64 = base64_32(&sha256(text.as_bytes()));
            format!("'sha256-{}'", std::str::from_utf8(&b64).unwrap())
        };
        assert!(PAGE_CSP.starts_with("default-src 'none'; "));
        assert!(PAGE_CSP.contains(&format!("style-src {};", hash(STYLE))));
        assert!(PAGE_CSP.contains(&format!("script-src {};", hash(SCRIPT))));
        assert!(!PAGE_CSP.contains("unsafe"));
        assert!(PAGE_CSP.contains("frame-ancestors 'none'"));
        // The assets cannot end their element early.
        assert!(!STYLE.contains("</"));
        assert!(!SCRIPT.to_ascii_lowercase().contains("</script"));
        assert!(!SCRIPT.contains("<!--"));
    }
}
