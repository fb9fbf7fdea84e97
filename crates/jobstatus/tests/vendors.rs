//! The facade against the simulated Infor RPA and Clear One Integration services over real
//! HTTP, under tokio's paused clock, and jobs of three vendors waited on together.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use jobstatus::clear_one_integration::types::{FileInfo, IngestRequest};
use jobstatus::simulator::{Script, clear_one_integration, elma_rpa, infor_rpa};
use jobstatus::vendors::clear_one_integration::ClearOneIntegrationJob;
use jobstatus::vendors::elma_rpa::ElmaRpaJob;
use jobstatus::vendors::infor_rpa::InforRpaJob;
use jobstatus::{
    ErrorKind, Job, Phase, Status, Vendor, VendorReport, WaitError, wait, wait_all,
    wait_for_success,
};
use tokio::time::Instant;

mod common;
use common::{FaultSet, failure, faults_behave_as_for_elma, policy, poll_times};

/// When a simulated Infor run ends.
const INFOR_ENDED: &str = "2025-06-02T08:04:30Z";

fn infor_report(status: &Status) -> &jobstatus::vendors::infor_rpa::InforReport {
    match &status.report {
        VendorReport::InforRpa(report) => report,
        other => panic!("expected an Infor report: {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn infor_jobs_are_followed_to_success_and_failure() {
    let server = infor_rpa::InforRpaSimulator::start().await;
    let id = server.add_job(Script::new(1, 2, Phase::Succeeded));
    let job = InforRpaJob::new(server.client(), id);
    let start = Instant::now();
    let status = wait(&job, &policy()).await.expect("terminal");
    assert_eq!(
        (status.phase, status.vendor_state.as_str()),
        (Phase::Succeeded, "completed")
    );
    let expected = format!("succeeded at {INFOR_ENDED}");
    assert_eq!(status.outcome, Some(expected));
    assert_eq!(poll_times(&server, "get_job", start).len(), 4);

    let id = server.add_job(Script::new(0, 1, Phase::Failed));
    let job = InforRpaJob::new(server.client(), id);
    let status = failure(wait_for_success(&job, &policy()).await.expect_err("failed"));
    assert_eq!(
        (status.phase, status.vendor_state.as_str()),
        (Phase::Failed, "failed")
    );
    assert_eq!(status.outcome, Some(format!("failed at {INFOR_ENDED}")));
}

#[tokio::test(start_paused = true)]
async fn an_infor_run_is_followed_while_the_job_status_differs() {
    let server = infor_rpa::InforRpaSimulator::start().await;
    server.set_script(Script::new(3, 1, Phase::Succeeded));
    let id = server.add_job(Script::new(0, 1, Phase::Failed));
    let client = server.client();
    let second = client.execute_job().id(&id).send().await.expect("started");

    // The first run has the job's own id.
    let first = InforRpaJob::run(client.clone(), &id, &id);
    assert_eq!(first.id(), format!("{id}/{id}"));
    let status = wait(&first, &policy()).await.expect("terminal");
    assert_eq!(
        (status.phase, status.vendor_state.as_str()),
        (Phase::Failed, "failed")
    );
    let report = infor_report(&status);
    assert_eq!(
        report.instance.as_ref().map(|i| i.id.as_str()),
        Some(id.as_str())
    );
    assert_eq!(
        report.job.status.as_ref().map(|s| s.as_str()),
        Some("scheduled"),
        "the job's own status is its latest run's"
    );

    let latest = InforRpaJob::run(client, &id, second.into_inner().id);
    let status = wait(&latest, &policy()).await.expect("terminal");
    assert_eq!(status.phase, Phase::Succeeded);
    assert_eq!(
        infor_report(&status)
            .job
            .status
            .as_ref()
            .map(|s| s.as_str()),
        Some("completed")
    );
}

#[tokio::test(start_paused = true)]
async fn a_disabled_infor_job_ends_the_wait_as_cancelled() {
    let server = infor_rpa::InforRpaSimulator::start().await;
    let id = server.add_job(Script::new(2, 2, Phase::Succeeded));
    let client = server.client();
    let job = InforRpaJob::new(client.clone(), &id);
    assert_eq!(job.status().await.expect("status").phase, Phase::Pending);
    assert!(server.disable_job(&id));

    let status = wait(&job, &policy()).await.expect("terminal");
    assert_eq!(
        (status.phase, status.vendor_state.as_str()),
        (Phase::Cancelled, "disabled")
    );
    assert_eq!(status.outcome.as_deref(), Some("cancelled"));
    assert_eq!(infor_report(&status).job.active, Some(false));

    // Its run goes on.
    let run = InforRpaJob::run(client, &id, &id);
    let status = wait(&run, &policy()).await.expect("terminal");
    assert_eq!(status.phase, Phase::Succeeded);
}

#[tokio::test(start_paused = true)]
async fn an_unknown_infor_job_is_not_found() {
    let server = infor_rpa::InforRpaSimulator::start().await;
    let id = server.add_job(Script::default());
    let client = server.client();
    let run = client.execute_job().id(&id).send().await.expect("started");
    for unknown in ["999".to_owned(), run.into_inner().id] {
        let job = InforRpaJob::new(client.clone(), unknown);
        let error = wait(&job, &policy()).await.expect_err("unknown");
        assert!(
            matches!(error, WaitError::NotFound(ref e) if e.vendor == Vendor::InforRpa),
            "{error:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_refused_infor_token_is_unauthorized() {
    let server = infor_rpa::InforRpaSimulator::start().await;
    let id = server.add_job(Script::default());
    let client = server
        .client_with_token("expired-token")
        .expect("a header value");
    let error = wait(&InforRpaJob::new(client, id), &policy())
        .await
        .expect_err("refused");
    let WaitError::Call { error, polls: 1 } = error else {
        panic!("expected the first call to be refused: {error:?}");
    };
    assert!(
        matches!(&error.kind, ErrorKind::Unauthorized { status: 401, message: Some(m) } if m.contains("bearer token")),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn infor_faults_behave_as_for_elma() {
    let server = infor_rpa::InforRpaSimulator::start().await;
    let id = server.add_job(Script::new(0, 0, Phase::Succeeded));
    let job = InforRpaJob::new(server.client(), id);
    faults_behave_as_for_elma(&server, &job, &FaultSet::new("get_job", "paused")).await;
}

fn ingest_request() -> IngestRequest {
    IngestRequest {
        file_info: vec![FileInfo {
            upload_url: "https://storage.clear.in/v1/ap-south-1/purchase.csv"
                .try_into()
                .expect("not empty"),
            filename: Some("purchase.csv".to_owned()),
            file_type: "purchase".to_owned(),
        }],
        metadata: serde_json::Map::new(),
        template_type: "PURCHASE".try_into().expect("not empty"),
    }
}

#[tokio::test(start_paused = true)]
async fn clear_workflows_are_followed_to_success_and_failure() {
    let server = clear_one_integration::ClearOneIntegrationSimulator::start().await;
    server.set_script(Script::new(1, 2, Phase::Succeeded));
    let client = server.client();
    let created = client
        .create_ingestion()
        .body(ingest_request())
        .send()
        .await;
    let task = created.expect("ingested").into_inner().result;
    let task = task.and_then(|r| r.task_id).expect("a task id");

    let job = ClearOneIntegrationJob::new(client.clone(), task);
    let start = Instant::now();
    let status = wait(&job, &policy()).await.expect("terminal");
    assert_eq!(
        (status.phase, status.vendor_state.as_str()),
        (Phase::Succeeded, "SUCCESS")
    );
    assert_eq!(
        status.outcome.as_deref(),
        Some(
            "INGESTION PURCHASE: SUCCESS; INGESTION SALES: PARTIAL_SUCCESS; \
             partial success: some records failed validation"
        )
    );
    assert_eq!(poll_times(&server, "get_workflow_status", start).len(), 4);

    let id = server.add_job(Script::new(0, 1, Phase::Failed));
    let job = ClearOneIntegrationJob::new(client, id);
    let status = failure(wait_for_success(&job, &policy()).await.expect_err("failed"));
    assert_eq!(
        (status.phase, status.vendor_state.as_str()),
        (Phase::Failed, "FAILED")
    );
    assert_eq!(
        status.outcome.as_deref(),
        Some(
            "INGESTION PURCHASE: FAILURE (This is a duplicate file. Data import for this file \
             is already in progress. Please refer import history section for more details.); \
             INGESTION PURCHASE: SUCCESS; Contact ClearTax support"
        )
    );
}

#[tokio::test(start_paused = true)]
async fn an_unknown_clear_task_is_not_found_either_way_clear_says_it() {
    let server = clear_one_integration::ClearOneIntegrationSimulator::start().await;
    let client = server.client();

    // HTTP 200 with no result, and the 404 envelope of Clear's example.
    let empty = client.get_workflow_status().task_id("999").send().await;
    let empty = empty.expect("an envelope");
    assert_eq!((empty.status().as_u16(), &empty.result), (200, &None));
    let missing = client
        .get_workflow_status()
        .task_id("6988a3bc2e0e5e3c6c9aa6d")
        .send()
        .await;
    let Err(jobstatus::clear_one_integration::Error::ErrorResponse(missing)) = missing else {
        panic!("expected the 404 envelope: {missing:?}");
    };
    assert_eq!(missing.status().as_u16(), 404);
    let code = missing.into_inner().error.and_then(|e| e.code);
    assert_eq!(code.as_deref(), Some("404"));

    for unknown in ["999", "6988a3bc2e0e5e3c6c9aa6d"] {
        let job = ClearOneIntegrationJob::new(client.clone(), unknown);
        let error = wait(&job, &policy()).await.expect_err("unknown");
        assert!(
            matches!(error, WaitError::NotFound(ref e) if e.vendor == Vendor::ClearOneIntegration),
            "{unknown}: {error:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn refused_clear_keys_are_unauthorized() {
    let server = clear_one_integration::ClearOneIntegrationSimulator::start().await;
    let id = server.add_job(Script::default());
    for (token, integration) in [
        ("expired-token", clear_one_integration::INTEGRATION_ID),
        (clear_one_integration::AUTH_TOKEN, "another-integration"),
    ] {
        let client = server
            .client_with_keys(token, integration)
            .expect("header values");
        let error = ClearOneIntegrationJob::new(client, &id)
            .status()
            .await
            .expect_err("refused");
        assert!(
            matches!(&error.kind, ErrorKind::Unauthorized { status: 403, message: Some(m) } if m == "User not authorized"),
            "{error}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn clear_faults_behave_as_for_elma() {
    let server = clear_one_integration::ClearOneIntegrationSimulator::start().await;
    let id = server.add_job(Script::new(0, 0, Phase::Succeeded));
    let job = ClearOneIntegrationJob::new(server.client(), id);
    let faults = FaultSet::new("get_workflow_status", "QUEUED");
    faults_behave_as_for_elma(&server, &job, &faults).await;
}

#[tokio::test(start_paused = true)]
async fn infor_and_clear_have_no_cancel() {
    let infor = infor_rpa::InforRpaSimulator::start().await;
    let clear = clear_one_integration::ClearOneIntegrationSimulator::start().await;
    let jobs: [Box<dyn Job>; 2] = [
        Box::new(InforRpaJob::new(
            infor.client(),
            infor.add_job(Script::default()),
        )),
        Box::new(ClearOneIntegrationJob::new(
            clear.client(),
            clear.add_job(Script::default()),
        )),
    ];
    for job in jobs {
        let error = job.cancel().await.expect_err("no cancel");
        assert!(
            matches!(error.kind, ErrorKind::Unsupported("cancel")),
            "{error}"
        );
        assert_eq!(error.vendor, job.vendor());
    }
    assert!(infor.served().is_empty() && clear.served().is_empty());
}

#[tokio::test(start_paused = true)]
async fn jobs_of_three_vendors_are_waited_on_together() {
    let elma = elma_rpa::ElmaRpaSimulator::start().await;
    let infor = infor_rpa::InforRpaSimulator::start().await;
    let clear = clear_one_integration::ClearOneIntegrationSimulator::start().await;
    let elma_id = elma.add_job(Script::new(0, 6, Phase::Succeeded));
    let jobs: Vec<Arc<dyn Job>> = vec![
        Arc::new(ElmaRpaJob::new(
            elma.client(),
            elma_id.parse().expect("numeric id"),
        )),
        Arc::new(InforRpaJob::new(
            infor.client(),
            infor.add_job(Script::new(0, 1, Phase::Failed)),
        )),
        Arc::new(ClearOneIntegrationJob::new(
            clear.client(),
            clear.add_job(Script::new(1, 2, Phase::Succeeded)),
        )),
    ];
    let mut policy = policy()
        .with_min_delay(Duration::from_secs(1))
        .with_max_delay(Duration::from_secs(1));
    policy.timeout = Duration::from_secs(600);
    let finished: Vec<_> = wait_all(jobs, &policy, 2)
        .map(|(job, outcome)| (job.vendor(), outcome.map(|s| s.vendor_state).ok()))
        .collect()
        .await;
    assert_eq!(
        finished,
        [
            (Vendor::InforRpa, Some("failed".to_owned())),
            (Vendor::ClearOneIntegration, Some("SUCCESS".to_owned())),
            (Vendor::ElmaRpa, Some("DONE".to_owned())),
        ]
    );
}
