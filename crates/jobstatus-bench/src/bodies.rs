//! The answers the loopback server sends: the vendors' own example payloads (the crates'
//! fixtures), small as documented and grown to about 100 KB the way real answers grow
//! (longer logs, more runs, more activities, more task logs).

use bytes::Bytes;
use serde_json::{Value, json};

/// How large an answer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// The documented example.
    Small,
    /// The example grown to about [`LARGE_BYTES`].
    Large,
}

impl Size {
    /// Both sizes.
    pub const ALL: [Size; 2] = [Size::Small, Size::Large];

    /// The size's name in URLs and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Large => "large",
        }
    }
}

/// What a large answer grows to.
pub const LARGE_BYTES: usize = 100 * 1024;

const ELMA: &str = include_str!("../../elma-rpa/tests/fixtures/task-cancel-response-done.json");
const INFOR: &str = include_str!("../../infor-rpa/tests/fixtures/job-detail.json");
const CLEAR: &str =
    include_str!("../../clear-one-integration/tests/fixtures/status-activity-failed.json");
const WES_STATUS: &str =
    include_str!("../../ga4gh-wes/tests/fixtures/reference-server/run-status-running.json");
const WES_LOG: &str =
    include_str!("../../ga4gh-wes/tests/fixtures/reference-server/run-log-complete.json");

/// Every answer of the ratio bench.
#[derive(Clone, Debug)]
pub struct Bodies {
    /// ELMA `task_status`: a task in state DONE with its log.
    pub elma: [Bytes; 2],
    /// Infor `get_job`: a job with its runs.
    pub infor: [Bytes; 2],
    /// Clear `get_workflow_status`: a workflow with its activities.
    pub clear: [Bytes; 2],
    /// WES `GetRunStatus` (small only: the answer has two fields).
    pub wes_status: Bytes,
    /// WES `GetRunLog`: a run log with its task logs.
    pub wes_log: [Bytes; 2],
    /// Cora `GetStatus` over SOAP 1.1.
    pub cora11: Bytes,
    /// Cora `GetStatus` over SOAP 1.2.
    pub cora12: Bytes,
}

impl Bodies {
    /// Builds every answer.
    pub fn new() -> Self {
        Self {
            elma: grown(ELMA, |task, n| {
                let line = "[INF] 2020/06/29 14:08:24 | [ELMA.RPA.Player.PlayerService] | Executing ActionActivity (UID ef68fdb9-5d20-4b9a-8d8e-8e1bb95af97a).\n";
                task["task"]["log"] = Value::String(line.repeat(n));
            }),
            infor: grown(INFOR, |job, n| {
                let run = job["job_instances"][0].clone();
                job["job_instances"] = Value::Array(
                    (0..n)
                        .map(|i| {
                            let mut run = run.clone();
                            run["id"] = json!(format!("0b7e4f1a-2c3d-4e5f-a6b7-{i:012}"));
                            run
                        })
                        .collect(),
                );
            }),
            clear: grown(CLEAR, |status, n| {
                let activity = status["result"]["activityStatusList"][0].clone();
                status["result"]["activityStatusList"] =
                    Value::Array(std::iter::repeat_n(activity, n).collect());
            }),
            wes_status: Bytes::from_static(WES_STATUS.as_bytes()),
            wes_log: grown(WES_LOG, |log, n| {
                let task = json!({
                    "id": "task-1", "name": "echo", "cmd": ["echo", "hello from WES"],
                    "start_time": "2025-06-02T08:00:03Z", "end_time": "2025-06-02T08:04:41Z",
                    "stdout": "https://wes.example/runs/322b49ffae04439f9b35474a1166ef65/tasks/1/stdout",
                    "stderr": "https://wes.example/runs/322b49ffae04439f9b35474a1166ef65/tasks/1/stderr",
                    "exit_code": 0
                });
                log["task_logs"] = Value::Array(std::iter::repeat_n(task, n).collect());
            }),
            cora11: Bytes::from(cora_answer(
                "soap",
                "http://schemas.xmlsoap.org/soap/envelope/",
            )),
            cora12: Bytes::from(cora_answer(
                "soap12",
                "http://www.w3.org/2003/05/soap-envelope",
            )),
        }
    }
}

impl Default for Bodies {
    fn default() -> Self {
        Self::new()
    }
}

/// The example as is, and grown by `grow(value, n)` with the least `n` that makes it at
/// least [`LARGE_BYTES`].
fn grown(example: &str, grow: impl Fn(&mut Value, usize)) -> [Bytes; 2] {
    let example: Value = serde_json::from_str(example).expect("a fixture is JSON");
    let small = serde_json::to_vec(&example).expect("JSON values serialize");
    let mut n = 1;
    loop {
        let mut value = example.clone();
        grow(&mut value, n);
        let large = serde_json::to_vec(&value).expect("JSON values serialize");
        if large.len() >= LARGE_BYTES {
            return [Bytes::from(small), Bytes::from(large)];
        }
        n = (n * LARGE_BYTES).div_ceil(large.len().max(1)).max(n + 1);
    }
}

/// A `GetStatusResponse` of a workflow still processing its input, as ASMX writes it.
fn cora_answer(prefix: &str, namespace: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><{prefix}:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:{prefix}="{namespace}"><{prefix}:Body><GetStatusResponse xmlns="http://genpact.com/cora/orchestration/rpa/1.0.0/api/"><GetStatusResult><Status>ProcessingInput</Status><ErrorCode>NoError</ErrorCode><ExternalContext>batch 2026-12-03 #17</ExternalContext></GetStatusResult></GetStatusResponse></{prefix}:Body></{prefix}:Envelope>"#
    )
}
