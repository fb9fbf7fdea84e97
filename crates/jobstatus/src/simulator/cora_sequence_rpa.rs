//! A simulated Cora SeQuence RPA integration service: the ASMX endpoint
//! [`PATH`], speaking SOAP 1.1 (`text/xml` with a `SOAPAction` header) and SOAP 1.2
//! (`application/soap+xml` with an `action` parameter) on the same path, as ASMX does.
//!
//! `FileBatch` creates a workflow with the server's default script
//! ([`Server::set_script`]) and answers its `MasterWorkflowInstanceId`; [`Server::add_job`]
//! adds one with a script of its own. `GetStatus` reads the workflow from the
//! `MasterWorkflowInstanceId` of the `ActivityMetadata` header, and each call counts as a
//! poll. Scripted phases are answered `Queued` (pending), `ProcessingInput` (the first
//! running poll) then `WaitingForOutput`, `Completed`, `Failed` with the `ErrorCode`
//! [`FAILURE`], and `Aborted` (cancelled), each with the `ExternalContext` the workflow's
//! `FileBatch` gave. Phases Cora has no word for are sent as their name, which clients
//! read as an unlisted status. A workflow the service does not know answers the status
//! `NotFound`, as the real service does.
//!
//! Requests are checked as ASMX checks them, and refused with a SOAP fault of the
//! request's version and HTTP 500: `soap:Client` (`Sender` in SOAP 1.2) for a body that is
//! not a SOAP envelope, an unknown action, a body element that is not the action's, a body
//! or an `ActivityMetadata` header that does not match the schema (a GUID field that is
//! not a GUID too), and a missing header; `VersionMismatch` for an envelope of the other
//! version than the content type says. A content type that is neither SOAP version
//! answers 415, a path other than [`PATH`] 404 and a method other than POST 405, with an
//! IIS error page.
//!
//! Injected [`Fault`]s: `SoapFault` answers a fault of the request's version
//! with the given reason and code (`Server`/`Receiver` and `Client`/`Sender` are swapped
//! for the request's version), `Status` and `HtmlPage` an IIS error page, and the others
//! act as for every vendor.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Response, header};
use axum::routing::post;
use axum::{Extension, Router};
use cora_sequence_rpa::NAMESPACE;
use cora_sequence_rpa::types::{
    ActivityMetadata, ErrorCode, FileBatch, FileBatchResponse, GetStatusResponse, Status,
    StatusResult,
};
use soap_runtime::{Envelope, Fragment, Sent, SoapError, SoapVersion};
use yaserde::{YaDeserialize, YaSerialize};

use super::server::{Shared, altered, lock, replacement, respond, simulator_server, unrouted};
use super::{Fault, Server};
use crate::Phase;

/// The path of the service, below [`Server::base_url`].
pub const PATH: &str = "/SequenceServices/coraRpaIntegration_v1.0.0.asmx";

/// The `ErrorCode` of a workflow whose script ends in [`Phase::Failed`].
pub const FAILURE: ErrorCode = ErrorCode::RobotProfileNotFound;

/// A simulated Cora SeQuence RPA integration service on 127.0.0.1; it stops when dropped.
///
/// Dereferences to its [`Server`] for scripts, faults and the request log.
#[derive(Debug)]
pub struct CoraSequenceRpaSimulator {
    server: Server,
}

simulator_server!(CoraSequenceRpaSimulator);

/// The activity [`CoraSequenceRpaSimulator::client`] calls for, with `MasterWorkflowInstanceId` 0.
pub fn caller() -> ActivityMetadata {
    ActivityMetadata {
        workflow_space_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
        workflow_space_name: Some("Claims".to_owned()),
        workflow_id: "7c9e6679-7425-40de-944b-e07fc1f90ae7".into(),
        workflow_name: Some("Claim intake".to_owned()),
        workflow_instance_id: 5012,
        activity_id: "16fd2706-8baf-433b-82eb-8c7fada847da".into(),
        activity_name: Some("Read scanned form".to_owned()),
        activity_instance_id: 88231,
        caller_id: 7,
        master_workflow_instance_id: 0,
    }
}

impl CoraSequenceRpaSimulator {
    /// Starts a simulated Cora SeQuence RPA integration service on 127.0.0.1.
    pub async fn start() -> Self {
        let router = Router::new()
            .route(PATH, post(call))
            .layer(Extension(Arc::new(Workflows::default())));
        Self {
            server: Server::start(unrouted(router, iis_page), Arc::default()).await,
        }
    }

    /// The service's endpoint: [`Server::base_url`] followed by [`PATH`].
    pub fn endpoint(&self) -> String {
        format!("{}{PATH}", self.base_url())
    }

