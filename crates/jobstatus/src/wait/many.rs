//! Waiting on many jobs of any vendors at once, on one schedule.
//!
//! One task plans every job's polls in a timer heap and starts the calls that are due,
//! at most `concurrency` at once and, when asked, at most so many per second. A job
//! waited on costs 128 bytes here (see `Waiting`), whatever the number of jobs, and its
//! last status only near the deadline; calls in flight cost their futures.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures::stream::{FuturesUnordered, Stream, StreamExt};
use tokio::time::{Instant, Sleep, sleep_until};
use tracing::Instrument;

use super::WaitError;
use super::policy::{Jitter, WaitPolicy};
use super::poller::{deadline, status_call, wait_span};
use super::tally::{Tally, Verdict};
use crate::{Error, Job, Status, Vendor};

/// How many status calls a [`wait_all`] makes at once, and how many per second.
///
/// A bare number converts into the limits of that many calls at once with no rate limit,
/// so `wait_all(jobs, &policy, 64)` reads as before.
#[derive(Clone, Debug, PartialEq)]
pub struct CallLimits {
    concurrency: usize,
    interval: Option<Duration>,
}

impl CallLimits {
    /// At most `concurrency` calls in flight (at least one), with no rate limit.
    pub fn new(concurrency: usize) -> Self {
        Self {
            concurrency: concurrency.max(1),
            interval: None,
        }
    }

    /// Also starts at most `calls` status calls per second over all jobs, evenly spaced,
    /// to stay under a gateway's request limit. A rate that is not a positive number
    /// leaves calls unlimited by rate.
    #[must_use]
    pub fn per_second(mut self, calls: f64) -> Self {
        self.interval = (calls > 0.0)
            .then(|| Duration::try_from_secs_f64(1.0 / calls).ok())
            .flatten();
        self
    }

    /// Calls in flight at most.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// The least time between the starts of two calls, when rate-limited.
    pub fn interval(&self) -> Option<Duration> {
        self.interval
    }
}

impl From<usize> for CallLimits {
    fn from(concurrency: usize) -> Self {
        Self::new(concurrency)
    }
}

/// Waits on every job in `jobs` at once and yields each, with its outcome, as it reaches a
/// terminal phase (or its wait fails).
///
/// Each job follows `policy` as [`wait`](super::wait) does (backoff with jitter, the last
/// poll clamped to the deadline, its own transient-error budget), with three differences
/// that let one machine wait on 100,000 jobs:
/// - when there are more jobs than calls allowed at once, the first polls are spread
///   evenly over the first delay instead of all queueing at once;
/// - each job's next poll is planned from when its previous poll was due, so time spent
///   queueing for a call does not shift its schedule; a job that fell behind is still not
///   polled again within the first delay of its previous call (less the batching below);
/// - a `Retry-After` from one job's vendor holds every call to that vendor until it has
///   passed.
///
/// `limits` bounds the calls in flight (a number, or [`CallLimits`] with a rate limit).
/// Ready calls start in the order their polls were due; polls due within a tenth of the
/// first delay (20 ms at most) of each other start together, to save wake-ups.
pub fn wait_all<'p>(
    jobs: impl IntoIterator<Item = Arc<dyn Job>>,
    policy: &'p WaitPolicy,
    limits: impl Into<CallLimits>,
) -> impl Stream<Item = (Arc<dyn Job>, Result<Status, WaitError>)> + Unpin + 'p {
    let schedule = Schedule::new(jobs, policy, limits.into(), call);
    // Boxed once, so that the stream is `Unpin` and `.next()` works on it as it is.
    Box::pin(futures::stream::unfold(
        schedule,
        |mut schedule| async move {
            let finished = schedule.next().await?;
            Some((finished, schedule))
        },
    ))
}

/// Starts one status call: the job, its index, the call timeout, the wait's deadline and
/// the wait's span.
type MakeCall<F> = fn(Arc<dyn Job>, usize, Option<Duration>, Instant, tracing::Span) -> F;

/// The answer of one call: which job, when the call started, what it returned.
type Answer = (usize, Instant, Result<Status, Error>);

/// One status call of job `index`, in its wait's span.
fn call(
    job: Arc<dyn Job>,
    index: usize,
    limit: Option<Duration>,
    deadline: Instant,
    span: tracing::Span,
) -> impl Future<Output = Answer> + Send + 'static {
    let started = Instant::now();
    async move {
        let answer = status_call(job.as_ref(), limit, deadline)
            .instrument(span)
            .await;
        (index, started, answer)
    }
}

