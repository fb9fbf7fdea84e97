//! The wire format of every GA4GH WES operation: method, path, query, headers and body,
//! with the token checked and then redacted. The `multipart/form-data` body of a
//! submission is snapshotted part by part, with its random boundary checked and replaced.

use std::collections::BTreeMap;

use ga4gh_wes::{Attachment, Auth, Client};
use serde::Serialize;
use serde_json::{Value, json};
use workspace_tests::capture::{Canned, CaptureServer, Captured, CapturedBody, REDACTED};

const TOKEN: &str = "wes-bearer-token-0d5f";
const SBG_TOKEN: &str = "55e9691c111146bd384c5ec40a9f97fb1";
const RUN_ID: &str = "322b49ffae04439f9b35474a1166ef65";

fn fixture(name: &str) -> Value {
    let path = workspace_tests::workspace_root()
        .join("crates/ga4gh-wes/tests/fixtures")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON")
}

/// A capture server answering with the reference server's `fixture`, and a client of it
/// that sends a bearer token.
async fn server(fixture_name: &str) -> (CaptureServer, Client) {
    let answer = fixture(&format!("reference-server/{fixture_name}.json"));
    let server = CaptureServer::start(Canned::json(200, &answer)).await;
    let client = Client::builder(base_url(&server))
        .auth(Auth::Bearer(TOKEN.into()))
        .build()
        .expect("valid token");
    (server, client)
}

fn base_url(server: &CaptureServer) -> String {
    format!("{}/ga4gh/wes/v1", server.base_url)
}

fn redacted(server: &CaptureServer) -> Captured {
    let mut request = server.only_request();
    request.redact_header("authorization", &format!("Bearer {TOKEN}"));
    request
}

