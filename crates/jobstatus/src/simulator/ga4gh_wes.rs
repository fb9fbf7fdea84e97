//! A simulated GA4GH WES 1.1 server under [`BASE_PATH`]: service info, the run list,
//! submission, run log, status, cancel and tasks.
//!
//! `POST /runs` takes a `multipart/form-data` submission, as
//! [`ga4gh_wes::Client::run_workflow`] sends it, and creates a run with the server's default
//! script ([`Server::set_script`]); [`Server::add_job`] adds a run with a script of its own,
//! which stands for a submission of `echo.cwl`. A submission needs `workflow_url` and
//! `workflow_params` (a JSON object); a relative `workflow_url` must name one of the
//! attachments (or be `#/workflow_attachment/<n>`); `workflow_type` and
//! `workflow_type_version`, when given, must be CWL `v1.0`, `v1.1` or `v1.2`.
//!
//! Each status call and each read of the run log counts as a poll. Scripted phases are
//! answered `QUEUED` (a pending run's first poll), `INITIALIZING` (its later pending polls),
//! `RUNNING`, `COMPLETE` (the CWL output object and exit code 0), `EXECUTOR_ERROR` (exit
//! code 3 and the engine's standard error) and `UNKNOWN`. Cancelling a queued or running
//! run answers `CANCELING` at the next poll and `CANCELED` from then on; cancelling a
//! finished run changes nothing. The run log echoes the submission.
//!
//! The run list has WES 1.1's `runs` key with `RunSummary` items in the order the runs
//! were created, [`DEFAULT_PAGE_SIZE`] to a page unless `page_size` asks for fewer (at most
//! [`MAX_PAGE_SIZE`]); `next_page_token` is empty on the last page. Every run has one task.
//!
//! Every call needs `Authorization: Bearer` [`TOKEN`]; without it, or with another token,
//! the answer is 401. Errors come as the WES `ErrorResponse`, `{"msg", "status_code"}`: an
//! unknown run or task is 404, a request the simulator cannot take (a malformed form, a
//! bad `page_size` or `page_token`) is 400.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ga4gh_wes::types::{
    DefaultWorkflowEngineParameter, ErrorResponse, Log, RunId, RunListResponse, RunLog, RunRequest,
    RunStatus, RunSummary, ServiceInfo, ServiceOrganization, ServiceType, State as RunState,
    TaskListResponse, TaskLog, WorkflowEngineVersion, WorkflowTypeVersion,
};
use ga4gh_wes::{Auth, BuildError};
use jobstatus_runtime::{OrRaw, Sent, Timestamp};
use serde_json::{Map, Value};

use super::Server;
use super::server::{Shared, altered, json, lock, replacement, simulator_server, unrouted};
use crate::Phase;

/// The access token [`client`](Ga4ghWesSimulator::client) sends and the simulator takes.
pub const TOKEN: &str = "simulated-wes-access-token";

/// The path every WES endpoint of the simulator is under; a client's base URL is the
/// server's [`base_url`](Server::base_url) followed by it.
pub const BASE_PATH: &str = "/ga4gh/wes/v1";

/// Runs in a page of the run list when the request does not ask for fewer.
pub const DEFAULT_PAGE_SIZE: usize = 10;

/// The most runs in a page of the run list, whatever `page_size` asks for.
pub const MAX_PAGE_SIZE: usize = 100;

/// The one workflow language the simulator runs.
const LANGUAGE: &str = "CWL";
const CWL_VERSIONS: [&str; 3] = ["v1.0", "v1.1", "v1.2"];
const ENGINE: &str = "cwltool";
const ENGINE_VERSION: &str = "3.1.20240508115724";
/// The id of the one task of every run.
const TASK_ID: &str = "1";
/// Where the simulated engine keeps its runs.
const WORK_DIR: &str = "/srv/wes/runs";
/// When every run starts and ends: the simulator's runs keep no wall-clock time.
const STARTED: &str = "2025-06-02T08:00:00Z";
const ENDED: &str = "2025-06-02T08:04:30Z";
/// The exit code of a failed run and its task.
const FAILED_EXIT_CODE: i32 = 3;

/// A simulated GA4GH WES server on 127.0.0.1; it stops when dropped.
///
/// Dereferences to its [`Server`] for scripts, faults and the request log.
#[derive(Debug)]
pub struct Ga4ghWesSimulator {
    server: Server,
}

simulator_server!(Ga4ghWesSimulator);

