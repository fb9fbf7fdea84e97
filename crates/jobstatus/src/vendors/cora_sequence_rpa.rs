//! Genpact Cora SeQuence RPA workflows, started by `FileBatch` and followed with
//! `GetStatus` over SOAP.
//!
//! The phase of each `Status` is the spec's status table (the `js:status` element in
//! `specs/cora-sequence-rpa/coraRpaIntegration_v1.0.0.wsdl`), generated as
//! [`CoraStatus::phase`].
//!
//! `NotFound` is not a phase: [`CoraSequenceRpaJob`] turns it into
//! [`ErrorKind::NotFound`], as the other vendors' not-found answers are; the table maps it
//! to Unknown only because it has to map every value. The outcome is the `ErrorCode` unless
//! it is `NoError`, and the `ExternalContext` the caller gave `FileBatch`. Cora has no
//! cancel operation.
//!
//! Errors of the SOAP client map onto [`ErrorKind`] as follows:
//!
//! | [`SoapError`]                                   | [`ErrorKind`]                     |
//! |-------------------------------------------------|-----------------------------------|
//! | `Fault`                                         | `SoapFault` (code, reason, detail) |
//! | `HttpStatus` 404 / 401, 403 / 429 / 3xx / others | `NotFound` / `Unauthorized` / `RateLimited` / `Redirect` / `Server` (an oversized body included) |
//! | `Transport`                                     | `Transport`                       |
//! | `Redirect`                                      | `Redirect`                        |
//! | `NotXml`, `Malformed`, `ForbiddenDtd`, `TooLarge`, `Decode`, `VersionMismatch`, `MissingBody` | `Undecodable` |
//! | `InvalidRequest`, `Encode`                      | `InvalidRequest`                  |
//!
//! A SOAP fault is not retryable: ASMX answers every exception a web method throws as a
//! `soap:Server` (`Receiver`) fault, so such a fault is almost always an application error
//! that the same call meets again, and `soap:Client` (`Sender`) faults are the request's
//! own. Transport failures and the HTTP statuses 429, 500, 502, 503 and 504 without a fault
//! (a proxy or IIS answering) are retryable, as for every vendor, and their `Retry-After`
//! is honoured.

use cora_sequence_rpa::types::{
    ActivityMetadata, ErrorCode, GetStatusResponse, Status as CoraStatus, StatusResult,
};
use cora_sequence_rpa::{Client, Header, SoapError, SoapVersion};
use futures::future::BoxFuture;

use crate::client_error::{from_status, parse_retry_after};
use crate::{Error, ErrorKind, Job, Phase, Status, StatusReport, Vendor, VendorReport};

impl StatusReport for StatusResult {
    fn phase(&self) -> Phase {
        self.status.phase()
    }

    fn vendor_state(&self) -> String {
        self.status.as_sent().to_owned()
    }

