//! The page's stylesheet and script, embedded, and the
//! `Content-Security-Policy` headers that allow exactly them: by SHA-256
//! hash, computed when the crate compiles from the bytes embedded.

use super::sha256::{base64_32, base64_len, sha256};

/// The stylesheet, inlined in the page's one `<style>` element.
pub(crate) const STYLE: &str = include_str!("assets/page.css");
/// The script, inlined in the page's one `<script>` element.
pub(crate) const SCRIPT: &str = include_str!("assets/page.js");

/// The CSP of the page: nothing but its own style and script (by hash),
/// fetches to its own origin (the data endpoint), `data:` images (its
/// icon, so the browser asks for no `/favicon.ico`), no framing, no base
/// URL, no form target, no plugin.
pub(crate) const PAGE_CSP: &str = as_str(&PAGE_CSP_BYTES);

/// The CSP of the data and the badge: nothing at all.
pub(crate) const NONE_CSP: &str =
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const HASH: usize = base64_len(32);
const PARTS: [&str; 3] = [
    "default-src 'none'; style-src 'sha256-",
    "'; script-src 'sha256-",
    "'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'",
];
const PAGE_CSP_LEN: usize = PARTS[0].len() + HASH + PARTS[1].len() + HASH + PARTS[2].len();
const PAGE_CSP_BYTES: [u8; PAGE_CSP_LEN] = {
    let style = base64_32(&sha256(STYLE.as_bytes()));
    let script = base64_32(&sha256(SCRIPT.as_bytes()));
    let mut out = [0u8; PAGE_CSP_LEN];
    let at = copy(&mut out, 0, PARTS[0].as_bytes());
    let at = copy(&mut out, at, &style);
    let at = copy(&mut out, at, PARTS[1].as_bytes());
    let at = copy(&mut out, at, &script);
    let at = copy(&mut out, at, PARTS[2].as_bytes());
    assert!(at == PAGE_CSP_LEN);
    out
};

/// Copies `from` into `out` at `at`; the offset after it.
const fn copy(out: &mut [u8], at: usize, from: &[u8]) -> usize {
    let mut i = 0;
    while i < from.len() {
        out[at + i] = from[i];
        i += 1;
    }
    at + from.len()
}

const fn as_str(bytes: &'static [u8]) -> &'static str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => panic!("the CSP is ASCII"),
    }
}

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
