//! A simulated Infor OS RPA service, as reached through the ION API Gateway: the job list,
//! a job with its runs, `_execute` and the process list.
//!
//! A job added with [`Server::add_job`] has run once: its first run (job instance) has
//! the job's own id and follows the given script. `_execute` starts another run, with a
//! new id and the server's default script ([`Server::set_script`]), and answers with it.
//! Each read of a job counts as a poll of each of its runs.
//!
//! Runs are answered `not-started` (pending), `running`, `completed`, `failed` and
//! `cancelled`, with start and end times. The job's own status is that of its latest run
//! (`scheduled` while that run is pending), or `disabled` once
//! [`InforRpaSimulator::disable_job`] switched the job off; its runs go on. Phases Infor has no
//! word for are sent as the phase's name, which clients read as an unlisted status.
//!
//! Every call needs `Authorization: Bearer` [`TOKEN`] (401 otherwise). The simulator has
//! one environment, `default`, and one process. Infor has no cancel operation.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Response, header};
use axum::routing::{get, post};
use infor_rpa::BuildError;
use infor_rpa::types::{
    ErrorDetail, ErrorResponse, ExecuteJobRequest, Job, JobContext, JobInstance, JobInstanceStatus,
    JobList, JobListObject, JobMetadata, JobStatus, Process, ProcessList, ProcessVersion,
    ProcessVersionStatus,
};
use serde_json::json;

use jobstatus_runtime::Sent;

use super::Server;
use super::server::{Shared, altered, json, replacement, simulator_server, typed, unrouted};
use crate::Phase;

/// The access token [`client`](InforRpaSimulator::client) sends and the simulator takes.
pub const TOKEN: &str = "simulated-ion-api-access-token";

/// The one environment the simulator has.
const ENVIRONMENT: &str = "default";
/// The execution mode of every job.
const JOB_TYPE: &str = "Unattended";
const PROCESS_ID: &str = "9b2f4c1e-7a3d-4e8b-b5c6-1d0e2f3a4b5c";
const PROCESS_NAME: &str = "SupplierInvoicePosting";
const USER: &str = "rpa.admin@example.com";
const CREATED: &str = "2025-06-01T07:30:00Z";
/// When every run starts and ends: the simulator's runs keep no wall-clock time.
const STARTED: &str = "2025-06-02T08:00:00Z";
const ENDED: &str = "2025-06-02T08:04:30Z";

/// A simulated Infor OS RPA service on 127.0.0.1; it stops when dropped.
///
/// Dereferences to its [`Server`] for scripts, faults and the request log.
#[derive(Debug)]
pub struct InforRpaSimulator {
    server: Server,
}

simulator_server!(InforRpaSimulator);

impl InforRpaSimulator {
    /// Starts a simulated Infor RPA service on 127.0.0.1; its base URL stands for the
    /// tenant's `https://<gateway>/<tenant>/RPA`.
    pub async fn start() -> Self {
        let router = Router::new()
            .route("/api/v1/rpa/jobs", get(list_jobs))
            .route("/api/v1/rpa/jobs/{id}", get(get_job))
            .route("/api/v1/rpa/jobs/{id}/_execute", post(execute_job))
            .route("/api/v1/rpa/process", get(list_processes));
        Self {
            server: Server::start(unrouted(router, error), Arc::default()).await,
        }
    }

    /// An Infor RPA client for this simulator that sends [`TOKEN`].
    ///
    /// It has no timeouts, so it works under tokio's paused
    /// clock; a delay fault is then seen in full.
    pub fn client(&self) -> infor_rpa::Client {
        self.client_with_token(TOKEN)
            .expect("TOKEN is a valid header value")
    }

    /// As [`Self::client`], sending `token` instead, to see how a refused token
    /// is handled.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidCredential`] when `token` cannot be sent as an HTTP header
    /// value.
    pub fn client_with_token(&self, token: &str) -> Result<infor_rpa::Client, BuildError> {
        infor_rpa::Client::builder(self.base_url())
            .bearer_token(token)
            .timeout(None)
            .connect_timeout(None)
            .build()
    }

    /// Switches Infor job `id` off: from now on its status is `disabled`, `active` is
    /// false, and `_execute` is refused; runs already started go on. `false` for an
    /// unknown job.
    pub fn disable_job(&self, id: &str) -> bool {
        self.shared.runs(id).is_some() && self.shared.disable(id)
    }
}

fn error(status: u16, message: &str) -> Response<Body> {
    json(
        status,
        &ErrorResponse {
            error: Some(ErrorDetail {
                code: Some(status.to_string()),
                message: Some(message.to_owned()),
            }),
            message: None,
        },
    )
}

