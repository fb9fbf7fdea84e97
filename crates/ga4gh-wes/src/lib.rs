#![doc = include_str!("../README.md")]

mod client_builder;
mod credentials;
pub mod deployments;
mod error_body;
#[allow(missing_docs, clippy::all, clippy::unwrap_used)]
mod generated;
mod pages;
mod submit;
mod timestamps;

pub use client_builder::ClientBuilder;
pub use credentials::Auth;
pub use generated::*;
pub use jobstatus_runtime::{BuildError, RedirectPolicy, Secret};
pub use submit::{Attachment, RunWorkflow};
pub use timestamps::InvalidTimestamp;
