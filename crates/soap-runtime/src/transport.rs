//! Sending an envelope over HTTP and reading the answer.

use std::fmt;

use jobstatus_runtime::{BuildError, Credentials, HttpOptions, RedirectError, RequestPolicy};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::{StatusCode, Url};
use yaserde::YaDeserialize;

use crate::error::snippet;
use crate::xml::{has_dtd, root_is_nil};
use crate::{Envelope, ResponseBody, SoapError, SoapVersion, decode, parse_response};

/// An HTTP client bound to one SOAP endpoint.
///
/// It is built from [`HttpOptions`], as every vendor client is: default connect and call
/// timeouts, a cap on every answer ([`Transport::DEFAULT_MAX_RESPONSE_BYTES`] unless the
/// options say otherwise), and the [`RedirectPolicy`](jobstatus_runtime::RedirectPolicy),
/// which never lets credentials reach another origin. `Debug` and the `tracing` events show
/// the endpoint without user name, password, query or fragment.
#[derive(Clone)]
pub struct Transport {
    client: reqwest::Client,
    endpoint: Url,
    policy: RequestPolicy,
}

impl Transport {
    /// The default cap on a response body: 4 MiB.
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

    /// The options a SOAP transport starts from: the shared defaults with a cap of
    /// [`Self::DEFAULT_MAX_RESPONSE_BYTES`].
    pub fn default_options() -> HttpOptions {
        HttpOptions::new(Self::DEFAULT_MAX_RESPONSE_BYTES)
    }

    /// A transport that posts to `endpoint`, over a client built from `options` that
    /// sends `credentials` (headers) with every request.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidBaseUrl`] for an endpoint that is not `http` or `https`, and
    /// [`BuildError::Http`] when `reqwest` cannot build its client.
    pub fn new(
        endpoint: &str,
        options: HttpOptions,
        credentials: Credentials,
    ) -> Result<Self, BuildError> {
        let endpoint = jobstatus_runtime::parse_base_url(endpoint)?;
        let (client, policy) = options.build(credentials)?;
        Ok(Self {
            client,
            endpoint,
            policy,
        })
    }

    /// The endpoint requests are posted to.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The credentials, redirect policy and response cap of the transport.
    pub fn policy(&self) -> &RequestPolicy {
        &self.policy
    }

    /// Posts `envelope` as the SOAP operation `action` and returns the first element of
    /// the response `Body`.
    ///
    /// The request carries the headers of [`SoapVersion::request_headers`]. A SOAP
    /// fault becomes [`SoapError::Fault`] whatever the HTTP status (ASMX sends faults
    /// with 500); any other non-2xx answer becomes [`SoapError::HttpStatus`], except an
    /// envelope of the wrong version, which stays [`SoapError::VersionMismatch`].
    ///
    /// # Errors
    ///
    /// [`SoapError::Transport`], [`SoapError::Redirect`] and [`SoapError::TooLarge`] while
    /// talking HTTP, the errors of [`parse_response`] for 2xx answers, and the ones above.
    pub async fn call(&self, action: &str, envelope: &Envelope) -> Result<ResponseBody, SoapError> {
        let version = envelope.version();
        let headers = version.request_headers(action)?;
        let request = envelope.to_xml();
        tracing::debug!(
            action,
            endpoint = %redacted(&self.endpoint),
            %version,
            bytes = request.len(),
            "sending SOAP request"
        );
        let request = self
            .client
            .post(self.endpoint.clone())
            .headers(headers)
            .body(request);
        let (status, retry_after, body) = self.exchange(request, action).await?;
        interpret(version, status, retry_after, &body)
    }

    /// Calls an operation of an HTTP GET or HTTP POST binding, as ASMX offers them next
    /// to SOAP: the operation's `location` (such as `/GetStatus`) is appended to the
    /// endpoint's path, `params` go into the query (GET) or an
    /// `application/x-www-form-urlencoded` body (POST, with its `Content-Length` even when
    /// empty: IIS answers a POST without one with 411), and the answer is the bare result
    /// element, decoded into `T`; `None` when it is marked `xsi:nil="true"`. These
    /// bindings carry no SOAP header.
    ///
    /// # Errors
    ///
    /// [`SoapError::Transport`], [`SoapError::Redirect`] and [`SoapError::TooLarge`] while
    /// talking HTTP, [`SoapError::HttpStatus`] for a non-2xx answer (ASMX answers errors
    /// with a text page), [`SoapError::NotXml`], [`SoapError::ForbiddenDtd`],
    /// [`SoapError::Malformed`] and [`SoapError::Decode`] for the body.
    pub async fn call_http<T: YaDeserialize>(
        &self,
        verb: HttpVerb,
        location: &str,
        params: &[(&str, &str)],
    ) -> Result<Option<T>, SoapError> {
        let mut url = self.endpoint.clone();
        let path = format!("{}{location}", url.path().trim_end_matches('/'));
        url.set_path(&path);
        let mut encoded = url.clone();
        encoded.set_query(None);
        if !params.is_empty() {
            encoded.query_pairs_mut().extend_pairs(params);
        }
        let form = encoded.query().unwrap_or_default().to_owned();
        let request = match verb {
            HttpVerb::Get => {
                url.set_query((!form.is_empty()).then_some(form.as_str()));
                self.client.get(url)
            }
            HttpVerb::Post => self
                .client
                .post(url)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(CONTENT_LENGTH, form.len())
                .body(form),
        };
        tracing::debug!(%verb, location, endpoint = %redacted(&self.endpoint), "sending HTTP request");
        let (status, retry_after, body) = self.exchange(request, location).await?;
        if !status.is_success() {
            return Err(SoapError::HttpStatus {
                status,
                snippet: snippet(&body),
                retry_after,
            });
        }
        parse_bare::<T>(&body)
    }

