//! Waiting on jobs: every job watched at once through the facade's `watch`, with a bound
//! on the status calls in flight, each change and each end reported as it happens, and
//! Ctrl-C handled.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::{self, BoxStream};
use jobstatus::{Job, Status, Vendor, WaitError, WaitPolicy, watch};
use tokio::sync::Semaphore;

use crate::cli::WaitArgs;
use crate::exit::Exit;
use crate::observe::Observed;
use crate::output::{Line, Reporter};

/// How long a cancel asked for on Ctrl-C may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// How often live lines are redrawn between changes.
const REFRESH: Duration = Duration::from_millis(250);

/// The waiter's policy from the command line.
pub fn policy(args: &WaitArgs) -> WaitPolicy {
    let mut policy = WaitPolicy::with_timeout(args.timeout);
    policy.min_delay = args.min_delay;
    policy.max_delay = args.max_delay;
    policy
}

/// How a wait on several jobs went.
pub struct Waited {
    /// The highest exit code of the jobs, or [`Exit::Interrupted`].
    pub exit: Exit,
    /// The jobs that ended (or whose wait did), in the order they did.
    pub ended: Vec<Ended>,
}

/// How one job's wait ended.
pub struct Ended {
    /// The vendor.
    pub vendor: Vendor,
    /// The job's id.
    pub job: String,
    /// The final phase, or `-` when the wait ended without one.
    pub phase: String,
    /// The vendor's final word, or `-`.
    pub vendor_state: String,
    /// What the vendor says about the outcome, or why the wait ended.
    pub detail: String,
}

impl Ended {
    fn new(job: &Observed, result: &Result<Status, WaitError>) -> Self {
        let (phase, vendor_state, detail) = match result {
            Ok(status) => (
                status.phase.to_string(),
                status.vendor_state.clone(),
                status.outcome.clone().unwrap_or_default(),
            ),
            Err(error) => ("-".to_owned(), "-".to_owned(), error.to_string()),
        };
        Self {
            vendor: job.vendor(),
            job: job.id(),
            phase,
            vendor_state,
            detail: detail.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }
}

/// Waits on every job of `jobs` until each has ended or its wait failed; the exit code is
/// the highest of theirs. On Ctrl-C it stops, cancels the jobs still under way when
/// `--cancel-on-interrupt` says so, and exits [`Exit::Interrupted`].
pub async fn wait_jobs(reporter: &Reporter, jobs: Vec<Box<dyn Job>>, args: &WaitArgs) -> Waited {
    let policy = policy(args);
    let calls = Arc::new(Semaphore::new(usize::from(args.concurrency.max(1))));
    let jobs: Vec<Observed> = jobs
        .into_iter()
        .map(|job| Observed::new(job, Arc::clone(&calls)))
        .collect();
    let lines: Vec<Line> = jobs.iter().map(|job| reporter.line(job)).collect();
    let mut last: Vec<Option<Status>> = jobs.iter().map(|_| None).collect();
    let mut ended = vec![false; jobs.len()];
    let mut summaries = Vec::new();
    let mut exit = Exit::Success;

    let watches: Vec<BoxStream<'_, (usize, Result<Status, WaitError>)>> = jobs
        .iter()
        .enumerate()
        .map(|(n, job)| watch(job, &policy).map(move |item| (n, item)).boxed())
        .collect();
    let mut changes = stream::select_all(watches);
    let mut refresh = tokio::time::interval(REFRESH);
    let interrupt = tokio::signal::ctrl_c();
    tokio::pin!(interrupt);

    let interrupted = loop {
        tokio::select! {
            change = changes.next() => {
                let Some((n, item)) = change else { break false };
                let terminal = match &item {
                    Ok(status) => status.is_terminal(),
                    Err(_) => true,
                };
                if terminal {
                    ended[n] = true;
                    exit = exit.max(reporter.end(&lines[n], &jobs[n], &item));
                    summaries.push(Ended::new(&jobs[n], &item));
                } else if let Ok(status) = item {
                    reporter.change(&lines[n], &jobs[n], &status);
                    last[n] = Some(status);
                }
            }
            _ = refresh.tick() => {
                for (n, job) in jobs.iter().enumerate().filter(|(n, _)| !ended[*n]) {
                    reporter.refresh(&lines[n], job, last[n].as_ref());
                }
            }
            _ = &mut interrupt => break true,
        }
    };
    drop(changes);
    if !interrupted {
        return Waited {
            exit,
            ended: summaries,
        };
    }

    let under_way: Vec<usize> = (0..jobs.len()).filter(|n| !ended[*n]).collect();
    for n in &under_way {
        lines[*n].abandon();
    }
    reporter.note(&format!(
        "interrupted; {} job(s) had not ended",
        under_way.len()
    ));
    if args.cancel_on_interrupt {
        for n in under_way {
            cancel(reporter, &jobs[n]).await;
        }
    }
    Waited {
        exit: Exit::Interrupted,
        ended: summaries,
    }
}

/// Asks the vendor to cancel `job` and reports what it said.
pub async fn cancel(reporter: &Reporter, job: &dyn Job) -> Exit {
    let (vendor, id) = (job.vendor(), job.id());
    match tokio::time::timeout(CALL_TIMEOUT, job.cancel()).await {
        Ok(Ok(())) => {
            reporter.cancel_requested(vendor, &id);
            Exit::Success
        }
        Ok(Err(error)) => {
            let exit = Exit::of_error(&error);
            reporter.error(vendor, &id, &error.to_string(), exit);
            exit
        }
        Err(_) => {
            let message = format!("no answer to the cancel within {CALL_TIMEOUT:?}");
            reporter.error(vendor, &id, &message, Exit::CallError);
            Exit::CallError
        }
    }
}