impl Ga4ghWesSimulator {
    /// Starts a simulated WES server on 127.0.0.1; its endpoints are under [`BASE_PATH`].
    pub async fn start() -> Self {
        let route = |path: &str| format!("{BASE_PATH}{path}");
        let router = Router::new()
            .route(&route("/service-info"), get(service_info))
            .route(&route("/runs"), get(list_runs).post(run_workflow))
            .route(&route("/runs/{run_id}"), get(get_run_log))
            .route(&route("/runs/{run_id}/status"), get(get_run_status))
            .route(&route("/runs/{run_id}/cancel"), post(cancel_run))
            .route(&route("/runs/{run_id}/tasks"), get(list_tasks))
            .route(&route("/runs/{run_id}/tasks/{task_id}"), get(get_task));
        let router = unrouted(router, error).layer(Extension(Arc::new(Submissions::default())));
        Self {
            server: Server::start(router, Arc::default()).await,
        }
    }

    /// A WES client for this simulator that sends `Authorization: Bearer` [`TOKEN`].
    ///
    /// It has no timeouts, so it works under tokio's paused
    /// clock; a delay fault is then seen in full.
    pub fn client(&self) -> ga4gh_wes::Client {
        self.client_with_auth(Auth::Bearer(TOKEN.into()))
            .expect("TOKEN is a valid header value")
    }

