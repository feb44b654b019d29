//! A tiny raw HTTP/1.1 client for the conformance suite.
//!
//! Raw on purpose: the request target is sent byte for byte (no
//! normalisation of `..`, no re-encoding of `%FF`), so hostile paths reach
//! the server as an attacker would send them. One request per connection
//! (`Connection: close`); the response is read to EOF under a timeout.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The bound on one request: connect, send, read to EOF.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A parsed HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers in order, names in lowercase.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    ///
    /// # Panics
    ///
    /// If it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }
}

/// Sends `METHOD target HTTP/1.1` with `headers` to `addr` (which must be on
/// 127.0.0.1) and reads the whole response, within [`TIMEOUT`].
pub async fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
) -> io::Result<Response> {
    request_from(std::net::Ipv4Addr::LOCALHOST, addr, method, target, headers).await
}

/// [`request`] from the loopback address `source` (Linux routes all of
/// 127.0.0.0/8 to the loopback interface: 127.0.0.2 is another host as far
/// as a server's peer address goes).
pub async fn request_from(
    source: std::net::Ipv4Addr,
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
) -> io::Result<Response> {
    if !source.is_loopback() {
        return Err(io::Error::other(
            "the conformance client sends from 127.0.0.0/8 only",
        ));
    }
    if addr.ip() != std::net::Ipv4Addr::LOCALHOST {
        return Err(io::Error::other(
            "the conformance client talks to 127.0.0.1 only",
        ));
    }
    let mut raw = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    raw.push_str("\r\n");
    let exchange = async {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(SocketAddr::from((source, 0)))?;
        let mut stream = socket.connect(addr).await?;
        stream.write_all(raw.as_bytes()).await?;
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).await?;
        Ok::<_, io::Error>(bytes)
    };
    let bytes = tokio::time::timeout(TIMEOUT, exchange)
        .await
        .map_err(|_| {
            io::Error::new(
                io::ErrorKind::TimedOut,
                format!("{method} {target}: no answer within {TIMEOUT:?}"),
            )
        })??;
    parse(&bytes, method)
}

/// Parses a whole HTTP/1.1 response to a `method` request, strictly: the
/// body is exactly what its framing says (`Content-Length`, chunks, or the
/// rest up to the end of the connection), and empty where the response
/// has none (to `HEAD`; 1xx, 204, 304). Anything else is an error, so a
/// server that sends fewer or more bytes than it announces fails the test.
pub fn parse(bytes: &[u8], method: &str) -> io::Result<Response> {
    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| invalid("no end of headers"))?;
    let head = std::str::from_utf8(&bytes[..end]).map_err(|_| invalid("head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().ok_or_else(|| invalid("no status line"))?;
    let mut parts = status_line.splitn(3, ' ');
    if !parts.next().is_some_and(|v| v.starts_with("HTTP/1.")) {
        return Err(invalid("not an HTTP/1 status line"));
    }
    let status = parts
        .next()
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("no status code"))?;
    let headers = lines
        .map(|line| {
            line.split_once(':')
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .ok_or_else(|| invalid("malformed header line"))
        })
        .collect::<io::Result<Vec<_>>>()?;
    let rest = &bytes[end + 4..];
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    let chunked = response
        .header("transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    let lengths: Vec<&str> = response
        .headers
        .iter()
        .filter(|(n, _)| n == "content-length")
        .map(|(_, v)| v.as_str())
        .collect();
    if lengths.windows(2).any(|w| w[0] != w[1]) {
        return Err(invalid("differing content-length headers"));
    }
    if chunked && !lengths.is_empty() {
        return Err(invalid(
            "both transfer-encoding: chunked and content-length",
        ));
    }
    let bodiless = method.eq_ignore_ascii_case("HEAD")
        || (100..200).contains(&status)
        || status == 204
        || status == 304;
    response.body = if bodiless {
        // A HEAD answer announces a length it does not send.
        if !rest.is_empty() {
            return Err(invalid(&format!(
                "{} bytes after the head of a response without a body",
                rest.len()
            )));
        }
        Vec::new()
    } else if chunked {
        dechunk(rest).ok_or_else(|| invalid("malformed chunked body"))?
    } else if let Some(length) = lengths.first() {
        let length: usize = length.parse().map_err(|_| invalid("bad content-length"))?;
        if rest.len() != length {
            return Err(invalid(&format!(
                "a body of {} bytes, content-length says {length}",
                rest.len()
            )));
        }
        rest.to_vec()
    } else {
        rest.to_vec()
    };
    Ok(response)
}

/// The body of a chunked `rest`, which must end with the last chunk and
/// its empty trailer section, and hold nothing after.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return (rest == b"\r\n").then_some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        if rest.get(size..size + 2)? != b"\r\n" {
            return None;
        }
        rest = &rest[size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_chunked_responses() {
        let plain = parse(
            b"HTTP/1.1 200 OK\r\nContent-Type: a/b\r\nContent-Length: 2\r\n\r\nhi",
            "GET",
        )
        .unwrap();
        assert_eq!(
            (plain.status, plain.header("content-type"), &plain.body[..]),
            (200, Some("a/b"), &b"hi"[..])
        );
        let chunked =
            parse(b"HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n3;x=y\r\ncde\r\n0\r\n\r\n", "GET").unwrap();
        assert_eq!((chunked.status, &chunked.body[..]), (503, &b"abcde"[..]));
        let head = parse(b"HTTP/1.1 200 OK\r\ncontent-length: 15\r\n\r\n", "HEAD").unwrap();
        assert!(head.body.is_empty());
        let until_close = parse(b"HTTP/1.1 200 OK\r\n\r\nall of it", "GET").unwrap();
        assert_eq!(until_close.body, b"all of it");
        let no_content = parse(b"HTTP/1.1 204 No Content\r\n\r\n", "GET").unwrap();
        assert!(no_content.body.is_empty());
    }

    /// A body that is not what its framing says is an error, never a
    /// truncated or padded body.
    #[test]
    fn a_body_that_breaks_its_framing_is_refused() {
        for (response, method) in [
            // Shorter than announced.
            (&b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"[..], "GET"),
            // Longer than announced.
            (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi and more", "GET"),
            // A body where there must be none.
            (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", "HEAD"),
            (b"HTTP/1.1 204 No Content\r\n\r\nhi", "GET"),
            // Two lengths, or a length and chunks.
            (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi", "GET"),
            (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", "GET"),
            // Chunks cut short, a chunk longer than its size, bytes after the last chunk.
            (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "GET"),
            (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", "GET"),
            (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\nextra", "GET"),
            (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n", "GET"),
        ] {
            let parsed = parse(response, method);
            assert!(
                parsed.is_err(),
                "{method} {:?} parsed as {parsed:?}",
                String::from_utf8_lossy(response)
            );
        }
    }
}