#[tokio::test]
async fn get_service_info() {
    let (server, client) = server("service-info").await;
    client.get_service_info().send().await.expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn list_runs() {
    let (server, client) = server("run-list").await;
    client
        .list_runs()
        .page_size(50)
        .page_token("page 2/of:3")
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn get_run_log() {
    let (server, client) = server("run-log-complete").await;
    client
        .get_run_log()
        .run_id(RUN_ID)
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn get_run_status() {
    let (server, client) = server("run-status-complete").await;
    client
        .get_run_status()
        .run_id(RUN_ID)
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

/// The request of the Seven Bridges status example, with its `X-SBG-Auth-Token`.
#[tokio::test]
async fn get_run_status_with_a_seven_bridges_token() {
    let server = CaptureServer::start(Canned::json(
        200,
        &json!({"state": "COMPLETE", "run_id": "40a9c1a6-9263-4982-a574-e494f7c4b621"}),
    ))
    .await;
    let client = Client::builder(base_url(&server))
        .auth(Auth::SevenBridges(SBG_TOKEN.into()))
        .build()
        .expect("valid token");
    client
        .get_run_status()
        .run_id("40a9c1a6-9263-4982-a574-e494f7c4b621")
        .send()
        .await
        .expect("sent");
    let mut request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        (
            "GET",
            "/ga4gh/wes/v1/runs/40a9c1a6-9263-4982-a574-e494f7c4b621/status"
        ),
        "the documented request line"
    );
    assert!(!request.headers.contains_key("authorization"));
    request.redact_header("x-sbg-auth-token", SBG_TOKEN);
    insta::assert_yaml_snapshot!(request);
}

#[tokio::test]
async fn cancel_run() {
    let (server, client) = server("cancel-running").await;
    client
        .cancel_run()
        .run_id(RUN_ID)
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn list_tasks() {
    let server = CaptureServer::start(Canned::json(
        200,
        &json!({"task_logs": [], "next_page_token": ""}),
    ))
    .await;
    let client = Client::builder(base_url(&server))
        .auth(Auth::Bearer(TOKEN.into()))
        .build()
        .expect("valid token");
    client
        .list_tasks()
        .run_id(RUN_ID)
        .page_size(10)
        .page_token("t-2")
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn get_task() {
    let server =
        CaptureServer::start(Canned::json(200, &json!({"id": "step 1", "name": "echo"}))).await;
    let client = Client::builder(base_url(&server))
        .auth(Auth::Bearer(TOKEN.into()))
        .build()
        .expect("valid token");
    client
        .get_task()
        .run_id(RUN_ID)
        .task_id("step 1")
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

/// A submission as the capture in the fixtures' NOTES.md made it with curl: params, type,
/// version, tags and the workflow attached from its path.
#[tokio::test]
async fn run_workflow() {
    let (server, client) = server("run-id").await;
    let echo = workspace_tests::workspace_root()
        .join("crates/ga4gh-wes/tests/fixtures/workflows/echo.cwl");
    let run = client
        .run_workflow()
        .workflow_url("echo.cwl")
        .workflow_type("CWL")
        .workflow_type_version("v1.0")
        .workflow_params(&json!({"message": "hello from WES"}))
        .tag("purpose", "fixture")
        .attachment(Attachment::from_path("echo.cwl", echo))
        .send()
        .await
        .expect("sent")
        .into_inner();
    assert_eq!(run.run_id.as_deref(), Some(RUN_ID));
    insta::assert_yaml_snapshot!(multipart(redacted(&server)));
}

/// Every field of a submission, and attachments given as bytes under subfolders.
#[tokio::test]
async fn run_workflow_with_every_field() {
    #[derive(Serialize)]
    struct Params {
        message: &'static str,
        count: u32,
        input: Value,
    }
    let (server, client) = server("run-id").await;
    client
        .run_workflow()
        .workflow_url("main.cwl")
        .workflow_type("CWL")
        .workflow_type_version("v1.2")
        .workflow_params(&Params {
            message: "typed params",
            count: 2,
            input: json!({"class": "File", "location": "inputs/data.txt"}),
        })
        .tag("purpose", "wire")
        .tag("owner", "lab 7")
        .workflow_engine_parameters(&json!({"--parallel": true}))
        .workflow_engine("cwltool")
        .workflow_engine_version("3.3.20260925135507")
        .attachment(Attachment::from_bytes(
            "main.cwl",
            "cwlVersion: v1.2\nclass: Workflow\n",
        ))
        .attachment(Attachment::from_bytes(
            "inputs/data.txt",
            "line one\nline two\n",
        ))
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(multipart(redacted(&server)));
}

/// A captured multipart request, with the boundary replaced and the body split into parts.
#[derive(Debug, Serialize)]
struct Multipart {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: BTreeMap<String, String>,
    parts: Vec<FormPart>,
}

/// One part: its header lines and its content.
#[derive(Debug, Serialize)]
struct FormPart {
    headers: Vec<String>,
    content: String,
}

const BOUNDARY: &str = "[boundary]";

/// Splits the body on the boundary named in `content-type`, checking the framing, and
/// checks that the parts put back together give the body byte for byte.
fn multipart(mut request: Captured) -> Multipart {
    let content_type = request
        .headers
        .get("content-type")
        .cloned()
        .unwrap_or_default();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"))
        .to_owned();
    assert!(
        boundary.len() >= 16
            && boundary
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "boundary {boundary:?}"
    );
    request.headers.insert(
        "content-type".to_owned(),
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    let Some(CapturedBody::Text(body)) = request.body.take() else {
        panic!("no multipart body: {:?}", request.body);
    };
    assert!(!body.contains(REDACTED));
    let delimiter = format!("--{boundary}");
    let rest = body
        .strip_prefix(&format!("{delimiter}\r\n"))
        .expect("the body starts with the boundary");
    let rest = rest
        .strip_suffix(&format!("\r\n{delimiter}--\r\n"))
        .expect("the body ends with the closing boundary");
    let parts: Vec<FormPart> = rest
        .split(&format!("\r\n{delimiter}\r\n"))
        .map(|part| {
            let (headers, content) = part.split_once("\r\n\r\n").expect("headers, blank line");
            FormPart {
                headers: headers.split("\r\n").map(str::to_owned).collect(),
                content: content.to_owned(),
            }
        })
        .collect();
    let rebuilt: String = parts
        .iter()
        .map(|part| {
            format!(
                "{delimiter}\r\n{}\r\n\r\n{}\r\n",
                part.headers.join("\r\n"),
                part.content
            )
        })
        .chain([format!("{delimiter}--\r\n")])
        .collect();
    assert_eq!(rebuilt, body, "the parts are the whole body");
    Multipart {
        method: request.method,
        path: request.path,
        query: request.query,
        headers: request.headers,
        parts,
    }
}
