//! The wire format of every ELMA RPA operation: method, path, headers and JSON body, with
//! `auth_tkn` checked and then redacted; and the documented requests byte for byte.

use elma_rpa::Client;
use elma_rpa::types::{
    NewTask, RepositoryActualRequest, RepositoryContextRequest, RepositoryFindRequest,
    TaskCreateRequest, TaskDownloadRequest, TaskIdRequest,
};
use futures::TryStreamExt;
use serde_json::{Value, json};
use workspace_tests::capture::{Canned, CaptureServer, Captured, CapturedBody};

const AUTH_TKN: &str = "5d5ec66f-357d-4c2d-bbc1-2012278d2361";

async fn server() -> (CaptureServer, Client) {
    server_answering(json!({"status": 200, "task": {"id": 955}, "process": {"uuid": "p"}})).await
}

async fn server_answering(answer: Value) -> (CaptureServer, Client) {
    let server = CaptureServer::start(Canned::json(200, &answer)).await;
    let client = Client::builder(&server.base_url)
        .auth_token(AUTH_TKN)
        .build()
        .expect("valid client");
    (server, client)
}

fn redacted(server: &CaptureServer) -> Captured {
    let mut request = server.only_request();
    request.redact_body_field("auth_tkn", AUTH_TKN);
    request
}

fn seed(name: &str) -> Value {
    let path = workspace_tests::workspace_root()
        .join("crates/elma-rpa/tests/fixtures")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON")
}

fn body(request: &Captured) -> Value {
    match &request.body {
        Some(CapturedBody::Json(json)) => json.clone(),
        other => panic!("not a JSON body: {other:?}"),
    }
}

