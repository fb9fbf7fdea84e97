//! The polling loop of a single wait, and the status call every wait makes.

use std::time::Duration;

use tokio::time::{Instant, sleep, timeout};
use tracing::Instrument;

use super::WaitError;
use super::policy::{Jitter, WaitPolicy};
use super::tally::{Tally, Verdict};
use crate::{Error, ErrorKind, Job, Status};

/// How long past the deadline a call may still answer: the last poll lands on the
/// deadline and gets this long, so a wait ends within its deadline and this grace.
const DEADLINE_GRACE: Duration = Duration::from_millis(50);

/// Polls one job: the first call at once, then after each delay, until a terminal
/// status, an error, or the deadline.
pub(super) struct Poller<'a, J: ?Sized> {
    job: &'a J,
    policy: &'a WaitPolicy,
    jitter: Jitter,
    span: tracing::Span,
    started: Instant,
    deadline: Instant,
    tally: Tally,
    /// The delay before the next poll; `None` before the first.
    next_delay: Option<Duration>,
    /// The latest status; the poller lends it out rather than cloning it per poll.
    last: Option<Status>,
}

impl<'a, J: Job + ?Sized> Poller<'a, J> {
    /// A poller of `job`.
    pub(super) fn new(job: &'a J, policy: &'a WaitPolicy) -> Self {
        let started = Instant::now();
        Self {
            span: wait_span(job),
            job,
            policy,
            jitter: policy.jitter(),
            started,
            deadline: deadline(started, policy),
            tally: Tally::default(),
            next_delay: None,
            last: None,
        }
    }

    /// The next status, after the delay the policy gives.
    pub(super) async fn next(&mut self) -> Result<&Status, WaitError> {
        let span = self.span.clone();
        self.step().instrument(span).await
    }

    async fn step(&mut self) -> Result<&Status, WaitError> {
        loop {
            if let Some(delay) = self.next_delay {
                let now = Instant::now();
                if now >= self.deadline {
                    return Err(self.deadline_exceeded(now));
                }
                // The last poll lands on the deadline, not after it.
                sleep(delay.min(self.deadline - now)).await;
            }
            let answer = status_call(self.job, self.policy.call_timeout, self.deadline).await;
            match self.tally.judge(self.policy, &self.span, answer) {
                Verdict::Status(status) => {
                    self.next_delay = Some(self.tally.delay(self.policy, &mut self.jitter, None));
                    return Ok(self.last.insert(status));
                }
                Verdict::Retry(retry_after) => {
                    self.next_delay =
                        Some(self.tally.delay(self.policy, &mut self.jitter, retry_after));
                    if Instant::now() >= self.deadline {
                        return Err(self.deadline_exceeded(Instant::now()));
                    }
                }
                Verdict::End(error) => return Err(error),
            }
        }
    }

    fn deadline_exceeded(&mut self, now: Instant) -> WaitError {
        WaitError::DeadlineExceeded {
            elapsed: now - self.started,
            polls: self.tally.polls(),
            last: self.last.take().map(Box::new),
            last_error: self.tally.take_last_error(),
        }
    }
}

/// The span every wait of one job runs in: vendor and job now, polls and phase as they
/// come.
pub(super) fn wait_span<J: Job + ?Sized>(job: &J) -> tracing::Span {
    tracing::info_span!(
        "wait",
        vendor = %job.vendor(),
        job = %job.id(),
        polls = tracing::field::Empty,
        phase = tracing::field::Empty,
    )
}

/// When a wait that started at `started` ends; a timeout too large to add means no
/// deadline worth the name: a century.
pub(super) fn deadline(started: Instant, policy: &WaitPolicy) -> Instant {
    started
        .checked_add(policy.timeout)
        .unwrap_or_else(|| started + Duration::from_secs(100 * 365 * 24 * 3600))
}

/// One status call of `job`, bounded by the smaller of `call_timeout` and the time left to
/// `deadline` plus [`DEADLINE_GRACE`]: a call cut short is a transport failure, so a wait
/// ends by its deadline whatever the server does.
pub(super) async fn status_call<J: Job + ?Sized>(
    job: &J,
    call_timeout: Option<Duration>,
    deadline: Instant,
) -> Result<Status, Error> {
    let left = deadline.saturating_duration_since(Instant::now()) + DEADLINE_GRACE;
    let limit = call_timeout.map_or(left, |call_timeout| call_timeout.min(left));
    match timeout(limit, job.status()).await {
        Ok(answer) => answer,
        Err(_) => Err(Error::new(
            job.vendor(),
            ErrorKind::Transport(Box::new(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("no answer to the status call within {limit:?}"),
            ))),
        )),
    }
}
