//! Every response captured from the reference server and the Seven Bridges documentation
//! example decode into the generated types; so do payloads mutated the ways real servers
//! vary them, while what the spec requires stays required.

use std::collections::{BTreeSet, HashMap};

use ga4gh_wes::Accepted;
use ga4gh_wes::types::{
    ErrorResponse, Log, RunId, RunListResponse, RunLog, RunStatus, RunSummary, ServiceInfo, State,
    TaskListResponse, TaskLog, WorkflowEngineVersionValue,
};
use jobstatus_runtime::{OrRaw, Timestamp};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

fn fixture_text(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn decode<T: DeserializeOwned>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("does not decode: {e}\n{text}"))
}

fn reference<T: DeserializeOwned>(name: &str) -> T {
    decode(&fixture_text(&format!("reference-server/{name}.json")))
}

/// A list or map field, when it has the spec's shape.
fn typed<T>(field: &Option<OrRaw<T>>) -> Option<&T> {
    field.as_ref().and_then(OrRaw::typed)
}

fn reference_value(name: &str) -> Value {
    reference(name)
}

// The captured responses of the reference server.

/// Every captured response is decoded by one of the tests below; a new capture must be
/// added to this list, and so to a test.
#[test]
fn every_capture_is_decoded_here() {
    let decoded: BTreeSet<&str> = [
        "service-info",
        "run-list-empty",
        "run-list",
        "run-list-with-phantom-runs",
        "run-id",
        "cancel-running",
        "cancel-unknown-run",
        "run-status-running",
        "run-status-complete",
        "run-status-executor-error",
        "run-status-unknown-run",
        "run-status-after-cancel",
        "run-log-complete",
        "run-log-running",
        "run-log-executor-error",
        "error-missing-workflow-url",
        "error-missing-workflow-params",
        "error-relative-url-without-attachment",
        "error-workflow-params-not-json",
        "error-json-request-body",
        "error-unknown-run-log",
        "error-page-size-not-integer",
        "error-list-tasks-not-found",
        "error-get-task-not-found",
    ]
    .into_iter()
    .collect();
    let dir = format!(
        "{}/tests/fixtures/reference-server",
        env!("CARGO_MANIFEST_DIR")
    );
    let captured: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|entry| {
            let name = entry
                .expect("entry")
                .file_name()
                .into_string()
                .expect("UTF-8");
            name.strip_suffix(".json").map(str::to_owned)
        })
        .collect();
    for name in &captured {
        assert!(
            decoded.contains(name.as_str()),
            "{name}.json is not decoded by a test"
        );
    }
    assert_eq!(captured.len(), decoded.len());
}

#[test]
fn the_service_info_decodes_in_its_wes_1_0_form() {
    let info: ServiceInfo = reference("service-info");
    let cwl = &info.workflow_type_versions["CWL"];
    assert_eq!(
        typed(&cwl.workflow_type_version).map(Vec::as_slice),
        Some(&["v1.0".to_owned(), "v1.1".to_owned(), "v1.2".to_owned()][..])
    );
    assert_eq!(info.supported_wes_versions, ["0.3.0", "1.0.0"]);
    assert_eq!(
        typed(&info.supported_filesystem_protocols).map(Vec::as_slice),
        Some(&["file".to_owned(), "http".to_owned(), "https".to_owned()][..])
    );
    // WES 1.0 form: one version string per engine (here the Python text of empty bytes).
    let engines = typed(&info.workflow_engine_versions).expect("engines");
    assert_eq!(
        engines["cwl-runner"],
        WorkflowEngineVersionValue::String("b''".to_owned())
    );
    assert_eq!(typed(&info.system_state_counts).map(HashMap::len), Some(0));
    assert_eq!(typed(&info.tags).map(HashMap::len), Some(0));
    // None of the service-info base fields are sent.
    assert_eq!(
        (info.id, info.name, info.type_, info.version),
        (None, None, None, None)
    );
    assert_eq!(info.default_workflow_engine_parameters, None);
}

