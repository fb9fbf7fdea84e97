//! A loopback HTTP server that answers every request with one canned response and keeps
//! what it received, for snapshots of the wire format.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, Response};
use serde::Serialize;
use serde_json::Value;

/// Bodies larger than this are not what these tests send.
const BODY_LIMIT: usize = 1 << 20;

/// What the server answers.
#[derive(Clone, Debug)]
pub struct Canned {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` of the body.
    pub content_type: &'static str,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Canned {
    /// A JSON answer.
    pub fn json(status: u16, body: &Value) -> Self {
        Self {
            status,
            content_type: "application/json",
            body: body.to_string().into_bytes(),
        }
    }
}

/// One request as it arrived, in a form that snapshots well.
#[derive(Clone, Debug, Serialize)]
pub struct Captured {
    /// HTTP method.
    pub method: String,
    /// Path, without the query.
    pub path: String,
    /// Query pairs, decoded, in the order sent.
    pub query: Vec<(String, String)>,
    /// Headers by lowercase name; `host` and `content-length` are left out as they vary.
    pub headers: BTreeMap<String, String>,
    /// The body: JSON when it parses, text otherwise, absent when empty.
    pub body: Option<CapturedBody>,
}

/// A request body.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum CapturedBody {
    /// A body that parses as JSON.
    Json(Value),
    /// Anything else, as (lossy) UTF-8.
    Text(String),
}

/// Marks a secret that was checked and hidden.
pub const REDACTED: &str = "[redacted]";

impl Captured {
    /// Checks that header `name` carries `expected`, then hides its value.
    pub fn redact_header(&mut self, name: &str, expected: &str) -> &mut Self {
        let value = self.headers.get_mut(name);
        assert_eq!(
            value.as_deref().map(String::as_str),
            Some(expected),
            "header {name}"
        );
        if let Some(value) = value {
            *value = REDACTED.to_owned();
        }
        self
    }

    /// Checks that the JSON body's top-level `field` is `expected`, then hides it.
    pub fn redact_body_field(&mut self, field: &str, expected: &str) -> &mut Self {
        let Some(CapturedBody::Json(Value::Object(body))) = &mut self.body else {
            panic!("no JSON object body to find {field} in: {:?}", self.body);
        };
        assert_eq!(
            body.get(field),
            Some(&Value::from(expected)),
            "body field {field}"
        );
        body.insert(field.to_owned(), Value::from(REDACTED));
        self
    }
}

/// The running server.
pub struct CaptureServer {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    received: Arc<Mutex<Vec<Captured>>>,
}

impl CaptureServer {
    /// Starts a server on 127.0.0.1 that answers every request with `canned`.
    pub async fn start(canned: Canned) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let app = Router::new().fallback(move |request: Request<Body>| {
            let log = Arc::clone(&log);
            let canned = canned.clone();
            async move {
                let captured = capture(request).await;
                log.lock().expect("capture log").push(captured);
                Response::builder()
                    .status(canned.status)
                    .header("content-type", canned.content_type)
                    .body(Body::from(canned.body))
                    .expect("canned response is valid")
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let base_url = format!("http://{}", listener.local_addr().expect("local addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base_url, received }
    }

    /// The single request received so far; fails when there was not exactly one.
    pub fn only_request(&self) -> Captured {
        let received = self.received.lock().expect("capture log");
        assert_eq!(received.len(), 1, "requests received: {received:#?}");
        received[0].clone()
    }
}

async fn capture(request: Request<Body>) -> Captured {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
    let query = parts.uri.query().map(url_decode_pairs).unwrap_or_default();
    let headers = parts
        .headers
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "host" | "content-length"))
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = (!bytes.is_empty()).then(|| match serde_json::from_slice(&bytes) {
        Ok(json) => CapturedBody::Json(json),
        Err(_) => CapturedBody::Text(String::from_utf8_lossy(&bytes).into_owned()),
    });
    Captured {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query,
        headers,
        body,
    }
}

fn url_decode_pairs(query: &str) -> Vec<(String, String)> {
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(
        &format!("/?{query}").parse().expect("valid uri"),
    )
    .map(|q| q.0)
    .unwrap_or_else(|_| vec![(query.to_owned(), String::new())])
}
