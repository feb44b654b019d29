//! [`StopSignal`]: the operating-system signals that begin the drain.

use std::future::Future;

/// A signal that begins the drain: readiness turns OUT_OF_SERVICE, and
/// [`Registry::shutdown_signal`](super::Registry::shutdown_signal) resolves
/// after the drain delay; the same signal again cuts the delay short.
/// The default is [`Terminate`](Self::Terminate) and
/// [`Interrupt`](Self::Interrupt): what a container runtime, systemd and a
/// terminal send. Kubernetes lets a container choose its stop signal
/// (`lifecycle.stopSignal`, KEP-4960); choose the same here with
/// [`RegistryBuilder::stop_signals`](super::RegistryBuilder::stop_signals).
///
/// Off Unix only [`Interrupt`](Self::Interrupt) (Ctrl-C) exists; the
/// others never arrive there.
///
/// ```
/// use health_core::{Registry, StopSignal};
/// let registry = Registry::builder()
///     .without_declared()
///     .stop_signals([StopSignal::Quit])
///     .build()?;
/// # Ok::<(), health_core::BuildError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StopSignal {
    /// `SIGTERM`: what `docker stop`, the kubelet and systemd send.
    Terminate,
    /// `SIGINT`: Ctrl-C.
    Interrupt,
    /// `SIGQUIT`.
    Quit,
    /// `SIGHUP`.
    Hangup,
    /// `SIGUSR1`.
    User1,
    /// `SIGUSR2`.
    User2,
}

impl StopSignal {
    /// The default: `SIGTERM` and `SIGINT`.
    pub const DEFAULT: [StopSignal; 2] = [StopSignal::Terminate, StopSignal::Interrupt];

    /// The signal's name: `SIGTERM`, `SIGINT`, ...
    pub fn name(self) -> &'static str {
        match self {
            StopSignal::Terminate => "SIGTERM",
            StopSignal::Interrupt => "SIGINT",
            StopSignal::Quit => "SIGQUIT",
            StopSignal::Hangup => "SIGHUP",
            StopSignal::User1 => "SIGUSR1",
            StopSignal::User2 => "SIGUSR2",
        }
    }
}

impl std::str::FromStr for StopSignal {
    type Err = UnknownSignal;

    /// `SIGTERM` or `TERM` (any case): the names Kubernetes'
    /// `stopSignal` and `kill -l` use.
    ///
    /// ```
    /// use health_core::StopSignal;
    /// assert_eq!("SIGQUIT".parse(), Ok(StopSignal::Quit));
    /// assert_eq!("usr1".parse(), Ok(StopSignal::User1));
    /// assert!("SIGKILL".parse::<StopSignal>().is_err());
    /// ```
    fn from_str(name: &str) -> Result<Self, UnknownSignal> {
        let upper = name.trim().to_ascii_uppercase();
        let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
        ALL.into_iter()
            .find(|signal| &signal.name()[3..] == bare)
            .ok_or_else(|| UnknownSignal(name.to_owned()))
    }
}

/// Every stop signal, in declaration order.
const ALL: [StopSignal; 6] = [
    StopSignal::Terminate,
    StopSignal::Interrupt,
    StopSignal::Quit,
    StopSignal::Hangup,
    StopSignal::User1,
    StopSignal::User2,
];

/// A name that is not a [`StopSignal`]'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSignal(String);

impl std::fmt::Display for UnknownSignal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not a stop signal: one of SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2",
            self.0
        )
    }
}

impl std::error::Error for UnknownSignal {}

/// The installed handlers of a set of signals. Installed once, so that the
/// second signal is caught by the same handlers as the first.
pub(crate) struct Listening {
    #[cfg(unix)]
    streams: Vec<(StopSignal, tokio::signal::unix::Signal)>,
    #[cfg(not(unix))]
    ctrl_c: bool,
}

impl Listening {
    /// Installs a handler for each signal. One that cannot be installed is
    /// logged and left out: it never begins a drain, rather than ending
    /// the service at once.
    pub(crate) fn install(signals: &[StopSignal]) -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let streams = signals
                .iter()
                .filter_map(|&which| {
                    let kind = match which {
                        StopSignal::Terminate => SignalKind::terminate(),
                        StopSignal::Interrupt => SignalKind::interrupt(),
                        StopSignal::Quit => SignalKind::quit(),
                        StopSignal::Hangup => SignalKind::hangup(),
                        StopSignal::User1 => SignalKind::user_defined1(),
                        StopSignal::User2 => SignalKind::user_defined2(),
                    };
                    match signal(kind) {
                        Ok(stream) => Some((which, stream)),
                        Err(error) => {
                            tracing::warn!(signal = which.name(), %error, "health: cannot listen for a stop signal");
                            None
                        }
                    }
                })
                .collect();
            Self { streams }
        }
        #[cfg(not(unix))]
        Self {
            ctrl_c: signals.contains(&StopSignal::Interrupt),
        }
    }

    /// The next of the signals; never, if there are none.
    pub(crate) fn next(&mut self) -> impl Future<Output = StopSignal> + '_ {
        #[cfg(unix)]
        {
            use std::task::Poll;
            std::future::poll_fn(move |cx| {
                for (which, stream) in &mut self.streams {
                    if let Poll::Ready(Some(())) = stream.poll_recv(cx) {
                        return Poll::Ready(*which);
                    }
                }
                Poll::Pending
            })
        }
        #[cfg(not(unix))]
        {
            let ctrl_c = self.ctrl_c;
            async move {
                if ctrl_c && tokio::signal::ctrl_c().await.is_ok() {
                    return StopSignal::Interrupt;
                }
                std::future::pending().await
            }
        }
    }
}
