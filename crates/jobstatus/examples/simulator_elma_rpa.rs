//! The ELMA RPA Orchestrator simulator: a task that runs for a few polls and succeeds, a proxy
//! error page on the way that the waiter retries, and the final status as JSON.
//!
//! Run with `cargo run -p jobstatus --example simulator_elma_rpa`.

use std::time::Duration;

use jobstatus::simulator::{Fault, Script, elma_rpa::ElmaRpaSimulator};
use jobstatus::vendors::elma_rpa::ElmaRpaJob;
use jobstatus::{Phase, WaitPolicy, wait_for_success};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = ElmaRpaSimulator::start().await;
    println!("simulated ELMA RPA Orchestrator at {}", server.base_url());

    let id = server.add_job(Script::new(1, 2, Phase::Succeeded));
    server.inject(Fault::HtmlPage(502));
    let job = ElmaRpaJob::new(server.client(), id.parse()?);

    let policy = WaitPolicy::with_timeout(Duration::from_secs(10))
        .with_min_delay(Duration::from_millis(20))
        .with_max_delay(Duration::from_millis(100));
    let status = wait_for_success(&job, &policy).await?;
    println!("{}", serde_json::to_string_pretty(&status)?);
    println!("{} requests served", server.served().len());
    Ok(())
}
