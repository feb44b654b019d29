//! The server that `bench/http.sh` drives with wrk.
//!
//! `bench-server <axum|actix> <static|health|ready|ready-cached> [ADDR]`
//! (ADDR defaults to 127.0.0.1:8090):
//!
//! - `static`: the framework's bare handler, `GET /static` answering the
//!   constant `{"status":"UP"}`: the floor.
//! - `health`: the registry's routes; the script requests `/health`
//!   (no liveness checks: the precomputed answer).
//! - `ready`: the same routes; `/ready` runs 10 checks that each sleep
//!   10 ms (concurrently, so about 10 ms a run).
//! - `ready-cached`: as `ready`, every check with `cache = "5s"`.
//!
//! Both frameworks run single-threaded, so that pinning the server to one
//! core compares like with like: axum on tokio's current-thread runtime,
//! actix-web with one worker (each actix worker is a current-thread
//! runtime; actix adds its accept thread and the system thread, mostly
//! idle). Nothing is logged.

use health::{Check, Registry};
use std::net::SocketAddr;
use std::time::Duration;

type Error = Box<dyn std::error::Error + Send + Sync>;

const STATIC_BODY: &str = r#"{"status":"UP"}"#;
const USAGE: &str = "usage: bench-server <axum|actix> <static|health|ready|ready-cached> [ADDR]";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Static,
    Health,
    Ready,
    ReadyCached,
}

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let framework = args.next().ok_or(USAGE)?;
    let mode = match args.next().as_deref() {
        Some("static") => Mode::Static,
        Some("health") => Mode::Health,
        Some("ready") => Mode::Ready,
        Some("ready-cached") => Mode::ReadyCached,
        _ => return Err(USAGE.into()),
    };
    let addr: SocketAddr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:8090".into())
        .parse()?;
    let registry = registry(mode)?;
    match framework.as_str() {
        "axum" => serve_axum(mode, registry, addr),
        "actix" => serve_actix(mode, registry, addr),
        _ => Err(USAGE.into()),
    }
}

/// Ten readiness checks of 10 ms each; cached for 5 s in `ready-cached`.
fn registry(mode: Mode) -> Result<Registry, Error> {
    let checks = (0..10).map(|i| {
        let check = Check::new(format!("sleep-{i}"), || async {
            tokio::time::sleep(Duration::from_millis(10)).await;
        })
        .timeout(Duration::from_secs(1));
        if mode == Mode::ReadyCached {
            check.cache(Duration::from_secs(5))
        } else {
            check
        }
    });
    // Only these checks: none declared elsewhere in the binary joins.
    Ok(Registry::builder()
        .without_declared()
        .checks(checks)
        .build()?)
}

fn serve_axum(mode: Mode, registry: Registry, addr: SocketAddr) -> Result<(), Error> {
    use axum::Router;
    use axum::http::header::CONTENT_TYPE;
    use axum::routing::get;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let app: Router = match mode {
            Mode::Static => Router::new().route(
                "/static",
                get(|| async { ([(CONTENT_TYPE, "application/json")], STATIC_BODY) }),
            ),
            _ => health::axum::routes(registry),
        };
        let listener = tokio::net::TcpListener::bind(addr).await?;
        println!("bench-server axum {mode:?} listening on {addr}");
        axum::serve(listener, app).await?;
        Ok(())
    })
}

fn serve_actix(mode: Mode, registry: Registry, addr: SocketAddr) -> Result<(), Error> {
    use actix_web::http::header::ContentType;
    use actix_web::{App, HttpResponse, HttpServer, web};

    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || {
            let app = App::new();
            match mode {
                Mode::Static => app.route(
                    "/static",
                    web::get().to(|| async {
                        HttpResponse::Ok()
                            .content_type(ContentType::json())
                            .body(STATIC_BODY)
                    }),
                ),
                _ => app.configure(health::actix::configure(registry.clone())),
            }
        })
        .workers(1)
        .bind(addr)?
        .run();
        println!("bench-server actix {mode:?} listening on {addr}");
        server.await?;
        Ok(())
    })
}
