#![doc = include_str!("../README.md")]

mod error;
mod job;
mod phase;
#[cfg(feature = "simulator")]
pub mod simulator;
mod status;
mod vendor;
pub mod vendors;
mod wait;

pub use error::{Error, ErrorKind};
pub use job::Job;
pub use phase::Phase;
pub use status::{Status, StatusReport, VendorReport};
pub use vendor::Vendor;
pub use wait::{WaitError, WaitPolicy, wait, wait_all, wait_for_success, watch};

#[cfg(feature = "elma-rpa")]
pub use elma_rpa;
