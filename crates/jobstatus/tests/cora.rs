//! The facade against the simulated Cora SeQuence RPA service over real HTTP, under tokio's
//! paused clock: workflows started with `FileBatch` and followed with `GetStatus` over SOAP
//! 1.1 and 1.2, faults of either version, and the requests the service refuses.

use futures::StreamExt;
use jobstatus::cora_sequence_rpa::types::{
    ActivityMetadata, ErrorCode, FileBatch, FileReference, GetStatus, Status as CoraStatus,
    StatusResult,
};
use jobstatus::cora_sequence_rpa::{Client, NAMESPACE, SoapError, SoapFault, SoapVersion};
use jobstatus::simulator::{Fault, Script, cora_sequence_rpa};
use jobstatus::vendors::cora_sequence_rpa::CoraSequenceRpaJob;
use jobstatus::{
    ErrorKind, Job, Phase, Status, Vendor, VendorReport, WaitError, wait, wait_for_success, watch,
};
use soap_runtime::{Envelope, Fragment};

mod common;
use common::{FaultSet, failure, faults_behave_as_for_elma, policy};

const VERSIONS: [SoapVersion; 2] = [SoapVersion::V11, SoapVersion::V12];

fn batch(external_context: Option<&str>) -> FileBatch {
    let file = |folder: &str| FileReference {
        connection: "RpaExternalStorage".to_owned(),
        relative_location: folder.to_owned(),
        file_name: "claim-4711.pdf".to_owned(),
    };
    FileBatch {
        time_out: 600,
        external_context: external_context.map(str::to_owned),
        robot_profile: "ClaimReader".to_owned(),
        input_file: file("in"),
        output_file: file("out"),
    }
}

/// Starts a workflow with `FileBatch` over `version` and returns the job following it
/// over the same version.
async fn start(client: &Client, version: SoapVersion, context: &str) -> CoraSequenceRpaJob {
    let body = batch(Some(context));
    let started = match version {
        SoapVersion::V11 => client.soap().file_batch(&body).await,
        SoapVersion::V12 => client.soap12().file_batch(&body).await,
    }
    .expect("FileBatch started a workflow");
    CoraSequenceRpaJob::new(client.clone(), started.master_workflow_instance_id)
        .with_soap_version(version)
}

