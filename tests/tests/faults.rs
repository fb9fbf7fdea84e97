//! The fault matrix: every vendor, through `Job::status()` and `wait`, against a server that
//! misbehaves above and below HTTP. Each cell checks the error kind, whether it is
//! retryable, how many requests the wait made and how long it took against its deadline,
//! that nothing reached the other origin, that no credential shows in `Display`, `Debug` or
//! TRACE-level tracing output, and, for endless bodies, that the bytes read stayed bounded.

use std::io::Write;
use std::ops::RangeInclusive;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use futures::StreamExt;
use jobstatus::vendors::clear_one_integration::ClearOneIntegrationJob;
use jobstatus::vendors::cora_sequence_rpa::CoraSequenceRpaJob;
use jobstatus::vendors::elma_rpa::ElmaRpaJob;
use jobstatus::vendors::ga4gh_wes::Ga4ghWesJob;
use jobstatus::vendors::infor_rpa::InforRpaJob;
use jobstatus::{ErrorKind, Job, WaitError, WaitPolicy, wait};
use jobstatus_runtime::{RedirectError, RedirectPolicy};
use workspace_tests::hostile::{Fault, Hostile};

/// Every credential the clients hold; none may leave its origin or show anywhere.
const ELMA_TOKEN: &str = "elma-SECRET-5d5ec66f";
const INFOR_TOKEN: &str = "infor-SECRET-bearer";
const CLEAR_TOKEN: &str = "clear-SECRET-auth";
const CLEAR_ID: &str = "clear-SECRET-integration";
const WES_BEARER: &str = "wes-SECRET-bearer";
const WES_SBG: &str = "wes-SECRET-sbg";
const SECRETS: [&str; 6] = [
    ELMA_TOKEN,
    INFOR_TOKEN,
    CLEAR_TOKEN,
    CLEAR_ID,
    WES_BEARER,
    WES_SBG,
];

/// The clients' cap on an answer read whole, small so that endless bodies end fast.
const BODY_LIMIT: usize = 256 * 1024;
/// The clients' own timeout, longer than a wait's deadline.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(4);
/// How late past its deadline a wait may end: the waiter gives the last call 50 ms, the
/// rest is scheduling on a machine that other builds keep busy.
const SLACK: Duration = Duration::from_millis(750);
/// What the kernel's socket buffers may hold beyond what a client read.
const SOCKET_BUFFERS: usize = 16 * 1024 * 1024;

fn policy() -> WaitPolicy {
    WaitPolicy::with_timeout(Duration::from_secs(3))
        .with_min_delay(Duration::from_millis(20))
        .with_max_delay(Duration::from_millis(40))
        .with_multiplier(1.0)
        .with_transient_errors(3)
        .with_jitter_seed(8)
}

/// A vendor, with the way it authenticates or speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Elma,
    Infor,
    Clear,
    WesBearer,
    WesSevenBridges,
    Cora11,
    Cora12,
}

const TARGETS: [Target; 7] = [
    Target::Elma,
    Target::Infor,
    Target::Clear,
    Target::WesBearer,
    Target::WesSevenBridges,
    Target::Cora11,
    Target::Cora12,
];

impl Target {
    fn is_soap(self) -> bool {
        matches!(self, Self::Cora11 | Self::Cora12)
    }