fn simulated_failure(status: u16) -> Response<Body> {
    error(status, "simulated failure")
}

fn not_found(id: &str) -> Response<Body> {
    error(404, &format!("job {id} not found"))
}

/// The gateway's answer when the bearer token is missing or not [`TOKEN`].
fn refusal(headers: &HeaderMap) -> Option<Response<Body>> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    (token != Some(TOKEN)).then(|| error(401, "missing or invalid bearer token"))
}

/// The job id of the path, or Infor's answer when it cannot be read (bad percent-encoding).
fn job_id(path: Result<Path<String>, PathRejection>) -> Result<String, Box<Response<Body>>> {
    path.map(|Path(id)| id)
        .map_err(|rejection| Box::new(error(400, &rejection.body_text())))
}

/// A job and its runs, as one request reads them.
struct Snapshot {
    id: String,
    disabled: bool,
    /// Each run's id and phase, oldest first; the job's own id first.
    runs: Vec<(String, Phase)>,
}

impl Snapshot {
    /// Reads job `id`, counting a poll of each of its runs when `poll` is set; `None` for
    /// an unknown job.
    fn read(shared: &Shared, id: &str, poll: bool) -> Option<Self> {
        let runs = shared
            .runs(id)?
            .into_iter()
            .filter_map(|run| {
                let phase = if poll {
                    shared.poll(&run)
                } else {
                    shared.peek(&run)
                };
                Some((run, phase?))
            })
            .collect();
        Some(Self {
            id: id.to_owned(),
            disabled: shared.is_disabled(id),
            runs,
        })
    }

    /// The job record; `state` stands in for every status word in it.
    fn job(&self, state: Option<&str>) -> Job {
        let latest = self.runs.last().map_or(Phase::Pending, |(_, phase)| *phase);
        let status = match (state, self.disabled, latest) {
            (Some(state), _, _) => Sent::read(state),
            (None, true, _) => JobStatus::Disabled.into(),
            (None, false, Phase::Pending) => JobStatus::Scheduled.into(),
            (None, false, phase) => JobStatus::from(instance_status(phase).as_str()).into(),
        };
        let started = |phase: Phase| (phase != Phase::Pending).then(|| STARTED.to_owned());
        let ended = latest.is_terminal().then(|| ENDED.to_owned());
        Job {
            active: Some(!self.disabled),
            created_by: Some(USER.to_owned()),
            description: Some("Posts the day's supplier invoices".to_owned()),
            end_date: ended.clone(),
            environment_id: Some(ENVIRONMENT.to_owned()),
            eo_enabled: Some(false),
            eo_flow_enabled: Some(false),
            force_user_context: Some(false),
            id: self.id.clone(),
            job_context: Some(JobContext {
                device_name: Some("RPA-VM-01".to_owned()),
                robot_name: Some("Invoice robot".to_owned()),
                ..JobContext::default()
            }),
            job_execution_strategy: Some(json!("OnDemand")),
            job_instances: Some(
                self.runs
                    .iter()
                    .map(|(run, phase)| instance(run, *phase, state))
                    .collect(),
            ),
            job_name: Some(format!("Post supplier invoices {}", self.id)),
            metadata: Some(JobMetadata {
                completed_at: ended,
                created_at: Some(CREATED.to_owned()),
                created_by: Some(USER.to_owned()),
                updated_at: Some(CREATED.to_owned()),
                updated_by: Some(USER.to_owned()),
            }),
            next_trigger: None,
            preferences: None,
            previous_trigger: started(latest),
            priority: Some(json!("Normal")),
            process_id: Some(PROCESS_ID.to_owned()),
            process_name: Some(PROCESS_NAME.to_owned()),
            process_version: Some(json!(3)),
            scheduled: Some(json!(false)),
            start_date: self.runs.first().and_then(|(_, phase)| started(*phase)),
            status: Some(status),
            type_: Some(JOB_TYPE.to_owned()),
        }
    }

    /// The job as the job list carries it: without its runs, context and metadata.
    fn list_item(&self) -> Job {
        Job {
            job_instances: None,
            job_context: None,
            metadata: None,
            ..self.job(None)
        }
    }
}

fn instance_status(phase: Phase) -> JobInstanceStatus {
    match phase {
        Phase::Pending => JobInstanceStatus::NotStarted,
        Phase::Running => JobInstanceStatus::Running,
        Phase::Succeeded => JobInstanceStatus::Completed,
        Phase::Failed => JobInstanceStatus::Failed,
        Phase::Cancelled => JobInstanceStatus::Cancelled,
        Phase::Cancelling | Phase::Unknown => JobInstanceStatus::from(phase.as_str()),
    }
}

