//! Shared by the integration tests: run the built binary, and real servers
//! on loopback.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::io::Write;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;

/// No run of the binary may take longer than this.
const RUN_LIMIT: Duration = Duration::from_secs(20);

/// What one run of `health-probe` did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// Asserts the exit code, showing the whole run when it differs.
    #[track_caller]
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "unexpected exit code: {self:#?}");
        self
    }

    /// Asserts that stderr is one `health-probe: ` line containing `needle`.
    #[track_caller]
    pub fn says(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.starts_with("health-probe: ")
                && self.stderr.ends_with('\n')
                && self.stderr.lines().count() == 1,
            "stderr is not one health-probe line: {self:#?}"
        );
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}: {self:#?}"
        );
        self
    }

    /// Asserts nothing was printed at all.
    #[track_caller]
    pub fn silent(&self) -> &Self {
        assert!(
            self.stdout.is_empty() && self.stderr.is_empty(),
            "not silent: {self:#?}"
        );
        self
    }
}

/// Runs the binary with `args`, waiting at most [`RUN_LIMIT`].
pub async fn probe(args: &[&str]) -> Run {
    let start = Instant::now();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_health-probe"))
        .args(args)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(RUN_LIMIT, child)
        .await
        .unwrap_or_else(|_| panic!("health-probe {args:?} still running after {RUN_LIMIT:?}"))
        .expect("spawn health-probe");
    Run {
        code: output
            .status
            .code()
            .unwrap_or_else(|| panic!("health-probe {args:?} was killed: {:?}", output.status)),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed: start.elapsed(),
    }
}

/// A loopback port with nothing listening on it (bound, then released).
pub async fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap()
}

/// A listener that accepts connections and never answers; it holds them
/// until the returned task is dropped with the runtime.
pub async fn silent_listener() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    address
}

/// Binds `[::1]:0`, or says why the IPv6 test is skipped (see [`skip`]).
pub async fn bind_ipv6(test: &str) -> Option<TcpListener> {
    match TcpListener::bind("[::1]:0").await {
        Ok(listener) => Some(listener),
        Err(error) => {
            skip(test, &format!("::1 is not available here ({error})"));
            None
        }
    }
}

/// Says that `test` skipped its point, on the process's real stderr
/// (libtest captures `eprintln!` and shows it only for a failing test),
/// and fails when the environment variable `CI` is set, as `.ci/run` sets
/// it: in CI a skip is a test that did not run.
#[track_caller]
pub fn skip(test: &str, why: &str) {
    let line = format!("\n!!! SKIPPED health-probe {test}: {why} !!!\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    assert!(!ci, "CI is set, so a skipped test fails: {test}: {why}");
}
