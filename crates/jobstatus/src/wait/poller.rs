//! The polling loop shared by every kind of wait.

use std::sync::Arc;

use std::time::Duration;
use tokio::sync::Semaphore;

use tokio::time::{Instant, sleep, timeout};
use tracing::Instrument;

use super::WaitError;
use super::policy::{Jitter, WaitPolicy};
use crate::{Error, ErrorKind, Job, Status};

/// Polls one job: the first call at once, then after each delay, until a terminal
/// status, an error, or the deadline.
pub(super) struct Poller<'a, J: ?Sized> {
    job: &'a J,
    policy: &'a WaitPolicy,
    calls: Option<Arc<Semaphore>>,
    jitter: Jitter,
    span: tracing::Span,
    started: Instant,
    deadline: Instant,
    polls: u32,
    transient: u32,
    /// The delay before the next poll; `None` before the first.
    next_delay: Option<Duration>,
    last: Option<Status>,
    /// The error of the last failed call since `last`, for the deadline's message.
    last_error: Option<Error>,
}

impl<'a, J: Job + ?Sized> Poller<'a, J> {
    /// A poller of `job`; with `calls`, each status call holds one of its permits.
    pub(super) fn new(job: &'a J, policy: &'a WaitPolicy, calls: Option<Arc<Semaphore>>) -> Self {
        let started = Instant::now();
        Self {
            span: tracing::info_span!(
                "wait",
                vendor = %job.vendor(),
                job = %job.id(),
                polls = tracing::field::Empty,
                phase = tracing::field::Empty,
            ),
            job,
            policy,
            calls,
            jitter: policy.jitter(),
            started,
            // A timeout too large to add means no deadline worth the name: a century.
            deadline: started
                .checked_add(policy.timeout)
                .unwrap_or_else(|| started + Duration::from_secs(100 * 365 * 24 * 3600)),
            polls: 0,
            transient: 0,
            next_delay: None,
            last: None,
            last_error: None,
        }
    }

    /// The next status, after the delay the policy gives.
    pub(super) async fn next(&mut self) -> Result<Status, WaitError> {
        let span = self.span.clone();
        self.step().instrument(span).await
    }

    async fn step(&mut self) -> Result<Status, WaitError> {
        loop {
            if let Some(delay) = self.next_delay {
                let now = Instant::now();
                if now >= self.deadline {
                    return Err(self.deadline_exceeded(now));
                }
                // The last poll lands on the deadline, not after it.
                sleep(delay.min(self.deadline - now)).await;
            }
            let result = self.call().await;
            self.polls = self.polls.saturating_add(1);
            self.span.record("polls", self.polls);
            let retry_after = match result {
                Ok(status) => {
                    self.span.record("phase", status.phase.as_str());
                    self.next_delay = Some(self.backoff());
                    self.last = Some(status.clone());
                    self.last_error = None;
                    tracing::debug!(phase = %status.phase, state = %status.vendor_state, "polled");
                    return Ok(status);
                }
                Err(error) if error.is_not_found() => return Err(WaitError::NotFound(error)),
                Err(error)
                    if error.is_retryable() && self.transient < self.policy.transient_errors =>
                {
                    self.transient += 1;
                    tracing::warn!(%error, transient = self.transient, "status call failed; retrying");
                    let retry_after = error.retry_after();
                    self.last_error = Some(error);
                    retry_after
                }
                Err(error) => {
                    return Err(WaitError::Call {
                        error,
                        polls: self.polls,
                    });
                }
            };
            let backoff = self.backoff();
            self.next_delay =
                Some(retry_after.map_or(backoff, |after| after.max(self.policy.first_delay())));
            if Instant::now() >= self.deadline {
                return Err(self.deadline_exceeded(Instant::now()));
            }
        }
    }

    async fn call(&self) -> Result<Status, Error> {
        let _permit = match &self.calls {
            Some(calls) => Some(
                calls
                    .acquire()
                    .await
                    .expect("the semaphore is never closed"),
            ),
            None => None,
        };
        let Some(limit) = self.policy.call_timeout else {
            return self.job.status().await;
        };
        match timeout(limit, self.job.status()).await {
            Ok(answer) => answer,
            Err(_) => Err(Error::new(
                self.job.vendor(),
                ErrorKind::Transport(Box::new(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("no answer to the status call within {limit:?}"),
                ))),
            )),
        }
    }

    fn backoff(&mut self) -> Duration {
        self.jitter.delay(self.policy, self.polls.saturating_sub(1))
    }

    fn deadline_exceeded(&mut self, now: Instant) -> WaitError {
        WaitError::DeadlineExceeded {
            elapsed: now - self.started,
            polls: self.polls,
            last: self.last.clone().map(Box::new),
            last_error: self.last_error.take().map(Box::new),
        }
    }
}
