//! Reading responses safely: bodies are buffered up to a limit, and an error status that
//! comes with something other than JSON (a proxy's HTML page, a truncated body) becomes a
//! [`ResponseFailure`] that keeps the status, `Retry-After` and a snippet of the body.

use std::fmt;

/// The largest response body a client reads. A longer one is refused as a whole rather
/// than decoded from a prefix.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Characters of a body kept in an error message.
const SNIPPET_CHARS: usize = 200;

/// Sends `request` and buffers the response body up to [`BODY_LIMIT`].
///
/// A successful response that is not JSON (a file download) is passed on unbuffered, to be
/// streamed by the caller.
pub async fn execute(
    client: &reqwest::Client,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    let mut response = client.execute(request).await?;
    if response.status().is_success() && !is_json(response.headers()) {
        return Ok(response);
    }
    let mut body = Vec::new();
    let mut over_limit = false;
    while let Some(chunk) = response.chunk().await? {
        let room = BODY_LIMIT - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            over_limit = true;
            break;
        }
        body.extend_from_slice(&chunk);
    }
    let failure = ResponseFailure::find(&response, &body, over_limit);
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = response.status();
    *rebuilt.version_mut() = response.version();
    *rebuilt.headers_mut() = response.headers().clone();
    if let Some(failure) = failure {
        rebuilt.extensions_mut().insert(failure);
    }
    Ok(reqwest::Response::from(rebuilt))
}

fn is_json(headers: &reqwest::header::HeaderMap) -> bool {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("json"))
}

/// A response the generated code cannot decode, found before it tries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseFailure {
    /// The body is longer than [`BODY_LIMIT`].
    TooLarge {
        /// HTTP status of the response.
        status: u16,
        /// The limit that was exceeded, in bytes.
        limit: usize,
    },
    /// An error status with a body that is not JSON.
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

    fn find(response: &reqwest::Response, body: &[u8], over_limit: bool) -> Option<Self> {
        let status = response.status().as_u16();
        if over_limit {
            return Some(Self::TooLarge {
                status,
                limit: BODY_LIMIT,
            });
        }
        let is_json = serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok();
        (!response.status().is_success() && !is_json).then(|| Self::NotJson {
            status,
            retry_after: response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned()),
            snippet: snippet(body),
        })
    }
}

/// The first characters of `bytes` as text, for error messages.
pub fn snippet(bytes: &[u8]) -> String {
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
                status: 200,
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

    #[test]
    fn snippets_are_short_and_cut_on_characters() {
        let long = "é".repeat(500);
        let cut = snippet(long.as_bytes());
        assert_eq!(cut.chars().count(), SNIPPET_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(snippet(b"\xff\xfeok"), "\u{fffd}\u{fffd}ok");
        assert_eq!(snippet(b"short"), "short");
        let huge = vec![b'x'; 16 * 1024 * 1024];
        assert_eq!(snippet(&huge).chars().count(), SNIPPET_CHARS + 1);
    }
}
