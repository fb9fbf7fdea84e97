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
    let policy = WaitPolicy::with_timeout(Duration::from_secs(20))
        .with_min_delay(Duration::from_millis(50))
        .with_max_delay(Duration::from_millis(200));

    // One simulator per vendor; the script says how the job started there will go.
    let elma = simulator::elma_rpa::ElmaRpaSimulator::start().await;
    elma.set_script(Script::new(1, 2, Phase::Succeeded));
    let infor = simulator::infor_rpa::InforRpaSimulator::start().await;
    infor.set_script(Script::new(1, 3, Phase::Succeeded));
    let clear = simulator::clear_one_integration::ClearOneIntegrationSimulator::start().await;
    clear.set_script(Script::new(2, 1, Phase::Failed));
    let wes = simulator::ga4gh_wes::Ga4ghWesSimulator::start().await;
    wes.set_script(Script::new(2, 2, Phase::Succeeded));
    let cora = simulator::cora_sequence_rpa::CoraSequenceRpaSimulator::start().await;
    cora.set_script(Script::new(1, 2, Phase::Failed));

    // One job at each vendor, started through the vendor's own API. Another vendor joins
    // the tour with its simulator above and a `start_*` function of its own here.
    let jobs: Vec<Box<dyn Job>> = vec![
        Box::new(start_elma_task(&elma).await?),
        Box::new(start_infor_run(&infor).await?),
        Box::new(start_clear_ingestion(&clear).await?),
        Box::new(start_wes_run(&wes).await?),
        Box::new(start_cora_batch(&cora).await?),
    ];

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
    server: &simulator::elma_rpa::ElmaRpaSimulator,
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

/// Starts a run of an Infor job with `_execute` and follows that run.
async fn start_infor_run(
    server: &simulator::infor_rpa::InforRpaSimulator,
) -> Result<jobstatus::vendors::infor_rpa::InforRpaJob, Box<dyn std::error::Error>> {
    // A job the tenant already has, which ran once before.
    let job = server.add_job(Script::new(0, 0, Phase::Succeeded));
    let client = server.client();
    let run = client.execute_job().id(&job).send().await?.into_inner();
    Ok(jobstatus::vendors::infor_rpa::InforRpaJob::run(
        client, job, run.id,
    ))
}

/// Asks Clear where to upload a file, then starts the ingestion of that upload.
async fn start_clear_ingestion(
    server: &simulator::clear_one_integration::ClearOneIntegrationSimulator,
) -> Result<
    jobstatus::vendors::clear_one_integration::ClearOneIntegrationJob,
    Box<dyn std::error::Error>,
> {
    use jobstatus::clear_one_integration::types::{FileInfo, IngestRequest};
    let client = server.client();
    let signed = client
        .get_pre_sign_url()
        .filename("purchase.csv")
        .send()
        .await?
        .into_inner();
    let upload_url = signed
        .result
        .and_then(|result| result.payload)
        .ok_or("Clear signed no upload URL")?;
    let request = IngestRequest {
        file_info: vec![FileInfo {
            upload_url: upload_url.as_str().try_into()?,
            filename: Some("purchase.csv".to_owned()),
            file_type: "purchase".to_owned(),
        }],
        metadata: serde_json::Map::new(),
        template_type: "PURCHASE".try_into()?,
    };
    let created = client.create_ingestion().body(request).send().await?;
    let task = created
        .into_inner()
        .result
        .and_then(|result| result.task_id)
        .ok_or("Clear created no task")?;
    Ok(jobstatus::vendors::clear_one_integration::ClearOneIntegrationJob::new(client, task))
}

/// Submits a CWL workflow, attached to the request, to the WES server.
async fn start_wes_run(
    server: &simulator::ga4gh_wes::Ga4ghWesSimulator,
) -> Result<jobstatus::vendors::ga4gh_wes::Ga4ghWesJob, Box<dyn std::error::Error>> {
    use jobstatus::ga4gh_wes::Attachment;
    const ECHO_CWL: &str = "cwlVersion: v1.0\nclass: CommandLineTool\nbaseCommand: echo\n\
                            inputs:\n  message:\n    type: string\n    inputBinding: {}\n\
                            outputs: []\n";
    let client = server.client();
    let run = client
        .run_workflow()
        .workflow_url("echo.cwl")
        .workflow_type("CWL")
        .workflow_type_version("v1.0")
        .workflow_params(&serde_json::json!({ "message": "hello from the tour" }))
        .tag("purpose", "tour")
        .attachment(Attachment::from_bytes("echo.cwl", ECHO_CWL))
        .send()
        .await?
        .into_inner();
    let jobstatus::ga4gh_wes::Accepted::Run(run_id) = run.accepted() else {
        return Err("the WES server accepted the run without naming it".into());
    };
    let run_id = run_id.to_owned();
    Ok(jobstatus::vendors::ga4gh_wes::Ga4ghWesJob::new(
        client, run_id,
    ))
}

/// Hands a file to a robot with `FileBatch` and follows the workflow it started.
async fn start_cora_batch(
    server: &simulator::cora_sequence_rpa::CoraSequenceRpaSimulator,
) -> Result<jobstatus::vendors::cora_sequence_rpa::CoraSequenceRpaJob, Box<dyn std::error::Error>> {
    use jobstatus::cora_sequence_rpa::types::{FileBatch, FileReference};
    let file = |folder: &str| FileReference {
        connection: "RpaExternalStorage".to_owned(),
        relative_location: folder.to_owned(),
        file_name: "claim-4711.pdf".to_owned(),
    };
    let client = server.client();
    let started = client
        .soap()
        .file_batch(&FileBatch {
            time_out: 600,
            external_context: Some("claim 4711".to_owned()),
            robot_profile: "ClaimReader".to_owned(),
            input_file: file("in"),
            output_file: file("out"),
        })
        .await?;
    Ok(
        jobstatus::vendors::cora_sequence_rpa::CoraSequenceRpaJob::new(
            client,
            started.master_workflow_instance_id,
        ),
    )
}
