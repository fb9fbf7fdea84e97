//! Building a [`Client`]. Infor OS RPA is reached through the ION API Gateway, which wants
//! an OAuth 2.0 access token on every request: `Authorization: Bearer <token>`.

use jobstatus_runtime::{BODY_LIMIT, BuildError, Credentials, HttpOptions, Secret};

use crate::Client;

impl Client {
    /// Starts building a client for the RPA service at `base_url`, the tenant's gateway
    /// URL followed by `RPA` (for example
    /// `https://mingle-ionapi.inforcloudsuite.com/ACME_PRD/RPA`);
    /// [`ClientBuilder::bearer_token`] is required.
    ///
    /// ```
    /// let client = infor_rpa::Client::builder("https://mingle-ionapi.inforcloudsuite.com/ACME_PRD/RPA")
    ///     .bearer_token("access-token")
    ///     .build()?;
    /// # Ok::<(), jobstatus_runtime::BuildError>(())
    /// ```
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            token: None,
            http: HttpOptions::new(BODY_LIMIT),
        }
    }
}

/// Builds a [`Client`]: the token, then the HTTP settings shared by every vendor client
/// (see [`HttpOptions`] for redirects and the `reqwest` escape hatch).
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    token: Option<Secret>,
    http: HttpOptions,
}

impl ClientBuilder {
    /// An access token issued for the ION API Gateway, sent as a bearer token. It is never
    /// printed, and never sent to another origin. Access tokens expire: build a new client
    /// with a fresh token when the gateway answers 401.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    jobstatus_runtime::http_option_setters!();

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidBaseUrl`], [`BuildError::MissingCredential`] without
    /// [`Self::bearer_token`], [`BuildError::InvalidCredential`] when the token cannot be
    /// sent as a header value (a line break, say; the error names the header, never the
    /// token), and [`BuildError::Http`].
    pub fn build(self) -> Result<Client, BuildError> {
        jobstatus_runtime::parse_base_url(&self.base_url)?;
        let token = self.token.ok_or(BuildError::MissingCredential {
            name: "bearer token",
        })?;
        let credentials = Credentials::new().with_bearer(token.expose())?;
        let (client, policy) = self.http.build(credentials)?;
        Ok(Client::new_with_client(&self.base_url, client, policy))
    }
}
