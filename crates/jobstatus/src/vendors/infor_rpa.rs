//! Infor OS RPA jobs.
//!
//! The phase of each job and job-instance status is the spec's status table (`x-jobstatus`
//! in `specs/infor-rpa/openapi.yaml`), generated as [`JobStatus::phase`] and
//! [`JobInstanceStatus::phase`].
//!
//! `disabled` is Cancelled: a switched-off job will not run until someone turns it back on,
//! so a wait should end rather than poll until its deadline.
//!
//! Infor has no endpoint for one run of a job. A job started with `_execute` is followed
//! through its job record: the instance with the id `_execute` returned, when the job lists
//! it, and Pending (state `not-listed`) until it does, since the job's own status may still
//! describe an earlier run. Infor has no cancel operation.

use futures::future::BoxFuture;
use infor_rpa::types::{ErrorResponse, Job as InforJob, JobInstance, JobInstanceStatus, JobStatus};
use progenitor_client::ClientInfo;

use crate::client_error::{ErrorBody, from_client};
use crate::{Error, Job, Phase, Status, StatusReport, Vendor, VendorReport};

/// An Infor job record, and the run of it being followed.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct InforReport {
    /// The job as `GET /api/v1/rpa/jobs/{id}` returned it.
    pub job: InforJob,
    /// The id of the run being followed, if one is.
    pub run: Option<String>,
    /// That run, as the job lists it.
    pub instance: Option<JobInstance>,
}

/// The vendor state reported for a followed run the job does not list yet.
const RUN_NOT_LISTED: &str = "not-listed";

impl StatusReport for InforReport {
    /// A followed run the job does not list yet is Pending: the job's own status may still
    /// describe the run before it.
    fn phase(&self) -> Phase {
        match (&self.run, &self.instance) {
            (_, Some(instance)) => instance
                .status
                .as_deref()
                .map_or(Phase::Unknown, JobInstanceStatus::phase),
            (Some(_), None) => Phase::Pending,
            (None, None) => self
                .job
                .status
                .as_deref()
                .map_or(Phase::Unknown, JobStatus::phase),
        }
    }

    fn vendor_state(&self) -> String {
        match (&self.run, &self.instance) {
            (_, Some(instance)) => instance.status.as_ref().map(|s| s.as_sent().to_owned()),
            (Some(_), None) => Some(RUN_NOT_LISTED.to_owned()),
            (None, None) => self.job.status.as_ref().map(|s| s.as_sent().to_owned()),
        }
        .unwrap_or_default()
    }

    fn outcome(&self) -> Option<String> {
        let phase = self.phase();
        if !phase.is_terminal() {
            return None;
        }
        let finished = self
            .instance
            .as_ref()
            .and_then(|i| i.end_time.clone())
            .or_else(|| self.job.metadata.as_ref()?.completed_at.clone());
        Some(match finished {
            Some(at) => format!("{phase} at {at}"),
            None => phase.to_string(),
        })
    }
}

impl From<InforReport> for VendorReport {
    fn from(report: InforReport) -> Self {
        VendorReport::InforRpa(Box::new(report))
    }
}

impl ErrorBody for ErrorResponse {
    fn code(&self) -> Option<String> {
        self.error.as_ref()?.code.clone()
    }

    fn message(&self) -> Option<String> {
        self.error
            .as_ref()
            .and_then(|e| e.message.clone())
            .or_else(|| self.message.clone())
    }
}

/// An Infor RPA job, or one run of it.
#[derive(Clone, Debug)]
pub struct InforRpaJob {
    client: infor_rpa::Client,
    job: String,
    instance: Option<String>,
}

impl InforRpaJob {
    /// The job `id` at the gateway `client` talks to, followed through its own status.
    pub fn new(client: infor_rpa::Client, id: impl Into<String>) -> Self {
        Self {
            client,
            job: id.into(),
            instance: None,
        }
    }

    /// The run `instance` of job `id`, as `_execute` returned it.
    pub fn run(
        client: infor_rpa::Client,
        id: impl Into<String>,
        instance: impl Into<String>,
    ) -> Self {
        Self {
            instance: Some(instance.into()),
            ..Self::new(client, id)
        }
    }
}

impl Job for InforRpaJob {
    fn vendor(&self) -> Vendor {
        Vendor::InforRpa
    }

    fn id(&self) -> String {
        match &self.instance {
            Some(instance) => format!("{}/{instance}", self.job),
            None => self.job.clone(),
        }
    }

    fn status(&self) -> BoxFuture<'_, Result<Status, Error>> {
        Box::pin(async move {
            match self.client.get_job().id(self.job.as_str()).send().await {
                Ok(response) => {
                    let job = response.into_inner();
                    let instance = self.instance.as_ref().and_then(|wanted| {
                        job.job_instances
                            .iter()
                            .flatten()
                            .find(|instance| &instance.id == wanted)
                            .cloned()
                    });
                    Ok(Status::from_report(InforReport {
                        job,
                        run: self.instance.clone(),
                        instance,
                    }))
                }
                Err(error) => {
                    Err(from_client(Vendor::InforRpa, &self.id(), self.client.inner(), error).await)
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_followed_run_not_listed_yet_is_pending_whatever_the_job_says() {
        let job: InforJob = serde_json::from_value(serde_json::json!({
            "id": "job-7", "status": "completed",
            "job_instances": [{"id": "run-1", "status": "completed"}]
        }))
        .expect("a job");
        let following = |run: Option<&str>| {
            let instance = run.and_then(|run| {
                job.job_instances
                    .iter()
                    .flatten()
                    .find(|i| i.id == run)
                    .cloned()
            });
            InforReport {
                job: job.clone(),
                run: run.map(str::to_owned),
                instance,
            }
        };
        let new_run = following(Some("run-2"));
        assert_eq!(
            (new_run.phase(), new_run.vendor_state().as_str()),
            (Phase::Pending, "not-listed")
        );
        assert_eq!(new_run.outcome(), None);
        assert_eq!(following(Some("run-1")).phase(), Phase::Succeeded);
        assert_eq!(following(None).phase(), Phase::Succeeded);
    }
}
