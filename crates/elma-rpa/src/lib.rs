#![doc = include_str!("../README.md")]

mod context;
mod credentials;
#[allow(missing_docs, clippy::all, clippy::unwrap_used)]
mod generated;

pub use context::{ContextError, decode_context, encode_context};
pub use generated::*;
pub use jobstatus_runtime::Credentials;
