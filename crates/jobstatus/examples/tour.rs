//! A tour of jobstatus: starts a simulator of every vendor, starts one job at each through
//! the vendor's own API, watches all of them at once, prints each transition as it
//! happens, then a table of how each job ended.
//!
//! Run with `cargo run -p jobstatus --example tour`.

use std::time::Duration;

use futures::StreamExt;
use futures::stream::{self, BoxStream};
use jobstatus::simulator::{self, Script};
use jobstatus::{Job, Phase, Status, WaitError, WaitPolicy, watch};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let policy = WaitPolicy {
        min_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(200),
        timeout: Duration::from_secs(20),
        ..WaitPolicy::default()
    };

    let elma = simulator::elma_rpa::start().await;
    elma.set_script(Script::new(1, 2, Phase::Succeeded));
    let jobs: Vec<Box<dyn Job>> = vec![Box::new(start_elma_task(&elma).await?)];

    println!("watching {} jobs\n", jobs.len());
    let watches: Vec<BoxStream<'_, (usize, Result<Status, WaitError>)>> = jobs
        .iter()
        .enumerate()
        .map(|(n, job)| {
            watch(job.as_ref(), &policy)
                .map(move |item| (n, item))
                .boxed()
        })
        .collect();
    let mut last: Vec<Option<Result<Status, WaitError>>> = jobs.iter().map(|_| None).collect();
    let mut changes = stream::select_all(watches);
    while let Some((n, item)) = changes.next().await {
        let job = &jobs[n];
        match &item {
            Ok(status) => println!(
                "{:<22} {:<10} {:<10} {}",
                job.vendor(),
                job.id(),
                status.phase,
                status.vendor_state
            ),
            Err(error) => println!("{:<22} {:<10} error: {error}", job.vendor(), job.id()),
        }
        last[n] = Some(item);
    }

    println!(
        "\n{:<22} {:<10} {:<10} {:<16} outcome",
        "vendor", "job", "phase", "vendor state"
    );
    for (job, outcome) in jobs.iter().zip(&last) {
        let (phase, state, detail) = match outcome {
            Some(Ok(status)) => (
                status.phase.to_string(),
                status.vendor_state.clone(),
                status.outcome.clone().unwrap_or_default(),
            ),
            Some(Err(error)) => ("-".into(), "-".into(), error.to_string()),
            None => ("-".into(), "-".into(), "no answer".into()),
        };
        let detail: String = detail.chars().take(60).collect();
        println!(
            "{:<22} {:<10} {phase:<10} {state:<16} {detail}",
            job.vendor(),
            job.id()
        );
    }
    Ok(())
}

async fn start_elma_task(
    server: &simulator::Server,
) -> Result<jobstatus::vendors::elma_rpa::ElmaRpaJob, Box<dyn std::error::Error>> {
    use jobstatus::elma_rpa::types::{NewTask, TaskCreateRequest};
    let client = server.client();
    let created = client
        .task_create()
        .body(
            TaskCreateRequest::builder().task(
                NewTask::builder()
                    .process("c39f99de-cb8f-4661-a206-b282a4830cbf".parse::<uuid::Uuid>()?),
            ),
        )
        .send()
        .await?
        .into_inner();
    let id = created.task.ok_or("the Orchestrator created no task")?.id;
    Ok(jobstatus::vendors::elma_rpa::ElmaRpaJob::new(client, id))
}