/// A job being waited on: 104 bytes on 64-bit targets (the job, its vendor, its tally,
/// when its next poll is planned, a pointer to its last status and its span), plus 24
/// bytes of its entry in the timer heap. The last status itself is kept only near the
/// deadline.
struct Waiting {
    job: Arc<dyn Job>,
    vendor: Vendor,
    tally: Tally,
    /// When the latest poll was due; the next is planned from it.
    planned: Instant,
    /// The latest status, kept for [`WaitError::DeadlineExceeded`] once the deadline is
    /// near (see `Schedule::keep_last_from`).
    last: Option<Box<Status>>,
    span: tracing::Span,
}

/// Every job's schedule, and the calls in flight.
struct Schedule<'p, F> {
    policy: &'p WaitPolicy,
    limits: CallLimits,
    /// Makes the call future of one poll.
    make_call: MakeCall<F>,
    started: Instant,
    deadline: Instant,
    /// From when on a job keeps its latest status, for the deadline error: a call timeout
    /// and the longest delay before the deadline.
    keep_last_from: Instant,
    /// One random source for all the jobs' delays.
    jitter: Jitter,
    /// Indexed by job; `None` once the job's outcome was yielded.
    jobs: Vec<Option<Waiting>>,
    /// When each waiting job's next poll is due, earliest first.
    due: BinaryHeap<Reverse<(Instant, usize)>>,
    calls: FuturesUnordered<F>,
    /// Until when each vendor asked, with `Retry-After`, not to be called.
    holds: Vec<(Vendor, Instant)>,
    /// How early a poll may start to join others due at about the same time.
    batch: Duration,
    /// When the rate limit lets the next call start.
    next_start: Instant,
    /// Wakes the schedule when the next poll is due.
    timer: Pin<Box<Sleep>>,
}

impl<'p, F: Future<Output = Answer>> Schedule<'p, F> {
    /// The most a poll starts early to join a batch.
    const MAX_BATCH: Duration = Duration::from_millis(20);

    fn new(
        jobs: impl IntoIterator<Item = Arc<dyn Job>>,
        policy: &'p WaitPolicy,
        limits: CallLimits,
        make_call: MakeCall<F>,
    ) -> Self {
        let started = Instant::now();
        let deadline = deadline(started, policy);
        let mut jobs: Vec<Option<Waiting>> = jobs
            .into_iter()
            .map(|job| {
                Some(Waiting {
                    vendor: job.vendor(),
                    span: wait_span(job.as_ref()),
                    job,
                    tally: Tally::default(),
                    planned: started,
                    last: None,
                })
            })
            .collect();
        // More jobs than calls at once: spread the first polls over the first delay, so
        // that they do not all queue behind the limit and push every schedule back.
        let spread = if jobs.len() > limits.concurrency {
            policy.first_delay()
        } else {
            Duration::ZERO
        };
        let count = jobs.len().max(1) as f64;
        let mut due = BinaryHeap::with_capacity(jobs.len());
        for (index, waiting) in jobs.iter_mut().enumerate() {
            let offset = spread.mul_f64(index as f64 / count);
            let at = (started + offset).min(deadline);
            if let Some(waiting) = waiting {
                waiting.planned = at;
            }
            due.push(Reverse((at, index)));
        }
        let window = policy
            .call_timeout
            .unwrap_or(policy.timeout)
            .saturating_add(policy.max_delay);
        Self {
            policy,
            limits,
            make_call,
            started,
            deadline,
            keep_last_from: deadline.checked_sub(window).unwrap_or(started),
            jitter: policy.jitter(),
            jobs,
            due,
            calls: FuturesUnordered::new(),
            holds: Vec::new(),
            batch: (policy.first_delay() / 10).min(Self::MAX_BATCH),
            next_start: started,
            timer: Box::pin(sleep_until(started)),
        }
    }

    /// The next job to finish, with its outcome; `None` when every job has finished.
    async fn next(&mut self) -> Option<(Arc<dyn Job>, Result<Status, WaitError>)> {
        loop {
            let wake = self.start_due_calls(Instant::now());
            if self.calls.is_empty() && wake.is_none() {
                return None;
            }
            if let Some(at) = wake {
                self.timer.as_mut().reset(at);
            }
            tokio::select! {
                Some((index, sent, answer)) = self.calls.next(), if !self.calls.is_empty() => {
                    if let Some(finished) = self.on_answer(index, sent, answer) {
                        return Some(finished);
                    }
                }
                () = self.timer.as_mut(), if wake.is_some() => {}
                else => return None,
            }
        }
    }