    /// As [`Self::client`], authenticating with `auth` instead, to see how refused
    /// credentials are handled: the simulator takes only the bearer token [`TOKEN`].
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidCredential`] when the token cannot be sent as an HTTP header
    /// value.
    pub fn client_with_auth(&self, auth: Auth) -> Result<ga4gh_wes::Client, BuildError> {
        ga4gh_wes::Client::builder(format!("{}{BASE_PATH}", self.base_url()))
            .auth(auth)
            .timeout(None)
            .connect_timeout(None)
            .build()
    }
}

/// What each run submitted through `POST /runs` was submitted with, by run id.
#[derive(Debug, Default)]
struct Submissions(Mutex<HashMap<String, RunRequest>>);

impl Submissions {
    fn insert(&self, id: &str, request: RunRequest) {
        lock(&self.0).insert(id.to_owned(), request);
    }

    /// The request run `id` was submitted with; for a run added with
    /// [`Server::add_job`], the submission of `echo.cwl` it stands for.
    fn request(&self, id: &str) -> RunRequest {
        lock(&self.0)
            .get(id)
            .cloned()
            .unwrap_or_else(|| RunRequest {
                tags: Some(HashMap::new().into()),
                workflow_engine: None,
                workflow_engine_parameters: None,
                workflow_engine_version: None,
                workflow_params: Some(OrRaw::Typed(Map::from_iter([(
                    "message".to_owned(),
                    Value::from("hello from WES"),
                )]))),
                workflow_type: Some(LANGUAGE.to_owned()),
                workflow_type_version: Some(CWL_VERSIONS[0].to_owned()),
                workflow_url: "echo.cwl".to_owned(),
            })
    }
}

fn error(status: u16, message: &str) -> Response<Body> {
    json(
        status,
        &ErrorResponse {
            msg: Some(message.to_owned()),
            status_code: Some(i32::from(status)),
            ..ErrorResponse::default()
        },
    )
}

fn simulated_failure(status: u16) -> Response<Body> {
    error(status, "simulated failure")
}

fn bad_request(message: &str) -> Response<Body> {
    error(400, message)
}

fn not_found(id: &str) -> Response<Body> {
    error(404, &format!("run {id} not found"))
}

/// The 401 answer when the bearer token is missing or not [`TOKEN`].
fn refusal(headers: &HeaderMap) -> Option<Response<Body>> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    (token != Some(TOKEN)).then(|| {
        let mut response = error(401, "missing or invalid bearer token");
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        response
    })
}

/// The value of a path parameter, or the answer when it cannot be read (bad
/// percent-encoding).
fn path_value<T>(path: Result<Path<T>, PathRejection>) -> Result<T, Box<Response<Body>>> {
    path.map(|Path(value)| value)
        .map_err(|rejection| Box::new(bad_request(&rejection.body_text())))
}

/// The state of a run in `phase` at its poll number `poll`.
fn state(phase: Phase, poll: u32) -> RunState {
    match phase {
        Phase::Pending if poll == 0 => RunState::Queued,
        Phase::Pending => RunState::Initializing,
        Phase::Running => RunState::Running,
        Phase::Cancelling => RunState::Canceling,
        Phase::Succeeded => RunState::Complete,
        Phase::Failed => RunState::ExecutorError,
        Phase::Cancelled => RunState::Canceled,
        Phase::Unknown => RunState::Unknown,
    }
}

/// A run, as one request reads it.
struct Run {
    id: String,
    phase: Phase,
    state: Sent<RunState>,
}

impl Run {
    /// Reads run `id`, counting a poll when `poll` is set; `None` for an unknown run.
    fn read(shared: &Shared, id: &str, poll: bool) -> Option<Self> {
        let (phase, number) = shared.read(id, poll)?;
        Some(Self {
            id: id.to_owned(),
            phase,
            state: state(phase, number).into(),
        })
    }

    /// The run with `state` in place of its scripted state word, if given.
    fn answering(self, state: Option<String>) -> Self {
        match state {
            Some(state) => Self {
                state: Sent::read(&state),
                ..self
            },
            None => self,
        }
    }

    fn started(&self) -> Option<Timestamp> {
        (self.phase != Phase::Pending).then(|| Timestamp::parse(STARTED))
    }

    fn ended(&self) -> Option<Timestamp> {
        self.phase.is_terminal().then(|| Timestamp::parse(ENDED))
    }

    fn exit_code(&self) -> Option<i32> {
        match self.phase {
            Phase::Succeeded => Some(0),
            Phase::Failed => Some(FAILED_EXIT_CODE),
            _ => None,
        }
    }

    fn stderr(&self, workflow: &str) -> Option<String> {
        (self.phase == Phase::Failed).then(|| {
            format!(
                "[job {workflow}] {dir}/{id}/tmp$ sh -c 'exit {FAILED_EXIT_CODE}'\n\
                 [job {workflow}] exited with status: {FAILED_EXIT_CODE}\n\
                 [job {workflow}] completed permanentFail\n\
                 Final process status is permanentFail\n",
                dir = WORK_DIR,
                id = self.id,
            )
        })
    }

    fn system_logs(&self) -> Option<OrRaw<Vec<String>>> {
        matches!(self.phase, Phase::Cancelling | Phase::Cancelled)
            .then(|| vec!["cancel requested by the client".to_owned()].into())
    }

    fn status(&self) -> RunStatus {
        RunStatus {
            run_id: self.id.clone(),
            state: self.state.clone(),
        }
    }

    fn summary(&self, request: &RunRequest) -> RunSummary {
        RunSummary {
            end_time: self.ended(),
            run_id: self.id.clone(),
            start_time: self.started(),
            state: self.state.clone(),
            tags: Some(request.tags.clone().unwrap_or_default()),
        }
    }

    fn outputs(&self) -> Map<String, Value> {
        if self.phase != Phase::Succeeded {
            return Map::new();
        }
        let path = format!("{WORK_DIR}/{}/outdir/output.txt", self.id);
        let file = serde_json::json!({
            "class": "File",
            "basename": "output.txt",
            "location": format!("file://{path}"),
            "path": path,
            "checksum": "sha1$3a346807c9bde34886ef809fb541a298a9394759",
            "size": 15,
        });
        Map::from_iter([("output".to_owned(), file)])
    }

    /// The run log; `tasks_url` is where its task list is.
    fn log(&self, request: RunRequest, tasks_url: Option<String>) -> RunLog {
        let workflow = workflow_name(&request.workflow_url);
        let dir = format!("{WORK_DIR}/{}", self.id);
        RunLog {
            outputs: Some(self.outputs().into()),
            run_id: self.id.clone(),
            run_log: Some(Log {
                cmd: Some(OrRaw::Typed(vec![
                    ENGINE.to_owned(),
                    format!("--outdir={dir}/outdir"),
                    format!("{dir}/{workflow}"),
                    format!("{dir}/params.json"),
                ])),
                end_time: self.ended(),
                exit_code: self.exit_code(),
                name: Some(workflow.to_owned()),
                start_time: self.started(),
                stderr: self.stderr(workflow),
                stdout: None,
                system_logs: self.system_logs(),
            }),
            state: self.state.clone(),
            task_logs: None,
            task_logs_url: tasks_url,
            request: Some(request),
        }
    }

    /// The run's one task, which runs `workflow`.
    fn task(&self, workflow: &str) -> TaskLog {
        TaskLog {
            cmd: Some(OrRaw::Typed(vec![
                "sh".to_owned(),
                "-c".to_owned(),
                format!("run {workflow}"),
            ])),
            end_time: self.ended(),
            exit_code: self.exit_code(),
            id: Some(TASK_ID.to_owned()),
            name: Some(workflow.to_owned()),
            start_time: self.started(),
            stderr: self.stderr(workflow),
            stdout: None,
            system_logs: self.system_logs(),
            tes_uri: None,
        }
    }
}

/// The file name of a workflow URL: `echo.cwl` of `https://example.org/wf/echo.cwl`.
fn workflow_name(url: &str) -> &str {
    url.rsplit('/')
        .find(|segment| !segment.is_empty())
        .unwrap_or(url)
}

async fn service_info(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let fault = shared.serve("get_service_info", None);
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let mut counts: HashMap<String, i64> = HashMap::new();
    for id in shared.job_ids() {
        if let Some(run) = Run::read(&shared, &id, false) {
            *counts.entry(run.state.to_string()).or_default() += 1;
        }
    }
    altered(fault, |_| json(200, &info(counts))).await
}

fn info(counts: HashMap<String, i64>) -> ServiceInfo {
    let strings = |values: &[&str]| values.iter().map(|v| (*v).to_owned()).collect();
    ServiceInfo {
        auth_instructions_url: Some("https://wes.example.org/docs/tokens".to_owned()),
        contact_info_url: None,
        contact_url: Some("mailto:wes-support@example.org".to_owned()),
        created_at: Some(Timestamp::parse("2025-06-01T07:30:00Z")),
        default_workflow_engine_parameters: Some(
            vec![DefaultWorkflowEngineParameter {
                default_value: Some("false".to_owned()),
                name: Some("parallel".to_owned()),
                type_: Some("bool".to_owned()),
            }]
            .into(),
        ),
        description: Some("A simulated WES 1.1 server running CWL workflows.".to_owned()),
        documentation_url: Some("https://wes.example.org/docs".to_owned()),
        environment: Some("test".to_owned()),
        id: Some("org.example.wes.simulator".to_owned()),
        name: Some("Simulated WES".to_owned()),
        organization: Some(ServiceOrganization {
            name: "Example Genomics".to_owned(),
            url: "https://wes.example.org".to_owned(),
        }),
        supported_filesystem_protocols: Some(OrRaw::Typed(strings(&["file", "http", "https"]))),
        supported_wes_versions: strings(&["1.1.0"]),
        system_state_counts: Some(counts.into()),
        tags: Some(HashMap::new().into()),
        type_: Some(ServiceType {
            artifact: "wes".to_owned(),
            group: "org.ga4gh".to_owned(),
            version: "1.1.0".to_owned(),
        }),
        updated_at: Some(Timestamp::parse("2025-06-01T07:30:00Z")),
        version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        workflow_engine_versions: Some(OrRaw::Typed(HashMap::from([(
            ENGINE.to_owned(),
            WorkflowEngineVersion {
                workflow_engine_version: Some(OrRaw::Typed(strings(&[ENGINE_VERSION]))),
            }
            .into(),
        )]))),
        workflow_type_versions: HashMap::from([(
            LANGUAGE.to_owned(),
            WorkflowTypeVersion {
                workflow_type_version: Some(OrRaw::Typed(strings(&CWL_VERSIONS))),
            },
        )]),
    }
}

#[derive(serde::Deserialize)]
struct PageQuery {
    page_size: Option<i64>,
    page_token: Option<String>,
}

impl PageQuery {
    /// The number of items to a page, or why `page_size` is refused.
    fn size(&self) -> Result<usize, String> {
        match self.page_size {
            None => Ok(DEFAULT_PAGE_SIZE),
            Some(size) if size >= 1 => {
                Ok(usize::try_from(size).map_or(MAX_PAGE_SIZE, |size| size.min(MAX_PAGE_SIZE)))
            }
            Some(size) => Err(format!("page_size must be at least 1, not {size}")),
        }
    }

