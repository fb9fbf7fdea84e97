//! The Clear One Integration API simulator: an ingestion workflow that runs for a few polls and succeeds, a proxy
//! error page on the way that the waiter retries, and the final status as JSON.
//!
//! Run with `cargo run -p jobstatus --example simulator_clear_one_integration`.

use std::time::Duration;

use jobstatus::simulator::{Fault, Script, clear_one_integration::ClearOneIntegrationSimulator};
use jobstatus::vendors::clear_one_integration::ClearOneIntegrationJob;
use jobstatus::{Phase, WaitPolicy, wait_for_success};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = ClearOneIntegrationSimulator::start().await;
    println!(
        "simulated Clear One Integration API at {}",
        server.base_url()
    );

    let id = server.add_job(Script::new(1, 2, Phase::Succeeded));
    server.inject(Fault::HtmlPage(502));
    let job = ClearOneIntegrationJob::new(server.client(), id);

    let policy = WaitPolicy::with_timeout(Duration::from_secs(10))
        .with_min_delay(Duration::from_millis(20))
        .with_max_delay(Duration::from_millis(100));
    let status = wait_for_success(&job, &policy).await?;
    println!("{}", serde_json::to_string_pretty(&status)?);
    println!("{} requests served", server.served().len());
    Ok(())
}
