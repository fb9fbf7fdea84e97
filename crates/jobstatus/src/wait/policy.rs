//! How long to wait between polls, and for how long in all.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// How a waiter polls: exponential backoff between a minimum and a maximum delay with
/// full jitter, a total time budget, and a separate budget of transient call failures.
///
/// Start from [`WaitPolicy::default`] or [`WaitPolicy::with_timeout`] and change what you
/// need with the `with_*` methods (or the public fields); more settings may come, so the
/// struct cannot be written as a literal outside this crate.
///
/// ```
/// use std::time::Duration;
/// use jobstatus::WaitPolicy;
///
/// let policy = WaitPolicy::with_timeout(Duration::from_secs(600))
///     .with_min_delay(Duration::from_secs(2))
///     .with_max_delay(Duration::from_secs(30))
///     .with_transient_errors(3);
/// assert_eq!(policy.first_delay(), Duration::from_secs(2));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WaitPolicy {
    /// The first delay, and the least any delay is.
    pub min_delay: Duration,
    /// The most any delay is.
    pub max_delay: Duration,
    /// How much the ceiling of the delay grows after each poll.
    pub multiplier: f64,
    /// How long to wait in all; the last poll happens at this deadline, and a call still
    /// under way 50 ms after it is abandoned, so a wait ends by its deadline (and those
    /// 50 ms) whatever the server does.
    pub timeout: Duration,
    /// How many retryable call failures (transport errors, 429, 5xx, calls past
    /// `call_timeout`) one wait survives in all before it gives up; the job's own failure is
    /// not one of them.
    pub transient_errors: u32,
    /// How long one status call may take; a call still unanswered then is abandoned and
    /// counts as a transient failure. Each call is also bounded by the time left to the
    /// deadline. `None` leaves calls to the client's own timeout and the deadline.
    pub call_timeout: Option<Duration>,
    /// Seed of the jitter, for reproducible schedules; `None` draws from the OS.
    pub jitter_seed: Option<u64>,
}

impl Default for WaitPolicy {
    fn default() -> Self {
        Self {
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            multiplier: 2.0,
            timeout: Duration::from_secs(3600),
            transient_errors: 5,
            call_timeout: Some(Duration::from_secs(30)),
            jitter_seed: None,
        }
    }
}

impl WaitPolicy {
    /// The default policy with a total time budget of `timeout`.
    pub fn with_timeout(timeout: Duration) -> Self {
        Self {
            timeout,
            ..Self::default()
        }
    }

    /// Sets [`min_delay`](Self::min_delay), the first and least delay.
    #[must_use]
    pub fn with_min_delay(mut self, min_delay: Duration) -> Self {
        self.min_delay = min_delay;
        self
    }

    /// Sets [`max_delay`](Self::max_delay), the most any delay is.
    #[must_use]
    pub fn with_max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// Sets [`multiplier`](Self::multiplier), how much the delay's ceiling grows per poll.
    #[must_use]
    pub fn with_multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = multiplier;
        self
    }

    /// Sets [`transient_errors`](Self::transient_errors), how many retryable call failures
    /// one wait survives.
    #[must_use]
    pub fn with_transient_errors(mut self, transient_errors: u32) -> Self {
        self.transient_errors = transient_errors;
        self
    }

    /// Sets [`call_timeout`](Self::call_timeout), how long one status call may take
    /// (`None`: the client's own timeout).
    #[must_use]
    pub fn with_call_timeout(mut self, call_timeout: Option<Duration>) -> Self {
        self.call_timeout = call_timeout;
        self
    }

    /// Sets [`jitter_seed`](Self::jitter_seed), for a reproducible schedule.
    #[must_use]
    pub fn with_jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = Some(seed);
        self
    }

    /// The least delay between polls, whatever `min_delay` says, so that a zero minimum
    /// cannot make a waiter poll in a tight loop.
    pub const DELAY_FLOOR: Duration = Duration::from_millis(10);

    /// The least delay: `min_delay`, and never below [`Self::DELAY_FLOOR`].
    pub fn first_delay(&self) -> Duration {
        self.min_delay.max(Self::DELAY_FLOOR)
    }

    /// The ceiling of the delay after `attempt` polls: the first delay times
    /// `multiplier^attempt` (a multiplier below 1 counts as 1), capped at `max_delay`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let first = self.first_delay();
        let grown = first.as_secs_f64() * self.multiplier.max(1.0).powi(attempt.min(64) as i32);
        let capped = grown.min(self.max_delay.as_secs_f64());
        Duration::try_from_secs_f64(capped)
            .unwrap_or(self.max_delay)
            .max(first)
    }

    pub(crate) fn jitter(&self) -> Jitter {
        Jitter(match self.jitter_seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => rand::make_rng(),
        })
    }
}

