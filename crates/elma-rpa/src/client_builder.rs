//! Building a [`Client`]. ELMA RPA authenticates inside the body: `auth_tkn` in every
//! request.

use jobstatus_runtime::{BODY_LIMIT, BuildError, Credentials, HttpOptions, Secret};

use crate::Client;

impl Client {
    /// Starts building a client for the Orchestrator at `base_url` (for example
    /// `http://orchestrator:48080`); [`ClientBuilder::auth_token`] is required.
    ///
    /// ```
    /// let client = elma_rpa::Client::builder("http://orchestrator:48080")
    ///     .auth_token("5d5ec66f-357d-4c2d-bbc1-2012278d2361")
    ///     .timeout(std::time::Duration::from_secs(30))
    ///     .build()?;
    /// # Ok::<(), jobstatus_runtime::BuildError>(())
    /// ```
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            auth_token: None,
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
    auth_token: Option<Secret>,
    http: HttpOptions,
}

impl ClientBuilder {
    /// `auth_tkn`, the UUID of the external system registered in the Orchestrator, written
    /// into every request body. It is never printed, and never sent to another origin.
    pub fn auth_token(mut self, auth_tkn: impl Into<Secret>) -> Self {
        self.auth_token = Some(auth_tkn.into());
        self
    }

    /// The cap, in bytes, on a file download (`task_download`), which the caller reads as
    /// a stream; 64 MiB by default. A longer file fails the stream.
    pub fn download_limit(mut self, limit: usize) -> Self {
        self.http.download_limit(limit);
        self
    }

    jobstatus_runtime::http_option_setters!();

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidBaseUrl`], [`BuildError::MissingCredential`] without
    /// [`Self::auth_token`], and [`BuildError::Http`].
    pub fn build(self) -> Result<Client, BuildError> {
        jobstatus_runtime::parse_base_url(&self.base_url)?;
        let auth_tkn = self
            .auth_token
            .ok_or(BuildError::MissingCredential { name: "auth_tkn" })?;
        let credentials = Credentials::new().with_body_field("auth_tkn", auth_tkn.expose());
        let (client, policy) = self.http.build(credentials)?;
        Ok(Client::new_with_client(&self.base_url, client, policy))
    }
}
