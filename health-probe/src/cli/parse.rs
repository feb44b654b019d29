//! [`parse_args`]: the words of a command line to a [`Command`].

use std::ffi::OsString;

use super::args::{ArgError, Command};
use super::words::{Read, read};

/// Parses the arguments after the program name. Options take their value
/// as the next argument or after `=` (`--timeout=2s`); `--` ends options.
///
/// ```
/// use health_probe::cli::{Command, parse_args};
///
/// let command = parse_args(["grpc://127.0.0.1:50051", "--service=db"].map(Into::into))?;
/// let Command::Probe(args) = command else { unreachable!() };
/// assert_eq!(args.service, "db");
/// assert_eq!(args.target.port, 50051);
/// # Ok::<(), health_probe::cli::ArgError>(())
/// ```
pub fn parse_args<I>(args: I) -> Result<Command, ArgError>
where
    I: IntoIterator<Item = OsString>,
{
    match read(args)? {
        Read::Help => Ok(Command::Help),
        Read::Version => Ok(Command::Version),
        Read::Probe(given) => Ok(Command::Probe(Box::new(given.into_args()?))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Args, TlsArgs};
    use crate::target::Scheme;
    use std::time::Duration;

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
    fn timeouts_above_zero_and_at_most_a_day() {
        let timeout = |text: &str| parse(&["--timeout", text, "http://h/"]).map(|_| ());
        assert_eq!(
            probe(&["--timeout=1m30s", "http://h/"]).timeout,
            Duration::from_secs(90)
        );
        assert_eq!(
            probe(&["--timeout=24h", "http://h/"]).timeout,
            super::super::words::MAX_TIMEOUT
        );
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

    #[cfg(unix)]
    #[test]
    fn non_utf8_is_an_error_not_a_panic() {
        use std::os::unix::ffi::OsStringExt;
        let args = vec![OsString::from_vec(vec![0xff, 0xfe])];
        assert!(parse_args(args).is_err());
    }
}
