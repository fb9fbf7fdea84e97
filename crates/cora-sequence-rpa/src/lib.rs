#![doc = include_str!("../README.md")]
// docs.rs builds with `--cfg docsrs`: items behind a feature then say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[allow(missing_docs, clippy::all, clippy::unwrap_used)]
mod generated;

pub use generated::*;
pub use soap_runtime::{
    BuildError, FaultCode, Header, RedirectPolicy, SoapError, SoapFault, SoapVersion, Transport,
};
