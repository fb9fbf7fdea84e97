//! Waiting on many jobs of any vendors at once.

use std::sync::Arc;

use futures::stream::{FuturesUnordered, Stream};
use tokio::sync::Semaphore;

use super::poller::Poller;
use super::{WaitError, WaitPolicy};
use crate::{Job, Status};

/// Waits on every job in `jobs` at once and yields each, with its outcome, as it reaches a
/// terminal phase (or its wait fails). At most `concurrency` status calls are in flight at
/// any time, whatever the number of jobs.
pub fn wait_all(
    jobs: impl IntoIterator<Item = Arc<dyn Job>>,
    policy: &WaitPolicy,
    concurrency: usize,
) -> impl Stream<Item = (Arc<dyn Job>, Result<Status, WaitError>)> + '_ {
    let calls = Arc::new(Semaphore::new(concurrency.max(1)));
    jobs.into_iter()
        .map(|job| {
            let calls = Arc::clone(&calls);
            async move {
                let outcome = {
                    let mut poller = Poller::new(job.as_ref(), policy, Some(calls));
                    loop {
                        match poller.next().await {
                            Ok(status) if !status.is_terminal() => continue,
                            other => break other,
                        }
                    }
                };
                (job, outcome)
            }
        })
        .collect::<FuturesUnordered<_>>()
}
