#![doc = include_str!("../README.md")]
// docs.rs builds with `--cfg docsrs`: items behind a feature then say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(any(
    feature = "elma-rpa",
    feature = "infor-rpa",
    feature = "clear-one-integration",
    feature = "ga4gh-wes",
    feature = "cora-sequence-rpa"
))]
// The SOAP vendor uses only the HTTP status mapping; the rest serves the REST clients.
#[cfg_attr(
    not(any(
        feature = "elma-rpa",
        feature = "infor-rpa",
        feature = "clear-one-integration",
        feature = "ga4gh-wes"
    )),
    allow(dead_code)
)]
mod client_error;
mod error;
mod job;
#[cfg(feature = "simulator")]
pub mod simulator;
mod status;
mod vendor;
pub mod vendors;
mod wait;

pub use error::{Error, ErrorKind};
pub use job::Job;
pub use jobstatus_runtime::Phase;
pub use status::{Status, StatusReport, VendorReport};
pub use vendor::{UnknownVendor, Vendor};
pub use wait::{CallLimits, WaitError, WaitPolicy, wait, wait_all, wait_for_success, watch};

#[cfg(feature = "clear-one-integration")]
pub use clear_one_integration;
#[cfg(feature = "cora-sequence-rpa")]
pub use cora_sequence_rpa;
#[cfg(feature = "elma-rpa")]
pub use elma_rpa;
#[cfg(feature = "ga4gh-wes")]
pub use ga4gh_wes;
#[cfg(feature = "infor-rpa")]
pub use infor_rpa;
