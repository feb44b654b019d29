//! The hand-written messages of `health_grpc_proto` against the vendored
//! `proto/health.proto`, through `protoc` itself: protoc encodes each case
//! from text format and prost decodes it, prost encodes and protoc decodes
//! it back to the same text.
//!
//! Without `protoc` on PATH (`apt-get install protobuf-compiler`;
//! `.ci/services.sh` installs it) the check is skipped, and says so on the
//! process's real stderr (not libtest's captured output, which a passing
//! test never shows); when the environment variable `CI` is set, as
//! `.ci/run` sets it, the skip is a failure.

#![allow(clippy::unwrap_used)]

use health_grpc_proto::{
    HealthCheckRequest, HealthCheckResponse, HealthListRequest, HealthListResponse, ServingStatus,
};
use prost::Message;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The vendored `.proto` files. Read from the environment cargo gives the
/// running test, not baked in when it was compiled: a build cache shared by
/// two clones at different paths keeps a test binary built in the other one.
fn proto_dir() -> PathBuf {
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    crate_dir.join("proto")
}

fn protoc_available() -> bool {
    match Command::new("protoc").arg("--version").output() {
        Ok(out) if out.status.success() => true,
        _ => {
            skip(
                "`protoc` is not on PATH, so the messages were not checked against \
                 proto/health.proto. Install it (apt-get install protobuf-compiler, or \
                 bash .ci/services.sh) and run again.",
            );
            false
        }
    }
}

/// Says that a check was skipped, on the real stderr; fails under CI.
fn skip(why: &str) {
    let line = format!("\n!!! SKIPPED (health-grpc-proto, tests/proto.rs): {why} !!!\n");
    // Straight to the file descriptor: `eprintln!` is captured by libtest
    // and shown only for a failing test.
    let _ = std::io::stderr().write_all(line.as_bytes());
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    assert!(!ci, "CI is set, so a skipped check is a failure: {why}");
}

/// `protoc --encode` or `--decode` of `message`, feeding `input`.
fn protoc(mode: &str, message: &str, input: &[u8]) -> Vec<u8> {
    let mut child = Command::new("protoc")
        .arg(format!("--proto_path={}", proto_dir().display()))
        .arg(format!("--{mode}=grpc.health.v1.{message}"))
        .arg("health.proto")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn protoc");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input)
        .expect("write to protoc");
    let out = child.wait_with_output().expect("protoc ran");
    assert!(
        out.status.success(),
        "protoc --{mode} {message}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Both directions for one case: protoc's bytes decode to `ours`, and
/// `ours` encoded decodes in protoc to `text` (protoc's own rendering).
fn agree<M: Message + Default + PartialEq + std::fmt::Debug>(message: &str, text: &str, ours: &M) {
    let theirs = protoc("encode", message, text.as_bytes());
    assert_eq!(
        &M::decode(&theirs[..]).unwrap(),
        ours,
        "{message} from protoc: {text}"
    );
    let back = protoc("decode", message, &ours.encode_to_vec());
    assert_eq!(
        String::from_utf8(back).unwrap().trim(),
        text.trim(),
        "{message} to protoc"
    );
}

#[test]
fn messages_agree_with_the_proto() {
    if !protoc_available() {
        return;
    }
    assert!(proto_dir().join("health.proto").exists());
    agree(
        "HealthCheckRequest",
        "service: \"db\"",
        &HealthCheckRequest::new("db"),
    );
    agree("HealthCheckRequest", "", &HealthCheckRequest::default());
    for (name, status) in [
        ("SERVING", ServingStatus::Serving),
        ("NOT_SERVING", ServingStatus::NotServing),
        ("SERVICE_UNKNOWN", ServingStatus::ServiceUnknown),
    ] {
        assert_eq!(status.as_str(), name);
        agree(
            "HealthCheckResponse",
            &format!("status: {name}"),
            &HealthCheckResponse::new(status),
        );
    }
    agree("HealthListRequest", "", &HealthListRequest {});
    let mut list = HealthListResponse::default();
    list.statuses.insert(
        "db".into(),
        HealthCheckResponse::new(ServingStatus::NotServing),
    );
    list.statuses.insert(
        "readiness".into(),
        HealthCheckResponse::new(ServingStatus::Serving),
    );
    agree(
        "HealthListResponse",
        "statuses {\n  key: \"db\"\n  value {\n    status: NOT_SERVING\n  }\n}\nstatuses {\n  key: \"readiness\"\n  value {\n    status: SERVING\n  }\n}",
        &list,
    );
    // An empty key (the server as a whole): protoc writes the default
    // key, prost leaves it out; each reads the other.
    let theirs = protoc(
        "encode",
        "HealthListResponse",
        b"statuses { key: \"\" value { status: SERVING } }",
    );
    let decoded = HealthListResponse::decode(&theirs[..]).unwrap();
    assert_eq!(decoded.statuses[""].status(), ServingStatus::Serving);
    let mut server = HealthListResponse::default();
    server.statuses.insert(
        String::new(),
        HealthCheckResponse::new(ServingStatus::Serving),
    );
    let text = protoc("decode", "HealthListResponse", &server.encode_to_vec());
    assert!(
        String::from_utf8(text).unwrap().contains("status: SERVING"),
        "protoc reads prost's empty-key entry"
    );
}

/// The methods, as the proto declares them: the paths the server routes.
#[test]
fn methods_match_the_proto() {
    let proto = std::fs::read_to_string(proto_dir().join("health.proto")).unwrap();
    assert!(proto.contains("package grpc.health.v1;"));
    assert!(proto.contains("service Health {"));
    for rpc in [
        "rpc Check(HealthCheckRequest) returns (HealthCheckResponse);",
        "rpc List(HealthListRequest) returns (HealthListResponse);",
        "rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse);",
    ] {
        assert!(proto.contains(rpc), "{rpc}");
    }
    assert_eq!(health_grpc_proto::SERVICE, "grpc.health.v1.Health");
    for (path, method) in [
        (health_grpc_proto::CHECK, "Check"),
        (health_grpc_proto::LIST, "List"),
        (health_grpc_proto::WATCH, "Watch"),
    ] {
        assert_eq!(path, format!("/grpc.health.v1.Health/{method}"));
    }
}
