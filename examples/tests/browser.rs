//! The status page in a real browser, as part of `cargo test`: runs
//! `tests/browser/status-page.test.mjs` (Node's test runner, playwright-core
//! driving Debian's headless Chromium) against the two example binaries
//! cargo has just built for this test.
//!
//! `bash .ci/browser.sh` installs what it needs (chromium, Node.js and npm,
//! the test's npm package from its lockfile); `./test.sh` runs it first.
//! Where any of it is missing this test says so in a banner on stderr and
//! passes, except with `HEALTH_BROWSER_REQUIRED=1` (as `./test.sh`, and so
//! `.ci/run`, sets), where a missing browser is a failure. Screenshots go
//! to `$CARGO_TARGET_DIR/ui-screenshots/` (or `target/ui-screenshots/`).
#![cfg(feature = "services")]

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The whole browser run is bounded, should a wait inside it ever not be.
const RUN_FOR: Duration = Duration::from_secs(300);

fn workspace_dir() -> PathBuf {
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    crate_dir
        .parent()
        .map_or_else(|| crate_dir.clone(), Path::to_path_buf)
}

/// What is missing to run the browser test, if anything.
fn missing(chromium: &Path, browser_dir: &Path) -> Option<String> {
    if !chromium.is_file() {
        return Some(format!("no Chromium at {}", chromium.display()));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("no `node` on PATH".to_owned());
    }
    let package = browser_dir.join("node_modules/playwright-core/package.json");
    if !package.is_file() {
        return Some(format!(
            "playwright-core is not installed in {}",
            browser_dir.display()
        ));
    }
    None
}

/// Says so on the real stderr (not the test's captured output, which a
/// passing test would swallow): a skipped browser test must be seen.
fn skip(why: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "\n################################################################\n\
         ##  BROWSER TEST SKIPPED: {why}\n\
         ##  The status page was NOT tested in a browser.\n\
         ##  Run `bash .ci/browser.sh` (installs chromium, Node.js and the\n\
         ##  test's npm package), then this test again.\n\
         ################################################################\n"
    );
    let required = std::env::var("HEALTH_BROWSER_REQUIRED").is_ok_and(|v| v == "1");
    assert!(!required, "HEALTH_BROWSER_REQUIRED=1 and {why}");
}

/// Waits for `child` at most `limit`; kills it past that.
fn wait_bounded(child: &mut std::process::Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

#[test]
fn the_status_page_in_headless_chromium() {
    let root = workspace_dir();
    let browser_dir = root.join("tests/browser");
    let chromium = std::env::var_os("CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if let Some(why) = missing(&chromium, &browser_dir) {
        skip(&why);
        return;
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let shots = target.join("ui-screenshots");
    std::fs::create_dir_all(&shots).expect("the screenshot folder");
    let log_path = shots.join("browser-test.log");
    let log = File::create(&log_path).expect("the browser test's log");
    // Node.js 18 (Debian 12's) and later: each case has its own timeout in
    // the file, and the whole run is bounded here (`RUN_FOR`).
    let mut child = Command::new("node")
        .arg("--test")
        .arg(browser_dir.join("status-page.test.mjs"))
        .env("AXUM_SERVICE", env!("CARGO_BIN_EXE_axum-service"))
        .env("ACTIX_SERVICE", env!("CARGO_BIN_EXE_actix-service"))
        .env("CHROMIUM", &chromium)
        .env("UI_SCREENSHOTS", &shots)
        // The version the services report: the page shows it.
        .env("SERVICE_VERSION", env!("CARGO_PKG_VERSION"))
        .current_dir(&root)
        .stdout(Stdio::from(log.try_clone().expect("the log, twice")))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("node starts");
    let status = wait_bounded(&mut child, RUN_FOR);
    let output = std::fs::read_to_string(&log_path).unwrap_or_default();
    match status {
        Some(status) => assert!(
            status.success(),
            "the browser test failed ({status}):\n{output}"
        ),
        None => panic!("the browser test ran past {RUN_FOR:?} and was killed:\n{output}"),
    }
    println!("{output}");
}
