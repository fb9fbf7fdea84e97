//! The HTTP side, against a loopback server: headers, status handling, size cap.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use soap_runtime::{
    Credentials, Envelope, Fragment, HttpOptions, SoapError, SoapVersion, Transport,
};
use yaserde::YaDeserialize;

const NS: &str = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/";
const ACTION: &str = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/GetStatus";

#[derive(Debug, Default, PartialEq, YaDeserialize)]
#[yaserde(
    rename = "GetStatusResponse",
    prefix = "tns",
    namespaces = { "tns" = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/" }
)]
struct GetStatusResponse {
    #[yaserde(rename = "GetStatusResult", prefix = "tns")]
    result: GetStatusResult,
}

#[derive(Debug, Default, PartialEq, YaDeserialize)]
#[yaserde(
    prefix = "tns",
    namespaces = { "tns" = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/" }
)]
struct GetStatusResult {
    #[yaserde(rename = "Status", prefix = "tns")]
    status: String,
}

/// Requests the server received: headers and body.
type Seen = Arc<Mutex<Vec<(HeaderMap, String)>>>;

const IIS_ERROR_PAGE: &str = r#"<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>IIS 10.0 Detailed Error - 503.0 - Service Unavailable</title></head>
<body><div id="content"><h1>Server Error in Application "SEQUENCESERVICES"</h1></div></body></html>"#;

async fn ok(State(seen): State<Seen>, headers: HeaderMap, body: String) -> Response {
    let soap12 = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/soap+xml"));
    seen.lock().expect("not poisoned").push((headers, body));
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
    let xml = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{namespace}"><soap:Body><GetStatusResponse xmlns="{NS}"><GetStatusResult><Status>WaitingForOutput</Status></GetStatusResult></GetStatusResponse></soap:Body></soap:Envelope>"#
    );
    ([(header::CONTENT_TYPE, content_type)], xml).into_response()
}

async fn fault_500() -> Response {
    let xml = r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Server was unable to process request. ---&gt; Object reference not set to an instance of an object.</faultstring><detail /></soap:Fault></soap:Body></soap:Envelope>"#;
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

async fn fault_12_400() -> Response {
    let xml = r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">Unable to handle request without a valid action parameter.</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>"#;
    (StatusCode::BAD_REQUEST, xml).into_response()
}

async fn version_mismatch() -> Response {
    let xml = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:VersionMismatch</faultcode><faultstring>Possible SOAP version mismatch</faultstring></soap:Fault></soap:Body></soap:Envelope>"#;
    (StatusCode::INTERNAL_SERVER_ERROR, xml).into_response()
}

async fn html_500() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/html")],
        IIS_ERROR_PAGE,
    )
        .into_response()
}

async fn empty_404() -> StatusCode {
    StatusCode::NOT_FOUND
}

async fn success_envelope_with_500() -> Response {
    let xml = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Ok/></s:Body></s:Envelope>"#;
    (StatusCode::INTERNAL_SERVER_ERROR, xml).into_response()
}

/// Size of the `/large` answer, streamed in chunks of 1000 bytes.
const LARGE: usize = 8_000_000;

async fn large() -> Response {
    let chunk = Bytes::from(vec![b' '; 1000]);
    let chunks = std::iter::repeat_n(Ok::<_, Infallible>(chunk), LARGE / 1000);
    Body::from_stream(futures::stream::iter(chunks)).into_response()
}

async fn serve() -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route("/ok", post(ok))
        .route("/fault-500", post(fault_500))
        .route("/fault-12-400", post(fault_12_400))
        .route("/version-mismatch", post(version_mismatch))
        .route("/html-500", post(html_500))
        .route("/empty-404", post(empty_404))
        .route("/success-500", post(success_envelope_with_500))
        .route("/large", post(large))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}"), seen)
}

fn transport(base: &str, path: &str) -> Transport {
    transport_with(base, path, Transport::default_options())
}

fn transport_with(base: &str, path: &str, options: HttpOptions) -> Transport {
    Transport::new(&format!("{base}{path}"), options, Credentials::new()).expect("a URL")
}

