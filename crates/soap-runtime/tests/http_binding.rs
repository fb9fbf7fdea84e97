//! Calls over the HTTP GET and HTTP POST bindings ASMX offers next to SOAP: the request
//! line and form, and the bare XML answers.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use soap_runtime::{Credentials, HttpVerb, SoapError, Transport};
use yaserde::YaDeserialize;

#[derive(Debug, PartialEq, YaDeserialize)]
#[yaserde(
    rename = "StatusResult",
    prefix = "tns",
    namespaces = { "tns" = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/" }
)]
struct StatusResult {
    #[yaserde(rename = "Status", prefix = "tns")]
    status: String,
    #[yaserde(rename = "ExternalContext", prefix = "tns")]
    external_context: Option<String>,
}

/// What the server saw: method, URI, content type and body.
type Seen = Arc<Mutex<Vec<(Method, String, Option<String>, String)>>>;

async fn start(status: StatusCode, answer: &'static str) -> (Transport, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .fallback(
            move |State(seen): State<Seen>,
                  method: Method,
                  uri: Uri,
                  headers: HeaderMap,
                  body: Bytes| async move {
                let content_type = headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned);
                seen.lock().expect("not poisoned").push((
                    method,
                    uri.to_string(),
                    content_type,
                    String::from_utf8_lossy(&body).into_owned(),
                ));
                let response: Response = (
                    status,
                    [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
                    answer,
                )
                    .into_response();
                response
            },
        )
        .with_state(Arc::clone(&seen));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let endpoint = format!("http://{address}/SequenceServices/service.asmx");
    let transport =
        Transport::new(&endpoint, Transport::default_options(), Credentials::new()).expect("URL");
    (transport, seen)
}

const ANSWER: &str = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<StatusResult xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://genpact.com/cora/orchestration/rpa/1.0.0/api/\"><Status>Queued</Status><ExternalContext xsi:nil=\"true\"/></StatusResult>";

#[tokio::test]
async fn get_puts_the_parameters_in_the_query() {
    let (transport, seen) = start(StatusCode::OK, ANSWER).await;
    let result: Option<StatusResult> = transport
        .call_http(
            HttpVerb::Get,
            "/GetStatus",
            &[("id", "4 2"), ("kind", "a&b")],
        )
        .await
        .expect("decodes");
    assert_eq!(
        result,
        Some(StatusResult {
            status: "Queued".to_owned(),
            external_context: None,
        })
    );
    let seen = seen.lock().expect("not poisoned");
    assert_eq!(seen[0].0, Method::GET);
    assert_eq!(
        seen[0].1,
        "/SequenceServices/service.asmx/GetStatus?id=4+2&kind=a%26b"
    );
    assert_eq!(seen[0].3, "");
}

#[tokio::test]
async fn post_sends_a_form() {
    let (transport, seen) = start(StatusCode::OK, ANSWER).await;
    let result: Option<StatusResult> = transport
        .call_http(HttpVerb::Post, "/GetStatus", &[("id", "42")])
        .await
        .expect("decodes");
    assert!(result.is_some());
    let seen = seen.lock().expect("not poisoned");
    assert_eq!(seen[0].0, Method::POST);
    assert_eq!(seen[0].1, "/SequenceServices/service.asmx/GetStatus");
    assert_eq!(
        seen[0].2.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(seen[0].3, "id=42");
}

#[tokio::test]
async fn a_nil_answer_is_none() {
    let (transport, _) = start(
        StatusCode::OK,
        r#"<StatusResult xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true" xmlns="http://genpact.com/cora/orchestration/rpa/1.0.0/api/" />"#,
    )
    .await;
    let result: Option<StatusResult> = transport
        .call_http(HttpVerb::Get, "/GetStatus", &[])
        .await
        .expect("decodes");
    assert_eq!(result, None);
}

#[tokio::test]
async fn errors_are_typed() {
    let (transport, _) = start(
        StatusCode::INTERNAL_SERVER_ERROR,
        "System.InvalidOperationException: Missing parameter: id.",
    )
    .await;
    let error = transport
        .call_http::<StatusResult>(HttpVerb::Get, "/GetStatus", &[])
        .await
        .expect_err("500");
    let SoapError::HttpStatus {
        status, snippet, ..
    } = error
    else {
        panic!("{error:?}");
    };
    assert_eq!(status.as_u16(), 500);
    assert!(snippet.contains("Missing parameter"), "{snippet}");

    for (body, expected) in [
        ("Service Unavailable", "NotXml"),
        ("<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", "ForbiddenDtd"),
        ("<StatusResult", "Malformed"),
        (
            "<Other xmlns=\"urn:x\"><Status>1</Status></Other>",
            "Decode",
        ),
    ] {
        let (transport, _) = start(StatusCode::OK, body).await;
        let error = transport
            .call_http::<StatusResult>(HttpVerb::Post, "/GetStatus", &[])
            .await
            .expect_err(body);
        assert!(
            format!("{error:?}").starts_with(expected),
            "{body}: {error:?}"
        );
    }
}