    /// The page token, if one was given and not empty.
    fn token(&self) -> Option<&str> {
        self.page_token.as_deref().filter(|token| !token.is_empty())
    }
}

async fn list_runs(
    State(shared): State<Arc<Shared>>,
    Extension(submissions): Extension<Arc<Submissions>>,
    headers: HeaderMap,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let Query(query) = match query {
        Ok(query) => query,
        Err(rejection) => return bad_request(&rejection.body_text()),
    };
    let size = match query.size() {
        Ok(size) => size,
        Err(message) => return bad_request(&message),
    };
    // A page token is the id of the last run of the page before.
    let ids = shared.job_ids();
    let start = match query.token() {
        None => 0,
        Some(token) => match ids.iter().position(|id| id == token) {
            Some(last) => last + 1,
            None => return bad_request(&format!("page_token {token:?} was not handed out")),
        },
    };
    let fault = shared.serve("list_runs", None);
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let page: Vec<(Run, RunRequest)> = ids
        .iter()
        .skip(start)
        .take(size)
        .filter_map(|id| Some((Run::read(&shared, id, false)?, submissions.request(id))))
        .collect();
    let next_page_token = match page.last() {
        Some((run, _)) if start + size < ids.len() => run.id.clone(),
        _ => String::new(),
    };
    altered(fault, |state| {
        let runs = page
            .into_iter()
            .map(|(run, request)| run.answering(state.clone()).summary(&request))
            .collect();
        json(
            200,
            &RunListResponse {
                next_page_token: Some(next_page_token),
                runs: Some(runs),
                workflows: None,
            },
        )
    })
    .await
}

async fn run_workflow(
    State(shared): State<Arc<Shared>>,
    Extension(submissions): Extension<Arc<Submissions>>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let request = match submission(&headers, form).await {
        Ok(request) => request,
        Err(refused) => return *refused,
    };
    let fault = shared.serve("run_workflow", None);
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let id = shared.create();
    submissions.insert(&id, request);
    altered(fault, |_| json(200, &RunId { run_id: Some(id) })).await
}

/// The run request a submission's form holds, or the answer to a form that does not
/// hold one.
async fn submission(
    headers: &HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Result<RunRequest, Box<Response<Body>>> {
    let mut form = form.map_err(|rejection| {
        let multipart = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| {
                value
                    .to_ascii_lowercase()
                    .starts_with("multipart/form-data")
            });
        let message = format!(
            "the body must be multipart/form-data: {}",
            rejection.body_text()
        );
        Box::new(error(if multipart { 400 } else { 415 }, &message))
    })?;
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        let status = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            413
        } else {
            400
        };
        Box::new(error(
            status,
            &format!(
                "the multipart/form-data body cannot be read: {}",
                e.body_text()
            ),
        ))
    };
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut attachments: Vec<String> = Vec::new();
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "workflow_attachment" {
            let file_name = field.file_name().map(str::to_owned);
            field.bytes().await.map_err(unreadable)?;
            match file_name {
                Some(file_name) if is_relative_name(&file_name) => attachments.push(file_name),
                other => {
                    return Err(Box::new(bad_request(&format!(
                        "each workflow_attachment needs a relative file name without `..`, not \
                         {other:?}"
                    ))));
                }
            }
        } else {
            fields.insert(name, field.text().await.map_err(unreadable)?);
        }
    }
    run_request(fields, &attachments).map_err(|message| Box::new(bad_request(&message)))
}

