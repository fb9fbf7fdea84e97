//! The ga4gh-wes client against the GA4GH reference server: `wes-server` (PyPI
//! `wes-service`) with its cwltool backend, both from tests/peers/.venv, running real CWL
//! workflows.
//!
//! Each test starts its own server, which is stopped by its process id when the test's
//! handle is dropped, also when the test fails; a server starts in about a second. Each
//! works in its own temporary folder with a minimal environment: a `PATH` that holds only
//! `sh` and `echo`, which the workflows run.
//!
//! Servers are not shared because the reference server loses the outcome of a run when it
//! starts a process (a submission's runner, or `cwltool --version` for `service-info`)
//! after the run has exited but before its state was asked for: Python's `subprocess` then
//! reaps the finished runner, the server's own `waitpid` fails, the run is reported as
//! `EXECUTOR_ERROR` once and as `RUNNING` from then on (see the fixtures' NOTES.md). So
//! a test submits all its runs at once, before any can finish, and then only polls.
#![cfg(feature = "interop")]

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use ga4gh_wes::types::{ErrorResponse, RunLog, State};
use ga4gh_wes::{Attachment, Auth, Client};
use jobstatus_runtime::OrRaw;
use progenitor_client::Error;
use serde_json::{Value, json};
use workspace_tests::peers::{Peer, ScratchDir, bin_dir_with, free_port, venv_bin};
use workspace_tests::workspace_root;

/// How long a run may take; they take about a second when the machine is idle.
const RUN_BUDGET: Duration = Duration::from_secs(180);
/// How often a run's state is asked for.
const POLL: Duration = Duration::from_millis(250);
/// How long the server may take to answer `service-info` once it listens.
const READY_BUDGET: Duration = Duration::from_secs(60);

/// A running `wes-server`.
struct WesServer {
    /// Dropped first: stops the server.
    peer: Peer,
    /// Dropped last: removes the server's runs and staging folders.
    scratch: ScratchDir,
}

impl WesServer {
    fn start() -> Self {
        let scratch = ScratchDir::new("wes-server");
        let work = scratch.path().join("work");
        let tmp = scratch.path().join("tmp");
        for dir in [&work, &tmp] {
            std::fs::create_dir(dir).expect("server folder");
        }
        let path = bin_dir_with(&scratch.path().join("bin"), &["sh", "echo"]);
        let port = free_port();
        let mut command = Command::new(venv_bin("wes-server"));
        command
            .arg("--backend=wes_service.cwl_runner")
            .arg("--opt")
            .arg(format!("runner={}", venv_bin("cwltool").display()))
            .arg("--port")
            .arg(port.to_string())
            // The server keeps its runs under ./workflows, and stages attachments in the
            // system's temporary folder: both inside the scratch folder.
            .current_dir(&work)
            .env_clear()
            .env("PATH", path)
            .env("HOME", scratch.path())
            .env("TMPDIR", &tmp)
            .env("LANG", "C.UTF-8");
        let peer = Peer::start("wes-server", command, port);
        Self { peer, scratch }
    }

    fn client(&self) -> Client {
        Client::builder(format!("{}/ga4gh/wes/v1", self.peer.base_url))
            .auth(Auth::None)
            .build()
            .expect("no credentials to refuse")
    }

