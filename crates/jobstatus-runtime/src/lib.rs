#![doc = include_str!("../README.md")]
// docs.rs builds with `--cfg docsrs`: items behind a feature then say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod credentials;
mod hooks;
mod response;
mod secret;
pub mod tls_backend;

pub use credentials::{Credentials, InvalidCredential};
pub use hooks::{after_send, before_send};
pub use response::{BODY_LIMIT, ResponseFailure, execute, snippet};
pub use secret::Secret;
