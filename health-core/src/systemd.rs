//! systemd's notify protocol (feature `systemd`, Unix): the registry's
//! state told to the service manager, so that `Type=notify` units start,
//! are watched and stop as the probes say.
//!
//! | message | when |
//! |---|---|
//! | `READY=1` | the startup probe latches UP |
//! | `WATCHDOG=1` | every half `WATCHDOG_USEC`, only while liveness is UP or DEGRADED: a wedged service misses its watchdog and systemd restarts it |
//! | `STATUS=...` | one line on each change: `starting`, `serving, liveness UP`, `maintenance: ...`, `draining` |
//! | `STOPPING=1` | the drain begins |
//!
//! No library needed: datagrams to `NOTIFY_SOCKET` (a path, or `@` and an
//! abstract name). Without `NOTIFY_SOCKET`, [`notify`] does nothing.

use crate::check::Probe;
use crate::model::Status;
use crate::registry::{Lifecycle, Registry};
use std::io;
use std::os::unix::net::UnixDatagram;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often the startup probe is run while it has not latched: under
/// systemd nobody else may ask.
const STARTUP_EVERY: Duration = Duration::from_millis(500);
/// How long a liveness verdict may take before the watchdog is skipped.
const LIVENESS_DEADLINE: Duration = Duration::from_secs(1);

/// Speaks systemd's notify protocol for `registry`, from the environment
/// (`NOTIFY_SOCKET`, `WATCHDOG_USEC`, `WATCHDOG_PID`), on a task of the
/// current tokio runtime: see the [module](self). `Ok(None)` without
/// `NOTIFY_SOCKET`; an error when it names a socket that cannot be
/// reached. The task runs while the registry lives (the watchdog goes on
/// during the drain).
///
/// ```no_run
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = health_core::Registry::builder().build()?;
/// let _systemd = health_core::systemd::notify(&registry)?;
/// # Ok(()) }
/// ```
pub fn notify(registry: &Registry) -> io::Result<Option<JoinHandle<()>>> {
    let Some(socket) = std::env::var_os("NOTIFY_SOCKET") else {
        return Ok(None);
    };
    notify_to(registry, &socket.to_string_lossy(), watchdog_period()).map(Some)
}

/// [`notify`] with the socket and the watchdog's period given: `socket` as
/// `NOTIFY_SOCKET` names it, `watchdog` how often `WATCHDOG=1` is sent
/// (while liveness is UP or DEGRADED), if at all.
///
/// ```no_run
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = health_core::Registry::builder().build()?;
/// let period = Some(std::time::Duration::from_secs(5));
/// let _systemd = health_core::systemd::notify_to(&registry, "/run/app/notify", period)?;
/// # Ok(()) }
/// ```
pub fn notify_to(
    registry: &Registry,
    socket: &str,
    watchdog: Option<Duration>,
) -> io::Result<JoinHandle<()>> {
    let notifier = Notifier::connect(socket)?;
    Ok(tokio::spawn(run(registry.clone(), notifier, watchdog)))
}

/// Half of `WATCHDOG_USEC`, when the watchdog is on for this process.
fn watchdog_period() -> Option<Duration> {
    let usec: u64 = std::env::var("WATCHDOG_USEC").ok()?.trim().parse().ok()?;
    if let Ok(pid) = std::env::var("WATCHDOG_PID")
        && pid.trim().parse::<u32>().ok() != Some(std::process::id())
    {
        return None;
    }
    (usec > 0).then(|| Duration::from_micros(usec) / 2)
}

/// A connected notify socket.
struct Notifier(UnixDatagram);

impl Notifier {
    fn connect(socket: &str) -> io::Result<Self> {
        let datagram = UnixDatagram::unbound()?;
        match socket.strip_prefix('@') {
            #[cfg(target_os = "linux")]
            Some(name) => {
                use std::os::linux::net::SocketAddrExt;
                let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())?;
                datagram.connect_addr(&addr)?;
            }
            #[cfg(not(target_os = "linux"))]
            Some(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "abstract NOTIFY_SOCKET names exist on Linux only",
                ));
            }
            None => datagram.connect(socket)?,
        }
        datagram.set_nonblocking(true)?;
        Ok(Self(datagram))
    }

    /// Sends one message; a full or gone socket is logged, never fatal.
    fn send(&self, message: &str) {
        if let Err(error) = self.0.send(message.as_bytes()) {
            tracing::warn!(%error, message, "health: systemd notify failed");
        }
    }
}

async fn run(registry: Registry, notifier: Notifier, watchdog: Option<Duration>) {
    let mut changes = registry.subscribe();
    let mut ready = false;
    let mut stopping = false;
    let mut liveness = None;
    let mut status = String::new();
    let mut watchdog_tick = watchdog.map(tokio::time::interval);
    let mut startup = tokio::time::interval(STARTUP_EVERY);
    loop {
        if !ready && registry.is_started() {
            ready = true;
            notifier.send("READY=1");
        }
        let line = status_line(&registry, ready, liveness);
        if line != status {
            notifier.send(&format!("STATUS={line}"));
            status = line;
        }
        if !stopping && matches!(registry.lifecycle(), Lifecycle::Draining { .. }) {
            stopping = true;
            notifier.send("STOPPING=1");
        }
        tokio::select! {
            alive = changes.changed() => if !alive { return },
            _ = startup.tick(), if !ready && !stopping => {
                registry.run(Probe::Startup).await;
            }
            _ = async {
                match watchdog_tick.as_mut() {
                    Some(tick) => tick.tick().await,
                    None => std::future::pending().await,
                }
            } => {
                let deadline = tokio::time::Instant::now() + LIVENESS_DEADLINE;
                let status = registry.verdict_until(Probe::Liveness, deadline).await.status;
                liveness = Some(status);
                if matches!(status, Status::Up | Status::Degraded) {
                    notifier.send("WATCHDOG=1");
                } else {
                    tracing::warn!(%status, "health: liveness is not UP, no systemd watchdog ping");
                }
            }
        }
    }
}

/// `STATUS=` text: where the service stands, in one line: starting,
/// draining, in maintenance, or serving with its liveness as the watchdog
/// last found it.
fn status_line(registry: &Registry, ready: bool, liveness: Option<Status>) -> String {
    match registry.lifecycle() {
        Lifecycle::Draining { .. } => "draining".to_owned(),
        Lifecycle::Maintenance { reason, .. } => format!("maintenance: {reason}"),
        _ if !ready => "starting".to_owned(),
        _ => match liveness {
            Some(status) => format!("serving, liveness {status}"),
            None => "serving".to_owned(),
        },
    }
}
