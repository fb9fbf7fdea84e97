#![doc = include_str!("../README.md")]
// docs.rs builds with `--cfg docsrs`: items behind a feature then say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod envelope;
mod error;
mod fault;
mod header;
mod one_way;
mod payload;
mod response;
pub mod text;
mod tolerant;
mod transport;
mod version;
mod xml;

pub use envelope::{Envelope, Fragment};
pub use error::SoapError;
pub use fault::{FaultCode, SoapFault};
pub use header::{Header, HeaderRef};
pub use jobstatus_runtime::{Phase, Sent, enum_key};
pub use one_way::one_way;
pub use response::{ResponseBody, decode, decode_message, parse_response};
pub use transport::{HttpVerb, Transport};
pub use version::SoapVersion;

pub use jobstatus_runtime::{
    BuildError, Credentials, HttpOptions, RedirectError, RedirectPolicy, http_option_setters,
};
