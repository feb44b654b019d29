//! The body of a refusal (400, 404, 405, 414...): `{"error":"..."}`.

use super::write as json;

/// `{"error":"<message>"}`.
pub(crate) fn error_json(message: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 12);
    out.extend_from_slice(b"{\"error\":");
    json::string(&mut out, message);
    out.push(b'}');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn as_serde_json_writes_it() {
        for message in ["not found", "a \"quoted\" `name`\n"] {
            assert_eq!(
                super::error_json(message),
                serde_json::to_vec(&serde_json::json!({ "error": message })).unwrap()
            );
        }
    }
}
