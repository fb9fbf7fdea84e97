//! A simulated Clear One Integration API: pre-sign, ingest and workflow status, each
//! answered in Clear's envelope.
//!
//! `ingest` creates a workflow with the server's default script ([`Server::set_script`])
//! and answers its task id; [`Server::add_job`] adds one with a script of its own. Each
//! status call counts as a poll. Scripted phases are answered `CREATED` (pending),
//! `PROCESSING`, `SUCCESS` (a PURCHASE ingestion that went through and a SALES one with a
//! partial success and its error report) and `FAILED` (the failed duplicate file of
//! Clear's example, with its messages). Phases Clear has no word for are sent as their
//! name in capitals, which clients read as an unlisted status.
//!
//! Clear's documents show two answers for an unknown task: the status table says
//! `result` is null (with HTTP 200), and the error example, for an id one character short
//! of a real one, is the 404 envelope. The simulator answers an id in its own form (a
//! number) that names no task the first way, and any other id the second.
//!
//! Every call needs `x-clear-auth-token` ([`AUTH_TOKEN`]) and `x-integration-id`
//! ([`INTEGRATION_ID`]); a call without them or with other values gets the 403 envelope.
//! A request the spec refuses gets the 406 envelope (a file name without a .csv, .xlsx,
//! .xls or .zip extension) or the 400 one (anything else).
//! Every answer, errors too, carries all six keys of the envelope. Clear has no cancel
//! operation.
//!
//! The pre-signed URLs point at the simulator itself, under [`UPLOAD_PATH`], where a `PUT`
//! of the file (with no Clear headers, as to object storage) is answered 200, so a client
//! can go through all of Clear's steps: pre-sign, upload, ingest, status.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Response};
use axum::routing::{get, post, put};
use clear_one_integration::BuildError;
use clear_one_integration::types::{
    Activity, ActivityStage, ActivityStatus, ErrorDetail, ErrorEnvelope, GetPreSignUrlFilename,
    IngestRequest, IngestResponse, IngestResult, PreSignResponse, PreSignResult, WorkflowStatus,
    WorkflowStatusResponse, WorkflowStatusResult,
};

use jobstatus_runtime::Sent;

use super::Server;
use super::server::{Shared, altered, json, replacement, simulator_server, typed, unrouted};
use crate::Phase;

/// The `x-clear-auth-token` [`client`](ClearOneIntegrationSimulator::client) sends and the
/// simulator takes.
pub const AUTH_TOKEN: &str = "simulated-clear-auth-token";

/// The `x-integration-id` [`client`](ClearOneIntegrationSimulator::client) sends and the simulator
/// takes.
pub const INTEGRATION_ID: &str = "0f8a3c6e-2d4b-4f57-9a3e-6b1c7d2e9f40";

const STORAGE: &str = "https://storage.clear.in/v1/ap-south-1/one-integration";

/// The path below the simulator's base URL that its pre-signed upload URLs point at.
pub const UPLOAD_PATH: &str = "/storage/v1/ap-south-1/one-integration";
const DUPLICATE_FILE: &str = "This is a duplicate file. Data import for this file is already \
                              in progress. Please refer import history section for more details.";

/// A simulated Clear One Integration API on 127.0.0.1; it stops when dropped.
///
/// Dereferences to its [`Server`] for scripts, faults and the request log.
#[derive(Debug)]
pub struct ClearOneIntegrationSimulator {
    server: Server,
}

simulator_server!(ClearOneIntegrationSimulator);

impl ClearOneIntegrationSimulator {
    /// Starts a simulated Clear One Integration API on 127.0.0.1.
    pub async fn start() -> Self {
        let router = Router::new()
            .route("/one-integration/action/pre-sign", get(pre_sign))
            .route("/one-integration/api/v1/ingest", post(ingest))
            .route("/one-integration/workflow/status", get(workflow_status))
            .route(&format!("{UPLOAD_PATH}/{{name}}"), put(upload));
        Self {
            server: Server::start(
                unrouted(router, |status, message| error(status, message, message)),
                Arc::default(),
            )
            .await,
        }
    }

