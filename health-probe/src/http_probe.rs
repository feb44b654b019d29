//! `http://` and `https://`: one HTTP/1.1 GET through hyper.

use bytes::Bytes;
use http::header::{ACCEPT, HOST, LOCATION, USER_AGENT};
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;
use tokio::time::{Instant, timeout_at};

use crate::cli::Args;
use crate::outcome::{Exit, Failure, Reply, chain};
use crate::printable;
use health_names::duration::format as format_duration;

/// How much of the body `--verbose` prints.
const BODY_LIMIT: usize = 64 * 1024;

/// GETs the target's path; 2xx is serving, any other status (redirects
/// too: they are not followed) is not.
pub(crate) async fn probe(args: &Args) -> Result<Reply, Failure> {
    let stream = crate::net::connect(args, b"http/1.1").await?;
    let deadline = Instant::now() + args.timeout;
    match timeout_at(deadline, exchange(stream, args)).await {
        Ok(result) => result,
        Err(_) => Err(Failure::new(
            Exit::RequestFailed,
            format!(
                "no answer from {} within {} (is the server stuck? raise --timeout if it is slow)",
                args.target,
                format_duration(args.timeout)
            ),
        )),
    }
}

async fn exchange(stream: Box<dyn crate::net::Stream>, args: &Args) -> Result<Reply, Failure> {
    let target = &args.target;
    let failed = |error: &(dyn std::error::Error + 'static)| {
        Failure::new(
            Exit::RequestFailed,
            format!("request to {target} failed: {}", chain(error)),
        )
    };
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| failed(&e))?;
    tokio::spawn(async move {
        // Its error, if any, also fails the request, which reports it.
        let _ = connection.await;
    });
    let request = http::Request::get(target.path_and_query.as_str())
        .header(HOST, target.authority.as_str())
        .header(
            USER_AGENT,
            concat!("health-probe/", env!("CARGO_PKG_VERSION")),
        )
        .header(ACCEPT, "*/*")
        .body(Empty::<Bytes>::new())
        .map_err(|e| failed(&e))?;
    let response = sender.send_request(request).await.map_err(|e| {
        let mut failure = failed(&e);
        if e.is_parse() || e.is_incomplete_message() {
            let tls = if target.scheme.is_tls() {
                ""
            } else {
                " For TLS, use https://."
            };
            failure
                .message
                .push_str(&format!(" (is it an HTTP/1.1 server?{tls})"));
        }
        failure
    })?;

    let status = response.status();
    let reason = match response.extensions().get::<hyper::ext::ReasonPhrase>() {
        Some(phrase) => printable::line(&String::from_utf8_lossy(phrase.as_bytes())),
        None => status.canonical_reason().unwrap_or("").to_string(),
    };
    let version = match response.version() {
        http::Version::HTTP_10 => "HTTP/1.0",
        _ => "HTTP/1.1",
    };
    let code_and_reason = format!("{} {reason}", status.as_u16())
        .trim_end()
        .to_string();
    let status_line = format!("{version} {code_and_reason}");
    let serving = status.is_success();
    let complaint = if serving {
        String::new()
    } else if status.is_redirection() {
        let to = response
            .headers()
            .get(LOCATION)
            .and_then(|value| value.to_str().ok())
            .map(|location| format!(" to {location}"))
            .unwrap_or_default();
        format!(
            "{target} answered {code_and_reason}, a redirect{to}: redirects are not followed, \
             probe the final URL"
        )
    } else {
        format!("{target} answered {code_and_reason}: not serving")
    };

    let body = if args.verbose {
        let mut body = response.into_body();
        let mut bytes = Vec::new();
        let mut truncated = false;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| failed(&e))?;
            if let Ok(data) = frame.into_data() {
                let room = BODY_LIMIT - bytes.len();
                if data.len() > room {
                    bytes.extend_from_slice(data.get(..room).unwrap_or_default());
                    truncated = true;
                    break;
                }
                bytes.extend_from_slice(&data);
            }
        }
        // The server's text goes to a terminal: nothing that could drive it.
        let mut text = printable::lines(&String::from_utf8_lossy(&bytes));
        if truncated {
            text.push_str(&format!(
                "\n[body truncated after {} KiB]",
                BODY_LIMIT / 1024
            ));
        }
        Some(text)
    } else {
        None
    };
    Ok(Reply {
        serving,
        status_line,
        body,
        complaint,
    })
}
