//! The TLS backend chosen by cargo features, in the one place every vendor client builds
//! its HTTP client.
//!
//! - `rustls` (default): rustls with the aws-lc-rs crypto provider, reqwest's own default.
//! - `rustls-ring`: rustls with the ring crypto provider. reqwest then has no provider of
//!   its own, so [`client_builder`] makes ring the process-wide rustls provider, unless the
//!   application installed one first (which then wins).
//! - `native-tls`: the platform's library (OpenSSL, Secure Transport, SChannel); reqwest
//!   prefers it whenever it is enabled.
//!
//! Without any of them the clients speak plain HTTP only.

/// A `reqwest::ClientBuilder` whose `build()` uses the TLS backend selected by this crate's
/// features; start every HTTP client of a vendor crate from it.
pub fn client_builder() -> reqwest::ClientBuilder {
    prepare(reqwest::Client::builder())
}

/// Readies `builder`, which may come from the application, for the selected TLS backend;
/// call it on every builder before `build()`. With `rustls-ring` it installs ring as the
/// process-wide rustls provider (unless one is installed), without which reqwest would
/// panic in `build()`; otherwise it returns `builder` as it is.
pub fn prepare(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    #[cfg(feature = "rustls-ring")]
    install_ring_provider();
    builder
}

/// Makes ring the process-wide rustls provider unless one is installed already.
#[cfg(feature = "rustls-ring")]
fn install_ring_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race to another thread installing a provider is fine: one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
        tracing::debug!("installed ring as the process-wide rustls crypto provider");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_client_with_the_selected_backend() {
        let client = client_builder().build();
        assert!(client.is_ok(), "{client:?}");
        let client = prepare(reqwest::Client::builder().https_only(true)).build();
        assert!(client.is_ok(), "{client:?}");
    }

    #[cfg(feature = "rustls-ring")]
    #[test]
    fn ring_is_the_process_provider_after_building() {
        client_builder().build().expect("builds");
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}