    /// A Cora SeQuence RPA client for this simulator, sending the [`caller`] activity as
    /// its default `ActivityMetadata` header.
    ///
    /// It has no timeouts, so it works under tokio's paused clock; a delay fault is then
    /// seen in full.
    pub fn client(&self) -> cora_sequence_rpa::Client {
        cora_sequence_rpa::Client::builder(self.endpoint())
            .timeout(None)
            .connect_timeout(None)
            .build()
            .expect("the simulator's endpoint is an absolute URL")
            .with_activity_metadata(caller())
    }
}

/// What the service keeps about its workflows beyond their script.
#[derive(Debug, Default)]
struct Workflows {
    by_id: Mutex<HashMap<String, Workflow>>,
}

#[derive(Debug, Default)]
struct Workflow {
    /// The `ExternalContext` of the `FileBatch` that started it.
    external_context: Option<String>,
    /// Running polls answered so far.
    running_polls: u32,
}

/// The operations of the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operation {
    GetStatus,
    FileBatch,
}

impl Operation {
    const ALL: [Self; 2] = [Self::GetStatus, Self::FileBatch];

    fn name(self) -> &'static str {
        match self {
            Self::GetStatus => "GetStatus",
            Self::FileBatch => "FileBatch",
        }
    }

    /// The SOAP action, the namespace followed by the operation's name.
    fn action(self) -> String {
        format!("{NAMESPACE}{}", self.name())
    }
}

/// A request the service accepted: its body and header.
struct Request {
    body: RequestBody,
    header: ActivityMetadata,
}

/// The body of an accepted request.
enum RequestBody {
    GetStatus,
    FileBatch(FileBatch),
}

/// Who a refusal blames, in SOAP 1.1 words.
#[derive(Clone, Copy, Debug)]
enum Blame {
    Client,
    VersionMismatch,
}

/// Why a request is refused with a SOAP fault.
struct Refusal {
    blame: Blame,
    reason: String,
}

impl Refusal {
    fn client(reason: impl Into<String>) -> Self {
        Self {
            blame: Blame::Client,
            reason: reason.into(),
        }
    }

    /// ASMX's words for a request it cannot read.
    fn unreadable(detail: impl std::fmt::Display) -> Self {
        Self::client(format!("Server was unable to read request. ---> {detail}"))
    }

    fn answer(&self, version: SoapVersion) -> Response<Body> {
        let code = match self.blame {
            Blame::Client => "Client",
            Blame::VersionMismatch => "VersionMismatch",
        };
        soap_fault(version, code, &self.reason)
    }
}

async fn call(
    State(shared): State<Arc<Shared>>,
    Extension(workflows): Extension<Arc<Workflows>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let Some((version, action)) = content_type(&headers) else {
        return iis_page(415, "unsupported media type");
    };
    let request = match read(version, action, &body) {
        Ok(request) => request,
        Err(refusal) => return refusal.answer(version),
    };
    match request.body {
        RequestBody::FileBatch(batch) => file_batch(&shared, &workflows, version, batch).await,
        RequestBody::GetStatus => {
            let id = request.header.master_workflow_instance_id.to_string();
            get_status(&shared, &workflows, version, id).await
        }
    }
}

/// The SOAP version the content type names, and the SOAP action: the `SOAPAction` header
/// in SOAP 1.1, the `action` parameter in SOAP 1.2; `None` for other content types.
fn content_type(headers: &HeaderMap) -> Option<(SoapVersion, Option<String>)> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let mut parts = value.split(';');
    let media_type = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let unquoted = |value: &str| value.trim().trim_matches('"').to_owned();
    match media_type.as_str() {
        "text/xml" => {
            let action = headers
                .get("soapaction")
                .and_then(|value| value.to_str().ok())
                .map(unquoted);
            Some((SoapVersion::V11, action))
        }
        "application/soap+xml" => {
            let action = parts.find_map(|parameter| {
                let (name, value) = parameter.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("action")
                    .then(|| unquoted(value))
            });
            Some((SoapVersion::V12, action))
        }
        _ => None,
    }
}

