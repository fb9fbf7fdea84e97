//! The loopback servers: one that answers every vendor's status call with a canned body,
//! and a stateless WES server whose run ids say when each run ends.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;

use crate::bodies::{Bodies, Size};

/// A server listening on 127.0.0.1, on its own runtime thread.
pub struct Loopback {
    addr: SocketAddr,
    _runtime: tokio::runtime::Runtime,
}

impl Loopback {
    /// Serves `router` on one worker thread of its own, so that its work shows apart from
    /// the client's.
    fn serve(router: Router, workers: usize) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name("loopback-server")
            .enable_all()
            .build()
            .expect("a server runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("a loopback port");
        let addr = listener.local_addr().expect("a bound address");
        runtime.spawn(async move { axum::serve(listener, router).await });
        Self {
            addr,
            _runtime: runtime,
        }
    }

    /// `http://127.0.0.1:port` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// The server of the ratio bench: `/{size}/...` answers each vendor's status call with
/// the body of that size, whatever the request names.
pub fn canned(bodies: Bodies, workers: usize) -> Loopback {
    let json = |body: Bytes| ([(header::CONTENT_TYPE, "application/json")], body);
    let router = Router::new()
        .route(
            "/{size}/v1/orchestra/task/status",
            post(move |State(b): State<Arc<Bodies>>, Path(size): Path<String>| async move {
                json(b.elma[sized(&size)].clone())
            }),
        )
        .route(
            "/{size}/api/v1/rpa/jobs/{id}",
            get(
                move |State(b): State<Arc<Bodies>>, Path((size, _)): Path<(String, String)>| async move {
                    json(b.infor[sized(&size)].clone())
                },
            ),
        )
        .route(
            "/{size}/one-integration/workflow/status",
            get(move |State(b): State<Arc<Bodies>>, Path(size): Path<String>| async move {
                json(b.clear[sized(&size)].clone())
            }),
        )
        .route(
            "/{size}/runs/{id}/status",
            get(move |State(b): State<Arc<Bodies>>| async move { json(b.wes_status.clone()) }),
        )
        .route(
            "/{size}/runs/{id}",
            get(
                move |State(b): State<Arc<Bodies>>, Path((size, _)): Path<(String, String)>| async move {
                    json(b.wes_log[sized(&size)].clone())
                },
            ),
        )
        .route("/cora", post(cora))
        .with_state(Arc::new(bodies));
    Loopback::serve(router, workers)
}

/// The index of the body of the size a URL names.
fn sized(size: &str) -> usize {
    match size {
        "large" => Size::Large as usize,
        _ => Size::Small as usize,
    }
}

/// ASMX answers in the SOAP version it was asked in.
async fn cora(State(bodies): State<Arc<Bodies>>, headers: HeaderMap) -> Response {
    let soap12 = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/soap+xml"));
    let (content_type, body) = if soap12 {
        ("application/soap+xml; charset=utf-8", bodies.cora12.clone())
    } else {
        ("text/xml; charset=utf-8", bodies.cora11.clone())
    };
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response()
}

/// The stateless WES server of the `wait_all` bench.
///
/// A run id is the number of milliseconds after the server's start at which the run
/// ends: `GetRunStatus` answers RUNNING before that and COMPLETE from then on, and
/// `GetRunLog` answers the complete run's log. The only state is two counters.
pub struct RunsServer {
    /// Where the server listens.
    pub loopback: Loopback,
    /// Instant zero of the run ids.
    pub epoch: Instant,
    /// Status calls answered, and run log calls answered.
    pub counts: Arc<Counts>,
}

/// What the runs server counted.
#[derive(Debug, Default)]
pub struct Counts {
    /// `GetRunStatus` calls.
    pub status: AtomicU64,
    /// `GetRunLog` calls.
    pub log: AtomicU64,
}

/// Starts the runs server on `workers` threads.
pub fn runs(workers: usize) -> RunsServer {
    let epoch = Instant::now();
    let counts = Arc::new(Counts::default());
    let status_counts = Arc::clone(&counts);
    let log_counts = Arc::clone(&counts);
    let router = Router::new()
        .route(
            "/runs/{id}/status",
            get(move |Path(id): Path<String>| async move {
                status_counts.status.fetch_add(1, Ordering::Relaxed);
                let state = if ended(epoch, &id) { "COMPLETE" } else { "RUNNING" };
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    format!(r#"{{"run_id":"{id}","state":"{state}"}}"#),
                )
            }),
        )
        .route(
            "/runs/{id}",
            get(move |Path(id): Path<String>| async move {
                log_counts.log.fetch_add(1, Ordering::Relaxed);
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    format!(
                        r#"{{"run_id":"{id}","state":"COMPLETE","run_log":{{"exit_code":0}},"task_logs":[],"outputs":{{}}}}"#
                    ),
                )
            }),
        );
    RunsServer {
        loopback: Loopback::serve(router, workers),
        epoch,
        counts,
    }
}

/// Whether the run `id` has ended; an id that is not a number never ends.
fn ended(epoch: Instant, id: &str) -> bool {
    id.parse::<u64>()
        .is_ok_and(|ms| epoch.elapsed() >= Duration::from_millis(ms))
}
