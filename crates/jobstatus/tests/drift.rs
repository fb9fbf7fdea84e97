//! Drift: every example response of the vendor documents and every response fixture,
//! mutated field by field the ways real servers drift, still decodes, reads as the same
//! phase as the unmutated payload, and keeps what the server sent.
//!
//! Drift kinds, each applied to every field it fits:
//! - numbers sent as strings, and integers sent as floats;
//! - numeric strings (ids) sent as numbers;
//! - booleans sent as `"true"`/`"false"`;
//! - timestamps in every form servers use (no offset, a space for `T`, `/Date(ms+hhmm)/`,
//!   epoch seconds and milliseconds as numbers and strings, a date alone, `""`);
//! - an optional list sent as an object (another shape);
//! - the state word of every known value in lower case, title case, padded, and with `-`
//!   and `_` swapped.
//!
//! SOAP (Cora) drifts as SOAP servers do: state words, unqualified result children, UTF-16
//! and ISO-8859-1 bodies.

use std::path::PathBuf;

use jobstatus::{Phase, StatusReport};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// What a payload reads as: the phase of each state it carries, and the payload as the
/// decoded type writes it back.
#[derive(Debug)]
struct Read {
    phases: Vec<Phase>,
    states: Vec<String>,
    json: Value,
}

type Reader = fn(&Value) -> Result<Read, String>;

/// Decodes `value` as `T` and reads it with `phases`.
fn read_as<T: DeserializeOwned + Serialize>(
    value: &Value,
    phases: fn(&T) -> Vec<(Phase, String)>,
) -> Result<Read, String> {
    let decoded: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let (phases, states) = phases(&decoded).into_iter().unzip();
    Ok(Read {
        phases,
        states,
        json: serde_json::to_value(&decoded).map_err(|e| e.to_string())?,
    })
}

fn fixture(krate: &str, name: &str) -> Value {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        krate,
        "tests",
        "fixtures",
        name,
    ]
    .iter()
    .collect();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// One vendor: its payloads with the type each decodes as, where its state words are, and
/// the words the spec lists.
struct Vendor {
    payloads: Vec<(&'static str, Value, Reader)>,
    /// The key that holds a state word, wherever it is in a payload.
    state_key: &'static str,
    /// The keys of every open-enum field: a list whose items hold one is read strictly.
    enum_keys: &'static [&'static str],
    known: Vec<String>,
}

fn elma() -> Vendor {
    use jobstatus::elma_rpa::types::{TaskResponse, TaskStatus};
    let task: Reader = |v| {
        read_as::<TaskResponse>(v, |r| {
            r.task
                .iter()
                .map(|t| (t.phase(), t.vendor_state()))
                .collect()
        })
    };
    Vendor {
        payloads: vec![
            (
                "task-create-response",
                fixture("elma-rpa", "task-create-response.json"),
                task,
            ),
            (
                "task-cancel-response-done",
                fixture("elma-rpa", "task-cancel-response-done.json"),
                task,
            ),
            (
                "task-cancel-response-queued",
                fixture("elma-rpa", "task-cancel-response-queued.json"),
                task,
            ),
        ],
        state_key: "status",
        enum_keys: &["status", "priority"],
        known: TaskStatus::KNOWN
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
    }
}

