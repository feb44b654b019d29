//! A user's service under overload, wired one way or another: two workers,
//! `GET /work` (2 ms of CPU a request), `GET /slow` (a 50 ms dependency
//! behind a global concurrency limit of 32 with load shedding: 503 at
//! once past it, as user middleware does), `GET /block?ms=N` (blocks its
//! worker), one readiness check and one liveness check.
//!
//! Environment: `FRAMEWORK` (`axum` or `actix`), `WIRING` (`merged`: the
//! health routes merged into the application's router, under its
//! middleware, as the README of 0.2 showed; `listener`: a dedicated probe
//! listener on `PROBE_BIND`, with `RuntimeWatch`), `BIND` (default
//! 127.0.0.1:18300), `PROBE_BIND` (127.0.0.1:18301), `CHECK_MS` (how long
//! the readiness check takes, default 1), `CHECK_INTERVAL_MS` (refresh it
//! in the background this often, default 1000, so probes never wait for
//! it; 0: it runs on each probe), `WORK_MS` (default 2). Prints
//! `listening` when both ports are bound; stops on SIGTERM or Ctrl-C.

use health::checks::RuntimeWatch;
use health::http::Endpoints;
use health::{Check, Probe, Registry};
use std::time::{Duration, Instant};

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn millis(name: &str, default: u64) -> Duration {
    Duration::from_millis(env_or(name, "").parse().unwrap_or(default))
}

/// `ms` of work on this thread: the CPU-bound request.
fn spin(ms: Duration) -> u64 {
    let start = Instant::now();
    let mut x = 0_u64;
    while start.elapsed() < ms {
        for i in 0..1000_u64 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i);
        }
    }
    x
}

/// `ms=N` of a query: how long `/block` blocks its worker.
fn block_for(query: Option<&str>) -> Duration {
    let ms = query
        .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("ms=")))
        .and_then(|ms| ms.parse().ok())
        .unwrap_or(0);
    Duration::from_millis(ms)
}

/// The registry, and the runtime watch (on the runtime at hand; actix-web's
/// workers add theirs).
fn registry(listener: bool) -> (Registry, RuntimeWatch) {
    let check_ms = millis("CHECK_MS", 1);
    let interval = millis("CHECK_INTERVAL_MS", 1000);
    let mut database = Check::new("database", move || tokio::time::sleep(check_ms))
        .with_timeout(check_ms * 2 + Duration::from_secs(1));
    if !interval.is_zero() {
        database = database.with_interval(interval.max(check_ms * 2 + Duration::from_secs(2)));
    }
    let mut builder = Registry::builder()
        .without_declared()
        .check(database)
        .drain_delay(Duration::ZERO);
    let watch = RuntimeWatch::new();
    if listener {
        builder = builder.checks(watch.checks());
    } else {
        builder = builder.check(Check::new("event_loop", || async {}).with_probes(Probe::Liveness));
    }
    (builder.build().expect("a registry"), watch)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let framework = env_or("FRAMEWORK", "axum");
    let listener = match env_or("WIRING", "merged").as_str() {
        "merged" => false,
        "listener" => true,
        other => return Err(format!("WIRING={other}: merged or listener").into()),
    };
    let bind = env_or("BIND", "127.0.0.1:18300");
    let probe_bind = env_or("PROBE_BIND", "127.0.0.1:18301");
    let work = millis("WORK_MS", 2);
    match framework.as_str() {
        "axum" => axum_main(&bind, &probe_bind, listener, work),
        "actix" => actix_main(&bind, &probe_bind, listener, work),
        other => Err(format!("FRAMEWORK={other}: axum or actix").into()),
    }
}

fn axum_main(
    bind: &str,
    probe_bind: &str,
    listener: bool,
    work: Duration,
) -> Result<(), Box<dyn std::error::Error>> {
    use axum::Router;
    use axum::error_handling::HandleErrorLayer;
    use axum::http::StatusCode;
    use axum::routing::get;
    use tower::ServiceBuilder;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let (registry, _) = registry(listener);
        let endpoints = Endpoints::new(registry.clone())?;
        let _probes = match listener {
            true => Some(health::tower::ProbeListener::bind(probe_bind)?.serve(endpoints.clone())?),
            false => None,
        };
        let app = Router::new()
            .route("/work", get(move || async move { spin(work).to_string() }))
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    "slow"
                }),
            )
            .route(
                "/block",
                get(|uri: axum::http::Uri| async move {
                    std::thread::sleep(block_for(uri.query()));
                    "unblocked"
                }),
            )
            .merge(health::axum::routes(endpoints))
            // The application's global middleware: a concurrency limit with
            // load shedding. Merged health routes are under it too.
            .layer(
                ServiceBuilder::new()
                    .layer(HandleErrorLayer::new(|_: tower::BoxError| async {
                        StatusCode::SERVICE_UNAVAILABLE
                    }))
                    .load_shed()
                    .concurrency_limit(32),
            );
        let tcp = tokio::net::TcpListener::bind(bind).await?;
        println!("listening");
        axum::serve(
            tcp,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(registry.shutdown_signal())
        .await?;
        Ok(())
    })
}

fn actix_main(
    bind: &str,
    probe_bind: &str,
    listener: bool,
    work: Duration,
) -> Result<(), Box<dyn std::error::Error>> {
    use actix_web::dev::Service;
    use actix_web::{App, HttpResponse, HttpServer, web};
    use std::sync::Arc;
    use tokio::sync::Semaphore;

    actix_web::rt::System::new().block_on(async move {
        let (registry, watch) = registry(listener);
        let endpoints = Endpoints::new(registry.clone())?;
        let _probes = match listener {
            true => Some(health::tower::ProbeListener::bind(probe_bind)?.serve(endpoints.clone())?),
            false => None,
        };
        // The application's global middleware: at most 32 requests at once
        // (across both workers), 503 at once past it.
        let limit = Arc::new(Semaphore::new(32));
        let server = HttpServer::new(move || {
            // Each worker runs a runtime of its own: watch them all.
            if listener {
                watch.watch_this_runtime();
            }
            let limit = Arc::clone(&limit);
            App::new()
                .configure(health::actix::configure(endpoints.clone()))
                .route(
                    "/work",
                    web::get().to(move || async move { spin(work).to_string() }),
                )
                .route(
                    "/slow",
                    web::get().to(|| async {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        "slow"
                    }),
                )
                .route(
                    "/block",
                    web::get().to(|request: actix_web::HttpRequest| async move {
                        std::thread::sleep(block_for(Some(request.query_string())));
                        "unblocked"
                    }),
                )
                .wrap_fn(move |request, service| {
                    let permit = Arc::clone(&limit).try_acquire_owned();
                    let call = permit.as_ref().is_ok().then(|| service.call(request));
                    async move {
                        let _permit = permit;
                        match call {
                            Some(call) => call.await,
                            None => Err(actix_web::error::InternalError::from_response(
                                "shed",
                                HttpResponse::ServiceUnavailable().finish(),
                            )
                            .into()),
                        }
                    }
                })
        })
        .workers(2)
        .disable_signals()
        .bind(bind)?
        .run();
        println!("listening");
        let handle = server.handle();
        let drained = registry.shutdown_signal();
        actix_web::rt::spawn(async move {
            drained.await;
            handle.stop(true).await;
        });
        server.await?;
        Ok(())
    })
}
