#![doc = include_str!("../README.md")]

mod credentials;
mod hooks;
mod response;
mod secret;

pub use credentials::{Credentials, InvalidCredential};
pub use hooks::{after_send, before_send};
pub use response::{BODY_LIMIT, ResponseFailure, execute, snippet};
pub use secret::Secret;