fn infor() -> Vendor {
    use jobstatus::infor_rpa::types::{
        ErrorResponse, Job, JobInstance, JobInstanceStatus, JobList, JobStatus, ProcessList,
    };
    fn job_states(job: &Job) -> Vec<(Phase, String)> {
        let own = job
            .status
            .iter()
            .map(|s| (s.phase(), s.as_sent().to_owned()));
        let runs = job
            .job_instances
            .iter()
            .flatten()
            .flat_map(|run| &run.status)
            .map(|s| (s.phase(), s.as_sent().to_owned()));
        own.chain(runs).collect()
    }
    let job: Reader = |v| read_as::<Job>(v, job_states);
    let list: Reader =
        |v| read_as::<JobList>(v, |l| l.jobs().iter().flat_map(job_states).collect());
    let run: Reader = |v| {
        read_as::<JobInstance>(v, |r| {
            r.status
                .iter()
                .map(|s| (s.phase(), s.as_sent().to_owned()))
                .collect()
        })
    };
    let processes: Reader = |v| read_as::<ProcessList>(v, |_| Vec::new());
    let error: Reader = |v| read_as::<ErrorResponse>(v, |_| Vec::new());
    let mut known: Vec<String> = JobStatus::KNOWN
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    known.extend(
        JobInstanceStatus::KNOWN
            .iter()
            .map(|s| s.as_str().to_owned()),
    );
    known.dedup();
    Vendor {
        payloads: vec![
            ("job-detail", fixture("infor-rpa", "job-detail.json"), job),
            (
                "jobs-object",
                fixture("infor-rpa", "jobs-object.json"),
                list,
            ),
            ("jobs-array", fixture("infor-rpa", "jobs-array.json"), list),
            ("execute", fixture("infor-rpa", "execute.json"), run),
            (
                "processes",
                fixture("infor-rpa", "processes.json"),
                processes,
            ),
            ("error", fixture("infor-rpa", "error.json"), error),
        ],
        state_key: "status",
        enum_keys: &["status"],
        known,
    }
}

fn clear() -> Vendor {
    use jobstatus::clear_one_integration::types::{WorkflowStatus, WorkflowStatusResponse};
    let status: Reader = |v| {
        read_as::<WorkflowStatusResponse>(v, |r| {
            r.result
                .iter()
                .map(|r| (r.phase(), r.vendor_state()))
                .collect()
        })
    };
    Vendor {
        payloads: [
            "status-processing",
            "status-success",
            "status-activity-failed",
            "status-not-found",
        ]
        .into_iter()
        .map(|name| {
            let value = fixture("clear-one-integration", &format!("{name}.json"));
            (name, value, status)
        })
        .collect(),
        state_key: "workflowStatus",
        enum_keys: &["workflowStatus", "status", "stage"],
        known: WorkflowStatus::KNOWN
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
    }
}

fn wes() -> Vendor {
    use jobstatus::ga4gh_wes::types::{
        RunId, RunListResponse, RunLog, RunStatus, ServiceInfo, State,
    };
    let status: Reader =
        |v| read_as::<RunStatus>(v, |s| vec![(s.state.phase(), s.state.as_sent().to_owned())]);
    let log: Reader =
        |v| read_as::<RunLog>(v, |s| vec![(s.state.phase(), s.state.as_sent().to_owned())]);
    let list: Reader = |v| {
        read_as::<RunListResponse>(v, |l| {
            l.clone()
                .into_runs()
                .iter()
                .map(|r| (r.state.phase(), r.state.as_sent().to_owned()))
                .collect()
        })
    };
    let info: Reader = |v| read_as::<ServiceInfo>(v, |_| Vec::new());
    let id: Reader = |v| read_as::<RunId>(v, |_| Vec::new());
    let reference = |name: &'static str, reader: Reader| {
        (
            name,
            fixture("ga4gh-wes", &format!("reference-server/{name}.json")),
            reader,
        )
    };
    Vendor {
        payloads: vec![
            (
                "seven-bridges/run-status",
                fixture("ga4gh-wes", "seven-bridges/run-status.json"),
                status,
            ),
            reference("run-status-running", status),
            reference("run-status-complete", status),
            reference("run-status-executor-error", status),
            reference("run-status-after-cancel", status),
            reference("run-status-unknown-run", status),
            reference("run-log-complete", log),
            reference("run-log-running", log),
            reference("run-log-executor-error", log),
            reference("run-list", list),
            reference("run-list-empty", list),
            reference("run-list-with-phantom-runs", list),
            reference("service-info", info),
            reference("run-id", id),
            reference("cancel-running", id),
        ],
        state_key: "state",
        enum_keys: &["state"],
        known: State::KNOWN.iter().map(|s| s.as_str().to_owned()).collect(),
    }
}