    /// A Clear One Integration client for this simulator that sends [`AUTH_TOKEN`] and
    /// [`INTEGRATION_ID`].
    ///
    /// It has no timeouts, so it works under tokio's paused
    /// clock; a delay fault is then seen in full.
    pub fn client(&self) -> clear_one_integration::Client {
        self.client_with_keys(AUTH_TOKEN, INTEGRATION_ID)
            .expect("AUTH_TOKEN and INTEGRATION_ID are valid header values")
    }

    /// As [`Self::client`], sending `auth_token` and `integration_id` instead, to
    /// see how refused keys are handled.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidCredential`] when a value cannot be sent as an HTTP header
    /// value.
    pub fn client_with_keys(
        &self,
        auth_token: &str,
        integration_id: &str,
    ) -> Result<clear_one_integration::Client, BuildError> {
        clear_one_integration::Client::builder(self.base_url())
            .auth_token(auth_token)
            .integration_id(integration_id)
            .timeout(None)
            .connect_timeout(None)
            .build()
    }
}

/// A JSON answer in which each key of Clear's envelope, and of its error, is present, null
/// when it has no value, as Clear writes them.
fn envelope(status: u16, body: &impl serde::Serialize) -> Response<Body> {
    use serde_json::Value;
    let mut value = serde_json::to_value(body).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        for key in [
            "status", "success", "message", "result", "error", "metadata",
        ] {
            object.entry(key).or_insert(Value::Null);
        }
        if let Some(Value::Object(error)) = object.get_mut("error") {
            error.entry("validationErrors").or_insert(Value::Null);
        }
    }
    json(status, &value)
}

/// The error envelope: `message` says what happened, `detail` goes in `error.message`.
fn error(status: u16, message: &str, detail: &str) -> Response<Body> {
    envelope(
        status,
        &ErrorEnvelope {
            status: Some(i32::from(status)),
            success: Some(false),
            message: Some(message.to_owned()),
            result: None,
            error: Some(ErrorDetail {
                code: Some(status.to_string()),
                message: Some(detail.to_owned()),
                validation_errors: None,
            }),
            metadata: None,
        },
    )
}

fn simulated_failure(status: u16) -> Response<Body> {
    error(status, "simulated failure", "simulated failure")
}

fn bad_request(message: &str) -> Response<Body> {
    error(400, message, "Bad Request")
}

/// The 403 envelope when either key is missing or not the simulator's.
fn refusal(headers: &HeaderMap) -> Option<Response<Body>> {
    let given = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let accepted = given("x-clear-auth-token") == Some(AUTH_TOKEN)
        && given("x-integration-id") == Some(INTEGRATION_ID);
    (!accepted).then(|| error(403, "User not authorized", "User not authorized"))
}

#[derive(serde::Deserialize)]
struct PreSignQuery {
    filename: String,
}

#[derive(serde::Deserialize)]
struct StatusQuery {
    #[serde(rename = "taskId")]
    task_id: String,
}

async fn pre_sign(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    query: Result<Query<PreSignQuery>, QueryRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let Query(PreSignQuery { filename }) = match query {
        Ok(query) => query,
        Err(rejection) => return bad_request(&rejection.body_text()),
    };
    // The spec's pattern: a .csv, .xlsx, .xls or .zip extension, in any case.
    if filename.parse::<GetPreSignUrlFilename>().is_err() {
        let message = format!("{filename} is not a .csv, .xlsx, .xls or .zip file");
        return error(406, &message, "Not Acceptable");
    }
    let fault = shared.serve("get_pre_sign_url", None);
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    // The name goes into the URL with only the characters a path takes as they are.
    let name: String = filename
        .chars()
        .map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '.' | '-' | '_' => c,
            _ => '_',
        })
        .collect();
    // Uploads go to this simulator, at the address the client reached it by.
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|host| host.to_str().ok())
        .or(uri.authority().map(|a| a.as_str()))
        .unwrap_or("127.0.0.1");
    let storage = format!("http://{host}{UPLOAD_PATH}");
    altered(fault, |_| {
        envelope(
            200,
            &PreSignResponse {
                status: 200,
                success: true,
                message: Some("generated pre-sign url successfully".to_owned()),
                result: Some(PreSignResult {
                    status: Some("OK".to_owned()),
                    payload: Some(format!(
                        "{storage}/{name}?X-Amz-Expires=600&X-Amz-Signature=simulated"
                    )),
                    extra: serde_json::Map::new(),
                }),
                error: None,
                metadata: None,
            },
        )
    })
    .await
}