/// The random source of one wait.
pub(crate) struct Jitter(StdRng);

impl Jitter {
    /// A delay drawn uniformly between the minimum and the ceiling for `attempt`
    /// ("full jitter", so that many waiters do not poll in step).
    pub(crate) fn delay(&mut self, policy: &WaitPolicy, attempt: u32) -> Duration {
        let (low, high) = (policy.first_delay(), policy.ceiling(attempt));
        if high <= low {
            return low;
        }
        let drawn = self.0.random_range(low.as_secs_f64()..=high.as_secs_f64());
        Duration::try_from_secs_f64(drawn)
            .unwrap_or(high)
            .clamp(low, high)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> WaitPolicy {
        WaitPolicy {
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            multiplier: 2.0,
            timeout: Duration::from_secs(600),
            transient_errors: 3,
            call_timeout: None,
            jitter_seed: Some(7),
        }
    }

    #[test]
    fn the_ceiling_grows_exponentially_up_to_the_maximum() {
        let ceilings: Vec<_> = (0..9).map(|n| policy().ceiling(n).as_millis()).collect();
        assert_eq!(
            ceilings,
            [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]
        );
        assert_eq!(policy().ceiling(u32::MAX), Duration::from_secs(30));
    }

    #[test]
    fn jittered_delays_stay_between_the_minimum_and_the_ceiling_and_spread() {
        let policy = policy();
        let mut jitter = policy.jitter();
        for attempt in 0..12 {
            let samples: Vec<_> = (0..200).map(|_| jitter.delay(&policy, attempt)).collect();
            for delay in &samples {
                assert!(
                    *delay >= policy.min_delay && *delay <= policy.ceiling(attempt),
                    "attempt {attempt}: {delay:?}"
                );
            }
            if attempt >= 3 {
                let (min, max) = (samples.iter().min(), samples.iter().max());
                let spread = max.zip(min).map(|(a, b)| *a - *b).unwrap_or_default();
                assert!(
                    spread > policy.ceiling(attempt) / 2,
                    "attempt {attempt}: jitter should cover the range, spread {spread:?}"
                );
            }
        }
    }

    #[test]
    fn extreme_policies_neither_panic_nor_spin() {
        let huge = WaitPolicy {
            max_delay: Duration::MAX,
            timeout: Duration::MAX,
            ..policy()
        };
        let mut jitter = huge.jitter();
        for attempt in [0, 10, 63, 64, u32::MAX] {
            let delay = jitter.delay(&huge, attempt);
            assert!(delay >= huge.min_delay && delay <= huge.ceiling(attempt));
        }
        let zero = WaitPolicy {
            min_delay: Duration::ZERO,
            multiplier: f64::NAN,
            ..policy()
        };
        assert_eq!(zero.ceiling(5), WaitPolicy::DELAY_FLOOR);
        assert_eq!(zero.jitter().delay(&zero, 5), WaitPolicy::DELAY_FLOOR);
    }

    #[test]
    fn a_seed_makes_the_schedule_reproducible() {
        let policy = policy();
        let draw = || {
            let mut jitter = policy.jitter();
            (0..8).map(|n| jitter.delay(&policy, n)).collect::<Vec<_>>()
        };
        assert_eq!(draw(), draw());
    }
}
