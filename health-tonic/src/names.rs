//! Service names: what each name a client asks for stands for, and how its
//! status is read from the registry.

use crate::proto::ServingStatus;
use health_core::{Lifecycle, Probe, Registry, Status};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a service name stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// A whole probe (`""` is readiness).
    Probe(Probe),
    /// One check, by name, whatever its probes.
    Component(Arc<str>),
}

impl Target {
    /// The status now, as the registry decides it: a probe's verdict (no
    /// components built), or one check's status. Timeouts, panics, single
    /// flight, cache, interval, threshold, startup latch and lifecycle are
    /// all the registry's, exactly as over HTTP.
    pub(crate) async fn serving(&self, registry: &Registry) -> ServingStatus {
        let status = match self {
            Target::Probe(probe) => registry.verdict(*probe).await.status,
            // The name came from the registry's own checks: never `None`.
            Target::Component(name) => registry
                .run_component(name)
                .await
                .map_or(Status::Unknown, |report| report.status()),
        };
        status.into()
    }

    /// `Some(NOT_SERVING)` when the lifecycle alone decides this target's
    /// status (readiness while draining or in maintenance), without
    /// running anything.
    pub(crate) fn overridden(&self, registry: &Registry) -> Option<ServingStatus> {
        let follows = matches!(self, Target::Probe(Probe::Readiness));
        (follows && registry.lifecycle() != Lifecycle::Serving).then_some(ServingStatus::NotServing)
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
                    Target::Component(check.name().into()),
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

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Name and target, sorted by name.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Target)> {
        self.0.iter().map(|(name, target)| (name.as_str(), target))
    }
}
