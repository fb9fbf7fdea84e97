//! ELMA RPA authenticates inside the body: `auth_tkn` in every request.

use crate::Client;
use jobstatus_runtime::Credentials;

impl Client {
    /// A client for the Orchestrator at `baseurl` (for example `http://orchestrator:48080`)
    /// that writes `auth_tkn`, the UUID of the registered external system, into every
    /// request body.
    pub fn with_auth_token(baseurl: &str, auth_tkn: &str) -> Self {
        Self::new(baseurl, credentials(auth_tkn))
    }

    /// As [`Client::with_auth_token`], over a `reqwest::Client` of the caller's making
    /// (timeouts, proxies, TLS roots).
    pub fn with_auth_token_and_client(
        baseurl: &str,
        auth_tkn: &str,
        client: reqwest::Client,
    ) -> Self {
        Self::new_with_client(baseurl, client, credentials(auth_tkn))
    }
}

fn credentials(auth_tkn: &str) -> Credentials {
    Credentials::new().with_body_field("auth_tkn", auth_tkn)
}