    /// A job at `base_url` whose client follows `redirects`.
    fn job(self, base_url: &str, redirects: RedirectPolicy) -> Box<dyn Job> {
        macro_rules! common {
            ($builder:expr) => {
                $builder
                    .timeout(CLIENT_TIMEOUT)
                    .body_limit(BODY_LIMIT)
                    .redirects(redirects)
                    .build()
                    .expect("valid client")
            };
        }
        let wes = |auth| {
            common!(ga4gh_wes::Client::builder(format!("{base_url}/ga4gh/wes/v1")).auth(auth))
        };
        let cora = |version| {
            let client = common!(cora_sequence_rpa::Client::builder(format!(
                "{base_url}{}",
                jobstatus::simulator::cora_sequence_rpa::PATH
            )))
            .with_activity_metadata(jobstatus::simulator::cora_sequence_rpa::caller());
            CoraSequenceRpaJob::new(client, 42).with_soap_version(version)
        };
        match self {
            Self::Elma => Box::new(ElmaRpaJob::new(
                common!(elma_rpa::Client::builder(base_url).auth_token(ELMA_TOKEN)),
                955,
            )),
            Self::Infor => Box::new(InforRpaJob::new(
                common!(infor_rpa::Client::builder(base_url).bearer_token(INFOR_TOKEN)),
                "job-1",
            )),
            Self::Clear => Box::new(ClearOneIntegrationJob::new(
                common!(
                    clear_one_integration::Client::builder(base_url)
                        .auth_token(CLEAR_TOKEN)
                        .integration_id(CLEAR_ID)
                ),
                "6988a3bc2e0e5e3c6c9aa6da",
            )),
            Self::WesBearer => Box::new(Ga4ghWesJob::new(
                wes(ga4gh_wes::Auth::Bearer(WES_BEARER.into())),
                "run-1",
            )),
            Self::WesSevenBridges => Box::new(Ga4ghWesJob::new(
                wes(ga4gh_wes::Auth::SevenBridges(WES_SBG.into())),
                "run-1",
            )),
            Self::Cora11 => Box::new(cora(cora_sequence_rpa::SoapVersion::V11)),
            Self::Cora12 => Box::new(cora(cora_sequence_rpa::SoapVersion::V12)),
        }
    }

    /// A SOAP fault of the version this target speaks.
    fn soap_fault(self) -> Vec<u8> {
        let envelope = if self == Self::Cora12 {
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">Server was unable to process request.</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>"#
        } else {
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Server was unable to process request.</faultstring></soap:Fault></soap:Body></soap:Envelope>"#
        };
        envelope.as_bytes().to_vec()
    }
}

/// How a wait ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ended {
    /// With the call's error.
    Call,
    /// With the not-found error.
    NotFound,
    /// At the deadline.
    Deadline,
}

/// What one fault must do to every vendor it applies to.
struct Cell {
    name: String,
    fault: Fault,
    soap_only: bool,
    kind: fn(&ErrorKind) -> bool,
    retryable: bool,
    ended: Ended,
    /// Requests the wait makes.
    requests: RangeInclusive<usize>,
    /// No server at all: the port refuses connections.
    refused: bool,
    /// The body is the SOAP fault of the target's version.
    versioned_fault: bool,
}

fn cell(name: impl Into<String>, fault: Fault, kind: fn(&ErrorKind) -> bool) -> Cell {
    Cell {
        name: name.into(),
        fault,
        soap_only: false,
        kind,
        retryable: false,
        ended: Ended::Call,
        requests: 1..=1,
        refused: false,
        versioned_fault: false,
    }
}

impl Cell {
    /// Retried until the transient-error budget (3) is spent: four requests.
    fn retried(mut self) -> Self {
        self.retryable = true;
        self.requests = 4..=4;
        self
    }

    /// Retryable, and the wait runs into its deadline after `requests`.
    fn until_deadline(mut self, requests: RangeInclusive<usize>) -> Self {
        self.retryable = true;
        self.ended = Ended::Deadline;
        self.requests = requests;
        self
    }

    fn soap_only(mut self) -> Self {
        self.soap_only = true;
        self
    }
}

fn server(status: u16) -> fn(&ErrorKind) -> bool {
    match status {
        500 => |kind| matches!(kind, ErrorKind::Server { status: 500, .. }),
        503 => |kind| matches!(kind, ErrorKind::Server { status: 503, .. }),
        _ => unreachable!("only 500 and 503 are served"),
    }
}

fn transport(kind: &ErrorKind) -> bool {
    matches!(kind, ErrorKind::Transport(_))
}

fn undecodable(kind: &ErrorKind) -> bool {
    matches!(kind, ErrorKind::Undecodable { .. })
}

fn rate_limited(kind: &ErrorKind) -> bool {
    matches!(kind, ErrorKind::RateLimited { .. })
}

