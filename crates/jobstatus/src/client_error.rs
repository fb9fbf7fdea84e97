//! Errors of the vendors' generated clients, mapped onto [`Error`].

use std::time::{Duration, SystemTime};

use jobstatus_runtime::{BodyTooLarge, RedirectError, RequestPolicy, ResponseFailure};
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::{Error, ErrorKind, Vendor};

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
        300..=399 => ErrorKind::Redirect(RedirectError::NotFollowed { status }),
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

/// Maps an error of a generated client onto the shared error type, with every credential
/// value the client holds taken out of what the server's answer is quoted in (servers echo
/// tokens back: ELMA's task `system` is the caller's `auth_tkn`).
pub(crate) async fn from_client<E: ErrorBody>(
    vendor: Vendor,
    id: &str,
    policy: &RequestPolicy,
    error: progenitor_client::Error<E>,
) -> Error {
    let mut error = map(vendor, id, error).await;
    let redact = |text: &mut String| *text = policy.credentials().redact(text);
    match &mut error.kind {
        ErrorKind::Unauthorized { message, .. } | ErrorKind::Server { message, .. } => {
            message.iter_mut().for_each(redact);
        }
        ErrorKind::Undecodable { reason, snippet } => {
            redact(reason);
            redact(snippet);
        }
        ErrorKind::InvalidRequest(message) => redact(message),
        _ => {}
    }
    error
}

async fn map<E: ErrorBody>(vendor: Vendor, id: &str, error: progenitor_client::Error<E>) -> Error {
    use progenitor_client::Error as E;
    let transport = |e: reqwest::Error| {
        let kind = if let Some(redirect) = RedirectError::find(&e) {
            ErrorKind::Redirect(redirect.clone())
        } else if let Some(too_large) = BodyTooLarge::find(&e) {
            // A successful answer over the cap; error answers are read before this.
            ErrorKind::Undecodable {
                reason: too_large.to_string(),
                snippet: String::new(),
            }
        } else {
            ErrorKind::Transport(Box::new(e))
        };
        Error::new(vendor, kind)
    };
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
            // An error status keeps its meaning (a 503 stays retryable) whatever its body.
            Some(ResponseFailure::TooLarge { status, limit }) if status >= 400 => from_status(
                vendor,
                id,
                status,
                None,
                None,
                Some(format!("a body over {limit} bytes")),
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

    struct NoBody;

    fn elma_policy() -> RequestPolicy {
        let credentials =
            jobstatus_runtime::Credentials::new().with_body_field("auth_tkn", "5d5ec66f-357d");
        jobstatus_runtime::HttpOptions::new(16)
            .build(credentials)
            .expect("builds")
            .1
    }

    impl ErrorBody for NoBody {
        fn code(&self) -> Option<String> {
            None
        }
        fn message(&self) -> Option<String> {
            None
        }
    }

    #[tokio::test]
    async fn quoted_answers_lose_the_credentials_they_echo() {
        let policy = elma_policy();
        let body = br#"{"status":200,"task":{"id":1,"system":"5d5ec66f-357d","#;
        let cause = serde_json::from_slice::<serde_json::Value>(body).expect_err("truncated");
        let error = progenitor_client::Error::<NoBody>::InvalidResponsePayload(
            bytes::Bytes::from_static(body),
            cause,
        );
        let error = from_client(Vendor::ElmaRpa, "1", &policy, error).await;
        let ErrorKind::Undecodable { snippet, .. } = &error.kind else {
            panic!("expected undecodable: {error}");
        };
        assert_eq!(
            snippet,
            r#"{"status":200,"task":{"id":1,"system":"[redacted]","#
        );

        let page = ResponseFailure::NotJson {
            status: 502,
            retry_after: None,
            snippet: "<p>bad gateway for 5d5ec66f-357d</p>".to_owned(),
        };
        let error = progenitor_client::Error::<NoBody>::Custom(page.to_string());
        let error = from_client(Vendor::ElmaRpa, "1", &policy, error).await;
        assert!(
            matches!(&error.kind, ErrorKind::Server { status: 502, message: Some(m), .. } if m == "<p>bad gateway for [redacted]</p>"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn an_oversized_error_keeps_its_status() {
        let error = progenitor_client::Error::<NoBody>::Custom(
            ResponseFailure::TooLarge {
                status: 503,
                limit: 16,
            }
            .to_string(),
        );
        let error = from_client(Vendor::ElmaRpa, "1", &elma_policy(), error).await;
        assert!(
            matches!(error.kind, ErrorKind::Server { status: 503, .. }),
            "{error}"
        );
        assert!(error.is_retryable());
    }

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
        for status in [301, 302, 307, 308, 400, 401, 403, 404, 409, 422, 501] {
            assert!(!kind(status).is_retryable(), "{status}");
        }
        assert!(matches!(
            kind(302).kind,
            ErrorKind::Redirect(RedirectError::NotFollowed { status: 302 })
        ));
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
