//! The command line, parsed by hand: a dozen options do not need a parser
//! crate, and every error can say in one line what to fix.

use std::ffi::OsString;
use std::time::Duration;

use crate::target::{Target, parse_url};
use health_names::duration::{self, DurationError};

/// The default `--timeout`, the kubelet's default probe timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// `--help`'s text.
pub const USAGE: &str = "\
health-probe: probe an HTTP endpoint or a gRPC health service, for container health checks

Usage: health-probe [OPTIONS] URL

URL:
  http://HOST[:PORT]/PATH      HTTP/1.1 GET; any 2xx is serving
  https://HOST[:PORT]/PATH     the same over TLS (needs the `tls` build feature)
  grpc://HOST:PORT             grpc.health.v1.Health/Check over plaintext HTTP/2
  grpcs://HOST:PORT            the same over TLS (needs the `tls` build feature)
  HOST is a name, an IPv4 address or a bracketed IPv6 address ([::1]).

Options:
      --service NAME           gRPC service to check (default \"\": the whole server)
      --timeout DURATION       limit for the request or RPC once connected (default 1s)
      --connect-timeout DURATION
                               limit for resolving and connecting (default: --timeout)
      --tls-ca-cert FILE       trust the PEM certificates in FILE instead of the
                               built-in web roots (https/grpcs)
      --tls-server-name NAME   name to verify the server certificate against
                               (default: the URL's host)
      --tls-no-verify          do not verify the server certificate
  -v, --verbose                print the status line (and the HTTP body) to stdout
  -h, --help                   print this help
      --version                print the version

DURATION is a number and a unit: 500ms, 2s, 1.5s, 1m30s.

Exit codes:
  0  serving (gRPC SERVING; HTTP 2xx)
  1  invalid arguments
  2  connection failed or connect timed out
  3  request or RPC failed or timed out (gRPC errors such as NOT_FOUND)
  4  answered, not serving (gRPC NOT_SERVING/UNKNOWN; HTTP non-2xx, redirects too)
";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Probe a target.
    Probe(Box<Args>),
    /// `-h` / `--help`.
    Help,
    /// `--version`.
    Version,
}

/// TLS options (`https://`, `grpcs://`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsArgs {
    /// `--tls-ca-cert`: PEM file of trusted certificates.
    pub ca_cert: Option<String>,
    /// `--tls-server-name`: name to verify the certificate against.
    pub server_name: Option<String>,
    /// `--tls-no-verify`: accept any certificate.
    pub no_verify: bool,
}

impl TlsArgs {
    fn first_given(&self) -> Option<&'static str> {
        if self.ca_cert.is_some() {
            Some("--tls-ca-cert")
        } else if self.server_name.is_some() {
            Some("--tls-server-name")
        } else if self.no_verify {
            Some("--tls-no-verify")
        } else {
            None
        }
    }
}

/// A probe to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// What to probe.
    pub target: Target,
    /// `--service` (gRPC only; default `""`).
    pub service: String,
    /// `--timeout`: bounds the request or RPC after connecting.
    pub timeout: Duration,
    /// `--connect-timeout`: bounds name resolution and connecting
    /// (including a TLS handshake).
    pub connect_timeout: Duration,
    /// `-v` / `--verbose`.
    pub verbose: bool,
    /// TLS options.
    pub tls: TlsArgs,
}

/// An invalid command line; `Display` is the one-line message (without the
/// `health-probe: ` prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgError(pub String);

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(message: impl Into<String>) -> Result<T, ArgError> {
    Err(ArgError(message.into()))
}

