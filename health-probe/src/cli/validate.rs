//! From what the words gave to the probe to run: the URL parsed, each
//! option checked against its scheme and the build, the defaults filled in.

use super::args::{ArgError, Args, DEFAULT_TIMEOUT, TlsArgs, err};
use super::words::Given;
use crate::target::{Target, parse_url};

impl Given {
    /// The probe these words ask for, or what to fix.
    pub(super) fn into_args(self) -> Result<Args, ArgError> {
        let Some(url) = self.url else {
            return err(
                "missing URL: health-probe [OPTIONS] URL, such as http://127.0.0.1:8080/ready \
                 or grpc://127.0.0.1:50051 (see --help)",
            );
        };
        let target =
            parse_url(&url).map_err(|why| ArgError(format!("invalid URL \"{url}\": {why}")))?;
        built_for(&target)?;
        if self.service.is_some() && !target.scheme.is_grpc() {
            return err(format!(
                "--service applies to grpc:// and grpcs:// URLs only, not \"{url}\""
            ));
        }
        tls_fits(&self.tls, &target, &url)?;
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        Ok(Args {
            target,
            service: self.service.unwrap_or_default(),
            timeout,
            connect_timeout: self.connect_timeout.unwrap_or(timeout),
            verbose: self.verbose,
            tls: self.tls,
        })
    }
}

/// A TLS scheme needs a build with the `tls` feature.
fn built_for(target: &Target) -> Result<(), ArgError> {
    if !target.scheme.is_tls() || cfg!(feature = "tls") {
        return Ok(());
    }
    let plain = if target.scheme.is_grpc() {
        "grpc"
    } else {
        "http"
    };
    err(format!(
        "{}:// needs TLS, which this build lacks: rebuild health-probe with \
         `--features tls`, or probe {plain}://",
        target.scheme.as_str()
    ))
}

/// The TLS options apply to TLS schemes only, and make sense together.
fn tls_fits(tls: &TlsArgs, target: &Target, url: &str) -> Result<(), ArgError> {
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
    if tls.server_name.as_ref().is_some_and(String::is_empty) {
        return err("--tls-server-name needs a non-empty name");
    }
    Ok(())
}
