//! `wait_all` against a simulated ELMA RPA Orchestrator under tokio's paused clock: how
//! it plans the polls of many jobs, and the limits it keeps.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use jobstatus::simulator::elma_rpa::ElmaRpaSimulator;
use jobstatus::simulator::{Fault, Script, Server};
use jobstatus::vendors::elma_rpa::ElmaRpaJob;
use jobstatus::{CallLimits, Job, Phase, WaitError, WaitPolicy, wait_all};
use tokio::time::Instant;

/// A policy without jitter: every delay is `delay`.
fn fixed(delay: Duration) -> WaitPolicy {
    WaitPolicy::with_timeout(Duration::from_secs(3600))
        .with_min_delay(delay)
        .with_max_delay(delay)
        .with_multiplier(2.0)
        .with_transient_errors(3)
        .with_call_timeout(Some(Duration::from_secs(30)))
        .with_jitter_seed(3)
}

/// `count` jobs with `script`, as `wait_all` takes them.
fn jobs(server: &ElmaRpaSimulator, count: usize, script: Script) -> Vec<Arc<dyn Job>> {
    (0..count)
        .map(|_| {
            let id = server.add_job(script);
            Arc::new(ElmaRpaJob::new(
                server.client(),
                id.parse().expect("numeric id"),
            )) as Arc<dyn Job>
        })
        .collect()
}

/// Seconds since `start` of every status call, per job.
fn polls_by_job(server: &Server, start: Instant) -> BTreeMap<String, Vec<f64>> {
    let mut polls: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for served in server.served() {
        if served.operation == "task_status" && served.at >= start {
            let job = served.job.unwrap_or_default();
            polls
                .entry(job)
                .or_default()
                .push((served.at - start).as_secs_f64());
        }
    }
    polls
}

/// Every status call's time, in order.
fn all_polls(server: &Server, start: Instant) -> Vec<f64> {
    let mut times: Vec<f64> = polls_by_job(server, start)
        .into_values()
        .flatten()
        .collect();
    times.sort_by(f64::total_cmp);
    times
}

async fn finish_all(
    jobs: Vec<Arc<dyn Job>>,
    policy: &WaitPolicy,
    limits: impl Into<CallLimits>,
) -> Vec<Result<Phase, String>> {
    wait_all(jobs, policy, limits)
        .map(|(_, outcome)| outcome.map(|s| s.phase).map_err(|e| e.to_string()))
        .collect()
        .await
}

