//! One error type for every vendor, with kinds a caller can act on.

use std::time::Duration;

use crate::Vendor;

/// A call to a vendor that did not produce a status.
#[derive(Debug, thiserror::Error)]
#[error("{vendor}: {kind}")]
pub struct Error {
    /// The vendor called.
    pub vendor: Vendor,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// What went wrong, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The vendor does not know the job: HTTP 404, Clear's not-found envelope, Cora's
    /// `NotFound` status.
    #[error("job {id} not found")]
    NotFound {
        /// The job's id.
        id: String,
    },
    /// The credentials were refused (HTTP 401 or 403).
    #[error("unauthorized (HTTP {status}){}", suffix(message))]
    Unauthorized {
        /// HTTP status.
        status: u16,
        /// What the vendor said.
        message: Option<String>,
    },
    /// Too many requests (HTTP 429).
    #[error("rate limited{}", retry_suffix(*retry_after))]
    RateLimited {
        /// How long the vendor asked to wait, from `Retry-After`.
        retry_after: Option<Duration>,
    },
    /// The request did not get an answer: connection refused or reset, timeout, a body cut
    /// short, a TLS failure.
    #[error("transport: {0}")]
    Transport(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A redirect the client's redirect policy did not follow: to another origin (which
    /// would have received the credentials), a loop, too many hops.
    #[error("{0}")]
    Redirect(#[source] jobstatus_runtime::RedirectError),
    /// The vendor answered with an error.
    #[error("HTTP {status}{}{}{}", code.as_ref().map(|c| format!(" [{c}]")).unwrap_or_default(), suffix(message), retry_suffix(*retry_after))]
    Server {
        /// HTTP status.
        status: u16,
        /// The vendor's error code.
        code: Option<String>,
        /// The vendor's message.
        message: Option<String>,
        /// How long the vendor asked to wait, from `Retry-After`.
        retry_after: Option<Duration>,
    },
    /// A SOAP fault.
    #[error("SOAP fault {code}: {reason}")]
    SoapFault {
        /// The fault code as written (`soap:Server`, `env:Receiver`, ...).
        code: String,
        /// The fault string or reason.
        reason: String,
        /// The fault detail, as XML.
        detail: Option<String>,
    },
    /// An answer that is not what the spec describes: not JSON or XML, truncated, too
    /// large, a wrong shape.
    #[error("undecodable response: {reason}; body starts: {snippet:?}")]
    Undecodable {
        /// Why it could not be decoded.
        reason: String,
        /// The start of the body.
        snippet: String,
    },
    /// The request could not be built or sent as asked.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The vendor has no such operation (cancel, for most).
    #[error("{0} is not supported by this vendor")]
    Unsupported(&'static str),
}

fn suffix(message: &Option<String>) -> String {
    message
        .as_ref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default()
}

fn retry_suffix(retry_after: Option<Duration>) -> String {
    retry_after
        .map(|d| format!(" (retry after {}s)", d.as_secs()))
        .unwrap_or_default()
}

impl Error {
    /// An error of `kind` from `vendor`.
    pub fn new(vendor: Vendor, kind: ErrorKind) -> Self {
        Self { vendor, kind }
    }

    /// Whether the same call may work if tried again later. One table for every vendor,
    /// REST and SOAP alike:
    ///
    /// | kind | retryable |
    /// |------|-----------|
    /// | `Transport`: refused, reset, timeout, body cut short or unreadable | yes |
    /// | `Transport`: a TLS certificate the client does not trust | no |
    /// | `RateLimited` (429), with or without `Retry-After` | yes |
    /// | `Server` 500, 502, 503, 504, whatever the body (JSON, HTML, empty, too large, undecodable) | yes |
    /// | `Server` with any other status (400, 409, 501, ...) | no |
    /// | `Redirect`: to another origin, a loop, too many hops, not followed | no |
    /// | `NotFound`, `Unauthorized`, `SoapFault`, `Undecodable` (a 2xx answer that is too large or not what the spec says), `InvalidRequest`, `Unsupported` | no |
    ///
    /// A SOAP fault is not retryable: ASMX answers every exception of a web method with a
    /// `soap:Server` fault, which the same call meets again.
    pub fn is_retryable(&self) -> bool {
        match &self.kind {
            ErrorKind::Transport(error) => !jobstatus_runtime::is_certificate_error(&**error),
            ErrorKind::RateLimited { .. } => true,
            ErrorKind::Server { status, .. } => matches!(status, 500 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// How long the vendor asked the caller to wait before the next call.
    pub fn retry_after(&self) -> Option<Duration> {
        match &self.kind {
            ErrorKind::RateLimited { retry_after } | ErrorKind::Server { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// Whether the vendor does not know the job.
    pub fn is_not_found(&self) -> bool {
        matches!(self.kind, ErrorKind::NotFound { .. })
    }
}
