//! A simulated ELMA RPA Orchestrator: create, status, cancel, download and the repository
//! calls, over the task-queue wire format.
//!
//! Scripted phases are answered with `QUEUE` (pending), `EXECUTING`, `DONE` (with an output
//! context and a log) and `ERROR` (with a log). Cancelling a queued or running task deletes
//! it, as the Orchestrator does, so later status calls answer 404.
//!
//! Every body must carry [`AUTH_TKN`] (401 otherwise) and be what the spec's request schema
//! allows (400 otherwise, with what is wrong); such refused requests are not served and
//! take no injected fault.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::Response;
use axum::routing::post;
use elma_rpa::types::{
    ErrorResponse, Process, RepositoryActualRequest, RepositoryActualResponse,
    RepositoryContextRequest, RepositoryFindRequest, RepositoryProcessResponse, Task,
    TaskCreateRequest, TaskDownloadRequest, TaskIdRequest, TaskMetrics, TaskPriority, TaskResponse,
    TaskStatus,
};

use jobstatus_runtime::{OrRaw, Sent};

use super::Server;
use super::server::{
    Shared, altered, json, replacement, respond, simulator_server, typed, unrouted,
};
use crate::Phase;

/// The `auth_tkn` of the system [`client`](ElmaRpaSimulator::client) registers as.
pub const AUTH_TKN: &str = "5d5ec66f-357d-4c2d-bbc1-2012278d2361";

/// A simulated ELMA RPA Orchestrator on 127.0.0.1; it stops when dropped.
///
/// Dereferences to its [`Server`] for scripts, faults and the request log.
#[derive(Debug)]
pub struct ElmaRpaSimulator {
    server: Server,
}

simulator_server!(ElmaRpaSimulator);

impl ElmaRpaSimulator {
    /// Starts a simulated Orchestrator on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        let router = Router::new()
            .route("/v1/orchestra/task/create", post(create))
            .route("/v1/orchestra/task/status", post(status))
            .route("/v1/orchestra/task/cancel", post(cancel))
            .route("/v1/repository/task/download", post(download))
            .route("/v1/repository/actual", post(actual))
            .route("/v1/repository/find", post(find))
            .route("/v1/repository/context", post(context));
        Self {
            server: Server::start(unrouted(router, error), Arc::default()).await,
        }
    }

    /// An ELMA RPA client for this simulator, registered as [`AUTH_TKN`].
    ///
    /// It has no timeouts, so it works under tokio's paused clock; a delay fault is then
    /// seen in full.
    pub fn client(&self) -> elma_rpa::Client {
        elma_rpa::Client::builder(self.base_url())
            .auth_token(AUTH_TKN)
            .timeout(None)
            .connect_timeout(None)
            .build()
            .expect("the simulator's URL and token are valid")
    }
}

fn simulated_failure(status: u16) -> Response<Body> {
    error(status, "simulated failure")
}

fn error(status: u16, message: &str) -> Response<Body> {
    json(
        status,
        &ErrorResponse {
            status: Some(i32::from(status)),
            error_message: Some(message.to_owned()),
        },
    )
}