    fn outcome(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.error_code != ErrorCode::NoError {
            parts.push(self.error_code.as_sent().to_owned());
        }
        if let Some(context) = &self.external_context {
            parts.push(format!("context: {context}"));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

impl From<StatusResult> for VendorReport {
    fn from(result: StatusResult) -> Self {
        VendorReport::CoraSequenceRpa(result)
    }
}

/// Maps an error of the Cora SOAP client onto the shared error type; `id` names the
/// workflow for a not-found answer. See the module docs for the table.
pub(crate) fn from_soap(id: &str, error: SoapError) -> Error {
    let vendor = Vendor::CoraSequenceRpa;
    let undecodable = |reason: String, snippet: String| {
        Error::new(vendor, ErrorKind::Undecodable { reason, snippet })
    };
    match error {
        SoapError::Fault(fault) => Error::new(
            vendor,
            ErrorKind::SoapFault {
                code: fault.code.qname,
                reason: fault.reason,
                detail: fault.detail,
            },
        ),
        SoapError::HttpStatus {
            status,
            snippet,
            retry_after,
        } => from_status(
            vendor,
            id,
            status.as_u16(),
            retry_after.as_deref().and_then(parse_retry_after),
            None,
            Some(snippet).filter(|s| !s.is_empty()),
        ),
        SoapError::Transport(error) => Error::new(vendor, ErrorKind::Transport(Box::new(error))),
        SoapError::Redirect(redirect) => Error::new(vendor, ErrorKind::Redirect(redirect)),
        SoapError::NotXml { snippet } => undecodable("response is not XML".to_owned(), snippet),
        SoapError::Malformed { reason, snippet } => undecodable(reason, snippet),
        SoapError::Decode {
            type_name,
            reason,
            snippet,
        } => undecodable(format!("not a {type_name}: {reason}"), snippet),
        SoapError::InvalidRequest { reason } => {
            Error::new(vendor, ErrorKind::InvalidRequest(reason))
        }
        error @ SoapError::Encode { .. } => {
            Error::new(vendor, ErrorKind::InvalidRequest(error.to_string()))
        }
        // ForbiddenDtd, TooLarge, VersionMismatch, MissingBody, and what a later
        // soap-runtime adds: answers that carry no snippet.
        error => undecodable(error.to_string(), String::new()),
    }
}

/// An RPA workflow at a Cora SeQuence server, by the `MasterWorkflowInstanceId` that
/// `FileBatch` returned.
///
/// `GetStatus` names the workflow in the `ActivityMetadata` SOAP header, so the job sends
/// the client's default header ([`Client::with_activity_metadata`]) with its
/// `MasterWorkflowInstanceId` set to the job's. Calls go over SOAP 1.1 unless
/// [`with_soap_version`](Self::with_soap_version) picks 1.2.
#[derive(Clone, Debug)]
pub struct CoraSequenceRpaJob {
    client: Client,
    id: i64,
    /// The client's default header naming this workflow, written once and shared by every
    /// poll; `None` when the client has no default header, which the client reports as an
    /// invalid request.
    header: Option<Header<ActivityMetadata>>,
    version: SoapVersion,
}

impl CoraSequenceRpaJob {
    /// The workflow `master_workflow_instance_id` (returned by `FileBatch`) at the server
    /// `client` talks to, with the activity of the client's default `ActivityMetadata`.
    pub fn new(client: Client, master_workflow_instance_id: i64) -> Self {
        let header = client.activity_metadata().map(|caller| {
            Header::new(ActivityMetadata {
                master_workflow_instance_id,
                ..caller.clone()
            })
        });
        Self {
            client,
            id: master_workflow_instance_id,
            header,
            version: SoapVersion::V11,
        }
    }

    /// Calls over `version` (SOAP 1.1, the default, or SOAP 1.2); both reach the same
    /// endpoint, as ASMX serves them.
    #[must_use]
    pub fn with_soap_version(mut self, version: SoapVersion) -> Self {
        self.version = version;
        self
    }

    /// The SOAP version the job calls over.
    pub fn soap_version(&self) -> SoapVersion {
        self.version
    }

    /// The workflow's `MasterWorkflowInstanceId`.
    pub fn master_workflow_instance_id(&self) -> i64 {
        self.id
    }

    async fn get_status(&self) -> Result<GetStatusResponse, SoapError> {
        match self.version {
            SoapVersion::V11 => {
                let port = self.client.soap();
                match &self.header {
                    Some(header) => port.with_activity_metadata(header).get_status().await,
                    None => port.get_status().await,
                }
            }
            SoapVersion::V12 => {
                let port = self.client.soap12();
                match &self.header {
                    Some(header) => port.with_activity_metadata(header).get_status().await,
                    None => port.get_status().await,
                }
            }
        }
    }
}

impl Job for CoraSequenceRpaJob {
    fn vendor(&self) -> Vendor {
        Vendor::CoraSequenceRpa
    }

    fn id(&self) -> String {
        self.id.to_string()
    }

    fn status(&self) -> BoxFuture<'_, Result<Status, Error>> {
        Box::pin(async move {
            let response = self
                .get_status()
                .await
                .map_err(|error| from_soap(&self.id(), error))?;
            match response.get_status_result {
                Some(result) if result.status == CoraStatus::NotFound => Err(Error::new(
                    Vendor::CoraSequenceRpa,
                    ErrorKind::NotFound { id: self.id() },
                )),
                Some(result) => Ok(Status::from_report(result)),
                None => Err(Error::new(
                    Vendor::CoraSequenceRpa,
                    ErrorKind::Undecodable {
                        reason: "GetStatusResponse without a GetStatusResult".to_owned(),
                        snippet: String::new(),
                    },
                )),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_is_the_error_code_and_the_external_context() {
        use soap_runtime::Sent;

        let result = |status: &str, code: &str, context: Option<&str>| StatusResult {
            status: Sent::read(status),
            error_code: Sent::read(code),
            external_context: context.map(str::to_owned),
        };
        let failed = result("Failed", "RobotProfileNotFound", Some("claim 4711"));
        assert_eq!(
            failed.outcome().as_deref(),
            Some("RobotProfileNotFound; context: claim 4711")
        );
        let done = result("Completed", "NoError", Some("claim 4711"));
        assert_eq!(done.outcome().as_deref(), Some("context: claim 4711"));
        assert_eq!(result("Completed", "NoError", None).outcome(), None);
        let status = Status::from_report(result("Aborted", "TimedOut", None));
        assert_eq!(
            (
                status.phase,
                status.vendor_state.as_str(),
                status.outcome.as_deref()
            ),
            (Phase::Cancelled, "Aborted", Some("TimedOut"))
        );
        assert_eq!(status.vendor(), Vendor::CoraSequenceRpa);
    }

    #[test]
    fn soap_errors_map_onto_kinds() {
        let fault = soap_runtime::parse_response(
            SoapVersion::V11,
            br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
                <faultcode>s:Server</faultcode><faultstring>boom</faultstring><detail><e>7</e></detail>
                </s:Fault></s:Body></s:Envelope>"#,
        )
        .expect_err("a fault");
        let error = from_soap("7", fault);
        assert!(
            matches!(&error.kind, ErrorKind::SoapFault { code, reason, detail: Some(_) } if code == "s:Server" && reason == "boom"),
            "{error}"
        );
        assert!(!error.is_retryable());

        let status = |status: u16| SoapError::HttpStatus {
            status: reqwest::StatusCode::from_u16(status).expect("a status"),
            snippet: "<html>".to_owned(),
            retry_after: None,
        };
        assert!(from_soap("7", status(404)).is_not_found());
        assert!(matches!(
            from_soap("7", status(401)).kind,
            ErrorKind::Unauthorized { status: 401, .. }
        ));
        assert!(matches!(
            from_soap("7", status(429)).kind,
            ErrorKind::RateLimited { retry_after: None }
        ));
        let unavailable = from_soap("7", status(503));
        assert!(
            matches!(&unavailable.kind, ErrorKind::Server { status: 503, message: Some(m), .. } if m == "<html>")
        );
        assert!(unavailable.is_retryable());

        for error in [
            SoapError::NotXml {
                snippet: "{}".to_owned(),
            },
            SoapError::ForbiddenDtd,
            SoapError::MissingBody,
            SoapError::TooLarge { cap: 1, read: 2 },
        ] {
            let error = from_soap("7", error);
            assert!(
                matches!(error.kind, ErrorKind::Undecodable { .. }),
                "{error}"
            );
            assert!(!error.is_retryable());
        }
        let invalid = from_soap(
            "7",
            SoapError::InvalidRequest {
                reason: "no header".to_owned(),
            },
        );
        assert!(matches!(invalid.kind, ErrorKind::InvalidRequest(ref r) if r == "no header"));
    }
}
