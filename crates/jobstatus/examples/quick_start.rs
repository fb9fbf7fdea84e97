//! The quick start of the workspace README, as code the compiler checks (a test keeps the
//! two equal): wait for an ELMA RPA task to succeed, here against the in-process simulator.
//!
//! Run with `cargo run -p jobstatus --example quick_start`.

use std::time::Duration;

use jobstatus::simulator::Script;
use jobstatus::simulator::elma_rpa::{AUTH_TKN, ElmaRpaSimulator};
use jobstatus::vendors::elma_rpa::ElmaRpaJob;
use jobstatus::{WaitPolicy, wait_for_success};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A simulated Orchestrator whose task is queued for one poll, runs for two, then
    // succeeds. For a real one, use its URL, your system's auth_tkn and your task's id.
    let server = ElmaRpaSimulator::start().await;
    let task_id = server.add_job(Script::new(1, 2, jobstatus::Phase::Succeeded));
    let (base_url, auth_tkn) = (server.base_url(), AUTH_TKN);

    // The vendor's client, with its credentials.
    let client = jobstatus::elma_rpa::Client::builder(base_url)
        .auth_token(auth_tkn)
        .build()?;

    let job = ElmaRpaJob::new(client, task_id.parse()?);
    let policy = WaitPolicy::with_timeout(Duration::from_secs(60))
        .with_min_delay(Duration::from_millis(100))
        .with_max_delay(Duration::from_secs(5));
    let status = wait_for_success(&job, &policy).await?;
    println!(
        "{} ({}): {}",
        status.phase,
        status.vendor_state,
        status.outcome.as_deref().unwrap_or("no outcome given")
    );
    Ok(())
}
