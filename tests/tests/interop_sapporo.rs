//! The ga4gh-wes client and the facade against a second, independent WES 1.1 server:
//! sapporo-service (PyPI `sapporo`) from tests/peers/.venv, running real CWL workflows with
//! the venv's cwltool through `tests/peers/sapporo/run.sh` (its bundled run.sh starts every
//! engine in docker).
//!
//! sapporo reads WES 1.1 its own way: `outputs` is a list of `{file_name, file_url}`, the
//! engine parameters of its service-info are keyed by engine, times have no time zone. The
//! clients decode all of it, keeping those values as sent.
//!
//! Each test starts its own server, stopped when the test's handle is dropped (also when
//! the test fails), in its own temporary folder, with a `PATH` of the venv's programs and
//! the few the workflows run.
#![cfg(feature = "interop")]

use std::process::Command;
use std::time::Duration;

use futures::TryStreamExt;
use ga4gh_wes::types::{ErrorResponse, RunLog, State};
use ga4gh_wes::{Accepted, Attachment, Auth, Client};
use jobstatus::vendors::ga4gh_wes::{Ga4ghWesJob, WesReport};
use jobstatus::{Job, Phase, VendorReport, WaitPolicy};
use progenitor_client::Error;
use serde_json::{Value, json};
use workspace_tests::peers::{Peer, ScratchDir, bin_dir_with, free_port, peers_dir, venv_bin};
use workspace_tests::workspace_root;

/// How long a run may take; cwltool takes a few seconds to start.
const RUN_BUDGET: Duration = Duration::from_secs(240);

/// The running sapporo-service.
struct Sapporo {
    /// Dropped first: stops the server.
    peer: Peer,
    /// Dropped last: removes the runs.
    _scratch: ScratchDir,
}