/// A file put to a pre-signed URL: object storage answers 200 with no body, and takes no
/// Clear headers.
async fn upload(
    State(shared): State<Arc<Shared>>,
    axum::extract::Path(name): axum::extract::Path<String>,
    file: Body,
) -> Response<Body> {
    // Read to the end before answering, as object storage does (answering first would
    // close the connection under a client still sending); nothing of it is kept.
    let mut chunks = file.into_data_stream();
    while let Some(Ok(_)) = futures::StreamExt::next(&mut chunks).await {}
    let fault = shared.serve("upload", Some(&name));
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    altered(fault, |_| super::server::respond(200, "text/plain", "")).await
}

async fn ingest(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let request: IngestRequest = match body {
        Ok(Json(body)) => match typed(body) {
            Ok(request) => request,
            Err(message) => return bad_request(&message),
        },
        Err(rejection) => return bad_request(&rejection.body_text()),
    };
    if request.file_info.is_empty() {
        return bad_request("fileInfo must name at least one file");
    }
    let fault = shared.serve("create_ingestion", None);
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let id = shared.create();
    altered(fault, |_| {
        envelope(
            200,
            &IngestResponse {
                status: 200,
                success: true,
                message: Some(format!("Ingestion created successfully {id}")),
                result: Some(IngestResult {
                    task_id: Some(id),
                    extra: serde_json::Map::new(),
                }),
                error: None,
                metadata: None,
            },
        )
    })
    .await
}

async fn workflow_status(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let id = match query {
        Ok(Query(StatusQuery { task_id })) if !task_id.is_empty() => task_id,
        Ok(_) => return bad_request("taskId must not be empty"),
        Err(rejection) => return bad_request(&rejection.body_text()),
    };
    let fault = shared.serve("get_workflow_status", Some(&id));
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let Some(phase) = shared.poll(&id) else {
        return unknown_task(&id);
    };
    altered(fault, |state| {
        status_envelope(
            format!("Status fetched successfully {id}"),
            Some(result(&id, phase, state)),
        )
    })
    .await
}

fn status_envelope(message: String, result: Option<WorkflowStatusResult>) -> Response<Body> {
    envelope(
        200,
        &WorkflowStatusResponse {
            status: 200,
            success: true,
            message: Some(message),
            result,
            error: None,
            metadata: None,
        },
    )
}

fn unknown_task(id: &str) -> Response<Body> {
    let message = format!("No task found with taskId: {id}");
    if id.bytes().all(|b| b.is_ascii_digit()) {
        status_envelope(message, None)
    } else {
        error(404, &message, "No Such Element Found")
    }
}

fn scripted_status(phase: Phase) -> WorkflowStatus {
    match phase {
        Phase::Pending => WorkflowStatus::Created,
        Phase::Running => WorkflowStatus::Processing,
        Phase::Succeeded => WorkflowStatus::Success,
        Phase::Failed => WorkflowStatus::Failed,
        Phase::Cancelling | Phase::Cancelled | Phase::Unknown => {
            WorkflowStatus::from(phase.as_str().to_ascii_uppercase())
        }
    }
}

