//! The messages and method paths of `grpc.health.v1`, as the vendored
//! `proto/health.proto` (grpc/grpc-proto, with gRFC A90's `List`) defines
//! them, written out with prost's derives: no `protoc` and no build script.
//!
//! The one definition the workspace uses: `health-tonic` serves them,
//! `health-probe` sends them, the gRPC bench drives them. It depends on
//! prost alone (no tonic, no runtime, no other crate of the workspace), so
//! the probe binary, which may not depend on the health model, can use it.
//!
//! The encoding is pinned by this crate's unit tests (exact bytes) and
//! checked against the `.proto` itself with `protoc --encode`/`--decode`
//! by `tests/proto.rs`.
//!
//! ```
//! use health_grpc_proto::{HealthCheckRequest, HealthCheckResponse, ServingStatus};
//! use prost::Message;
//!
//! let request = HealthCheckRequest::new("db");
//! assert_eq!(request.encode_to_vec(), [0x0a, 0x02, b'd', b'b']);
//! let response = HealthCheckResponse::new(ServingStatus::NotServing);
//! assert_eq!(response.encode_to_vec(), [0x08, 0x02]);
//! assert_eq!(response.status(), ServingStatus::NotServing);
//! ```
//!
//! # Open messages, a closed enum
//!
//! The four messages are plain structs with public fields and no
//! `#[non_exhaustive]`, exactly as `prost-build` would generate them: a
//! client builds its requests with struct literals, as it does with any
//! generated gRPC type (tonic-health's among them). They mirror
//! `grpc.health.v1` field for field; a field added upstream would be added
//! here in a semver-major release of this crate. [`ServingStatus`] is
//! `#[non_exhaustive]`: a status may be added without breaking a `match`.

use std::collections::BTreeMap;

/// `grpc.health.v1.Health`: the service's full name.
pub const SERVICE: &str = "grpc.health.v1.Health";
/// The path of the `Check` method.
pub const CHECK: &str = "/grpc.health.v1.Health/Check";
/// The path of the `Watch` method.
pub const WATCH: &str = "/grpc.health.v1.Health/Watch";
/// The path of the `List` method.
pub const LIST: &str = "/grpc.health.v1.Health/List";

/// `List` answers `RESOURCE_EXHAUSTED` past this many services (the limit
/// the proto sets).
pub const LIST_LIMIT: usize = 100;

/// `message HealthCheckRequest { string service = 1; }`: the request of
/// `Check` and `Watch`. Open on purpose (see the [crate docs](crate)).
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct HealthCheckRequest {
    /// The service to check; `""` is the server as a whole.
    #[prost(string, tag = "1")]
    pub service: String,
}

impl HealthCheckRequest {
    /// A request for `service` (`""`: the server as a whole).
    ///
    /// ```
    /// use health_grpc_proto::HealthCheckRequest;
    /// assert_eq!(HealthCheckRequest::new("db").service, "db");
    /// ```
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }
}

/// `message HealthCheckResponse { ServingStatus status = 1; }`. Open on
/// purpose (see the [crate docs](crate)).
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message)]
pub struct HealthCheckResponse {
    /// A [`ServingStatus`], as its wire number; read it with
    /// [`status()`](Self::status), which maps unknown numbers to `UNKNOWN`.
    #[prost(enumeration = "ServingStatus", tag = "1")]
    pub status: i32,
}

impl HealthCheckResponse {
    /// A response carrying `status`.
    ///
    /// ```
    /// use health_grpc_proto::{HealthCheckResponse, ServingStatus};
    /// assert_eq!(HealthCheckResponse::new(ServingStatus::Serving).status, 1);
    /// ```
    pub const fn new(status: ServingStatus) -> Self {
        Self {
            status: status as i32,
        }
    }
}

/// `message HealthListRequest {}`: the request of `List`. Open on purpose
/// (see the [crate docs](crate)).
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message)]
pub struct HealthListRequest {}

/// `message HealthListResponse { map<string, HealthCheckResponse> statuses = 1; }`.
/// Open on purpose (see the [crate docs](crate)).
///
/// A `BTreeMap`, so the services go out sorted by name (any map type
/// encodes the same entries).
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct HealthListResponse {
    /// Every service and its status.
    #[prost(btree_map = "string, message", tag = "1")]
    pub statuses: BTreeMap<String, HealthCheckResponse>,
}

