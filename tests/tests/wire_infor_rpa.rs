//! The wire format of every Infor RPA operation: method, path, query, headers (the bearer
//! token checked, then redacted) and body.

use infor_rpa::Client;
use infor_rpa::types::ExecuteJobRequest;
use serde_json::{Value, json};
use workspace_tests::capture::{Canned, CaptureServer, Captured};

const TOKEN: &str = "ion-access-token-4f2a";

async fn server_answering(answer: Value) -> (CaptureServer, Client) {
    let server = CaptureServer::start(Canned::json(200, &answer)).await;
    let base = format!("{}/ACME_PRD/RPA", server.base_url);
    let client = Client::builder(&base)
        .bearer_token(TOKEN)
        .build()
        .expect("valid token");
    (server, client)
}

fn redacted(server: &CaptureServer) -> Captured {
    let mut request = server.only_request();
    request.redact_header("authorization", &format!("Bearer {TOKEN}"));
    request
}

#[tokio::test]
async fn list_jobs() {
    let (server, client) = server_answering(json!({"jobs": []})).await;
    client
        .list_jobs()
        .environment("default")
        .type_("Unattended")
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn get_job() {
    let (server, client) = server_answering(json!({"id": "job 7/a", "status": "running"})).await;
    let job = client.get_job().id("job 7/a").send().await.expect("sent");
    assert_eq!(job.id, "job 7/a");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn execute_job() {
    let (server, client) = server_answering(json!({"id": "run-1", "status": "not-started"})).await;
    let mut arguments = serde_json::Map::new();
    arguments.insert("InvoiceNumber".to_owned(), json!("INV-1"));
    client
        .execute_job()
        .id("job-7")
        .body(ExecuteJobRequest { arguments })
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn list_processes() {
    let (server, client) = server_answering(json!({"processes": []})).await;
    client
        .list_processes()
        .environment("default")
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}