/// Reads and checks a request envelope of `version`, as ASMX would.
fn read(version: SoapVersion, action: Option<String>, envelope: &[u8]) -> Result<Request, Refusal> {
    let element = soap_runtime::parse_response(version, envelope).map_err(|error| match error {
        SoapError::VersionMismatch { .. } => Refusal {
            blame: Blame::VersionMismatch,
            reason: error.to_string(),
        },
        SoapError::Fault(_) => Refusal::unreadable("the body of a request is a SOAP fault"),
        error => Refusal::unreadable(error),
    })?;

    // SOAP 1.1 routes by SOAPAction; SOAP 1.2 by its action parameter, or the body
    // element when the parameter is left out.
    let action = match (version, action) {
        (_, Some(action)) => action,
        (SoapVersion::V12, None) => format!("{NAMESPACE}{}", element.local_name()),
        (SoapVersion::V11, None) => String::new(),
    };
    let operation = Operation::ALL
        .into_iter()
        .find(|operation| operation.action() == action)
        .ok_or_else(|| {
            Refusal::client(format!(
                "Server did not recognize the value of HTTP Header SOAPAction: {action}."
            ))
        })?;
    if element.local_name() != operation.name() || element.namespace() != Some(NAMESPACE) {
        return Err(Refusal::unreadable(format!(
            "<{} xmlns='{}'> was not expected.",
            element.local_name(),
            element.namespace().unwrap_or_default()
        )));
    }
    let body = match operation {
        Operation::GetStatus => RequestBody::GetStatus,
        Operation::FileBatch => {
            RequestBody::FileBatch(element.decode().map_err(Refusal::unreadable)?)
        }
    };

    let header = activity_metadata(version, envelope)?.ok_or_else(|| {
        Refusal::client("The required SOAP header ActivityMetadata was not received.")
    })?;
    for (name, guid) in [
        ("WorkflowSpaceId", &header.workflow_space_id),
        ("WorkflowId", &header.workflow_id),
        ("ActivityId", &header.activity_id),
    ] {
        if !is_guid(guid.as_str()) {
            return Err(Refusal::unreadable(format!(
                "ActivityMetadata.{name}: Guid should contain 32 digits with 4 dashes \
                 (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), not {:?}.",
                guid.as_str()
            )));
        }
    }
    Ok(Request { body, header })
}

/// Whether `text` is a GUID in its 36-character form.
fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A SOAP 1.1 request envelope, read down to its header.
#[derive(Debug, YaDeserialize)]
#[yaserde(
    rename = "Envelope",
    prefix = "env",
    namespaces = {"env" = "http://schemas.xmlsoap.org/soap/envelope/"}
)]
struct RequestEnvelope11 {
    #[yaserde(rename = "Header", prefix = "env")]
    header: Option<RequestHeader11>,
}

#[derive(Debug, YaDeserialize)]
#[yaserde(
    rename = "Header",
    prefix = "env",
    namespaces = {
        "env" = "http://schemas.xmlsoap.org/soap/envelope/",
        "tns" = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/"
    }
)]
struct RequestHeader11 {
    #[yaserde(rename = "ActivityMetadata", prefix = "tns")]
    activity_metadata: Option<ActivityMetadata>,
}

/// A SOAP 1.2 request envelope, read down to its header.
#[derive(Debug, YaDeserialize)]
#[yaserde(
    rename = "Envelope",
    prefix = "env",
    namespaces = {"env" = "http://www.w3.org/2003/05/soap-envelope"}
)]
struct RequestEnvelope12 {
    #[yaserde(rename = "Header", prefix = "env")]
    header: Option<RequestHeader12>,
}

#[derive(Debug, YaDeserialize)]
#[yaserde(
    rename = "Header",
    prefix = "env",
    namespaces = {
        "env" = "http://www.w3.org/2003/05/soap-envelope",
        "tns" = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/"
    }
)]
struct RequestHeader12 {
    #[yaserde(rename = "ActivityMetadata", prefix = "tns")]
    activity_metadata: Option<ActivityMetadata>,
}

/// The `ActivityMetadata` header of a well-formed request envelope, if it has one.
fn activity_metadata(
    version: SoapVersion,
    body: &[u8],
) -> Result<Option<ActivityMetadata>, Refusal> {
    let text = std::str::from_utf8(body).map_err(Refusal::unreadable)?;
    let text = text.trim_start_matches('\u{feff}');
    let header = match version {
        SoapVersion::V11 => yaserde::de::from_str::<RequestEnvelope11>(text)
            .map(|envelope| envelope.header.and_then(|h| h.activity_metadata)),
        SoapVersion::V12 => yaserde::de::from_str::<RequestEnvelope12>(text)
            .map(|envelope| envelope.header.and_then(|h| h.activity_metadata)),
    };
    header.map_err(|error| Refusal::unreadable(format!("SOAP header ActivityMetadata: {error}")))
}

