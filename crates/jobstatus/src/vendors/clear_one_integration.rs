//! Clear One Integration ingestion workflows.
//!
//! The phase of each workflow status is the spec's status table (`x-jobstatus` in
//! `specs/clear-one-integration/openapi.yaml`), generated as
//! [`WorkflowStatus::phase`](clear_one_integration::types::WorkflowStatus::phase).
//!
//! A workflow succeeds when every stage is SUCCESS or PARTIAL_SUCCESS, so the outcome lists
//! each activity with its status and error message, which is where a partial success or a
//! failed template shows. An unknown task id (the 404 envelope, or a 200 envelope without a
//! result) is not found. Clear has no cancel operation.

use clear_one_integration::types::{ActivityStatus, ErrorEnvelope, WorkflowStatusResult};
use futures::future::BoxFuture;
use progenitor_client::ClientInfo;

use crate::client_error::{ErrorBody, from_client};
use crate::{Error, ErrorKind, Job, Phase, Status, StatusReport, Vendor, VendorReport};

impl StatusReport for WorkflowStatusResult {
    fn phase(&self) -> Phase {
        self.workflow_status.phase()
    }

    fn vendor_state(&self) -> String {
        self.workflow_status.as_sent().to_owned()
    }

    fn outcome(&self) -> Option<String> {
        let activities = self.activity_status_list.as_deref().unwrap_or_default();
        let mut lines: Vec<String> = activities
            .iter()
            .map(|activity| {
                let mut line = activity.stage.to_string();
                if let Some(template) = &activity.ingestion_template {
                    line.push_str(&format!(" {template}"));
                }
                line.push_str(&format!(": {}", activity.status));
                if let Some(message) = &activity.error_message {
                    line.push_str(&format!(" ({message})"));
                }
                line
            })
            .collect();
        if activities
            .iter()
            .any(|a| a.status == ActivityStatus::PartialSuccess)
        {
            lines.push("partial success: some records failed validation".to_owned());
        }
        lines.extend(self.message.clone());
        (!lines.is_empty()).then(|| lines.join("; "))
    }
}

impl From<WorkflowStatusResult> for VendorReport {
    fn from(result: WorkflowStatusResult) -> Self {
        VendorReport::ClearOneIntegration(result)
    }
}

impl ErrorBody for ErrorEnvelope {
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

/// A Clear ingestion workflow, by the task id the ingest call returned.
#[derive(Clone, Debug)]
pub struct ClearOneIntegrationJob {
    client: clear_one_integration::Client,
    task_id: String,
}

impl ClearOneIntegrationJob {
    /// The workflow of `task_id` at the Clear API `client` talks to.
    pub fn new(client: clear_one_integration::Client, task_id: impl Into<String>) -> Self {
        Self {
            client,
            task_id: task_id.into(),
        }
    }
}

impl Job for ClearOneIntegrationJob {
    fn vendor(&self) -> Vendor {
        Vendor::ClearOneIntegration
    }

    fn id(&self) -> String {
        self.task_id.clone()
    }

    fn status(&self) -> BoxFuture<'_, Result<Status, Error>> {
        Box::pin(async move {
            let answer = self
                .client
                .get_workflow_status()
                .task_id(self.task_id.as_str())
                .send()
                .await;
            match answer {
                Ok(response) => match response.into_inner().result {
                    Some(result) => Ok(Status::from_report(result)),
                    None => Err(Error::new(
                        Vendor::ClearOneIntegration,
                        ErrorKind::NotFound {
                            id: self.task_id.clone(),
                        },
                    )),
                },
                Err(error) => Err(from_client(
                    Vendor::ClearOneIntegration,
                    &self.task_id,
                    self.client.inner(),
                    error,
                )
                .await),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_lists_each_activity_and_a_partial_success() {
        let result: WorkflowStatusResult = serde_json::from_value(serde_json::json!({
            "taskId": "6988c9f8b359874b346bbe9c",
            "workflowStatus": "SUCCESS",
            "activityStatusList": [
                {"stage": "TRANSFORMATION", "status": "SUCCESS"},
                {"stage": "INGESTION", "ingestionTemplate": "PURCHASE", "status": "PARTIAL_SUCCESS",
                 "errorReportPreSign": "https://storage.example/report.csv"},
                {"stage": "INGESTION", "ingestionTemplate": "SALES", "status": "FAILURE",
                 "errorMessage": "This is a duplicate file."}
            ],
            "message": null
        }))
        .expect("decodes");
        assert_eq!(result.phase(), Phase::Succeeded);
        assert_eq!(
            result.outcome().as_deref(),
            Some(
                "TRANSFORMATION: SUCCESS; INGESTION PURCHASE: PARTIAL_SUCCESS; \
                 INGESTION SALES: FAILURE (This is a duplicate file.); \
                 partial success: some records failed validation"
            )
        );
    }
}
