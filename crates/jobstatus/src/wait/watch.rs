//! A stream of a job's status changes.

use futures::Stream;

use super::poller::Poller;
use super::{WaitError, WaitPolicy};
use crate::{Job, Status};

/// Polls `job` as [`wait`](super::wait) does and yields its status each time the phase or
/// the vendor's state changes, the first status included. The stream ends after a
/// terminal status, or after yielding the error that ended the wait.
pub fn watch<'a, J: Job + ?Sized>(
    job: &'a J,
    policy: &'a WaitPolicy,
) -> impl Stream<Item = Result<Status, WaitError>> + 'a {
    let poller = Poller::new(job, policy);
    futures::stream::unfold(
        Some((poller, None::<(crate::Phase, String)>)),
        |state| async move {
            let (mut poller, mut seen) = state?;
            loop {
                match poller.next().await {
                    Err(error) => return Some((Err(error), None)),
                    Ok(status) => {
                        if seen.as_ref().is_some_and(|(phase, state)| {
                            *phase == status.phase && *state == status.vendor_state
                        }) {
                            continue;
                        }
                        let status = status.clone();
                        seen = Some((status.phase, status.vendor_state.clone()));
                        let next = (!status.is_terminal()).then_some((poller, seen));
                        return Some((Ok(status), next));
                    }
                }
            }
        },
    )
}
