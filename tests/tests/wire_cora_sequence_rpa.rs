//! The wire format of every Cora SeQuence RPA operation over every binding: method, path,
//! headers and the envelope (or form) as sent, and the answer decoded.

use cora_sequence_rpa::Client;
use cora_sequence_rpa::types::{
    ActivityMetadata, ErrorCode, FileBatch, FileReference, StatusResult,
};
use workspace_tests::capture::{Canned, CaptureServer, Captured, CapturedBody};

const NS: &str = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/";

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

fn file_batch() -> FileBatch {
    let file = |folder: &str| FileReference {
        connection: "RpaExternalStorage".to_owned(),
        relative_location: folder.to_owned(),
        file_name: "claim-4711.pdf".to_owned(),
    };
    FileBatch {
        time_out: 600,
        external_context: Some("claim 4711".to_owned()),
        robot_profile: "ClaimReader".to_owned(),
        input_file: file("in"),
        output_file: file("out"),
    }
}

/// A SOAP answer of `version` ("1.1" or "1.2") with `body` in its `Body`.
fn soap_answer(soap12: bool, body: &str) -> Canned {
    let (namespace, content_type) = if soap12 {
        (
            "http://www.w3.org/2003/05/soap-envelope",
            "application/soap+xml; charset=utf-8",
        )
    } else {
        (
            "http://schemas.xmlsoap.org/soap/envelope/",
            "text/xml; charset=utf-8",
        )
    };
    Canned {
        status: 200,
        content_type,
        body: format!(
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{namespace}"><soap:Body>{body}</soap:Body></soap:Envelope>"#
        )
        .into_bytes(),
    }
}

fn status_answer(soap12: bool) -> Canned {
    soap_answer(
        soap12,
        &format!(
            r#"<GetStatusResponse xmlns="{NS}"><GetStatusResult><Status>Completed</Status><ErrorCode>NoError</ErrorCode><ExternalContext>claim 4711</ExternalContext></GetStatusResult></GetStatusResponse>"#
        ),
    )
}

fn batch_answer(soap12: bool) -> Canned {
    soap_answer(
        soap12,
        &format!(
            r#"<FileBatchResponse xmlns="{NS}"><MasterWorkflowInstanceId>90017</MasterWorkflowInstanceId></FileBatchResponse>"#
        ),
    )
}

async fn client_for(canned: Canned) -> (CaptureServer, Client) {
    let server = CaptureServer::start(canned).await;
    let endpoint = format!(
        "{}/SequenceServices/coraRpaIntegration_v1.0.0.asmx",
        server.base_url
    );
    let client = Client::builder(&endpoint)
        .build()
        .expect("endpoint")
        .with_activity_metadata(header(0));
    (server, client)
}

fn completed() -> StatusResult {
    StatusResult {
        status: cora_sequence_rpa::types::Status::Completed.into(),
        error_code: ErrorCode::NoError.into(),
        external_context: Some("claim 4711".to_owned()),
    }
}

#[tokio::test]
async fn soap11_get_status() {
    let (server, client) = client_for(status_answer(false)).await;
    let workflow = header(90017);
    let answer = client
        .soap()
        .with_activity_metadata(&workflow)
        .get_status()
        .await
        .expect("answer");
    assert_eq!(answer.get_status_result, Some(completed()));
    insta::assert_snapshot!(wire(&server.only_request()));
}

#[tokio::test]
async fn soap11_file_batch() {
    let (server, client) = client_for(batch_answer(false)).await;
    let answer = client
        .soap()
        .file_batch(&file_batch())
        .await
        .expect("answer");
    assert_eq!(answer.master_workflow_instance_id, 90017);
    insta::assert_snapshot!(wire(&server.only_request()));
}

#[tokio::test]
async fn soap12_get_status() {
    let (server, client) = client_for(status_answer(true)).await;
    let workflow = header(90017);
    let answer = client
        .soap12()
        .with_activity_metadata(&workflow)
        .get_status()
        .await
        .expect("answer");
    assert_eq!(answer.get_status_result, Some(completed()));
    insta::assert_snapshot!(wire(&server.only_request()));
}

#[tokio::test]
async fn soap12_file_batch() {
    let (server, client) = client_for(batch_answer(true)).await;
    let answer = client
        .soap12()
        .file_batch(&file_batch())
        .await
        .expect("answer");
    assert_eq!(answer.master_workflow_instance_id, 90017);
    insta::assert_snapshot!(wire(&server.only_request()));
}

fn bare_status() -> Canned {
    Canned {
        status: 200,
        content_type: "text/xml; charset=utf-8",
        body: format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<StatusResult xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="{NS}">
  <Status>Completed</Status>
  <ErrorCode>NoError</ErrorCode>
  <ExternalContext>claim 4711</ExternalContext>
</StatusResult>"#
        )
        .into_bytes(),
    }
}

#[tokio::test]
async fn http_get_get_status() {
    let (server, client) = client_for(bare_status()).await;
    let answer = client.http_get().get_status().await.expect("answer");
    assert_eq!(answer, Some(completed()));
    insta::assert_snapshot!(wire(&server.only_request()));
}

#[tokio::test]
async fn http_post_get_status() {
    let (server, client) = client_for(bare_status()).await;
    let answer = client.http_post().get_status().await.expect("answer");
    assert_eq!(answer, Some(completed()));
    insta::assert_snapshot!(wire(&server.only_request()));
}

#[tokio::test]
async fn a_missing_header_is_refused_before_sending() {
    let server = CaptureServer::start(status_answer(false)).await;
    let client = Client::builder(&server.base_url).build().expect("endpoint");
    let error = client.soap().get_status().await.expect_err("no header");
    assert!(error.to_string().contains("ActivityMetadata"), "{error}");
    let error = client
        .soap12()
        .file_batch(&file_batch())
        .await
        .expect_err("no header");
    assert!(
        error.to_string().contains("with_activity_metadata"),
        "{error}"
    );
}

/// The request body of a capture, which is XML text.
fn body_text(request: &Captured) -> &str {
    match &request.body {
        Some(CapturedBody::Text(text)) => text,
        other => panic!("not a text body: {other:?}"),
    }
}

/// A request as it went over the wire: request line, headers, blank line, body.
fn wire(request: &Captured) -> String {
    assert!(
        request.query.is_empty(),
        "no query expected: {:?}",
        request.query
    );
    let mut text = format!("{} {}\n", request.method, request.path);
    for (name, value) in &request.headers {
        text.push_str(&format!("{name}: {value}\n"));
    }
    if request.body.is_some() {
        text.push('\n');
        text.push_str(body_text(request));
    }
    text
}

#[tokio::test]
async fn the_header_block_is_declared_once_and_qualified() {
    let (server, client) = client_for(batch_answer(false)).await;
    client
        .soap()
        .file_batch(&file_batch())
        .await
        .expect("answer");
    let request = server.only_request();
    let body = body_text(&request);
    assert!(
        body.contains(&format!(r#"<tns:ActivityMetadata xmlns:tns="{NS}">"#)),
        "{body}"
    );
    assert!(
        body.contains("<tns:WorkflowSpaceName>Claims &amp; Co</tns:WorkflowSpaceName>"),
        "{body}"
    );
    assert!(
        !body.contains("WorkflowName"),
        "an absent optional element is left out: {body}"
    );
}
