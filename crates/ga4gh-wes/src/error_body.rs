//! Reading an error body in either form a WES server sends it.
//!
//! Tolerated deviation: WES defines the error body `{"msg", "status_code"}`, but the
//! reference server (connexion) answers every error with an RFC 7807 problem,
//! `{"type", "title", "detail", "status"}` as `application/problem+json`. The generated
//! [`ErrorResponse`] holds the fields of both, and these accessors read whichever came.

use std::fmt;

use crate::types::ErrorResponse;

impl ErrorResponse {
    /// What went wrong: the WES `msg`, else the problem's `detail`, else its `title`.
    /// Empty strings count as missing.
    pub fn message(&self) -> Option<&str> {
        [&self.msg, &self.detail, &self.title]
            .into_iter()
            .filter_map(|text| text.as_deref())
            .find(|text| !text.is_empty())
    }

    /// The HTTP status the body repeats: the WES `status_code`, else the problem's
    /// `status`.
    pub fn http_status(&self) -> Option<i32> {
        self.status_code.or(self.status)
    }
}

/// `HTTP <status>: <title>: <message>`, leaving out what the body does not say.
impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(status) = self.http_status() {
            parts.push(format!("HTTP {status}"));
        }
        let message = self.message();
        if let Some(title) = self.title.as_deref().filter(|t| !t.is_empty())
            && message != Some(title)
        {
            parts.push(title.to_owned());
        }
        parts.push(message.unwrap_or("no error message").to_owned());
        f.write_str(&parts.join(": "))
    }
}
