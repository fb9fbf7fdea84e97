//! Telling a TLS certificate failure from other transport errors: retrying it does not
//! help, since the server will present the same certificate again.

use std::error::Error;

/// Whether `error` comes from a TLS certificate the client refused (unknown issuer,
/// expired, wrong name, revoked), anywhere in its chain of sources.
pub fn is_certificate_error(error: &(dyn Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(error) = next {
        // `io::Error` hides the error it wraps from `source()`; look inside.
        let inner = error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|inner| inner as &(dyn Error + 'static));
        if [Some(error), inner].into_iter().flatten().any(|error| {
            matches!(
                error.downcast_ref::<rustls::Error>(),
                Some(rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented)
            )
        }) {
            return true;
        }
        next = inner.and_then(Error::source).or_else(|| error.source());
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_errors_are_found_inside_io_errors() {
        let certificate = std::io::Error::other(rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        ));
        assert!(is_certificate_error(&certificate));
        let other = std::io::Error::other(rustls::Error::DecryptError);
        assert!(!is_certificate_error(&other));
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(!is_certificate_error(&refused));
    }
}
