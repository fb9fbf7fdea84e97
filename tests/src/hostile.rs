//! A loopback server that misbehaves above and below HTTP, for the fault matrix: it reads
//! each request as raw bytes and answers with a [`Fault`], counting the requests it got and
//! the body bytes it managed to write. A second listener plays "another origin": it
//! answers every request with a plain 200 and keeps what it received, so a test can check
//! that nothing, or nothing secret, reached it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The most of a request the server reads; the clients under test send small ones.
const REQUEST_LIMIT: usize = 1 << 20;

/// How the server answers every request that does not match a `/moved` path (see [`Hostile::start`]).
#[derive(Clone, Debug)]
pub enum Fault {
    /// A complete answer: status, headers, body (`Content-Length` added).
    Answer {
        /// HTTP status.
        status: u16,
        /// Headers besides `Content-Length`.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// These bytes as they are, then the connection is closed.
    Raw(Vec<u8>),
    /// These bytes, then a TCP reset.
    ResetAfter(Vec<u8>),
    /// Reads the request and never answers.
    Silent,
    /// Answers a status line and part of a header, then nothing more.
    UnfinishedHeaders,
    /// A complete head, then the body one byte every 100 ms, forever.
    Trickle,
    /// `status` with `content_type` (none for `None`), then a body that never ends.
    Endless {
        /// HTTP status.
        status: u16,
        /// `Content-Type`, if any.
        content_type: Option<&'static str>,
    },
    /// A redirect with `status` to `location`: a path on this server, or `{other}` in it
    /// replaced by the other origin (`http://127.0.0.1:<port>`).
    Redirect {
        /// 301, 302, 303, 307 or 308.
        status: u16,
        /// The `Location` header.
        location: String,
    },
}

impl Fault {
    /// An answer with a `Content-Type`.
    pub fn answer(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self::Answer {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.into(),
        }
    }

    /// `status` with a `Retry-After` header and an empty body.
    pub fn retry_after(status: u16, value: &str) -> Self {
        Self::Answer {
            status,
            headers: vec![("Retry-After".to_owned(), value.to_owned())],
            body: Vec::new(),
        }
    }
}

/// What the server saw and did.
#[derive(Default)]
struct Record {
    requests: AtomicUsize,
    body_bytes_written: AtomicUsize,
    other_requests: Mutex<Vec<Vec<u8>>>,
}

/// The hostile server and the other origin.
pub struct Hostile {
    /// `http://127.0.0.1:<port>` of the hostile server.
    pub base_url: String,
    /// `http://127.0.0.1:<port>` of the other origin.
    pub other_origin: String,
    record: Arc<Record>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Hostile {
    /// Starts both listeners; requests to a path starting with `/moved` are answered with
    /// 404 (where a same-origin redirect lands), all others with `fault`.
    pub async fn start(fault: Fault) -> Self {
        let main = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let other = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", main.local_addr().expect("address"));
        let other_origin = format!("http://{}", other.local_addr().expect("address"));
        let record = Arc::new(Record::default());
        let fault = match fault {
            Fault::Redirect { status, location } => Fault::Redirect {
                status,
                location: location.replace("{other}", &other_origin),
            },
            fault => fault,
        };
        let main_task = tokio::spawn(serve_main(main, fault, Arc::clone(&record)));
        let other_task = tokio::spawn(serve_other(other, Arc::clone(&record)));
        Self {
            base_url,
            other_origin,
            record,
            tasks: vec![main_task, other_task],
        }
    }

    /// Requests the hostile server received.
    pub fn requests(&self) -> usize {
        self.record.requests.load(Ordering::SeqCst)
    }

    /// Body bytes the hostile server wrote before the client stopped reading.
    pub fn body_bytes_written(&self) -> usize {
        self.record.body_bytes_written.load(Ordering::SeqCst)
    }