#[test]
fn run_lists_under_workflows_decode() {
    let empty: RunListResponse = reference("run-list-empty");
    assert_eq!(empty.next_page_token.as_deref(), Some(""));
    assert!(empty.into_runs().is_empty());

    let list: RunListResponse = reference("run-list");
    assert_eq!(list.runs, None, "the reference server never sends `runs`");
    let runs = list.into_runs();
    let summary: Vec<_> = runs
        .iter()
        .map(|run| (run.run_id.as_str(), run.state.value().clone()))
        .collect();
    assert_eq!(
        summary,
        [
            ("3bb77ef386ae41168542cd4574ce2c3c", State::ExecutorError),
            ("322b49ffae04439f9b35474a1166ef65", State::Complete),
        ]
    );
    // The RunStatus form: no summary fields.
    assert!(
        runs.iter()
            .all(|run| run.tags.is_none() && run.start_time.is_none())
    );

    let phantoms: RunListResponse = reference("run-list-with-phantom-runs");
    let runs = phantoms.into_runs();
    assert_eq!(runs.len(), 6);
    let unknown = runs
        .iter()
        .find(|run| run.run_id == "unknown")
        .expect("phantom");
    assert_eq!(unknown.state, State::Running);
}

#[test]
fn run_ids_decode() {
    for (name, id) in [
        ("run-id", "322b49ffae04439f9b35474a1166ef65"),
        ("cancel-running", "755036f8e65042bda71b86dd93b3af0b"),
        ("cancel-unknown-run", "unknown"),
    ] {
        let run: RunId = reference(name);
        assert_eq!(run.accepted(), Accepted::Run(id), "{name}");
    }
}

#[test]
fn run_statuses_decode() {
    for (name, state) in [
        ("run-status-running", State::Running),
        ("run-status-complete", State::Complete),
        ("run-status-executor-error", State::ExecutorError),
        ("run-status-unknown-run", State::Running),
        ("run-status-after-cancel", State::Running),
    ] {
        let status: RunStatus = reference(name);
        assert_eq!(status.state, state, "{name}");
        assert!(!status.run_id.is_empty());
    }
}

#[test]
fn the_complete_run_log_decodes_with_outputs_and_request() {
    let log: RunLog = reference("run-log-complete");
    assert_eq!(log.run_id, "322b49ffae04439f9b35474a1166ef65");
    assert_eq!(log.state, State::Complete);
    assert_eq!(typed(&log.task_logs), Some(&Vec::new()));
    assert_eq!(log.task_logs_url, None);

    let outputs = Value::Object(typed(&log.outputs).cloned().expect("outputs"));
    assert_eq!(outputs["output"]["class"], "File");
    assert_eq!(outputs["output"]["basename"], "output.txt");
    assert_eq!(
        outputs["output"]["size"], 15,
        "`hello from WES` and a newline"
    );

    // The echoed request, with its non-standard `workflow_attachment` string ignored.
    let request = log.request.expect("request");
    assert_eq!(
        typed(&request.workflow_params).cloned().map(Value::Object),
        Some(json!({"message": "hello from WES"}))
    );
    assert_eq!(
        typed(&request.tags)
            .and_then(|tags| tags.get("purpose").cloned())
            .as_deref(),
        Some("fixture")
    );
    assert_eq!(request.workflow_type.as_deref(), Some("CWL"));
    assert_eq!(request.workflow_type_version.as_deref(), Some("v1.0"));
    assert_eq!(request.workflow_url, "file:///tmp/tmpc1d67pwh/echo.cwl");

    let run_log = log.run_log.expect("run_log");
    assert_eq!(run_log.exit_code, Some(0));
    assert_eq!(typed(&run_log.cmd), Some(&vec![String::new()]));
    assert_eq!(run_log.name, None);
    assert_eq!(run_log.stdout.as_deref(), Some(""));
    assert!(
        run_log
            .stderr
            .as_deref()
            .is_some_and(|stderr| stderr.contains("Final process status is success"))
    );
}

#[test]
fn running_and_failed_run_logs_decode_with_their_exit_codes() {
    let running: RunLog = reference("run-log-running");
    assert_eq!(running.state, State::Running);
    let run_log = running.run_log.expect("run_log");
    assert_eq!(
        run_log.exit_code,
        Some(-1),
        "the reference server's `running`"
    );
    assert_eq!(run_log.stderr.as_deref(), Some(""));
    assert_eq!(typed(&running.outputs).map(Map::len), Some(0));
    assert_eq!(
        running.request.map(|r| r.tags),
        Some(None),
        "sent without tags"
    );

    let failed: RunLog = reference("run-log-executor-error");
    assert_eq!(failed.state, State::ExecutorError);
    let run_log = failed.run_log.expect("run_log");
    // cwltool's exit code, not the tool's 3, which is only in the log text.
    assert_eq!(run_log.exit_code, Some(1));
    assert!(
        run_log
            .stderr
            .as_deref()
            .is_some_and(|stderr| stderr.contains("exited with status: 3"))
    );
    assert_eq!(typed(&failed.outputs).map(Map::len), Some(0));
}

