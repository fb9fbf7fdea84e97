//! Independent peers, installed under `tests/peers` by `.ci/run` (`npm ci`), started on
//! 127.0.0.1 by the tests themselves and stopped when their handle is dropped.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::workspace_root;

/// How long a peer may take to start listening.
const STARTUP: Duration = Duration::from_secs(60);

/// Where the peers are installed.
pub fn peers_dir() -> PathBuf {
    workspace_root().join("tests").join("peers")
}

/// A binary installed by `npm ci` in `tests/peers`; fails with the fix when it is missing.
pub fn node_bin(name: &str) -> PathBuf {
    let path = peers_dir().join("node_modules").join(".bin").join(name);
    assert!(
        path.exists(),
        "{} is missing: run `npm ci --prefix tests/peers` (as .ci/run does)",
        path.display()
    );
    path
}

/// A port on 127.0.0.1 that nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port on 127.0.0.1")
}

/// A child process that is killed, with its output kept for failures, when dropped.
pub struct Peer {
    /// What the peer is, for messages.
    pub name: String,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    child: Child,
    log: PathBuf,
}

impl Peer {
    /// Starts `command`, which must listen on `port`, and waits until it accepts connections.
    pub fn start(name: &str, mut command: Command, port: u16) -> Self {
        let slug: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let log = std::env::temp_dir().join(format!("jobstatus-peer-{slug}-{port}.log"));
        let out = std::fs::File::create(&log).expect("peer log file");
        let err = out.try_clone().expect("peer log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let mut peer = Self {
            name: name.to_owned(),
            base_url: format!("http://127.0.0.1:{port}"),
            child,
            log,
        };
        peer.wait_listening(SocketAddr::from(([127, 0, 0, 1], port)));
        peer
    }

    fn wait_listening(&mut self, addr: SocketAddr) {
        let started = Instant::now();
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "{} exited with {status} before listening:\n{}",
                    self.name,
                    self.output()
                );
            }
            assert!(
                started.elapsed() < STARTUP,
                "{} did not listen on {addr} within {STARTUP:?}:\n{}",
                self.name,
                self.output()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// What the peer has printed so far.
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Stoplight Prism mocking `spec` with request validation: a request that breaks the spec
/// is answered with 422 (`--errors`) and named in `sl-violations`.
pub fn prism(spec: &Path) -> Peer {
    let port = free_port();
    let mut command = Command::new(node_bin("prism"));
    command
        .args(["mock", "--host", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .args(["--errors", "--dynamic", "false"])
        .arg(spec);
    let vendor = spec
        .parent()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    Peer::start(&format!("prism-{vendor}"), command, port)
}

/// A program installed by `pip install -r tests/peers/requirements.txt` into
/// `tests/peers/.venv`; fails with the fix when it is missing.
pub fn venv_bin(name: &str) -> PathBuf {
    let path = peers_dir().join(".venv").join("bin").join(name);
    assert!(
        path.exists(),
        "{} is missing: create tests/peers/.venv and install tests/peers/requirements.txt (as .ci/run does)",
        path.display()
    );
    path
}

/// A fresh, empty folder under the system's temporary folder, removed with everything in
/// it when dropped; a peer that writes files works in one.
pub struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    /// Creates a folder named after `name` that did not exist before.
    pub fn new(name: &str) -> Self {
        let base = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.subsec_nanos())
            .unwrap_or_default();
        let mut attempt = 0u64;
        loop {
            let path = base.join(format!(
                "jobstatus-{name}-{}-{nanos}-{attempt}",
                std::process::id()
            ));
            match std::fs::create_dir(&path) {
                Ok(()) => return Self { path },
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => attempt += 1,
                Err(e) => panic!("cannot create {}: {e}", path.display()),
            }
        }
    }

    /// Where the folder is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Makes `dir` hold links to `programs`, each found on this process's `PATH`, so that `dir`
/// can be the whole `PATH` of a peer that must run those programs and nothing else.
pub fn bin_dir_with(dir: &Path, programs: &[&str]) -> PathBuf {
    let search = std::env::var_os("PATH").unwrap_or_default();
    std::fs::create_dir_all(dir).expect("bin folder");
    for program in programs {
        let found = std::env::split_paths(&search)
            .map(|folder| folder.join(program))
            .find(|candidate| candidate.is_file())
            .unwrap_or_else(|| panic!("`{program}` is not on PATH"));
        std::os::unix::fs::symlink(&found, dir.join(program))
            .unwrap_or_else(|e| panic!("cannot link {}: {e}", found.display()));
    }
    dir.to_path_buf()
}