fn instance(id: &str, phase: Phase, state: Option<&str>) -> JobInstance {
    JobInstance {
        id: id.to_owned(),
        status: Some(state.map_or_else(|| instance_status(phase).into(), Sent::read)),
        start_time: (phase != Phase::Pending).then(|| STARTED.to_owned()),
        end_time: phase.is_terminal().then(|| ENDED.to_owned()),
    }
}

#[derive(serde::Deserialize)]
struct JobsQuery {
    environment: String,
    #[serde(rename = "type")]
    job_type: Option<String>,
}

#[derive(serde::Deserialize)]
struct ProcessQuery {
    environment: String,
}

async fn list_jobs(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    query: Result<Query<JobsQuery>, QueryRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let Query(query) = match query {
        Ok(query) => query,
        Err(rejection) => return error(400, &rejection.body_text()),
    };
    let fault = shared.serve("list_jobs", None);
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let listed = query.environment == ENVIRONMENT
        && query
            .job_type
            .is_none_or(|job_type| job_type.eq_ignore_ascii_case(JOB_TYPE));
    let jobs: Vec<Snapshot> = if listed {
        shared
            .job_ids()
            .iter()
            .filter_map(|id| Snapshot::read(&shared, id, false))
            .collect()
    } else {
        Vec::new()
    };
    altered(fault, |_| {
        let jobs = jobs.iter().map(Snapshot::list_item).collect();
        json(200, &JobList::Object(JobListObject { jobs }))
    })
    .await
}

async fn get_job(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let id = match job_id(path) {
        Ok(id) => id,
        Err(refused) => return *refused,
    };
    let fault = shared.serve("get_job", Some(&id));
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let Some(snapshot) = Snapshot::read(&shared, &id, true) else {
        return not_found(&id);
    };
    altered(fault, |state| json(200, &snapshot.job(state.as_deref()))).await
}

async fn execute_job(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let id = match job_id(path) {
        Ok(id) => id,
        Err(refused) => return *refused,
    };
    // The body is optional; when there is one, it must be the request object.
    let parsed = body.map_err(|e| e.body_text()).and_then(|body| {
        if body.is_empty() {
            Ok(ExecuteJobRequest::default())
        } else {
            serde_json::from_slice(&body)
                .map_err(|e| e.to_string())
                .and_then(typed::<ExecuteJobRequest>)
        }
    });
    if let Err(message) = parsed {
        return error(400, &message);
    }
    let fault = shared.serve("execute_job", Some(&id));
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    if shared.is_disabled(&id) {
        return error(409, &format!("job {id} is disabled"));
    }
    let Some(run) = shared.add_run(&id) else {
        return not_found(&id);
    };
    altered(fault, |state| {
        json(202, &instance(&run, Phase::Pending, state.as_deref()))
    })
    .await
}

async fn list_processes(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    query: Result<Query<ProcessQuery>, QueryRejection>,
) -> Response<Body> {
    if let Some(refused) = refusal(&headers) {
        return refused;
    }
    let Query(query) = match query {
        Ok(query) => query,
        Err(rejection) => return error(400, &rejection.body_text()),
    };
    let fault = shared.serve("list_processes", None);
    if let Some(replaced) = replacement(fault.as_ref(), simulated_failure) {
        return replaced;
    }
    let listed = query.environment == ENVIRONMENT;
    altered(fault, |_| {
        let processes = if listed { vec![process()] } else { Vec::new() };
        json(200, &ProcessList { processes })
    })
    .await
}