async fn file_batch(
    shared: &Shared,
    workflows: &Workflows,
    version: SoapVersion,
    batch: FileBatch,
) -> Response<Body> {
    let fault = shared.serve(Operation::FileBatch.name(), None);
    if let Some(replaced) = replaced(version, fault.as_ref()) {
        return replaced;
    }
    let id = shared.create();
    lock(&workflows.by_id).insert(
        id.clone(),
        Workflow {
            external_context: batch.external_context,
            running_polls: 0,
        },
    );
    altered(fault, |_| {
        let master_workflow_instance_id = id.parse().unwrap_or_default();
        soap_answer(
            version,
            200,
            &FileBatchResponse {
                master_workflow_instance_id,
            },
        )
    })
    .await
}

async fn get_status(
    shared: &Shared,
    workflows: &Workflows,
    version: SoapVersion,
    id: String,
) -> Response<Body> {
    let fault = shared.serve(Operation::GetStatus.name(), Some(&id));
    if let Some(replaced) = replaced(version, fault.as_ref()) {
        return replaced;
    }
    let result = match shared.poll(&id) {
        Some(phase) => {
            let mut workflows = lock(&workflows.by_id);
            let workflow = workflows.entry(id).or_default();
            let status = match phase {
                Phase::Pending => Status::Queued,
                Phase::Running if workflow.running_polls == 0 => Status::ProcessingInput,
                Phase::Running => Status::WaitingForOutput,
                Phase::Succeeded => Status::Completed,
                Phase::Failed => Status::Failed,
                Phase::Cancelled => Status::Aborted,
                Phase::Cancelling | Phase::Unknown => Status::from(phase.as_str()),
            };
            if phase == Phase::Running {
                workflow.running_polls += 1;
            }
            StatusResult {
                status: status.into(),
                error_code: match phase {
                    Phase::Failed => FAILURE,
                    _ => ErrorCode::NoError,
                }
                .into(),
                external_context: workflow.external_context.clone(),
            }
        }
        None => StatusResult {
            status: Status::NotFound.into(),
            error_code: ErrorCode::NoError.into(),
            external_context: None,
        },
    };
    altered(fault, |state| {
        let result = StatusResult {
            status: state.map_or(result.status.clone(), |state| Sent::read(&state)),
            ..result.clone()
        };
        soap_answer(
            version,
            200,
            &GetStatusResponse {
                get_status_result: Some(result),
            },
        )
    })
    .await
}

/// The answer to an injected fault that replaces the normal answer: a SOAP fault of the
/// request's version, or what the core answers (an IIS page for an HTTP status).
fn replaced(version: SoapVersion, fault: Option<&Fault>) -> Option<Response<Body>> {
    if let Some(Fault::SoapFault { code, reason }) = fault {
        let local = code
            .rsplit_once(':')
            .map_or(code.as_str(), |(_, local)| local);
        return Some(soap_fault(version, local, reason));
    }
    replacement(fault, |status| iis_page(status, "simulated failure"))
}

/// IIS's error page for an HTTP status, as it answers outside ASMX.
fn iis_page(status: u16, message: &str) -> Response<Body> {
    respond(
        status,
        "text/html",
        format!(
            "<html><head><title>IIS {status}</title></head>\
             <body><h1>Server Error</h1><h2>HTTP Error {status}: {message}</h2></body></html>"
        ),
    )
}

/// `body` as the only element of a SOAP envelope of `version`.
fn soap_answer<T: YaSerialize>(version: SoapVersion, status: u16, body: &T) -> Response<Body> {
    let content_type = match version {
        SoapVersion::V11 => "text/xml; charset=utf-8",
        SoapVersion::V12 => "application/soap+xml; charset=utf-8",
    };
    match Fragment::from_yaserde(body) {
        Ok(fragment) => respond(
            status,
            content_type,
            Envelope::new(version, fragment).to_xml(),
        ),
        Err(error) => respond(500, "text/plain", error.to_string()),
    }
}

/// A SOAP fault of `version` with HTTP 500, as ASMX answers one. `code` is a SOAP 1.1 or
/// 1.2 code without prefix; `Server`/`Receiver` and `Client`/`Sender` are written in the
/// words of `version`.
fn soap_fault(version: SoapVersion, code: &str, reason: &str) -> Response<Body> {
    match version {
        SoapVersion::V11 => {
            let code = match code {
                "Receiver" => "Server",
                "Sender" => "Client",
                other => other,
            };
            soap_answer(
                version,
                500,
                &Fault11 {
                    faultcode: format!("soap:{code}"),
                    faultstring: reason.to_owned(),
                    detail: Detail11 {},
                },
            )
        }
        SoapVersion::V12 => {
            let code = match code {
                "Server" => "Receiver",
                "Client" => "Sender",
                other => other,
            };
            soap_answer(
                version,
                500,
                &Fault12 {
                    code: Code12 {
                        value: format!("soap:{code}"),
                    },
                    reason: Reason12 {
                        text: Text12 {
                            lang: "en".to_owned(),
                            text: reason.to_owned(),
                        },
                    },
                    detail: Detail12 {},
                },
            )
        }
    }
}