/// The run request of a form's text fields, checked as the service info promises.
fn run_request(
    mut fields: HashMap<String, String>,
    attachments: &[String],
) -> Result<RunRequest, String> {
    let workflow_url = fields
        .remove("workflow_url")
        .filter(|url| !url.is_empty())
        .ok_or("workflow_url is required")?;
    let workflow_params = fields
        .remove("workflow_params")
        .ok_or("workflow_params is required")?;
    let workflow_params = json_object("workflow_params", &workflow_params)?;
    let tags = match fields.remove("tags") {
        Some(tags) => Some(
            serde_json::from_str::<HashMap<String, String>>(&tags)
                .map_err(|e| format!("tags must be a JSON object of strings: {e}"))?,
        ),
        None => None,
    };
    let workflow_engine_parameters = match fields.remove("workflow_engine_parameters") {
        Some(parameters) => Some(json_object("workflow_engine_parameters", &parameters)?),
        None => None,
    };
    let workflow_type = fields.remove("workflow_type");
    if let Some(language) = workflow_type.as_deref().filter(|l| *l != LANGUAGE) {
        return Err(format!(
            "workflow_type {language} is not supported; use {LANGUAGE}"
        ));
    }
    let workflow_type_version = fields.remove("workflow_type_version");
    if let Some(version) = workflow_type_version
        .as_deref()
        .filter(|v| !CWL_VERSIONS.contains(v))
    {
        return Err(format!(
            "workflow_type_version {version} is not supported; use one of {}",
            CWL_VERSIONS.join(", ")
        ));
    }
    let workflow_engine = fields.remove("workflow_engine");
    let workflow_engine_version = fields.remove("workflow_engine_version");
    if workflow_engine_version.is_some() && workflow_engine.is_none() {
        return Err("workflow_engine_version needs workflow_engine".to_owned());
    }
    if !names_an_attachment(&workflow_url, attachments) {
        return Err(format!(
            "workflow_url {workflow_url} is relative but names none of the attachments"
        ));
    }
    Ok(RunRequest {
        tags: tags.map(OrRaw::from),
        workflow_engine,
        workflow_engine_parameters: workflow_engine_parameters.map(OrRaw::from),
        workflow_engine_version,
        workflow_params: Some(workflow_params.into()),
        workflow_type,
        workflow_type_version,
        workflow_url,
    })
}

/// `text` as a JSON object, or why it is not one.
fn json_object(field: &str, text: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str(text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(format!("{field} must be a JSON object")),
        Err(e) => Err(format!("{field} is not JSON: {e}")),
    }
}

/// Whether an absolute `url`, or a relative one that names one of `attachments` (by name,
/// or as `#/workflow_attachment/<index>`).
fn names_an_attachment(url: &str, attachments: &[String]) -> bool {
    if url.contains("://") {
        return true;
    }
    match url.strip_prefix("#/workflow_attachment/") {
        Some(index) => index
            .parse::<usize>()
            .is_ok_and(|index| index < attachments.len()),
        None => attachments.iter().any(|name| name == url),
    }
}

/// Whether `name` is a relative path inside the staging folder.
fn is_relative_name(name: &str) -> bool {
    !name.starts_with('/')
        && !name.contains('\\')
        && name
            .split('/')
            .all(|segment| !matches!(segment, "" | "." | ".."))
}

