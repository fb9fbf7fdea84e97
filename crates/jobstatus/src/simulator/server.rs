//! What every simulator shares: scripted jobs, the fault queue, the request log, and the
//! loopback server itself.

// Each vendor's simulator uses a part of the core (ELMA deletes cancelled jobs, Infor runs a
// job more than once, WES reports a cancel under way); with only some vendors compiled in,
// the rest goes unused.
#![cfg_attr(
    not(all(
        feature = "elma-rpa",
        feature = "infor-rpa",
        feature = "clear-one-integration",
        feature = "ga4gh-wes",
        feature = "cora-sequence-rpa"
    )),
    allow(dead_code)
)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Response, StatusCode, header};
use tokio::sync::oneshot;
use tokio::time::Instant;

use crate::Phase;

/// A job's scripted life: so many status polls pending, so many running, then its
/// terminal phase for good.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Script {
    /// Polls answered with a pending state.
    pub pending_polls: u32,
    /// Polls answered with a running state, after the pending ones.
    pub running_polls: u32,
    /// The phase every later poll answers with.
    pub outcome: Phase,
}

impl Script {
    /// A job pending for `pending_polls` polls, running for `running_polls`, then `outcome`.
    pub fn new(pending_polls: u32, running_polls: u32, outcome: Phase) -> Self {
        Self {
            pending_polls,
            running_polls,
            outcome,
        }
    }

    /// The phase answered at poll number `poll` (counting from 0).
    pub fn phase_at(&self, poll: u32) -> Phase {
        if poll < self.pending_polls {
            Phase::Pending
        } else if poll < self.pending_polls.saturating_add(self.running_polls) {
            Phase::Running
        } else {
            self.outcome
        }
    }
}

impl Default for Script {
    fn default() -> Self {
        Self::new(1, 2, Phase::Succeeded)
    }
}

/// A fault the simulator answers the next request with, instead of the normal answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// An HTTP error status with the vendor's error body and an optional `Retry-After`.
    Status {
        /// HTTP status.
        status: u16,
        /// `Retry-After`, as sent (seconds or an HTTP date).
        retry_after: Option<String>,
    },
    /// The normal answer, after a delay.
    Delay(Duration),
    /// The normal answer cut off halfway.
    Truncated,
    /// A body that is not the vendor's format at all.
    Malformed,
    /// A web server's HTML error page with this status.
    HtmlPage(u16),
    /// The normal answer, with this state word in place of the scripted one.
    UnknownState(String),
    /// A SOAP fault (SOAP vendors; HTTP vendors answer a 500 with their error body).
    SoapFault {
        /// The fault code, such as `soap:Server`.
        code: String,
        /// The fault string.
        reason: String,
    },
}

/// One request the simulator answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    /// When it arrived, on tokio's clock.
    pub at: Instant,
    /// The vendor operation (`task_status`, `GetStatus`, ...).
    pub operation: String,
    /// The job it was about, if any.
    pub job: Option<String>,
}

/// A cancel asked for.
#[derive(Clone, Copy, Debug)]
struct Cancel {
    /// The job's poll count when it was asked for.
    at: u32,
    /// How many polls from then on answer Cancelling before they answer Cancelled.
    cancelling_polls: u32,
}

#[derive(Debug)]
struct SimJob {
    script: Script,
    polls: u32,
    cancel: Option<Cancel>,
    /// The job this is a later run of, for vendors whose jobs run more than once.
    run_of: Option<String>,
    /// Switched off at the vendor; its runs go on.
    disabled: bool,
}

impl SimJob {
    /// The phase the next poll answers.
    fn phase(&self) -> Phase {
        match self.cancel {
            Some(Cancel {
                at,
                cancelling_polls,
            }) if self.polls < at.saturating_add(cancelling_polls) => Phase::Cancelling,
            Some(_) => Phase::Cancelled,
            None => self.script.phase_at(self.polls),
        }
    }
}

