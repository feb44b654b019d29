//! The admin routes: maintenance on (`PUT /admin/maintenance`) and off
//! (`DELETE /admin/maintenance`), behind `HEALTH_ADMIN_TOKEN`.
//!
//! Each request says the state it wants, so a retried request (a client's
//! or a proxy's retry after a lost answer) leaves the state as asked: never
//! a toggle, which a retry would undo.

use crate::{Reply, Service};
use health::Lifecycle;
use std::time::Duration;

/// How long readiness answers `Retry-After` during maintenance.
const MAINTENANCE_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The path of the maintenance route.
pub const MAINTENANCE_PATH: &str = "/admin/maintenance";

impl Service {
    /// `PUT /admin/maintenance`: maintenance on (again, if it already is).
    /// While on, `/ready` answers 503 OUT_OF_SERVICE with `Retry-After`, so
    /// load balancers take the instance out of rotation; liveness stays UP.
    ///
    /// Needs `Authorization: Bearer $HEALTH_ADMIN_TOKEN`; without a
    /// configured token the route answers 403: an admin route must never be
    /// open by default. 409 once the service drains.
    pub fn start_maintenance(&self, authorization: Option<&str>) -> Reply {
        if let Err(refused) = self.authorize_admin(authorization) {
            return refused;
        }
        let registry = self.registry();
        match registry.lifecycle() {
            Lifecycle::Serving => registry.set_maintenance(
                "maintenance via PUT /admin/maintenance",
                MAINTENANCE_RETRY_AFTER,
            ),
            Lifecycle::Maintenance { .. } => {}
            // Draining, or a state a later version adds: leave it alone.
            _ => return Reply::error(409, "the service is shutting down"),
        }
        Reply::json(
            200,
            &serde_json::json!({
                "maintenance": true,
                "retry_after_seconds": MAINTENANCE_RETRY_AFTER.as_secs(),
            }),
        )
    }

    /// `DELETE /admin/maintenance`: maintenance off (still off, if it
    /// was). The same token as [`start_maintenance`](Self::start_maintenance);
    /// 409 once the service drains.
    pub fn end_maintenance(&self, authorization: Option<&str>) -> Reply {
        if let Err(refused) = self.authorize_admin(authorization) {
            return refused;
        }
        let registry = self.registry();
        match registry.lifecycle() {
            Lifecycle::Maintenance { .. } => registry.clear_maintenance(),
            Lifecycle::Serving => {}
            _ => return Reply::error(409, "the service is shutting down"),
        }
        Reply::json(200, &serde_json::json!({ "maintenance": false }))
    }

    /// Any other method on the maintenance route: 405, naming the two.
    pub fn maintenance_method_not_allowed() -> Reply {
        let mut reply = Reply::error(
            405,
            "PUT /admin/maintenance starts maintenance, DELETE ends it",
        );
        reply.headers.push(("allow", "PUT, DELETE".into()));
        reply
    }

    /// `Ok` for a bearer of the admin token, else the refusal: 403 when no
    /// admin token is configured, 401 otherwise.
    fn authorize_admin(&self, authorization: Option<&str>) -> Result<(), Reply> {
        let Some(token) = &self.0.admin_token else {
            return Err(Reply::error(
                403,
                "set HEALTH_ADMIN_TOKEN to enable the admin routes",
            ));
        };
        // The same digest comparison as the health endpoints.
        if !token.authorizes(authorization) {
            let mut reply = Reply::error(401, "a valid bearer token is required");
            reply.headers.push(("www-authenticate", "Bearer".into()));
            return Err(reply);
        }
        Ok(())
    }
}
