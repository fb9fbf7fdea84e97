//! The generated Clear One Integration client against the capture server: what it sends
//! (method, path, query, the two auth headers, body) and how it reads the answers, errors
//! included.

use clear_one_integration::types::{
    ActivityStatus, FileInfo, IngestRequest, WorkflowStatus, WorkflowStatusResponse,
};
use clear_one_integration::{Client, Error};
use serde_json::{Value, json};
use workspace_tests::capture::{Canned, CaptureServer, Captured};

const AUTH_TOKEN: &str = "clear-auth-token-9c1e";
const INTEGRATION_ID: &str = "3f0c9a5e-1d2b-4c6a-8e7f-90a1b2c3d4e5";

fn fixture(name: &str) -> String {
    let path = workspace_tests::workspace_root()
        .join("crates/clear-one-integration/tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Answers like Clear would, by path and query; unknown tasks get the documented 404 envelope.
fn answer(request: &Captured) -> Canned {
    let authorized = request.headers.contains_key("x-clear-auth-token")
        && request.headers.contains_key("x-integration-id");
    if !authorized {
        return Canned::json(
            403,
            &json!({
                "status": 403, "success": false, "message": "User not authorized",
                "result": null, "error": { "code": "403", "message": "Forbidden", "validationErrors": null },
                "metadata": null
            }),
        );
    }
    match (
        request.method.as_str(),
        request.path.as_str(),
        request.raw_query.as_deref(),
    ) {
        ("GET", "/one-integration/workflow/status", Some("taskId=6988a3bc2e0e5e3c6c9aa6da")) => {
            Canned::json_bytes(200, fixture("status-processing.json"))
        }
        ("GET", "/one-integration/workflow/status", Some("taskId=6988c9f8b359874b346bbe9c")) => {
            Canned::json_bytes(200, fixture("status-activity-failed.json"))
        }
        ("GET", "/one-integration/workflow/status", _) => {
            Canned::json_bytes(404, fixture("status-not-found.json"))
        }
        ("GET", "/one-integration/action/pre-sign", _) => Canned::json(
            200,
            &json!({
                "status": 200, "success": true, "message": "generated pre-sign url successfully",
                "result": { "status": "OK", "payload": "https://storage.clear.in/v1/ap-south-1/u/purchases.csv?sig=1" },
                "error": null, "metadata": null
            }),
        ),
        ("POST", "/one-integration/api/v1/ingest", _) => Canned::json(
            200,
            &json!({
                "status": 200, "success": true, "message": "Ingestion created",
                "result": { "taskId": "6988c9f8b359874b346bbe9c" },
                "error": null, "metadata": null
            }),
        ),
        _ => Canned::json_bytes(500, "{}"),
    }
}

/// The client's base URL and the server behind it.
async fn serve() -> (String, CaptureServer) {
    let server = CaptureServer::start_with(answer).await;
    (server.base_url.clone(), server)
}

fn assert_authenticated(seen: &Captured) {
    assert_eq!(seen.header("x-clear-auth-token"), Some(AUTH_TOKEN));
    assert_eq!(seen.header("x-integration-id"), Some(INTEGRATION_ID));
}

#[tokio::test]
async fn the_whole_flow_sends_what_the_documentation_asks() {
    let (baseurl, server) = serve().await;
    let client = Client::builder(&baseurl)
        .auth_token(AUTH_TOKEN)
        .integration_id(INTEGRATION_ID)
        .build()
        .expect("valid keys");

    let pre_sign = client
        .get_pre_sign_url()
        .filename("purchases.csv")
        .send()
        .await
        .expect("pre-sign")
        .into_inner();
    let upload_url = pre_sign
        .result
        .and_then(|result| result.payload)
        .expect("upload URL");

    let file: FileInfo = FileInfo::builder()
        .upload_url(upload_url.as_str())
        .file_type("purchase")
        .try_into()
        .expect("valid file");
    let ingestion = client
        .create_ingestion()
        .body(
            IngestRequest::builder()
                .file_info(vec![file])
                .template_type("PURCHASE"),
        )
        .send()
        .await
        .expect("ingestion")
        .into_inner();
    let task_id = ingestion
        .result
        .and_then(|result| result.task_id)
        .expect("task id");

    let status = client
        .get_workflow_status()
        .task_id(task_id.as_str())
        .send()
        .await
        .expect("status")
        .into_inner();
    let result = status.result.expect("result");
    assert_eq!(result.workflow_status, WorkflowStatus::Failed);
    let activities = result.activity_status_list.expect("activities");
    assert_eq!(activities[0].status, ActivityStatus::Failure);

    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    seen.iter().for_each(assert_authenticated);

    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].path, "/one-integration/action/pre-sign");
    assert_eq!(seen[0].raw_query.as_deref(), Some("filename=purchases.csv"));

    assert_eq!(seen[1].method, "POST");
    assert_eq!(seen[1].path, "/one-integration/api/v1/ingest");
    assert_eq!(seen[1].header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_slice(&seen[1].raw_body).expect("JSON body");
    assert_eq!(
        body,
        json!({
            "fileInfo": [{
                "uploadUrl": "https://storage.clear.in/v1/ap-south-1/u/purchases.csv?sig=1",
                "fileType": "purchase"
            }],
            "templateType": "PURCHASE"
        })
    );

    assert_eq!(seen[2].method, "GET");
    assert_eq!(seen[2].path, "/one-integration/workflow/status");
    assert_eq!(
        seen[2].raw_query.as_deref(),
        Some("taskId=6988c9f8b359874b346bbe9c")
    );
}

#[tokio::test]
async fn a_task_in_progress_reads_as_processing() {
    let (baseurl, _server) = serve().await;
    let client = Client::builder(&baseurl)
        .auth_token(AUTH_TOKEN)
        .integration_id(INTEGRATION_ID)
        .build()
        .expect("valid keys");
    let status: WorkflowStatusResponse = client
        .get_workflow_status()
        .task_id("6988a3bc2e0e5e3c6c9aa6da")
        .send()
        .await
        .expect("status")
        .into_inner();
    let result = status.result.expect("result");
    assert_eq!(result.workflow_status, WorkflowStatus::Processing);
    assert_eq!(result.activity_status_list, None);
}

#[tokio::test]
async fn an_unknown_task_is_the_typed_error_envelope() {
    let (baseurl, server) = serve().await;
    let client = Client::builder(&baseurl)
        .auth_token(AUTH_TOKEN)
        .integration_id(INTEGRATION_ID)
        .build()
        .expect("valid keys");
    match client
        .get_workflow_status()
        .task_id("invalid-task-id")
        .send()
        .await
    {
        Err(Error::ErrorResponse(answer)) => {
            assert_eq!(answer.status(), 404);
            let envelope = answer.into_inner();
            assert_eq!(envelope.success, Some(false));
            assert_eq!(envelope.result, None);
            let error = envelope.error.expect("error");
            assert_eq!(error.code.as_deref(), Some("404"));
            assert_eq!(error.message.as_deref(), Some("No Such Element Found"));
        }
        other => panic!("expected the error envelope, got {other:?}"),
    }
    assert_eq!(
        server.requests()[0].raw_query.as_deref(),
        Some("taskId=invalid-task-id")
    );
}

#[tokio::test]
async fn an_empty_task_id_is_refused_before_sending() {
    let (baseurl, server) = serve().await;
    let client = Client::builder(&baseurl)
        .auth_token(AUTH_TOKEN)
        .integration_id(INTEGRATION_ID)
        .build()
        .expect("valid keys");
    let outcome = client.get_workflow_status().task_id("").send().await;
    assert!(
        matches!(outcome, Err(Error::InvalidRequest(_))),
        "{outcome:?}"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn a_client_is_not_built_without_both_keys() {
    let error = Client::builder("http://127.0.0.1:9")
        .auth_token(AUTH_TOKEN)
        .build()
        .expect_err("no integration id");
    assert!(
        matches!(
            error,
            clear_one_integration::BuildError::MissingCredential {
                name: "x-integration-id"
            }
        ),
        "{error}"
    );
    assert!(!format!("{error} {error:?}").contains(AUTH_TOKEN));
}

#[test]
fn keys_are_never_printed_and_bad_keys_are_refused() {
    let client = Client::builder("http://127.0.0.1:9")
        .auth_token(AUTH_TOKEN)
        .integration_id(INTEGRATION_ID)
        .build()
        .expect("valid");
    let printed = format!("{client:?}");
    assert!(
        !printed.contains(AUTH_TOKEN) && !printed.contains(INTEGRATION_ID),
        "{printed}"
    );
    assert!(printed.contains("x-clear-auth-token") && printed.contains("x-integration-id"));

    let error = Client::builder("http://127.0.0.1:9")
        .auth_token("token")
        .integration_id("id\r\nx-evil: 1")
        .build()
        .expect_err("a line break is not a header value");
    assert!(error.to_string().contains("x-integration-id"), "{error}");
    assert!(!error.to_string().contains("x-evil"), "{error}");
    assert!(
        Client::builder("http://127.0.0.1:9")
            .auth_token("token")
            .integration_id("id")
            .reqwest(reqwest::Client::builder())
            .build()
            .is_ok()
    );
}
