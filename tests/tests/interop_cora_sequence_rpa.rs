//! The Cora SeQuence RPA WSDL and client against independent SOAP stacks: node-soap serves
//! the WSDL (SOAP 1.1 and 1.2) and our client calls it; zeep reads the WSDL and calls the
//! same server; lxml validates every envelope our client sends against the schema embedded
//! in the WSDL.
#![cfg(feature = "interop")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cora_sequence_rpa::types::{ActivityMetadata, ErrorCode, FileBatch, FileReference, Status};
use cora_sequence_rpa::{Client, SoapError, SoapVersion};
use workspace_tests::capture::{Canned, CaptureServer, CapturedBody};
use workspace_tests::peers::{Peer, ScratchDir, free_port, peers_dir, venv_bin};
use workspace_tests::workspace_root;

fn wsdl() -> PathBuf {
    workspace_root().join("specs/cora-sequence-rpa/coraRpaIntegration_v1.0.0.wsdl")
}

fn script(name: &str) -> PathBuf {
    peers_dir().join("cora").join(name)
}

/// `tests/peers/cora/server.js`: node-soap with SOAP 1.1 at `/soap11` and 1.2 at `/soap12`.
fn node_soap() -> Peer {
    let soap = peers_dir().join("node_modules").join("soap");
    assert!(
        soap.exists(),
        "{} is missing: run `npm ci --prefix tests/peers` (as .ci/run does)",
        soap.display()
    );
    let port = free_port();
    let mut command = Command::new("node");
    command
        .arg(script("server.js"))
        .arg(port.to_string())
        .arg(wsdl());
    Peer::start("node-soap-cora", command, port)
}

fn header(master_workflow_instance_id: i64) -> ActivityMetadata {
    ActivityMetadata {
        workflow_space_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
        workflow_space_name: Some("Claims & Co".to_owned()),
        workflow_id: "7c9e6679-7425-40de-944b-e07fc1f90ae7".into(),
        workflow_name: None,
        workflow_instance_id: 5012,
        activity_id: "16fd2706-8baf-433b-82eb-8c7fada847da".into(),
        activity_name: Some("Read <scanned> form".to_owned()),
        activity_instance_id: 88231,
        caller_id: 7,
        master_workflow_instance_id,
    }
}

fn file_batch(robot_profile: &str) -> FileBatch {
    let file = |folder: &str| FileReference {
        connection: "RpaExternalStorage".to_owned(),
        relative_location: folder.to_owned(),
        file_name: "claim-4711.pdf".to_owned(),
    };
    FileBatch {
        time_out: 600,
        external_context: Some("claim 4711".to_owned()),
        robot_profile: robot_profile.to_owned(),
        input_file: file("in"),
        output_file: file("out"),
    }
}

fn expect_fault(error: SoapError, version: SoapVersion, code: &str, reason: &str) {
    let SoapError::Fault(fault) = error else {
        panic!("expected a SOAP fault, got {error:?}");
    };
    assert_eq!(fault.version, version);
    assert_eq!(fault.code.local_name(), code, "{fault}");
    assert!(fault.reason.contains(reason), "{fault}");
}

#[tokio::test]
async fn our_client_runs_file_batch_then_get_status_against_node_soap() {
    let server = node_soap();
    for (path, version, sender, receiver) in [
        ("soap11", SoapVersion::V11, "Client", "Server"),
        ("soap12", SoapVersion::V12, "Sender", "Receiver"),
    ] {
        let client = Client::builder(format!("{}/{path}", server.base_url))
            .build()
            .expect("endpoint")
            .with_activity_metadata(header(0));
        let call = |body: FileBatch| {
            let client = client.clone();
            async move {
                match version {
                    SoapVersion::V11 => client.soap().file_batch(&body).await,
                    _ => client.soap12().file_batch(&body).await,
                }
            }
        };
        let started = call(file_batch("ClaimReader"))
            .await
            .unwrap_or_else(|e| panic!("{path} FileBatch: {e}\n{}", server.output()));

        let workflow = header(started.master_workflow_instance_id);
        let status = match version {
            SoapVersion::V11 => {
                client
                    .soap()
                    .with_activity_metadata(&workflow)
                    .get_status()
                    .await
            }
            _ => {
                client
                    .soap12()
                    .with_activity_metadata(&workflow)
                    .get_status()
                    .await
            }
        }
        .unwrap_or_else(|e| panic!("{path} GetStatus: {e}\n{}", server.output()))
        .get_status_result
        .expect("a result");
        assert_eq!(status.status, Status::Completed);
        assert_eq!(status.error_code, ErrorCode::NoError);
        assert_eq!(status.external_context.as_deref(), Some("claim 4711"));

        // Faults thrown by the handlers arrive typed, in the binding's SOAP version.
        let error = call(file_batch("unknown-profile"))
            .await
            .expect_err("fault");
        expect_fault(error, version, receiver, "RobotProfileNotFound");
        let never_started = header(1);
        let error = match version {
            SoapVersion::V11 => {
                client
                    .soap()
                    .with_activity_metadata(&never_started)
                    .get_status()
                    .await
            }
            _ => {
                client
                    .soap12()
                    .with_activity_metadata(&never_started)
                    .get_status()
                    .await
            }
        }
        .expect_err("fault");
        expect_fault(error, version, sender, "never started");
    }
}

