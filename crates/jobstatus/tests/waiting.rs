//! The waiter against a simulated ELMA RPA Orchestrator over real HTTP, under tokio's
//! paused clock: hours of polling in milliseconds, with exact poll times.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use jobstatus::simulator::{Fault, Script, elma_rpa};
use jobstatus::vendors::elma_rpa::ElmaRpaJob;
use jobstatus::{
    ErrorKind, Job, Phase, WaitError, WaitPolicy, wait, wait_all, wait_for_success, watch,
};
use tokio::time::Instant;

mod common;
use common::{FaultSet, failure, faults_behave_as_for_elma, policy, poll_times};

/// ELMA's status call, as the simulator logs it.
const STATUS: &str = "task_status";

/// A policy without jitter, for exact schedules.
fn fixed(delay: Duration, timeout: Duration) -> WaitPolicy {
    let mut fixed = policy().with_min_delay(delay).with_max_delay(delay);
    fixed.timeout = timeout;
    fixed
}

async fn job(server: &elma_rpa::ElmaRpaSimulator, script: Script) -> ElmaRpaJob {
    let id = server.add_job(script);
    ElmaRpaJob::new(server.client(), id.parse().expect("numeric id"))
}

#[tokio::test(start_paused = true)]
async fn waits_until_the_job_succeeds_and_reports_its_outcome() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(1, 2, Phase::Succeeded)).await;
    let start = Instant::now();
    let status = wait(&job, &policy()).await.expect("terminal");
    assert_eq!(status.phase, Phase::Succeeded);
    assert_eq!(status.vendor_state, "DONE");
    assert!(
        status
            .outcome
            .as_deref()
            .is_some_and(|o| o.contains("result_out"))
    );
    assert_eq!(poll_times(&server, STATUS, start).len(), 4);
}

#[tokio::test(start_paused = true)]
async fn delays_back_off_exponentially_within_the_jitter_bounds() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(3, 5, Phase::Failed)).await;
    let start = Instant::now();
    let policy = policy();
    let status = wait(&job, &policy).await.expect("terminal");
    assert_eq!(status.phase, Phase::Failed);

    let times = poll_times(&server, STATUS, start);
    assert_eq!(times.len(), 9);
    assert!(times[0] < 0.01, "the first poll is immediate: {times:?}");
    for (n, pair) in times.windows(2).enumerate() {
        let gap = pair[1] - pair[0];
        let ceiling = policy.ceiling(n as u32).as_secs_f64();
        assert!(
            gap >= 1.0 - 1e-3 && gap <= ceiling + 1e-3,
            "gap {n} is {gap}s, outside [1, {ceiling}]: {times:?}"
        );
    }
    let last_gaps: f64 = times.windows(2).skip(4).map(|p| p[1] - p[0]).sum();
    assert!(last_gaps > 4.0 * 1.5, "later delays grow: {times:?}");
}

#[tokio::test(start_paused = true)]
async fn the_last_poll_is_clamped_to_the_deadline() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(1000, 0, Phase::Succeeded)).await;
    let start = Instant::now();
    let error = wait(
        &job,
        &fixed(Duration::from_secs(3), Duration::from_secs(10)),
    )
    .await
    .expect_err("never ends");
    assert_eq!(
        error.to_string(),
        "deadline exceeded after 10s and 5 polls: last phase pending (QUEUE)"
    );
    let WaitError::DeadlineExceeded {
        elapsed,
        polls,
        last,
        last_error,
        ..
    } = error
    else {
        panic!("expected the deadline: {error:?}");
    };
    assert!(last_error.is_none());
    assert_eq!(elapsed, Duration::from_secs(10));
    assert_eq!(polls, 5);
    assert_eq!(last.map(|s| s.phase), Some(Phase::Pending));
    let times = poll_times(&server, STATUS, start);
    assert_eq!(
        times.iter().map(|t| t.round() as u64).collect::<Vec<_>>(),
        [0, 3, 6, 9, 10]
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(0, 0, Phase::Succeeded)).await;
    common::retry_after_is_honoured(&server, &job, STATUS).await;
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_is_retryable_and_keeps_its_retry_after() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(0, 0, Phase::Succeeded)).await;
    server.inject(Fault::Status {
        status: 429,
        retry_after: Some("0".into()),
    });
    let error = job.status().await.expect_err("429");
    assert!(matches!(error.kind, ErrorKind::RateLimited { retry_after: Some(d) } if d.is_zero()));
    assert!(error.is_retryable());
}

