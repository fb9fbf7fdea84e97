//! A job seen through the command line: its status calls counted, the last failed one
//! kept for the display, and at most so many calls in flight across all jobs.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use jobstatus::{Error, Job, Status, Vendor};
use tokio::sync::Semaphore;
use tokio::time::Instant;

/// A job whose status calls are counted and limited.
pub struct Observed {
    job: Box<dyn Job>,
    calls: Arc<Semaphore>,
    polls: AtomicU32,
    last_error: Mutex<Option<String>>,
    started: Instant,
}

impl Observed {
    /// `job`, each status call of which holds a permit of `calls`.
    pub fn new(job: Box<dyn Job>, calls: Arc<Semaphore>) -> Self {
        Self {
            job,
            calls,
            polls: AtomicU32::new(0),
            last_error: Mutex::new(None),
            started: Instant::now(),
        }
    }

    /// Status calls made so far.
    pub fn polls(&self) -> u32 {
        self.polls.load(Ordering::Relaxed)
    }

    /// Milliseconds since the job was first observed.
    pub fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// What the last failed status call said, if one failed.
    pub fn last_error(&self) -> Option<String> {
        self.last_error
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

impl Job for Observed {
    fn vendor(&self) -> Vendor {
        self.job.vendor()
    }

    fn id(&self) -> String {
        self.job.id()
    }

    fn status(&self) -> BoxFuture<'_, Result<Status, Error>> {
        Box::pin(async move {
            // The semaphore is never closed.
            let _permit = self.calls.acquire().await.ok();
            let result = self.job.status().await;
            self.polls.fetch_add(1, Ordering::Relaxed);
            if let Err(error) = &result {
                *self
                    .last_error
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(error.to_string());
            }
            result
        })
    }

    fn cancel(&self) -> BoxFuture<'_, Result<(), Error>> {
        self.job.cancel()
    }
}
