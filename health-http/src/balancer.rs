//! What a balancer reads of a probe's answer besides its body: the status
//! code of each probe and status ([`status_code`] unless
//! [`EndpointsBuilder::status_code`](crate::EndpointsBuilder::status_code)
//! says otherwise), and Envoy's `x-envoy-degraded`.

use crate::error::Problem;
use health_core::{Probe, Status};

/// The header Envoy's active health checker reads to mark a host degraded
/// (its presence; the value is not read).
pub(crate) const ENVOY_DEGRADED: &str = "x-envoy-degraded";

/// The HTTP status code of a probe answer with this status: 200 when
/// serving (UP, DEGRADED), 503 otherwise. The default of every probe and
/// of `/health/{name}`;
/// [`EndpointsBuilder::status_code`](crate::EndpointsBuilder::status_code)
/// changes a probe's.
///
/// ```
/// use health_core::Status;
/// assert_eq!(health_http::status_code(Status::Degraded), 200);
/// assert_eq!(health_http::status_code(Status::OutOfService), 503);
/// ```
pub const fn status_code(status: Status) -> u16 {
    if status.is_serving() { 200 } else { 503 }
}

const PROBES: [Probe; 3] = [Probe::Liveness, Probe::Readiness, Probe::Startup];
const STATUSES: [Status; 5] = [
    Status::Up,
    Status::Degraded,
    Status::Unknown,
    Status::Down,
    Status::OutOfService,
];

/// The status codes and headers of probe answers, validated: what
/// [`Endpoints`](crate::Endpoints) keeps of the builder's
/// `status_code` and `envoy_degraded_header`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Balancer {
    /// Indexed like [`PROBES`], then like [`STATUSES`].
    codes: [[u16; STATUSES.len()]; PROBES.len()],
    envoy_degraded: bool,
}

impl Balancer {
    /// The settings of `codes` (later entries win) and the Envoy header;
    /// every code that no prober reads as the status means is a
    /// [`Problem::StatusCode`].
    pub(crate) fn new(
        codes: &[(Probe, Status, u16)],
        envoy_degraded: bool,
    ) -> Result<Self, Vec<Problem>> {
        let mut table = PROBES.map(|_| STATUSES.map(status_code));
        let mut problems = Vec::new();
        for &(probe, status, code) in codes {
            if fits(status, code) {
                table[probe_index(probe)][status_index(status)] = code;
            } else {
                problems.push(Problem::StatusCode {
                    probe,
                    status,
                    code,
                });
            }
        }
        if problems.is_empty() {
            Ok(Self {
                codes: table,
                envoy_degraded,
            })
        } else {
            Err(problems)
        }
    }

    /// The status code of an answer with `status`: `probe`'s, or the
    /// default for a component (`None`).
    pub(crate) fn code(&self, probe: Option<Probe>, status: Status) -> u16 {
        match probe {
            Some(probe) => self.codes[probe_index(probe)][status_index(status)],
            None => status_code(status),
        }
    }

    /// Whether an answer with `status` carries `x-envoy-degraded`.
    pub(crate) fn marks_degraded(&self, status: Status) -> bool {
        self.envoy_degraded && status == Status::Degraded
    }
}

impl Default for Balancer {
    fn default() -> Self {
        Self {
            codes: PROBES.map(|_| STATUSES.map(status_code)),
            envoy_degraded: false,
        }
    }
}

/// Whether a prober reads `code` as `status` means: a code with a body
/// that carries no other instruction (2xx but 204 and 205, which forbid a
/// body; 4xx; 5xx), 2xx for UP, never 2xx for a status that does not
/// serve (UNKNOWN, DOWN, OUT_OF_SERVICE); DEGRADED either way.
pub(crate) const fn fits(status: Status, code: u16) -> bool {
    let success = matches!(code, 200..=203 | 206..=299);
    let failure = matches!(code, 400..=599);
    match status {
        Status::Up => success,
        Status::Degraded => success || failure,
        Status::Unknown | Status::Down | Status::OutOfService => failure,
    }
}

const fn probe_index(probe: Probe) -> usize {
    match probe {
        Probe::Liveness => 0,
        Probe::Readiness => 1,
        Probe::Startup => 2,
    }
}

const fn status_index(status: Status) -> usize {
    match status {
        Status::Up => 0,
        Status::Degraded => 1,
        Status::Unknown => 2,
        Status::Down => 3,
        Status::OutOfService => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_follow_the_tables() {
        for (i, probe) in PROBES.into_iter().enumerate() {
            assert_eq!(probe_index(probe), i);
        }
        for (i, status) in STATUSES.into_iter().enumerate() {
            assert_eq!(status_index(status), i);
        }
    }

    #[test]
    fn defaults_and_overrides() {
        let balancer = Balancer::new(
            &[
                (Probe::Readiness, Status::Degraded, 503),
                (Probe::Readiness, Status::Degraded, 429),
                (Probe::Liveness, Status::Down, 500),
            ],
            false,
        )
        .unwrap();
        assert_eq!(balancer.code(Some(Probe::Readiness), Status::Degraded), 429);
        assert_eq!(balancer.code(Some(Probe::Liveness), Status::Down), 500);
        assert_eq!(balancer.code(Some(Probe::Startup), Status::Degraded), 200);
        assert_eq!(balancer.code(Some(Probe::Readiness), Status::Down), 503);
        assert_eq!(balancer.code(None, Status::Degraded), 200);
        assert!(!balancer.marks_degraded(Status::Degraded));
        assert_eq!(Balancer::new(&[], false), Ok(Balancer::default()));
    }

    #[test]
    fn codes_a_prober_cannot_read_as_meant() {
        for (status, code) in [
            (Status::Degraded, 100),
            (Status::Degraded, 204),
            (Status::Degraded, 205),
            (Status::Degraded, 302),
            (Status::Degraded, 600),
            (Status::Degraded, 0),
            (Status::Up, 503),
            (Status::Up, 429),
            (Status::Down, 200),
            (Status::Unknown, 299),
            (Status::OutOfService, 202),
        ] {
            assert!(!fits(status, code), "{status} {code}");
        }
        for (status, code) in [
            (Status::Up, 200),
            (Status::Up, 299),
            (Status::Degraded, 200),
            (Status::Degraded, 429),
            (Status::Degraded, 503),
            (Status::Down, 500),
            (Status::Down, 404),
            (Status::OutOfService, 599),
        ] {
            assert!(fits(status, code), "{status} {code}");
        }
    }

    #[test]
    fn every_problem_at_once() {
        let problems = Balancer::new(
            &[
                (Probe::Readiness, Status::Degraded, 429),
                (Probe::Readiness, Status::Degraded, 302),
                (Probe::Liveness, Status::Down, 200),
            ],
            true,
        )
        .err();
        assert_eq!(
            problems,
            Some(vec![
                Problem::StatusCode {
                    probe: Probe::Readiness,
                    status: Status::Degraded,
                    code: 302
                },
                Problem::StatusCode {
                    probe: Probe::Liveness,
                    status: Status::Down,
                    code: 200
                },
            ])
        );
    }

    #[test]
    fn envoy_header_on_degraded_only() {
        let balancer = Balancer::new(&[], true).unwrap();
        assert!(balancer.marks_degraded(Status::Degraded));
        for status in [
            Status::Up,
            Status::Unknown,
            Status::Down,
            Status::OutOfService,
        ] {
            assert!(!balancer.marks_degraded(status), "{status}");
        }
    }
}
