//! What the facade's integration tests share: the wait policy, the poll log, the job's
//! failure, and the fault set every vendor's simulator is checked against.
//!
//! Every test file uses every item here, so none is dead in any of the test crates.

use std::time::Duration;

use jobstatus::simulator::{Fault, Server};
use jobstatus::{ErrorKind, Job, Phase, Status, WaitError, WaitPolicy, wait};
use tokio::time::Instant;

pub fn policy() -> WaitPolicy {
    WaitPolicy::with_timeout(Duration::from_secs(3600))
        .with_min_delay(Duration::from_secs(1))
        .with_max_delay(Duration::from_secs(8))
        .with_multiplier(2.0)
        .with_transient_errors(3)
        .with_call_timeout(Some(Duration::from_secs(30)))
        .with_jitter_seed(42)
}

/// Seconds since `start` of every `operation` call the simulator answered.
pub fn poll_times(server: &Server, operation: &str, start: Instant) -> Vec<f64> {
    server
        .served()
        .iter()
        .filter(|served| served.operation == operation && served.at >= start)
        .map(|served| (served.at - start).as_secs_f64())
        .collect()
}

/// The status a job ended with when `wait_for_success` reports its failure.
pub fn failure(error: WaitError) -> Box<Status> {
    match error {
        WaitError::Unsuccessful { status } => status,
        other => panic!("expected the job's failure: {other:?}"),
    }
}

/// How one vendor answers the fault set of [`faults_behave_as_for_elma`].
pub struct FaultSet {
    /// The job's status call, as the simulator logs it.
    pub operation: &'static str,
    /// A state word the vendor does not list.
    pub unlisted_state: &'static str,
    /// What the snippet of a cut-off answer must contain, where the vendor's format
    /// makes that certain (the SOAP envelope); `None` checks only that it is undecodable.
    pub truncated_snippet: Option<&'static str>,
    /// The phase the job's script answers the slow call with.
    pub after_delay: Phase,
    /// Whether to end with [`retry_after_is_honoured`]; the job's script must have ended
    /// by then.
    pub retry_after: bool,
}

impl FaultSet {
    /// A vendor whose job has the script `Script::new(0, 0, Phase::Succeeded)`, and whose
    /// cut-off answers are checked only for being undecodable.
    pub fn new(operation: &'static str, unlisted_state: &'static str) -> Self {
        Self {
            operation,
            unlisted_state,
            truncated_snippet: None,
            after_delay: Phase::Succeeded,
            retry_after: true,
        }
    }
}

/// The fault checks made against ELMA, against any vendor: an HTML error page, a cut-off
/// answer, a malformed answer, an unlisted state word and a slow answer, each injected
/// before one status call of `job`, then (if `faults.retry_after`) a wait through a 503
/// with `Retry-After`.
pub async fn faults_behave_as_for_elma(server: &Server, job: &dyn Job, faults: &FaultSet) {
    server.inject(Fault::HtmlPage(502));
    let error = job.status().await.expect_err("html");
    assert!(
        matches!(&error.kind, ErrorKind::Server { status: 502, message: Some(m), .. } if m.contains("<html>")),
        "{error}"
    );
    assert!(error.is_retryable());

    server.inject(Fault::Truncated);
    let error = job.status().await.expect_err("truncated");
    assert!(
        matches!(&error.kind, ErrorKind::Undecodable { snippet, .. }
            if faults.truncated_snippet.is_none_or(|part| snippet.contains(part))),
        "{error}"
    );
    assert!(!error.is_retryable());

    server.inject(Fault::Malformed);
    let error = job.status().await.expect_err("malformed");
    assert!(
        matches!(&error.kind, ErrorKind::Undecodable { snippet, .. } if snippet.contains("[oops")),
        "{error}"
    );

    server.inject(Fault::UnknownState(faults.unlisted_state.to_owned()));
    let status = job.status().await.expect("an unlisted state decodes");
    assert_eq!(
        (status.phase, status.vendor_state.as_str()),
        (Phase::Unknown, faults.unlisted_state)
    );

    server.inject(Fault::Delay(Duration::from_secs(20)));
    let start = Instant::now();
    let status = job.status().await.expect("slow but fine");
    assert_eq!(status.phase, faults.after_delay);
    assert!(Instant::now() - start >= Duration::from_secs(20));

    if faults.retry_after {
        retry_after_is_honoured(server, job, faults.operation).await;
    }
}

/// A 503 (without a SOAP fault) is retried when its `Retry-After` says: `job` must end at
/// its next answered `operation` call.
pub async fn retry_after_is_honoured(server: &Server, job: &dyn Job, operation: &str) {
    server.inject(Fault::Status {
        status: 503,
        retry_after: Some("30".into()),
    });
    let start = Instant::now();
    let status = wait(job, &policy()).await.expect("terminal");
    assert_eq!(status.phase, Phase::Succeeded);
    let times = poll_times(server, operation, start);
    assert_eq!(times.len(), 2, "{times:?}");
    assert!((times[1] - 30.0).abs() < 1e-3, "{times:?}");
}
