//! Payloads decode into the generated types, and requests serialize to the documented shape.
//!
//! The four `status-*.json` fixtures are the documentation's examples of the status call,
//! verbatim. The pre-sign and ingestion answers are not documented; their payloads here
//! follow the spec's assumptions. The mutated payloads check that decoding tolerates what a
//! server may send beyond the examples: unknown enum values, extra fields, nulls and
//! missing optional fields.

use clear_one_integration::types::{
    Activity, ActivityStage, ActivityStatus, ErrorEnvelope, FileInfo, IngestRequest,
    IngestResponse, PreSignResponse, WorkflowStatus, WorkflowStatusResponse,
};
use jobstatus_runtime::OrRaw;
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap_or_else(|e| panic!("does not decode: {e}"))
}

fn activities(answer: &WorkflowStatusResponse) -> &[Activity] {
    answer
        .result
        .as_ref()
        .and_then(|result| result.activity_status_list.as_deref())
        .unwrap_or_default()
}

#[test]
fn the_processing_example_decodes() {
    let answer: WorkflowStatusResponse = decode(fixture("status-processing.json"));
    assert_eq!(answer.status, 200);
    assert!(answer.success);
    assert_eq!(
        answer.message.as_deref(),
        Some("Status fetched successfully 6988a3bc2e0e5e3c6c9aa6da")
    );
    assert_eq!(answer.error, None);
    assert_eq!(answer.metadata, None);
    let result = answer.result.expect("result");
    assert_eq!(result.task_id, "6988a3bc2e0e5e3c6c9aa6da");
    assert_eq!(result.activity_status_list, None);
    assert_eq!(result.workflow_status, WorkflowStatus::Processing);
    assert_eq!(result.message, None);
    assert_eq!(result.urls_to_notify, Some(vec![].into()));
    assert_eq!(result.pre_signed_urls, Some(vec![].into()));
    assert_eq!(result.generated_ur_ls, Some(vec![].into()));
}

#[test]
fn the_success_example_decodes() {
    let answer: WorkflowStatusResponse = decode(fixture("status-success.json"));
    assert_eq!((answer.status, answer.success), (200, true));
    assert_eq!(answer.error, None);
    let result = answer.result.as_ref().expect("result");
    assert_eq!(result.task_id, "6988a3bc2e0e5e3c6c9aa6da");
    assert_eq!(result.workflow_status, WorkflowStatus::Success);
    assert_eq!(result.message, None);
    let activities = activities(&answer);
    assert_eq!(activities.len(), 1);
    let activity = &activities[0];
    assert_eq!(activity.stage, ActivityStage::Ingestion);
    assert_eq!(activity.ingestion_template.as_deref(), Some("PURCHASE"));
    assert_eq!(activity.status, ActivityStatus::Success);
    assert_eq!(activity.error_report_pre_sign, None);
    assert_eq!(activity.error_message, None);
    assert_eq!(
        activity.activity_id.as_deref(),
        Some("b9a5dac0d01241089994b2444f102542")
    );
}

#[test]
fn the_activity_failed_example_decodes() {
    let answer: WorkflowStatusResponse = decode(fixture("status-activity-failed.json"));
    // A failed workflow is still a successful request: the failure is in the result.
    assert_eq!((answer.status, answer.success), (200, true));
    assert_eq!(answer.error, None);
    let result = answer.result.as_ref().expect("result");
    assert_eq!(result.task_id, "6988c9f8b359874b346bbe9c");
    assert_eq!(result.workflow_status, WorkflowStatus::Failed);
    assert_eq!(result.message.as_deref(), Some("Contact ClearTax support"));
    let activities = activities(&answer);
    assert_eq!(activities.len(), 2);
    assert_eq!(activities[0].stage, ActivityStage::Ingestion);
    assert_eq!(activities[0].status, ActivityStatus::Failure);
    assert_eq!(
        activities[0].error_message.as_deref(),
        Some(
            "This is a duplicate file. Data import for this file is already in progress. \
             Please refer import history section for more details."
        )
    );
    assert_eq!(
        activities[0].activity_id.as_deref(),
        Some("0d03fcd78acb4f8394e19d8f07abf59b")
    );
    assert_eq!(activities[1].status, ActivityStatus::Success);
    assert_eq!(activities[1].error_message, None);
    assert_eq!(
        activities[1].activity_id.as_deref(),
        Some("c6f0f01dfc34413fa70a7d3b830499c5")
    );
}

