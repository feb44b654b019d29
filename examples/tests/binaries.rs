//! The two example binaries over HTTP, as a user runs them: the
//! maintenance route (`PUT` sets, `DELETE` clears, a retried request
//! changes nothing, other methods 405) and the status page data a browser
//! on this machine gets by default.
#![cfg(feature = "services")]

use health_tests::client::{self, Response};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

const ADMIN_TOKEN: &str = "admin-binaries-0123456789";
const BINARIES: [(&str, &str); 2] = [
    ("axum-service", env!("CARGO_BIN_EXE_axum-service")),
    ("actix-service", env!("CARGO_BIN_EXE_actix-service")),
];
/// The bound on a service's start (its log line, then `/startup` 200).
const START: Duration = Duration::from_secs(60);

/// An example binary running on 127.0.0.1; killed when dropped.
struct Running {
    name: &'static str,
    child: Child,
    addr: SocketAddr,
    /// Every log line so far.
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// Starts `binary` with only `vars` (and `PATH`) set, on a free port
    /// of 127.0.0.1, and waits until its `/startup` answers 200.
    async fn start(name: &'static str, binary: &str, vars: &[(&str, &str)]) -> Self {
        let mut child = Command::new(binary)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("BIND", "127.0.0.1:0")
            .env("DRAIN_DELAY_SECS", "0")
            .envs(vars.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let stderr = child.stderr.take().expect("piped stderr");
        let (found, listening) = mpsc::channel();
        let log = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&log);
        // Reads the log to its end (so the service never blocks on a full
        // pipe), keeps it; sends the address of the "listening" line.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                kept.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(line.clone());
                if let Some(addr) = line
                    .split_once("listening addr=")
                    .and_then(|(_, a)| a.split_whitespace().next())
                    .and_then(|a| a.parse::<SocketAddr>().ok())
                {
                    let _ = found.send(addr);
                }
            }
        });
        let addr = listening
            .recv_timeout(START)
            .unwrap_or_else(|_| panic!("{name} did not log its address within {START:?}"));
        let running = Self {
            name,
            child,
            addr,
            log,
        };
        let deadline = Instant::now() + START;
        while running.get("/startup").await.status != 200 {
            assert!(Instant::now() < deadline, "{name}: /startup never 200");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        running
    }

    async fn request(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> Response {
        client::request(self.addr, method, target, headers)
            .await
            .unwrap_or_else(|e| panic!("{}: {method} {target}: {e}", self.name))
    }

    async fn get(&self, target: &str) -> Response {
        self.request("GET", target, &[]).await
    }

    /// Sends `signal` (`USR1`, `TERM`...) to the service.
    fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success(), "{}: kill -{signal}", self.name);
    }

    /// Waits for the service to exit; its exit status's success.
    fn wait(&mut self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.success();
            }
            assert!(Instant::now() < deadline, "{}: still running", self.name);
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The log line containing `text`, once it is there (within 5 s).
    async fn logged(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let found = self
                .log
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .find(|line| line.contains(text))
                .cloned();
            if let Some(line) = found {
                return line;
            }
            assert!(
                Instant::now() < deadline,
                "{}: never logged {text:?}",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The check names of `/health/ui/data` (none when not disclosed).
    async fn checks_shown(&self) -> Vec<String> {
        let r = self.get("/health/ui/data").await;
        assert_eq!(r.status, 200, "{}: {}", self.name, r.text());
        r.json()["checks"]
            .as_array()
            .map(|checks| {
                checks
                    .iter()
                    .filter_map(|c| c["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// `(status, maintenance)` of a maintenance answer.
fn maintenance(r: &Response) -> (u16, Option<bool>) {
    (r.status, r.json()["maintenance"].as_bool())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maintenance_is_set_by_put_and_cleared_by_delete_however_often() {
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let admin = [("authorization", bearer.as_str())];
    for (name, binary) in BINARIES {
        let s = Running::start(name, binary, &[("HEALTH_ADMIN_TOKEN", ADMIN_TOKEN)]).await;
        let path = "/admin/maintenance";

        for method in ["PUT", "DELETE"] {
            let r = s.request(method, path, &[]).await;
            assert_eq!(r.status, 401, "{name} {method}: {}", r.text());
            assert_eq!(r.header("www-authenticate"), Some("Bearer"), "{name}");
            let wrong = [("authorization", "Bearer admin-binaries-wrong-token")];
            assert_eq!(s.request(method, path, &wrong).await.status, 401, "{name}");
        }
        assert_eq!(s.get("/ready").await.status, 200, "{name}");

        // A retried PUT (the same request twice) keeps maintenance on.
        for attempt in 1..=2 {
            let r = s.request("PUT", path, &admin).await;
            assert_eq!(maintenance(&r), (200, Some(true)), "{name} PUT #{attempt}");
            let ready = s.get("/ready").await;
            assert_eq!(ready.status, 503, "{name} after PUT #{attempt}");
            assert!(ready.header("retry-after").is_some(), "{name}");
            assert_eq!(s.get("/health").await.status, 200, "{name}");
        }
        // A retried DELETE keeps it off.
        for attempt in 1..=2 {
            let r = s.request("DELETE", path, &admin).await;
            assert_eq!(
                maintenance(&r),
                (200, Some(false)),
                "{name} DELETE #{attempt}"
            );
            assert_eq!(
                s.get("/ready").await.status,
                200,
                "{name} DELETE #{attempt}"
            );
        }

        // The old toggle, and any other method: 405, naming the two.
        for method in ["POST", "GET", "PATCH"] {
            let r = s.request(method, path, &admin).await;
            assert_eq!(r.status, 405, "{name} {method}: {}", r.text());
            assert_eq!(r.header("allow"), Some("PUT, DELETE"), "{name} {method}");
        }
        assert_eq!(
            s.get("/ready").await.status,
            200,
            "{name}: a POST changed nothing"
        );
    }
}

/// Without `HEALTH_ADMIN_TOKEN` the route is closed to everybody.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_admin_token_the_maintenance_route_is_closed() {
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    for (name, binary) in BINARIES {
        let s = Running::start(name, binary, &[]).await;
        for method in ["PUT", "DELETE"] {
            let r = s
                .request(method, "/admin/maintenance", &[("authorization", &bearer)])
                .await;
            assert_eq!(r.status, 403, "{name} {method}: {}", r.text());
        }
        assert_eq!(s.get("/ready").await.status, 200, "{name}");

        // Bound to loopback, this machine's browser sees the checks by
        // default (no token, no HEALTH_NETWORKS).
        let shown = s.checks_shown().await;
        assert!(shown.contains(&"database".to_owned()), "{name}: {shown:?}");
    }
}

/// `HEALTH_NETWORKS=none`: not even this machine sees a check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_networks_none_shows_no_check_on_loopback() {
    for (name, binary) in BINARIES {
        let s = Running::start(name, binary, &[("HEALTH_NETWORKS", "none")]).await;
        assert_eq!(s.checks_shown().await, Vec::<String>::new(), "{name}");
    }
}

/// `STOP_SIGNALS=SIGUSR1`: that signal begins the drain; the requests the
/// application gets after it are counted, probes are not; the audit line
/// at exit says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chosen_stop_signal_drains_and_the_audit_counts_the_late_requests() {
    for (name, binary) in BINARIES {
        let mut s = Running::start(
            name,
            binary,
            &[("STOP_SIGNALS", "SIGUSR1"), ("DRAIN_DELAY_SECS", "1")],
        )
        .await;
        s.signal("USR1");
        s.logged("cause=\"SIGUSR1\"").await;
        // A known late stream: 3 requests of the application, and probes.
        for _ in 0..3 {
            assert_eq!(s.get("/").await.status, 200, "{name}");
        }
        assert_eq!(s.get("/ready").await.status, 503, "{name}");
        let kubelet = [("user-agent", "kube-probe/1.37")];
        assert_eq!(s.request("GET", "/", &kubelet).await.status, 200, "{name}");
        assert!(s.wait(Duration::from_secs(30)), "{name}: exit status");
        let audit = s.logged("drain audit").await;
        assert!(
            audit.contains("requests_during_delay=3 requests_after_delay=0"),
            "{name}: {audit}"
        );
        assert!(audit.contains("was long enough"), "{name}: {audit}");
    }
}

/// The same stop signal again cuts the drain delay short: the service
/// exits long before its 60 s delay, and its audit says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_stop_signal_cuts_the_delay_short() {
    for (name, binary) in BINARIES {
        let mut s = Running::start(
            name,
            binary,
            &[("STOP_SIGNALS", "SIGUSR1"), ("DRAIN_DELAY_SECS", "60")],
        )
        .await;
        s.signal("USR1");
        s.logged("cause=\"SIGUSR1\"").await;
        assert_eq!(s.get("/ready").await.status, 503, "{name}");
        let second = Instant::now();
        s.signal("USR1");
        assert!(s.wait(Duration::from_secs(20)), "{name}: exit status");
        assert!(second.elapsed() < Duration::from_secs(20), "{name}");
        s.logged("drain cut short").await;
        let audit = s.logged("drain audit").await;
        assert!(
            audit.contains("a second signal cut the delay short"),
            "{name}: {audit}"
        );
    }
}

/// Under systemd (`NOTIFY_SOCKET`, `WATCHDOG_USEC`): `READY=1` once
/// started, `WATCHDOG=1` while alive, `STOPPING=1` on SIGTERM, in that
/// order, on a real datagram socket the test binds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_services_speak_systemds_notify_protocol() {
    use std::os::unix::net::UnixDatagram;
    for (name, binary) in BINARIES {
        let dir = std::env::temp_dir().join(format!("health-notify-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("notify.sock");
        let _ = std::fs::remove_file(&path);
        let socket = UnixDatagram::bind(&path).expect("bind");
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let path = path.to_str().expect("UTF-8").to_owned();
        let mut s = Running::start(
            name,
            binary,
            &[("NOTIFY_SOCKET", &path), ("WATCHDOG_USEC", "200000")],
        )
        .await;
        let mut messages = Vec::new();
        let next = |messages: &mut Vec<String>, wanted: &str| {
            let mut buffer = [0u8; 4096];
            while !messages.iter().any(|m| m == wanted) {
                let n = socket
                    .recv(&mut buffer)
                    .unwrap_or_else(|e| panic!("{name}: no {wanted} ({e}); got {messages:?}"));
                messages.push(String::from_utf8_lossy(&buffer[..n]).into_owned());
            }
        };
        next(&mut messages, "READY=1");
        next(&mut messages, "WATCHDOG=1");
        s.signal("TERM");
        next(&mut messages, "STOPPING=1");
        let at = |wanted: &str| messages.iter().position(|m| m == wanted);
        assert!(at("READY=1") < at("STOPPING=1"), "{name}: {messages:?}");
        assert!(s.wait(Duration::from_secs(30)), "{name}: exit status");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Whether `line` is the close of the application's span of a request for
/// `path`: tower-http's (axum) or tracing-actix-web's.
fn request_span_of(line: &str, path: &str) -> bool {
    line.contains(": close")
        && (line.contains(&format!("uri={path} "))
            || line.contains(&format!("http.target={path} ")))
}

/// Probes out of the traces (`TRACE_PROBES` off, the default): the log
/// prints each span as it closes, as a trace exporter would get it. The
/// application's request has its span; a healthy probe none; a failing
/// one the contract's `health_request`; the transition is logged.
/// `TRACE_PROBES=on`, for comparison: the probe has its request span.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_probes_leave_no_span_and_failing_ones_do() {
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let admin = [("authorization", bearer.as_str())];
    for (name, binary) in BINARIES {
        let s = Running::start(name, binary, &[("HEALTH_ADMIN_TOKEN", ADMIN_TOKEN)]).await;
        for path in ["/ready", "/health", "/startup"] {
            assert_eq!(s.get(path).await.status, 200, "{name} {path}");
        }
        assert_eq!(s.get("/").await.status, 200, "{name}");
        s.logged(": close").await;
        let r = s.request("PUT", "/admin/maintenance", &admin).await;
        assert_eq!(r.status, 200, "{name}: {}", r.text());
        assert_eq!(s.get("/ready").await.status, 503, "{name}");
        // (Before it, `/startup` may have answered 503 while the schema
        // was migrated: those failures have their spans too.)
        let failure = s.logged("http.route=\"/ready\"").await;
        for field in [
            "health_request{",
            "http.response.status_code=503",
            "otel.status_code=\"ERROR\"",
        ] {
            assert!(failure.contains(field), "{name}: {field} in {failure}");
        }
        s.logged("to=OUT_OF_SERVICE").await;

        let log = s.log.lock().unwrap_or_else(|p| p.into_inner()).clone();
        assert!(
            log.iter().any(|line| request_span_of(line, "/")),
            "{name}: no span of GET /: {log:#?}"
        );
        for path in ["/ready", "/health", "/startup"] {
            assert!(
                !log.iter().any(|line| request_span_of(line, path)),
                "{name}: a span of {path}: {log:#?}"
            );
        }
        assert_eq!(
            log.iter()
                .filter(|l| l.contains("http.route=\"/ready\""))
                .count(),
            1,
            "{name}: {log:#?}"
        );

        let traced = Running::start(name, binary, &[("TRACE_PROBES", "on")]).await;
        assert_eq!(traced.get("/ready").await.status, 200, "{name}");
        let deadline = Instant::now() + Duration::from_secs(5);
        while !traced
            .log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .any(|line| request_span_of(line, "/ready"))
        {
            assert!(
                Instant::now() < deadline,
                "{name}: TRACE_PROBES=on, no span of /ready"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