/// The state a simulator's handlers share.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    jobs: Mutex<HashMap<String, SimJob>>,
    faults: Mutex<VecDeque<Fault>>,
    script: Mutex<Script>,
    served: Mutex<Vec<Served>>,
    next_id: Mutex<u64>,
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A handler that panicked cannot leave these maps half-written; keep serving.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    /// Records a request and takes the fault to answer it with, if one is queued.
    pub(crate) fn serve(&self, operation: &str, job: Option<&str>) -> Option<Fault> {
        lock(&self.served).push(Served {
            at: Instant::now(),
            operation: operation.to_owned(),
            job: job.map(str::to_owned),
        });
        lock(&self.faults).pop_front()
    }

    /// Creates a job with the current default script and returns its id.
    pub(crate) fn create(&self) -> String {
        let script = *lock(&self.script);
        self.insert(script)
    }

    fn insert(&self, script: Script) -> String {
        self.insert_run(script, None)
    }

    fn insert_run(&self, script: Script, run_of: Option<&str>) -> String {
        let id = {
            let mut next = lock(&self.next_id);
            *next += 1;
            next.to_string()
        };
        lock(&self.jobs).insert(
            id.clone(),
            SimJob {
                script,
                polls: 0,
                cancel: None,
                run_of: run_of.map(str::to_owned),
                disabled: false,
            },
        );
        id
    }

    /// Starts another run of job `job` with the current default script and returns the
    /// run's id; `None` for an unknown job or one that is itself a run.
    pub(crate) fn add_run(&self, job: &str) -> Option<String> {
        self.runs(job)?;
        let script = *lock(&self.script);
        Some(self.insert_run(script, Some(job)))
    }

    /// Job `job` (its own first run) and its later runs, in the order they started;
    /// `None` for an unknown job or one that is itself a run.
    pub(crate) fn runs(&self, job: &str) -> Option<Vec<String>> {
        let jobs = lock(&self.jobs);
        if jobs.get(job)?.run_of.is_some() {
            return None;
        }
        let mut runs: Vec<String> = jobs
            .iter()
            .filter(|(_, run)| run.run_of.as_deref() == Some(job))
            .map(|(id, _)| id.clone())
            .collect();
        runs.push(job.to_owned());
        in_creation_order(&mut runs);
        Some(runs)
    }

    /// Every job that is not a later run of another, in the order they were added.
    pub(crate) fn job_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = lock(&self.jobs)
            .iter()
            .filter(|(_, job)| job.run_of.is_none())
            .map(|(id, _)| id.clone())
            .collect();
        in_creation_order(&mut ids);
        ids
    }

    /// Switches job `id` off, as a vendor's console does; `false` for an unknown job.
    pub(crate) fn disable(&self, id: &str) -> bool {
        match lock(&self.jobs).get_mut(id) {
            Some(job) => {
                job.disabled = true;
                true
            }
            None => false,
        }
    }

    /// Whether job `id` is switched off (`false` for an unknown job).
    pub(crate) fn is_disabled(&self, id: &str) -> bool {
        lock(&self.jobs).get(id).is_some_and(|job| job.disabled)
    }

    /// The phase of job `id` at this poll, counting the poll; `None` for an unknown job.
    pub(crate) fn poll(&self, id: &str) -> Option<Phase> {
        self.read(id, true).map(|(phase, _)| phase)
    }

    /// The phase of job `id` without counting a poll.
    pub(crate) fn peek(&self, id: &str) -> Option<Phase> {
        self.read(id, false).map(|(phase, _)| phase)
    }

    /// The phase of job `id` that the next poll answers, and how many polls it had before,
    /// counting this read as a poll when `count` is set; `None` for an unknown job.
    pub(crate) fn read(&self, id: &str, count: bool) -> Option<(Phase, u32)> {
        let mut jobs = lock(&self.jobs);
        let job = jobs.get_mut(id)?;
        let read = (job.phase(), job.polls);
        if count {
            job.polls += 1;
        }
        Some(read)
    }

    /// Cancels job `id` unless it already ended; returns its phase after the request, or
    /// `None` for an unknown job.
    pub(crate) fn cancel(&self, id: &str) -> Option<Phase> {
        self.cancel_gradually(id, 0)
    }

    /// Cancels job `id` unless it already ended or a cancel is under way, for vendors that
    /// report a cancel in progress: the next `cancelling_polls` polls answer Cancelling,
    /// the later ones Cancelled. Returns the phase the next poll answers, or `None` for an
    /// unknown job.
    pub(crate) fn cancel_gradually(&self, id: &str, cancelling_polls: u32) -> Option<Phase> {
        let mut jobs = lock(&self.jobs);
        let job = jobs.get_mut(id)?;
        if job.cancel.is_none() && !job.phase().is_terminal() {
            job.cancel = Some(Cancel {
                at: job.polls,
                cancelling_polls,
            });
        }
        Some(job.phase())
    }

    /// Removes job `id`, as vendors that delete a cancelled job do.
    pub(crate) fn remove(&self, id: &str) {
        lock(&self.jobs).remove(id);
    }
}

