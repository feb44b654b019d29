//! What each adapter must allow beyond the contract: configured paths, and
//! living beside an application's own routes (merged, nested, scoped).

use crate::support::{Server, build, builder, down, open, up};
use health::http::{Disclosure, Endpoints, Paths};

conformance! {
    /// The paths come from the endpoints' `Paths`.
    async fn configured_paths(adapter) {
        let paths = Paths::default()
            .prefix("/ops")
            .readiness("/readyz")
            .startup("startupz")
            .component(Some("/components"))
            .version(None);
        let registry = build(builder().check(up("db")).check(down("cache")));
        let endpoints = Endpoints::builder(registry)
            .paths(paths)
            .disclosure(Disclosure::always())
            .build()
            .expect("valid paths");
        let server = adapter.spawn(endpoints).await;
        for (target, code) in [
            ("/ops/health", 200),
            ("/ops/readyz", 503),
            ("/ops/startupz", 200),
            ("/ops/components/db", 200),
            ("/ops/components/cache", 503),
            ("/ops/components/nope", 404),
        ] {
            let r = server.get(target).await;
            assert_eq!(r.status, code, "{target}");
            assert_eq!(r.header("cache-control"), Some("no-store"), "{target}");
        }
        let r = server.request("POST", "/ops/readyz", &[("content-length", "0")]).await;
        assert_eq!((r.status, r.header("allow")), (405, Some("GET, HEAD")));
        // Not served: the framework's own 404.
        let unserved = ["/health", "/ready", "/ops/ready", "/ops/version", "/ops/health/db"];
        for target in unserved {
            assert_eq!(server.get(target).await.status, 404, "{target}");
        }
    }
}

/// axum: the routes merge into a router with its own state, and nest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axum_routes_merge_and_nest() {
    use ::axum::Router;
    use ::axum::extract::State;
    use ::axum::routing::get;

    #[derive(Clone)]
    struct AppState(&'static str);

    let endpoints = open([up("db"), down("cache")]);
    let app: Router = Router::new()
        .route(
            "/",
            get(|State(state): State<AppState>| async move { state.0 }),
        )
        .merge(health::axum::routes(endpoints.clone()))
        .nest("/ops", health::axum::routes(endpoints))
        .with_state(AppState("hello"));
    let server = Server::axum(app).await;
    assert_eq!(server.get("/").await.text(), "hello");
    assert_routes_at_root_and_under_ops(&server).await;
}

/// actix-web: the configuration sits beside the application's routes, and
/// in a scope.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actix_configure_beside_routes_and_in_scope() {
    use actix_web::web;

    let endpoints = open([up("db"), down("cache")]);
    let server = Server::actix(move |config: &mut web::ServiceConfig| {
        config
            .service(web::scope("/ops").configure(health::actix::configure(endpoints.clone())))
            .route("/", web::get().to(|| async { "hello" }))
            .configure(health::actix::configure(endpoints.clone()));
    })
    .await;
    assert_eq!(server.get("/").await.text(), "hello");
    assert_routes_at_root_and_under_ops(&server).await;
}

/// The health routes answer both at the root and under `/ops` (`db` up,
/// `cache` down).
async fn assert_routes_at_root_and_under_ops(server: &Server) {
    for prefix in ["", "/ops"] {
        for (path, code) in [
            ("/health", 200),
            ("/ready", 503),
            ("/health/db", 200),
            ("/health/nope", 404),
        ] {
            let target = format!("{prefix}{path}");
            assert_eq!(server.get(&target).await.status, code, "{target}");
        }
    }
}
