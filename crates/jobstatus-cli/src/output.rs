//! What the command prints: a live display on a terminal, one plain line per event in a
//! pipe, or one JSON object per line.
//!
//! JSON lines have stable fields:
//!
//! | field | when | what |
//! |---|---|---|
//! | `event` | always | `status` (the `status` command), `change` (a job changed while waited on), `end` (a waited-on job ended, or its wait did), `error` (a call failed), `submitted`, `cancel_requested` |
//! | `vendor`, `job` | always | the vendor's crate name and the job's id |
//! | `phase`, `vendor_state`, `outcome`, `report` | a status is known | the shared phase, the vendor's word, what the vendor says about the outcome (or null), the vendor's full report |
//! | `polls`, `elapsed_ms` | status, change, end | status calls made and time since the wait began |
//! | `exit_code` | end, error | the exit code this job gives |
//! | `error` | end, error | why there is no (terminal) status |

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use jobstatus::{Job, Status, Vendor, WaitError};
use serde_json::{Map, Value};

use crate::cli::OutputFormat;
use crate::exit::Exit;
use crate::observe::Observed;

/// Where and how events are printed.
pub struct Reporter {
    mode: Mode,
}

enum Mode {
    /// A live line per job, redrawn in place.
    Live(MultiProgress),
    /// One plain line per event.
    Plain,
    /// One JSON object per event.
    Json,
}

/// The live line of one job, when there is one.
pub struct Line(Option<ProgressBar>);

impl Line {
    /// Leaves the live line as last drawn, for a job whose wait was interrupted.
    pub fn abandon(&self) {
        if let Some(bar) = &self.0 {
            bar.abandon();
        }
    }
}

impl Reporter {
    /// A reporter for `format`: live when the text goes to a terminal.
    pub fn new(format: OutputFormat) -> Self {
        let mode = match format {
            OutputFormat::Json => Mode::Json,
            OutputFormat::Text if live_terminal() => Mode::Live(MultiProgress::with_draw_target(
                ProgressDrawTarget::stdout_with_hz(10),
            )),
            OutputFormat::Text => Mode::Plain,
        };
        Self { mode }
    }

    /// Starts the live line of `job` (nothing when not live).
    pub fn line(&self, job: &Observed) -> Line {
        let Mode::Live(multi) = &self.mode else {
            return Line(None);
        };
        let bar = multi.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(live_text(job, None));
        bar.enable_steady_tick(Duration::from_millis(100));
        Line(Some(bar))
    }

    /// Redraws `line` with what `job` knows now: elapsed time, polls, the last error.
    pub fn refresh(&self, line: &Line, job: &Observed, last: Option<&Status>) {
        if let Some(bar) = &line.0 {
            bar.set_message(live_text(job, last));
        }
    }

    /// A job waited on changed to `status`.
    pub fn change(&self, line: &Line, job: &Observed, status: &Status) {
        match &self.mode {
            Mode::Live(_) => self.refresh(line, job, Some(status)),
            Mode::Plain => print_line(&format!(
                "{} {} {} {} polls={} elapsed={}",
                job.vendor(),
                job.id(),
                status.phase,
                shown_state(status),
                job.polls(),
                seconds(job.elapsed_ms()),
            )),
            Mode::Json => print_json(record("change", job, Some(status), None)),
        }
    }

    /// The wait on `job` ended with `result`; prints its final line and returns its exit
    /// code.
    pub fn end(&self, line: &Line, job: &Observed, result: &Result<Status, WaitError>) -> Exit {
        let (exit, status, error) = match result {
            Ok(status) => (Exit::of_phase(status.phase), Some(status), None),
            Err(error) => {
                let last = match error {
                    WaitError::DeadlineExceeded { last, .. } => last.as_deref(),
                    _ => None,
                };
                (Exit::of_wait_error(error), last, Some(error.to_string()))
            }
        };
        let text = final_text(job, status, error.as_deref(), exit);
        match &self.mode {
            // The final line scrolls up with the rest of the output, above the live
            // lines of the jobs still under way.
            Mode::Live(multi) => {
                if let Some(bar) = &line.0 {
                    bar.finish_and_clear();
                }
                let _ = multi.println(text);
            }
            Mode::Plain => print_line(&text),
            Mode::Json => {
                let mut record = record("end", job, status, Some(exit));
                if let Some(error) = error {
                    record.insert("error".into(), error.into());
                }
                print_json(record);
            }
        }
        exit
    }

    /// The `status` command's answer for `job`.
    pub fn status(&self, job: &Observed, result: &Result<Status, jobstatus::Error>) -> Exit {
        match result {
            Ok(status) => {
                match &self.mode {
                    Mode::Json => print_json(record("status", job, Some(status), None)),
                    _ => print_line(&format!(
                        "{} {} {} {}{}",
                        job.vendor(),
                        job.id(),
                        status.phase,
                        shown_state(status),
                        status
                            .outcome
                            .as_deref()
                            .map(|o| format!(": {}", one_line(o)))
                            .unwrap_or_default()
                    )),
                }
                Exit::Success
            }
            Err(error) => {
                let exit = Exit::of_error(error);
                self.error(job.vendor(), &job.id(), &error.to_string(), exit);
                exit
            }
        }
    }

