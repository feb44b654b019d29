//! The one mapping of a health status to a gRPC serving status.

use crate::proto::ServingStatus;
use health_core::Status;

/// The one mapping of a health status to gRPC: UP and DEGRADED are
/// `SERVING`; DOWN, UNKNOWN and OUT_OF_SERVICE are `NOT_SERVING` (as
/// [`Status::is_serving`] decides, the same rule as HTTP's 200 or 503).
///
/// ```
/// use health_core::Status;
/// use health_tonic::proto::ServingStatus;
/// use health_tonic::serving_status;
///
/// assert_eq!(serving_status(Status::Degraded), ServingStatus::Serving);
/// assert_eq!(serving_status(Status::OutOfService), ServingStatus::NotServing);
/// ```
pub fn serving_status(status: Status) -> ServingStatus {
    if status.is_serving() {
        ServingStatus::Serving
    } else {
        ServingStatus::NotServing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(serving_status(status), serving, "{status}");
        }
    }
}