/// Sorts ids handed out by the counter: numbers, so shorter ones are older.
fn in_creation_order(ids: &mut [String]) {
    ids.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
}

/// The loopback server under every vendor's simulator, and what they all offer: the base
/// URL, scripted jobs, injected faults and the log of requests served.
///
/// Each vendor's simulator type (such as
/// [`ElmaRpaSimulator`](super::elma_rpa::ElmaRpaSimulator)) dereferences to its `Server`,
/// so these methods are called on the simulator itself, and code that works with any
/// simulator can take a `&Server`. It stops when dropped, open connections included.
#[derive(Debug)]
pub struct Server {
    base_url: String,
    pub(crate) shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
}

impl Server {
    /// Serves `router` on a free port of 127.0.0.1.
    pub(crate) async fn start(router: Router<Arc<Shared>>, shared: Arc<Shared>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on 127.0.0.1");
        let base_url = format!(
            "http://{}",
            listener
                .local_addr()
                .expect("a bound listener has an address")
        );
        let app = router.with_state(Arc::clone(&shared));
        let (stop, stopped) = oneshot::channel::<()>();
        // A graceful shutdown also closes kept-alive connections, whose tasks would
        // otherwise go on serving after the server is dropped.
        tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(error) = serve.await {
                tracing::error!(%error, "simulator stopped");
            }
        });
        Self {
            base_url,
            shared,
            stop: Some(stop),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The script of jobs created through the vendor's API from now on.
    pub fn set_script(&self, script: Script) {
        *lock(&self.shared.script) = script;
    }

    /// Adds a job with `script` and returns its id.
    pub fn add_job(&self, script: Script) -> String {
        self.shared.insert(script)
    }

    /// Queues `fault` as the answer to the next request (faults are used in order).
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push_back(fault);
    }

    /// Every request answered so far, in order.
    pub fn served(&self) -> Vec<Served> {
        lock(&self.shared.served).clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// `router`, answering requests no route takes (an unknown path, a method a path does not
/// have) with the vendor's error body rendered by `error` from an HTTP status and a
/// message, as the vendor's gateway would, rather than with an empty body.
pub(crate) fn unrouted(
    router: Router<Arc<Shared>>,
    error: fn(u16, &str) -> Response<Body>,
) -> Router<Arc<Shared>> {
    router
        .fallback(move || async move { error(404, "no such operation") })
        .method_not_allowed_fallback(move || async move { error(405, "method not allowed") })
}

/// A response with a body and content type.
pub(crate) fn respond(status: u16, content_type: &str, body: impl Into<Body>) -> Response<Body> {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap_or_default()
}

/// A JSON response.
pub(crate) fn json(status: u16, value: &impl serde::Serialize) -> Response<Body> {
    respond(
        status,
        "application/json",
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

/// A JSON request body read into its generated type `T`, or why the spec refuses it.
///
/// serde is more lenient than a schema in two ways, which this takes back:
/// - it reads a `null` as an absent optional property, but a spec admits `null` only where
///   a schema is `nullable` or has no type. So a `null` that `T` drops is refused when `T`
///   has a typed property there; a `null` in a property `T` does not know, or in free-form
///   JSON, is kept. (For request types without nullable properties, which is all of them.)
/// - it reads a JSON array into a struct, field by field, where a schema wants an object.
pub(crate) fn typed<T>(body: serde_json::Value) -> Result<T, String>
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let request: T = serde_json::from_value(body.clone()).map_err(|e| e.to_string())?;
    let kept = serde_json::to_value(&request).map_err(|e| e.to_string())?;
    let mut found = Leniency::default();
    found.visit(&body, &kept, &mut Vec::new());
    if let Some(path) = found.arrays_as_objects.first() {
        return Err(format!("{}: expected a JSON object", shown(path)));
    }
    for path in found.dropped_nulls {
        // A property that takes both a boolean and a number in place of the null is
        // one the type does not know, or free-form JSON.
        let takes = |probe: serde_json::Value| {
            let mut body = body.clone();
            if let Some(slot) = body.pointer_mut(&pointer(&path)) {
                *slot = probe;
            }
            serde_json::from_value::<T>(body).is_ok()
        };
        if !(takes(true.into()) && takes(0.into())) {
            return Err(format!("{}: null is not allowed here", shown(&path)));
        }
    }
    Ok(request)
}

/// Where serde took a request body that its schema may not: paths of the `null`s that the
/// typed request dropped, and of arrays that it read as objects.
#[derive(Default)]
struct Leniency {
    dropped_nulls: Vec<Vec<String>>,
    arrays_as_objects: Vec<Vec<String>>,
}

impl Leniency {
    /// Compares `sent` with `kept`, the same JSON read into a type and written back.
    fn visit(
        &mut self,
        sent: &serde_json::Value,
        kept: &serde_json::Value,
        path: &mut Vec<String>,
    ) {
        use serde_json::Value;
        let mut child = |this: &mut Self, segment: String, sent: &Value, kept: Option<&Value>| {
            path.push(segment);
            match kept {
                Some(kept) => this.visit(sent, kept, path),
                None if sent.is_null() => this.dropped_nulls.push(path.clone()),
                None => {}
            }
            path.pop();
        };
        match (sent, kept) {
            (Value::Object(sent), Value::Object(kept)) => {
                for (key, value) in sent {
                    child(self, key.clone(), value, kept.get(key));
                }
            }
            (Value::Array(sent), Value::Array(kept)) => {
                for (i, value) in sent.iter().enumerate() {
                    child(self, i.to_string(), value, kept.get(i));
                }
            }
            (Value::Array(_), Value::Object(_)) => self.arrays_as_objects.push(path.clone()),
            _ => {}
        }
    }
}

/// The JSON pointer of `path`.
fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|segment| format!("/{}", segment.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// `path` as a message shows it: `task.callback`, `fileInfo.0.filename`, or `body`.
fn shown(path: &[String]) -> String {
    if path.is_empty() {
        "body".to_owned()
    } else {
        path.join(".")
    }
}

/// The answer to `fault` when it replaces the normal answer entirely (an error status, an
/// HTML page, a malformed body, a SOAP fault); `None` for faults that only alter it.
///
/// `error` renders the vendor's error body for an HTTP status. A handler checks this before
/// it touches a job, so a failed call does not advance the job's script.
pub(crate) fn replacement(
    fault: Option<&Fault>,
    error: impl FnOnce(u16) -> Response<Body>,
) -> Option<Response<Body>> {
    Some(match fault? {
        Fault::Status {
            status,
            retry_after,
        } => {
            let mut response = error(*status);
            if let Some(value) = retry_after.as_deref().and_then(|v| v.parse().ok()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Fault::SoapFault { .. } => error(500),
        Fault::HtmlPage(status) => respond(
            *status,
            "text/html",
            format!(
                "<html><head><title>{status} Error</title></head><body><h1>Server Error</h1></body></html>"
            ),
        ),
        Fault::Malformed => respond(200, "application/json", "{\"answer\": [oops"),
        Fault::Delay(_) | Fault::Truncated | Fault::UnknownState(_) => return None,
    })
}

/// The normal answer, altered by `fault` if it is one that alters it: delayed, cut off
/// halfway, or with another state word (`normal` renders the answer with the given state
/// word in place of the scripted one).
pub(crate) async fn altered(
    fault: Option<Fault>,
    normal: impl FnOnce(Option<String>) -> Response<Body>,
) -> Response<Body> {
    match fault {
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            normal(None)
        }
        Some(Fault::UnknownState(state)) => normal(Some(state)),
        Some(Fault::Truncated) => {
            let (parts, body) = normal(None).into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let mut cut = Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)));
            cut.headers_mut().remove(header::CONTENT_LENGTH);
            cut
        }
        _ => normal(None),
    }
}

/// Implements `Deref<Target = Server>` for a vendor's simulator type, which holds its
/// server in the field `server`.
macro_rules! simulator_server {
    ($simulator:ty) => {
        impl ::std::ops::Deref for $simulator {
            type Target = $crate::simulator::Server;

            fn deref(&self) -> &Self::Target {
                &self.server
            }
        }
    };
}
pub(crate) use simulator_server;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_runs_pending_then_running_then_its_outcome() {
        let script = Script::new(2, 1, Phase::Failed);
        let phases: Vec<_> = (0..5).map(|poll| script.phase_at(poll)).collect();
        assert_eq!(
            phases,
            [
                Phase::Pending,
                Phase::Pending,
                Phase::Running,
                Phase::Failed,
                Phase::Failed
            ]
        );
        assert_eq!(
            Script::new(0, 0, Phase::Succeeded).phase_at(0),
            Phase::Succeeded
        );
    }

    #[test]
    fn cancel_stops_a_running_job_but_not_a_finished_one() {
        let shared = Shared::default();
        let running = shared.insert(Script::new(0, 5, Phase::Succeeded));
        assert_eq!(shared.poll(&running), Some(Phase::Running));
        assert_eq!(shared.cancel(&running), Some(Phase::Cancelled));
        assert_eq!(shared.poll(&running), Some(Phase::Cancelled));

        let done = shared.insert(Script::new(0, 0, Phase::Succeeded));
        assert_eq!(shared.cancel(&done), Some(Phase::Succeeded));
        assert_eq!(shared.peek(&done), Some(Phase::Succeeded));
        assert_eq!(shared.poll("nope"), None);
    }

    #[test]
    fn a_gradual_cancel_answers_cancelling_before_cancelled() {
        let shared = Shared::default();
        let running = shared.insert(Script::new(0, 5, Phase::Succeeded));
        assert_eq!(shared.read(&running, true), Some((Phase::Running, 0)));
        assert_eq!(
            shared.cancel_gradually(&running, 1),
            Some(Phase::Cancelling)
        );
        assert_eq!(
            shared.cancel_gradually(&running, 3),
            Some(Phase::Cancelling),
            "a second cancel changes nothing"
        );
        assert_eq!(shared.peek(&running), Some(Phase::Cancelling));
        assert_eq!(shared.read(&running, true), Some((Phase::Cancelling, 1)));
        assert_eq!(shared.poll(&running), Some(Phase::Cancelled));
        assert_eq!(shared.poll(&running), Some(Phase::Cancelled));

        let done = shared.insert(Script::new(0, 0, Phase::Failed));
        assert_eq!(shared.cancel_gradually(&done, 1), Some(Phase::Failed));
        assert_eq!(shared.cancel_gradually("nope", 1), None);
    }

    #[test]
    fn later_runs_belong_to_their_job_and_are_not_jobs_themselves() {
        let shared = Shared::default();
        let job = shared.insert(Script::new(0, 0, Phase::Failed));
        let other = shared.insert(Script::default());
        *lock(&shared.script) = Script::new(0, 0, Phase::Succeeded);
        let run = shared.add_run(&job).expect("a known job");
        assert_eq!(shared.runs(&job), Some(vec![job.clone(), run.clone()]));
        assert_eq!(shared.runs(&other), Some(vec![other.clone()]));
        assert_eq!(shared.poll(&run), Some(Phase::Succeeded));
        assert_eq!(shared.runs(&run), None);
        assert_eq!(shared.add_run(&run), None);
        assert_eq!(shared.add_run("nope"), None);
        assert_eq!(shared.job_ids(), [job.clone(), other]);

        assert!(!shared.is_disabled(&job));
        assert!(shared.disable(&job));
        assert!(shared.is_disabled(&job));
        assert!(!shared.disable("nope"));
    }

    #[test]
    fn ids_sort_in_the_order_the_counter_gave_them() {
        let mut ids: Vec<String> = ["10", "9", "100", "1"].map(str::to_owned).into();
        in_creation_order(&mut ids);
        assert_eq!(ids, ["1", "9", "10", "100"]);
    }
}