/// The workflow of task `id` in `phase`, with `state` in place of its status word.
fn result(id: &str, phase: Phase, state: Option<String>) -> WorkflowStatusResult {
    let ingestion = |n: u32, template: &str, status: ActivityStatus| Activity {
        stage: ActivityStage::Ingestion.into(),
        ingestion_template: Some(template.to_owned()),
        status: status.into(),
        error_report_pre_sign: None,
        error_message: None,
        activity_id: Some(format!("{id:0>28}{n:04}")),
    };
    let (activities, message) = match phase {
        Phase::Succeeded => (
            Some(vec![
                ingestion(1, "PURCHASE", ActivityStatus::Success),
                Activity {
                    error_report_pre_sign: Some(format!("{STORAGE}/{id}/SALES-errors.csv")),
                    ..ingestion(2, "SALES", ActivityStatus::PartialSuccess)
                },
            ]),
            None,
        ),
        Phase::Failed => (
            Some(vec![
                Activity {
                    error_message: Some(DUPLICATE_FILE.to_owned()),
                    ..ingestion(1, "PURCHASE", ActivityStatus::Failure)
                },
                ingestion(2, "PURCHASE", ActivityStatus::Success),
            ]),
            Some("Contact ClearTax support".to_owned()),
        ),
        _ => (None, None),
    };
    WorkflowStatusResult {
        task_id: id.to_owned(),
        activity_status_list: activities,
        workflow_status: state.map_or_else(|| scripted_status(phase).into(), |s| Sent::read(&s)),
        message,
        urls_to_notify: Some(Vec::new().into()),
        pre_signed_urls: Some(Vec::new().into()),
        generated_ur_ls: Some(Vec::new().into()),
    }
}

#[cfg(test)]
mod tests {
    use clear_one_integration::types::FileInfo;

    use super::*;
    use crate::simulator::Script;

    #[tokio::test]
    async fn pre_sign_then_ingest_creates_a_workflow() {
        let server = ClearOneIntegrationSimulator::start().await;
        server.set_script(Script::new(1, 0, Phase::Succeeded));
        let client = server.client();

        let signed = client.get_pre_sign_url().filename("sales june.csv").send();
        let signed = signed.await.expect("signed").into_inner();
        let url = signed.result.and_then(|r| r.payload).expect("a URL");
        let storage = format!("{}{UPLOAD_PATH}/", server.base_url());
        assert!(
            url.starts_with(&storage) && url.contains("/sales_june.csv?"),
            "{url}"
        );
        let put = reqwest::Client::new().put(&url).body("a,b\n1,2\n").send();
        assert_eq!(put.await.expect("uploaded").status(), 200);

        let request = IngestRequest {
            file_info: vec![FileInfo {
                upload_url: url.as_str().try_into().expect("not empty"),
                filename: Some("sales june.csv".to_owned()),
                file_type: "sales".to_owned(),
            }],
            metadata: serde_json::Map::new(),
            template_type: "SALES".try_into().expect("not empty"),
        };
        let created = client.create_ingestion().body(request).send().await;
        let task = created.expect("created").into_inner().result;
        let task = task.and_then(|r| r.task_id).expect("a task id");

        let status = |task: String| {
            let client = client.clone();
            async move {
                let response = client.get_workflow_status().task_id(task).send().await;
                response
                    .expect("a status")
                    .into_inner()
                    .result
                    .expect("a result")
            }
        };
        let first = status(task.clone()).await;
        assert_eq!(first.workflow_status, WorkflowStatus::Created);
        assert_eq!(first.activity_status_list, None);
        let second = status(task).await;
        assert_eq!(second.workflow_status, WorkflowStatus::Success);
    }

    #[tokio::test]
    async fn unknown_tasks_are_answered_both_documented_ways() {
        let server = ClearOneIntegrationSimulator::start().await;
        let http = reqwest::Client::new();
        let status = |task: &str| {
            http.get(format!(
                "{}/one-integration/workflow/status",
                server.base_url()
            ))
            .query(&[("taskId", task)])
            .header("x-clear-auth-token", AUTH_TOKEN)
            .header("x-integration-id", INTEGRATION_ID)
            .send()
        };

        let response = status("6988a3bc2e0e5e3c6c9aa6d").await.expect("answered");
        assert_eq!(response.status().as_u16(), 404);
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(
            body,
            serde_json::json!({
                "status": 404,
                "success": false,
                "message": "No task found with taskId: 6988a3bc2e0e5e3c6c9aa6d",
                "result": null,
                "error": {
                    "code": "404",
                    "message": "No Such Element Found",
                    "validationErrors": null
                },
                "metadata": null
            }),
            "the documentation's example"
        );

        let response = status("42").await.expect("answered");
        assert_eq!(response.status().as_u16(), 200);
        let body: WorkflowStatusResponse = response.json().await.expect("the status envelope");
        assert_eq!((body.status, body.result), (200, None));
    }

