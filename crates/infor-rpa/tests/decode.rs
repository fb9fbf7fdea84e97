//! Payloads decode into the generated types.
//!
//! Infor's documentation lists the properties of a job but shows no example payload, so
//! the fixtures under `tests/fixtures/` hold every documented property, written with the
//! keys and types the spec assumes. The mutated payloads check that decoding tolerates
//! what a server may send beyond them: unknown enum values, extra fields, nulls, missing
//! optional fields, and other JSON types where the spec keeps a value as any JSON.

use infor_rpa::types::{
    ErrorResponse, ExecuteJobRequest, Job, JobInstance, JobInstanceStatus, JobList, JobStatus,
    ProcessList, ProcessVersionStatus,
};
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap_or_else(|e| panic!("does not decode: {e}"))
}

#[test]
fn job_detail_decodes_every_documented_property() {
    let job: Job = decode(fixture("job-detail.json"));
    assert_eq!(job.id, "6f1c2d7e-5a4b-4c3d-9e8f-102938475601");
    assert_eq!(job.job_name.as_deref(), Some("Post supplier invoices"));
    assert_eq!(job.process_name.as_deref(), Some("InvoicePosting"));
    assert_eq!(
        job.process_id.as_deref(),
        Some("a3c9e1f2-7b6d-4e5f-8a9b-0c1d2e3f4a5b")
    );
    assert_eq!(job.process_version, Some(json!("3")));
    assert_eq!(job.environment_id.as_deref(), Some("default"));
    assert_eq!(job.status.as_deref(), Some(&JobStatus::Completed));
    assert_eq!(job.job_execution_strategy, Some(json!("SEQUENTIAL")));
    assert_eq!(job.scheduled, Some(json!(true)));
    assert_eq!(job.priority, Some(json!(2)));
    assert_eq!(job.active, Some(true));
    assert_eq!(
        job.previous_trigger.as_deref(),
        Some("2025-06-02T08:00:00Z")
    );
    assert_eq!(job.next_trigger.as_deref(), Some("2025-06-03T08:00:00Z"));
    assert_eq!(job.force_user_context, Some(false));
    assert_eq!(job.eo_flow_enabled, Some(false));
    assert_eq!(
        job.description.as_deref(),
        Some("Posts the supplier invoices received overnight.")
    );
    assert_eq!(job.type_.as_deref(), Some("Unattended"));
    assert_eq!(job.start_date.as_deref(), Some("2025-05-02T08:00:00Z"));
    assert_eq!(job.end_date.as_deref(), Some("2025-06-02T08:04:41Z"));

    let runs = job.job_instances.as_deref().expect("job_instances");
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].id, "0b7e4f1a-2c3d-4e5f-a6b7-c8d9e0f1a2b3");
    assert_eq!(
        runs[0].status.as_deref(),
        Some(&JobInstanceStatus::Completed)
    );
    assert_eq!(runs[0].start_time.as_deref(), Some("2025-06-02T08:00:03Z"));
    assert_eq!(runs[0].end_time.as_deref(), Some("2025-06-02T08:04:41Z"));
    assert_eq!(runs[1].status.as_deref(), Some(&JobInstanceStatus::Failed));

    let context = job.job_context.as_ref().expect("job_context");
    assert_eq!(context.machine_id.as_deref(), Some("m-01"));
    assert_eq!(context.device_name.as_deref(), Some("RPA-VM-01"));
    assert_eq!(context.user_identifier.as_deref(), Some("u-4711"));
    assert_eq!(context.dynamic_robots, Some(2));
    assert_eq!(context.robot_id.as_deref(), Some("r-17"));
    assert_eq!(context.robot_name.as_deref(), Some("Robot 17"));
    assert_eq!(context.user_name.as_deref(), Some("rpa.service"));
    let user = context.user_details.as_ref().expect("user_details");
    assert_eq!(user.id.as_deref(), Some("u-4711"));
    assert_eq!(user.display_name.as_deref(), Some("RPA Service"));
    assert_eq!(user.email.as_deref(), Some("rpa.service@example.com"));
    assert_eq!(user.rpa_role.as_deref(), Some("RPA-Admin"));

    let preferences = job
        .preferences
        .as_ref()
        .and_then(jobstatus_runtime::OrRaw::typed)
        .expect("preferences");
    assert_eq!(preferences.len(), 1);
    assert_eq!(preferences[0].id.as_deref(), Some("p-1"));
    assert_eq!(preferences[0].key.as_deref(), Some("retries"));
    assert_eq!(preferences[0].value.as_deref(), Some("3"));
    assert_eq!(
        preferences[0].description.as_deref(),
        Some("How often a failed run is retried.")
    );

    let metadata = job.metadata.as_ref().expect("metadata");
    assert_eq!(metadata.created_by.as_deref(), Some("Jane Doe"));
    assert_eq!(metadata.created_at.as_deref(), Some("2025-05-01T10:00:00Z"));
    assert_eq!(metadata.updated_by.as_deref(), Some("John Doe"));
    assert_eq!(metadata.updated_at.as_deref(), Some("2025-05-20T09:30:00Z"));
    assert_eq!(
        metadata.completed_at.as_deref(),
        Some("2025-06-02T08:04:41Z")
    );
}

