//! The HTTP side of every vendor client's builder, in one place for the REST and SOAP
//! clients: timeouts, user agent, redirect policy, response caps, and `reqwest` settings.

use std::time::Duration;

use crate::{Credentials, InvalidCredential, RedirectPolicy, RequestPolicy};

/// How long a connection may take to open by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a whole call (connecting, sending, and reading the full answer) may take by
/// default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// The cap on an answer the client reads whole when a builder does not set one.
pub const DEFAULT_DOWNLOAD_LIMIT: usize = 64 * 1024 * 1024;

/// The HTTP settings a vendor client is built with.
///
/// Each vendor's `ClientBuilder` holds one and offers its setters; `build()` turns it into
/// a `reqwest::Client` that never follows redirects by itself and never sends `Referer`
/// (redirects are followed by the [`RedirectPolicy`], which keeps credentials with their
/// origin).
///
/// # `reqwest` settings
///
/// Proxies, TLS roots and client certificates, local addresses and the like are set on a
/// [`reqwest::ClientBuilder`] given to [`HttpOptions::reqwest`]: a builder rather than a
/// built `reqwest::Client`, because a built client follows redirects and sends `Referer`
/// as it was told and cannot be changed afterwards. The timeouts, user agent and redirect
/// policy of these options are applied to it last and win. `reqwest` types are part of
/// this API and follow `reqwest`'s versions (0.13).
#[derive(Debug)]
pub struct HttpOptions {
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
    redirects: RedirectPolicy,
    body_limit: usize,
    download_limit: usize,
    reqwest: Option<reqwest::ClientBuilder>,
}

impl HttpOptions {
    /// The defaults, with `body_limit` as the cap on answers read whole.
    pub fn new(body_limit: usize) -> Self {
        Self {
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            user_agent: concat!("jobstatus/", env!("CARGO_PKG_VERSION")).to_owned(),
            redirects: RedirectPolicy::default(),
            body_limit,
            download_limit: DEFAULT_DOWNLOAD_LIMIT,
            reqwest: None,
        }
    }

    /// Sets how long a whole call may take; `None` for no limit.
    pub fn timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    /// Sets how long opening a connection may take; `None` for no limit.
    pub fn connect_timeout(&mut self, timeout: Option<Duration>) {
        self.connect_timeout = timeout;
    }

    /// Sets the `User-Agent` header.
    pub fn user_agent(&mut self, user_agent: String) {
        self.user_agent = user_agent;
    }

    /// Sets the redirect policy.
    pub fn redirects(&mut self, policy: RedirectPolicy) {
        self.redirects = policy;
    }

    /// Sets the cap on an answer the client reads whole, in bytes.
    pub fn body_limit(&mut self, limit: usize) {
        self.body_limit = limit;
    }

    /// Sets the cap on a streamed answer (a file download), in bytes.
    pub fn download_limit(&mut self, limit: usize) {
        self.download_limit = limit;
    }

    /// Starts from `builder` for the settings these options do not cover.
    pub fn reqwest(&mut self, builder: reqwest::ClientBuilder) {
        self.reqwest = Some(builder);
    }

    /// Builds the `reqwest::Client` and the [`RequestPolicy`] that sends `credentials`.
    ///
    /// # Errors
    ///
    /// [`BuildError::Http`] when `reqwest` cannot build the client (its TLS backend could
    /// not start, say).
    pub fn build(
        self,
        credentials: Credentials,
    ) -> Result<(reqwest::Client, RequestPolicy), BuildError> {
        let mut builder = crate::tls_backend::prepare(self.reqwest.unwrap_or_default())
            .redirect(self.redirects.to_reqwest())
            .referer(false)
            .user_agent(self.user_agent);
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        let client = builder.build().map_err(BuildError::Http)?;
        let policy = RequestPolicy::new(
            credentials,
            self.redirects,
            self.body_limit,
            self.download_limit,
        );
        Ok((client, policy))
    }
}

/// Why a vendor client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL.
    #[error("invalid base URL: {reason}")]
    InvalidBaseUrl {
        /// What is wrong with it.
        reason: String,
    },
    /// A credential the vendor needs was not given.
    #[error("missing credential: {name} (set it on the builder)")]
    MissingCredential {
        /// The credential, as the vendor names it.
        name: &'static str,
    },
    /// A credential cannot be sent as an HTTP header value.
    #[error(transparent)]
    InvalidCredential(#[from] InvalidCredential),
    /// `reqwest` could not build its client.
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

/// Checks that `base_url` is an absolute `http` or `https` URL.
///
/// # Errors
///
/// [`BuildError::InvalidBaseUrl`], which does not quote the URL (it may carry a password).
pub fn parse_base_url(base_url: &str) -> Result<reqwest::Url, BuildError> {
    let url = reqwest::Url::parse(base_url).map_err(|error| BuildError::InvalidBaseUrl {
        reason: error.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(BuildError::InvalidBaseUrl {
            reason: format!("scheme `{}` is not http or https", url.scheme()),
        });
    }
    Ok(url)
}

/// The setters every vendor's `ClientBuilder` offers for its [`HttpOptions`], written into
/// an `impl` block of a builder that has an `http: HttpOptions` field.
#[macro_export]
macro_rules! http_option_setters {
    () => {
        /// How long a whole call (connecting, sending, reading the full answer) may take;
        /// 15 seconds by default, `None` for no limit (a wait's deadline still bounds the
        /// calls it makes).
        #[must_use]
        pub fn timeout(mut self, timeout: impl Into<Option<::std::time::Duration>>) -> Self {
            self.http.timeout(timeout.into());
            self
        }

        /// How long opening a connection may take; 10 seconds by default, `None` for no
        /// limit.
        #[must_use]
        pub fn connect_timeout(
            mut self,
            timeout: impl Into<Option<::std::time::Duration>>,
        ) -> Self {
            self.http.connect_timeout(timeout.into());
            self
        }

        /// The `User-Agent` header; `jobstatus/<version>` by default.
        #[must_use]
        pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
            self.http.user_agent(user_agent.into());
            self
        }

        /// Which redirects are followed; by default only a few within the origin, never
        /// one that would carry the credentials to another origin (see
        /// [`RedirectPolicy`]($crate::RedirectPolicy)).
        #[must_use]
        pub fn redirects(mut self, policy: $crate::RedirectPolicy) -> Self {
            self.http.redirects(policy);
            self
        }

        /// The cap, in bytes, on an answer the client reads whole, whatever its content
        /// type; a longer one is refused, not truncated.
        #[must_use]
        pub fn body_limit(mut self, limit: usize) -> Self {
            self.http.body_limit(limit);
            self
        }

        /// `reqwest` settings these setters do not cover (proxies, TLS roots, client
        /// certificates), given as a `reqwest::ClientBuilder`. The timeouts, user agent
        /// and redirect policy of this builder are applied over it; see
        /// [`HttpOptions`]($crate::HttpOptions) for why it is a builder and not a client.
        #[must_use]
        pub fn reqwest(mut self, builder: ::reqwest::ClientBuilder) -> Self {
            self.http.reqwest(builder);
            self
        }
    };
}