#[tokio::test(start_paused = true)]
async fn transient_errors_have_their_own_budget() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(0, 0, Phase::Succeeded)).await;
    for fault in [
        Fault::HtmlPage(502),
        Fault::Status {
            status: 503,
            retry_after: None,
        },
        Fault::HtmlPage(504),
    ] {
        server.inject(fault);
    }
    let status = wait(&job, &policy())
        .await
        .expect("three transient errors are within budget");
    assert_eq!(status.phase, Phase::Succeeded);

    let job = self::job(&server, Script::new(0, 0, Phase::Succeeded)).await;
    for _ in 0..4 {
        server.inject(Fault::Status {
            status: 500,
            retry_after: None,
        });
    }
    let error = wait(&job, &policy()).await.expect_err("four are not");
    let WaitError::Call { error, polls } = error else {
        panic!("expected the call to fail: {error:?}");
    };
    assert_eq!(polls, 4);
    assert!(
        matches!(error.kind, ErrorKind::Server { status: 500, .. }),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_refusal_ends_the_wait_at_once() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(5, 5, Phase::Succeeded)).await;
    server.inject(Fault::Status {
        status: 403,
        retry_after: None,
    });
    let error = wait(&job, &policy()).await.expect_err("403");
    assert!(
        matches!(&error, WaitError::Call { polls: 1, error } if matches!(error.kind, ErrorKind::Unauthorized { status: 403, .. })),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unknown_job_is_not_found() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = ElmaRpaJob::new(server.client(), 999);
    let error = wait(&job, &policy()).await.expect_err("unknown");
    assert!(
        matches!(error, WaitError::NotFound(ref e) if e.is_not_found()),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn wait_for_success_turns_failure_into_an_error() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(0, 1, Phase::Failed)).await;
    let error = wait_for_success(&job, &policy()).await.expect_err("failed");
    // The message says why: the phase, the vendor's word and its outcome.
    let message = error.to_string();
    assert!(
        message.starts_with("job ended failed (ERROR): ") && message.contains("element not found"),
        "{message}"
    );
    let status = failure(error);
    assert_eq!(
        (status.phase, status.vendor_state.as_str()),
        (Phase::Failed, "ERROR")
    );
    assert!(
        status
            .outcome
            .as_deref()
            .is_some_and(|log| log.contains("element not found"))
    );

    let job = self::job(&server, Script::new(0, 1, Phase::Succeeded)).await;
    let status = wait_for_success(&job, &policy()).await.expect("succeeded");
    assert_eq!(status.phase, Phase::Succeeded);
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_task_is_deleted() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(5, 5, Phase::Succeeded)).await;
    assert_eq!(job.status().await.expect("status").phase, Phase::Pending);
    job.cancel().await.expect("cancelled");
    let error = job.status().await.expect_err("deleted");
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test(start_paused = true)]
async fn watch_yields_each_change_once() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(2, 3, Phase::Succeeded)).await;
    let policy = policy();
    let start = Instant::now();
    let seen: Vec<_> = watch(&job, &policy)
        .map(|status| status.map(|s| (s.phase, s.vendor_state)))
        .collect()
        .await;
    let seen: Vec<_> = seen
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("no errors");
    assert_eq!(
        seen,
        [
            (Phase::Pending, "QUEUE".to_owned()),
            (Phase::Running, "EXECUTING".to_owned()),
            (Phase::Succeeded, "DONE".to_owned()),
        ]
    );
    assert_eq!(poll_times(&server, STATUS, start).len(), 6);
}

