//! The facade against the simulated GA4GH WES server over real HTTP, under tokio's paused
//! clock: runs submitted as `multipart/form-data`, followed to their end, cancelled, and
//! listed page by page.

use futures::{StreamExt, TryStreamExt};
use jobstatus::ga4gh_wes::types::RunSummary;
use jobstatus::ga4gh_wes::{Attachment, Auth, Client};
use jobstatus::simulator::{Script, ga4gh_wes};
use jobstatus::vendors::ga4gh_wes::{Ga4ghWesJob, WesReport};
use jobstatus::{
    ErrorKind, Job, Phase, Status, Vendor, VendorReport, WaitError, wait, wait_for_success, watch,
};
use jobstatus_runtime::{OrRaw, Timestamp};
use tokio::time::Instant;

mod common;
use common::{FaultSet, failure, faults_behave_as_for_elma, policy, poll_times};

const ECHO_CWL: &str = "cwlVersion: v1.0\nclass: CommandLineTool\nbaseCommand: echo\n";

/// Submits `echo.cwl` as an attachment, with a tag, and returns the new run's id.
async fn submit(client: &Client, message: &str) -> String {
    client
        .run_workflow()
        .workflow_url("echo.cwl")
        .workflow_type("CWL")
        .workflow_type_version("v1.0")
        .workflow_params(&serde_json::json!({ "message": message }))
        .tag("purpose", "test")
        .attachment(Attachment::from_bytes("echo.cwl", ECHO_CWL))
        .send()
        .await
        .expect("submitted")
        .into_inner()
        .run_id
        .expect("the simulator names every run it accepts")
}

