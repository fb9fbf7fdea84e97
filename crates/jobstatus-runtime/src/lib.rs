#![doc = include_str!("../README.md")]

mod credentials;
mod hooks;
pub mod lenient;
mod or_raw;
mod response;
mod secret;
mod sent;
mod timestamp;
#[cfg(feature = "yaserde")]
pub mod xml_text;

pub use credentials::{Credentials, InvalidCredential};
pub use hooks::{after_send, before_send};
pub use or_raw::OrRaw;
pub use response::{BODY_LIMIT, ResponseFailure, execute, snippet};
pub use secret::Secret;
pub use sent::Sent;
pub use timestamp::Timestamp;
