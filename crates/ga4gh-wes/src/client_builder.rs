//! Building a [`Client`].

use jobstatus_runtime::{BODY_LIMIT, BuildError, HttpOptions};

use crate::{Auth, Client};

impl Client {
    /// Starts building a client for the WES API at `base_url` (up to and including
    /// `/ga4gh/wes/v1`), without credentials until [`ClientBuilder::auth`] says otherwise.
    ///
    /// ```
    /// use ga4gh_wes::{Auth, Client, deployments};
    ///
    /// let client = Client::builder(deployments::CAVATICA)
    ///     .auth(Auth::SevenBridges("55e9691c111146bd384c5ec40a9f97fb1".into()))
    ///     .timeout(std::time::Duration::from_secs(120))
    ///     .build()?;
    /// # Ok::<(), jobstatus_runtime::BuildError>(())
    /// ```
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            auth: Auth::None,
            http: HttpOptions::new(BODY_LIMIT),
        }
    }
}

/// Builds a [`Client`]: how it authenticates, then the HTTP settings shared by every
/// vendor client (see [`HttpOptions`] for redirects and the `reqwest` escape hatch). A
/// large submission may need a longer [`Self::timeout`] than the default 15 seconds.
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    auth: Auth,
    http: HttpOptions,
}

impl ClientBuilder {
    /// How every request authenticates; [`Auth::None`] by default. The token is never
    /// printed, and never sent to another origin.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    jobstatus_runtime::http_option_setters!();

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidBaseUrl`], [`BuildError::InvalidCredential`] when the token
    /// cannot be sent as a header value (a line break, say; the error names the header,
    /// never the token), and [`BuildError::Http`].
    pub fn build(self) -> Result<Client, BuildError> {
        jobstatus_runtime::parse_base_url(&self.base_url)?;
        let (client, policy) = self.http.build(self.auth.credentials()?)?;
        Ok(Client::new_with_client(&self.base_url, client, policy))
    }
}
