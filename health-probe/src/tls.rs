//! TLS for `https://` and `grpcs://` (feature `tls`): rustls with the ring
//! provider; the web PKI roots compiled in (a scratch image has no
//! certificate store), or `--tls-ca-cert`'s.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::cli::Args;
use crate::outcome::{Exit, Failure};
use crate::target::Host;

/// A client configuration and the name to verify, built before connecting
/// so that a bad `--tls-*` option fails as an invalid argument.
pub(crate) struct Tls {
    connector: TlsConnector,
    server_name: ServerName<'static>,
    host_port: String,
}

impl Tls {
    pub(crate) fn new(args: &Args, alpn: &[u8]) -> Result<Self, Failure> {
        let invalid = |message: String| Failure::new(Exit::InvalidArguments, message);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid(format!("cannot set up TLS: {e}")))?;
        let mut config = if args.tls.no_verify {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
                .with_no_client_auth()
        } else {
            let mut roots = RootCertStore::empty();
            match &args.tls.ca_cert {
                Some(path) => {
                    let unreadable = |e: &dyn std::fmt::Display| {
                        invalid(format!(
                            "cannot read --tls-ca-cert \"{path}\": {e} (give a PEM file of CA \
                             certificates)"
                        ))
                    };
                    let certificates =
                        CertificateDer::pem_file_iter(path).map_err(|e| unreadable(&e))?;
                    for certificate in certificates {
                        let certificate = certificate.map_err(|e| unreadable(&e))?;
                        roots.add(certificate).map_err(|e| unreadable(&e))?;
                    }
                    if roots.is_empty() {
                        return Err(unreadable(&"no CERTIFICATE block in it"));
                    }
                }
                None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        };
        config.alpn_protocols = vec![alpn.to_vec()];

        let server_name = match (&args.tls.server_name, &args.target.host) {
            (Some(name), _) => ServerName::try_from(name.clone()).map_err(|_| {
                invalid(format!(
                    "invalid --tls-server-name \"{name}\": expected a DNS name or an IP address"
                ))
            })?,
            (None, Host::Ip(ip)) => ServerName::IpAddress((*ip).into()),
            (None, Host::Name(name)) => ServerName::try_from(name.clone()).map_err(|_| {
                invalid(format!(
                    "host \"{name}\" is not a DNS name a certificate can be checked against: \
                     give --tls-server-name"
                ))
            })?,
        };
        Ok(Tls {
            connector: TlsConnector::from(Arc::new(config)),
            server_name,
            host_port: args.target.host_port(),
        })
    }

    pub(crate) async fn handshake(self, tcp: TcpStream) -> Result<TlsStream<TcpStream>, Failure> {
        self.connector
            .connect(self.server_name, tcp)
            .await
            .map_err(|error| {
                let certificate = error
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                    .is_some_and(|inner| {
                        matches!(
                            inner,
                            rustls::Error::InvalidCertificate(_)
                                | rustls::Error::NoCertificatesPresented
                        )
                    });
                let hint = if certificate {
                    " (trust its CA with --tls-ca-cert FILE, name it with --tls-server-name, \
                     or skip checks with --tls-no-verify)"
                } else {
                    " (is it a TLS port?)"
                };
                Failure::new(
                    Exit::ConnectFailed,
                    format!(
                        "TLS handshake with {} failed: {error}{hint}",
                        self.host_port
                    ),
                )
            })
    }
}

/// `--tls-no-verify`: any certificate is accepted, but the handshake
/// signatures are still checked.
#[derive(Debug)]
struct NoVerify(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
