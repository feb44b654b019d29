//! Shared helpers of the workspace-level tests.

pub mod checks;
pub mod client;
pub mod servers;
pub mod tasks;

/// Checks declared in a private module of a library crate: an integration
/// test that names this crate must see them registered.
mod library_checks {
    use health::health_check;

    /// Shared state type of the library's checks.
    pub struct LibraryState(pub u32);

    #[health_check(name = "library.private", tags = ["library"])]
    async fn private_check(state: &LibraryState) -> bool {
        state.0 > 0
    }
}

pub use library_checks::LibraryState;

#[cfg(test)]
mod unit_test_checks {
    use health::{Probe, Registry, Status, health_check};

    #[health_check(name = "unit.only", tags = ["unit"])]
    fn only_in_unit_tests() -> Result<(), &'static str> {
        Err("declared in a unit-test module")
    }

    #[tokio::test]
    async fn checks_declared_in_unit_test_modules_are_registered() {
        let reg = Registry::builder()
            .filter(|c| c.has_tag("unit"))
            .build()
            .unwrap();
        let report = reg.run(Probe::Readiness).await;
        let c = report.component("unit.only").unwrap();
        assert_eq!(
            (c.status(), c.message()),
            (Status::Down, Some("declared in a unit-test module"))
        );
    }
}
