use health_core::Check;
use std::borrow::Cow;
use std::sync::Arc;

/// A TCP connect to `address` (`host:port`), resolved on every run so DNS
/// changes are followed. UP with the connect latency in milliseconds.
///
/// ```
/// let check = health_checks::tcp("smtp", "127.0.0.1:25");
/// assert_eq!(check.name(), "smtp");
/// ```
#[track_caller]
pub fn tcp(name: impl Into<Cow<'static, str>>, address: impl Into<String>) -> Check {
    let address: Arc<str> = address.into().into();
    Check::new(name, move || {
        let address = Arc::clone(&address);
        crate::timed::latency(async move { tokio::net::TcpStream::connect(&*address).await })
    })
}
