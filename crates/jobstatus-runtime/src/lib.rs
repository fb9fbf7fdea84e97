#![doc = include_str!("../README.md")]

mod credentials;
mod hooks;

pub use credentials::{Credentials, InvalidCredential};
pub use hooks::{after_send, before_send};
