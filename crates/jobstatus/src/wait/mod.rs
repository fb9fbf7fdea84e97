//! Waiting for jobs: until a terminal phase, as a stream of changes, or many at once.

mod many;
mod policy;
mod poller;
mod tally;
mod watch;

use std::time::Duration;

pub use many::{CallLimits, wait_all};
pub use policy::WaitPolicy;
pub use watch::watch;

use crate::{Error, Job, Phase, Status};
use poller::Poller;

/// Why a wait ended without a terminal status (or, for [`wait_for_success`], without a
/// success).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError {
    /// The deadline passed while the job was still going.
    #[error("deadline exceeded after {:?} and {polls} polls: {}", whole_millis(*elapsed), deadline_reason(last.as_deref(), last_error.as_deref()))]
    #[non_exhaustive]
    DeadlineExceeded {
        /// Time spent waiting.
        elapsed: Duration,
        /// Status calls made.
        polls: u32,
        /// The last status seen, if any call succeeded.
        last: Option<Box<Status>>,
        /// Why the calls after the last status (or all calls, without one) failed, if they
        /// did: the last transient error.
        last_error: Option<Box<Error>>,
    },
    /// The vendor does not know the job.
    #[error("{0}")]
    NotFound(Error),
    /// A status call failed in a way that retrying does not fix, or the transient-error
    /// budget ran out.
    #[error("status call failed after {polls} polls: {error}")]
    Call {
        /// The last error.
        error: Error,
        /// Status calls made.
        polls: u32,
    },
    /// The job finished, but failed or was cancelled ([`wait_for_success`] only).
    #[error("job ended {} ({}): {}", status.phase, status.vendor_state, status.outcome.as_deref().unwrap_or("the vendor gave no reason"))]
    Unsuccessful {
        /// The final status.
        status: Box<Status>,
    },
}

/// `elapsed` cut to whole milliseconds, so that a message reads `3.004s`, not `3.004864946s`.
fn whole_millis(elapsed: Duration) -> Duration {
    Duration::from_millis(u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
}

/// The end of a deadline's message: the last phase and the last error, each when known.
fn deadline_reason(last: Option<&Status>, last_error: Option<&Error>) -> String {
    let phase = match last {
        Some(status) => format!("last phase {} ({})", status.phase, status.vendor_state),
        None => "no status received".to_owned(),
    };
    match last_error {
        Some(error) => format!("{phase}; last error: {error}"),
        None => phase,
    }
}

/// Polls `job` until it reaches a terminal phase (succeeded, failed or cancelled) and
/// returns that status.
///
/// Delays follow `policy`: exponential backoff with full jitter between its minimum and
/// maximum, `Retry-After` honoured on 429 and 503, the last poll clamped to the deadline.
/// A failed job is an `Ok` here; use [`wait_for_success`] to make it an error.
pub async fn wait<J: Job + ?Sized>(job: &J, policy: &WaitPolicy) -> Result<Status, WaitError> {
    let mut poller = Poller::new(job, policy);
    loop {
        let status = poller.next().await?;
        if status.is_terminal() {
            return Ok(status.clone());
        }
    }
}

/// As [`wait`], but a job that failed or was cancelled is [`WaitError::Unsuccessful`].
pub async fn wait_for_success<J: Job + ?Sized>(
    job: &J,
    policy: &WaitPolicy,
) -> Result<Status, WaitError> {
    let status = wait(job, policy).await?;
    match status.phase {
        Phase::Succeeded => Ok(status),
        _ => Err(WaitError::Unsuccessful {
            status: Box::new(status),
        }),
    }
}