/// Every leaf and container of `value` with its JSON pointer.
fn fields(value: &Value, pointer: String, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer =
                    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push((child_pointer.clone(), child.clone()));
                fields(child, child_pointer, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let child_pointer = format!("{pointer}/{i}");
                out.push((child_pointer.clone(), child.clone()));
                fields(child, child_pointer, out);
            }
        }
        _ => {}
    }
}

/// The forms a timestamp drifts into, from the instant of `text`.
fn timestamp_forms(text: &str) -> Vec<Value> {
    let stamp = jobstatus_runtime::Timestamp::parse(text);
    let Some(instant) = stamp.instant() else {
        return Vec::new();
    };
    let millis = instant.timestamp_millis();
    let naive = instant.naive_utc();
    vec![
        json!(naive.format("%Y-%m-%dT%H:%M:%S").to_string()),
        json!(naive.format("%Y-%m-%d %H:%M:%S").to_string()),
        json!(naive.format("%Y-%m-%dT%H:%M:%S%.9f").to_string()),
        json!(format!("/Date({millis}+0400)/")),
        json!(instant.timestamp()),
        json!(millis),
        json!(millis.to_string()),
        json!(naive.format("%Y-%m-%d").to_string()),
        json!(""),
    ]
}

/// Whether `text` looks like a timestamp (a date first), rather than a number.
fn is_timestamp(text: &str) -> bool {
    text.len() >= 10
        && text.as_bytes()[4] == b'-'
        && jobstatus_runtime::Timestamp::parse(text)
            .instant()
            .is_some()
}

/// The drifts of one field, each with a name.
fn drifts(value: &Value) -> Vec<(&'static str, Value)> {
    match value {
        Value::Number(number) => {
            let mut out = vec![("number as a string", json!(number.to_string()))];
            if let Some(integer) = number.as_i64() {
                #[allow(clippy::cast_precision_loss)]
                out.push(("integer as a float", json!(integer as f64)));
            }
            out
        }
        Value::Bool(flag) => vec![("boolean as a string", json!(flag.to_string()))],
        Value::String(text) if is_timestamp(text) => timestamp_forms(text)
            .into_iter()
            .map(|form| ("timestamp form", form))
            .collect(),
        Value::String(text) => match text.parse::<i64>() {
            Ok(number) if !text.starts_with('0') || text == "0" => {
                vec![("numeric string as a number", json!(number))]
            }
            _ => Vec::new(),
        },
        Value::Array(items) => vec![("list of another shape", json!({ "unexpected": items }))],
        _ => Vec::new(),
    }
}

/// Whether what the server sent at `pointer` is still in `read` (the mutated value, or
/// the same value in the spec's type).
fn kept(read: &Read, pointer: &str, sent: &Value, original: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match read.json.pointer(pointer) {
        Some(now) if now == sent || now == original => true,
        Some(now) if text(now) == text(sent) => true,
        Some(Value::Number(now)) => {
            now.as_f64() == original.as_f64()
                || Some(text(&Value::Number(now.clone()))) == sent.as_str().map(str::to_owned)
        }
        None => sent.as_str().is_some_and(|s| s.trim().is_empty()),
        _ => false,
    }
}

fn set(value: &mut Value, pointer: &str, new: Value) {
    if let Some(slot) = value.pointer_mut(pointer) {
        *slot = new;
    }
}

fn remove(value: &Value, pointer: &str) -> Value {
    let mut copy = value.clone();
    let (parent, key) = pointer.rsplit_once('/').expect("a field pointer");
    match copy.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&key.replace("~1", "/").replace("~0", "~"));
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                items.remove(i);
            }
        }
        _ => {}
    }
    copy
}

/// The spellings servers use for a listed state word.
fn respellings(word: &str) -> Vec<String> {
    let lower = word.to_ascii_lowercase();
    let title: String = lower
        .split(['_', '-'])
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(if word.contains('-') { "-" } else { "_" });
    let swapped: String = word
        .chars()
        .map(|c| match c {
            '-' => '_',
            '_' => '-',
            c => c,
        })
        .collect();
    vec![
        lower.clone(),
        title,
        format!(" {word} "),
        format!("\t{lower}\n"),
        word.to_ascii_uppercase(),
        swapped,
    ]
}