fn cross_origin(kind: &ErrorKind) -> bool {
    matches!(kind, ErrorKind::Redirect(RedirectError::CrossOrigin { .. }))
}

fn redirect_loop(kind: &ErrorKind) -> bool {
    matches!(kind, ErrorKind::Redirect(RedirectError::Loop { .. }))
}

fn not_found(kind: &ErrorKind) -> bool {
    matches!(kind, ErrorKind::NotFound { .. })
}

fn soap_fault(kind: &ErrorKind) -> bool {
    matches!(kind, ErrorKind::SoapFault { .. })
}

const JSON: &str = "application/json";
const BOMB: &[u8] = include_bytes!("../fixtures/zeros-16MiB.json.gz");

fn cells() -> Vec<Cell> {
    let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    let mut cells = vec![
        cell(
            "500 with JSON",
            Fault::answer(500, JSON, r#"{"status":500,"ErrorMessage":"boom","msg":"boom"}"#),
            server(500),
        )
        .retried(),
        cell(
            "500 with a JSON array",
            Fault::answer(500, JSON, "[1, 2]"),
            server(500),
        )
        .retried(),
        cell(
            "500 with HTML",
            Fault::answer(500, "text/html", "<html><body>Internal error</body></html>"),
            server(500),
        )
        .retried(),
        cell(
            "500 empty",
            Fault::answer(500, JSON, ""),
            server(500),
        )
        .retried(),
        cell(
            "500 with an endless body",
            Fault::Endless {
                status: 500,
                content_type: Some("text/html"),
            },
            server(500),
        )
        .retried(),
        cell("503 Retry-After 3600", Fault::retry_after(503, "3600"), server(503))
            .until_deadline(2..=2),
        cell(
            "503 Retry-After an HTTP date",
            Fault::retry_after(503, &in_an_hour),
            server(503),
        )
        .until_deadline(2..=2),
        cell("429 Retry-After 3600", Fault::retry_after(429, "3600"), rate_limited)
            .until_deadline(2..=2),
        cell(
            "429 Retry-After an HTTP date",
            Fault::retry_after(429, &in_an_hour),
            rate_limited,
        )
        .until_deadline(2..=2),
        cell(
            "429 Retry-After absurd",
            Fault::retry_after(429, "18446744073709551615"),
            rate_limited,
        )
        .until_deadline(2..=2),
        cell("429 Retry-After negative", Fault::retry_after(429, "-5"), rate_limited).retried(),
        cell("429 Retry-After garbage", Fault::retry_after(429, "soon, maybe"), rate_limited)
            .retried(),
        Cell {
            refused: true,
            requests: 0..=0,
            ..cell("connection refused", Fault::Silent, transport).retried()
        },
        cell("reset before any byte", Fault::ResetAfter(Vec::new()), transport).retried(),
        cell(
            "reset mid-headers",
            Fault::ResetAfter(b"HTTP/1.1 200 OK\r\nContent-Ty".to_vec()),
            transport,
        )
        .retried(),
        cell(
            "reset mid-body",
            Fault::ResetAfter(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"status\":"
                    .to_vec(),
            ),
            transport,
        )
        .retried(),
        cell("silent server", Fault::Silent, transport).until_deadline(1..=1),
        cell("unfinished headers", Fault::UnfinishedHeaders, transport).until_deadline(1..=1),
        cell("trickling body", Fault::Trickle, transport).until_deadline(1..=1),
        cell(
            "truncated 200",
            Fault::Raw(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"status\":200,"
                    .to_vec(),
            ),
            transport,
        )
        .retried(),
        cell(
            "chunking error",
            Fault::Raw(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
                    .to_vec(),
            ),
            transport,
        )
        .retried(),
        cell("empty 200", Fault::answer(200, JSON, ""), undecodable),
        cell(
            "HTML 200",
            Fault::answer(200, "text/html", "<html><body>Sign in</body></html>"),
            undecodable,
        ),
        cell("null 200", Fault::answer(200, JSON, "null"), undecodable),
        cell(
            "invalid UTF-8 200",
            Fault::answer(200, JSON, b"{\"status\":\"\xff\xfe\"}".to_vec()),
            undecodable,
        ),
        cell(
            "compression bomb",
            Fault::Answer {
                status: 200,
                headers: vec![
                    ("Content-Type".to_owned(), JSON.to_owned()),
                    ("Content-Encoding".to_owned(), "gzip".to_owned()),
                ],
                body: BOMB.to_vec(),
            },
            undecodable,
        ),
        Cell {
            requests: 2..=2,
            ..cell(
            "redirect loop",
            Fault::Redirect {
                status: 302,
                location: "/loop".to_owned(),
            },
            redirect_loop,
        )
        },
    ];
    for content_type in [
        Some(JSON),
        Some("text/plain"),
        None,
        Some("text/html"),
        Some("application/octet-stream"),
        Some("text/xml"),
    ] {
        cells.push(cell(
            format!("endless 200 as {}", content_type.unwrap_or("no type")),
            Fault::Endless {
                status: 200,
                content_type,
            },
            undecodable,
        ));
    }
    for status in [301, 302, 303, 307, 308] {
        cells.push(Cell {
            ended: Ended::NotFound,
            requests: 2..=2,
            ..cell(
                format!("{status} to the same origin"),
                Fault::Redirect {
                    status,
                    location: "/moved/here".to_owned(),
                },
                not_found,
            )
        });
        cells.push(cell(
            format!("{status} to another origin"),
            Fault::Redirect {
                status,
                location: "{other}/collect".to_owned(),
            },
            cross_origin,
        ));
    }
    let xml = "text/xml; charset=utf-8";
    let doctype = r#"<?xml version="1.0"?><!DOCTYPE Envelope [<!ELEMENT Envelope ANY>]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>"#;
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetStatusResponse>&lol3;</GetStatusResponse></soap:Body></soap:Envelope>"#;
    let xxe = r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetStatusResponse>&xxe;</GetStatusResponse></soap:Body></soap:Envelope>"#;
    for (name, body) in [("DOCTYPE", doctype), ("entity bomb", laughs), ("XXE", xxe)] {
        cells.push(cell(name, Fault::answer(200, xml, body), undecodable).soap_only());
    }
    // The SOAP fault's body depends on the version; `run` fills it in.
    for status in [200, 500] {
        cells.push(Cell {
            versioned_fault: true,
            ..cell(
                format!("SOAP fault with {status}"),
                Fault::answer(status, xml, Vec::new()),
                soap_fault,
            )
            .soap_only()
        });
    }
    cells
}

/// What the TRACE-level output of every cell showed: each event is checked for
/// credentials as it is written, so nothing piles up in memory.
#[derive(Default)]
struct TraceSeen {
    events: AtomicUsize,
    trace_events: AtomicUsize,
    leaks: Mutex<Vec<String>>,
}

fn trace_seen() -> &'static Arc<TraceSeen> {
    static SEEN: OnceLock<Arc<TraceSeen>> = OnceLock::new();
    SEEN.get_or_init(|| {
        let seen = Arc::new(TraceSeen::default());
        let writer = Arc::clone(&seen);
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || TraceWriter(Arc::clone(&writer)))
            .with_ansi(false)
            .init();
        seen
    })
}

