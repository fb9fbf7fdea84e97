//! GA4GH WES workflow runs.
//!
//! The phase of each run state is the spec's status table (`x-jobstatus` in
//! `specs/ga4gh-wes/openapi.yaml`), generated as
//! [`State::phase`](ga4gh_wes::types::State::phase).
//!
//! Status polls use the light `GET /runs/{id}/status`; once a run is terminal its run log
//! is read too, so the outcome carries the exit code and stderr. Runs can be cancelled.

use futures::future::BoxFuture;
use ga4gh_wes::types::{ErrorResponse, RunLog, RunStatus};
use progenitor_client::ClientInfo;

use crate::client_error::{ErrorBody, from_client};
use crate::{Error, Job, Phase, Status, StatusReport, Vendor, VendorReport};

/// Characters of stderr kept in the outcome, from its end.
const STDERR_CHARS: usize = 300;

/// A run's status, and its run log once the run has ended.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct WesReport {
    /// What `GET /runs/{id}/status` answered.
    pub status: RunStatus,
    /// What `GET /runs/{id}` answered, for a terminal run.
    pub log: Option<RunLog>,
}

impl StatusReport for WesReport {
    fn phase(&self) -> Phase {
        self.status.state.phase()
    }

    fn vendor_state(&self) -> String {
        self.status.state.as_sent().to_owned()
    }

    fn outcome(&self) -> Option<String> {
        let run_log = self.log.as_ref()?.run_log.as_ref()?;
        let mut parts = Vec::new();
        if let Some(code) = run_log.exit_code {
            parts.push(format!("exit code {code}"));
        }
        if let Some(stderr) = run_log.stderr.as_deref().filter(|s| !s.trim().is_empty()) {
            // The end of stderr is where a tool says why it failed.
            let stderr = stderr.trim();
            let skip = stderr.chars().count().saturating_sub(STDERR_CHARS);
            let tail: String = stderr.chars().skip(skip).collect();
            parts.push(format!("stderr: {tail}"));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

impl From<WesReport> for VendorReport {
    fn from(report: WesReport) -> Self {
        VendorReport::Ga4ghWes(Box::new(report))
    }
}

impl ErrorBody for ErrorResponse {
    fn code(&self) -> Option<String> {
        self.http_status().map(|status| status.to_string())
    }

    fn message(&self) -> Option<String> {
        ErrorResponse::message(self).map(str::to_owned)
    }
}

/// A workflow run at a WES server.
#[derive(Clone, Debug)]
pub struct Ga4ghWesJob {
    client: ga4gh_wes::Client,
    run_id: String,
}

impl Ga4ghWesJob {
    /// The run `run_id` at the WES server `client` talks to.
    pub fn new(client: ga4gh_wes::Client, run_id: impl Into<String>) -> Self {
        Self {
            client,
            run_id: run_id.into(),
        }
    }
}

impl Job for Ga4ghWesJob {
    fn vendor(&self) -> Vendor {
        Vendor::Ga4ghWes
    }

    fn id(&self) -> String {
        self.run_id.clone()
    }

    fn status(&self) -> BoxFuture<'_, Result<Status, Error>> {
        Box::pin(async move {
            let fail =
                |error| from_client(Vendor::Ga4ghWes, &self.run_id, self.client.inner(), error);
            let status = match self
                .client
                .get_run_status()
                .run_id(self.run_id.as_str())
                .send()
                .await
            {
                Ok(status) => status.into_inner(),
                Err(error) => return Err(fail(error).await),
            };
            // The run log only adds to a terminal status; failing to read it must not lose
            // the status itself.
            let log = if status.state.phase().is_terminal() {
                match self
                    .client
                    .get_run_log()
                    .run_id(self.run_id.as_str())
                    .send()
                    .await
                {
                    Ok(log) => Some(log.into_inner()),
                    Err(error) => {
                        let error = fail(error).await;
                        tracing::warn!(%error, run = %self.run_id, "the run log of a finished run could not be read");
                        None
                    }
                }
            } else {
                None
            };
            Ok(Status::from_report(WesReport { status, log }))
        })
    }

    fn cancel(&self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            match self
                .client
                .cancel_run()
                .run_id(self.run_id.as_str())
                .send()
                .await
            {
                Ok(_) => Ok(()),
                Err(error) => {
                    Err(
                        from_client(Vendor::Ga4ghWes, &self.run_id, self.client.inner(), error)
                            .await,
                    )
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_carries_the_exit_code_and_stderr() {
        let report = WesReport {
            status: serde_json::from_value(
                serde_json::json!({"run_id": "r", "state": "EXECUTOR_ERROR"}),
            )
            .expect("status"),
            log: Some(
                serde_json::from_value(serde_json::json!({
                    "run_id": "r", "state": "EXECUTOR_ERROR",
                    "run_log": {"exit_code": 3, "stderr": "  tool failed\n", "start_time": ""}
                }))
                .expect("log"),
            ),
        };
        assert_eq!(report.phase(), Phase::Failed);
        let mut long = report.clone();
        if let Some(run_log) = long.log.as_mut().and_then(|log| log.run_log.as_mut()) {
            run_log.stderr = Some(format!("{}the reason", "x".repeat(1000)));
        }
        let outcome = long.outcome().unwrap_or_default();
        assert!(outcome.ends_with("the reason"), "{outcome}");
        assert_eq!(outcome.len(), "exit code 3; stderr: ".len() + STDERR_CHARS);
        assert_eq!(
            report.outcome().as_deref(),
            Some("exit code 3; stderr: tool failed")
        );
    }
}
