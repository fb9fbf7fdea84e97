#![doc = include_str!("../README.md")]

#[allow(missing_docs, clippy::all, clippy::unwrap_used)]
mod generated;

pub use generated::*;
pub use soap_runtime::{
    BuildError, FaultCode, RedirectPolicy, SoapError, SoapFault, SoapVersion, Transport,
};