/// `enum HealthCheckResponse.ServingStatus`. Non-exhaustive: the proto may
/// grow a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
#[non_exhaustive]
pub enum ServingStatus {
    /// `UNKNOWN = 0`.
    Unknown = 0,
    /// `SERVING = 1`.
    Serving = 1,
    /// `NOT_SERVING = 2`.
    NotServing = 2,
    /// `SERVICE_UNKNOWN = 3`: sent by `Watch` only, for a name the server
    /// does not know.
    ServiceUnknown = 3,
}

impl ServingStatus {
    /// The name in the `.proto` file, such as `"NOT_SERVING"`.
    ///
    /// ```
    /// use health_grpc_proto::ServingStatus;
    /// assert_eq!(ServingStatus::NotServing.as_str(), "NOT_SERVING");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ServingStatus::Unknown => "UNKNOWN",
            ServingStatus::Serving => "SERVING",
            ServingStatus::NotServing => "NOT_SERVING",
            ServingStatus::ServiceUnknown => "SERVICE_UNKNOWN",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    #[test]
    fn request_bytes() {
        // Field 1, wire type 2 (length-delimited): tag 0x0a.
        let r = HealthCheckRequest::new("db");
        assert_eq!(r.encode_to_vec(), [0x0a, 0x02, b'd', b'b']);
        // proto3: the default value is not written.
        assert!(HealthCheckRequest::default().encode_to_vec().is_empty());
        assert_eq!(
            HealthCheckRequest::decode(&[0x0a, 0x02, b'd', b'b'][..]).unwrap(),
            r
        );
    }

    #[test]
    fn response_bytes() {
        // Field 1, wire type 0 (varint): tag 0x08.
        for (status, byte) in [
            (ServingStatus::Serving, 1),
            (ServingStatus::NotServing, 2),
            (ServingStatus::ServiceUnknown, 3),
        ] {
            assert_eq!(
                HealthCheckResponse::new(status).encode_to_vec(),
                [0x08, byte]
            );
        }
        assert!(
            HealthCheckResponse::new(ServingStatus::Unknown)
                .encode_to_vec()
                .is_empty()
        );
        assert_eq!(HealthCheckResponse::decode(&b""[..]).unwrap().status, 0);
        // An unknown number decodes, and reads as the default, UNKNOWN.
        let odd = HealthCheckResponse::decode(&[0x08, 0x07][..]).unwrap();
        assert_eq!((odd.status, odd.status()), (7, ServingStatus::Unknown));
        // A tag without its value is an error, not a default.
        assert!(HealthCheckResponse::decode(&b"\x08"[..]).is_err());
    }

    #[test]
    fn list_bytes() {
        assert!(HealthListRequest {}.encode_to_vec().is_empty());
        let mut statuses = BTreeMap::new();
        statuses.insert(
            "".to_owned(),
            HealthCheckResponse::new(ServingStatus::Serving),
        );
        statuses.insert(
            "db".to_owned(),
            HealthCheckResponse::new(ServingStatus::NotServing),
        );
        let bytes = HealthListResponse { statuses }.encode_to_vec();
        // Each map entry is a message { string key = 1; value = 2; } in
        // field 1; an empty key is omitted, as in any proto3 message.
        let expected = [
            0x0a, 0x04, // entry, 4 bytes
            0x12, 0x02, 0x08, 0x01, // value: { status: SERVING }
            0x0a, 0x08, // entry, 8 bytes
            0x0a, 0x02, b'd', b'b', // key "db"
            0x12, 0x02, 0x08, 0x02, // value: { status: NOT_SERVING }
        ];
        assert_eq!(bytes, expected);
        let back = HealthListResponse::decode(&expected[..]).unwrap();
        assert_eq!(back.statuses.len(), 2);
        assert_eq!(back.statuses[""].status(), ServingStatus::Serving);
    }

    #[test]
    fn paths() {
        for (path, method) in [(CHECK, "Check"), (WATCH, "Watch"), (LIST, "List")] {
            assert_eq!(path, format!("/{SERVICE}/{method}"));
        }
    }
}
