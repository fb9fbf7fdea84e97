#![doc = include_str!("../README.md")]

mod credentials;
#[allow(missing_docs, clippy::all, clippy::unwrap_used)]
mod generated;

pub use generated::*;
pub use jobstatus_runtime::{Credentials, InvalidCredential};
