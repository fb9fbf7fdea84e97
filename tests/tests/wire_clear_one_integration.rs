//! The wire format of every Clear One Integration operation: method, path, query, headers
//! (both keys checked, then redacted) and body.

use clear_one_integration::Client;
use clear_one_integration::types::{FileInfo, IngestRequest};
use serde_json::{Value, json};
use workspace_tests::capture::{Canned, CaptureServer, Captured};

const AUTH_TOKEN: &str = "clear-access-token-81c2";
const INTEGRATION_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

async fn server_answering(answer: Value) -> (CaptureServer, Client) {
    let server = CaptureServer::start(Canned::json(200, &answer)).await;
    let client = Client::builder(&server.base_url)
        .auth_token(AUTH_TOKEN)
        .integration_id(INTEGRATION_ID)
        .build()
        .expect("keys");
    (server, client)
}

fn redacted(server: &CaptureServer) -> Captured {
    let mut request = server.only_request();
    request
        .redact_header("x-clear-auth-token", AUTH_TOKEN)
        .redact_header("x-integration-id", INTEGRATION_ID);
    request
}

fn envelope(result: Value) -> Value {
    json!({"status": 200, "success": true, "message": "ok", "result": result, "error": null, "metadata": null})
}

#[tokio::test]
async fn get_pre_sign_url() {
    let (server, client) = server_answering(envelope(json!({"status": "OK"}))).await;
    client
        .get_pre_sign_url()
        .filename("purchases 2026.csv")
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn create_ingestion() {
    let (server, client) =
        server_answering(envelope(json!({"taskId": "6988a3bc2e0e5e3c6c9aa6da"}))).await;
    let file: FileInfo = FileInfo::builder()
        .upload_url("https://storage.clear.in/v1/ap-south-1/purchases.csv")
        .file_type("purchase")
        .filename("purchases.csv".to_owned())
        .try_into()
        .expect("valid file info");
    client
        .create_ingestion()
        .body(
            IngestRequest::builder()
                .file_info(vec![file])
                .template_type("PURCHASE"),
        )
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn get_workflow_status() {
    let (server, client) = server_answering(envelope(json!({
        "taskId": "6988a3bc2e0e5e3c6c9aa6da",
        "workflowStatus": "PROCESSING",
        "activityStatusList": null
    })))
    .await;
    client
        .get_workflow_status()
        .task_id("6988a3bc2e0e5e3c6c9aa6da")
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}