/// Runs every drift over every payload of `vendor`; returns what went wrong, one line each.
fn drift(vendor: &Vendor) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut problems = Vec::new();
    for (name, payload, reader) in &vendor.payloads {
        let base = match reader(payload) {
            Ok(read) => read,
            Err(error) => {
                problems.push(format!(
                    "{name}: the unmutated payload does not decode: {error}"
                ));
                continue;
            }
        };
        let mut all = Vec::new();
        fields(payload, String::new(), &mut all);
        for (pointer, original) in &all {
            let holds_state = pointer.ends_with(&format!("/{}", vendor.state_key));
            if holds_state {
                continue;
            }
            for (kind, sent) in drifts(original) {
                if kind == "list of another shape" {
                    // Only optional lists that no state is read from may change shape; an
                    // empty list does not say what its items are.
                    let text = original.to_string();
                    let carries_state = text == "[]"
                        || vendor
                            .enum_keys
                            .iter()
                            .any(|key| text.contains(&format!("\"{key}\":")));
                    if carries_state || reader(&remove(payload, pointer)).is_err() {
                        continue;
                    }
                }
                let mut mutated = payload.clone();
                set(&mut mutated, pointer, sent.clone());
                checked += 1;
                match reader(&mutated) {
                    Err(error) => {
                        problems.push(format!("{name} {pointer}: {kind} {sent}: {error}"))
                    }
                    Ok(read) if read.phases != base.phases => problems.push(format!(
                        "{name} {pointer}: {kind} {sent}: phases {:?}, unmutated {:?}",
                        read.phases, base.phases
                    )),
                    Ok(read) if !kept(&read, pointer, &sent, original) => problems.push(format!(
                        "{name} {pointer}: {kind} {sent}: not kept, now {:?}",
                        read.json.pointer(pointer)
                    )),
                    Ok(_) => {}
                }
            }
        }
        // State words: every listed value, as listed and respelled, in every place a state
        // is, reads as the phase of the listed value and keeps the word as sent.
        let state_pointers: Vec<&String> = all
            .iter()
            .filter(|_| !base.states.is_empty())
            .map(|(pointer, _)| pointer)
            .filter(|pointer| pointer.ends_with(&format!("/{}", vendor.state_key)))
            .filter(|pointer| payload.pointer(pointer).is_some_and(Value::is_string))
            .collect();
        for pointer in state_pointers {
            for word in &vendor.known {
                let mut canonical = payload.clone();
                set(&mut canonical, pointer, json!(word));
                let Ok(expected) = reader(&canonical) else {
                    problems.push(format!("{name} {pointer}: {word} does not decode"));
                    continue;
                };
                for spelling in respellings(word) {
                    let mut mutated = payload.clone();
                    set(&mut mutated, pointer, json!(spelling));
                    checked += 1;
                    match reader(&mutated) {
                        Err(error) => {
                            problems.push(format!("{name} {pointer}: {spelling:?}: {error}"))
                        }
                        Ok(read) if read.phases != expected.phases => problems.push(format!(
                            "{name} {pointer}: {spelling:?} reads as {:?}, {word} as {:?}",
                            read.phases, expected.phases
                        )),
                        Ok(read) if !read.states.contains(&spelling) => problems.push(format!(
                            "{name} {pointer}: {spelling:?} is not kept as sent: {:?}",
                            read.states
                        )),
                        Ok(read) if read.json.pointer(pointer) != Some(&json!(spelling)) => {
                            problems.push(format!(
                                "{name} {pointer}: {spelling:?} is not written back as sent"
                            ))
                        }
                        Ok(_) => {}
                    }
                }
            }
        }
    }
    (checked, problems)
}