#[tokio::test(start_paused = true)]
async fn watch_ends_with_the_error_that_ends_the_wait() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = ElmaRpaJob::new(server.client(), 12345);
    let policy = policy();
    let items: Vec<_> = watch(&job, &policy).collect().await;
    assert_eq!(items.len(), 1);
    assert!(matches!(items[0], Err(WaitError::NotFound(_))));
}

#[tokio::test(start_paused = true)]
async fn many_jobs_finish_in_the_order_they_end() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let scripts = [
        Script::new(0, 6, Phase::Succeeded),
        Script::new(0, 1, Phase::Failed),
        Script::new(0, 3, Phase::Succeeded),
    ];
    let mut jobs: Vec<Arc<dyn Job>> = Vec::new();
    for script in scripts {
        jobs.push(Arc::new(job(&server, script).await));
    }
    let policy = fixed(Duration::from_secs(1), Duration::from_secs(600));
    let finished: Vec<_> = wait_all(jobs, &policy, 2)
        .map(|(job, outcome)| (job.id(), outcome.map(|s| s.phase).ok()))
        .collect()
        .await;
    assert_eq!(
        finished,
        [
            ("2".to_owned(), Some(Phase::Failed)),
            ("3".to_owned(), Some(Phase::Succeeded)),
            ("1".to_owned(), Some(Phase::Succeeded)),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn broken_answers_become_typed_errors_and_new_states_stay_readable() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(0, 5, Phase::Succeeded)).await;

    // The script is still running when the slow answer arrives; Retry-After has its own
    // test above.
    let faults = FaultSet {
        after_delay: Phase::Running,
        retry_after: false,
        ..FaultSet::new(STATUS, "PAUSED")
    };
    faults_behave_as_for_elma(&server, &job, &faults).await;
}

#[tokio::test(start_paused = true)]
async fn a_hung_call_is_abandoned_and_counts_as_transient() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(0, 0, Phase::Succeeded)).await;
    server.inject(Fault::Delay(Duration::from_secs(3600)));
    let start = Instant::now();
    let status = wait(&job, &policy())
        .await
        .expect("the second call answers");
    assert_eq!(status.phase, Phase::Succeeded);
    let times = poll_times(&server, STATUS, start);
    assert_eq!(times.len(), 2, "{times:?}");
    assert!(
        (30.0..=31.0 + policy().ceiling(0).as_secs_f64()).contains(&times[1]),
        "the second call follows the 30 s call timeout: {times:?}"
    );

    // A call that hangs past the deadline ends the wait at the deadline (and its 50 ms
    // grace), not one call timeout later.
    server.inject(Fault::Delay(Duration::from_secs(3600)));
    let mut short = policy();
    short.timeout = Duration::from_secs(10);
    let error = wait(&job, &short)
        .await
        .expect_err("hung past the deadline");
    let message = error.to_string();
    assert!(
        message.starts_with(
            "deadline exceeded after 10.05s and 1 polls: no status received; last error: elma-rpa: transport: "
        ) && message.contains("no answer to the status call within 10.05s"),
        "{message}"
    );
    let WaitError::DeadlineExceeded {
        elapsed,
        polls,
        last,
        last_error,
        ..
    } = error
    else {
        panic!("expected the deadline: {error:?}");
    };
    assert_eq!(
        (elapsed, polls),
        (Duration::from_secs(10) + Duration::from_millis(50), 1)
    );
    assert!(last.is_none());
    assert!(last_error.is_some_and(|error| error.is_retryable()));
}

/// The Orchestrator echoes the caller's `auth_tkn` as the task's `system`: it does not
/// show in a status's `Debug` output (quoted answers are covered in `client_error`).
#[tokio::test(start_paused = true)]
async fn the_echoed_token_never_shows() {
    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let job = job(&server, Script::new(0, 5, Phase::Succeeded)).await;
    let status = job.status().await.expect("status");
    let printed = format!("{status:?}");
    assert!(!printed.contains(elma_rpa::AUTH_TKN), "{printed}");
    assert!(printed.contains("Secret([redacted])"), "{printed}");
}
