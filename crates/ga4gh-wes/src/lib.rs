#![doc = include_str!("../README.md")]
// docs.rs builds with `--cfg docsrs`: items behind a feature then say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod accepted;
mod client_builder;
mod credentials;
pub mod deployments;
mod error_body;
#[allow(missing_docs, clippy::all, clippy::unwrap_used)]
mod generated;
mod pages;
mod submit;

pub use accepted::Accepted;
pub use client_builder::ClientBuilder;
pub use credentials::Auth;
pub use generated::*;
pub use jobstatus_runtime::{BuildError, RedirectPolicy, Secret};
pub use submit::{Attachment, RunWorkflow};
// The crates whose types the client takes and returns (JSON, attachment bytes, page
// streams), at the versions it was built with.
pub use {bytes, futures, serde_json};
