//! The GA4GH WES server simulator: a workflow run that runs for a few polls and succeeds, a proxy
//! error page on the way that the waiter retries, and the final status as JSON.
//!
//! Run with `cargo run -p jobstatus --example simulator_ga4gh_wes`.

use std::time::Duration;

use jobstatus::simulator::{Fault, Script, ga4gh_wes::Ga4ghWesSimulator};
use jobstatus::vendors::ga4gh_wes::Ga4ghWesJob;
use jobstatus::{Phase, WaitPolicy, wait_for_success};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = Ga4ghWesSimulator::start().await;
    println!("simulated GA4GH WES server at {}", server.base_url());

    let id = server.add_job(Script::new(1, 2, Phase::Succeeded));
    server.inject(Fault::HtmlPage(502));
    let job = Ga4ghWesJob::new(server.client(), id);

    let policy = WaitPolicy::with_timeout(Duration::from_secs(10))
        .with_min_delay(Duration::from_millis(20))
        .with_max_delay(Duration::from_millis(100));
    let status = wait_for_success(&job, &policy).await?;
    println!("{}", serde_json::to_string_pretty(&status)?);
    println!("{} requests served", server.served().len());
    Ok(())
}
