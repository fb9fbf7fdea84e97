#![doc = include_str!("../README.md")]

mod accepted;
mod credentials;
pub mod deployments;
mod error_body;
#[allow(missing_docs, clippy::all, clippy::unwrap_used)]
mod generated;
mod pages;
mod submit;

pub use accepted::Accepted;
pub use credentials::Auth;
pub use generated::*;
pub use jobstatus_runtime::{Credentials, InvalidCredential};
pub use submit::{Attachment, RunWorkflow};
