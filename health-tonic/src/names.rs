//! Service names: what each name a client asks for stands for, and how its
//! status is read from the registry.

use crate::proto::ServingStatus;
use crate::status::serving_status;
use health_core::{Check, Lifecycle, Probe, Registry, Status};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::time::Instant;

/// What a service name stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// A whole probe (`""` is readiness).
    Probe(Probe),
    /// One check, by name, whatever its probes.
    Component(Component),
}

/// One check served as a service of its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Component {
    name: Arc<str>,
    /// In the startup probe and no other: once startup latched it never
    /// runs again, and its latched result (it passed) is its status.
    startup_only: bool,
    /// An `interval` check: its background task runs it, reading its
    /// status runs nothing.
    background: bool,
}

impl Component {
    fn new(check: &Check) -> Self {
        let probes = check.policy().probes();
        Self {
            name: check.name().into(),
            startup_only: probes.iter().eq([Probe::Startup]),
            background: check.policy().interval().is_some(),
        }
    }

    /// Its serving status, as the registry decides it (a check of the
    /// startup probe alone answers its latched result once startup
    /// latched, and runs no more).
    async fn serving(&self, registry: &Registry, deadline: Option<Instant>) -> ServingStatus {
        // The name came from the registry's own checks: never `None`.
        let report = match deadline {
            Some(deadline) => registry.run_component_until(&self.name, deadline).await,
            None => registry.run_component(&self.name).await,
        };
        serving_status(report.map_or(Status::Unknown, |report| report.status()))
    }
}

impl Target {
    /// The status now, as the registry decides it: a probe's verdict (no
    /// components built), or one check's status. Timeouts, panics, single
    /// flight, cache, interval, threshold, startup latch and lifecycle are
    /// all the registry's, exactly as over HTTP.
    ///
    /// With a `deadline` (a caller's `grpc-timeout`), the answer comes by
    /// it: checks still running answer their latest result (see
    /// `Registry::run_until`).
    pub(crate) async fn serving(
        &self,
        registry: &Registry,
        deadline: Option<Instant>,
    ) -> ServingStatus {
        match self {
            Target::Probe(probe) => {
                let verdict = match (registry.verdict_now(*probe), deadline) {
                    (Some(verdict), _) => verdict,
                    (None, Some(deadline)) => registry.verdict_until(*probe, deadline).await,
                    (None, None) => registry.verdict(*probe).await,
                };
                serving_status(verdict.status)
            }
            Target::Component(component) => component.serving(registry, deadline).await,
        }
    }

    /// `Some(NOT_SERVING)` when the lifecycle alone decides this target's
    /// status (readiness while draining or in maintenance), without
    /// running anything.
    pub(crate) fn overridden(&self, registry: &Registry) -> Option<ServingStatus> {
        let follows = matches!(self, Target::Probe(Probe::Readiness));
        (follows && registry.lifecycle() != Lifecycle::Serving).then_some(ServingStatus::NotServing)
    }

    /// Whether [`serving`](Self::serving) may run a check now, rather than
    /// read results at hand: `false` for what only `interval` checks
    /// decide, for startup once latched (and a startup-only check then),
    /// and for readiness out of service. A `cache` check counts as one
    /// that may run (its result may be past its TTL).
    pub(crate) fn runs_checks(&self, registry: &Registry) -> bool {
        match self {
            Target::Probe(Probe::Readiness) if registry.lifecycle() != Lifecycle::Serving => false,
            Target::Probe(Probe::Startup) if registry.is_started() => false,
            Target::Probe(probe) => registry
                .checks()
                .any(|c| c.policy().probes().contains(*probe) && c.policy().interval().is_none()),
            Target::Component(c) => !(c.background || (c.startup_only && registry.is_started())),
        }
    }
}

/// Every service name the server answers, sorted.
#[derive(Debug)]
pub(crate) struct Services(BTreeMap<String, Target>);

impl Services {
    /// `""` for readiness, `probe_names` for the probes, and with
    /// `components` each check's name. The names must not clash (the
    /// builder checked).
    pub(crate) fn new(
        registry: &Registry,
        probe_names: &[(Probe, String)],
        components: bool,
    ) -> Self {
        let mut map = BTreeMap::new();
        map.insert(String::new(), Target::Probe(Probe::Readiness));
        if components {
            for check in registry.checks() {
                map.insert(
                    check.name().to_owned(),
                    Target::Component(Component::new(check)),
                );
            }
        }
        for (probe, name) in probe_names {
            map.insert(name.clone(), Target::Probe(*probe));
        }
        Self(map)
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Target> {
        self.0.get(name)
    }

    /// The name of `probe`'s service: the one given to the builder (for
    /// readiness, that name rather than `""`).
    pub(crate) fn name_of(&self, probe: Probe) -> &str {
        self.iter()
            .find(|(name, target)| !name.is_empty() && **target == Target::Probe(probe))
            .map_or("", |(name, _)| name)
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Name and target, sorted by name.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Target)> {
        self.0.iter().map(|(name, target)| (name.as_str(), target))
    }
}