#[test]
fn job_list_decodes_as_an_object_with_jobs() {
    let list: JobList = decode(fixture("jobs-object.json"));
    assert!(matches!(list, JobList::Object(_)));
    let jobs = list.jobs();
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[0].status.as_deref(), Some(&JobStatus::Completed));
    assert_eq!(jobs[0].eo_enabled, Some(false));
    assert_eq!(jobs[0].created_by.as_deref(), Some("Jane Doe"));
    assert_eq!(jobs[1].status.as_deref(), Some(&JobStatus::NotStarted));
    assert_eq!(
        jobs[1].job_name.as_deref(),
        Some("Reconcile bank statements")
    );
}

#[test]
fn job_list_decodes_as_a_bare_array() {
    let list: JobList = decode(fixture("jobs-array.json"));
    assert!(matches!(list, JobList::Array(_)));
    let jobs = list.into_jobs();
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[0].status.as_deref(), Some(&JobStatus::Running));
    assert_eq!(jobs[1].status.as_deref(), Some(&JobStatus::Disabled));
    assert_eq!(jobs[1].created_by.as_deref(), Some("John Doe"));
}

#[test]
fn empty_job_lists_decode_in_both_shapes() {
    assert!(decode::<JobList>(json!([])).jobs().is_empty());
    assert!(decode::<JobList>(json!({ "jobs": [] })).jobs().is_empty());
}

#[test]
fn process_list_decodes() {
    let list: ProcessList = decode(fixture("processes.json"));
    assert_eq!(list.processes.len(), 1);
    let process = &list.processes[0];
    assert_eq!(
        process.id.as_deref(),
        Some("a3c9e1f2-7b6d-4e5f-8a9b-0c1d2e3f4a5b")
    );
    assert_eq!(process.name.as_deref(), Some("InvoicePosting"));
    assert_eq!(process.current_version, Some(json!("3")));
    assert_eq!(process.type_.as_deref(), Some("Unattended"));
    assert_eq!(process.exception_handler, Some(false));
    let versions = process.versions.as_deref().expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].version_id.as_deref(), Some("v-3"));
    assert_eq!(versions[0].version, Some(json!("3")));
    assert_eq!(
        versions[0].status.as_deref(),
        Some(&ProcessVersionStatus::Finalized)
    );
    assert_eq!(
        versions[0].created_at.as_deref(),
        Some("2025-05-01T09:00:00Z")
    );
    assert_eq!(
        versions[1].status.as_deref(),
        Some(&ProcessVersionStatus::Draft)
    );
}

#[test]
fn execute_answer_and_error_body_decode() {
    let started: JobInstance = decode(fixture("execute.json"));
    assert_eq!(started.id, "3c2b1a09-8f7e-4d6c-b5a4-93827160f5e4");
    assert_eq!(started.status.as_deref(), Some(&JobInstanceStatus::Running));
    assert_eq!(started.start_time, None);

    let error: ErrorResponse = decode(fixture("error.json"));
    let detail = error.error.expect("error");
    assert_eq!(detail.code.as_deref(), Some("404"));
    assert_eq!(detail.message.as_deref(), Some("Job not found"));
}

#[test]
fn unknown_status_values_are_kept_as_unlisted() {
    let mut job = fixture("job-detail.json");
    job["status"] = json!("paused");
    job["job_instances"][0]["status"] = json!("queued-for-robot");
    let job: Job = decode(job);
    assert_eq!(
        job.status.as_deref(),
        Some(&JobStatus::Unlisted("paused".to_owned()))
    );
    assert!(!job.status.as_ref().expect("status").is_known());
    let run = &job.job_instances.as_deref().expect("runs")[0];
    assert_eq!(
        run.status.as_deref(),
        Some(&JobInstanceStatus::Unlisted("queued-for-robot".to_owned()))
    );
    // The unknown text goes back on the wire as it came.
    assert_eq!(
        serde_json::to_value(&job).expect("encodes")["status"],
        "paused"
    );

    let mut processes = fixture("processes.json");
    processes["processes"][0]["versions"][0]["status"] = json!("archived");
    let processes: ProcessList = decode(processes);
    let versions = processes.processes[0]
        .versions
        .as_deref()
        .expect("versions");
    assert_eq!(
        versions[0].status.as_deref(),
        Some(&ProcessVersionStatus::Unlisted("archived".to_owned()))
    );
}

#[test]
fn every_listed_status_value_round_trips() {
    for status in JobStatus::KNOWN {
        let decoded: JobStatus = decode(json!(status.as_str()));
        assert_eq!(&decoded, status);
    }
    for status in JobInstanceStatus::KNOWN {
        let decoded: JobInstanceStatus = decode(json!(status.as_str()));
        assert_eq!(&decoded, status);
    }
    assert_eq!(JobStatus::NotStarted.as_str(), "not-started");
    assert_eq!(JobStatus::Cancelled.to_string(), "cancelled");
}