/// A SOAP 1.1 fault, as ASMX writes it: unqualified children and an empty `detail`.
#[derive(Debug, YaSerialize)]
#[yaserde(
    rename = "Fault",
    prefix = "soap",
    namespaces = {"soap" = "http://schemas.xmlsoap.org/soap/envelope/"}
)]
struct Fault11 {
    #[yaserde(rename = "faultcode")]
    faultcode: String,
    #[yaserde(rename = "faultstring")]
    faultstring: String,
    #[yaserde(rename = "detail")]
    detail: Detail11,
}

#[derive(Debug, YaSerialize)]
#[yaserde(rename = "detail")]
struct Detail11 {}

/// A SOAP 1.2 fault, as ASMX writes it: code, English reason and an empty `Detail`.
#[derive(Debug, YaSerialize)]
#[yaserde(
    rename = "Fault",
    prefix = "soap",
    namespaces = {"soap" = "http://www.w3.org/2003/05/soap-envelope"}
)]
struct Fault12 {
    #[yaserde(rename = "Code", prefix = "soap")]
    code: Code12,
    #[yaserde(rename = "Reason", prefix = "soap")]
    reason: Reason12,
    #[yaserde(rename = "Detail", prefix = "soap")]
    detail: Detail12,
}

#[derive(Debug, YaSerialize)]
#[yaserde(
    rename = "Code",
    prefix = "soap",
    namespaces = {"soap" = "http://www.w3.org/2003/05/soap-envelope"}
)]
struct Code12 {
    #[yaserde(rename = "Value", prefix = "soap")]
    value: String,
}

#[derive(Debug, YaSerialize)]
#[yaserde(
    rename = "Reason",
    prefix = "soap",
    namespaces = {"soap" = "http://www.w3.org/2003/05/soap-envelope"}
)]
struct Reason12 {
    #[yaserde(rename = "Text", prefix = "soap")]
    text: Text12,
}

#[derive(Debug, YaSerialize)]
#[yaserde(
    rename = "Text",
    prefix = "soap",
    namespaces = {"soap" = "http://www.w3.org/2003/05/soap-envelope"}
)]
struct Text12 {
    #[yaserde(attribute = true, rename = "lang", prefix = "xml")]
    lang: String,
    #[yaserde(text = true)]
    text: String,
}

#[derive(Debug, YaSerialize)]
#[yaserde(
    rename = "Detail",
    prefix = "soap",
    namespaces = {"soap" = "http://www.w3.org/2003/05/soap-envelope"}
)]
struct Detail12 {}

#[cfg(test)]
mod tests {
    use super::*;

    async fn text(response: Response<Body>) -> (u16, String) {
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[tokio::test]
    async fn faults_are_written_in_the_version_asked_for() {
        for (version, code, expected) in [
            (SoapVersion::V11, "Receiver", "soap:Server"),
            (SoapVersion::V11, "Client", "soap:Client"),
            (SoapVersion::V12, "Server", "soap:Receiver"),
            (SoapVersion::V12, "Client", "soap:Sender"),
            (SoapVersion::V12, "MustUnderstand", "soap:MustUnderstand"),
        ] {
            let (status, body) = text(soap_fault(version, code, "a < b & c")).await;
            assert_eq!(status, 500);
            let Err(SoapError::Fault(fault)) =
                soap_runtime::parse_response(version, body.as_bytes())
            else {
                panic!("not a fault: {body}");
            };
            assert_eq!(fault.code.qname, expected, "{body}");
            assert_eq!(
                fault.code.namespace.as_deref(),
                Some(version.envelope_namespace())
            );
            assert_eq!(fault.reason, "a < b & c");
            assert_eq!(
                fault.detail, None,
                "an empty detail, as ASMX writes it: {body}"
            );
        }
    }

    #[test]
    fn guids_have_their_36_character_form() {
        assert!(is_guid("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert!(is_guid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
        for bad in [
            "",
            "not-a-guid",
            "0f8fad5bd9cb469fa16570867728950e",
            "{0f8fad5b-d9cb-469f-a165-70867728950e}",
            "0f8fad5b-d9cb-469f-a165-70867728950g",
        ] {
            assert!(!is_guid(bad), "{bad}");
        }
    }
}