    /// Starts every call that is due, as far as the limits allow, and returns when to
    /// look again (`None`: only when a call answers, or never if none is in flight).
    fn start_due_calls(&mut self, now: Instant) -> Option<Instant> {
        while self.calls.len() < self.limits.concurrency {
            let &Reverse((at, index)) = self.due.peek()?;
            // Polls due within a few milliseconds start together: one wake-up for a
            // batch costs far less than one per call.
            if at > now + self.batch {
                return Some(at);
            }
            if self.limits.interval.is_some() && self.next_start > now {
                return Some(self.next_start);
            }
            self.due.pop();
            let Some(waiting) = self.jobs.get(index).and_then(Option::as_ref) else {
                continue;
            };
            // A vendor's Retry-After holds its jobs, except the last poll at the deadline.
            if let Some(until) = self.held_until(waiting.vendor, now)
                && now < self.deadline
            {
                self.due.push(Reverse((until.min(self.deadline), index)));
                continue;
            }
            if let Some(interval) = self.limits.interval {
                self.next_start = self.next_start.max(now) + interval;
            }
            let call = (self.make_call)(
                Arc::clone(&waiting.job),
                index,
                self.policy.call_timeout,
                self.deadline,
                waiting.span.clone(),
            );
            self.calls.push(call);
        }
        None
    }

    /// Judges the answer of job `index` to a call started at `sent`: the job finishes,
    /// or its next poll is planned.
    fn on_answer(
        &mut self,
        index: usize,
        sent: Instant,
        answer: Result<Status, Error>,
    ) -> Option<(Arc<dyn Job>, Result<Status, WaitError>)> {
        let now = Instant::now();
        let waiting = self.jobs.get_mut(index)?.as_mut()?;
        let verdict = {
            let _entered = waiting.span.enter();
            waiting.tally.judge(self.policy, &waiting.span, answer)
        };
        let (planned, status) = match verdict {
            Verdict::Status(status) if status.is_terminal() => {
                return self.finish(index, Ok(status));
            }
            Verdict::Status(status) => {
                let delay = waiting.tally.delay(self.policy, &mut self.jitter, None);
                (waiting.planned + delay, Some(status))
            }
            Verdict::Retry(Some(after)) => {
                let until = now + after;
                match self.holds.iter_mut().find(|(v, _)| *v == waiting.vendor) {
                    Some((_, held)) => *held = (*held).max(until),
                    None => self.holds.push((waiting.vendor, until)),
                }
                let delay = waiting
                    .tally
                    .delay(self.policy, &mut self.jitter, Some(after));
                (now + delay, None)
            }
            Verdict::Retry(None) => {
                let delay = waiting.tally.delay(self.policy, &mut self.jitter, None);
                (waiting.planned + delay, None)
            }
            Verdict::End(error) => return self.finish(index, Err(error)),
        };
        if now >= self.deadline {
            let error = WaitError::DeadlineExceeded {
                elapsed: now - self.started,
                polls: waiting.tally.polls(),
                last: status.map(Box::new).or_else(|| waiting.last.take()),
                last_error: waiting.tally.take_last_error(),
            };
            return self.finish(index, Err(error));
        }
        // Never twice within the first delay, even when the job fell behind its plan;
        // the last poll lands on the deadline.
        let at = planned
            .max(sent + self.policy.first_delay())
            .min(self.deadline);
        // A wait can end on this status only if its deadline may pass before the next
        // answer; until then the status is not kept, which keeps 100,000 waits small.
        if let Some(status) = status {
            waiting.last = (at >= self.keep_last_from).then(|| Box::new(status));
        }
        waiting.planned = at;
        self.due.push(Reverse((at, index)));
        None
    }

    /// Until when `vendor` asked not to be called, if that is still ahead.
    fn held_until(&self, vendor: Vendor, now: Instant) -> Option<Instant> {
        self.holds
            .iter()
            .find(|(v, until)| *v == vendor && *until > now)
            .map(|(_, until)| *until)
    }

    fn finish(
        &mut self,
        index: usize,
        outcome: Result<Status, WaitError>,
    ) -> Option<(Arc<dyn Job>, Result<Status, WaitError>)> {
        let waiting = self.jobs.get_mut(index)?.take()?;
        Some((waiting.job, outcome))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waited_job_costs_what_the_docs_say() {
        let per_job = size_of::<Option<Waiting>>() + size_of::<Reverse<(Instant, usize)>>();
        if cfg!(target_pointer_width = "64") {
            assert!(per_job <= 104 + 24, "{per_job} bytes");
        }
    }
}