    /// A call about `job` at `vendor` failed.
    pub fn error(&self, vendor: Vendor, job: &str, error: &str, exit: Exit) {
        match &self.mode {
            Mode::Json => print_json(base("error", vendor, job, |record| {
                record.insert("error".into(), error.into());
                record.insert("exit_code".into(), exit.code().into());
            })),
            _ => print_line(&format!(
                "{vendor} {job} error: {} (exit {})",
                one_line(error),
                exit.code()
            )),
        }
    }

    /// A job was started; its id goes to stdout alone in plain text, so that
    /// `id=$(jobstatus submit ...)` works.
    pub fn submitted(&self, vendor: Vendor, job: &str) {
        match &self.mode {
            Mode::Json => print_json(base("submitted", vendor, job, |_| {})),
            Mode::Plain => print_line(job),
            Mode::Live(multi) => {
                let _ = multi.println(format!("{vendor} started job {job}"));
            }
        }
    }

    /// A cancel of `job` was asked for and accepted.
    pub fn cancel_requested(&self, vendor: Vendor, job: &str) {
        match &self.mode {
            Mode::Json => print_json(base("cancel_requested", vendor, job, |_| {})),
            _ => self.note(&format!("{vendor} {job} cancel requested")),
        }
    }

    /// A line of text for a person (nothing in JSON output).
    pub fn note(&self, text: &str) {
        match &self.mode {
            Mode::Json => {}
            Mode::Plain => print_line(text),
            Mode::Live(multi) => {
                let _ = multi.println(text);
            }
        }
    }
}

/// Whether stdout is a terminal that can take a live display.
fn live_terminal() -> bool {
    std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none()
        && std::env::var("TERM").map_or(true, |term| term != "dumb")
}

fn live_text(job: &Observed, last: Option<&Status>) -> String {
    let (phase, state) = last.map_or(("-".to_owned(), String::new()), |status| {
        (status.phase.to_string(), shown_state(status))
    });
    let mut text = format!(
        "{:<22} {:<12} {phase:<10} {state:<16} {:>7} polls {}",
        job.vendor().to_string(),
        job.id(),
        seconds(job.elapsed_ms()),
        job.polls()
    );
    if let Some(error) = job.last_error() {
        text.push_str(&format!(
            "  last error: {}",
            truncated(&one_line(&error), 80)
        ));
    }
    text
}

fn final_text(job: &Observed, status: Option<&Status>, error: Option<&str>, exit: Exit) -> String {
    let mut text = format!("{} {} ", job.vendor(), job.id());
    match (status, error) {
        (Some(status), None) => {
            text.push_str(&format!("{} ({})", status.phase, shown_state(status)));
        }
        (_, Some(error)) => text.push_str(&format!("error: {}", one_line(error))),
        (None, None) => text.push_str("no status"),
    }
    text.push_str(&format!(
        " after {}, {} polls, exit {}",
        seconds(job.elapsed_ms()),
        job.polls(),
        exit.code()
    ));
    if let Some(outcome) = status
        .and_then(|s| s.outcome.as_deref())
        .filter(|_| error.is_none())
    {
        text.push_str(&format!(": {}", truncated(&one_line(outcome), 200)));
    }
    text
}

/// The vendor's word, or `-` when it sent none.
fn shown_state(status: &Status) -> String {
    if status.vendor_state.is_empty() {
        "-".to_owned()
    } else {
        one_line(&status.vendor_state)
    }
}

/// `text` on one line, with no control characters a server could have sent.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

fn truncated(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(chars).collect();
        cut.push('…');
        cut
    }
}

fn seconds(ms: u64) -> String {
    format!("{:.1}s", ms as f64 / 1000.0)
}

fn base(
    event: &str,
    vendor: Vendor,
    job: &str,
    fill: impl FnOnce(&mut Map<String, Value>),
) -> Map<String, Value> {
    let mut record = Map::new();
    record.insert("event".into(), event.into());
    record.insert("vendor".into(), vendor.as_str().into());
    record.insert("job".into(), job.into());
    fill(&mut record);
    record
}

/// The JSON record of an event about `job`, with its status when known.
fn record(
    event: &str,
    job: &Observed,
    status: Option<&Status>,
    exit: Option<Exit>,
) -> Map<String, Value> {
    base(event, job.vendor(), &job.id(), |record| {
        if let Some(Value::Object(status)) = status.and_then(|s| serde_json::to_value(s).ok()) {
            for (key, value) in status {
                record.entry(key).or_insert(value);
            }
        }
        record.insert("polls".into(), job.polls().into());
        record.insert("elapsed_ms".into(), job.elapsed_ms().into());
        if let Some(exit) = exit {
            record.insert("exit_code".into(), exit.code().into());
        }
    })
}

fn print_line(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = writeln!(stdout, "{text}");
    let _ = stdout.flush();
}

fn print_json(record: Map<String, Value>) {
    print_line(&Value::Object(record).to_string());
}

/// A record for `simulate --json` and other non-job lines.
pub fn print_value(value: &Value) {
    print_line(&value.to_string());
}