    #[tokio::test]
    async fn malformed_requests_get_clear_envelopes() {
        let server = ClearOneIntegrationSimulator::start().await;
        let http = reqwest::Client::new();
        let url = |path: &str| format!("{}/one-integration{path}", server.base_url());
        let keyed = |request: reqwest::RequestBuilder| {
            request
                .header("x-clear-auth-token", AUTH_TOKEN)
                .header("x-integration-id", INTEGRATION_ID)
        };
        let requests = [
            (http.get(url("/workflow/status?taskId=1")), 403),
            (
                http.get(url("/workflow/status?taskId=1"))
                    .header("x-clear-auth-token", AUTH_TOKEN),
                403,
            ),
            (
                http.get(url("/workflow/status?taskId=1"))
                    .header("x-clear-auth-token", AUTH_TOKEN)
                    .header("x-integration-id", "another-integration"),
                403,
            ),
            (keyed(http.get(url("/workflow/status"))), 400),
            (keyed(http.get(url("/workflow/status?taskId="))), 400),
            (keyed(http.get(url("/action/pre-sign"))), 400),
            (
                keyed(http.get(url("/action/pre-sign?filename=notes.txt"))),
                406,
            ),
            (keyed(http.post(url("/api/v1/ingest")).body("{}")), 400),
            (
                keyed(http.post(url("/api/v1/ingest")))
                    .header("content-type", "application/json")
                    .body("{\"fileInfo\": [oops"),
                400,
            ),
            (
                keyed(http.post(url("/api/v1/ingest")))
                    .json(&serde_json::json!({"fileInfo": [], "templateType": "SALES"})),
                400,
            ),
            (
                keyed(http.post(url("/api/v1/ingest"))).json(&serde_json::json!({
                    "fileInfo": [{"uploadUrl": "u", "fileType": "sales", "filename": null}],
                    "templateType": "SALES"
                })),
                400,
            ),
            (
                keyed(http.post(url("/api/v1/ingest"))).json(&serde_json::json!({
                    "fileInfo": [["u", null, "sales"]],
                    "templateType": "SALES"
                })),
                400,
            ),
            (keyed(http.get(url("/workflow/tasks"))), 404),
            (keyed(http.put(url("/workflow/status"))), 405),
        ];
        for (request, expected) in requests {
            let response = request.send().await.expect("answered");
            assert_eq!(response.status().as_u16(), expected);
            let body: serde_json::Value = response.json().await.expect("JSON");
            let keys: Vec<_> = body
                .as_object()
                .expect("an object")
                .keys()
                .cloned()
                .collect();
            assert_eq!(
                keys,
                [
                    "error", "message", "metadata", "result", "status", "success"
                ]
            );
            let body: ErrorEnvelope = serde_json::from_value(body).expect("Clear's envelope");
            assert_eq!(body.status, Some(i32::from(expected)));
            assert_eq!(body.error.and_then(|e| e.code), Some(expected.to_string()));
        }
        assert!(
            server.served().is_empty(),
            "refused requests are not served"
        );
    }

    #[tokio::test]
    async fn what_the_spec_allows_is_served() {
        let server = ClearOneIntegrationSimulator::start().await;
        let http = reqwest::Client::new();
        let url = |path: &str| format!("{}/one-integration{path}", server.base_url());
        let keyed = |request: reqwest::RequestBuilder| {
            request
                .header("x-clear-auth-token", AUTH_TOKEN)
                .header("x-integration-id", INTEGRATION_ID)
        };
        let requests = [
            keyed(http.get(url("/action/pre-sign?filename=JUNE.XLSX"))),
            keyed(http.get(url("/action/pre-sign?filename=a.b.zip"))),
            // Free-form metadata may hold nulls, and so may properties the spec does not
            // name.
            keyed(http.post(url("/api/v1/ingest"))).json(&serde_json::json!({
                "fileInfo": [{"uploadUrl": "u", "fileType": "sales", "note": null}],
                "templateType": "SALES",
                "metadata": {"batch": null}
            })),
        ];
        for request in requests {
            let response = request.send().await.expect("answered");
            assert_eq!(response.status().as_u16(), 200);
        }
    }
}