#[test]
fn the_not_found_example_decodes_as_the_error_envelope() {
    let envelope: ErrorEnvelope = decode(fixture("status-not-found.json"));
    assert_eq!(envelope.status, Some(404));
    assert_eq!(envelope.success, Some(false));
    assert_eq!(
        envelope.message.as_deref(),
        Some("No task found with taskId: 6988a3bc2e0e5e3c6c9aa6d")
    );
    assert_eq!(envelope.result, None);
    assert_eq!(envelope.metadata, None);
    let error = envelope.error.expect("error");
    assert_eq!(error.code.as_deref(), Some("404"));
    assert_eq!(error.message.as_deref(), Some("No Such Element Found"));
    assert_eq!(error.validation_errors, None);
}

#[test]
fn the_not_found_example_also_decodes_as_the_success_envelope() {
    // The documentation does not say which HTTP status comes with it; with 200 it reaches
    // the success type, where `result` is null and `error` says what happened.
    let answer: WorkflowStatusResponse = decode(fixture("status-not-found.json"));
    assert_eq!((answer.status, answer.success), (404, false));
    assert_eq!(answer.result, None);
    let error = answer.error.expect("error");
    assert_eq!(error.code.as_deref(), Some("404"));
}

#[test]
fn unknown_enum_values_are_kept_as_unlisted() {
    let mut answer = fixture("status-activity-failed.json");
    answer["result"]["workflowStatus"] = json!("RETRYING");
    answer["result"]["activityStatusList"][0]["stage"] = json!("VALIDATION");
    answer["result"]["activityStatusList"][0]["status"] = json!("SKIPPED");
    let decoded: WorkflowStatusResponse = decode(answer);
    let result = decoded.result.as_ref().expect("result");
    assert_eq!(
        result.workflow_status,
        WorkflowStatus::Unlisted("RETRYING".to_owned())
    );
    assert!(!result.workflow_status.is_known());
    let activity = &activities(&decoded)[0];
    assert_eq!(
        activity.stage,
        ActivityStage::Unlisted("VALIDATION".to_owned())
    );
    assert_eq!(
        activity.status,
        ActivityStatus::Unlisted("SKIPPED".to_owned())
    );
    // The unknown text goes back on the wire as it came.
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert_eq!(encoded["result"]["workflowStatus"], "RETRYING");
    assert_eq!(
        encoded["result"]["activityStatusList"][0]["stage"],
        "VALIDATION"
    );
}

#[test]
fn every_listed_enum_value_round_trips() {
    for value in WorkflowStatus::KNOWN {
        assert_eq!(&decode::<WorkflowStatus>(json!(value.as_str())), value);
    }
    for value in ActivityStage::KNOWN {
        assert_eq!(&decode::<ActivityStage>(json!(value.as_str())), value);
    }
    for value in ActivityStatus::KNOWN {
        assert_eq!(&decode::<ActivityStatus>(json!(value.as_str())), value);
    }
    assert_eq!(ActivityStatus::PartialSuccess.as_str(), "PARTIAL_SUCCESS");
    assert_eq!(
        decode::<ActivityStatus>(json!("PARTIAL_SUCCESS")),
        ActivityStatus::PartialSuccess
    );
}

#[test]
fn extra_fields_are_ignored_at_every_level() {
    let mut answer = fixture("status-success.json");
    answer["requestId"] = json!("r-1");
    answer["result"]["startedAt"] = json!("2026-02-08T10:00:00Z");
    answer["result"]["activityStatusList"][0]["recordCount"] = json!(120);
    let decoded: WorkflowStatusResponse = decode(answer);
    assert_eq!(
        decoded.result.expect("result").workflow_status,
        WorkflowStatus::Success
    );

    let mut envelope = fixture("status-not-found.json");
    envelope["error"]["traceId"] = json!("t-9");
    envelope["timestamp"] = json!(1_770_000_000);
    decode::<ErrorEnvelope>(envelope);
}

