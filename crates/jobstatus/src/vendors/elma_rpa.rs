//! ELMA RPA Orchestrator tasks.
//!
//! The phase of each task status is the spec's status table (`x-jobstatus` in
//! `specs/elma-rpa/openapi.yaml`), generated as [`TaskStatus::phase`].
//!
//! The outcome is the task's output context for a success and the last lines of its log
//! for a failure. A task can be cancelled while it is queued.

use elma_rpa::types::{ErrorResponse, Task, TaskIdRequest, TaskResponse, TaskStatus};
use futures::future::BoxFuture;
use progenitor_client::ClientInfo;

use crate::client_error::{ErrorBody, from_client};
use crate::{Error, ErrorKind, Job, Phase, Status, StatusReport, Vendor, VendorReport};

/// Log lines kept in the outcome of a failed task.
const LOG_TAIL: usize = 5;

impl StatusReport for Task {
    fn phase(&self) -> Phase {
        self.status
            .as_deref()
            .map_or(Phase::Unknown, TaskStatus::phase)
    }

    fn vendor_state(&self) -> String {
        self.status
            .as_ref()
            .map_or_else(String::new, |s| s.as_sent().to_owned())
    }

    fn outcome(&self) -> Option<String> {
        match self.phase() {
            Phase::Succeeded => self.output_ctx.clone(),
            Phase::Failed => self.log.as_deref().map(|log| {
                let lines: Vec<_> = log.lines().collect();
                lines[lines.len().saturating_sub(LOG_TAIL)..].join("\n")
            }),
            _ => None,
        }
    }
}

impl From<Task> for VendorReport {
    fn from(task: Task) -> Self {
        VendorReport::ElmaRpa(Box::new(task))
    }
}

/// Writes `task` as its crate serializes it, less `system`, which echoes the caller's
/// `auth_tkn`: a status written out (to a log, a pipeline's output) must not carry it.
pub(crate) fn serialize_without_credentials<S: serde::Serializer>(
    task: &Task,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(
        &Task {
            system: None,
            ..task.clone()
        },
        serializer,
    )
}

impl ErrorBody for ErrorResponse {
    fn code(&self) -> Option<String> {
        self.status.map(|status| status.to_string())
    }

    fn message(&self) -> Option<String> {
        self.error_message.clone()
    }
}

/// A task in an ELMA RPA Orchestrator.
#[derive(Clone, Debug)]
pub struct ElmaRpaJob {
    client: elma_rpa::Client,
    id: i64,
}

impl ElmaRpaJob {
    /// The task `id` (returned by `task_create`) at the Orchestrator `client` talks to.
    pub fn new(client: elma_rpa::Client, id: i64) -> Self {
        Self { client, id }
    }

    fn task(&self, response: TaskResponse) -> Result<Task, Error> {
        match response.task {
            Some(task) if response.status != 404 => Ok(task),
            _ => Err(Error::new(
                Vendor::ElmaRpa,
                ErrorKind::NotFound {
                    id: self.id.to_string(),
                },
            )),
        }
    }
}

impl Job for ElmaRpaJob {
    fn vendor(&self) -> Vendor {
        Vendor::ElmaRpa
    }

    fn id(&self) -> String {
        self.id.to_string()
    }

    fn status(&self) -> BoxFuture<'_, Result<Status, Error>> {
        Box::pin(async move {
            let answer = self
                .client
                .task_status()
                .body(TaskIdRequest::builder().id(self.id))
                .send()
                .await;
            match answer {
                Ok(response) => Ok(Status::from_report(self.task(response.into_inner())?)),
                Err(error) => {
                    Err(from_client(Vendor::ElmaRpa, &self.id(), self.client.inner(), error).await)
                }
            }
        })
    }

    fn cancel(&self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            let answer = self
                .client
                .task_cancel()
                .body(TaskIdRequest::builder().id(self.id))
                .send()
                .await;
            match answer {
                Ok(response) => self.task(response.into_inner()).map(drop),
                Err(error) => {
                    Err(from_client(Vendor::ElmaRpa, &self.id(), self.client.inner(), error).await)
                }
            }
        })
    }
}