/// Parses the arguments after the program name. Options take their value
/// as the next argument or after `=` (`--timeout=2s`); `--` ends options.
pub fn parse_args<I>(args: I) -> Result<Command, ArgError>
where
    I: IntoIterator<Item = OsString>,
{
    let mut args = args.into_iter();
    let mut url: Option<String> = None;
    let mut service: Option<String> = None;
    let mut timeout: Option<Duration> = None;
    let mut connect_timeout: Option<Duration> = None;
    let mut verbose = false;
    let mut tls = TlsArgs::default();
    let mut options_done = false;

    while let Some(arg) = args.next() {
        let Ok(arg) = arg.into_string() else {
            return err("an argument is not valid UTF-8");
        };
        if options_done || !arg.starts_with('-') || arg == "-" {
            if let Some(first) = &url {
                return err(format!(
                    "unexpected argument \"{arg}\" after the URL \"{first}\": give one URL"
                ));
            }
            url = Some(arg);
            continue;
        }
        if arg == "--" {
            options_done = true;
            continue;
        }
        let (name, inline_value) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, ArgError> {
            if let Some(value) = inline_value.clone() {
                return Ok(value);
            }
            match args.next().map(OsString::into_string) {
                Some(Ok(value)) => Ok(value),
                Some(Err(_)) => err(format!("the value of {name} is not valid UTF-8")),
                None => err(format!("{name} needs a value (see --help)")),
            }
        };
        let flag = |inline: &Option<String>| -> Result<(), ArgError> {
            match inline {
                Some(_) => err(format!("{name} takes no value")),
                None => Ok(()),
            }
        };
        match name {
            "-h" | "--help" => {
                flag(&inline_value)?;
                return Ok(Command::Help);
            }
            "--version" | "-V" => {
                flag(&inline_value)?;
                return Ok(Command::Version);
            }
            "-v" | "--verbose" => {
                flag(&inline_value)?;
                verbose = true;
            }
            "--tls-no-verify" => {
                flag(&inline_value)?;
                tls.no_verify = true;
            }
            "--service" => service = Some(value(name)?),
            "--timeout" => timeout = Some(duration_value(name, &value(name)?)?),
            "--connect-timeout" => connect_timeout = Some(duration_value(name, &value(name)?)?),
            "--tls-ca-cert" => tls.ca_cert = Some(value(name)?),
            "--tls-server-name" => tls.server_name = Some(value(name)?),
            _ => {
                return err(format!(
                    "unknown option \"{name}\" (see --help for the options)"
                ));
            }
        }
    }

    let Some(url) = url else {
        return err(
            "missing URL: health-probe [OPTIONS] URL, such as http://127.0.0.1:8080/ready \
             or grpc://127.0.0.1:50051 (see --help)",
        );
    };
    let target =
        parse_url(&url).map_err(|why| ArgError(format!("invalid URL \"{url}\": {why}")))?;
    if target.scheme.is_tls() && !cfg!(feature = "tls") {
        let plain = if target.scheme.is_grpc() {
            "grpc"
        } else {
            "http"
        };
        return err(format!(
            "{}:// needs TLS, which this build lacks: rebuild health-probe with \
             `--features tls`, or probe {plain}://",
            target.scheme.as_str()
        ));
    }
    if service.is_some() && !target.scheme.is_grpc() {
        return err(format!(
            "--service applies to grpc:// and grpcs:// URLs only, not \"{url}\""
        ));
    }
    if let Some(option) = tls.first_given() {
        if !target.scheme.is_tls() {
            return err(format!(
                "{option} applies to https:// and grpcs:// URLs only, not \"{url}\""
            ));
        }
        if tls.no_verify && (tls.ca_cert.is_some() || tls.server_name.is_some()) {
            return err(
                "--tls-no-verify skips verification: drop it, or drop --tls-ca-cert and \
                 --tls-server-name",
            );
        }
    }
    if let Some(name) = &tls.server_name
        && name.is_empty()
    {
        return err("--tls-server-name needs a non-empty name");
    }
    let timeout = timeout.unwrap_or(DEFAULT_TIMEOUT);
    Ok(Command::Probe(Box::new(Args {
        target,
        service: service.unwrap_or_default(),
        timeout,
        connect_timeout: connect_timeout.unwrap_or(timeout),
        verbose,
        tls,
    })))
}