async fn get_run_log(
    State(shared): State<Arc<Shared>>,
    Extension(submissions): Extension<Arc<Submissions>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let id = match path_value(path) {
        Ok(id) => id,
        Err(refused) => return *refused,
    };
    let fault = shared.serve("get_run_log", Some(&id));
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let Some(run) = Run::read(&shared, &id, true) else {
        return not_found(&id);
    };
    let tasks_url = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .map(|host| format!("http://{host}{BASE_PATH}/runs/{id}/tasks"));
    let request = submissions.request(&id);
    altered(fault, |state| {
        json(200, &run.answering(state).log(request, tasks_url))
    })
    .await
}

async fn get_run_status(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let id = match path_value(path) {
        Ok(id) => id,
        Err(refused) => return *refused,
    };
    let fault = shared.serve("get_run_status", Some(&id));
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let Some(run) = Run::read(&shared, &id, true) else {
        return not_found(&id);
    };
    altered(fault, |state| json(200, &run.answering(state).status())).await
}

async fn cancel_run(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let id = match path_value(path) {
        Ok(id) => id,
        Err(refused) => return *refused,
    };
    let fault = shared.serve("cancel_run", Some(&id));
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    // One poll answers CANCELING, the later ones CANCELED.
    if shared.cancel_gradually(&id, 1).is_none() {
        return not_found(&id);
    }
    altered(fault, |_| json(200, &RunId { run_id: Some(id) })).await
}

async fn list_tasks(
    State(shared): State<Arc<Shared>>,
    Extension(submissions): Extension<Arc<Submissions>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let id = match path_value(path) {
        Ok(id) => id,
        Err(refused) => return *refused,
    };
    let Query(query) = match query {
        Ok(query) => query,
        Err(rejection) => return bad_request(&rejection.body_text()),
    };
    if let Err(message) = query.size() {
        return bad_request(&message);
    }
    // Every run has one task, so there is never a second page to point to.
    if let Some(token) = query.token() {
        return bad_request(&format!("page_token {token:?} was not handed out"));
    }
    let fault = shared.serve("list_tasks", Some(&id));
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let Some(run) = Run::read(&shared, &id, false) else {
        return not_found(&id);
    };
    let request = submissions.request(&id);
    altered(fault, |_| {
        json(
            200,
            &TaskListResponse {
                next_page_token: Some(String::new()),
                task_logs: Some(vec![run.task(workflow_name(&request.workflow_url))].into()),
            },
        )
    })
    .await
}

async fn get_task(
    State(shared): State<Arc<Shared>>,
    Extension(submissions): Extension<Arc<Submissions>>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let (id, task) = match path_value(path) {
        Ok(ids) => ids,
        Err(refused) => return *refused,
    };
    let fault = shared.serve("get_task", Some(&id));
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let Some(run) = Run::read(&shared, &id, false) else {
        return not_found(&id);
    };
    if task != TASK_ID {
        return error(404, &format!("run {id} has no task {task}"));
    }
    let request = submissions.request(&id);
    altered(fault, |_| {
        json(200, &run.task(workflow_name(&request.workflow_url)))
    })
    .await
}

#[cfg(test)]
mod tests {
    use futures::TryStreamExt;
    use ga4gh_wes::Attachment;
    use reqwest::multipart::{Form, Part};

    use super::*;
    use crate::simulator::Script;

    fn url(server: &Server, path: &str) -> String {
        format!("{}{BASE_PATH}{path}", server.base_url())
    }

