//! A loopback HTTP server that keeps what it received, for snapshots of the wire format and
//! for client tests: it answers every request with one canned response
//! ([`CaptureServer::start`]) or with what a responder makes of each request
//! ([`CaptureServer::start_with`]).

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

    /// `body` as is under `Content-Type: application/json`, whether or not it parses: for
    /// fixture files and for the malformed answers a client has to survive.
    pub fn json_bytes(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type: "application/json",
            body: body.into(),
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
    /// Headers by lowercase name; `host` and `content-length` are left out as they vary. A
    /// header sent more than once has its values joined with `", "`, in the order sent.
    pub headers: BTreeMap<String, String>,
    /// The body: JSON when it parses, text otherwise, absent when empty.
    pub body: Option<CapturedBody>,
    /// The query string as sent, still encoded; `None` when the URI had none. Left out of
    /// snapshots.
    #[serde(skip)]
    pub raw_query: Option<String>,
    /// The body bytes as sent, for bodies (multipart, say) that `body` would blur. Left out of
    /// snapshots.
    #[serde(skip)]
    pub raw_body: Vec<u8>,
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
    /// The value of header `name` (lowercase), if it was sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The decoded value of query parameter `name`, if it was sent; fails when it was sent
    /// more than once.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        let mut values = self.query.iter().filter(|(key, _)| key == name);
        let value = values.next().map(|(_, value)| value.as_str());
        assert!(
            values.next().is_none(),
            "{name} sent more than once: {self:?}"
        );
        value
    }

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
        Self::start_with(move |_| canned.clone()).await
    }

    /// Starts a server on 127.0.0.1 that answers each request with what `respond` makes of
    /// it, by method, path, query or headers. A request is recorded before it is answered.
    pub async fn start_with(respond: impl Fn(&Captured) -> Canned + Send + Sync + 'static) -> Self {
        let respond = Arc::new(respond);
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let app = Router::new().fallback(move |request: Request<Body>| {
            let log = Arc::clone(&log);
            let respond = Arc::clone(&respond);
            async move {
                let captured = capture(request).await;
                let canned = respond(&captured);
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
        let received = self.requests();
        assert_eq!(received.len(), 1, "requests received: {received:#?}");
        received[0].clone()
    }

    /// Every request received so far, in the order they were recorded.
    pub fn requests(&self) -> Vec<Captured> {
        self.received.lock().expect("capture log").clone()
    }
}

async fn capture(request: Request<Body>) -> Captured {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
    let query = parts.uri.query().map(url_decode_pairs).unwrap_or_default();
    let mut headers = BTreeMap::<String, String>::new();
    for (name, value) in &parts.headers {
        if matches!(name.as_str(), "host" | "content-length") {
            continue;
        }
        let value = String::from_utf8_lossy(value.as_bytes());
        headers
            .entry(name.as_str().to_owned())
            .and_modify(|joined| {
                joined.push_str(", ");
                joined.push_str(&value);
            })
            .or_insert_with(|| value.into_owned());
    }
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
        raw_query: parts.uri.query().map(str::to_owned),
        raw_body: bytes.to_vec(),
    }
}

fn url_decode_pairs(query: &str) -> Vec<(String, String)> {
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(
        &format!("/?{query}").parse().expect("valid uri"),
    )
    .map(|q| q.0)
    .unwrap_or_else(|_| vec![(query.to_owned(), String::new())])
}
