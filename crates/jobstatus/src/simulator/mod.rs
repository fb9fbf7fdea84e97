//! In-process simulators of the vendors' servers, for tests: each listens on 127.0.0.1,
//! speaks its vendor's wire format with the generated types, runs scripted job lifecycles,
//! and answers with injected faults on request.
//!
//! ```no_run
//! use jobstatus::simulator::{Fault, Script, elma_rpa};
//! use jobstatus::vendors::elma_rpa::ElmaRpaJob;
//! use jobstatus::{Job, Phase};
//!
//! # async fn run() -> Result<(), jobstatus::Error> {
//! let server = elma_rpa::start().await;
//! let id = server.add_job(Script::new(1, 2, Phase::Succeeded));
//! server.inject(Fault::Status { status: 503, retry_after: Some("2".into()) });
//!
//! let job = ElmaRpaJob::new(server.client(), id.parse().expect("ELMA ids are numbers"));
//! assert!(job.status().await.is_err()); // the injected 503
//! assert_eq!(job.status().await?.phase, Phase::Pending);
//! # Ok(())
//! # }
//! ```

mod server;

#[cfg(feature = "clear-one-integration")]
pub mod clear_one_integration;
#[cfg(feature = "cora-sequence-rpa")]
pub mod cora_sequence_rpa;
#[cfg(feature = "elma-rpa")]
pub mod elma_rpa;
#[cfg(feature = "ga4gh-wes")]
pub mod ga4gh_wes;
#[cfg(feature = "infor-rpa")]
pub mod infor_rpa;

pub use server::{Fault, Script, Server};
