#![doc = include_str!("../README.md")]

mod envelope;
mod error;
mod fault;
mod response;
pub mod text;
mod tolerant;
mod transport;
mod version;
mod xml;

pub use envelope::{Envelope, Fragment};
pub use error::SoapError;
pub use fault::{FaultCode, SoapFault};
pub use jobstatus_runtime::Sent;
pub use response::{ResponseBody, decode, parse_response};
pub use transport::{HttpVerb, Transport};
pub use version::SoapVersion;
