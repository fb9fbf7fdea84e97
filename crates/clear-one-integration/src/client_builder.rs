//! Building a [`Client`]. Clear authenticates every `/one-integration` call with two
//! headers sent together: `x-clear-auth-token` and `x-integration-id`.

use jobstatus_runtime::{BODY_LIMIT, BuildError, Credentials, HttpOptions, Secret};

use crate::Client;

impl Client {
    /// Starts building a client for the Clear API at `base_url` (for example
    /// `https://api-sandbox.clear.in`); [`ClientBuilder::auth_token`] and
    /// [`ClientBuilder::integration_id`] are required.
    ///
    /// ```
    /// let client = clear_one_integration::Client::builder("https://api-sandbox.clear.in")
    ///     .auth_token("auth-token")
    ///     .integration_id("integration-id")
    ///     .build()?;
    /// # Ok::<(), jobstatus_runtime::BuildError>(())
    /// ```
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            auth_token: None,
            integration_id: None,
            http: HttpOptions::new(BODY_LIMIT),
        }
    }
}

/// Builds a [`Client`]: the keys, then the HTTP settings shared by every vendor client
/// (see [`HttpOptions`] for redirects and the `reqwest` escape hatch).
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    auth_token: Option<Secret>,
    integration_id: Option<Secret>,
    http: HttpOptions,
}

impl ClientBuilder {
    /// The auth token, sent as `x-clear-auth-token`; never printed, never sent to another
    /// origin.
    pub fn auth_token(mut self, token: impl Into<Secret>) -> Self {
        self.auth_token = Some(token.into());
        self
    }

    /// The integration id, sent as `x-integration-id`; never printed, never sent to
    /// another origin.
    pub fn integration_id(mut self, id: impl Into<Secret>) -> Self {
        self.integration_id = Some(id.into());
        self
    }

    jobstatus_runtime::http_option_setters!();

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidBaseUrl`], [`BuildError::MissingCredential`] without both
    /// keys, [`BuildError::InvalidCredential`], naming the header, when a value cannot be
    /// sent as a header value, and [`BuildError::Http`].
    pub fn build(self) -> Result<Client, BuildError> {
        jobstatus_runtime::parse_base_url(&self.base_url)?;
        let missing = |name| BuildError::MissingCredential { name };
        let auth_token = self
            .auth_token
            .ok_or_else(|| missing("x-clear-auth-token"))?;
        let integration_id = self
            .integration_id
            .ok_or_else(|| missing("x-integration-id"))?;
        let credentials = Credentials::new()
            .with_header("x-clear-auth-token", auth_token.expose())?
            .with_header("x-integration-id", integration_id.expose())?;
        let (client, policy) = self.http.build(credentials)?;
        Ok(Client::new_with_client(&self.base_url, client, policy))
    }
}
