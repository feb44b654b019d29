//! The command line: exit 1 with one line saying what to fix, help, version.

#![allow(clippy::unwrap_used)]

mod common;

use common::probe;

#[tokio::test]
async fn unknown_flag() {
    probe(&["--bogus", "http://127.0.0.1:8080/"])
        .await
        .expect(1)
        .says("unknown option \"--bogus\" (see --help for the options)");
}

#[tokio::test]
async fn bad_urls() {
    probe(&["127.0.0.1:8080"])
        .await
        .expect(1)
        .says("invalid URL \"127.0.0.1:8080\": expected http://, https://, grpc:// or grpcs://");
    probe(&["ftp://127.0.0.1/"])
        .await
        .expect(1)
        .says("unsupported scheme \"ftp\"");
    probe(&["grpc://127.0.0.1"])
        .await
        .expect(1)
        .says("missing port");
    probe(&["http://127.0.0.1:99999/"])
        .await
        .expect(1)
        .says("port \"99999\"");
}

#[tokio::test]
async fn bad_durations() {
    probe(&["--timeout", "5x", "http://127.0.0.1:8080/"])
        .await
        .expect(1)
        .says("invalid --timeout \"5x\": unknown unit `x` (expected one of `ns`, `us`, `ms`, `s`, `m`, `h`)");
    probe(&["--connect-timeout=10", "http://127.0.0.1:8080/"])
        .await
        .expect(1)
        .says("invalid --connect-timeout \"10\"");
    probe(&["--timeout", "0s", "grpc://127.0.0.1:1"])
        .await
        .expect(1)
        .says("greater than zero");
    probe(&["http://127.0.0.1:8080/", "--timeout"])
        .await
        .expect(1)
        .says("--timeout needs a value");
}

#[tokio::test]
async fn missing_url() {
    probe(&[]).await.expect(1).says("missing URL");
    probe(&["-v", "--timeout", "1s"])
        .await
        .expect(1)
        .says("missing URL");
}

#[tokio::test]
async fn service_is_for_grpc_only() {
    probe(&["--service", "x", "http://127.0.0.1:8080/"])
        .await
        .expect(1)
        .says("--service applies to grpc:// and grpcs:// URLs only");
}

#[cfg(not(feature = "tls"))]
#[tokio::test]
async fn tls_schemes_without_the_feature() {
    probe(&["https://127.0.0.1/"]).await.expect(1).says(
        "https:// needs TLS, which this build lacks: rebuild health-probe with `--features tls`",
    );
    probe(&["grpcs://127.0.0.1:443"])
        .await
        .expect(1)
        .says("or probe grpc://");
}

#[tokio::test]
async fn help_and_version() {
    let run = probe(&["--help"]).await;
    run.expect(0);
    assert!(run.stdout.starts_with("health-probe: probe"), "{run:#?}");
    assert!(run.stdout.contains("Exit codes:"), "{run:#?}");
    assert!(run.stderr.is_empty());
    assert_eq!(probe(&["-h"]).await.expect(0).stdout, run.stdout);

    let run = probe(&["--version"]).await;
    run.expect(0);
    assert_eq!(
        run.stdout,
        format!("health-probe {}\n", env!("CARGO_PKG_VERSION"))
    );
}