struct TraceWriter(Arc<TraceSeen>);

impl Write for TraceWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(bytes);
        self.0.events.fetch_add(1, Ordering::Relaxed);
        if text.contains("TRACE") {
            self.0.trace_events.fetch_add(1, Ordering::Relaxed);
        }
        if SECRETS.iter().any(|secret| text.contains(secret)) {
            self.0
                .leaks
                .lock()
                .expect("not poisoned")
                .push(text.into_owned());
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_no_secret(cell: &str, text: &str) {
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "{cell}: a credential shows in {text}"
        );
    }
}

/// Runs one cell against one vendor; returns a line of the matrix.
async fn run(cell: &Cell, target: Target) -> String {
    let name = format!("{} / {target:?}", cell.name);
    let fault = match &cell.fault {
        Fault::Answer {
            status, headers, ..
        } if cell.versioned_fault => Fault::Answer {
            status: *status,
            headers: headers.clone(),
            body: target.soap_fault(),
        },
        fault => fault.clone(),
    };
    let hostile = Hostile::start(fault).await;
    let base_url = if cell.refused {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = closed.local_addr().expect("address");
        drop(closed);
        format!("http://{address}")
    } else {
        hostile.base_url.clone()
    };
    let job = target.job(&base_url, RedirectPolicy::default());

    let error = job.status().await.expect_err("every fault fails the call");
    assert!(
        (cell.kind)(&error.kind),
        "{name}: unexpected error {error:?}"
    );
    assert_eq!(error.is_retryable(), cell.retryable, "{name}: {error}");
    if cross_origin(&error.kind) {
        assert!(
            error.to_string().contains(&hostile.other_origin),
            "{name}: the error names the origin: {error}"
        );
    }
    assert_no_secret(&name, &format!("{error} {error:?}"));

    let before = hostile.requests();
    let policy = policy();
    let started = Instant::now();
    let waited = wait(job.as_ref(), &policy)
        .await
        .expect_err("every fault fails the wait");
    let elapsed = started.elapsed();
    let requests = hostile.requests() - before;
    let ended = match &waited {
        WaitError::Call { error, .. } => {
            assert!(
                (cell.kind)(&error.kind),
                "{name}: the wait ended on {error:?}"
            );
            Ended::Call
        }
        WaitError::NotFound(_) => Ended::NotFound,
        WaitError::DeadlineExceeded { .. } => Ended::Deadline,
        other => panic!("{name}: unexpected end of the wait: {other:?}"),
    };
    assert_eq!(ended, cell.ended, "{name}: {waited}");
    assert!(
        cell.requests.contains(&requests),
        "{name}: the wait made {requests} requests, expected {:?}",
        cell.requests
    );
    assert!(
        elapsed <= policy.timeout + SLACK,
        "{name}: the wait took {elapsed:?} against a deadline of {:?}",
        policy.timeout
    );
    assert_no_secret(&name, &format!("{waited} {waited:?}"));
    assert!(
        hostile.other_requests().is_empty(),
        "{name}: a request reached the other origin"
    );
    if matches!(cell.fault, Fault::Endless { .. }) {
        let calls = 1 + requests;
        assert!(
            hostile.body_bytes_written() <= calls * (BODY_LIMIT + SOCKET_BUFFERS),
            "{name}: {} bytes were read",
            hostile.body_bytes_written()
        );
    }
    format!(
        "| {} | {target:?} | {} | {} | {ended:?} after {requests} requests in {} ms |",
        cell.name,
        error_kind(&error.kind),
        if cell.retryable { "yes" } else { "no" },
        elapsed.as_millis()
    )
}

