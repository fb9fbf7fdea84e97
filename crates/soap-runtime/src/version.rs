//! SOAP 1.1 and 1.2: namespaces and HTTP headers.

use std::fmt;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

use crate::SoapError;

/// The SOAP version of a request, which also fixes the version its response must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SoapVersion {
    /// SOAP 1.1: `text/xml` with a separate `SOAPAction` header.
    V11,
    /// SOAP 1.2: `application/soap+xml` with the action as a media type parameter.
    V12,
}

impl SoapVersion {
    /// The namespace of `Envelope`, `Header`, `Body` and `Fault` in this version.
    pub const fn envelope_namespace(self) -> &'static str {
        match self {
            Self::V11 => "http://schemas.xmlsoap.org/soap/envelope/",
            Self::V12 => "http://www.w3.org/2003/05/soap-envelope",
        }
    }

    /// The version whose envelope namespace is `namespace`, if any.
    pub(crate) fn from_namespace(namespace: &str) -> Option<Self> {
        [Self::V11, Self::V12]
            .into_iter()
            .find(|version| version.envelope_namespace() == namespace)
    }

    /// The prefix this crate writes for the envelope namespace.
    pub(crate) const fn prefix(self) -> &'static str {
        match self {
            Self::V11 => "soap",
            Self::V12 => "soap12",
        }
    }

    /// The HTTP headers that announce a request of this version for `action`.
    ///
    /// SOAP 1.1: `Content-Type: text/xml; charset=utf-8` and `SOAPAction: "<action>"`.
    /// SOAP 1.2: `Content-Type: application/soap+xml; charset=utf-8; action="<action>"`
    /// (without the `action` parameter when `action` is empty).
    ///
    /// # Errors
    ///
    /// [`SoapError::InvalidRequest`] if `action` contains a quote, a backslash or a
    /// character that is not allowed in an HTTP header.
    pub fn request_headers(self, action: &str) -> Result<HeaderMap, SoapError> {
        if action.contains(['"', '\\']) {
            return Err(invalid_action(action));
        }
        let header = |parts: &[&str]| {
            let mut value = String::with_capacity(parts.iter().map(|part| part.len()).sum());
            parts.iter().for_each(|part| value.push_str(part));
            HeaderValue::try_from(value).map_err(|_| invalid_action(action))
        };
        let mut headers = HeaderMap::new();
        match self {
            Self::V11 => {
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("text/xml; charset=utf-8"),
                );
                headers.insert(
                    HeaderName::from_static("soapaction"),
                    header(&["\"", action, "\""])?,
                );
            }
            Self::V12 if action.is_empty() => {
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/soap+xml; charset=utf-8"),
                );
            }
            Self::V12 => {
                headers.insert(
                    CONTENT_TYPE,
                    header(&[
                        "application/soap+xml; charset=utf-8; action=\"",
                        action,
                        "\"",
                    ])?,
                );
            }
        }
        Ok(headers)
    }
}

impl fmt::Display for SoapVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::V11 => "SOAP 1.1",
            Self::V12 => "SOAP 1.2",
        })
    }
}

fn invalid_action(action: &str) -> SoapError {
    SoapError::InvalidRequest {
        reason: format!("SOAP action {action:?} cannot be sent in an HTTP header"),
    }
}
