//! Infor OS RPA is reached through the ION API Gateway, which wants an OAuth 2.0 access
//! token on every request: `Authorization: Bearer <token>`.

use crate::Client;
use jobstatus_runtime::{Credentials, InvalidCredential};

impl Client {
    /// A client for the RPA service at `baseurl`, the tenant's gateway URL followed by `RPA`
    /// (for example `https://mingle-ionapi.inforcloudsuite.com/ACME_PRD/RPA`), that sends
    /// `token`, an access token issued for the ION API Gateway, as a bearer token.
    ///
    /// The token is never printed. Access tokens expire: build a new client with a fresh
    /// token when the gateway answers 401.
    ///
    /// # Errors
    ///
    /// [`InvalidCredential`] when the token cannot be sent as an HTTP header value (it
    /// holds a line break or another control character).
    pub fn with_bearer_token(baseurl: &str, token: &str) -> Result<Self, InvalidCredential> {
        Ok(Self::new(baseurl, credentials(token)?))
    }

    /// As [`Client::with_bearer_token`], over a `reqwest::Client` of the caller's making
    /// (timeouts, proxies, TLS roots).
    ///
    /// # Errors
    ///
    /// [`InvalidCredential`] when the token cannot be sent as an HTTP header value.
    pub fn with_bearer_token_and_client(
        baseurl: &str,
        token: &str,
        client: reqwest::Client,
    ) -> Result<Self, InvalidCredential> {
        Ok(Self::new_with_client(baseurl, client, credentials(token)?))
    }
}

fn credentials(token: &str) -> Result<Credentials, InvalidCredential> {
    Credentials::new().with_bearer(token)
}
