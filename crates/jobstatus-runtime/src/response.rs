//! Reading responses safely: every body is read under a cap, and an error status that
//! comes with something other than JSON (a proxy's HTML page, a truncated body) becomes a
//! [`ResponseFailure`] that keeps the status, `Retry-After` and a snippet of the body.
//!
//! A successful answer is passed on as it came, its body wrapped only to fail past the cap
//! when its length is not known to be within it; [`read_json`] drops a leading byte order
//! mark.
//! The generated code then parses it once. Only error answers, which are small and rare,
//! are buffered here first.

use std::fmt;

use progenitor_client::{Error, ResponseValue};

use crate::body::{BOM, Capped, read_body};
use crate::{RequestPolicy, send};

/// The default cap on a JSON answer. A longer one is refused as a whole rather than
/// decoded from a prefix.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Characters of a body kept in an error message.
const SNIPPET_CHARS: usize = 200;

/// How the body of a successful answer is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Read whole, JSON by [`read_json`] (which drops a leading byte order mark): capped
    /// at the policy's body limit, and passed on untouched when its `Content-Length` is
    /// within it (the connection then ends the body there).
    Json,
    /// Streamed to the caller (a file download): capped at the policy's download limit.
    Streamed,
}

/// Sends `request` as `policy` says (see [`send`]) and caps the answer's body.
///
/// # Errors
///
/// The errors of [`send`], and those of reading an error answer's body.
pub async fn execute(
    client: &reqwest::Client,
    policy: &RequestPolicy,
    request: reqwest::Request,
    answer: Answer,
) -> reqwest::Result<reqwest::Response> {
    let mut response = send(client, policy, request).await?;
    let status = response.status();
    if status.is_success() {
        let limit = match answer {
            Answer::Json => policy.body_limit(),
            Answer::Streamed => policy.download_limit(),
        };
        let within_limit = response
            .content_length()
            .is_some_and(|length| length <= limit as u64);
        if answer == Answer::Json && within_limit {
            return Ok(response);
        }
        let response = http::Response::<reqwest::Body>::from(response);
        let (parts, body) = response.into_parts();
        let capped = Capped::new(body, status.as_u16(), limit);
        return Ok(http::Response::from_parts(parts, reqwest::Body::wrap(capped)).into());
    }
    let limit = policy.body_limit();
    let (mut body, over_limit) = read_body(&mut response, limit).await?;
    if body.starts_with(BOM) {
        body.drain(..BOM.len());
    }
    let failure = ResponseFailure::find(&response, &body, over_limit.is_some(), limit);
    let response = http::Response::<reqwest::Body>::from(response);
    let (parts, _) = response.into_parts();
    let mut rebuilt = http::Response::from_parts(parts, reqwest::Body::from(body));
    if let Some(failure) = failure {
        rebuilt.extensions_mut().insert(failure);
    }
    Ok(rebuilt.into())
}

/// Reads the JSON answer of an operation sent with [`Answer::Json`] into `T`: the body
/// once, without a leading byte order mark, and the headers as they came.
///
/// It is what the generated code, and code written by hand beside it, calls where
/// `progenitor` would call
/// `ResponseValue::from_response`, with the same errors.
///
/// # Errors
///
/// [`Error::ResponseBodyError`] when the body cannot be read (the connection failed, or
/// the body grew past its cap: see [`BodyTooLarge`](crate::BodyTooLarge)), and
/// [`Error::InvalidResponsePayload`] when it does not decode into `T`.
pub async fn read_json<T: serde::de::DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let mut body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    if body.starts_with(BOM) {
        body = body.slice(BOM.len()..);
    }
    let decoded = serde_json::from_slice(&body);
    match decoded {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(error) => Err(Error::InvalidResponsePayload(body, error)),
    }
}

/// An error answer the generated code cannot decode, found before it tries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseFailure {
    /// The body is longer than the cap.
    TooLarge {
        /// HTTP status of the response.
        status: u16,
        /// The limit that was exceeded, in bytes.
        limit: usize,
    },
    /// An error status with a body that is not a JSON object (every vendor's error
    /// document is one): an HTML page, text, an empty or truncated body.
    NotJson {
        /// HTTP status of the response.
        status: u16,
        /// The `Retry-After` header, as sent.
        retry_after: Option<String>,
        /// The start of the body.
        snippet: String,
    },
}

const TOO_LARGE: &str = "response body over ";
const HTTP: &str = "HTTP ";
const RETRY_AFTER: &str = "; retry-after ";
const BODY: &str = "; body: ";

impl fmt::Display for ResponseFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { status, limit } => {
                write!(f, "{HTTP}{status}; {TOO_LARGE}{limit} bytes")
            }
            Self::NotJson {
                status,
                retry_after,
                snippet,
            } => {
                write!(f, "{HTTP}{status}")?;
                if let Some(retry_after) = retry_after {
                    write!(f, "{RETRY_AFTER}{retry_after}")?;
                }
                write!(f, "{BODY}{snippet}")
            }
        }
    }
}