impl Sapporo {
    fn start() -> Self {
        let scratch = ScratchDir::new("sapporo");
        let runs = scratch.path().join("runs");
        std::fs::create_dir(&runs).expect("run folder");
        let bin = bin_dir_with(
            &scratch.path().join("bin"),
            &["sh", "bash", "echo", "sleep", "date", "cat", "mkdir", "env"],
        );
        let venv = venv_bin("python")
            .parent()
            .map(ToOwned::to_owned)
            .expect("venv bin");
        let path = std::env::join_paths([bin, venv]).expect("PATH");
        let port = free_port();
        let mut command = Command::new(venv_bin("sapporo"));
        command
            .args(["--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg("--run-dir")
            .arg(&runs)
            .arg("--run-sh")
            .arg(peers_dir().join("sapporo").join("run.sh"))
            .args(["--cancel-grace-seconds", "2"])
            .current_dir(scratch.path())
            .env_clear()
            .env("PATH", path)
            .env("HOME", scratch.path())
            .env("TMPDIR", scratch.path())
            .env("LANG", "C.UTF-8")
            .env("CWLTOOL", venv_bin("cwltool"))
            .env("SAPPORO_CLI", venv_bin("sapporo-cli"))
            .env("PYTHON", venv_bin("python"));
        let peer = Peer::start("sapporo", command, port);
        Self {
            peer,
            _scratch: scratch,
        }
    }

    fn client(&self) -> Client {
        Client::builder(&self.peer.base_url)
            .auth(Auth::None)
            .build()
            .expect("a loopback URL")
    }
}

/// A server of this test's own.
fn sapporo() -> Sapporo {
    Sapporo::start()
}

fn workflow(name: &str) -> Vec<u8> {
    let path = workspace_root()
        .join("crates/ga4gh-wes/tests/fixtures/workflows")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Submits the CWL workflow `name`, attached, with `params`; returns the run's id.
async fn submit(client: &Client, name: &str, params: Value) -> String {
    let accepted = client
        .run_workflow()
        .workflow_url(name)
        .workflow_type("CWL")
        .workflow_type_version("v1.0")
        .workflow_engine("cwltool")
        .workflow_params(&params)
        .tag("suite", "interop-sapporo")
        .attachment(Attachment::from_bytes(name, workflow(name)))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{name} was refused: {e}"))
        .into_inner();
    match accepted.accepted() {
        Accepted::Run(id) => id.to_owned(),
        Accepted::NoRunNamed => panic!("sapporo names the runs it accepts"),
    }
}

fn policy() -> WaitPolicy {
    let mut policy = WaitPolicy::with_timeout(RUN_BUDGET);
    policy.min_delay = Duration::from_millis(250);
    policy.max_delay = Duration::from_secs(2);
    policy
}

fn wes_report(status: &jobstatus::Status) -> &WesReport {
    match &status.report {
        VendorReport::Ga4ghWes(report) => report,
        other => panic!("not a WES report: {other:?}"),
    }
}

#[tokio::test]
async fn the_service_info_decodes_with_engine_parameters_keyed_by_engine() {
    let server = sapporo();
    let info = server
        .client()
        .get_service_info()
        .send()
        .await
        .unwrap_or_else(|e| panic!("service-info: {e}\n{}", server.peer.output()))
        .into_inner();
    assert!(info.workflow_type_versions.contains_key("CWL"));
    // sapporo names its own version here ("sapporo-wes-2.1.0").
    assert!(!info.supported_wes_versions.is_empty());
    // WES 1.1 says a list; sapporo sends an object keyed by engine. It is kept as sent.
    let parameters = info
        .default_workflow_engine_parameters
        .as_ref()
        .and_then(|p| p.raw())
        .expect("sapporo's engine parameters, as sent");
    assert!(parameters.is_object(), "{parameters}");
}

#[tokio::test]
async fn echo_and_failing_runs_end_through_the_facade_and_the_run_log_keeps_outputs() {
    let server = sapporo();
    let client = server.client();
    let message = "hello from the sapporo interop test";
    let echo = submit(&client, "echo.cwl", json!({ "message": message })).await;
    let fail = submit(&client, "fail.cwl", json!({})).await;

    let succeeded = jobstatus::wait(&Ga4ghWesJob::new(client.clone(), echo.clone()), &policy())
        .await
        .unwrap_or_else(|e| panic!("echo.cwl: {e}\n{}", server.peer.output()));
    assert_eq!(succeeded.phase, Phase::Succeeded, "{succeeded:?}");
    assert_eq!(succeeded.vendor_state, "COMPLETE");
    let outcome = succeeded.outcome.clone().unwrap_or_default();
    assert!(outcome.starts_with("exit code 0"), "{outcome}");

    let failed = jobstatus::wait(&Ga4ghWesJob::new(client.clone(), fail.clone()), &policy())
        .await
        .unwrap_or_else(|e| panic!("fail.cwl: {e}\n{}", server.peer.output()));
    assert_eq!(failed.phase, Phase::Failed, "{failed:?}");
    assert_eq!(failed.vendor_state, "EXECUTOR_ERROR");
    assert!(
        wes_report(&failed).log.is_some(),
        "the run log of a failed run is read"
    );

    // The run log: outputs as a list of files, times without a time zone.
    let log: RunLog = client
        .get_run_log()
        .run_id(&echo)
        .send()
        .await
        .expect("the run log")
        .into_inner();
    assert_eq!(
        (log.run_id.as_str(), log.state.value()),
        (echo.as_str(), &State::Complete)
    );
    let outputs = log.outputs.as_ref().expect("outputs").to_json();
    let files: Vec<&str> = outputs
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|file| file["file_name"].as_str())
        .collect();
    assert!(
        files.iter().any(|name| name.ends_with("output.txt")),
        "{outputs}"
    );
    let run_log = log.run_log.expect("run_log");
    assert_eq!(run_log.exit_code, Some(0));
    let ended = run_log.end_time.expect("end_time");
    assert!(ended.instant().is_some(), "{ended:?}");
    assert!(
        ended.is_utc_assumed(),
        "sapporo writes no time zone: {ended:?}"
    );
}

#[tokio::test]
async fn runs_list_page_by_page() {
    let server = sapporo();
    let client = server.client();
    let mut submitted = Vec::new();
    for n in 0..3 {
        submitted.push(
            submit(
                &client,
                "echo.cwl",
                json!({ "message": format!("page {n}") }),
            )
            .await,
        );
    }
    let mut pages = 0;
    let mut token: Option<String> = None;
    let mut listed = Vec::new();
    loop {
        let request = client.list_runs().page_size(1);
        let request = match &token {
            Some(token) => request.page_token(token.as_str()),
            None => request,
        };
        let page = request.send().await.expect("a page").into_inner();
        pages += 1;
        token = page.next_page_token.clone().filter(|t| !t.is_empty());
        let runs = page.into_runs();
        assert!(runs.len() <= 1, "page_size=1: {runs:?}");
        listed.extend(runs.into_iter().map(|run| run.run_id));
        if token.is_none() || pages > 200 {
            break;
        }
    }
    assert!(pages >= 3, "{pages} pages");
    for id in &submitted {
        assert!(listed.contains(id), "{id} not listed in {listed:?}");
    }
    // The stream follows the same pages.
    let streamed: Vec<_> = client
        .list_runs()
        .page_size(1)
        .stream()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(streamed.len(), listed.len());
}

#[tokio::test]
async fn a_cancelled_run_ends_cancelled() {
    let server = sapporo();
    let client = server.client();
    let id = submit(&client, "sleep.cwl", json!({})).await;
    let job = Ga4ghWesJob::new(client.clone(), id.clone());
    job.cancel().await.expect("the cancel is accepted");
    let cancelled = jobstatus::wait(&job, &policy())
        .await
        .unwrap_or_else(|e| panic!("sleep.cwl: {e}\n{}", server.peer.output()));
    assert_eq!(cancelled.phase, Phase::Cancelled, "{cancelled:?}");
}

#[tokio::test]
async fn an_unknown_run_is_not_found_and_the_task_list_is_a_typed_error() {
    let server = sapporo();
    let client = server.client();
    let unknown = "00000000-0000-0000-0000-000000000000";
    let job = Ga4ghWesJob::new(client.clone(), unknown);
    let error = job.status().await.expect_err("no such run");
    assert!(
        matches!(error.kind, jobstatus::ErrorKind::NotFound { .. }),
        "{error}"
    );

    let id = submit(&client, "echo.cwl", json!({ "message": "tasks" })).await;
    match client.list_tasks().run_id(&id).send().await {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), 400);
            let body: &ErrorResponse = &response;
            assert!(
                body.message()
                    .is_some_and(|m| m.contains("not implemented")),
                "{body:?}"
            );
        }
        other => panic!("expected sapporo's refusal, got {other:?}"),
    }
}