#[test]
fn extra_fields_are_ignored_at_every_level() {
    let mut job = fixture("job-detail.json");
    job["robot_group"] = json!({ "id": 7 });
    job["job_context"]["cpu"] = json!(4);
    job["job_context"]["user_details"]["locale"] = json!("en-US");
    job["job_instances"][0]["log_url"] = json!("https://example.com/log");
    job["preferences"][0]["secret"] = json!(false);
    job["metadata"]["version"] = json!(12);
    let job: Job = decode(job);
    assert_eq!(job.status.as_deref(), Some(&JobStatus::Completed));

    let mut list = fixture("jobs-object.json");
    list["total"] = json!(2);
    list["next_page"] = Value::Null;
    assert_eq!(decode::<JobList>(list).jobs().len(), 2);

    let mut processes = fixture("processes.json");
    processes["processes"][0]["owner"] = json!("Jane Doe");
    processes["processes"][0]["versions"][0]["notes"] = json!([]);
    decode::<ProcessList>(processes);

    decode::<ErrorResponse>(json!({
        "error": { "code": "401", "message": "expired", "trace_id": "abc" },
        "timestamp": 1
    }));
}

#[test]
fn nulls_decode_as_absent_values() {
    let mut job = fixture("job-detail.json");
    let object = job.as_object_mut().expect("object");
    for (key, value) in object.iter_mut() {
        if key != "id" {
            *value = Value::Null;
        }
    }
    let job: Job = decode(job);
    assert_eq!(job.status, None);
    assert_eq!(job.job_instances, None);
    assert_eq!(job.preferences, None);
    assert_eq!(job.job_context, None);
    assert_eq!(job.process_version, None);

    let mut nested = fixture("job-detail.json");
    nested["job_context"]["user_details"] = Value::Null;
    nested["job_context"]["dynamic_robots"] = Value::Null;
    nested["job_instances"][0]["end_time"] = Value::Null;
    nested["job_instances"][0]["status"] = Value::Null;
    nested["metadata"]["completed_at"] = Value::Null;
    let nested: Job = decode(nested);
    let run = &nested.job_instances.as_deref().expect("runs")[0];
    assert_eq!((run.status.as_ref(), run.end_time.as_ref()), (None, None));

    let mut processes = fixture("processes.json");
    processes["processes"][0]["versions"] = Value::Null;
    processes["processes"][0]["current_version"] = Value::Null;
    let processes: ProcessList = decode(processes);
    assert_eq!(processes.processes[0].versions, None);

    decode::<ErrorResponse>(json!({ "error": null, "message": null }));
}

#[test]
fn missing_optional_fields_decode() {
    let job: Job = decode(json!({ "id": "j-1" }));
    assert_eq!(job.id, "j-1");
    assert_eq!(job.status, None);
    assert_eq!(job.job_instances, None);

    let list: JobList = decode(json!([{ "id": "j-1" }, { "id": "j-2", "status": "running" }]));
    assert_eq!(list.jobs().len(), 2);

    let run: JobInstance = decode(json!({ "id": "r-1" }));
    assert_eq!(run.status, None);

    let processes: ProcessList = decode(json!({ "processes": [{}, { "versions": [{}] }] }));
    assert_eq!(processes.processes.len(), 2);

    let error: ErrorResponse = decode(json!({}));
    assert_eq!(error.error, None);
}

#[test]
fn values_of_undocumented_type_decode_whatever_their_json_type() {
    let mut job = fixture("job-detail.json");
    job["process_version"] = json!(3);
    job["priority"] = json!("High");
    job["scheduled"] = json!({ "cron": "0 8 * * *", "timezone": "UTC" });
    job["job_execution_strategy"] = json!({ "mode": "parallel", "robots": 2 });
    let job: Job = decode(job);
    assert_eq!(job.process_version, Some(json!(3)));
    assert_eq!(job.priority, Some(json!("High")));
    assert_eq!(
        job.scheduled.as_ref().and_then(|s| s.get("cron")),
        Some(&json!("0 8 * * *"))
    );

    let mut processes = fixture("processes.json");
    processes["processes"][0]["current_version"] = json!(3.1);
    processes["processes"][0]["versions"][0]["version"] = json!(3);
    decode::<ProcessList>(processes);
}

#[test]
fn a_job_without_id_is_refused_naming_the_field() {
    let error =
        serde_json::from_value::<Job>(json!({ "status": "running" })).expect_err("id is required");
    assert!(error.to_string().contains("`id`"), "{error}");
}

#[test]
fn execute_request_serializes_to_the_assumed_shape() {
    assert_eq!(
        serde_json::to_value(ExecuteJobRequest::default()).expect("encodes"),
        json!({})
    );
    let mut arguments = serde_json::Map::new();
    arguments.insert("InvoiceNumber".to_owned(), json!("INV-1"));
    arguments.insert("Amount".to_owned(), json!(12.5));
    assert_eq!(
        serde_json::to_value(ExecuteJobRequest { arguments }).expect("encodes"),
        json!({ "arguments": { "InvoiceNumber": "INV-1", "Amount": 12.5 } })
    );
}
