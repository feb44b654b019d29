//! The server that `bench/http.sh` drives with wrk and `bench/callgrind.sh`
//! runs under callgrind.
//!
//! `bench-server <axum|actix> <static|health|ready|ready-cached|ready-verbose|composed> [ADDR]`
//! (ADDR defaults to 127.0.0.1:8090):
//!
//! - `static`: the framework's bare handler, `GET /static` answering the
//!   constant `{"status":"UP"}`: the floor.
//! - `health`: the registry's routes; the script requests `/health`
//!   (no liveness checks: the precomputed answer).
//! - `ready`: the same routes; `/ready` runs 10 checks that each sleep
//!   10 ms (concurrently, so about 10 ms a run).
//! - `ready-cached`: as `ready`, every check with `cache = "5s"`.
//! - `ready-verbose`: as `ready-cached`, with details disclosed to callers
//!   that send `Authorization: Bearer bench-token-0123456789abcdef`
//!   ([`TOKEN`]): `/ready?verbose` with that header lists the ten checks;
//!   the checks are tagged `cached`, for `/ready?tag=cached`.
//! - `composed`: an application as the README composes it: its own
//!   routes (`GET /static` among them) and the health routes merged in,
//!   one router; `/static` there is that application's floor.
//!
//! `BENCH_CACHE_SECS` (default 5) sets the cache of `ready-cached` and
//! `ready-verbose`: `bench/callgrind.sh` sets an hour, so that no check runs
//! again while it counts instructions.
//!
//! SIGTERM (and SIGINT) end the process at once with status 0, through
//! `exit`, so that a tool running the server (callgrind) writes its
//! results: a background process started from a script ignores SIGINT, and
//! the scripts stop the server with SIGTERM.
//!
//! Both frameworks run single-threaded, so that pinning the server to one
//! core compares like with like: axum on tokio's current-thread runtime,
//! actix-web with one worker (each actix worker is a current-thread
//! runtime; actix adds its accept thread and the system thread, mostly
//! idle). `BENCH_RUNTIME=multi` gives axum tokio's multi-thread runtime
//! and actix-web one worker per core instead, as `#[tokio::main]` and
//! `HttpServer`'s defaults do: `bench/soak.sh` compares the example
//! service's memory with that bare server. Nothing is logged.

use health::http::{Disclosure, Endpoints};
use health::{Check, Registry};
use std::net::SocketAddr;
use std::time::Duration;

type Error = Box<dyn std::error::Error + Send + Sync>;

const STATIC_BODY: &str = r#"{"status":"UP"}"#;
const USAGE: &str = "usage: bench-server <axum|actix> <static|health|ready|ready-cached|ready-verbose|composed> [ADDR]";

/// The bearer token of `ready-verbose` (public: this is a benchmark).
pub const TOKEN: &str = "bench-token-0123456789abcdef";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Static,
    Health,
    Ready,
    ReadyCached,
    ReadyVerbose,
    Composed,
}

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let framework = args.next().ok_or(USAGE)?;
    let mode = match args.next().as_deref() {
        Some("static") => Mode::Static,
        Some("health") => Mode::Health,
        Some("ready") => Mode::Ready,
        Some("ready-cached") => Mode::ReadyCached,
        Some("ready-verbose") => Mode::ReadyVerbose,
        Some("composed") => Mode::Composed,
        _ => return Err(USAGE.into()),
    };
    let addr: SocketAddr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:8090".into())
        .parse()?;
    let multi = match std::env::var("BENCH_RUNTIME").as_deref() {
        Ok("multi") => true,
        Ok("current") | Err(_) => false,
        Ok(other) => return Err(format!("BENCH_RUNTIME={other:?}: current or multi").into()),
    };
    let endpoints = endpoints(mode)?;
    match framework.as_str() {
        "axum" => serve_axum(mode, endpoints, addr, multi),
        "actix" => serve_actix(mode, endpoints, addr, multi),
        _ => Err(USAGE.into()),
    }
}

