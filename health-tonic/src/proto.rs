//! The messages and names of `grpc.health.v1`, as the vendored
//! `proto/health.proto` (grpc/grpc-proto, with gRFC A90's `List`) defines
//! them, written out with prost's derives: no `protoc` at build time.
//!
//! The encoding is pinned by this module's unit tests (exact bytes) and
//! checked against the `.proto` itself with `protoc --encode`/`--decode`
//! by `tests/proto.rs`.
//!
//! ```
//! use health_tonic::proto::{HealthCheckResponse, ServingStatus};
//! use prost::Message;
//!
//! let response = HealthCheckResponse::new(ServingStatus::NotServing);
//! assert_eq!(response.encode_to_vec(), [0x08, 0x02]);
//! assert_eq!(response.status(), ServingStatus::NotServing);
//! ```

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
/// `Check` and `Watch`.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct HealthCheckRequest {
    /// The service to check; `""` is the server as a whole.
    #[prost(string, tag = "1")]
    pub service: String,
}

/// `message HealthCheckResponse { ServingStatus status = 1; }`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message)]
pub struct HealthCheckResponse {
    /// A [`ServingStatus`], as its wire number; read it with
    /// [`status()`](Self::status), which maps unknown numbers to `UNKNOWN`.
    #[prost(enumeration = "ServingStatus", tag = "1")]
    pub status: i32,
}

impl HealthCheckResponse {
    /// A response carrying `status`.
    pub const fn new(status: ServingStatus) -> Self {
        Self {
            status: status as i32,
        }
    }
}

/// `message HealthListRequest {}`: the request of `List`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message)]
pub struct HealthListRequest {}

/// `message HealthListResponse { map<string, HealthCheckResponse> statuses = 1; }`.
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
    /// `UNKNOWN = 0`: never sent by this crate.
    Unknown = 0,
    /// `SERVING = 1`.
    Serving = 1,
    /// `NOT_SERVING = 2`.
    NotServing = 2,
    /// `SERVICE_UNKNOWN = 3`: only `Watch` sends it, for a name it does not
    /// know.
    ServiceUnknown = 3,
}

impl ServingStatus {
    /// The name in the `.proto` file, such as `"NOT_SERVING"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ServingStatus::Unknown => "UNKNOWN",
            ServingStatus::Serving => "SERVING",
            ServingStatus::NotServing => "NOT_SERVING",
            ServingStatus::ServiceUnknown => "SERVICE_UNKNOWN",
        }
    }
}

/// The one mapping of a health status to gRPC: UP and DEGRADED are
/// `SERVING`; DOWN, UNKNOWN and OUT_OF_SERVICE are `NOT_SERVING` (as
/// [`Status::is_serving`](health_core::Status::is_serving) decides, the
/// same rule as HTTP's 200 or 503).
///
/// ```
/// use health_core::Status;
/// use health_tonic::proto::ServingStatus;
/// assert_eq!(ServingStatus::from(Status::Degraded), ServingStatus::Serving);
/// assert_eq!(ServingStatus::from(Status::OutOfService), ServingStatus::NotServing);
/// ```
impl From<health_core::Status> for ServingStatus {
    fn from(status: health_core::Status) -> Self {
        if status.is_serving() {
            ServingStatus::Serving
        } else {
            ServingStatus::NotServing
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use health_core::Status;
    use prost::Message;

    #[test]
    fn request_bytes() {
        // Field 1, wire type 2 (length-delimited): tag 0x0a.
        let r = HealthCheckRequest {
            service: "db".into(),
        };
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
        // An unknown number decodes, and reads as the default, UNKNOWN.
        let odd = HealthCheckResponse::decode(&[0x08, 0x07][..]).unwrap();
        assert_eq!((odd.status, odd.status()), (7, ServingStatus::Unknown));
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
    fn mapping() {
        use ServingStatus::{NotServing, Serving};
        for (status, serving) in [
            (Status::Up, Serving),
            (Status::Degraded, Serving),
            (Status::Unknown, NotServing),
            (Status::Down, NotServing),
            (Status::OutOfService, NotServing),
        ] {
            assert_eq!(ServingStatus::from(status), serving, "{status}");
        }
    }
}
