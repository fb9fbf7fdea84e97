//! Clear authenticates every `/one-integration` call with two headers sent together:
//! `x-clear-auth-token` and `x-integration-id`.

use crate::Client;
use jobstatus_runtime::{Credentials, InvalidCredential};

impl Client {
    /// A client for the Clear API at `baseurl` (for example `https://api-sandbox.clear.in`)
    /// that sends `auth_token` as `x-clear-auth-token` and `integration_id` as
    /// `x-integration-id` with every request. Neither value is ever printed.
    ///
    /// # Errors
    ///
    /// [`InvalidCredential`], naming the header, when a value cannot be sent as an HTTP
    /// header value (it holds a line break or another control character).
    pub fn with_keys(
        baseurl: &str,
        auth_token: &str,
        integration_id: &str,
    ) -> Result<Self, InvalidCredential> {
        Ok(Self::new(baseurl, credentials(auth_token, integration_id)?))
    }

    /// As [`Client::with_keys`], over a `reqwest::Client` of the caller's making (timeouts,
    /// proxies, TLS roots).
    ///
    /// # Errors
    ///
    /// [`InvalidCredential`] when a value cannot be sent as an HTTP header value.
    pub fn with_keys_and_client(
        baseurl: &str,
        auth_token: &str,
        integration_id: &str,
        client: reqwest::Client,
    ) -> Result<Self, InvalidCredential> {
        Ok(Self::new_with_client(
            baseurl,
            client,
            credentials(auth_token, integration_id)?,
        ))
    }
}

fn credentials(auth_token: &str, integration_id: &str) -> Result<Credentials, InvalidCredential> {
    Credentials::new()
        .with_header("x-clear-auth-token", auth_token)?
        .with_header("x-integration-id", integration_id)
}