fn error_kind(kind: &ErrorKind) -> String {
    let debug = format!("{kind:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_vendor_survives_every_fault() {
    let seen = trace_seen();
    let cells = cells();
    // Endless bodies keep the CPU busy; they run after the cells that time their waits.
    let (endless, timed): (Vec<&Cell>, Vec<&Cell>) = cells
        .iter()
        .partition(|cell| matches!(cell.fault, Fault::Endless { .. }));
    let mut lines = Vec::new();
    let mut count = 0;
    for (group, parallel) in [(timed, 8), (endless, 4)] {
        let runs: Vec<_> = group
            .into_iter()
            .flat_map(|cell| {
                TARGETS
                    .into_iter()
                    .filter(move |target| !cell.soap_only || target.is_soap())
                    .map(move |target| run(cell, target))
            })
            .collect();
        count += runs.len();
        lines.extend(
            futures::stream::iter(runs)
                .buffer_unordered(parallel)
                .collect::<Vec<String>>()
                .await,
        );
    }
    assert_eq!(lines.len(), count);
    assert!(
        seen.trace_events.load(Ordering::Relaxed) > 0,
        "tracing was recorded at TRACE level"
    );
    let leaks = seen.leaks.lock().expect("not poisoned");
    assert!(leaks.is_empty(), "credentials in tracing output: {leaks:?}");
    println!("{}", lines.join("\n"));
}

/// Opting in to cross-origin redirects follows them, but nothing secret goes along: no
/// credential header, no `auth_tkn` in a re-sent body, no `Referer`.
#[tokio::test]
async fn an_opted_in_cross_origin_redirect_carries_no_credential() {
    let policy = RedirectPolicy::default().follow_cross_origin_without_credentials();
    for target in TARGETS {
        for status in [302, 307] {
            let hostile = Hostile::start(Fault::Redirect {
                status,
                location: "{other}/collect".to_owned(),
            })
            .await;
            let job = target.job(&hostile.base_url, policy);
            let _ = job.status().await;
            let seen = hostile.other_requests();
            assert_eq!(seen.len(), 1, "{target:?} {status}: followed once");
            let request = String::from_utf8_lossy(&seen[0]).to_ascii_lowercase();
            assert_no_secret(&format!("{target:?} {status}"), &request);
            for header in ["referer", "authorization", "x-clear", "x-sbg", "auth_tkn"] {
                assert!(!request.contains(header), "{target:?} {status}: {request}");
            }
            if status == 307 && target == Target::Elma {
                assert!(
                    request.contains("\"id\":955"),
                    "the body goes along: {request}"
                );
            }
        }
    }
}

/// IIS answers a POST without `Content-Length` with 411: the HTTP POST binding's empty form
/// says its length.
#[tokio::test]
async fn the_empty_http_post_form_has_a_content_length() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let endpoint = format!(
        "http://{}{}",
        listener.local_addr().expect("address"),
        jobstatus::simulator::cora_sequence_rpa::PATH
    );
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let mut head = Vec::new();
        let mut buffer = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let read = stream.read(&mut buffer).await.expect("read");
            assert!(read > 0, "the request ended early");
            head.extend_from_slice(&buffer[..read]);
        }
        let nil = r#"<?xml version="1.0" encoding="utf-8"?><StatusResult xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://genpact.com/cora/orchestration/rpa/1.0.0/api/" />"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\n\r\n{nil}",
            nil.len()
        );
        stream.write_all(answer.as_bytes()).await.expect("write");
        String::from_utf8_lossy(&head).to_ascii_lowercase()
    });
    let client = cora_sequence_rpa::Client::builder(endpoint)
        .build()
        .expect("valid client");
    let answer = client.http_post().get_status().await.expect("answered");
    assert_eq!(answer, None);
    let head = server.await.expect("served");
    assert!(head.starts_with("post "), "{head}");
    assert!(head.contains("\r\ncontent-length: 0\r\n"), "{head}");
}