    /// What reached the other origin, one entry per request, raw.
    pub fn other_requests(&self) -> Vec<Vec<u8>> {
        self.record
            .other_requests
            .lock()
            .expect("not poisoned")
            .clone()
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.tasks.iter().for_each(tokio::task::JoinHandle::abort);
    }
}

async fn serve_main(listener: TcpListener, fault: Fault, record: Arc<Record>) {
    let mut connections = tokio::task::JoinSet::new();
    while let Ok((stream, _)) = listener.accept().await {
        connections.spawn(connection(stream, fault.clone(), Arc::clone(&record)));
    }
}

/// Answers the requests of one connection until the client or the fault closes it.
async fn connection(mut stream: TcpStream, fault: Fault, record: Arc<Record>) {
    while let Some(request) = read_request(&mut stream).await {
        record.requests.fetch_add(1, Ordering::SeqCst);
        let path = request_path(&request);
        if path.starts_with("/moved") {
            let answer = b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found";
            if stream.write_all(answer).await.is_err() {
                return;
            }
            continue;
        }
        if !answer(&mut stream, &fault, &record).await {
            return;
        }
    }
}

/// Writes the fault's answer; `true` when the connection may serve another request.
async fn answer(stream: &mut TcpStream, fault: &Fault, record: &Record) -> bool {
    match fault {
        Fault::Answer {
            status,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(*status));
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            stream.write_all(head.as_bytes()).await.is_ok() && stream.write_all(body).await.is_ok()
        }
        Fault::Redirect { status, location } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n",
                reason(*status)
            );
            stream.write_all(head.as_bytes()).await.is_ok()
        }
        Fault::Raw(bytes) => {
            let _ = stream.write_all(bytes).await;
            let _ = stream.shutdown().await;
            false
        }
        Fault::ResetAfter(bytes) => {
            let _ = stream.write_all(bytes).await;
            let _ = stream.set_zero_linger();
            false
        }
        Fault::Silent => {
            std::future::pending::<()>().await;
            false
        }
        Fault::UnfinishedHeaders => {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: appl")
                .await;
            std::future::pending::<()>().await;
            false
        }
        Fault::Trickle => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            loop {
                tokio::time::sleep(Duration::from_millis(100)).await;
                if stream.write_all(b" ").await.is_err() {
                    return false;
                }
                record.body_bytes_written.fetch_add(1, Ordering::SeqCst);
            }
        }
        Fault::Endless {
            status,
            content_type,
        } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(*status));
            if let Some(content_type) = content_type {
                head.push_str(&format!("Content-Type: {content_type}\r\n"));
            }
            head.push_str("Transfer-Encoding: chunked\r\n\r\n");
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            let mut chunk = format!("{:x}\r\n", 64 * 1024).into_bytes();
            chunk.extend(std::iter::repeat_n(b'[', 64 * 1024));
            chunk.extend_from_slice(b"\r\n");
            loop {
                if stream.write_all(&chunk).await.is_err() {
                    return false;
                }
                record
                    .body_bytes_written
                    .fetch_add(64 * 1024, Ordering::SeqCst);
            }
        }
    }
}

async fn serve_other(listener: TcpListener, record: Arc<Record>) {
    while let Ok((mut stream, _)) = listener.accept().await {
        let record = Arc::clone(&record);
        tokio::spawn(async move {
            while let Some(request) = read_request(&mut stream).await {
                record
                    .other_requests
                    .lock()
                    .expect("not poisoned")
                    .push(request);
                let answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
                if stream.write_all(answer).await.is_err() {
                    return;
                }
            }
        });
    }
}

/// Reads one request (head and `Content-Length` body) as raw bytes; `None` at the end of
/// the connection or on a request the clients under test never send.
async fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut request = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = find(&request, b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 || request.len() > REQUEST_LIMIT {
            return None;
        }
        request.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while request.len() < head_end + length.min(REQUEST_LIMIT) {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        request.extend_from_slice(&buffer[..read]);
    }
    Some(request)
}

fn request_path(request: &[u8]) -> String {
    let line = request.split(|&b| b == b'\r').next().unwrap_or_default();
    String::from_utf8_lossy(line)
        .split(' ')
        .nth(1)
        .unwrap_or_default()
        .to_owned()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}
