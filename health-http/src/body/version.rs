//! The `/version` body: what is deployed.

use super::write as json;
use health_core::Registry;

/// `{"commit":"abc1234","started_at":"2026-11-25T18:33:09.000Z","uptime_seconds":431,"version":"1.2.3"}`
/// (`null` for what the registry was not given); keys in alphabetical
/// order, as they always were.
pub(crate) fn version(registry: &Registry) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(b"{\"commit\":");
    json::optional_string(&mut out, registry.commit());
    out.extend_from_slice(b",\"started_at\":");
    json::time(&mut out, registry.started_at());
    out.extend_from_slice(b",\"uptime_seconds\":");
    json::unsigned(&mut out, registry.uptime().as_secs());
    out.extend_from_slice(b",\"version\":");
    json::optional_string(&mut out, registry.version());
    out.push(b'}');
    out
}

#[cfg(test)]
mod tests {
    use health_core::Registry;

    /// Byte for byte what serde_json writes for the same map.
    #[test]
    fn as_serde_json_writes_it() {
        for registry in [
            Registry::builder().without_declared().build().unwrap(),
            Registry::builder()
                .without_declared()
                .version("1.2.3 \"beta\"")
                .commit("abc1234")
                .build()
                .unwrap(),
        ] {
            let body = super::version(&registry);
            let oracle = serde_json::json!({
                "version": registry.version(),
                "commit": registry.commit(),
                "uptime_seconds": registry.uptime().as_secs(),
                "started_at": crate::body::rfc3339(registry.started_at()),
            });
            assert_eq!(
                String::from_utf8_lossy(&body),
                serde_json::to_string(&oracle).unwrap()
            );
        }
    }
}