fn wes_report(status: &Status) -> &WesReport {
    match &status.report {
        VendorReport::Ga4ghWes(report) => report,
        other => panic!("expected a WES report: {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn submitted_runs_are_followed_to_success_and_failure() {
    let server = ga4gh_wes::Ga4ghWesSimulator::start().await;
    let client = server.client();

    server.set_script(Script::new(1, 2, Phase::Succeeded));
    let id = submit(&client, "hello").await;
    let job = Ga4ghWesJob::new(client.clone(), &id);
    let start = Instant::now();
    let status = wait(&job, &policy()).await.expect("terminal");
    assert_eq!(
        (status.phase, status.vendor_state.as_str()),
        (Phase::Succeeded, "COMPLETE")
    );
    assert_eq!(status.outcome.as_deref(), Some("exit code 0"));
    assert_eq!(poll_times(&server, "get_run_status", start).len(), 4);
    assert_eq!(
        poll_times(&server, "get_run_log", start).len(),
        1,
        "the run log is read once the run has ended"
    );
    let log = wes_report(&status).log.as_ref().expect("the run log");
    assert!(
        log.outputs
            .as_ref()
            .and_then(OrRaw::typed)
            .is_some_and(|outputs| outputs.contains_key("output"))
    );
    let request = log.request.as_ref().expect("the request echoed");
    assert_eq!(request.workflow_url, "echo.cwl");
    assert_eq!(
        request.workflow_params,
        serde_json::json!({"message": "hello"})
            .as_object()
            .cloned()
            .map(OrRaw::from)
    );

    server.set_script(Script::new(0, 1, Phase::Failed));
    let id = submit(&client, "this one fails").await;
    let job = Ga4ghWesJob::new(client, id);
    let status = failure(wait_for_success(&job, &policy()).await.expect_err("failed"));
    assert_eq!(
        (status.phase, status.vendor_state.as_str()),
        (Phase::Failed, "EXECUTOR_ERROR")
    );
    let outcome = status.outcome.as_deref().unwrap_or_default();
    assert!(outcome.starts_with("exit code 3; stderr: "), "{outcome}");
    assert!(outcome.contains("permanentFail"), "{outcome}");
}

#[tokio::test(start_paused = true)]
async fn watch_reports_each_state_of_a_run() {
    let server = ga4gh_wes::Ga4ghWesSimulator::start().await;
    let job = Ga4ghWesJob::new(
        server.client(),
        server.add_job(Script::new(3, 2, Phase::Succeeded)),
    );
    let policy = policy();
    let seen: Vec<(Phase, String)> = watch(&job, &policy)
        .map(|status| {
            let status = status.expect("a status");
            (status.phase, status.vendor_state)
        })
        .collect()
        .await;
    assert_eq!(
        seen,
        [
            (Phase::Pending, "QUEUED".to_owned()),
            (Phase::Pending, "INITIALIZING".to_owned()),
            (Phase::Running, "RUNNING".to_owned()),
            (Phase::Succeeded, "COMPLETE".to_owned()),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_run_is_watched_through_canceling_to_canceled() {
    let server = ga4gh_wes::Ga4ghWesSimulator::start().await;
    server.set_script(Script::new(0, 20, Phase::Succeeded));
    let client = server.client();
    let job = Ga4ghWesJob::new(client.clone(), submit(&client, "stop me").await);
    let policy = policy();

    let mut seen = Vec::new();
    let mut changes = watch(&job, &policy).boxed();
    while let Some(status) = changes.next().await {
        let status = status.expect("a status");
        if status.phase == Phase::Running {
            job.cancel().await.expect("cancel accepted");
        }
        seen.push((status.phase, status.vendor_state, status.outcome));
    }
    assert_eq!(
        seen,
        [
            (Phase::Running, "RUNNING".to_owned(), None),
            (Phase::Cancelling, "CANCELING".to_owned(), None),
            (Phase::Cancelled, "CANCELED".to_owned(), None),
        ]
    );
    let cancels = server.served();
    let cancels = cancels.iter().filter(|s| s.operation == "cancel_run");
    assert_eq!(cancels.count(), 1);

    // A finished run stays as it ended.
    let done = Ga4ghWesJob::new(client, server.add_job(Script::new(0, 0, Phase::Succeeded)));
    done.cancel().await.expect("cancel accepted");
    let status = done.status().await.expect("a status");
    assert_eq!(
        (status.phase, status.vendor_state.as_str()),
        (Phase::Succeeded, "COMPLETE")
    );
}

#[tokio::test(start_paused = true)]
async fn an_unknown_run_is_not_found() {
    let server = ga4gh_wes::Ga4ghWesSimulator::start().await;
    server.add_job(Script::default());
    let job = Ga4ghWesJob::new(server.client(), "999");
    let error = wait(&job, &policy()).await.expect_err("unknown");
    assert!(
        matches!(error, WaitError::NotFound(ref e) if e.vendor == Vendor::Ga4ghWes),
        "{error:?}"
    );
    let error = job.cancel().await.expect_err("unknown");
    assert!(
        matches!(&error.kind, ErrorKind::NotFound { id } if id == "999"),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn refused_credentials_are_unauthorized() {
    let server = ga4gh_wes::Ga4ghWesSimulator::start().await;
    let id = server.add_job(Script::default());
    for auth in [
        Auth::Bearer("expired-token".into()),
        Auth::None,
        Auth::SevenBridges(ga4gh_wes::TOKEN.into()),
    ] {
        let client = server
            .client_with_auth(auth.clone())
            .expect("a header value");
        let error = wait(&Ga4ghWesJob::new(client, &id), &policy())
            .await
            .expect_err("refused");
        let WaitError::Call { error, polls: 1 } = error else {
            panic!("expected the first call to be refused with {auth:?}: {error:?}");
        };
        assert!(
            matches!(&error.kind, ErrorKind::Unauthorized { status: 401, message: Some(m) } if m.contains("bearer token")),
            "{auth:?}: {error}"
        );
    }
    assert!(server.served().is_empty(), "refused calls are not served");
}

#[tokio::test(start_paused = true)]
async fn wes_faults_behave_as_for_elma() {
    let server = ga4gh_wes::Ga4ghWesSimulator::start().await;
    let id = server.add_job(Script::new(0, 0, Phase::Succeeded));
    let job = Ga4ghWesJob::new(server.client(), id);
    let faults = FaultSet::new("get_run_status", "ARCHIVED");
    faults_behave_as_for_elma(&server, &job, &faults).await;
}

#[tokio::test(start_paused = true)]
async fn the_run_list_stream_pages_through_every_run() {
    let server = ga4gh_wes::Ga4ghWesSimulator::start().await;
    let client = server.client();
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(if n % 2 == 0 {
            submit(&client, &format!("run {n}")).await
        } else {
            server.add_job(Script::new(0, 0, Phase::Failed))
        });
    }

    let runs: Vec<RunSummary> = client
        .list_runs()
        .page_size(3)
        .stream()
        .try_collect()
        .await
        .expect("every page");
    let listed: Vec<&str> = runs.iter().map(|run| run.run_id.as_str()).collect();
    assert_eq!(listed, ids);
    assert_eq!(
        server
            .served()
            .iter()
            .filter(|s| s.operation == "list_runs")
            .count(),
        3
    );
    let tags = runs[0]
        .tags
        .as_ref()
        .and_then(OrRaw::typed)
        .and_then(|tags| tags.get("purpose"));
    assert_eq!(tags.map(String::as_str), Some("test"));
    assert_eq!(runs[1].state.as_str(), "EXECUTOR_ERROR");
    assert_eq!(
        runs[1].end_time.as_ref().map(Timestamp::as_str),
        Some("2025-06-02T08:04:30Z")
    );
    assert_eq!(runs[0].end_time, None, "a queued run has not ended");

    let everything = client.list_runs().send().await.expect("one page");
    let everything = everything.into_inner();
    assert_eq!(everything.next_page_token.as_deref(), Some(""));
    assert_eq!(everything.into_runs().len(), 7);
}