    #[tokio::test]
    async fn a_submission_is_echoed_in_its_run_log_and_has_one_task() {
        let server = Ga4ghWesSimulator::start().await;
        server.set_script(Script::new(2, 1, Phase::Succeeded));
        let client = server.client();
        let run = client
            .run_workflow()
            .workflow_url("echo.cwl")
            .workflow_type("CWL")
            .workflow_type_version("v1.2")
            .workflow_params(&serde_json::json!({"message": "hi"}))
            .tag("purpose", "test")
            .attachment(Attachment::from_bytes("echo.cwl", "cwlVersion: v1.2\n"))
            .send()
            .await
            .expect("submitted")
            .into_inner();
        let ga4gh_wes::Accepted::Run(run_id) = run.accepted() else {
            panic!("the simulator names every run it accepts")
        };

        let mut states = Vec::new();
        for _ in 0..5 {
            let status = client.get_run_status().run_id(run_id).send().await;
            states.push(status.expect("a status").into_inner().state);
        }
        assert_eq!(
            states,
            [
                RunState::Queued,
                RunState::Initializing,
                RunState::Running,
                RunState::Complete,
                RunState::Complete
            ]
        );

        let log = client.get_run_log().run_id(run_id).send().await;
        let log = log.expect("a run log").into_inner();
        let request = log.request.expect("the request");
        assert_eq!(request.workflow_url, "echo.cwl");
        assert_eq!(request.workflow_type_version.as_deref(), Some("v1.2"));
        assert_eq!(
            request.workflow_params,
            serde_json::json!({"message": "hi"})
                .as_object()
                .cloned()
                .map(OrRaw::from)
        );
        assert_eq!(
            request.tags,
            Some(HashMap::from([("purpose".to_owned(), "test".to_owned())]).into())
        );
        let run_log = log.run_log.expect("the log of the run");
        assert_eq!(
            (run_log.exit_code, run_log.stderr.as_deref()),
            (Some(0), None)
        );
        let ended = run_log
            .end_time
            .and_then(|t| t.instant())
            .map(|t| t.to_rfc3339());
        assert_eq!(ended.as_deref(), Some("2025-06-02T08:04:30+00:00"));
        assert!(
            log.outputs
                .and_then(OrRaw::into_typed)
                .is_some_and(|outputs| outputs.contains_key("output"))
        );
        let tasks_url = log.task_logs_url.expect("the task list URL");
        assert_eq!(tasks_url, url(&server, &format!("/runs/{run_id}/tasks")));

        let tasks: Vec<TaskLog> = client
            .list_tasks()
            .run_id(run_id)
            .stream()
            .try_collect()
            .await
            .expect("the tasks");
        assert_eq!(tasks.len(), 1);
        let task = client
            .get_task()
            .run_id(run_id)
            .task_id(TASK_ID)
            .send()
            .await
            .expect("the task")
            .into_inner();
        assert_eq!(task, tasks[0]);
        assert_eq!(
            (task.name.as_deref(), task.exit_code),
            (Some("echo.cwl"), Some(0))
        );
    }

    #[tokio::test]
    async fn the_service_info_counts_runs_by_state() {
        let server = Ga4ghWesSimulator::start().await;
        server.add_job(Script::new(1, 0, Phase::Succeeded));
        let failed = server.add_job(Script::new(0, 0, Phase::Failed));
        let client = server.client();
        client
            .get_run_status()
            .run_id(&failed)
            .send()
            .await
            .expect("a status");

        let info = client.get_service_info().send().await.expect("the info");
        assert_eq!(info.supported_wes_versions, ["1.1.0"]);
        let cwl = info.workflow_type_versions.get("CWL").cloned();
        assert_eq!(
            cwl.and_then(|cwl| cwl.workflow_type_version),
            Some(vec!["v1.0".to_owned(), "v1.1".to_owned(), "v1.2".to_owned()].into())
        );
        assert_eq!(
            info.system_state_counts,
            Some(
                HashMap::from([("QUEUED".to_owned(), 1), ("EXECUTOR_ERROR".to_owned(), 1)]).into()
            )
        );
    }

    #[tokio::test]
    async fn a_failed_run_logs_its_exit_code_and_stderr_and_a_cancel_is_gradual() {
        let server = Ga4ghWesSimulator::start().await;
        let failed = server.add_job(Script::new(0, 0, Phase::Failed));
        let running = server.add_job(Script::new(0, 5, Phase::Succeeded));
        let client = server.client();

        let log = client.get_run_log().run_id(&failed).send().await;
        let log = log.expect("a run log").into_inner();
        assert_eq!(log.state, RunState::ExecutorError);
        assert_eq!(
            log.request.map(|r| r.workflow_url).as_deref(),
            Some("echo.cwl")
        );
        let run_log = log.run_log.expect("the log of the run");
        assert_eq!(run_log.exit_code, Some(FAILED_EXIT_CODE));
        assert!(run_log.stderr.is_some_and(|e| e.contains("permanentFail")));

        let cancelled = client.cancel_run().run_id(&running).send().await;
        assert_eq!(
            cancelled.expect("accepted").into_inner().run_id,
            Some(running.clone())
        );
        let finished = client.cancel_run().run_id(&failed).send().await;
        assert_eq!(
            finished.expect("accepted").into_inner().run_id,
            Some(failed.clone())
        );
        let state = |id: String| {
            let client = client.clone();
            async move {
                let status = client.get_run_status().run_id(id).send().await;
                status.expect("a status").into_inner().state
            }
        };
        assert_eq!(state(running.clone()).await, RunState::Canceling);
        assert_eq!(state(running.clone()).await, RunState::Canceled);
        assert_eq!(state(running).await, RunState::Canceled);
        assert_eq!(
            state(failed).await,
            RunState::ExecutorError,
            "a finished run stays"
        );
    }