/// Tolerated deviation: the reference server's error bodies are RFC 7807 problems.
#[test]
fn problem_bodies_decode_as_error_responses() {
    for (name, status, title) in [
        ("error-missing-workflow-url", 500, "Internal Server Error"),
        (
            "error-missing-workflow-params",
            500,
            "Internal Server Error",
        ),
        (
            "error-relative-url-without-attachment",
            500,
            "Internal Server Error",
        ),
        (
            "error-workflow-params-not-json",
            500,
            "Internal Server Error",
        ),
        ("error-unknown-run-log", 500, "Internal Server Error"),
        ("error-json-request-body", 415, "Unsupported Media Type"),
        ("error-page-size-not-integer", 400, "Bad Request"),
        ("error-list-tasks-not-found", 404, "Not Found"),
        ("error-get-task-not-found", 404, "Not Found"),
    ] {
        let body: ErrorResponse = reference(name);
        assert_eq!(body.http_status(), Some(status), "{name}");
        assert_eq!(body.title.as_deref(), Some(title), "{name}");
        assert_eq!(body.type_.as_deref(), Some("about:blank"), "{name}");
        assert_eq!(
            (body.msg.as_deref(), body.status_code),
            (None, None),
            "{name}"
        );
        let detail = body.detail.as_deref().expect("detail");
        assert_eq!(body.message(), Some(detail), "{name}");
        assert_eq!(
            body.to_string(),
            format!("HTTP {status}: {title}: {detail}")
        );
    }
    let body: ErrorResponse = reference("error-json-request-body");
    assert_eq!(
        body.message(),
        Some("Invalid Content-type (application/json), expected ['multipart/form-data']")
    );
}