#[test]
fn nulls_decode_as_absent_values() {
    let mut answer = fixture("status-success.json");
    answer["message"] = Value::Null;
    let result = &mut answer["result"];
    result["urlsToNotify"] = Value::Null;
    result["preSignedUrls"] = Value::Null;
    result["generatedURLs"] = Value::Null;
    let activity = &mut result["activityStatusList"][0];
    activity["ingestionTemplate"] = Value::Null;
    activity["activityId"] = Value::Null;
    let decoded: WorkflowStatusResponse = decode(answer);
    let result = decoded.result.as_ref().expect("result");
    assert_eq!(result.urls_to_notify, None);
    assert_eq!(result.generated_ur_ls, None);
    assert_eq!(activities(&decoded)[0].activity_id, None);

    decode::<ErrorEnvelope>(json!({
        "status": null, "success": null, "message": null,
        "result": null, "error": { "code": null, "message": null, "validationErrors": null },
        "metadata": null
    }));
}

#[test]
fn missing_optional_fields_decode() {
    let answer: WorkflowStatusResponse = decode(json!({
        "status": 200,
        "success": true,
        "result": {
            "taskId": "6988a3bc2e0e5e3c6c9aa6da",
            "workflowStatus": "CREATED",
            "activityStatusList": [{ "stage": "SYSTEM", "status": "FAILURE" }]
        }
    }));
    let result = answer.result.as_ref().expect("result");
    assert_eq!(result.workflow_status, WorkflowStatus::Created);
    assert_eq!(result.urls_to_notify, None);
    assert_eq!(activities(&answer)[0].stage, ActivityStage::System);
    assert_eq!(activities(&answer)[0].ingestion_template, None);

    let bare: WorkflowStatusResponse = decode(json!({ "status": 200, "success": true }));
    assert_eq!(bare.result, None);

    // Error bodies from a gateway in front of the service are not Clear's envelope.
    let gateway: ErrorEnvelope = decode(json!({ "message": "Forbidden" }));
    assert_eq!(gateway.message.as_deref(), Some("Forbidden"));
    decode::<ErrorEnvelope>(json!({}));
}

#[test]
fn validation_errors_and_metadata_decode_whatever_their_shape() {
    let envelope: ErrorEnvelope = decode(json!({
        "status": 400,
        "success": false,
        "message": "Invalid request",
        "result": null,
        "error": {
            "code": "400",
            "message": "Validation failed",
            "validationErrors": [
                { "field": "taskId", "message": "must not be blank" },
                "taskId: must not be blank"
            ]
        },
        "metadata": { "requestId": "r-1" }
    }));
    let error = envelope.error.expect("error");
    assert_eq!(
        error
            .validation_errors
            .and_then(OrRaw::into_typed)
            .map(|list| list.len()),
        Some(2)
    );
    assert_eq!(
        envelope
            .metadata
            .and_then(OrRaw::into_typed)
            .map(|metadata| metadata["requestId"].clone()),
        Some(json!("r-1"))
    );
}

#[test]
fn a_result_without_workflow_status_is_refused_naming_the_field() {
    let error = serde_json::from_value::<WorkflowStatusResponse>(json!({
        "status": 200, "success": true, "result": { "taskId": "t" }
    }))
    .expect_err("workflowStatus is required");
    assert!(error.to_string().contains("workflowStatus"), "{error}");
}