    #[tokio::test]
    async fn malformed_requests_get_wes_error_bodies() {
        let server = Ga4ghWesSimulator::start().await;
        let run = server.add_job(Script::default());
        let http = reqwest::Client::new();
        let bearer = format!("Bearer {TOKEN}");
        let authorized =
            |request: reqwest::RequestBuilder| request.header("authorization", &bearer);
        let form = |fields: &[(&'static str, &'static str)]| {
            fields
                .iter()
                .fold(Form::new(), |form, (name, value)| form.text(*name, *value))
        };
        let submit = |form: Form| authorized(http.post(url(&server, "/runs"))).multipart(form);
        let params = ("workflow_params", "{}");
        let absolute = ("workflow_url", "https://example.org/echo.cwl");
        let requests = [
            (http.get(url(&server, "/service-info")), 401),
            (
                http.get(url(&server, &format!("/runs/{run}/status")))
                    .header("authorization", "Bearer expired"),
                401,
            ),
            (
                http.get(url(&server, "/runs"))
                    .header("x-sbg-auth-token", TOKEN),
                401,
            ),
            (authorized(http.get(url(&server, "/runs?page_size=x"))), 400),
            (authorized(http.get(url(&server, "/runs?page_size=0"))), 400),
            (authorized(http.get(url(&server, "/runs?page_token=nope"))), 400),
            (
                authorized(http.get(url(&server, &format!("/runs/{run}/tasks?page_token=2")))),
                400,
            ),
            (
                authorized(http.post(url(&server, "/runs")))
                    .json(&serde_json::json!({"workflow_url": "echo.cwl", "workflow_params": {}})),
                415,
            ),
            (
                authorized(http.post(url(&server, "/runs")))
                    .header("content-type", "multipart/form-data")
                    .body("no boundary"),
                400,
            ),
            (
                authorized(http.post(url(&server, "/runs")))
                    .header("content-type", "multipart/form-data; boundary=XYZ")
                    .body("--XYZ\r\nContent-Disposition: form-data; name=\"workflow_url\"\r\n\r\necho"),
                400,
            ),
            (submit(form(&[params])), 400),
            (submit(form(&[absolute])), 400),
            (submit(form(&[absolute, ("workflow_params", "not json")])), 400),
            (submit(form(&[absolute, ("workflow_params", "[1]")])), 400),
            (submit(form(&[absolute, params, ("tags", "{\"n\": 1}")])), 400),
            (
                submit(form(&[absolute, params, ("workflow_engine_parameters", "3")])),
                400,
            ),
            (submit(form(&[absolute, params, ("workflow_type", "WDL")])), 400),
            (
                submit(form(&[absolute, params, ("workflow_type_version", "v2.0")])),
                400,
            ),
            (
                submit(form(&[absolute, params, ("workflow_engine_version", "3.1")])),
                400,
            ),
            (submit(form(&[("workflow_url", "echo.cwl"), params])), 400),
            (
                submit(form(&[("workflow_url", "#/workflow_attachment/0"), params])),
                400,
            ),
            (
                submit(form(&[absolute, params]).part(
                    "workflow_attachment",
                    Part::bytes(b"x".to_vec()).file_name("../escape.cwl"),
                )),
                400,
            ),
            (submit(form(&[absolute, params]).part("workflow_attachment", Part::bytes(b"x".to_vec()))), 400),
            (authorized(http.get(url(&server, "/runs/404/status"))), 404),
            (authorized(http.get(url(&server, "/runs/404"))), 404),
            (authorized(http.post(url(&server, "/runs/404/cancel"))), 404),
            (authorized(http.get(url(&server, "/runs/404/tasks"))), 404),
            (authorized(http.get(url(&server, &format!("/runs/{run}/tasks/2")))), 404),
            (authorized(http.get(url(&server, "/runs/%FF/status"))), 400),
            (authorized(http.get(url(&server, "/workflows"))), 404),
            (authorized(http.delete(url(&server, "/runs"))), 405),
        ];
        for (n, (request, expected)) in requests.into_iter().enumerate() {
            let response = request.send().await.expect("answered");
            assert_eq!(response.status().as_u16(), expected, "request {n}");
            let body: ErrorResponse = response.json().await.expect("the WES error body");
            assert_eq!(body.status_code, Some(i32::from(expected)), "request {n}");
            assert!(body.msg.is_some_and(|m| !m.is_empty()), "request {n}");
        }
        let served: Vec<_> = server.served().into_iter().map(|s| s.operation).collect();
        assert_eq!(
            served,
            [
                "get_run_status",
                "get_run_log",
                "cancel_run",
                "list_tasks",
                "get_task"
            ],
            "refused requests are not served; those about unknown runs are"
        );

        let accepted = submit(
            form(&[("workflow_url", "#/workflow_attachment/0"), params]).part(
                "workflow_attachment",
                Part::bytes(b"x".to_vec()).file_name("tools/echo.cwl"),
            ),
        );
        let response = accepted.send().await.expect("answered");
        assert_eq!(response.status().as_u16(), 200);
        let created: RunId = response.json().await.expect("a run id");
        assert_ne!(created.run_id, Some(run));
    }
}
