#![doc = include_str!("../README.md")]
// docs.rs builds with `--cfg docsrs`: items behind a feature then say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client_builder;
mod context;
#[allow(missing_docs, clippy::all, clippy::unwrap_used)]
mod generated;

pub use client_builder::ClientBuilder;
pub use context::{ContextError, decode_context, encode_context};
pub use generated::*;
pub use jobstatus_runtime::{BuildError, RedirectPolicy, Secret};
// The crates whose types the client takes and returns, at the versions it was built with.
pub use {chrono, serde_json, uuid};
