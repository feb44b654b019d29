//! [`USAGE`]: the `--help` text.

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