#[test]
fn the_wes_error_body_decodes_too() {
    let body: ErrorResponse =
        decode(r#"{"msg": "The requested workflow run wasn't found", "status_code": 404}"#);
    assert_eq!(
        body.message(),
        Some("The requested workflow run wasn't found")
    );
    assert_eq!(body.http_status(), Some(404));
    assert_eq!(
        body.to_string(),
        "HTTP 404: The requested workflow run wasn't found"
    );
    let body: ErrorResponse = decode(r#"{"msg": "", "title": "Forbidden", "status": 403}"#);
    assert_eq!(
        body.message(),
        Some("Forbidden"),
        "an empty msg counts as missing"
    );
    assert_eq!(body.to_string(), "HTTP 403: Forbidden");
    let body: ErrorResponse = decode("{}");
    assert_eq!((body.message(), body.http_status()), (None, None));
    assert_eq!(body.to_string(), "no error message");
}

// The Seven Bridges documentation example.

#[test]
fn the_seven_bridges_status_example_decodes() {
    let status: RunStatus = decode(&fixture_text("seven-bridges/run-status.json"));
    assert_eq!(status.state, State::Complete);
    assert_eq!(status.run_id, "40a9c1a6-9263-4982-a574-e494f7c4b621");
}

// States.

#[test]
fn every_listed_state_decodes_and_round_trips() {
    let listed = [
        ("UNKNOWN", State::Unknown),
        ("QUEUED", State::Queued),
        ("INITIALIZING", State::Initializing),
        ("RUNNING", State::Running),
        ("PAUSED", State::Paused),
        ("COMPLETE", State::Complete),
        ("EXECUTOR_ERROR", State::ExecutorError),
        ("SYSTEM_ERROR", State::SystemError),
        ("CANCELED", State::Canceled),
        ("CANCELING", State::Canceling),
        ("PREEMPTED", State::Preempted),
    ];
    for (wire, state) in &listed {
        let status: RunStatus = decode(&json!({"run_id": "r", "state": wire}).to_string());
        assert_eq!(&status.state, state);
        assert!(state.is_known());
        assert_eq!(state.as_str(), *wire);
        assert_eq!(
            serde_json::to_value(state).expect("serializes"),
            json!(wire)
        );
    }
    let known: Vec<_> = State::KNOWN.iter().map(State::as_str).collect();
    let names: Vec<_> = listed.iter().map(|(wire, _)| *wire).collect();
    assert_eq!(known, names, "the spec's states, in the spec's order");
}

#[test]
fn unlisted_states_are_kept_as_sent() {
    // sapporo-service adds DELETED and DELETING; older servers spell CANCELLED.
    for wire in ["DELETED", "DELETING", "CANCELLED", "COMPLETED", ""] {
        let status: RunStatus = decode(&json!({"run_id": "r", "state": wire}).to_string());
        assert_eq!(status.state, State::Unlisted(wire.to_owned()));
        assert!(!status.state.is_known());
        assert_eq!(status.state.to_string(), wire);
        assert_eq!(
            serde_json::to_value(&status).expect("serializes")["state"],
            json!(wire)
        );
    }
    let mut log = reference_value("run-log-complete");
    log["state"] = json!("ARCHIVED");
    let log: RunLog = decode(&log.to_string());
    assert_eq!(log.state, State::Unlisted("ARCHIVED".to_owned()));
}

// Mutations: extra fields, nulls, missing optional fields.

#[test]
fn extra_fields_are_ignored() {
    let mut log = reference_value("run-log-complete");
    log["priority"] = json!(3);
    log["run_log"]["host"] = json!({"name": "worker-1"});
    log["request"]["workflow_attachment"] = json!(["a", "b"]);
    let log: RunLog = decode(&log.to_string());
    assert_eq!(log.state, State::Complete);

    let mut info = reference_value("service-info");
    info["storage"] = json!({"kind": "s3"});
    let info: ServiceInfo = decode(&info.to_string());
    assert!(info.workflow_type_versions.contains_key("CWL"));

    let mut list = reference_value("run-list");
    list["total"] = json!(2);
    list["workflows"][0]["user"] = json!("someone");
    assert_eq!(
        decode::<RunListResponse>(&list.to_string())
            .into_runs()
            .len(),
        2
    );
}

#[test]
fn nulls_in_optional_fields_decode_as_absent() {
    let mut log = reference_value("run-log-complete");
    for key in [
        "request",
        "run_log",
        "task_logs_url",
        "task_logs",
        "outputs",
    ] {
        log[key] = Value::Null;
    }
    let log: RunLog = decode(&log.to_string());
    assert_eq!(
        (log.request, log.run_log, log.task_logs, log.outputs),
        (None, None, None, None)
    );

    // The run log as a pydantic server (sapporo-service) sends what it does not know.
    let mut log = reference_value("run-log-complete");
    for key in [
        "name",
        "cmd",
        "start_time",
        "end_time",
        "stdout",
        "stderr",
        "exit_code",
        "system_logs",
    ] {
        log["run_log"][key] = Value::Null;
    }
    for key in [
        "workflow_params",
        "workflow_type",
        "workflow_type_version",
        "tags",
        "workflow_engine",
        "workflow_engine_version",
        "workflow_engine_parameters",
    ] {
        log["request"][key] = Value::Null;
    }
    let log: RunLog = decode(&log.to_string());
    assert_eq!(log.run_log, Some(Log::default()));
    let request = log.request.expect("request");
    assert_eq!((request.workflow_params, request.tags), (None, None));
    assert_eq!(request.workflow_url, "file:///tmp/tmpc1d67pwh/echo.cwl");

    let mut info = reference_value("service-info");
    for key in [
        "supported_filesystem_protocols",
        "workflow_engine_versions",
        "default_workflow_engine_parameters",
        "system_state_counts",
        "tags",
        "id",
        "name",
        "type",
        "organization",
        "version",
        "auth_instructions_url",
    ] {
        info[key] = Value::Null;
    }
    info["workflow_type_versions"]["CWL"]["workflow_type_version"] = Value::Null;
    let info: ServiceInfo = decode(&info.to_string());
    assert_eq!(
        info.workflow_type_versions["CWL"].workflow_type_version,
        None
    );
    assert_eq!(info.workflow_engine_versions, None);

    let list: RunListResponse =
        decode(r#"{"runs": null, "workflows": null, "next_page_token": null}"#);
    assert!(list.into_runs().is_empty());
    let summary: RunSummary = decode(
        r#"{"run_id": "r", "state": "QUEUED", "start_time": null, "end_time": null, "tags": null}"#,
    );
    assert_eq!(summary.start_time, None);
    let tasks: TaskListResponse = decode(r#"{"task_logs": null, "next_page_token": null}"#);
    assert_eq!(tasks.task_logs, None);
}

#[test]
fn missing_optional_fields_decode() {
    let log: RunLog = decode(r#"{"run_id": "r", "state": "QUEUED"}"#);
    assert_eq!((log.request, log.run_log, log.outputs), (None, None, None));
    let info: ServiceInfo =
        decode(r#"{"workflow_type_versions": {}, "supported_wes_versions": []}"#);
    assert!(info.workflow_type_versions.is_empty());
    let list: RunListResponse = decode("{}");
    assert_eq!(list.next_page_token, None);
    assert!(list.into_runs().is_empty());
    assert_eq!(decode::<Log>("{}"), Log::default());
    assert_eq!(decode::<TaskLog>("{}"), TaskLog::default());
    assert_eq!(
        decode::<TaskListResponse>("{}"),
        TaskListResponse::default()
    );
}

/// The minimal bodies WES 1.1 allows decode: a missing state is `UNKNOWN`, a run log may
/// be `{}`, and numbers and ids may come as each other's text.
#[test]
fn minimal_wes_1_1_bodies_decode() {
    let status: RunStatus = decode(r#"{"run_id": "r1"}"#);
    assert_eq!(*status.state, State::Unknown);
    let summary: RunSummary = decode(r#"{"run_id": 7}"#);
    assert_eq!(
        (summary.run_id.as_str(), summary.state.value()),
        ("7", &State::Unknown)
    );
    let log: RunLog = decode("{}");
    assert_eq!(
        (log.run_id.as_str(), log.state.value()),
        ("", &State::Unknown)
    );
    let log: Log = decode(r#"{"exit_code": "1"}"#);
    assert_eq!(log.exit_code, Some(1));
    let status: RunStatus = decode(r#"{"run_id": "r", "state": " complete "}"#);
    assert_eq!(
        (status.state.value(), status.state.as_sent()),
        (&State::Complete, " complete ")
    );
}

/// What the spec requires stays required, and types stay types: tolerance ends where a
/// body no longer says what it must.
#[test]
fn required_fields_and_types_are_still_checked() {
    for body in [
        r#"{"state": "RUNNING"}"#,
        r#"{"run_id": "r", "state": null}"#,
        r#"{"run_id": ["r"], "state": "RUNNING"}"#,
        r#"{"run_id": "r", "state": 3}"#,
    ] {
        assert!(serde_json::from_str::<RunStatus>(body).is_err(), "{body}");
    }
    assert!(
        serde_json::from_str::<Log>(r#"{"exit_code": "one"}"#).is_err(),
        "an exit code is a number"
    );
    assert!(
        serde_json::from_str::<ServiceInfo>(r#"{"supported_wes_versions": []}"#).is_err(),
        "workflow_type_versions is required"
    );
    assert_eq!(
        serde_json::from_str::<RunId>("{}")
            .map(|run| run.accepted() == Accepted::NoRunNamed)
            .ok(),
        Some(true),
        "an accepted request that names no run is not an error"
    );
    assert!(
        serde_json::from_str::<RunListResponse>(r#"{"workflows": [{"state": "RUNNING"}]}"#)
            .is_err(),
        "every listed run has an id"
    );
}

// WES 1.1 shapes that the reference server does not send.

#[test]
fn wes_1_1_run_summaries_under_runs_decode() {
    let list: RunListResponse = decode(
        &json!({
            "runs": [{
                "run_id": "abc123-def456-ghi789",
                "state": "COMPLETE",
                "start_time": "2024-01-15T10:30:00Z",
                "end_time": "2024-01-15T10:35:00Z",
                "tags": {"project": "example"}
            }],
            "next_page_token": "n2"
        })
        .to_string(),
    );
    let runs = list.into_runs();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(
        run.start_time
            .as_ref()
            .and_then(Timestamp::instant)
            .map(|t| t.to_rfc3339()),
        Some("2024-01-15T10:30:00+00:00".to_owned())
    );
    assert_eq!(
        run.end_time
            .as_ref()
            .and_then(Timestamp::instant)
            .map(|t| t.to_rfc3339()),
        Some("2024-01-15T10:35:00+00:00".to_owned())
    );
    assert_eq!(
        typed(&run.tags)
            .and_then(|t| t.get("project"))
            .map(String::as_str),
        Some("example")
    );

    // `runs` wins over the reference server's key when both carry runs.
    let both: RunListResponse = decode(
        r#"{"runs": [{"run_id": "a", "state": "QUEUED"}], "workflows": [{"run_id": "b", "state": "QUEUED"}]}"#,
    );
    let ids: Vec<_> = both.into_runs().into_iter().map(|r| r.run_id).collect();
    assert_eq!(ids, ["a"]);
}

#[test]
fn a_wes_1_1_service_info_decodes() {
    let info: ServiceInfo = decode(
        &json!({
            "id": "org.sapporo.service",
            "name": "Sapporo WES",
            "type": {"group": "org.ga4gh", "artifact": "wes", "version": "1.1.0"},
            "organization": {"name": "Sapporo Project", "url": "https://github.com/sapporo-wes"},
            "version": "2.0.0",
            "workflow_type_versions": {"CWL": {"workflow_type_version": ["v1.0", "v1.1", "v1.2"]}},
            "supported_wes_versions": ["1.0.0", "1.1.0"],
            "supported_filesystem_protocols": ["http", "https", "file"],
            "workflow_engine_versions": {"cwltool": {"workflow_engine_version": ["3.1"]}},
            "default_workflow_engine_parameters": [
                {"name": "--parallel", "type": "bool", "default_value": "false"}
            ],
            "system_state_counts": {"COMPLETE": 10, "RUNNING": 2, "QUEUED": 0},
            "auth_instructions_url": "https://github.com/sapporo-wes/sapporo-service#authentication",
            "tags": {}
        })
        .to_string(),
    );
    assert_eq!(info.type_.map(|t| t.version).as_deref(), Some("1.1.0"));
    let engines = typed(&info.workflow_engine_versions).expect("engines");
    let WorkflowEngineVersionValue::WorkflowEngineVersion(cwltool) = &engines["cwltool"] else {
        panic!("the WES 1.1 object form: {engines:?}");
    };
    assert_eq!(
        typed(&cwltool.workflow_engine_version).map(Vec::as_slice),
        Some(&["3.1".to_owned()][..])
    );
    assert_eq!(
        typed(&info.system_state_counts).map(|c| c["COMPLETE"]),
        Some(10)
    );
}

#[test]
fn wes_1_1_task_logs_decode() {
    let page: TaskListResponse = decode(
        &json!({
            "task_logs": [{
                "id": "t1",
                "name": "align",
                "cmd": ["bwa", "mem"],
                "start_time": "2024-01-15T10:30:00.250+02:00",
                "end_time": "",
                "exit_code": null,
                "system_logs": ["host: worker-1"],
                "tes_uri": "https://tes.example.org/v1/tasks/t1"
            }],
            "next_page_token": ""
        })
        .to_string(),
    );
    let task = &typed(&page.task_logs).expect("task logs")[0];
    assert_eq!((task.id.as_deref(), task.exit_code), (Some("t1"), None));
    assert_eq!(
        task.start_time
            .as_ref()
            .and_then(Timestamp::instant)
            .map(|t| t.to_rfc3339()),
        Some("2024-01-15T08:30:00.250+00:00".to_owned())
    );
    assert_eq!(task.end_time, None, "`\"\"` is absent");
}

// Timestamps.

/// Tolerated deviation: `""` where a timestamp should be means "not known"; other text
/// keeps its text and gives an instant when it is one.
#[test]
fn empty_timestamps_read_as_absent_and_odd_ones_keep_their_text() {
    let run_log = reference::<RunLog>("run-log-complete")
        .run_log
        .expect("run_log");
    assert_eq!((&run_log.start_time, &run_log.end_time), (&None, &None));
    assert_eq!(Log::default().start_time, None, "missing");

    let odd: Log = decode(r#"{"start_time": "yesterday", "end_time": "2024-01-15 10:30"}"#);
    let start = odd.start_time.expect("kept");
    assert_eq!((start.as_str(), start.instant()), ("yesterday", None));
    let end = odd.end_time.expect("kept");
    assert_eq!(
        end.instant().map(|t| t.to_rfc3339()),
        Some("2024-01-15T10:30:00+00:00".to_owned())
    );
    assert!(end.is_utc_assumed(), "no offset: read as UTC, and said so");
}
