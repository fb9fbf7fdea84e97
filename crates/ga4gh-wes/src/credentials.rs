//! The two ways WES deployments authenticate, chosen when the client is built.

use std::fmt;

use jobstatus_runtime::{Credentials, InvalidCredential};

use crate::Client;

/// How a [`Client`] authenticates every request it sends.
///
/// The token is written into a header marked sensitive, so neither this type's `Debug`
/// output, the client's, nor `reqwest`'s ever shows it.
#[derive(Clone)]
pub enum Auth {
    /// No credentials, as the GA4GH reference server (`wes-server`) expects.
    None,
    /// `Authorization: Bearer <token>`, the OAuth2 form the WES specification recommends.
    Bearer(String),
    /// `X-SBG-Auth-Token: <token>`, a Seven Bridges platform token (CAVATICA, the Cancer
    /// Genomics Cloud, BioData Catalyst; see [`crate::deployments`]).
    SevenBridges(String),
}

impl Auth {
    fn credentials(&self) -> Result<Credentials, InvalidCredential> {
        match self {
            Self::None => Ok(Credentials::new()),
            Self::Bearer(token) => Credentials::new().with_bearer(token),
            Self::SevenBridges(token) => Credentials::new().with_header("x-sbg-auth-token", token),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Bearer(_) => f.write_str("Bearer(<hidden>)"),
            Self::SevenBridges(_) => f.write_str("SevenBridges(<hidden>)"),
        }
    }
}

impl Client {
    /// A client for the WES API at `baseurl` (up to and including `/ga4gh/wes/v1`) that
    /// authenticates with `auth`.
    ///
    /// Fails when the token cannot be sent as a header value (a line break, say); the error
    /// names the header, never the token.
    pub fn with_auth(baseurl: &str, auth: Auth) -> Result<Self, InvalidCredential> {
        Ok(Self::new(baseurl, auth.credentials()?))
    }

    /// As [`Client::with_auth`], over a `reqwest::Client` of the caller's making (timeouts,
    /// proxies, TLS roots). The client that [`Client::with_auth`] builds times requests out
    /// after 15 seconds, which a large submission may need more than.
    pub fn with_auth_and_client(
        baseurl: &str,
        auth: Auth,
        client: reqwest::Client,
    ) -> Result<Self, InvalidCredential> {
        Ok(Self::new_with_client(baseurl, client, auth.credentials()?))
    }
}