    /// Waits until `service-info` answers: the server listens before it can serve.
    async fn wait_ready(&self) {
        let client = self.client();
        let started = Instant::now();
        loop {
            match client.get_service_info().send().await {
                Ok(_) => return,
                Err(error) => assert!(
                    started.elapsed() < READY_BUDGET,
                    "service-info did not answer within {READY_BUDGET:?}: {error}\n{}",
                    self.peer.output()
                ),
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

/// A server of this test's own, answering.
async fn server() -> WesServer {
    let server = WesServer::start();
    server.wait_ready().await;
    server
}

fn workflow(name: &str) -> PathBuf {
    workspace_root()
        .join("crates/ga4gh-wes/tests/fixtures/workflows")
        .join(name)
}

/// Submits `echo.cwl`, attached from its path, to echo `message`.
async fn submit_echo(client: &Client, message: &str) -> String {
    client
        .run_workflow()
        .workflow_url("echo.cwl")
        .workflow_type("CWL")
        .workflow_type_version("v1.0")
        .workflow_params(&json!({ "message": message }))
        .tag("suite", "interop")
        .attachment(Attachment::from_path("echo.cwl", workflow("echo.cwl")))
        .send()
        .await
        .unwrap_or_else(|e| panic!("echo.cwl was refused: {e}"))
        .into_inner()
        .run_id
        .expect("the server names the run")
}

/// Submits `fail.cwl`, attached as bytes, whose tool exits with status 3.
async fn submit_fail(client: &Client) -> String {
    let cwl = std::fs::read(workflow("fail.cwl")).expect("fail.cwl");
    client
        .run_workflow()
        .workflow_url("fail.cwl")
        .workflow_type("CWL")
        .workflow_type_version("v1.0")
        .workflow_params(&json!({}))
        .attachment(Attachment::from_bytes("fail.cwl", cwl))
        .send()
        .await
        .unwrap_or_else(|e| panic!("fail.cwl was refused: {e}"))
        .into_inner()
        .run_id
        .expect("the server names the run")
}

fn is_finished(state: &State) -> bool {
    matches!(
        state,
        State::Complete
            | State::ExecutorError
            | State::SystemError
            | State::Canceled
            | State::Preempted
    )
}

/// Polls the run's status until it has finished; returns its last state.
async fn wait_finished(server: &WesServer, client: &Client, run_id: &str) -> State {
    let started = Instant::now();
    loop {
        let status = client
            .get_run_status()
            .run_id(run_id)
            .send()
            .await
            .unwrap_or_else(|e| panic!("status of {run_id}: {e}"))
            .into_inner();
        assert_eq!(status.run_id, run_id);
        if is_finished(&status.state) {
            return status.state.into_value();
        }
        assert!(
            started.elapsed() < RUN_BUDGET,
            "run {run_id} is still {} after {RUN_BUDGET:?}\n{}",
            status.state,
            server.peer.output()
        );
        tokio::time::sleep(POLL).await;
    }
}

async fn run_log(client: &Client, run_id: &str) -> RunLog {
    client
        .get_run_log()
        .run_id(run_id)
        .send()
        .await
        .unwrap_or_else(|e| panic!("run log of {run_id}: {e}"))
        .into_inner()
}

/// The local path of a CWL `File` output, from its `file://` location.
fn output_file(log: &RunLog, name: &str) -> PathBuf {
    let outputs = log
        .outputs
        .as_ref()
        .and_then(OrRaw::typed)
        .expect("outputs");
    let file = outputs
        .get(name)
        .unwrap_or_else(|| panic!("no output {name}: {outputs:?}"));
    assert_eq!(file["class"], "File", "{file}");
    let location = file["location"].as_str().expect("location");
    PathBuf::from(
        location
            .strip_prefix("file://")
            .expect("a file:// location"),
    )
}

/// The problem body of a refused request, and its HTTP status.
fn refusal<T: std::fmt::Debug>(result: Result<T, Error<ErrorResponse>>) -> (u16, ErrorResponse) {
    match result {
        Err(Error::ErrorResponse(response)) => (response.status().as_u16(), response.into_inner()),
        other => panic!("expected an error body, got {other:?}"),
    }
}

#[tokio::test]
async fn service_info_offers_cwl() {
    let server = server().await;
    let info = server
        .client()
        .get_service_info()
        .send()
        .await
        .expect("service-info")
        .into_inner();
    let cwl = info
        .workflow_type_versions
        .get("CWL")
        .expect("CWL is offered");
    let versions = cwl
        .workflow_type_version
        .clone()
        .and_then(OrRaw::into_typed)
        .unwrap_or_default();
    for version in ["v1.0", "v1.1", "v1.2"] {
        assert!(versions.iter().any(|v| v == version), "{versions:?}");
    }
    // The reference server implements WES 1.0.0, not 1.1.0.
    assert!(
        info.supported_wes_versions.iter().any(|v| v == "1.0.0"),
        "{:?}",
        info.supported_wes_versions
    );
    // Its engine versions use the WES 1.0 form, a plain string per engine.
    let engines = info
        .workflow_engine_versions
        .and_then(OrRaw::into_typed)
        .expect("engine versions");
    assert!(
        matches!(
            engines.get("cwl-runner"),
            Some(ga4gh_wes::types::WorkflowEngineVersionValue::String(_))
        ),
        "{engines:?}"
    );
}

#[tokio::test]
async fn an_echo_run_completes_with_the_output_it_produced() {
    let server = server().await;
    let client = server.client();
    let message = "hello from the ga4gh-wes interop test";
    let run_id = submit_echo(&client, message).await;
    assert_eq!(
        wait_finished(&server, &client, &run_id).await,
        State::Complete
    );

    let log = run_log(&client, &run_id).await;
    assert_eq!(
        (log.run_id.as_str(), log.state.value()),
        (run_id.as_str(), &State::Complete)
    );
    let request = log.request.as_ref().expect("the request is echoed");
    assert_eq!(
        request
            .workflow_params
            .clone()
            .and_then(OrRaw::into_typed)
            .map(Value::Object),
        Some(json!({ "message": message }))
    );
    assert_eq!(
        request
            .tags
            .as_ref()
            .and_then(OrRaw::typed)
            .and_then(|tags| tags.get("suite"))
            .map(String::as_str),
        Some("interop")
    );
    assert_eq!(request.workflow_type.as_deref(), Some("CWL"));
    let run_log = log.run_log.as_ref().expect("run_log");
    assert_eq!(run_log.exit_code, Some(0));
    // The reference server sends "" for both times; read as "not known".
    assert_eq!((&run_log.start_time, &run_log.end_time), (&None, &None));

    // `echo` wrote the message and a newline to output.txt: the output file holds it.
    let path = output_file(&log, "output");
    assert!(
        path.starts_with(server.scratch.path()),
        "{} is outside the server's folder",
        path.display()
    );
    let written =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(written, format!("{message}\n"));
    let outputs = log
        .outputs
        .as_ref()
        .and_then(OrRaw::typed)
        .expect("outputs");
    assert_eq!(outputs["output"]["basename"], "output.txt");
    assert_eq!(outputs["output"]["size"], json!(written.len()));

    // Cancel answers with the run's id, but the reference server does nothing else: the
    // run stays as it was.
    let canceled = client
        .cancel_run()
        .run_id(&run_id)
        .send()
        .await
        .expect("cancel");
    assert_eq!(canceled.into_inner().run_id.as_ref(), Some(&run_id));
    assert_eq!(
        wait_finished(&server, &client, &run_id).await,
        State::Complete
    );
}

#[tokio::test]
async fn a_failing_run_ends_in_executor_error_with_an_exit_code() {
    let server = server().await;
    let client = server.client();
    let run_id = submit_fail(&client).await;
    assert_eq!(
        wait_finished(&server, &client, &run_id).await,
        State::ExecutorError
    );

    let log = run_log(&client, &run_id).await;
    assert_eq!(log.state, State::ExecutorError);
    let run_log = log.run_log.as_ref().expect("run_log");
    // The tool exits with 3, but the reference server reports the exit code of the
    // runner, cwltool, which is 1 when a tool fails permanently; the tool's own code is
    // only in cwltool's log, which the server sends as `stderr`.
    assert_eq!(run_log.exit_code, Some(1));
    let stderr = run_log.stderr.as_deref().unwrap_or_default();
    assert!(stderr.contains("exited with status: 3"), "{stderr}");
    assert!(stderr.contains("permanentFail"), "{stderr}");
    // No outputs for a failed run: the reference server sends `{}`.
    assert_eq!(
        log.outputs
            .and_then(OrRaw::into_typed)
            .map(|outputs| outputs.len()),
        Some(0)
    );
}

#[tokio::test]
async fn the_run_list_stream_finds_both_runs() {
    let server = server().await;
    let client = server.client();
    let (echo, fail) = futures::join!(submit_echo(&client, "listed"), submit_fail(&client));
    let echo_state = wait_finished(&server, &client, &echo).await;
    let fail_state = wait_finished(&server, &client, &fail).await;

    // The reference server ignores `page_size` and answers with one page holding every
    // run, under `workflows`; the stream reads that key and stops at the empty
    // `next_page_token`.
    let runs: Vec<_> = client
        .list_runs()
        .page_size(1)
        .stream()
        .try_collect()
        .await
        .expect("run list");
    let ids: Vec<_> = runs.iter().map(|run| run.run_id.as_str()).collect();
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no run is listed twice: {ids:?}");
    for (run_id, state) in [(&echo, echo_state), (&fail, fail_state)] {
        let listed = runs
            .iter()
            .find(|run| &run.run_id == run_id)
            .unwrap_or_else(|| panic!("{run_id} is not listed: {ids:?}"));
        assert_eq!(listed.state, state);
    }
}

#[tokio::test]
async fn concurrent_runs_each_finish_with_their_own_output() {
    let server = server().await;
    let client = server.client();
    let messages: Vec<String> = (1..=3).map(|i| format!("concurrent run {i}")).collect();
    let run_ids =
        futures::future::join_all(messages.iter().map(|message| submit_echo(&client, message)))
            .await;
    let unique: HashSet<_> = run_ids.iter().collect();
    assert_eq!(unique.len(), run_ids.len(), "{run_ids:?}");

    let states = futures::future::join_all(
        run_ids
            .iter()
            .map(|run_id| wait_finished(&server, &client, run_id)),
    )
    .await;
    assert!(
        states.iter().all(|state| *state == State::Complete),
        "{states:?}"
    );
    for (run_id, message) in run_ids.iter().zip(&messages) {
        let log = run_log(&client, run_id).await;
        let written = std::fs::read_to_string(output_file(&log, "output")).expect("output");
        assert_eq!(written, format!("{message}\n"), "run {run_id}");
    }
}

#[tokio::test]
async fn refusals_come_as_problem_bodies() {
    let server = server().await;
    let client = server.client();

    // WES 1.0: no task endpoints.
    let (status, body) = refusal(client.list_tasks().run_id("any").send().await);
    assert_eq!((status, body.http_status()), (404, Some(404)));
    assert_eq!(body.title.as_deref(), Some("Not Found"));
    assert!(
        body.message().is_some_and(|m| m.contains("not found")),
        "{body}"
    );

    // An unknown run's log is a 500, not a 404. (This creates a phantom run, which the
    // server lists as RUNNING from then on.)
    let (status, body) = refusal(
        client
            .get_run_log()
            .run_id("no-such-run-interop")
            .send()
            .await,
    );
    assert_eq!((status, body.http_status()), (500, Some(500)));
    assert_eq!(body.title.as_deref(), Some("Internal Server Error"));

    // A relative workflow_url without attachments is refused, again with 500.
    let (status, body) = refusal(
        client
            .run_workflow()
            .workflow_url("echo.cwl")
            .workflow_type("CWL")
            .workflow_type_version("v1.0")
            .workflow_params(&json!({ "message": "never runs" }))
            .send()
            .await,
    );
    assert_eq!((status, body.http_status()), (500, Some(500)));
    assert!(
        body.to_string()
            .starts_with("HTTP 500: Internal Server Error: "),
        "{body}"
    );
}