fn run(command: &mut Command) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn zeep_lists_both_operations_with_the_header() {
    let output = run(Command::new(venv_bin("python"))
        .args(["-m", "zeep"])
        .arg(wsdl()));
    let listing = String::from_utf8_lossy(&output.stdout);
    for port in [
        "Port: coraRpaIntegrationSoap (Soap11Binding",
        "Port: coraRpaIntegrationSoap12 (Soap12Binding",
        "Port: coraRpaIntegrationHttpGet (HttpGetBinding",
        "Port: coraRpaIntegrationHttpPost (HttpPostBinding",
    ] {
        assert!(listing.contains(port), "{port} not in:\n{listing}");
    }
    let file_batch = "FileBatch(TimeOut: xsd:int, ExternalContext: xsd:string, RobotProfile: xsd:string, InputFile: ns0:FileReference, OutputFile: ns0:FileReference, _soapheaders={ActivityMetadata: ns0:ActivityMetadata}) -> MasterWorkflowInstanceId: xsd:long";
    let get_status = "GetStatus(_soapheaders={ActivityMetadata: ns0:ActivityMetadata}) -> GetStatusResult: ns0:StatusResult";
    for operation in [file_batch, get_status] {
        assert_eq!(
            listing.matches(operation).count(),
            2,
            "{operation} not listed for both SOAP ports:\n{listing}"
        );
    }
}

#[test]
fn zeep_calls_node_soap_over_both_bindings() {
    let server = node_soap();
    let output = run(Command::new(venv_bin("python"))
        .arg(script("zeep_client.py"))
        .arg(wsdl())
        .arg(format!("{}/soap11", server.base_url))
        .arg(format!("{}/soap12", server.base_url)));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    for (line, binding) in lines
        .iter()
        .zip(["coraRpaIntegrationSoap", "coraRpaIntegrationSoap12"])
    {
        assert_eq!(line["binding"], binding);
        assert!(
            line["master_workflow_instance_id"].as_i64().is_some(),
            "{line}"
        );
        assert_eq!(line["status"], "Completed", "{line}");
        assert_eq!(line["error_code"], "NoError", "{line}");
        assert_eq!(line["external_context"], "from zeep", "{line}");
    }
}

/// The envelope our client sends for one call, captured by a loopback server.
async fn envelope(
    soap12: bool,
    header: ActivityMetadata,
    call: impl AsyncFnOnce(&Client) -> Result<(), SoapError>,
) -> String {
    // The answer does not matter here; an empty HTML page keeps the call short.
    let server = CaptureServer::start(Canned {
        status: 200,
        content_type: "text/html",
        body: b"<html/>".to_vec(),
    })
    .await;
    let client = Client::builder(&server.base_url)
        .build()
        .expect("endpoint")
        .with_activity_metadata(header);
    let _ = call(&client).await;
    let request = server.only_request();
    let expected = if soap12 {
        "application/soap+xml"
    } else {
        "text/xml"
    };
    assert!(
        request.headers["content-type"].starts_with(expected),
        "{:?}",
        request.headers
    );
    match request.body {
        Some(CapturedBody::Text(text)) => text,
        other => panic!("not an XML body: {other:?}"),
    }
}

fn validate(dir: &Path, envelopes: &[(&str, String)]) -> Output {
    let mut command = Command::new(venv_bin("python"));
    command.arg(script("validate.py")).arg(wsdl());
    for (name, xml) in envelopes {
        let path = dir.join(format!("{name}.xml"));
        std::fs::write(&path, xml).expect("write envelope");
        command.arg(path);
    }
    command.output().expect("run validate.py")
}

#[tokio::test]
async fn every_envelope_validates_against_the_embedded_schema() {
    let envelopes = vec![
        (
            "soap11-get-status",
            envelope(false, header(90017), async |c| {
                c.soap().get_status().await.map(drop)
            })
            .await,
        ),
        (
            "soap11-file-batch",
            envelope(false, header(0), async |c| {
                c.soap()
                    .file_batch(&file_batch("ClaimReader"))
                    .await
                    .map(drop)
            })
            .await,
        ),
        (
            "soap12-get-status",
            envelope(true, header(90017), async |c| {
                c.soap12().get_status().await.map(drop)
            })
            .await,
        ),
        (
            "soap12-file-batch",
            envelope(true, header(0), async |c| {
                let mut body = file_batch("ClaimReader");
                body.external_context = None;
                c.soap12().file_batch(&body).await.map(drop)
            })
            .await,
        ),
    ];
    let dir = ScratchDir::new("cora-envelopes");
    let output = validate(dir.path(), &envelopes);
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        report.matches("valid ").count(),
        envelopes.len(),
        "{report}"
    );

    // The validator is not lenient: a malformed guid and an unknown element are reported.
    let mut bad_guid = header(1);
    bad_guid.activity_id = "not-a-guid".into();
    let wrong = envelope(false, bad_guid, async |c| {
        c.soap().get_status().await.map(drop)
    })
    .await;
    let extra = envelopes[1].1.replace(
        "<tns:TimeOut>",
        "<tns:Priority>1</tns:Priority><tns:TimeOut>",
    );
    let output = validate(dir.path(), &[("bad-guid", wrong), ("extra-element", extra)]);
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{report}");
    assert_eq!(report.matches("invalid ").count(), 2, "{report}");
    assert!(report.contains("ActivityId"), "{report}");
    assert!(report.contains("Priority"), "{report}");
}
