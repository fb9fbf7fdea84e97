//! In-process simulators of the vendors' servers, for tests: each listens on 127.0.0.1,
//! speaks its vendor's wire format with the generated types, runs scripted job lifecycles,
//! and answers with injected faults on request.
//!
//! One type per vendor, in the vendor's module: [`ElmaRpaSimulator`](elma_rpa::ElmaRpaSimulator),
//! [`InforRpaSimulator`](infor_rpa::InforRpaSimulator),
//! [`ClearOneIntegrationSimulator`](clear_one_integration::ClearOneIntegrationSimulator),
//! [`Ga4ghWesSimulator`](ga4gh_wes::Ga4ghWesSimulator) and
//! [`CoraSequenceRpaSimulator`](cora_sequence_rpa::CoraSequenceRpaSimulator). Each starts
//! with `start()`, makes a client of its vendor's crate that it accepts with `client()`, and
//! dereferences to the [`Server`] that every simulator shares (scripts, faults, the request
//! log). `cargo run -p jobstatus --example simulator_<vendor>` runs an example of each.
//!
//! Testing your own code against a simulator: script the job, inject the fault you want
//! your code to survive, and check what it does.
//!
//! ```
//! use jobstatus::simulator::elma_rpa::ElmaRpaSimulator;
//! use jobstatus::simulator::{Fault, Script};
//! use jobstatus::vendors::elma_rpa::ElmaRpaJob;
//! use jobstatus::{Error, Job, Phase};
//!
//! /// Your code: whether a job needs someone to look at it.
//! async fn needs_attention(job: &dyn Job) -> Result<bool, Error> {
//!     Ok(job.status().await?.phase == Phase::Failed)
//! }
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let server = ElmaRpaSimulator::start().await;
//!     let failing = server.add_job(Script::new(0, 0, Phase::Failed));
//!     let job = ElmaRpaJob::new(server.client(), failing.parse()?);
//!     assert!(needs_attention(&job).await?);
//!
//!     // A proxy's error page on the next call: a retryable error, not a verdict.
//!     server.inject(Fault::HtmlPage(502));
//!     let error = needs_attention(&job).await.expect_err("the injected page");
//!     assert!(error.is_retryable());
//!
//!     let running = server.add_job(Script::new(0, 3, Phase::Succeeded));
//!     let job = ElmaRpaJob::new(server.client(), running.parse()?);
//!     assert!(!needs_attention(&job).await?);
//!     Ok(())
//! }
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

pub use server::{Fault, Script, Served, Server};