/// The longest `--timeout` or `--connect-timeout`, so that no deadline
/// computed from it can overflow.
const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// A timeout in the duration grammar of `health-names` (`500ms`, `1.5s`,
/// `1m30s`), above zero and at most [`MAX_TIMEOUT`].
fn duration_value(name: &str, text: &str) -> Result<Duration, ArgError> {
    let invalid =
        |why: &dyn std::fmt::Display| ArgError(format!("invalid {name} \"{text}\": {why}"));
    match duration::parse(text) {
        Ok(timeout) if timeout.is_zero() => {
            Err(invalid(&"must be greater than zero, such as 500ms or 2s"))
        }
        Ok(timeout) if timeout <= MAX_TIMEOUT => Ok(timeout),
        Ok(_) | Err(DurationError::Overflow) => Err(invalid(&"must be at most 24h")),
        Err(why) => Err(invalid(&why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Scheme;

    fn parse(args: &[&str]) -> Result<Command, ArgError> {
        parse_args(args.iter().map(OsString::from))
    }

    fn probe(args: &[&str]) -> Args {
        match parse(args) {
            Ok(Command::Probe(args)) => *args,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    fn error(args: &[&str]) -> String {
        match parse(args) {
            Err(ArgError(message)) => message,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let args = probe(&["http://127.0.0.1:8080/ready"]);
        assert_eq!(args.target.scheme, Scheme::Http);
        assert_eq!(args.service, "");
        assert_eq!(args.timeout, Duration::from_secs(1));
        assert_eq!(args.connect_timeout, Duration::from_secs(1));
        assert!(!args.verbose);
        assert_eq!(args.tls, TlsArgs::default());
    }

    #[test]
    fn options_in_any_order_and_both_spellings() {
        let args = probe(&[
            "--timeout",
            "300ms",
            "grpc://127.0.0.1:50051",
            "-v",
            "--service=my.Service",
            "--connect-timeout=1.5s",
        ]);
        assert_eq!(args.target.scheme, Scheme::Grpc);
        assert_eq!(args.service, "my.Service");
        assert_eq!(args.timeout, Duration::from_millis(300));
        assert_eq!(args.connect_timeout, Duration::from_millis(1500));
        assert!(args.verbose);

        let args = probe(&["--verbose", "--timeout=2s", "http://h/"]);
        assert!(args.verbose);
        assert_eq!(
            args.connect_timeout,
            Duration::from_secs(2),
            "follows --timeout"
        );
        assert_eq!(probe(&["--service", "", "grpc://h:1"]).service, "");
        assert_eq!(probe(&["--", "http://h/"]).target.port, 80);
    }

    #[test]
    fn help_and_version_win() {
        assert_eq!(parse(&["-h"]), Ok(Command::Help));
        assert_eq!(parse(&["http://h/", "--help"]), Ok(Command::Help));
        assert_eq!(parse(&["--version"]), Ok(Command::Version));
        assert!(
            parse(&["--bogus", "--help"]).is_err(),
            "options are read in order"
        );
    }

    #[cfg(not(feature = "tls"))]
    #[test]
    fn tls_needs_the_feature() {
        assert!(error(&["https://h/"]).contains("rebuild health-probe with `--features tls`"));
        assert!(error(&["grpcs://h:1"]).contains("or probe grpc://"));
    }

    #[cfg(feature = "tls")]
    #[test]
    fn tls_options() {
        let args = probe(&[
            "https://h/",
            "--tls-ca-cert",
            "ca.pem",
            "--tls-server-name",
            "svc",
        ]);
        assert_eq!(args.tls.ca_cert.as_deref(), Some("ca.pem"));
        assert_eq!(args.tls.server_name.as_deref(), Some("svc"));
        assert!(probe(&["grpcs://h:1", "--tls-no-verify"]).tls.no_verify);
        assert!(error(&["http://h/", "--tls-no-verify"]).contains("https:// and grpcs://"));
        assert!(error(&["https://h/", "--tls-no-verify", "--tls-ca-cert=x"]).contains("drop"));
        assert!(error(&["https://h/", "--tls-server-name="]).contains("non-empty"));
    }

    #[test]
    fn errors_say_what_to_fix() {
        assert!(error(&[]).starts_with("missing URL"));
        assert!(error(&["-v"]).starts_with("missing URL"));
        assert_eq!(
            error(&["--bogus", "http://h/"]),
            "unknown option \"--bogus\" (see --help for the options)"
        );
        assert!(error(&["-x", "http://h/"]).contains("unknown option \"-x\""));
        assert_eq!(
            error(&["--timeout", "5x", "http://h/"]),
            "invalid --timeout \"5x\": unknown unit `x` (expected one of `ns`, `us`, `ms`, `s`, `m`, `h`)"
        );
        assert!(error(&["--connect-timeout=0s", "http://h/"]).contains("greater than zero"));
        assert_eq!(
            error(&["http://h/", "--timeout"]),
            "--timeout needs a value (see --help)"
        );
        assert!(error(&["http://h/", "http://i/"]).contains("give one URL"));
        assert!(error(&["127.0.0.1:8080"]).starts_with("invalid URL \"127.0.0.1:8080\""));
        assert!(error(&["--service", "x", "http://h/"]).contains("grpc:// and grpcs://"));
        assert!(error(&["--verbose=yes", "http://h/"]).contains("takes no value"));
    }

    #[test]
    fn timeouts_above_zero_and_at_most_a_day() {
        let timeout = |text: &str| parse(&["--timeout", text, "http://h/"]).map(|_| ());
        assert_eq!(
            probe(&["--timeout=1m30s", "http://h/"]).timeout,
            Duration::from_secs(90)
        );
        assert_eq!(probe(&["--timeout=24h", "http://h/"]).timeout, MAX_TIMEOUT);
        for zero in ["0s", "0h0ms"] {
            let error = timeout(zero).unwrap_err().0;
            assert!(
                error.ends_with("must be greater than zero, such as 500ms or 2s"),
                "{error}"
            );
        }
        for long in [
            "25h",
            "24h1ms",
            "99999999999999999999999999999999999999999999s",
        ] {
            assert_eq!(
                timeout(long).unwrap_err().0,
                format!("invalid --timeout \"{long}\": must be at most 24h")
            );
        }
        let error = timeout("1 s").unwrap_err().0;
        assert!(error.ends_with("remove the space: write \"1s\""), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_is_an_error_not_a_panic() {
        use std::os::unix::ffi::OsStringExt;
        let args = vec![OsString::from_vec(vec![0xff, 0xfe])];
        assert!(parse_args(args).is_err());
    }
}
