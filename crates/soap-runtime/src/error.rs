//! The one error type of the crate.

use reqwest::StatusCode;

use crate::{SoapFault, SoapVersion};

/// How many characters of a body an error message quotes.
const SNIPPET_CHARS: usize = 200;

/// Everything that can go wrong while building, sending or reading a SOAP call.
///
/// No variant carries request headers, header blocks or credentials; body snippets
/// are at most 200 characters of the response, with whitespace collapsed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SoapError {
    /// A value could not be serialized to XML by yaserde.
    #[error("could not serialize {type_name} to XML: {reason}")]
    Encode {
        /// Rust type that was being serialized.
        type_name: &'static str,
        /// The serializer's message.
        reason: String,
    },

    /// The request could not be built: a fragment that is not one XML element, or a
    /// SOAP action that cannot be sent in an HTTP header.
    #[error("invalid SOAP request: {reason}")]
    InvalidRequest {
        /// What is wrong with the request.
        reason: String,
    },

    /// The HTTP exchange failed (connection, TLS, timeout, interrupted body). Any URL
    /// in the error has its user name, password and query removed.
    #[error("HTTP transport error: {0}")]
    Transport(#[source] reqwest::Error),

    /// A redirect the transport's redirect policy refused (to another origin, a loop, too
    /// many hops). Retrying meets it again.
    #[error("{0}")]
    Redirect(jobstatus_runtime::RedirectError),

    /// A successful response's body grew past the configured cap; reading stopped there.
    /// (An error status with an oversized body stays [`SoapError::HttpStatus`].)
    #[error("response body exceeds the cap of {cap} bytes (stopped after reading {read} bytes)")]
    TooLarge {
        /// The cap in bytes.
        cap: usize,
        /// Bytes read when reading stopped.
        read: usize,
    },

    /// A non-2xx HTTP status whose body is not a SOAP fault (an HTML error page, an
    /// empty body, a proxy message).
    #[error("HTTP status {status} without a SOAP fault: {snippet}")]
    HttpStatus {
        /// The HTTP status of the response.
        status: StatusCode,
        /// The start of the response body.
        snippet: String,
        /// The `Retry-After` header, as sent.
        retry_after: Option<String>,
    },

    /// The server answered with a SOAP fault (with any HTTP status).
    #[error("{0}")]
    Fault(Box<SoapFault>),

    /// The response body is not XML at all (empty, JSON, plain text, binary).
    #[error("response is not XML: {snippet:?}")]
    NotXml {
        /// The start of the response body.
        snippet: String,
    },

    /// The response is XML but not a well-formed SOAP envelope (truncated, ill-formed,
    /// another root element, undeclared prefixes, a fault without a code).
    #[error("malformed SOAP response: {reason}; body starts with: {snippet}")]
    Malformed {
        /// What is wrong, with the byte position where the XML reader stopped.
        reason: String,
        /// The start of the response body.
        snippet: String,
    },

    /// The response contains `<!DOCTYPE` or `<!ENTITY`. Such documents are rejected
    /// before parsing, so no entity is ever expanded.
    #[error("response contains a document type or entity declaration, which is never processed")]
    ForbiddenDtd,

    /// The response envelope is in the namespace of the other SOAP version than the
    /// one the request used.
    #[error(
        "expected a {expected} envelope ({}), got one in namespace {found}",
        expected.envelope_namespace()
    )]
    VersionMismatch {
        /// The version of the request.
        expected: SoapVersion,
        /// The namespace of the response's `Envelope` element.
        found: String,
    },

    /// The envelope has no `Body`, or a `Body` without any element in it.
    #[error("SOAP envelope has no Body element, or an empty one")]
    MissingBody,

    /// The body element does not match the type it was decoded into.
    #[error(
        "could not decode {type_name} from the SOAP body: {reason}; element starts with: {snippet}"
    )]
    Decode {
        /// Rust type that was being decoded.
        type_name: &'static str,
        /// The deserializer's message.
        reason: String,
        /// The start of the XML that was decoded.
        snippet: String,
    },
}

/// The first [`SNIPPET_CHARS`] characters of `bytes`, decoded lossily, without a byte
/// order mark, with runs of whitespace collapsed to one space.
pub(crate) fn snippet(bytes: &[u8]) -> String {
    // Every character is at most 4 bytes, so this prefix holds more than enough.
    let head = &bytes[..bytes.len().min(SNIPPET_CHARS * 4 + 4)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}');
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match collapsed.char_indices().nth(SNIPPET_CHARS) {
        Some((end, _)) => format!("{}…", &collapsed[..end]),
        None => collapsed,
    }
}

#[cfg(test)]
mod tests {
    use super::snippet;

    #[test]
    fn snippet_is_truncated_on_a_char_boundary() {
        let long = "é".repeat(500);
        let cut = snippet(long.as_bytes());
        assert_eq!(cut.chars().count(), 201);
        assert!(cut.ends_with('…'));
        assert_eq!(snippet(b"\xef\xbb\xbf <a>\n\n  b </a>"), "<a> b </a>");
    }
}
