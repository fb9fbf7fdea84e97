//! The vendor document's example payloads decode into the generated types, and so do
//! payloads mutated the ways a real server varies them.

use elma_rpa::types::{TaskPriority, TaskResponse, TaskStatus};
use jobstatus_runtime::Sent;
use serde_json::{Value, json};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn decode(text: &str) -> TaskResponse {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("does not decode: {e}\n{text}"))
}

#[test]
fn the_created_task_decodes() {
    let response = decode(&fixture("task-create-response"));
    assert_eq!(response.status, 201);
    let task = response.task.expect("task");
    assert_eq!(task.id, 955);
    assert_eq!(task.status.as_deref(), Some(&TaskStatus::Prepare));
    assert_eq!(task.priority.as_deref(), Some(&TaskPriority::Medium));
    assert_eq!(
        task.system.as_ref().map(|system| system.expose()),
        Some("5d5ec66f-357d-4c2d-bbc1-2012278d2361")
    );
    assert_eq!(
        task.created
            .and_then(|t| t.instant())
            .map(|t| t.to_rfc3339()),
        Some("2020-06-29T10:29:52+00:00".to_owned()),
        "the +04:00 offset is kept as the same instant"
    );
    let metrics = task.metrics.expect("metrics");
    assert_eq!((metrics.start_time, metrics.end_time), (None, None));
}

#[test]
fn the_queued_answer_to_a_cancel_decodes() {
    let response = decode(&fixture("task-cancel-response-queued"));
    assert_eq!(response.status, 201);
    assert_eq!(
        response.task.and_then(|t| t.status).map(Sent::into_value),
        Some(TaskStatus::Prepare)
    );
}

#[test]
fn the_completed_task_decodes_with_its_output_context_and_log() {
    let response = decode(&fixture("task-cancel-response-done"));
    assert_eq!(response.status, 200);
    let task = response.task.expect("task");
    assert_eq!(task.status.as_deref(), Some(&TaskStatus::Done));
    assert_eq!(
        task.bot.as_deref(),
        Some("5e771afd-1261-4451-b059-4543d41a5814")
    );
    assert_eq!(
        task.groups,
        Some(vec!["8f6895c5-70a5-498f-b813-ab72e2b6e5f0".to_owned()].into())
    );
    assert_eq!(
        task.ctx.as_deref(),
        Some("6e01adcb-de15-475f-86fa-b5d3a78a2d14")
    );
    let log = task.log.as_deref().expect("log");
    assert_eq!(log.lines().count(), 19);
    assert!(log.ends_with("completed!\n"));

    let output: Value = task.output_context().expect("JSON").expect("present");
    assert_eq!(
        output,
        json!({
            "stringvalue_out": " (changed script)",
            "filevalue_out": null,
            "datetimevalue_out": "2020-06-29T11:08:29.2068223Z",
            "boolvalue_out": true,
            "doublevalue_out": 0.1,
            "intvalue_out": 7
        })
    );

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Output {
        intvalue_out: i64,
        boolvalue_out: bool,
    }
    let typed: Output = task.output_context().expect("JSON").expect("present");
    assert_eq!(
        typed,
        Output {
            intvalue_out: 7,
            boolvalue_out: true
        }
    );

    let err = task
        .input_context::<Value>()
        .expect_err("ctx holds a stored-context id, not JSON");
    assert!(err.to_string().contains("ctx of task 955"), "{err}");

    let metrics = task.metrics.expect("metrics");
    assert_eq!(
        metrics
            .start_time
            .and_then(|t| t.instant())
            .map(|t| t.to_rfc3339()),
        Some("0001-01-01T00:00:00+00:00".to_owned())
    );
}

#[test]
fn every_listed_status_and_priority_round_trips() {
    for status in TaskStatus::KNOWN {
        let wire = serde_json::to_value(status).expect("serializes");
        assert_eq!(wire, json!(status.as_str()));
        assert_eq!(
            &serde_json::from_value::<TaskStatus>(wire).expect("decodes"),
            status
        );
    }
    let names: Vec<_> = TaskStatus::KNOWN.iter().map(TaskStatus::as_str).collect();
    assert_eq!(
        names,
        ["EMPTY_ST", "QUEUE", "EXECUTING", "DONE", "ERROR", "PREPARE"]
    );
    let names: Vec<_> = TaskPriority::KNOWN
        .iter()
        .map(TaskPriority::as_str)
        .collect();
    assert_eq!(names, ["EMPTY_P", "HIGH", "MEDIUM", "LOW"]);
}

/// Applies `mutate` to the completed-task example and decodes the result.
fn mutated(mutate: impl FnOnce(&mut Value)) -> TaskResponse {
    let mut value: Value =
        serde_json::from_str(&fixture("task-cancel-response-done")).expect("fixture is JSON");
    mutate(&mut value);
    decode(&value.to_string())
}

#[test]
fn unknown_status_and_priority_values_are_kept() {
    let task = mutated(|v| {
        v["task"]["status"] = json!("CANCELED");
        v["task"]["priority"] = json!("URGENT");
    })
    .task
    .expect("task");
    assert_eq!(
        task.status.as_deref(),
        Some(&TaskStatus::Unlisted("CANCELED".to_owned()))
    );
    assert!(!task.status.as_ref().expect("status").is_known());
    assert_eq!(
        task.priority.map(|p| p.to_string()).as_deref(),
        Some("URGENT")
    );
}

#[test]
fn extra_fields_are_ignored() {
    let task = mutated(|v| {
        v["task"]["retries"] = json!(3);
        v["task"]["metrics"]["cpu"] = json!({"avg": 0.5});
        v["trace"] = json!("abc");
    })
    .task
    .expect("task");
    assert_eq!(task.id, 955);
}

#[test]
fn nulls_in_optional_fields_decode_as_absent() {
    let task = mutated(|v| {
        for key in [
            "process",
            "ctx",
            "system",
            "priority",
            "groups",
            "status",
            "bot",
            "outputCtx",
            "log",
            "metrics",
            "created",
            "updated",
        ] {
            v["task"][key] = Value::Null;
        }
    })
    .task
    .expect("task");
    assert_eq!(task.status, None);
    assert_eq!(task.groups, None);
    assert_eq!(task.output_context::<Value>().expect("absent"), None);
}

#[test]
fn missing_optional_fields_decode() {
    let response = decode(r#"{"status": 200, "task": {"id": 1}}"#);
    assert_eq!(response.task.map(|t| t.id), Some(1));
    let response = decode(r#"{"status": 404}"#);
    assert_eq!((response.status, response.task), (404, None));
}