fn get_status(version: SoapVersion) -> Envelope {
    Envelope::new(version, Fragment::empty_element("GetStatus", NS).expect("valid"))
        .with_header(Fragment::from_xml(&format!(r#"<ActivityMetadata xmlns="{NS}"><MasterWorkflowInstanceId>42</MasterWorkflowInstanceId></ActivityMetadata>"#)).expect("valid"))
}

#[tokio::test]
async fn soap11_call_sends_the_soapaction_header_and_decodes_the_answer() {
    let (base, seen) = serve().await;
    let envelope = get_status(SoapVersion::V11);
    let body = transport(&base, "/ok")
        .call(ACTION, &envelope)
        .await
        .expect("answer");
    let response: GetStatusResponse = body.decode().expect("decodes");
    assert_eq!(response.result.status, "WaitingForOutput");

    let seen = seen.lock().expect("not poisoned");
    let (headers, request) = &seen[0];
    assert_eq!(headers[header::CONTENT_TYPE], "text/xml; charset=utf-8");
    assert_eq!(headers["soapaction"], format!("\"{ACTION}\"").as_str());
    assert_eq!(request, &envelope.to_xml());
}

#[tokio::test]
async fn soap12_call_sends_the_action_in_the_content_type() {
    let (base, seen) = serve().await;
    let envelope = get_status(SoapVersion::V12);
    let body = transport(&base, "/ok")
        .call(ACTION, &envelope)
        .await
        .expect("answer");
    assert_eq!(body.version(), SoapVersion::V12);
    assert_eq!(
        body.decode::<GetStatusResponse>()
            .expect("decodes")
            .result
            .status,
        "WaitingForOutput"
    );

    let seen = seen.lock().expect("not poisoned");
    let (headers, request) = &seen[0];
    assert_eq!(
        headers[header::CONTENT_TYPE],
        format!("application/soap+xml; charset=utf-8; action=\"{ACTION}\"").as_str()
    );
    assert!(headers.get("soapaction").is_none());
    assert!(
        request.contains(
            r#"<soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope">"#
        )
    );
}

#[tokio::test]
async fn fault_with_http_500_is_a_fault() {
    let (base, _) = serve().await;
    let error = transport(&base, "/fault-500")
        .call(ACTION, &get_status(SoapVersion::V11))
        .await
        .expect_err("fault");
    let SoapError::Fault(fault) = error else {
        panic!("expected a fault, got {error:?}");
    };
    assert_eq!(fault.code.qname, "soap:Server");
    assert_eq!(fault.code.local_name(), "Server");
    assert_eq!(
        fault.reason,
        "Server was unable to process request. ---> Object reference not set to an instance of an object."
    );
    assert_eq!(fault.detail, None);
}

#[tokio::test]
async fn soap12_fault_with_http_400_is_a_fault() {
    let (base, _) = serve().await;
    let error = transport(&base, "/fault-12-400")
        .call(ACTION, &get_status(SoapVersion::V12))
        .await
        .expect_err("fault");
    assert_eq!(
        error.to_string(),
        "SOAP 1.2 fault soap:Sender: Unable to handle request without a valid action parameter."
    );
}

#[tokio::test]
async fn soap11_fault_for_a_soap12_request_is_a_version_mismatch() {
    let (base, _) = serve().await;
    let error = transport(&base, "/version-mismatch")
        .call(ACTION, &get_status(SoapVersion::V12))
        .await
        .expect_err("mismatch");
    assert!(
        matches!(&error, SoapError::VersionMismatch { expected: SoapVersion::V12, found } if found == "http://schemas.xmlsoap.org/soap/envelope/"),
        "{error:?}"
    );
}

#[tokio::test]
async fn html_error_page_is_an_http_status_error() {
    let (base, _) = serve().await;
    let error = transport(&base, "/html-500")
        .call(ACTION, &get_status(SoapVersion::V11))
        .await
        .expect_err("error page");
    match &error {
        SoapError::HttpStatus {
            status, snippet, ..
        } => {
            assert_eq!(*status, StatusCode::SERVICE_UNAVAILABLE);
            assert!(snippet.starts_with("<!DOCTYPE html PUBLIC"), "{snippet}");
            assert!(snippet.chars().count() <= 201, "{snippet}");
        }
        other => panic!("expected an HTTP status error, got {other:?}"),
    }
    assert!(
        error.to_string().starts_with(
            "HTTP status 503 Service Unavailable without a SOAP fault: <!DOCTYPE html"
        )
    );
}

#[tokio::test]
async fn non_fault_answers_with_error_status_are_http_status_errors() {
    let (base, _) = serve().await;
    for (path, expected) in [
        ("/empty-404", StatusCode::NOT_FOUND),
        ("/success-500", StatusCode::INTERNAL_SERVER_ERROR),
    ] {
        let error = transport(&base, path)
            .call(ACTION, &get_status(SoapVersion::V11))
            .await
            .expect_err(path);
        assert!(
            matches!(&error, SoapError::HttpStatus { status, .. } if *status == expected),
            "{path}: {error:?}"
        );
    }
}

#[tokio::test]
async fn reading_stops_at_the_cap() {
    let (base, _) = serve().await;
    let mut options = Transport::default_options();
    options.body_limit(10_000);
    let error = transport_with(&base, "/large", options)
        .call(ACTION, &get_status(SoapVersion::V11))
        .await
        .expect_err("too large");
    match error {
        SoapError::TooLarge { cap, read } => {
            assert_eq!(cap, 10_000);
            // Stopped past the cap (or refused by its Content-Length).
            assert!(read > 10_000 && read <= LARGE, "{read}");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert_eq!(Transport::DEFAULT_MAX_RESPONSE_BYTES, 4 * 1024 * 1024);
}

#[tokio::test]
async fn invalid_action_is_rejected_before_sending() {
    let (base, seen) = serve().await;
    let error = transport(&base, "/ok")
        .call("urn:a\"b", &get_status(SoapVersion::V11))
        .await
        .expect_err("invalid");
    assert!(
        matches!(error, SoapError::InvalidRequest { .. }),
        "{error:?}"
    );
    assert!(seen.lock().expect("not poisoned").is_empty());
}