fn process() -> Process {
    let version = |number: u32, status: ProcessVersionStatus| ProcessVersion {
        created_at: Some(CREATED.to_owned()),
        status: Some(status.into()),
        version: Some(json!(number)),
        version_id: Some(format!("{PROCESS_ID}-v{number}")),
    };
    Process {
        current_version: Some(json!(3)),
        exception_handler: Some(false),
        id: Some(PROCESS_ID.to_owned()),
        name: Some(PROCESS_NAME.to_owned()),
        type_: Some(JOB_TYPE.to_owned()),
        versions: Some(vec![
            version(3, ProcessVersionStatus::Finalized),
            version(4, ProcessVersionStatus::Draft),
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulator::Script;

    #[tokio::test]
    async fn lists_jobs_and_processes_and_starts_runs() {
        let server = InforRpaSimulator::start().await;
        let job = server.add_job(Script::new(0, 0, Phase::Succeeded));
        let other = server.add_job(Script::default());
        let client = server.client();

        let run = client.execute_job().id(&job).send().await.expect("started");
        assert_eq!(run.status().as_u16(), 202);
        assert_eq!(run.status, Some(JobInstanceStatus::NotStarted.into()));
        assert_ne!(run.id, job);

        let list = client
            .list_jobs()
            .environment(ENVIRONMENT)
            .send()
            .await
            .expect("listed")
            .into_inner();
        let listed: Vec<_> = list.jobs().iter().map(|j| j.id.as_str()).collect();
        assert_eq!(listed, [job.as_str(), other.as_str()], "runs are not jobs");
        assert!(list.jobs().iter().all(|j| j.job_instances.is_none()));
        assert!(server.served().iter().all(|s| s.operation != "get_job"));

        let elsewhere = client.list_jobs().environment("test").send().await;
        assert!(elsewhere.expect("listed").jobs().is_empty());

        let processes = client
            .list_processes()
            .environment(ENVIRONMENT)
            .send()
            .await;
        let processes = processes.expect("listed").into_inner().processes;
        assert_eq!(processes[0].name.as_deref(), Some(PROCESS_NAME));

        let detail = client.get_job().id(&job).send().await.expect("read");
        let runs: Vec<_> = detail.job_instances.iter().flatten().collect();
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].status, Some(JobInstanceStatus::Completed.into()));
        assert_eq!(runs[0].end_time.as_deref(), Some(ENDED));
        assert_eq!(
            detail.status,
            Some(JobStatus::Scheduled.into()),
            "its latest run is pending"
        );
    }

    #[tokio::test]
    async fn execute_is_refused_for_unknown_and_disabled_jobs() {
        let server = InforRpaSimulator::start().await;
        let job = server.add_job(Script::default());
        let client = server.client();
        let run = client.execute_job().id(&job).send().await.expect("started");

        let status = |answer: Result<_, infor_rpa::Error<ErrorResponse>>| match answer {
            Err(infor_rpa::Error::ErrorResponse(response)) => response.status().as_u16(),
            other => panic!("expected an error body: {other:?}"),
        };
        assert_eq!(status(client.execute_job().id("77").send().await), 404);
        assert_eq!(status(client.execute_job().id(&run.id).send().await), 404);
        assert!(!server.disable_job(&run.id), "a run is not a job");
        assert!(server.disable_job(&job));
        assert_eq!(status(client.execute_job().id(&job).send().await), 409);
        let detail = client.get_job().id(&job).send().await.expect("read");
        assert_eq!(
            (detail.status.clone(), detail.active),
            (Some(JobStatus::Disabled.into()), Some(false))
        );
    }

    #[tokio::test]
    async fn malformed_requests_get_infor_error_bodies() {
        let server = InforRpaSimulator::start().await;
        let job = server.add_job(Script::default());
        let http = reqwest::Client::new();
        let url = |path: &str| format!("{}{path}", server.base_url());
        let bearer = format!("Bearer {TOKEN}");
        let requests = [
            (http.get(url("/api/v1/rpa/jobs?environment=default")), 401),
            (
                http.get(url("/api/v1/rpa/jobs/1"))
                    .header("authorization", "Basic dXNlcjpwYXNz"),
                401,
            ),
            (
                http.get(url("/api/v1/rpa/jobs"))
                    .header("authorization", &bearer),
                400,
            ),
            (
                http.post(url(&format!("/api/v1/rpa/jobs/{job}/_execute")))
                    .header("authorization", &bearer)
                    .body("{\"arguments\": [oops"),
                400,
            ),
            (
                http.post(url(&format!("/api/v1/rpa/jobs/{job}/_execute")))
                    .header("authorization", &bearer)
                    .body("[]"),
                400,
            ),
            (
                http.post(url(&format!("/api/v1/rpa/jobs/{job}/_execute")))
                    .header("authorization", &bearer)
                    .body("{\"arguments\": null}"),
                400,
            ),
            (
                http.get(url("/api/v1/rpa/process"))
                    .header("authorization", &bearer),
                400,
            ),
            (
                http.get(url("/api/v1/rpa/robots"))
                    .header("authorization", &bearer),
                404,
            ),
            (
                http.delete(url("/api/v1/rpa/jobs/1"))
                    .header("authorization", &bearer),
                405,
            ),
        ];
        for (request, expected) in requests {
            let response = request.send().await.expect("answered");
            assert_eq!(response.status().as_u16(), expected);
            let body: ErrorResponse = response.json().await.expect("Infor's error body");
            let code = body.error.and_then(|e| e.code);
            assert_eq!(code, Some(expected.to_string()));
        }
        assert!(
            server.served().is_empty(),
            "refused requests are not served"
        );

        let empty = http
            .post(url(&format!("/api/v1/rpa/jobs/{job}/_execute")))
            .header("authorization", &bearer)
            .send()
            .await
            .expect("answered");
        assert_eq!(empty.status().as_u16(), 202, "the body is optional");
    }
}