    /// Sends `request` with the credentials and under the redirect policy, and reads the
    /// answer under the cap. An error status keeps its meaning whatever the size of its
    /// body: its head is kept and the rest is not read.
    async fn exchange(
        &self,
        request: reqwest::RequestBuilder,
        operation: &str,
    ) -> Result<(StatusCode, Option<String>, Vec<u8>), SoapError> {
        let mut request = request.build().map_err(transport_error)?;
        self.policy
            .credentials()
            .apply(&mut request)
            .map_err(|reason| SoapError::InvalidRequest { reason })?;
        let mut response = jobstatus_runtime::send(&self.client, &self.policy, request)
            .await
            .map_err(transport_error)?;
        let status = response.status();
        let retry_after = retry_after(&response);
        let cap = self.policy.body_limit();
        let (body, over_cap) = jobstatus_runtime::read_body(&mut response, cap)
            .await
            .map_err(transport_error)?;
        tracing::debug!(
            operation,
            endpoint = %redacted(&self.endpoint),
            status = status.as_u16(),
            bytes = body.len(),
            over_cap,
            "received response"
        );
        match over_cap {
            Some(read) if status.is_success() => Err(SoapError::TooLarge {
                cap,
                read: usize::try_from(read).unwrap_or(usize::MAX),
            }),
            _ => Ok((status, retry_after, body)),
        }
    }
}

/// The verb of an HTTP binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpVerb {
    /// Parameters in the query string.
    Get,
    /// Parameters in an `application/x-www-form-urlencoded` body.
    Post,
}

impl fmt::Display for HttpVerb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Get => "GET",
            Self::Post => "POST",
        })
    }
}

/// Reads the bare XML answer of an HTTP binding.
fn parse_bare<T: YaDeserialize>(body: &[u8]) -> Result<Option<T>, SoapError> {
    let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    if !body.trim_ascii_start().starts_with(b"<") {
        return Err(SoapError::NotXml {
            snippet: snippet(body),
        });
    }
    let malformed = |reason: String| SoapError::Malformed {
        reason,
        snippet: snippet(body),
    };
    let text = std::str::from_utf8(body)
        .map_err(|error| malformed(format!("body is not UTF-8: {error}")))?;
    if has_dtd(text) {
        return Err(SoapError::ForbiddenDtd);
    }
    if root_is_nil(text).map_err(malformed)? {
        return Ok(None);
    }
    decode(text).map(Some)
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("endpoint", &redacted(&self.endpoint).as_str())
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// Applies the HTTP status to the parsed body.
fn interpret(
    version: SoapVersion,
    status: StatusCode,
    retry_after: Option<String>,
    body: &[u8],
) -> Result<ResponseBody, SoapError> {
    let parsed = parse_response(version, body);
    if status.is_success() {
        return parsed;
    }
    match parsed {
        Err(error @ (SoapError::Fault(_) | SoapError::VersionMismatch { .. })) => Err(error),
        _ => Err(SoapError::HttpStatus {
            status,
            snippet: snippet(body),
            retry_after,
        }),
    }
}

/// The `Retry-After` header of `response`, as sent.
fn retry_after(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// `url` without anything that may carry a secret: user name, password, query, fragment.
fn redacted(url: &Url) -> Url {
    let mut url = url.clone();
    // Fails only for URLs that cannot have credentials in the first place.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
    url
}

fn transport_error(mut error: reqwest::Error) -> SoapError {
    if let Some(redirect) = RedirectError::find(&error) {
        return SoapError::Redirect(redirect.clone());
    }
    if let Some(url) = error.url_mut() {
        *url = redacted(url);
    }
    SoapError::Transport(error)
}
