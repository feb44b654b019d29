//! Service names: what each name a client asks for stands for, and how its
//! status is read from the registry.

use crate::proto::ServingStatus;
use crate::status::serving_status;
use health_core::{Lifecycle, Probe, Registry};
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

/// One check served as a service of its own, by name: checks come and go
/// at run time, so what it stands for is looked up at each evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Component {
    name: Arc<str>,
}

impl Component {
    pub(crate) fn new(name: &str) -> Self {
        Self { name: name.into() }
    }

    /// Its serving status, as the registry decides it (a check of the
    /// startup probe alone answers its latched result once startup
    /// latched, and runs no more); `SERVICE_UNKNOWN` while the registry
    /// holds no check of this name (removed, or not added yet).
    async fn serving(&self, registry: &Registry, deadline: Option<Instant>) -> ServingStatus {
        let report = match deadline {
            Some(deadline) => registry.run_component_until(&self.name, deadline).await,
            None => registry.run_component(&self.name).await,
        };
        report.map_or(ServingStatus::ServiceUnknown, |report| {
            serving_status(report.status())
        })
    }

    /// Whether evaluating it may run its check: not for an `interval`
    /// check (its background task runs it), a check of the startup probe
    /// alone once startup latched, or a name with no check now.
    fn runs_check(&self, registry: &Registry) -> bool {
        let checks = registry.checks();
        let Some(check) = checks.get(&self.name) else {
            return false;
        };
        let startup_only = check.policy().probes().iter().eq([Probe::Startup]);
        !(check.policy().interval().is_some() || (startup_only && registry.is_started()))
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
                .iter()
                .any(|c| c.policy().probes().contains(*probe) && c.policy().interval().is_none()),
            Target::Component(c) => c.runs_check(registry),
        }
    }
}

/// The service names the server answers: `""` and the probes' names,
/// fixed when it is built; with components, each check's name, as the
/// registry holds them now.
#[derive(Debug)]
pub(crate) struct Services {
    probes: BTreeMap<String, Probe>,
    components: bool,
}

impl Services {
    /// `""` for readiness, `probe_names` for the probes, and with
    /// `components` each check's name. The names must not clash (the
    /// builder checked, and reserved the probes' names in the registry).
    pub(crate) fn new(probe_names: &[(Probe, String)], components: bool) -> Self {
        let mut probes = BTreeMap::new();
        probes.insert(String::new(), Probe::Readiness);
        for (probe, name) in probe_names {
            probes.insert(name.clone(), *probe);
        }
        Self { probes, components }
    }

    /// What `name` stands for now.
    pub(crate) fn get(&self, registry: &Registry, name: &str) -> Option<Target> {
        if let Some(probe) = self.probes.get(name) {
            return Some(Target::Probe(*probe));
        }
        (self.components && registry.checks().get(name).is_some())
            .then(|| Target::Component(Component::new(name)))
    }

    /// What a `Watch` of `name` follows: [`get`](Self::get)'s target, or
    /// with components a name that is no check now, as the component it
    /// would be if a check so named were added (`SERVICE_UNKNOWN` until
    /// then). `None`: the name can never be served.
    pub(crate) fn watched(&self, registry: &Registry, name: &str) -> Option<Target> {
        self.get(registry, name).or_else(|| {
            (self.components && health_names::problem(name).is_none())
                .then(|| Target::Component(Component::new(name)))
        })
    }

    /// The name of `probe`'s service: the one given to the builder (for
    /// readiness, that name rather than `""`).
    pub(crate) fn name_of(&self, probe: Probe) -> &str {
        self.probes
            .iter()
            .find(|(name, p)| !name.is_empty() && **p == probe)
            .map_or("", |(name, _)| name)
    }

    /// Every name and its target now, sorted by name.
    pub(crate) fn all(&self, registry: &Registry) -> Vec<(String, Target)> {
        let mut all: Vec<(String, Target)> = self
            .probes
            .iter()
            .map(|(name, probe)| (name.clone(), Target::Probe(*probe)))
            .collect();
        if self.components {
            let checks = registry.checks();
            all.extend(checks.iter().map(|c| {
                (
                    c.name().to_owned(),
                    Target::Component(Component::new(c.name())),
                )
            }));
            all.sort_by(|a, b| a.0.cmp(&b.0));
        }
        all
    }
}