/// Parses the body and checks `auth_tkn`, answering the Orchestrator's way when either
/// is wrong; a body its request schema refuses is refused with 400.
fn accept<T: serde::de::DeserializeOwned + serde::Serialize>(
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<T, Box<Response<Body>>> {
    let refuse = |status, message: &str| Box::new(error(status, message));
    let Json(value) = body.map_err(|e| refuse(400, &e.body_text()))?;
    if value.get("auth_tkn").and_then(|t| t.as_str()) != Some(AUTH_TKN) {
        return Err(refuse(401, "unknown or missing auth_tkn"));
    }
    typed(value).map_err(|message| refuse(400, &message))
}

fn task(id: &str, phase: Phase, state: Option<String>) -> Task {
    let status = state.map_or_else(
        || {
            Sent::from(match phase {
                Phase::Pending => TaskStatus::Queue,
                Phase::Running => TaskStatus::Executing,
                Phase::Succeeded => TaskStatus::Done,
                Phase::Failed => TaskStatus::Error,
                Phase::Cancelling | Phase::Cancelled | Phase::Unknown => TaskStatus::EmptySt,
            })
        },
        |state| Sent::read(&state),
    );
    let (output_ctx, log) = match phase {
        Phase::Succeeded => (
            Some(r#"{"result_out": "simulated", "count_out": 3}"#.to_owned()),
            Some("[INF] started\n[INF] completed!\n".to_owned()),
        ),
        Phase::Failed => (
            None,
            Some("[INF] started\n[ERR] element not found\n".to_owned()),
        ),
        _ => (None, None),
    };
    Task {
        id: id.parse().unwrap_or_default(),
        process: Some("c39f99de-cb8f-4661-a206-b282a4830cbf".to_owned()),
        version: Some(1),
        ctx: None,
        system: Some(AUTH_TKN.into()),
        priority: Some(TaskPriority::Medium.into()),
        groups: None,
        status: Some(status),
        bot: phase
            .ne(&Phase::Pending)
            .then(|| "5e771afd-1261-4451-b059-4543d41a5814".to_owned()),
        output_ctx,
        log,
        metrics: Some(TaskMetrics {
            start_time: None,
            end_time: None,
        }),
        created: None,
        updated: None,
    }
}

fn task_response(status: i32, task: Task) -> Response<Body> {
    json(
        200,
        &TaskResponse {
            status,
            task: Some(task),
        },
    )
}

async fn create(
    State(shared): State<Arc<Shared>>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Response<Body> {
    if let Err(refused) = accept::<TaskCreateRequest>(body) {
        return *refused;
    }
    let fault = shared.serve("task_create", None);
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let id = shared.create();
    altered(fault, |state| {
        let state = state.unwrap_or_else(|| TaskStatus::Prepare.to_string());
        task_response(201, task(&id, Phase::Pending, Some(state)))
    })
    .await
}

async fn status(
    State(shared): State<Arc<Shared>>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Response<Body> {
    let request: TaskIdRequest = match accept(body) {
        Ok(request) => request,
        Err(refused) => return *refused,
    };
    let id = request.id.to_string();
    let fault = shared.serve("task_status", Some(&id));
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let Some(phase) = shared.poll(&id) else {
        return error(404, &format!("task {id} not found"));
    };
    altered(fault, |state| {
        let code = if phase.is_terminal() { 200 } else { 201 };
        task_response(code, task(&id, phase, state))
    })
    .await
}

async fn cancel(
    State(shared): State<Arc<Shared>>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Response<Body> {
    let request: TaskIdRequest = match accept(body) {
        Ok(request) => request,
        Err(refused) => return *refused,
    };
    let id = request.id.to_string();
    let fault = shared.serve("task_cancel", Some(&id));
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let Some(before) = shared.peek(&id) else {
        return error(404, &format!("task {id} not found"));
    };
    if shared.cancel(&id) == Some(Phase::Cancelled) {
        shared.remove(&id);
    }
    altered(fault, |state| {
        let code = if before.is_terminal() { 200 } else { 201 };
        task_response(code, task(&id, before, state))
    })
    .await
}

async fn download(
    State(shared): State<Arc<Shared>>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Response<Body> {
    let request: TaskDownloadRequest = match accept(body) {
        Ok(request) => request,
        Err(refused) => return *refused,
    };
    let id = request.taskid.to_string();
    let fault = shared.serve("task_download", Some(&id));
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    if shared.peek(&id) != Some(Phase::Succeeded) {
        return error(
            404,
            &format!("task {id} has no output file {}", request.filename),
        );
    }
    altered(fault, |_| {
        respond(
            200,
            "application/octet-stream",
            format!("simulated output file {}\n", request.filename),
        )
    })
    .await
}

fn process() -> Process {
    Process {
        uuid: Some("6e01adcb-de15-475f-86fa-b5d3a78a2d14".to_owned()),
        token: Some("c39f99de-cb8f-4661-a206-b282a4830cbf".to_owned()),
        version: Some(1),
        active: Some(true),
        name: Some("Creating profiles".to_owned()),
        hash: None,
        created: None,
        uploaded: None,
        useruuid: None,
        fullname: None,
        groups: None,
        context: None,
    }
}

async fn actual(
    State(shared): State<Arc<Shared>>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Response<Body> {
    if let Err(refused) = accept::<RepositoryActualRequest>(body) {
        return *refused;
    }
    let fault = shared.serve("repository_actual", None);
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    altered(fault, |_| {
        json(
            200,
            &RepositoryActualResponse {
                status: 200,
                total: Some(1),
                process: Some(vec![process()].into()),
            },
        )
    })
    .await
}

async fn find(
    State(shared): State<Arc<Shared>>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Response<Body> {
    if let Err(refused) = accept::<RepositoryFindRequest>(body) {
        return *refused;
    }
    let fault = shared.serve("repository_find", None);
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    altered(fault, |_| {
        json(
            200,
            &RepositoryProcessResponse {
                status: 200,
                process: Some(process()),
            },
        )
    })
    .await
}

async fn context(
    State(shared): State<Arc<Shared>>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Response<Body> {
    if let Err(refused) = accept::<RepositoryContextRequest>(body) {
        return *refused;
    }
    let fault = shared.serve("repository_context", None);
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    altered(fault, |_| {
        let context = serde_json::json!({
            "StringParam_in": "String value",
            "IntParam_in": 76,
            "result_out": "simulated",
            "count_out": 3
        });
        json(
            200,
            &RepositoryProcessResponse {
                status: 200,
                process: Some(Process {
                    context: context.as_object().cloned().map(OrRaw::from),
                    ..process()
                }),
            },
        )
    })
    .await
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::simulator::Script;

    async fn post(server: &ElmaRpaSimulator, path: &str, mut body: Value) -> (u16, Value) {
        body["auth_tkn"] = AUTH_TKN.into();
        let response = reqwest::Client::new()
            .post(format!("{}{path}", server.base_url()))
            .json(&body)
            .send()
            .await
            .expect("answered");
        let status = response.status().as_u16();
        let bytes = response.bytes().await.expect("a body");
        // JSON, or null for a file.
        (status, serde_json::from_slice(&bytes).unwrap_or_default())
    }

    #[tokio::test]
    async fn bodies_the_spec_refuses_are_refused() {
        let server = ElmaRpaSimulator::start().await;
        let process = "c39f99de-cb8f-4661-a206-b282a4830cbf";
        let refused = [
            (
                "/v1/orchestra/task/create",
                json!({"task": {"process": process, "callback": null}}),
            ),
            ("/v1/orchestra/task/create", json!({"task": [process, 0]})),
            ("/v1/orchestra/task/status", json!({"id": null})),
            (
                "/v1/repository/actual",
                json!({"limit": 9_223_372_036_854_775_808_u64}),
            ),
            (
                "/v1/repository/find",
                json!({"token": process, "version": null}),
            ),
            ("/v1/repository/context", json!({"uuid": ""})),
        ];
        for (path, body) in refused {
            let (status, answer) = post(&server, path, body.clone()).await;
            assert_eq!(status, 400, "{path} {body}: {answer}");
            assert_eq!(answer["status"], 400);
        }
        assert!(server.served().iter().all(|s| s.operation != "task_create"));
    }

    #[tokio::test]
    async fn bodies_the_spec_allows_are_served() {
        let server = ElmaRpaSimulator::start().await;
        let process = "c39f99de-cb8f-4661-a206-b282a4830cbf";
        // Properties the spec does not name may hold anything, null too.
        let body = json!({"task": {"process": process, "note": null}, "trace": null});
        let (status, answer) = post(&server, "/v1/orchestra/task/create", body).await;
        assert_eq!(
            (status, &answer["task"]["status"]),
            (200, &json!("PREPARE"))
        );

        let body = json!({"uuid": "6e01adcb-de15-475f-86fa-b5d3a78a2d14"});
        let (status, answer) = post(&server, "/v1/repository/context", body).await;
        assert_eq!(status, 200);
        assert_eq!(answer["process"]["context"]["count_out"], 3);

        let done = server.add_job(Script::new(0, 0, Phase::Succeeded));
        let body = json!({"taskid": done.parse::<i64>().expect("a number"), "filename": "out.txt"});
        let (status, _) = post(&server, "/v1/repository/task/download", body).await;
        assert_eq!(status, 200);
    }
}
