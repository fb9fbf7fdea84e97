//! What one status answer means for a wait, the same for one job and for many: the poll
//! counted, the transient-error budget spent, the wait going on or ending.

use std::time::Duration;

use super::WaitError;
use super::policy::{Jitter, WaitPolicy};
use crate::{Error, Status};

/// The polls of one wait and the transient failures it has survived.
#[derive(Debug, Default)]
pub(super) struct Tally {
    polls: u32,
    transient: u32,
    /// The latest transient error since the latest status, for a deadline error that says
    /// why the wait got nowhere.
    last_error: Option<Box<Error>>,
}

/// What an answer means for the wait.
pub(super) enum Verdict {
    /// A status, terminal or not.
    Status(Status),
    /// A retryable failure within the budget: poll again, not before the `Retry-After`
    /// the vendor sent, if any.
    Retry(Option<Duration>),
    /// The wait ends with this error.
    End(WaitError),
}

impl Tally {
    /// Counts the poll that produced `answer` and judges it; the wait's span (which the
    /// caller has entered) records the polls and the phase.
    pub(super) fn judge(
        &mut self,
        policy: &WaitPolicy,
        span: &tracing::Span,
        answer: Result<Status, Error>,
    ) -> Verdict {
        self.polls = self.polls.saturating_add(1);
        span.record("polls", self.polls);
        match answer {
            Ok(status) => {
                self.last_error = None;
                span.record("phase", status.phase.as_str());
                tracing::debug!(phase = %status.phase, state = %status.vendor_state, "polled");
                Verdict::Status(status)
            }
            Err(error) if error.is_not_found() => Verdict::End(WaitError::NotFound(error)),
            Err(error) if error.is_retryable() && self.transient < policy.transient_errors => {
                self.transient += 1;
                tracing::warn!(%error, transient = self.transient, "status call failed; retrying");
                let retry_after = error.retry_after();
                self.last_error = Some(Box::new(error));
                Verdict::Retry(retry_after)
            }
            Err(error) => Verdict::End(WaitError::Call {
                error,
                polls: self.polls,
            }),
        }
    }

    /// The latest transient error since the latest status, taken for a deadline error.
    pub(super) fn take_last_error(&mut self) -> Option<Box<Error>> {
        self.last_error.take()
    }

    /// Status calls made so far.
    pub(super) fn polls(&self) -> u32 {
        self.polls
    }

    /// The delay after the latest poll: backoff with jitter, or after a failure the
    /// vendor's `Retry-After` (never below the first delay) when it sent one.
    pub(super) fn delay(
        &self,
        policy: &WaitPolicy,
        jitter: &mut Jitter,
        retry_after: Option<Duration>,
    ) -> Duration {
        let backoff = jitter.delay(policy, self.polls.saturating_sub(1));
        retry_after.map_or(backoff, |after| after.max(policy.first_delay()))
    }
}
