#![doc = include_str!("../README.md")]
// docs.rs builds with `--cfg docsrs`: items behind a feature then say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod body;
mod credentials;
mod hooks;
pub mod lenient;
mod options;
mod or_raw;
mod phase;
mod policy;
mod redirect;
mod response;
mod secret;
mod sent;
mod timestamp;
mod tls;
pub mod tls_backend;
#[cfg(feature = "yaserde")]
pub mod xml_text;

pub use body::{BodyTooLarge, read_body};
pub use credentials::{Credentials, InvalidCredential};
pub use hooks::{after_send, before_send};
pub use options::{
    BuildError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DOWNLOAD_LIMIT, DEFAULT_TIMEOUT, HttpOptions,
    parse_base_url,
};
pub use or_raw::OrRaw;
pub use phase::Phase;
pub use policy::{RequestPolicy, send};
pub use redirect::{RedirectError, RedirectPolicy};
pub use response::{Answer, BODY_LIMIT, ResponseFailure, execute, read_json, snippet};
pub use secret::Secret;
pub use sent::{Sent, enum_key};
pub use timestamp::Timestamp;
pub use tls::is_certificate_error;

/// The first error of type `T` in `error`'s chain of sources, `error` included.
fn find_source<'a, T: std::error::Error + 'static>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        next = error.source();
    }
    None
}
