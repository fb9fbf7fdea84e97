//! One error type for every vendor, with kinds a caller can act on.

use std::time::{Duration, SystemTime};

use jobstatus_runtime::ResponseFailure;
use reqwest::header::{HeaderMap, RETRY_AFTER};

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
    /// short.
    #[error("transport: {0}")]
    Transport(#[source] Box<dyn std::error::Error + Send + Sync>),
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

    /// Whether the same call may work if tried again later: transport failures, rate
    /// limits, and the server errors 500, 502, 503 and 504.
    pub fn is_retryable(&self) -> bool {
        match &self.kind {
            ErrorKind::Transport(_) | ErrorKind::RateLimited { .. } => true,
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

/// Reads `Retry-After`: delay-seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}

fn retry_after_header(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after)
}

/// The error for an HTTP error status, with what the vendor said about it.
pub(crate) fn from_status(
    vendor: Vendor,
    id: &str,
    status: u16,
    retry_after: Option<Duration>,
    code: Option<String>,
    message: Option<String>,
) -> Error {
    let kind = match status {
        404 => ErrorKind::NotFound { id: id.to_owned() },
        401 | 403 => ErrorKind::Unauthorized { status, message },
        429 => ErrorKind::RateLimited { retry_after },
        _ => ErrorKind::Server {
            status,
            code,
            message,
            retry_after,
        },
    };
    Error::new(vendor, kind)
}

/// What a vendor's typed error body says.
pub(crate) trait ErrorBody {
    /// The vendor's error code.
    fn code(&self) -> Option<String>;
    /// The vendor's message.
    fn message(&self) -> Option<String>;
}

/// Maps an error of a generated client onto the shared error type.
pub(crate) async fn from_client<E: ErrorBody>(
    vendor: Vendor,
    id: &str,
    error: progenitor_client::Error<E>,
) -> Error {
    use progenitor_client::Error as E;
    let transport = |e: reqwest::Error| Error::new(vendor, ErrorKind::Transport(Box::new(e)));
    match error {
        E::InvalidRequest(message) => Error::new(vendor, ErrorKind::InvalidRequest(message)),
        E::CommunicationError(e) | E::InvalidUpgrade(e) | E::ResponseBodyError(e) => transport(e),
        E::ErrorResponse(response) => from_status(
            vendor,
            id,
            response.status().as_u16(),
            retry_after_header(response.headers()),
            response.code(),
            response.message(),
        ),
        E::InvalidResponsePayload(body, e) => Error::new(
            vendor,
            ErrorKind::Undecodable {
                reason: e.to_string(),
                snippet: jobstatus_runtime::snippet(&body),
            },
        ),
        E::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let retry_after = retry_after_header(response.headers());
            match response.bytes().await {
                Ok(body) if (200..300).contains(&status) => Error::new(
                    vendor,
                    ErrorKind::Undecodable {
                        reason: format!("HTTP {status} is not a documented answer"),
                        snippet: jobstatus_runtime::snippet(&body),
                    },
                ),
                Ok(body) => from_status(
                    vendor,
                    id,
                    status,
                    retry_after,
                    None,
                    Some(jobstatus_runtime::snippet(&body)).filter(|s| !s.is_empty()),
                ),
                Err(e) => transport(e),
            }
        }
        E::Custom(message) => match ResponseFailure::from_message(&message) {
            Some(ResponseFailure::NotJson {
                status,
                retry_after,
                snippet,
            }) => from_status(
                vendor,
                id,
                status,
                retry_after.as_deref().and_then(parse_retry_after),
                None,
                Some(snippet).filter(|s| !s.is_empty()),
            ),
            Some(failure @ ResponseFailure::TooLarge { .. }) => Error::new(
                vendor,
                ErrorKind::Undecodable {
                    reason: failure.to_string(),
                    snippet: String::new(),
                },
            ),
            None => Error::new(vendor, ErrorKind::InvalidRequest(message)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        let in_a_minute = SystemTime::now() + Duration::from_secs(61);
        let parsed = parse_retry_after(&httpdate::fmt_http_date(in_a_minute)).expect("date");
        assert!(parsed > Duration::from_secs(55) && parsed <= Duration::from_secs(61));
        let past = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH);
        assert_eq!(parse_retry_after(&past), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn statuses_map_onto_kinds_and_retryability() {
        let kind = |status| from_status(Vendor::ElmaRpa, "7", status, None, None, None);
        assert!(kind(404).is_not_found());
        assert!(matches!(
            kind(401).kind,
            ErrorKind::Unauthorized { status: 401, .. }
        ));
        assert!(matches!(
            kind(403).kind,
            ErrorKind::Unauthorized { status: 403, .. }
        ));
        assert!(matches!(kind(429).kind, ErrorKind::RateLimited { .. }));
        for status in [500, 502, 503, 504, 429] {
            assert!(kind(status).is_retryable(), "{status}");
        }
        for status in [400, 401, 403, 404, 409, 422, 501] {
            assert!(!kind(status).is_retryable(), "{status}");
        }
        let limited = from_status(
            Vendor::ElmaRpa,
            "7",
            503,
            Some(Duration::from_secs(9)),
            Some("E1".into()),
            Some("busy".into()),
        );
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(9)));
        assert_eq!(
            limited.to_string(),
            "elma-rpa: HTTP 503 [E1]: busy (retry after 9s)"
        );
    }
}