fn assert_no_drift(vendor: &Vendor) {
    let (checked, problems) = drift(vendor);
    assert!(checked > 0, "no drift was applied");
    assert!(
        problems.is_empty(),
        "{} of {checked} drifted payloads:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn elma_rpa_reads_every_drift() {
    assert_no_drift(&elma());
}

#[test]
fn infor_rpa_reads_every_drift() {
    assert_no_drift(&infor());
}

#[test]
fn clear_one_integration_reads_every_drift() {
    assert_no_drift(&clear());
}

#[test]
fn ga4gh_wes_reads_every_drift() {
    assert_no_drift(&wes());
}

/// sapporo-service's shapes: `outputs` as a list of files, engine parameters keyed by
/// engine, `end_time` without a time zone. The run log decodes and keeps them as sent.
#[test]
fn ga4gh_wes_reads_sapporo_shapes() {
    use jobstatus::ga4gh_wes::types::{RunLog, ServiceInfo};
    let mut log = fixture("ga4gh-wes", "reference-server/run-log-complete.json");
    let outputs = json!([{"file_name": "output.txt", "file_url": "http://127.0.0.1/runs/r/outputs/output.txt"}]);
    log["outputs"] = outputs.clone();
    log["run_log"]["end_time"] = json!("2024-01-15T10:35:00.123456");
    let log: RunLog = serde_json::from_value(log).expect("the run log decodes");
    assert_eq!(log.state.phase(), Phase::Succeeded);
    assert_eq!(log.outputs.as_ref().and_then(|o| o.raw()), Some(&outputs));
    let end = log.run_log.and_then(|l| l.end_time).expect("end_time");
    assert!(end.is_utc_assumed());
    assert_eq!(end.as_str(), "2024-01-15T10:35:00.123456");

    let mut info = fixture("ga4gh-wes", "reference-server/service-info.json");
    let parameters =
        json!({"cwltool": [{"name": "--parallel", "type": "bool", "default_value": "false"}]});
    info["default_workflow_engine_parameters"] = parameters.clone();
    let info: ServiceInfo = serde_json::from_value(info).expect("the service info decodes");
    assert_eq!(
        info.default_workflow_engine_parameters
            .as_ref()
            .and_then(|p| p.raw()),
        Some(&parameters)
    );
}

mod cora {
    use cora_sequence_rpa::types::{GetStatusResponse, Status};
    use jobstatus::Phase;
    use soap_runtime::{SoapVersion, parse_response};

    const NS: &str = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/";

    fn envelope(result: &str, qualified: bool) -> String {
        let children = if qualified {
            format!(r#" xmlns="{NS}""#)
        } else {
            String::new()
        };
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><tns:GetStatusResponse xmlns:tns="{NS}"><tns:GetStatusResult{children}>{result}</tns:GetStatusResult></tns:GetStatusResponse></soap:Body></soap:Envelope>"#,
        )
    }

    fn read(body: &[u8]) -> Result<(Phase, String), String> {
        let answer: GetStatusResponse = parse_response(SoapVersion::V11, body)
            .and_then(|body| body.decode())
            .map_err(|e| e.to_string())?;
        let result = answer.get_status_result.ok_or("no result")?;
        Ok((result.status.phase(), result.status.as_sent().to_owned()))
    }

    fn result(status: &str) -> String {
        format!(
            "<Status>{status}</Status><ErrorCode>NoError</ErrorCode><ExternalContext>é</ExternalContext>"
        )
    }

    #[test]
    fn cora_reads_every_drift() {
        let mut problems = Vec::new();
        for known in Status::KNOWN {
            let word = known.as_str();
            let expected = known.phase();
            let spellings = super::respellings(word);
            for spelling in std::iter::once(word.to_owned()).chain(spellings) {
                for qualified in [true, false] {
                    let xml = envelope(&result(&spelling), qualified);
                    let latin1: Vec<u8> = xml
                        .replace("utf-8", "ISO-8859-1")
                        .chars()
                        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1"))
                        .collect();
                    let utf16: Vec<u8> = [0xFF, 0xFE]
                        .into_iter()
                        .chain(
                            xml.replace("utf-8", "utf-16")
                                .encode_utf16()
                                .flat_map(u16::to_le_bytes),
                        )
                        .collect();
                    for (form, body) in [
                        ("UTF-8", xml.into_bytes()),
                        ("ISO-8859-1", latin1),
                        ("UTF-16", utf16),
                    ] {
                        match read(&body) {
                            // The XML reader drops the spaces around an element's text.
                            Ok((phase, sent)) if phase == expected && sent == spelling.trim() => {}
                            other => problems.push(format!(
                                "{spelling:?} ({form}, qualified: {qualified}): {other:?}, expected {expected:?}"
                            )),
                        }
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn a_status_sent_twice_is_an_error_naming_it() {
        let xml = envelope(
            "<Status>Completed</Status><ErrorCode>NoError</ErrorCode><Status>Failed</Status>",
            true,
        );
        let error = read(xml.as_bytes()).expect_err("ambiguous");
        assert!(error.contains("<Status> appears 2 times"), "{error}");
    }
}

/// End to end: a finished job whose state word comes respelled ends the wait with the
/// phase of the word it matches, and the word as sent, for every vendor, REST and SOAP.
mod respelled_states_end_the_wait {
    use jobstatus::simulator::{Fault, Script};
    use jobstatus::vendors::clear_one_integration::ClearOneIntegrationJob;
    use jobstatus::vendors::cora_sequence_rpa::CoraSequenceRpaJob;
    use jobstatus::vendors::elma_rpa::ElmaRpaJob;
    use jobstatus::vendors::ga4gh_wes::Ga4ghWesJob;
    use jobstatus::vendors::infor_rpa::InforRpaJob;
    use jobstatus::{Job, Phase, WaitPolicy, wait};
    use std::time::Duration;

    fn policy() -> WaitPolicy {
        let mut policy = WaitPolicy::with_timeout(Duration::from_secs(60));
        policy.min_delay = Duration::from_millis(10);
        policy.max_delay = Duration::from_millis(100);
        policy
    }

    /// Each answer the wait reads spells the state `word`.
    async fn ends(server: &jobstatus::simulator::Server, job: &dyn Job, word: &str, phase: Phase) {
        for _ in 0..8 {
            server.inject(Fault::UnknownState(word.to_owned()));
        }
        let status = wait(job, &policy()).await.expect("the wait ends");
        assert_eq!((status.phase, status.vendor_state.as_str()), (phase, word));
    }

    #[tokio::test]
    async fn elma() {
        let server = jobstatus::simulator::elma_rpa::ElmaRpaSimulator::start().await;
        let id = server.add_job(Script::new(0, 0, Phase::Succeeded));
        let job = ElmaRpaJob::new(server.client(), id.parse().expect("numeric id"));
        ends(&server, &job, " done ", Phase::Succeeded).await;
    }

    #[tokio::test]
    async fn infor() {
        let server = jobstatus::simulator::infor_rpa::InforRpaSimulator::start().await;
        let id = server.add_job(Script::new(0, 0, Phase::Failed));
        let job = InforRpaJob::new(server.client(), id);
        ends(&server, &job, "FAILED", Phase::Failed).await;
    }

    #[tokio::test]
    async fn clear() {
        let server =
            jobstatus::simulator::clear_one_integration::ClearOneIntegrationSimulator::start()
                .await;
        let id = server.add_job(Script::new(0, 0, Phase::Succeeded));
        let job = ClearOneIntegrationJob::new(server.client(), id);
        ends(&server, &job, "Success", Phase::Succeeded).await;
    }

    #[tokio::test]
    async fn wes() {
        let server = jobstatus::simulator::ga4gh_wes::Ga4ghWesSimulator::start().await;
        let id = server.add_job(Script::new(0, 0, Phase::Failed));
        let job = Ga4ghWesJob::new(server.client(), id);
        ends(&server, &job, "executor-error", Phase::Failed).await;
    }

    #[tokio::test]
    async fn cora() {
        let server =
            jobstatus::simulator::cora_sequence_rpa::CoraSequenceRpaSimulator::start().await;
        let id = server.add_job(Script::new(0, 0, Phase::Succeeded));
        let job = CoraSequenceRpaJob::new(server.client(), id.parse().expect("numeric id"));
        ends(&server, &job, "COMPLETED", Phase::Succeeded).await;
    }
}