#[test]
fn pre_sign_answer_decodes_with_the_url_in_payload_or_elsewhere() {
    let answer: PreSignResponse = decode(json!({
        "status": 200,
        "success": true,
        "message": "generated pre-sign url successfully",
        "result": {
            "status": "OK",
            "payload": "https://storage.clear.in/v1/ap-south-1/uploads/purchases.csv?X-Amz-Signature=abc"
        },
        "error": null,
        "metadata": null
    }));
    let result = answer.result.expect("result");
    assert_eq!(result.status.as_deref(), Some("OK"));
    assert_eq!(
        result.payload.as_deref(),
        Some("https://storage.clear.in/v1/ap-south-1/uploads/purchases.csv?X-Amz-Signature=abc")
    );
    assert!(result.extra.is_empty());

    // Should the URL come under another key, it is kept.
    let other: PreSignResponse = decode(json!({
        "status": 200,
        "success": true,
        "result": { "status": "OK", "preSignedUrl": "https://storage.clear.in/x", "expiresIn": 600 }
    }));
    let result = other.result.expect("result");
    assert_eq!(result.payload, None);
    assert_eq!(result.extra["preSignedUrl"], "https://storage.clear.in/x");
    assert_eq!(result.extra["expiresIn"], 600);

    let refused: ErrorEnvelope = decode(json!({
        "status": 406,
        "success": false,
        "message": "File type not supported",
        "result": null,
        "error": { "code": "406", "message": "Only csv, xlsx, xls and zip files are allowed", "validationErrors": null },
        "metadata": null
    }));
    assert_eq!(refused.status, Some(406));
}

#[test]
fn ingestion_request_serializes_to_the_documented_shape() {
    let request: IngestRequest = IngestRequest::builder()
        .file_info(vec![
            FileInfo::builder()
                .upload_url("https://storage.clear.in/v1/ap-south-1/uploads/purchases.csv")
                .filename("purchases.csv".to_owned())
                .file_type("purchase")
                .try_into()
                .expect("valid file"),
            FileInfo::builder()
                .upload_url("https://storage.clear.in/v1/ap-south-1/uploads/more.zip")
                .file_type("purchase")
                .try_into()
                .expect("valid file"),
        ])
        .template_type("PURCHASE")
        .metadata(
            json!({ "source": "erp" })
                .as_object()
                .cloned()
                .expect("object"),
        )
        .try_into()
        .expect("valid request");
    assert_eq!(
        serde_json::to_value(&request).expect("encodes"),
        json!({
            "fileInfo": [
                {
                    "uploadUrl": "https://storage.clear.in/v1/ap-south-1/uploads/purchases.csv",
                    "filename": "purchases.csv",
                    "fileType": "purchase"
                },
                {
                    "uploadUrl": "https://storage.clear.in/v1/ap-south-1/uploads/more.zip",
                    "fileType": "purchase"
                }
            ],
            "templateType": "PURCHASE",
            "metadata": { "source": "erp" }
        })
    );

    // Onboarding-defined template names are plain strings too.
    let custom: IngestRequest = IngestRequest::builder()
        .file_info(vec![FileInfo {
            upload_url: "https://storage.clear.in/s.csv".parse().expect("non-empty"),
            filename: None,
            file_type: "sales".to_owned(),
        }])
        .template_type("ACME_SALES_V2")
        .try_into()
        .expect("valid request");
    assert_eq!(
        serde_json::to_value(&custom).expect("encodes"),
        json!({
            "fileInfo": [{ "uploadUrl": "https://storage.clear.in/s.csv", "fileType": "sales" }],
            "templateType": "ACME_SALES_V2"
        })
    );
}

#[test]
fn empty_required_strings_are_refused_before_sending() {
    let empty_template: Result<IngestRequest, _> = IngestRequest::builder()
        .file_info(Vec::<FileInfo>::new())
        .template_type("")
        .try_into();
    assert!(empty_template.is_err());
    let empty_url: Result<FileInfo, _> = FileInfo::builder()
        .upload_url("")
        .file_type("sales")
        .try_into();
    assert!(empty_url.is_err());
}

#[test]
fn ingestion_answer_decodes() {
    let answer: IngestResponse = decode(json!({
        "status": 200,
        "success": true,
        "message": "Ingestion created",
        "result": { "taskId": "6988a3bc2e0e5e3c6c9aa6da" },
        "error": null,
        "metadata": null
    }));
    assert_eq!(
        answer.result.and_then(|result| result.task_id).as_deref(),
        Some("6988a3bc2e0e5e3c6c9aa6da")
    );
}