fn report(status: &Status) -> &StatusResult {
    match &status.report {
        VendorReport::CoraSequenceRpa(result) => result,
        other => panic!("expected a Cora report: {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_file_batch_is_followed_to_success_over_both_soap_versions() {
    let server = cora_sequence_rpa::CoraSequenceRpaSimulator::start().await;
    server.set_script(Script::new(1, 2, Phase::Succeeded));
    let client = server.client();
    for version in VERSIONS {
        let before = server.served().len();
        let job = start(&client, version, "claim 4711").await;
        assert_eq!(job.soap_version(), version);
        let seen: Vec<Status> = watch(&job, &policy())
            .map(|item| item.expect("a status"))
            .collect()
            .await;
        let states: Vec<(Phase, &str)> = seen
            .iter()
            .map(|status| (status.phase, status.vendor_state.as_str()))
            .collect();
        assert_eq!(
            states,
            [
                (Phase::Pending, "Queued"),
                (Phase::Running, "ProcessingInput"),
                (Phase::Running, "WaitingForOutput"),
                (Phase::Succeeded, "Completed"),
            ],
            "{version}"
        );
        let done = seen.last().expect("a final status");
        assert_eq!(done.outcome.as_deref(), Some("context: claim 4711"));
        assert_eq!(done.vendor(), Vendor::CoraSequenceRpa);
        assert_eq!(report(done).error_code, ErrorCode::NoError);

        let polls: Vec<_> = server
            .served()
            .into_iter()
            .skip(before)
            .map(|served| (served.operation, served.job))
            .collect();
        let mut expected = vec![("FileBatch".to_owned(), None)];
        expected.extend(vec![("GetStatus".to_owned(), Some(job.id())); 4]);
        assert_eq!(polls, expected, "{version}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_failed_batch_carries_its_error_code() {
    let server = cora_sequence_rpa::CoraSequenceRpaSimulator::start().await;
    server.set_script(Script::new(0, 1, Phase::Failed));
    let job = start(&server.client(), SoapVersion::V12, "claim 4712").await;
    let status = failure(wait_for_success(&job, &policy()).await.expect_err("failed"));
    assert_eq!(
        (status.phase, status.vendor_state.as_str()),
        (Phase::Failed, "Failed")
    );
    assert_eq!(
        status.outcome.as_deref(),
        Some("RobotProfileNotFound; context: claim 4712")
    );
    assert_eq!(report(&status).error_code, cora_sequence_rpa::FAILURE);
}

#[tokio::test(start_paused = true)]
async fn an_aborted_batch_is_cancelled() {
    let server = cora_sequence_rpa::CoraSequenceRpaSimulator::start().await;
    let id = server.add_job(Script::new(1, 1, Phase::Cancelled));
    let job = CoraSequenceRpaJob::new(server.client(), id.parse().expect("numeric"));
    let status = wait(&job, &policy()).await.expect("terminal");
    assert_eq!(
        (status.phase, status.vendor_state.as_str(), status.outcome),
        (Phase::Cancelled, "Aborted", None)
    );

    let error = job.cancel().await.expect_err("no cancel");
    assert!(
        matches!(error.kind, ErrorKind::Unsupported("cancel")),
        "{error}"
    );
    assert_eq!(error.vendor, Vendor::CoraSequenceRpa);
}

#[tokio::test(start_paused = true)]
async fn an_unknown_workflow_is_not_found() {
    let server = cora_sequence_rpa::CoraSequenceRpaSimulator::start().await;
    let client = server.client();

    // The service answers the status NotFound, which the job turns into the error.
    let unknown = ActivityMetadata {
        master_workflow_instance_id: 999,
        ..cora_sequence_rpa::caller()
    };
    let answer = client
        .soap()
        .with_activity_metadata(&unknown)
        .get_status()
        .await
        .expect("an answer");
    let result = answer.get_status_result.expect("a result");
    assert_eq!(result.status, CoraStatus::NotFound);

    for version in VERSIONS {
        let job = CoraSequenceRpaJob::new(client.clone(), 999).with_soap_version(version);
        let error = wait(&job, &policy()).await.expect_err("unknown");
        assert!(
            matches!(error, WaitError::NotFound(ref e)
                if e.vendor == Vendor::CoraSequenceRpa
                    && matches!(&e.kind, ErrorKind::NotFound { id } if id == "999")),
            "{error:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn soap_faults_arrive_typed_in_either_version() {
    let server = cora_sequence_rpa::CoraSequenceRpaSimulator::start().await;
    let id: i64 = server
        .add_job(Script::new(0, 0, Phase::Succeeded))
        .parse()
        .expect("numeric");
    let client = server.client();
    for (version, expected) in [
        (SoapVersion::V11, "soap:Server"),
        (SoapVersion::V12, "soap:Receiver"),
    ] {
        let job = CoraSequenceRpaJob::new(client.clone(), id).with_soap_version(version);
        server.inject(Fault::SoapFault {
            code: "soap:Server".into(),
            reason: "Object reference not set to an instance of an object.".into(),
        });
        let error = wait(&job, &policy()).await.expect_err("a fault");
        let WaitError::Call { error, polls: 1 } = error else {
            panic!("a fault is not retried: {error:?}");
        };
        assert!(
            matches!(&error.kind, ErrorKind::SoapFault { code, reason, detail: None }
                if code == expected && reason.starts_with("Object reference")),
            "{error}"
        );
        assert!(!error.is_retryable());
        assert_eq!(
            job.status().await.expect("fine again").phase,
            Phase::Succeeded
        );
    }

    // A header the service cannot read is the caller's fault, in either version.
    let bad = ActivityMetadata {
        workflow_id: "not-a-guid".into(),
        master_workflow_instance_id: id,
        ..cora_sequence_rpa::caller()
    };
    for (version, expected) in [
        (SoapVersion::V11, "soap:Client"),
        (SoapVersion::V12, "soap:Sender"),
    ] {
        let job = CoraSequenceRpaJob::new(client.clone().with_activity_metadata(bad.clone()), id)
            .with_soap_version(version);
        let error = job.status().await.expect_err("refused");
        assert!(
            matches!(&error.kind, ErrorKind::SoapFault { code, reason, .. }
                if code == expected && reason.contains("WorkflowId") && reason.contains("not-a-guid")),
            "{error}"
        );
    }

    // A client without a default header cannot name the workflow: nothing is sent.
    let served = server.served().len();
    let bare = Client::builder(server.endpoint())
        .build()
        .expect("endpoint");
    let error = CoraSequenceRpaJob::new(bare, id)
        .status()
        .await
        .expect_err("no header");
    assert!(
        matches!(&error.kind, ErrorKind::InvalidRequest(reason) if reason.contains("ActivityMetadata")),
        "{error}"
    );
    assert_eq!(server.served().len(), served);
}

#[tokio::test(start_paused = true)]
async fn http_statuses_without_a_fault_map_as_for_the_rest_vendors() {
    let server = cora_sequence_rpa::CoraSequenceRpaSimulator::start().await;
    let id = server.add_job(Script::new(0, 0, Phase::Succeeded));
    let job = CoraSequenceRpaJob::new(server.client(), id.parse().expect("numeric"));
    let status = |status: u16| Fault::Status {
        status,
        retry_after: None,
    };

    server.inject(status(401));
    let error = job.status().await.expect_err("401");
    assert!(
        matches!(&error.kind, ErrorKind::Unauthorized { status: 401, message: Some(m) } if m.contains("HTTP Error 401")),
        "{error}"
    );
    server.inject(status(404));
    assert!(job.status().await.expect_err("404").is_not_found());
    server.inject(status(429));
    let error = job.status().await.expect_err("429");
    assert!(
        matches!(error.kind, ErrorKind::RateLimited { .. }),
        "{error}"
    );
    assert!(error.is_retryable());
    server.inject(status(400));
    let error = job.status().await.expect_err("400");
    assert!(
        matches!(error.kind, ErrorKind::Server { status: 400, .. }),
        "{error}"
    );
    assert!(!error.is_retryable());
}

/// The fault checks of tests/common made against every vendor, against Cora.
#[tokio::test(start_paused = true)]
async fn cora_faults_behave_as_for_elma() {
    let server = cora_sequence_rpa::CoraSequenceRpaSimulator::start().await;
    let id = server.add_job(Script::new(0, 0, Phase::Succeeded));
    let job = CoraSequenceRpaJob::new(server.client(), id.parse().expect("numeric"));

    // A SOAP answer cut off halfway still shows its envelope.
    let faults = FaultSet {
        truncated_snippet: Some("Envelope"),
        ..FaultSet::new("GetStatus", "Suspended")
    };
    faults_behave_as_for_elma(&server, &job, &faults).await;
}

#[tokio::test(start_paused = true)]
async fn every_listed_status_reads_as_its_phase() {
    let server = cora_sequence_rpa::CoraSequenceRpaSimulator::start().await;
    let id = server.add_job(Script::new(0, 0, Phase::Succeeded));
    let job = CoraSequenceRpaJob::new(server.client(), id.parse().expect("numeric"));
    for state in CoraStatus::KNOWN {
        server.inject(Fault::UnknownState(state.as_str().to_owned()));
        let answer = job.status().await;
        if *state == CoraStatus::NotFound {
            let error = answer.expect_err("NotFound is not a phase");
            assert!(error.is_not_found(), "{error}");
            continue;
        }
        let status = answer.unwrap_or_else(|e| panic!("{state}: {e}"));
        assert_eq!(
            (status.phase, status.vendor_state.as_str()),
            (state.phase(), state.as_str())
        );
        assert_ne!(status.phase, Phase::Unknown, "{state}");
    }
}

/// Posts `body` to the simulator with `content_type` and the SOAP 1.1 `soap_action`.
async fn post(
    url: &str,
    content_type: &str,
    soap_action: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (u16, String) {
    let mut request = reqwest::Client::new()
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(body);
    if let Some(action) = soap_action {
        request = request.header("SOAPAction", format!("\"{action}\""));
    }
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a text body"))
}

/// The SOAP fault in `body`, whose version must be `version`.
fn fault(version: SoapVersion, body: &str) -> SoapFault {
    match soap_runtime::parse_response(version, body.as_bytes()) {
        Err(SoapError::Fault(fault)) => *fault,
        other => panic!("expected a {version} fault: {other:?}\n{body}"),
    }
}

fn get_status_envelope(version: SoapVersion, header: Option<&ActivityMetadata>) -> String {
    let body = Fragment::from_yaserde(&GetStatus {}).expect("GetStatus");
    let mut envelope = Envelope::new(version, body);
    if let Some(header) = header {
        envelope = envelope.with_header(Fragment::from_yaserde(header).expect("a header"));
    }
    envelope.to_xml()
}

#[tokio::test(start_paused = true)]
async fn the_service_refuses_what_asmx_refuses_with_a_fault_of_the_request_version() {
    let server = cora_sequence_rpa::CoraSequenceRpaSimulator::start().await;
    let url = server.endpoint();
    let get_status = format!("{NAMESPACE}GetStatus");
    let text_xml = "text/xml; charset=utf-8";
    let soap12 = "application/soap+xml; charset=utf-8";
    let header = ActivityMetadata {
        master_workflow_instance_id: server
            .add_job(Script::new(0, 0, Phase::Succeeded))
            .parse()
            .expect("numeric"),
        ..cora_sequence_rpa::caller()
    };

    // Not XML, truncated XML and a DTD: the server cannot read the request.
    for body in [
        "{\"GetStatus\": {}}".to_owned(),
        get_status_envelope(SoapVersion::V11, Some(&header))[..120].to_owned(),
        "<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>".to_owned(),
    ] {
        let (status, answer) = post(&url, text_xml, Some(&get_status), body).await;
        assert_eq!(status, 500);
        let fault = fault(SoapVersion::V11, &answer);
        assert_eq!(fault.code.qname, "soap:Client");
        assert!(
            fault
                .reason
                .starts_with("Server was unable to read request.")
        );
    }

    // No header, in either version.
    let (status, answer) = post(
        &url,
        text_xml,
        Some(&get_status),
        get_status_envelope(SoapVersion::V11, None),
    )
    .await;
    assert_eq!(status, 500);
    let refused = fault(SoapVersion::V11, &answer);
    assert_eq!(refused.code.qname, "soap:Client");
    assert!(refused.reason.contains("ActivityMetadata"), "{refused}");
    let (status, answer) = post(
        &url,
        &format!("{soap12}; action=\"{get_status}\""),
        None,
        get_status_envelope(SoapVersion::V12, None),
    )
    .await;
    assert_eq!(status, 500);
    let refused = fault(SoapVersion::V12, &answer);
    assert_eq!(refused.code.qname, "soap:Sender");
    assert!(refused.reason.contains("ActivityMetadata"), "{refused}");

    // An unknown or missing SOAPAction, and a body that is not the action's.
    let envelope = get_status_envelope(SoapVersion::V11, Some(&header));
    for action in [Some(format!("{NAMESPACE}Cancel")), None] {
        let (status, answer) = post(&url, text_xml, action.as_deref(), envelope.clone()).await;
        assert_eq!(status, 500);
        let refused = fault(SoapVersion::V11, &answer);
        assert!(
            refused
                .reason
                .starts_with("Server did not recognize the value of HTTP Header SOAPAction"),
            "{refused}"
        );
    }
    let file_batch = format!("{NAMESPACE}FileBatch");
    let (_, answer) = post(&url, text_xml, Some(&file_batch), envelope.clone()).await;
    let refused = fault(SoapVersion::V11, &answer);
    assert!(refused.reason.contains("was not expected"), "{refused}");

    // A SOAP 1.2 envelope sent as SOAP 1.1.
    let envelope12 = get_status_envelope(SoapVersion::V12, Some(&header));
    let (status, answer) = post(&url, text_xml, Some(&get_status), envelope12.clone()).await;
    assert_eq!(status, 500);
    assert_eq!(
        fault(SoapVersion::V11, &answer).code.qname,
        "soap:VersionMismatch"
    );

    // SOAP 1.2 without the action parameter is routed by its body element.
    let (status, answer) = post(&url, soap12, None, envelope12).await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer.contains("<tns:Status>Completed</tns:Status>"),
        "{answer}"
    );

    // Neither SOAP content type, another method, another path: IIS pages.
    let (status, answer) = post(&url, "application/json", None, "{}").await;
    assert_eq!(status, 415);
    assert!(answer.contains("<html>"), "{answer}");
    let response = reqwest::get(&url).await.expect("an answer");
    assert_eq!(response.status().as_u16(), 405);
    let (status, _) = post(
        &format!("{}/SequenceServices/other.asmx", server.base_url()),
        text_xml,
        Some(&get_status),
        envelope,
    )
    .await;
    assert_eq!(status, 404);

    // None of these reached an operation.
    assert_eq!(
        server
            .served()
            .iter()
            .filter(|served| served.operation == "GetStatus")
            .count(),
        1
    );
}
