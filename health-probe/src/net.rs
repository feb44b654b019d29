//! Resolving and connecting, bounded by `--connect-timeout`.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout_at};

use crate::cli::Args;
use crate::outcome::{Exit, Failure};
use crate::target::Host;
use health_names::duration::format as format_duration;

/// A connected byte stream: TCP, or TLS over TCP.
pub(crate) trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// Resolves the target's host, connects to the first address that accepts
/// and, for `https`/`grpcs`, completes the TLS handshake offering `alpn`;
/// all within `--connect-timeout`.
pub(crate) async fn connect(args: &Args, alpn: &[u8]) -> Result<Box<dyn Stream>, Failure> {
    #[cfg(feature = "tls")]
    let tls = if args.target.scheme.is_tls() {
        Some(crate::tls::Tls::new(args, alpn)?)
    } else {
        None
    };
    #[cfg(not(feature = "tls"))]
    let _ = alpn;

    let deadline = Instant::now() + args.connect_timeout;
    let tcp = tcp_connect(args, deadline).await?;

    #[cfg(feature = "tls")]
    if let Some(tls) = tls {
        let within = format_duration(args.connect_timeout);
        return match timeout_at(deadline, tls.handshake(tcp)).await {
            Ok(Ok(stream)) => Ok(Box::new(stream)),
            Ok(Err(failure)) => Err(failure),
            Err(_) => Err(Failure::new(
                Exit::ConnectFailed,
                format!(
                    "TLS handshake with {} timed out after {within} (is it a TLS port? \
                     raise --connect-timeout if the server is slow)",
                    args.target.host_port()
                ),
            )),
        };
    }
    Ok(Box::new(tcp))
}

async fn tcp_connect(args: &Args, deadline: Instant) -> Result<TcpStream, Failure> {
    let target = &args.target;
    let within = format_duration(args.connect_timeout);
    let addresses: Vec<SocketAddr> = match &target.host {
        Host::Ip(ip) => vec![SocketAddr::new(*ip, target.port)],
        Host::Name(name) => {
            let lookup = tokio::net::lookup_host((name.as_str(), target.port));
            match timeout_at(deadline, lookup).await {
                Ok(Ok(addresses)) => addresses.collect(),
                Ok(Err(error)) => {
                    return Err(Failure::new(
                        Exit::ConnectFailed,
                        format!("cannot resolve host \"{name}\": {error} (check the host name)"),
                    ));
                }
                Err(_) => {
                    return Err(Failure::new(
                        Exit::ConnectFailed,
                        format!(
                            "cannot resolve host \"{name}\": no answer within {within} \
                             (check DNS, or raise --connect-timeout)"
                        ),
                    ));
                }
            }
        }
    };
    let mut last_error: Option<(SocketAddr, io::Error)> = None;
    for address in &addresses {
        match timeout_at(deadline, TcpStream::connect(address)).await {
            Ok(Ok(stream)) => {
                // Only latency is at stake if this fails.
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Ok(Err(error)) => last_error = Some((*address, error)),
            Err(_) => {
                return Err(Failure::new(
                    Exit::ConnectFailed,
                    format!(
                        "cannot connect to {}: timed out after {within} (is the host \
                         reachable? raise --connect-timeout if it is slow)",
                        describe(args, *address)
                    ),
                ));
            }
        }
    }
    Err(match last_error {
        Some((address, error)) => Failure::new(
            Exit::ConnectFailed,
            format!(
                "cannot connect to {}: {}",
                describe(args, address),
                explain(&error)
            ),
        ),
        None => Failure::new(
            Exit::ConnectFailed,
            format!(
                "cannot connect to {}: the host name has no addresses (check the host name)",
                target.host_port()
            ),
        ),
    })
}

/// `127.0.0.1:8080`, or `localhost:8080 (127.0.0.1:8080)` for a name.
fn describe(args: &Args, address: SocketAddr) -> String {
    match &args.target.host {
        Host::Ip(_) => address.to_string(),
        Host::Name(_) => format!("{} ({address})", args.target.host_port()),
    }
}

fn explain(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::ConnectionRefused => "connection refused (is the server listening?)".into(),
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
            format!("{error} (is the address right and reachable from here?)")
        }
        io::ErrorKind::AddrNotAvailable => {
            format!("{error} (is the address right, and is that IP version enabled?)")
        }
        io::ErrorKind::PermissionDenied => {
            format!("{error} (is outgoing traffic blocked by a policy?)")
        }
        _ => error.to_string(),
    }
}