#[tokio::test]
async fn task_create() {
    let (server, client) = server().await;
    let seed_request = seed("task-create-request");
    let ctx = seed_request["task"]["ctx"]
        .as_str()
        .expect("ctx")
        .to_owned();
    client
        .task_create()
        .body(
            TaskCreateRequest::builder().task(
                NewTask::builder()
                    .process(
                        "c39f99de-cb8f-4661-a206-b282a4830cbf"
                            .parse::<uuid::Uuid>()
                            .expect("uuid"),
                    )
                    .version(0)
                    .ctx(ctx),
            ),
        )
        .send()
        .await
        .expect("sent");
    let request = server.only_request();
    assert_eq!(
        body(&request),
        seed_request,
        "the documented create request"
    );
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn task_status() {
    let (server, client) = server().await;
    client
        .task_status()
        .body(TaskIdRequest::builder().id(955))
        .send()
        .await
        .expect("sent");
    let mut documented = seed("task-status-request");
    documented["auth_tkn"] = json!(AUTH_TKN);
    assert_eq!(body(&server.only_request()), documented);
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn task_cancel() {
    let (server, client) = server().await;
    client
        .task_cancel()
        .body(TaskIdRequest::builder().id(955))
        .send()
        .await
        .expect("sent");
    let mut documented = seed("task-cancel-request");
    documented["auth_tkn"] = json!(AUTH_TKN);
    assert_eq!(body(&server.only_request()), documented);
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn task_download() {
    let server = CaptureServer::start(Canned {
        status: 200,
        content_type: "application/octet-stream",
        body: b"file contents\n".to_vec(),
    })
    .await;
    let client = Client::builder(&server.base_url)
        .auth_token(AUTH_TKN)
        .build()
        .expect("valid client");
    let file = client
        .task_download()
        .body(
            TaskDownloadRequest::builder()
                .taskid(717)
                .filename("12.txt"),
        )
        .send()
        .await
        .expect("sent");
    let chunks: Vec<_> = file
        .into_inner()
        .into_inner()
        .try_collect()
        .await
        .expect("body");
    assert_eq!(chunks.concat(), b"file contents\n");
    let mut documented = seed("task-download-request");
    documented["auth_tkn"] = json!(AUTH_TKN);
    assert_eq!(body(&server.only_request()), documented);
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn repository_actual() {
    let (server, client) =
        server_answering(json!({"status": 200, "total": 1, "process": [{"uuid": "p"}]})).await;
    client
        .repository_actual()
        .body(RepositoryActualRequest::builder().page(1).limit(50))
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn repository_find() {
    let (server, client) = server().await;
    client
        .repository_find()
        .body(
            RepositoryFindRequest::builder()
                .token(
                    "c39f99de-cb8f-4661-a206-b282a4830cbf"
                        .parse::<uuid::Uuid>()
                        .expect("uuid"),
                )
                .version(0),
        )
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn repository_context() {
    let (server, client) = server().await;
    client
        .repository_context()
        .body(
            RepositoryContextRequest::builder().uuid(
                "6e01adcb-de15-475f-86fa-b5d3a78a2d14"
                    .parse::<uuid::Uuid>()
                    .expect("uuid"),
            ),
        )
        .send()
        .await
        .expect("sent");
    insta::assert_yaml_snapshot!(redacted(&server));
}

#[tokio::test]
async fn the_token_never_shows_in_debug_output() {
    let (_server, client) = server().await;
    let printed = format!("{client:?}");
    assert!(!printed.contains(AUTH_TKN), "{printed}");
    assert!(printed.contains("auth_tkn"), "{printed}");
}

/// A proxy's HTML page with an error status is refused before decoding, keeping the
/// status, `Retry-After` and the start of the page.
#[tokio::test]
async fn an_html_error_page_keeps_its_status_and_a_snippet() {
    let server = CaptureServer::start(Canned {
        status: 503,
        content_type: "text/html",
        body: b"<html><body><h1>503 Service Unavailable</h1></body></html>".to_vec(),
    })
    .await;
    let client = Client::builder(&server.base_url)
        .auth_token(AUTH_TKN)
        .build()
        .expect("valid client");
    let error = client
        .task_status()
        .body(TaskIdRequest::builder().id(955))
        .send()
        .await
        .expect_err("503");
    let progenitor_client::Error::Custom(message) = error else {
        panic!("expected the hook's refusal, got {error:?}");
    };
    assert_eq!(
        jobstatus_runtime::ResponseFailure::from_message(&message),
        Some(jobstatus_runtime::ResponseFailure::NotJson {
            status: 503,
            retry_after: None,
            snippet: "<html><body><h1>503 Service Unavailable</h1></body></html>".to_owned(),
        })
    );
}

/// The documented error body still decodes into the operation's error type.
#[tokio::test]
async fn a_json_error_body_decodes_into_the_error_type() {
    let server = CaptureServer::start(Canned::json(
        403,
        &json!({"status": 403, "ErrorMessage": "system is locked"}),
    ))
    .await;
    let client = Client::builder(&server.base_url)
        .auth_token(AUTH_TKN)
        .build()
        .expect("valid client");
    let error = client
        .task_status()
        .body(TaskIdRequest::builder().id(955))
        .send()
        .await
        .expect_err("403");
    let progenitor_client::Error::ErrorResponse(response) = error else {
        panic!("expected the typed error, got {error:?}");
    };
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(response.error_message.as_deref(), Some("system is locked"));
}

/// A download, the one streamed answer, has a cap of its own: the JSON cap does not apply
/// to it, and the caller sets it.
#[tokio::test]
async fn a_download_stops_at_its_own_cap() {
    let server = CaptureServer::start(Canned {
        status: 200,
        content_type: "application/octet-stream",
        body: vec![b'x'; 4096],
    })
    .await;
    let download = |limit| {
        let client = Client::builder(&server.base_url)
            .auth_token(AUTH_TKN)
            .body_limit(16)
            .download_limit(limit)
            .build()
            .expect("valid client");
        async move {
            let file = client
                .task_download()
                .body(
                    TaskDownloadRequest::builder()
                        .taskid(717)
                        .filename("12.txt"),
                )
                .send()
                .await
                .expect("sent");
            file.into_inner()
                .into_inner()
                .try_collect::<Vec<_>>()
                .await
                .map(|chunks| chunks.concat().len())
        }
    };
    assert_eq!(download(4096).await.expect("within the cap"), 4096);
    let error = download(1000).await.expect_err("over the cap");
    assert_eq!(
        jobstatus_runtime::BodyTooLarge::find(&error),
        Some(&jobstatus_runtime::BodyTooLarge {
            status: 200,
            limit: 1000
        })
    );
}

/// A body over the limit is refused whole instead of decoded from a prefix.
#[tokio::test]
async fn a_huge_body_is_refused() {
    let mut body = b"{\"status\":200,\"task\":{\"id\":1,\"log\":\"".to_vec();
    body.resize(jobstatus_runtime::BODY_LIMIT + 10, b'x');
    let server = CaptureServer::start(Canned {
        status: 200,
        content_type: "application/json",
        body,
    })
    .await;
    let client = Client::builder(&server.base_url)
        .auth_token(AUTH_TKN)
        .build()
        .expect("valid client");
    let error = client
        .task_status()
        .body(TaskIdRequest::builder().id(1))
        .send()
        .await
        .expect_err("too large");
    let progenitor_client::Error::ResponseBodyError(error) = error else {
        panic!("expected reading the body to fail, got {error:?}");
    };
    assert_eq!(
        jobstatus_runtime::BodyTooLarge::find(&error),
        Some(&jobstatus_runtime::BodyTooLarge {
            status: 200,
            limit: jobstatus_runtime::BODY_LIMIT
        })
    );
}
