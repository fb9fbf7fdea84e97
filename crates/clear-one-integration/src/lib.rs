#![doc = include_str!("../README.md")]

mod client_builder;
#[allow(missing_docs, clippy::all, clippy::unwrap_used)]
mod generated;

pub use client_builder::ClientBuilder;
pub use generated::*;
pub use jobstatus_runtime::{BuildError, RedirectPolicy, Secret};
