//! The built `jobstatus` binary run against `jobstatus simulate`, with a transcript of
//! everything it printed.

#![allow(dead_code)] // Each test binary uses a part of it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use jobstatus::simulator::{clear_one_integration, elma_rpa, ga4gh_wes, infor_rpa};
use serde_json::Value;

/// Every credential the simulators take: none may appear in any output.
pub const SECRETS: [&str; 5] = [
    elma_rpa::AUTH_TKN,
    infor_rpa::TOKEN,
    clear_one_integration::AUTH_TOKEN,
    clear_one_integration::INTEGRATION_ID,
    ga4gh_wes::TOKEN,
];

/// Polls fast, so that scripted jobs end within a second.
pub const FAST: [&str; 4] = ["--min-delay", "20ms", "--max-delay", "50ms"];

/// The built binary.
pub fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("jobstatus")
}

/// A `jobstatus` command that sees no user config and no JOBSTATUS_ variable of the
/// environment the tests run in.
pub fn command(home: &Path) -> Command {
    let mut command = Command::new(binary());
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("JOBSTATUS_") {
            command.env_remove(name);
        }
    }
    command
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("NO_COLOR");
    command
}

/// What one run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// stdout read as JSON lines.
    pub fn json(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: not JSON: {line}"))
            })
            .collect()
    }
}

/// The jobs `simulate` scripted at one vendor.
#[derive(Clone, Debug)]
pub struct Jobs {
    /// The simulator's base URL as written to the config.
    pub base_url: String,
    /// Succeeds after a few polls.
    pub succeeds: String,
    /// Fails after a few polls.
    pub fails: String,
    /// Runs until cancelled.
    pub runs_long: String,
}

/// `jobstatus simulate --json --write-config`, running.
pub struct Simulation {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    dir: tempfile::TempDir,
    /// The config file it wrote.
    pub config: PathBuf,
    /// Its jobs, by vendor.
    pub jobs: BTreeMap<String, Jobs>,
    transcript: Mutex<String>,
}

impl Simulation {
    /// Starts `jobstatus simulate` for `vendors` (all when empty) and reads its JSON lines.
    pub fn start(vendors: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let config = dir.path().join("sim.toml");
        let mut child = command(dir.path())
            .arg("simulate")
            .args(vendors)
            .arg("--json")
            .arg("--write-config")
            .arg(&config)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("simulate starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let expected = if vendors.is_empty() { 5 } else { vendors.len() };
        let mut jobs = BTreeMap::new();
        for _ in 0..expected {
            let mut line = String::new();
            stdout.read_line(&mut line).expect("a line");
            let record: Value = serde_json::from_str(&line).expect("a JSON line per vendor");
            let text = |value: &Value| value.as_str().expect("a string").to_owned();
            jobs.insert(
                text(&record["vendor"]),
                Jobs {
                    base_url: text(&record["base_url"]),
                    succeeds: text(&record["jobs"]["succeeds"]),
                    fails: text(&record["jobs"]["fails"]),
                    runs_long: text(&record["jobs"]["runs_long"]),
                },
            );
        }
        // The config is written before the lines are, but give the file system a moment.
        for _ in 0..50 {
            if config.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Self {
            child,
            _stdout: stdout,
            dir,
            config,
            jobs,
            transcript: Mutex::new(String::new()),
        }
    }

    /// The jobs at `vendor`.
    pub fn jobs(&self, vendor: &str) -> Jobs {
        self.jobs[vendor].clone()
    }

    /// The temporary directory the simulation and its runs use as home.
    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    /// `jobstatus --config <sim.toml> <args>`.
    pub fn command(&self) -> Command {
        let mut command = command(self.dir.path());
        command.arg("--config").arg(&self.config);
        command
    }

    /// Runs `command` to its end and keeps what it printed in the transcript.
    pub fn run(&self, command: &mut Command) -> Run {
        let output = command.output().expect("jobstatus runs");
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        let mut transcript = self.transcript.lock().expect("not poisoned");
        transcript.push_str(&run.stdout);
        transcript.push_str(&run.stderr);
        run
    }

    /// `jobstatus --config <sim.toml> <args>`, run to its end.
    pub fn jobstatus(&self, args: &[&str]) -> Run {
        self.run(self.command().args(args))
    }

    /// Interrupts the simulation, checks that it stopped with 0, and that no credential
    /// appeared in anything a run printed.
    pub fn stop(mut self) {
        interrupt(&self.child);
        let status = self.child.wait().expect("simulate ends");
        assert_eq!(status.code(), Some(0), "simulate ends cleanly on Ctrl-C");
        let transcript = self.transcript.lock().expect("not poisoned");
        assert!(!transcript.is_empty());
        for secret in SECRETS {
            assert!(
                !transcript.contains(secret),
                "a credential was printed:\n{transcript}"
            );
        }
    }
}

impl Drop for Simulation {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends SIGINT, as Ctrl-C does.
pub fn interrupt(child: &Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}
