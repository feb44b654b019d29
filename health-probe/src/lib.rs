//! A small health probe for container images without curl (distroless,
//! scratch): one HTTP/1.1 GET or one standard gRPC health check, and an
//! exit code.
//!
//! # Usage
//!
//! ```text
//! health-probe http://127.0.0.1:8080/ready            # 2xx = serving
//! health-probe grpc://127.0.0.1:50051 [--service NAME] # grpc.health.v1.Health/Check, h2c
//! health-probe https://… | grpcs://…                   # with the `tls` feature
//!
//!   --timeout DURATION          bounds the request/RPC once connected (default 1s)
//!   --connect-timeout DURATION  bounds resolving + connecting (default: --timeout)
//!   -v, --verbose               status line (and HTTP body) to stdout
//!   -h, --help    --version
//! ```
//!
//! Durations are written `200ms`, `1s`, `1.5s`, `1m30s`, in the grammar of
//! `health_names::duration` that the `#[health_check]` attribute reads too
//! (units `ns`, `us`, `ms`, `s`, `m`, `h`). Host names are
//! resolved within the connect timeout; IPv6 literals are bracketed
//! (`http://[::1]:8080/`). Redirects are not followed. `--verbose` prints
//! `HTTP/1.1 503 Service Unavailable` and the body (first 64 KiB, control
//! characters but newlines and tabs replaced by spaces), or
//! `status: NOT_SERVING`.
//!
//! # Exit codes
//!
//! Those of `grpc_health_probe`, for both schemes:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | serving: gRPC `SERVING`, HTTP 2xx |
//! | 1 | invalid arguments (also `https`/`grpcs` without the `tls` feature) |
//! | 2 | connection failed, or the connect timeout expired (TLS handshake included) |
//! | 3 | request or RPC failed or timed out, gRPC error statuses (`NOT_FOUND` for an unknown service, `UNIMPLEMENTED`), HTTP protocol errors |
//! | 4 | answered, not serving: gRPC `NOT_SERVING`/`UNKNOWN`/`SERVICE_UNKNOWN`, any non-2xx HTTP status (3xx too) |
//!
//! Every failure prints one line to stderr, `health-probe: …`, saying what
//! to fix (control characters from a server's text replaced by spaces).
//!
//! # Size
//!
//! Measured on x86_64 Linux with Rust 1.95, built with the workspace's
//! `[profile.probe]` (release with `opt-level = "s"`, fat LTO, one codegen
//! unit, `panic = "abort"`, `strip = true`; profiles can only be set in the
//! workspace root): `cargo build --profile probe -p health-probe`.
//!
//! | build | stripped size |
//! |---|---|
//! | default features (links glibc and libgcc_s) | 929,088 bytes (907 KiB) |
//! | `--features tls` (rustls + ring + webpki roots) | 1,931,248 bytes (1.84 MiB) |
//! | default features, static (`RUSTFLAGS="-C target-feature=+crt-static"`) | 1,946,704 bytes (1.85 MiB) |
//! | for comparison: plain `--release`, stripped afterwards | 1,986,328 bytes |
//!
//! The static build runs in an empty root (as in a `scratch` image) with
//! IP-literal URLs; host names there need an `/etc/hosts`.
//!
//! # Library
//!
//! The binary is [`cli::parse_args`] then [`run`]; both are public for
//! tests.
//!
//! # Layers
//!
//! Its clients only: hyper, tonic's client call, rustls with `tls`, and the
//! `grpc.health.v1` messages of `health-grpc-proto` (prost alone); none of
//! the health model; durations in the grammar of `health-names`. Inside,
//! each module imports only from the rows above its own (the workspace's
//! `tests/tests/layers.rs` checks this table against the code):
//!
//! | module | what | may import |
//! |---|---|---|
//! | [`target`], [`outcome`], [`printable`] | the URL: scheme, host, port, path; exit codes, [`Reply`], [`Failure`]; what of a server's text may reach the terminal | nothing |
//! | [`cli`] | the command line | `target` |
//! | `tls` | rustls client settings (feature `tls`) | `cli`, `outcome`, `target` |
//! | `net` | resolving and connecting, within the connect timeout | `cli`, `outcome`, `target`, `tls` |
//! | `http_probe`, [`grpc`] | `http://`, `https://`: one HTTP/1.1 GET; `grpc://`, `grpcs://`: one `Health/Check` | `cli`, `outcome`, `net`, `printable` |
//!
//! `lib.rs` holds [`run`]: one probe on a current-thread runtime.

pub mod cli;
pub mod grpc;
mod http_probe;
mod net;
pub mod outcome;
pub mod printable;
pub mod target;
#[cfg(feature = "tls")]
mod tls;

pub use outcome::{Exit, Failure, Reply};

/// Runs one probe on a current-thread tokio runtime: `Ok` when the server
/// replied (serving or not), `Err` with the exit code and message
/// otherwise.
pub fn run(args: &cli::Args) -> Result<Reply, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| {
            Failure::new(
                Exit::RequestFailed,
                format!("cannot start the runtime: {e}"),
            )
        })?;
    let result = runtime.block_on(async {
        if args.target.scheme.is_grpc() {
            grpc::probe(args).await
        } else {
            http_probe::probe(args).await
        }
    });
    // Not a plain drop: that would wait for a name lookup still running on
    // a blocking thread after the connect timeout expired.
    runtime.shutdown_background();
    result
}
