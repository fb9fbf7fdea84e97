#![doc = include_str!("../README.md")]
// docs.rs builds with `--cfg docsrs`: items behind a feature then say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client_builder;
#[allow(missing_docs, clippy::all, clippy::unwrap_used)]
mod generated;

pub use client_builder::ClientBuilder;
pub use generated::*;
pub use jobstatus_runtime::{BuildError, RedirectPolicy, Secret};
// The crate whose types the client takes and returns, at the version it was built with.
pub use serde_json;