#[tokio::test(start_paused = true)]
async fn first_polls_spread_over_the_first_delay_when_jobs_outnumber_calls() {
    let server = ElmaRpaSimulator::start().await;
    let jobs = jobs(&server, 12, Script::new(0, 1, Phase::Succeeded));
    let start = Instant::now();
    let outcomes = finish_all(jobs, &fixed(Duration::from_secs(1)), 4).await;
    assert_eq!(outcomes, vec![Ok(Phase::Succeeded); 12]);

    let mut firsts: Vec<f64> = polls_by_job(&server, start)
        .values()
        .map(|times| times[0])
        .collect();
    firsts.sort_by(f64::total_cmp);
    for (n, first) in firsts.iter().enumerate() {
        let planned = n as f64 / 12.0;
        assert!(
            (first - planned).abs() < 0.01,
            "first poll {n} at {first}, planned at {planned}: {firsts:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn few_jobs_are_all_polled_at_once() {
    let server = ElmaRpaSimulator::start().await;
    let jobs = jobs(&server, 3, Script::new(0, 0, Phase::Succeeded));
    let start = Instant::now();
    finish_all(jobs, &fixed(Duration::from_secs(1)), 4).await;
    let times = all_polls(&server, start);
    assert_eq!(times.len(), 3);
    assert!(times.iter().all(|t| *t < 0.01), "{times:?}");
}

#[tokio::test(start_paused = true)]
async fn the_next_poll_is_planned_from_the_schedule_not_from_a_slow_answer() {
    let server = ElmaRpaSimulator::start().await;
    let jobs = jobs(&server, 1, Script::new(0, 3, Phase::Succeeded));
    server.inject(Fault::Delay(Duration::from_millis(400)));
    let start = Instant::now();
    finish_all(jobs, &fixed(Duration::from_secs(1)), 1).await;
    let times: Vec<u64> = all_polls(&server, start)
        .iter()
        .map(|t| (t * 10.0).round() as u64)
        .collect();
    // Tenths of a second: the slow first answer does not push the later polls back.
    assert_eq!(times, [0, 10, 20, 30]);
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_spaces_the_calls_of_all_jobs() {
    let server = ElmaRpaSimulator::start().await;
    let jobs = jobs(&server, 10, Script::new(0, 2, Phase::Succeeded));
    let start = Instant::now();
    let limits = CallLimits::new(10).per_second(2.0);
    let outcomes = finish_all(jobs, &fixed(Duration::from_secs(1)), limits).await;
    assert_eq!(outcomes, vec![Ok(Phase::Succeeded); 10]);

    let times = all_polls(&server, start);
    assert_eq!(times.len(), 30);
    for pair in times.windows(2) {
        assert!(
            pair[1] - pair[0] >= 0.5 - 1e-3,
            "closer than 1/2 s: {times:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_holds_every_job_of_the_vendor() {
    let server = ElmaRpaSimulator::start().await;
    let jobs = jobs(&server, 3, Script::new(0, 1, Phase::Succeeded));
    server.inject(Fault::Status {
        status: 429,
        retry_after: Some("5".into()),
    });
    let start = Instant::now();
    let outcomes = finish_all(jobs, &fixed(Duration::from_secs(1)), 1).await;
    assert_eq!(outcomes, vec![Ok(Phase::Succeeded); 3]);

    let times = all_polls(&server, start);
    assert!(times[0] < 0.01, "{times:?}");
    assert!(
        times[1] >= 5.0 - 1e-3,
        "no call to the vendor before its Retry-After has passed: {times:?}"
    );
    assert_eq!(
        times.len(),
        7,
        "one refused call, then two per job: {times:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_last_poll_of_each_job_is_clamped_to_the_deadline() {
    let server = ElmaRpaSimulator::start().await;
    let jobs = jobs(&server, 2, Script::new(1000, 0, Phase::Succeeded));
    let mut policy = fixed(Duration::from_secs(3));
    policy.timeout = Duration::from_secs(10);
    let start = Instant::now();
    let outcomes: Vec<_> = wait_all(jobs, &policy, 2).collect().await;
    assert_eq!(outcomes.len(), 2);
    for (_, outcome) in outcomes {
        let Err(WaitError::DeadlineExceeded {
            elapsed,
            polls,
            last,
            ..
        }) = outcome
        else {
            panic!("expected the deadline: {outcome:?}");
        };
        assert_eq!((elapsed, polls), (Duration::from_secs(10), 5));
        assert_eq!(last.map(|s| s.phase), Some(Phase::Pending));
    }
    for times in polls_by_job(&server, start).values() {
        let seconds: Vec<u64> = times.iter().map(|t| t.round() as u64).collect();
        assert_eq!(seconds, [0, 3, 6, 9, 10]);
    }
}

#[tokio::test(start_paused = true)]
async fn each_job_keeps_its_own_transient_budget_and_outcome() {
    let server = ElmaRpaSimulator::start().await;
    let mut jobs = jobs(&server, 2, Script::new(0, 1, Phase::Failed));
    jobs.push(Arc::new(ElmaRpaJob::new(server.client(), 999_999)));
    let outcomes = finish_all(jobs, &fixed(Duration::from_secs(1)), 3).await;
    assert_eq!(outcomes.len(), 3);
    assert!(
        outcomes[0].as_ref().is_err_and(|e| e.contains("not found")),
        "{outcomes:?}"
    );
    assert_eq!(outcomes[1..], [Ok(Phase::Failed), Ok(Phase::Failed)]);
}