/// A UTF-8 byte order mark before a JSON answer is skipped: every REST vendor's status
/// reads the same with and without it (the drift suite's BOM case, over real HTTP).
#[tokio::test]
async fn a_byte_order_mark_before_json_is_skipped() {
    let fixtures = [
        (
            Target::Elma,
            "crates/elma-rpa/tests/fixtures/task-create-response.json",
        ),
        (
            Target::Infor,
            "crates/infor-rpa/tests/fixtures/job-detail.json",
        ),
        (
            Target::Clear,
            "crates/clear-one-integration/tests/fixtures/status-processing.json",
        ),
        (
            Target::WesBearer,
            "crates/ga4gh-wes/tests/fixtures/reference-server/run-status-running.json",
        ),
    ];
    for (target, fixture) in fixtures {
        let body = std::fs::read(workspace_tests::workspace_root().join(fixture))
            .expect("the fixture is checked in");
        let mut status = Vec::new();
        for bom in [&b""[..], b"\xef\xbb\xbf"] {
            let answer = [bom, &body].concat();
            let hostile = Hostile::start(Fault::answer(200, JSON, answer)).await;
            let job = target.job(&hostile.base_url, RedirectPolicy::default());
            let read = job
                .status()
                .await
                .unwrap_or_else(|e| panic!("{target:?}, BOM {bom:?}: {e}"));
            status.push((read.phase, read.vendor_state));
        }
        assert_eq!(status[0], status[1], "{target:?}");
        assert_ne!(status[0].0, jobstatus::Phase::Unknown, "{target:?}");
    }
}