impl ResponseFailure {
    /// Reads back a failure from the message of the generated client's `Error::Custom`,
    /// which is how the hooks report it.
    pub fn from_message(message: &str) -> Option<Self> {
        let rest = message.split_once(HTTP)?.1;
        let (status, rest) = rest.split_at(rest.find(';')?);
        let status = status.parse().ok()?;
        if let Some(limit) = rest
            .strip_prefix("; ")
            .and_then(|r| r.strip_prefix(TOO_LARGE))
        {
            let limit = limit.strip_suffix(" bytes")?.parse().ok()?;
            return Some(Self::TooLarge { status, limit });
        }
        let (retry_after, snippet) = match rest.strip_prefix(RETRY_AFTER) {
            Some(rest) => {
                let (value, snippet) = rest.split_once(BODY)?;
                (Some(value.to_owned()), snippet)
            }
            None => (None, rest.strip_prefix(BODY)?),
        };
        Some(Self::NotJson {
            status,
            retry_after,
            snippet: snippet.to_owned(),
        })
    }

    /// What [`execute`] found wrong with `response`, if anything.
    pub(crate) fn of(response: &reqwest::Response) -> Option<&Self> {
        response.extensions().get::<Self>()
    }

    fn find(
        response: &reqwest::Response,
        body: &[u8],
        over_limit: bool,
        limit: usize,
    ) -> Option<Self> {
        let status = response.status().as_u16();
        if over_limit {
            return Some(Self::TooLarge { status, limit });
        }
        // Error answers only: a body the generated code would fail to decode loses its
        // status there, so it is found here.
        let is_object = body.trim_ascii_start().starts_with(b"{")
            && serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok();
        (!is_object).then(|| Self::NotJson {
            status,
            retry_after: response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned()),
            snippet: snippet(body),
        })
    }
}

/// The first characters of `bytes` as text, for error messages; a leading byte order mark
/// is not one of them.
pub fn snippet(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    // No character takes more than four bytes: the head is enough, whatever the body's size.
    let head = &bytes[..bytes.len().min(SNIPPET_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut chars = text.chars();
    let mut snippet: String = chars.by_ref().take(SNIPPET_CHARS).collect();
    if chars.next().is_some() || head.len() < bytes.len() {
        snippet.push('…');
    }
    snippet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_read_back_from_their_message() {
        let failures = [
            ResponseFailure::TooLarge {
                status: 500,
                limit: BODY_LIMIT,
            },
            ResponseFailure::NotJson {
                status: 503,
                retry_after: Some("120".to_owned()),
                snippet: "<html><body>Service; body: Unavailable</body></html>".to_owned(),
            },
            ResponseFailure::NotJson {
                status: 502,
                retry_after: None,
                snippet: String::new(),
            },
        ];
        for failure in failures {
            let message = format!("get_job: {failure}");
            assert_eq!(ResponseFailure::from_message(&message), Some(failure));
        }
        assert_eq!(
            ResponseFailure::from_message("no value supplied for id"),
            None
        );
        assert_eq!(ResponseFailure::from_message("HTTP x; body: y"), None);
    }

    /// Answers one request on a loopback port with `answer` (a whole HTTP response) and
    /// returns the URL to ask.
    async fn answer_once(answer: &'static [u8]) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let url = format!("http://{}/", listener.local_addr().expect("bound"));
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.expect("a connection");
            let mut head = [0; 1024];
            let _ = stream.read(&mut head).await;
            let _ = stream.write_all(answer).await;
        });
        url
    }

    async fn read(
        answer: &'static [u8],
        limit: usize,
    ) -> Result<ResponseValue<serde_json::Value>, Error<()>> {
        let options = crate::HttpOptions::new(limit);
        let (client, policy) = options.build(crate::Credentials::new()).expect("a client");
        let url = answer_once(answer).await;
        let request = client.get(url).build().expect("a request");
        let response = execute(&client, &policy, request, Answer::Json)
            .await
            .expect("answered");
        read_json(response).await
    }

    #[tokio::test]
    async fn json_answers_are_read_once_without_the_byte_order_mark_and_under_the_cap() {
        let answer = read(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\nX-Seen: yes\r\n\r\n\xef\xbb\xbf{\"id\":955}",
            64,
        )
        .await
        .expect("decodes");
        assert_eq!(answer.headers()["x-seen"], "yes");
        assert_eq!(answer.into_inner(), serde_json::json!({"id": 955}));

        for over in [
            &b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n{\"id\":\"0123456789\"}"[..],
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n14\r\n{\"id\":\"0123456789\"}\r\n0\r\n\r\n",
        ] {
            let error = read(over, 16).await.expect_err("over the cap");
            let Error::ResponseBodyError(error) = error else {
                panic!("not a body error: {error}");
            };
            let too_large = crate::BodyTooLarge::find(&error).expect("the cap's error");
            assert_eq!(too_large.limit, 16);
        }
    }

    #[test]
    fn snippets_are_short_and_cut_on_characters() {
        let long = "é".repeat(500);
        let cut = snippet(long.as_bytes());
        assert_eq!(cut.chars().count(), SNIPPET_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(snippet(b"\xff\xfeok"), "\u{fffd}\u{fffd}ok");
        assert_eq!(snippet(b"short"), "short");
        assert_eq!(snippet(b"\xef\xbb\xbf<html>"), "<html>");
        let huge = vec![b'x'; 16 * 1024 * 1024];
        assert_eq!(snippet(&huge).chars().count(), SNIPPET_CHARS + 1);
    }
}
