//! What a built client applies to each request and its answer.

use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, PROXY_AUTHORIZATION};
use reqwest::{Method, StatusCode};

use crate::redirect::same_origin;
use crate::{Credentials, RedirectPolicy};

/// The credentials, redirect policy and response caps of one client (the generated REST
/// clients hold it as their `inner` value; the SOAP transport holds one too).
///
/// `Debug` shows credential names, never values. A clone shares the credentials, so
/// cloning a client costs no copy of them.
#[derive(Clone, Debug)]
pub struct RequestPolicy {
    credentials: Arc<Credentials>,
    redirects: RedirectPolicy,
    body_limit: usize,
    download_limit: usize,
}

impl RequestPolicy {
    pub(crate) fn new(
        credentials: Credentials,
        redirects: RedirectPolicy,
        body_limit: usize,
        download_limit: usize,
    ) -> Self {
        Self {
            credentials: Arc::new(credentials),
            redirects,
            body_limit,
            download_limit,
        }
    }

    /// The credentials sent with every request.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The redirect policy.
    pub fn redirects(&self) -> RedirectPolicy {
        self.redirects
    }

    /// The cap on an answer read whole, in bytes.
    pub fn body_limit(&self) -> usize {
        self.body_limit
    }

    /// The cap on a streamed answer, in bytes.
    pub fn download_limit(&self) -> usize {
        self.download_limit
    }

    /// The request to send after `response`, a redirect to another origin that the
    /// policy follows, made from `request` (a copy of the one that was answered) without
    /// any credential; `None` when `response` is not such a redirect.
    fn cross_origin_hop(
        &self,
        response: &reqwest::Response,
        mut request: reqwest::Request,
    ) -> Option<reqwest::Request> {
        let status = response.status();
        if !status.is_redirection() || !self.redirects.follows_cross_origin() {
            return None;
        }
        let location = response.headers().get(reqwest::header::LOCATION)?;
        let target = response.url().join(location.to_str().ok()?).ok()?;
        if same_origin(&target, request.url()) || !matches!(target.scheme(), "http" | "https") {
            return None;
        }
        if !matches!(
            status,
            StatusCode::MOVED_PERMANENTLY
                | StatusCode::FOUND
                | StatusCode::SEE_OTHER
                | StatusCode::TEMPORARY_REDIRECT
                | StatusCode::PERMANENT_REDIRECT
        ) {
            return None;
        }
        // As browsers and reqwest do: 303, and 301 or 302 after a POST, continue as a GET.
        let to_get = status == StatusCode::SEE_OTHER && request.method() != Method::HEAD
            || matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND)
                && request.method() == Method::POST;
        let headers = request.headers_mut();
        for name in [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE] {
            headers.remove(name);
        }
        self.credentials.remove_headers(headers);
        if to_get {
            *request.method_mut() = Method::GET;
            *request.body_mut() = None;
            request.headers_mut().remove(CONTENT_TYPE);
            request.headers_mut().remove(CONTENT_LENGTH);
        } else {
            self.credentials.remove_body_fields(&mut request);
        }
        *request.url_mut() = target;
        Some(request)
    }
}

/// Sends `request` with `client`, following redirects as `policy` says.
///
/// Same-origin redirects are followed by `client` itself (built by
/// [`HttpOptions::build`](crate::HttpOptions::build)); a redirect to another origin ends
/// the call with a [`RedirectError`](crate::RedirectError), or, when the policy follows
/// such redirects, is sent again here without any credential. When the hops run out, the
/// last redirect is the answer.
///
/// # Errors
///
/// The errors of [`reqwest::Client::execute`].
pub async fn send(
    client: &reqwest::Client,
    policy: &RequestPolicy,
    mut request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    if !policy.redirects.follows_cross_origin() {
        return client.execute(request).await;
    }
    let mut hops = 0;
    loop {
        let copy = request.try_clone();
        let response = client.execute(request).await?;
        let next = copy.and_then(|copy| policy.cross_origin_hop(&response, copy));
        match next {
            Some(next) if hops < policy.redirects.hops() => {
                hops += 1;
                tracing::debug!(
                    status = response.status().as_u16(),
                    target = %crate::redirect::origin(next.url()),
                    "following a redirect to another origin without credentials"
                );
                request = next;
            }
            _ => return Ok(response),
        }
    }
}
