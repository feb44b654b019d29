//! The bounds of what a check's outcome carries into reports: its details
//! and its observed value, redacted and bounded in count and size.

use crate::hygiene::{MAX_MESSAGE_CHARS, is_secret_key, redact};
use serde_json::Value;

/// At most this many details; the rest are counted in `details_dropped`.
pub(crate) const DETAILS: usize = 32;
/// The longest detail key, in characters.
pub(crate) const KEY_CHARS: usize = 64;
/// The largest detail value or observed value, serialized, in bytes.
pub(crate) const VALUE_BYTES: usize = 1024;

/// What a secret's value becomes.
const REDACTED: &str = "***";

pub(crate) fn fits(key: &str, value: &Value) -> bool {
    key.chars().count() <= KEY_CHARS && size(value) <= VALUE_BYTES
}

fn size(value: &Value) -> usize {
    match value {
        Value::String(s) => s.len() + 2,
        Value::Null | Value::Bool(_) | Value::Number(_) => 24,
        _ => serde_json::to_vec(value).map_or(usize::MAX, |v| v.len()),
    }
}

pub(crate) fn key(key: String) -> String {
    if key.chars().count() <= KEY_CHARS {
        key
    } else {
        key.chars().take(KEY_CHARS).collect()
    }
}

/// A value within [`VALUE_BYTES`], its strings redacted; a larger
/// string is cut, a larger array or object replaced by a note.
pub(crate) fn value(mut value: Value) -> Value {
    redact_strings(&mut value);
    bounded(value)
}

/// The detail `key`'s value, as [`value`] bounds it, or whole redacted if
/// `key` names a secret (`with_detail("password", ..)`).
pub(crate) fn entry(key: &str, mut value: Value) -> Value {
    redact_entry(key, &mut value);
    bounded(value)
}

fn bounded(value: Value) -> Value {
    if size(&value) <= VALUE_BYTES {
        return value;
    }
    match value {
        Value::String(s) => Value::String(s.chars().take(MAX_MESSAGE_CHARS).collect()),
        other => Value::String(format!("<{} bytes: too large>", size(&other))),
    }
}

/// Redacts the value of the detail `key`: whole if `key` names a secret,
/// else every string inside.
pub(crate) fn redact_entry(key: &str, value: &mut Value) {
    if is_secret_key(key) {
        *value = Value::String(REDACTED.into());
    } else {
        redact_strings(value);
    }
}

/// Redacts every string inside `value`, and the whole value of every key
/// inside it that names a secret.
pub(crate) fn redact_strings(value: &mut Value) {
    match value {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(r) = redact(s) {
                *s = r;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_strings),
        Value::Object(map) => map.iter_mut().for_each(|(k, v)| redact_entry(k, v)),
        _ => {}
    }
}