/// Ten readiness checks of 10 ms each; cached (for `BENCH_CACHE_SECS`,
/// default 5 s) in `ready-cached` and `ready-verbose`, which also discloses
/// details to [`TOKEN`].
fn endpoints(mode: Mode) -> Result<Endpoints, Error> {
    let cache = match std::env::var("BENCH_CACHE_SECS") {
        Ok(secs) => Duration::from_secs(
            secs.parse()
                .map_err(|e| format!("BENCH_CACHE_SECS={secs:?}: {e}"))?,
        ),
        Err(_) => Duration::from_secs(5),
    };
    let cached = matches!(mode, Mode::ReadyCached | Mode::ReadyVerbose);
    let checks = (0..10).map(|i| {
        let check = Check::new(format!("sleep-{i}"), || async {
            tokio::time::sleep(Duration::from_millis(10)).await;
        })
        .with_timeout(Duration::from_secs(1))
        .with_tags(["cached"]);
        if cached {
            check.with_cache(cache)
        } else {
            check
        }
    });
    // Only these checks: none declared elsewhere in the binary joins.
    let registry = Registry::builder()
        .without_declared()
        .checks(checks)
        .build()?;
    let mut endpoints = Endpoints::builder(registry);
    if mode == Mode::ReadyVerbose {
        endpoints = endpoints.disclosure(Disclosure::bearer(TOKEN));
    }
    Ok(endpoints.build()?)
}

/// Ends the process with status 0 on SIGTERM or SIGINT (see the module
/// docs); spawned on the server's runtime.
async fn exit_on_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        eprintln!("bench-server: cannot listen for signals");
        std::process::exit(1);
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    std::process::exit(0);
}

fn serve_axum(
    mode: Mode,
    endpoints: Endpoints,
    addr: SocketAddr,
    multi: bool,
) -> Result<(), Error> {
    use axum::Router;
    use axum::http::header::CONTENT_TYPE;
    use axum::routing::get;

    let runtime = if multi {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    }
    .enable_all()
    .build()?;
    runtime.block_on(async move {
        let bare = || {
            Router::new().route(
                "/static",
                get(|| async { ([(CONTENT_TYPE, "application/json")], STATIC_BODY) }),
            )
        };
        let app: Router = match mode {
            Mode::Static => bare(),
            // The README's composition: the application's routes, the
            // health routes merged in.
            Mode::Composed => bare()
                .route("/", get(|| async { "hello" }))
                .route("/api/items", get(|| async { "[]" }))
                .merge(health::axum::routes(endpoints)),
            _ => health::axum::routes(endpoints),
        };
        tokio::spawn(exit_on_signal());
        let listener = tokio::net::TcpListener::bind(addr).await?;
        println!("bench-server axum {mode:?} listening on {addr}");
        axum::serve(listener, app).await?;
        Ok(())
    })
}

fn serve_actix(
    mode: Mode,
    endpoints: Endpoints,
    addr: SocketAddr,
    multi: bool,
) -> Result<(), Error> {
    use actix_web::http::header::ContentType;
    use actix_web::{App, HttpResponse, HttpServer, web};

    actix_web::rt::System::new().block_on(async move {
        let mut server = HttpServer::new(move || {
            let app = App::new();
            let bare = |app: App<_>| {
                app.route(
                    "/static",
                    web::get().to(|| async {
                        HttpResponse::Ok()
                            .content_type(ContentType::json())
                            .body(STATIC_BODY)
                    }),
                )
            };
            match mode {
                Mode::Static => bare(app),
                // The README's composition: the application's routes and
                // the health routes, one App. actix-web tries resources in
                // the order they were added: the floor, /static, comes
                // last of the application's, just before the health routes,
                // so that both pay the same failed matches (but one).
                Mode::Composed => bare(
                    app.route("/", web::get().to(|| async { "hello" }))
                        .route("/api/items", web::get().to(|| async { "[]" })),
                )
                .configure(health::actix::configure(endpoints.clone())),
                _ => app.configure(health::actix::configure(endpoints.clone())),
            }
        })
        // actix-web's own signal handling would stop gracefully; the
        // benchmark wants an immediate, clean exit.
        .disable_signals();
        if !multi {
            server = server.workers(1);
        }
        let server = server.bind(addr)?.run();
        actix_web::rt::spawn(exit_on_signal());
        println!("bench-server actix {mode:?} listening on {addr}");
        server.await?;
        Ok(())
    })
}
