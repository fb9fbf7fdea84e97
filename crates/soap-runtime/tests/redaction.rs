//! Secrets in the endpoint URL stay out of `tracing` events, errors and `Debug`.
//!
//! A test binary of its own, so the global `tracing` subscriber sees every event.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::post;
use soap_runtime::{Credentials, Envelope, Fragment, SoapError, SoapVersion, Transport};

const ACTION: &str = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/GetStatus";

/// Collects what the `tracing` subscriber writes.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_in_the_endpoint_stay_out_of_logs_errors_and_debug() {
    let logs = Logs::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let app = Router::new().route(
        "/ok",
        post(|| async {
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Ok xmlns="urn:ok"/></s:Body></s:Envelope>"#
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });

    let envelope = Envelope::new(
        SoapVersion::V11,
        Fragment::empty_element("GetStatus", "urn:ok").expect("valid"),
    );
    let with_secrets = format!("http://robot:s3cret-pw@{address}/ok?token=t0ps3cret");
    let transport = Transport::new(
        &with_secrets,
        Transport::default_options(),
        Credentials::new(),
    )
    .expect("a URL");
    let body = transport.call(ACTION, &envelope).await.expect("answer");
    assert_eq!(body.local_name(), "Ok");
    let debug = format!("{transport:?}");
    assert!(debug.contains(&format!("http://{address}/ok")), "{debug}");

    let closed = Transport::new(
        "http://robot:s3cret-pw@127.0.0.1:1/ok?token=t0ps3cret",
        Transport::default_options(),
        Credentials::new(),
    )
    .expect("a URL");
    let error = closed
        .call(ACTION, &envelope)
        .await
        .expect_err("nothing listens on port 1");
    assert!(matches!(error, SoapError::Transport(_)), "{error:?}");
    assert!(
        error.to_string().contains("http://127.0.0.1:1/ok"),
        "{error}"
    );

    let logs = String::from_utf8(logs.0.lock().expect("not poisoned").clone()).expect("UTF-8");
    assert!(logs.contains("sending SOAP request"), "{logs}");
    assert!(logs.contains("received response"), "{logs}");
    assert!(logs.contains("status=200"), "{logs}");
    assert!(logs.contains(ACTION), "{logs}");
    for text in [logs, debug, error.to_string(), format!("{error:?}")] {
        assert!(!text.contains("s3cret-pw"), "{text}");
        assert!(!text.contains("t0ps3cret"), "{text}");
    }
}
