//! Which redirects a client follows, and what it sends when it does.
//!
//! Credentials belong to the origin (scheme, host and port) they were configured for.
//! `reqwest` removes only `Authorization` and cookies when a redirect leaves the origin,
//! not the vendors' own headers (`x-clear-auth-token`, `X-SBG-Auth-Token`) nor a token in
//! the body, so automatic redirects are never left to it: this policy follows same-origin
//! redirects up to a limit and refuses the others, or, when asked, follows them after every
//! credential has been taken out of the request (see [`crate::send`]).

use reqwest::Url;
use reqwest::redirect::{Attempt, Policy};

/// How a client treats HTTP redirects (301, 302, 303, 307, 308).
///
/// The default follows at most [`RedirectPolicy::DEFAULT_MAX_HOPS`] redirects within the
/// origin of the request, refuses one to another origin with
/// [`RedirectError::CrossOrigin`], and refuses a loop with [`RedirectError::Loop`]. No
/// `Referer` is ever sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RedirectPolicy {
    max_hops: usize,
    cross_origin: bool,
}

impl Default for RedirectPolicy {
    fn default() -> Self {
        Self {
            max_hops: Self::DEFAULT_MAX_HOPS,
            cross_origin: false,
        }
    }
}

impl RedirectPolicy {
    /// Redirects one request follows at most by default.
    pub const DEFAULT_MAX_HOPS: usize = 5;

    /// Follows no redirect: a 3xx answer is the answer.
    pub fn none() -> Self {
        Self {
            max_hops: 0,
            cross_origin: false,
        }
    }

    /// Follows at most `max_hops` redirects for one request; more is
    /// [`RedirectError::TooMany`].
    #[must_use]
    pub fn max_hops(mut self, max_hops: usize) -> Self {
        self.max_hops = max_hops;
        self
    }

    /// Also follows redirects to another origin, after removing every credential the
    /// client holds from the request (its headers, `Authorization`, cookies, and body
    /// fields); the other origin never sees them.
    #[must_use]
    pub fn follow_cross_origin_without_credentials(mut self) -> Self {
        self.cross_origin = true;
        self
    }

    /// Whether a redirect to another origin is followed (without credentials).
    pub fn follows_cross_origin(&self) -> bool {
        self.cross_origin
    }

    /// The most redirects one request follows.
    pub fn hops(&self) -> usize {
        self.max_hops
    }

    /// The `reqwest` policy that follows same-origin redirects and leaves cross-origin ones
    /// to [`crate::send`] (or refuses them).
    pub(crate) fn to_reqwest(self) -> Policy {
        if self.max_hops == 0 {
            return Policy::none();
        }
        Policy::custom(move |attempt| self.decide(attempt))
    }

    fn decide(self, attempt: Attempt<'_>) -> reqwest::redirect::Action {
        // `previous` starts with the URL of the request itself.
        let previous = attempt.previous();
        let target = attempt.url();
        if previous.iter().any(|url| url == target) {
            let target = origin(target);
            return attempt.error(RedirectError::Loop { target });
        }
        if previous.len() > self.max_hops {
            return attempt.error(RedirectError::TooMany {
                limit: self.max_hops,
            });
        }
        match previous.first() {
            Some(first) if !same_origin(first, target) => {
                if self.cross_origin {
                    // Followed by `send`, which removes the credentials first.
                    attempt.stop()
                } else {
                    let target = origin(target);
                    attempt.error(RedirectError::CrossOrigin { target })
                }
            }
            _ => attempt.follow(),
        }
    }
}

/// A redirect the client refused to follow. It is the source of the transport error the
/// call fails with, and retrying the call meets it again.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RedirectError {
    /// A redirect to another origin, refused so that credentials stay with their origin.
    #[error(
        "refused a redirect to another origin, {target} (credentials are never sent there; opt in to follow without them)"
    )]
    CrossOrigin {
        /// The origin redirected to (scheme, host and port; no path or query).
        target: String,
    },
    /// A redirect back to a URL already visited.
    #[error("redirect loop through {target}")]
    Loop {
        /// The origin of the URL visited twice.
        target: String,
    },
    /// More redirects than the policy allows.
    #[error("more than {limit} redirects")]
    TooMany {
        /// Redirects allowed.
        limit: usize,
    },
    /// A redirect answer that was not followed: the policy follows none, or its hops ran
    /// out while following redirects to other origins.
    #[error("HTTP {status} redirect not followed")]
    NotFollowed {
        /// The HTTP status of the redirect.
        status: u16,
    },
}

impl RedirectError {
    /// The redirect error behind `error`, if one is anywhere in its chain of sources.
    pub fn find<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a Self> {
        crate::find_source(error)
    }
}

/// Whether `a` and `b` have the same scheme, host and port.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// `url`'s origin as text, such as `http://127.0.0.1:8080`; never a path, query or user.
pub(crate) fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        text.parse().expect("url")
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert!(same_origin(&url("http://a:80/x"), &url("http://a/y?q")));
        assert!(!same_origin(&url("http://a/"), &url("https://a/")));
        assert!(!same_origin(&url("http://a:1/"), &url("http://a:2/")));
        assert!(!same_origin(&url("http://a/"), &url("http://b/")));
        assert_eq!(
            origin(&url("http://u:p@127.0.0.1:9/x?t=1")),
            "http://127.0.0.1:9"
        );
    }
}
