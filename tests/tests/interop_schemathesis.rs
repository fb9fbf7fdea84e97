//! Schemathesis (PyPI, from tests/peers/.venv) checks each REST simulator against our own
//! spec of its vendor, so a simulator cannot drift from the spec unnoticed: it generates
//! requests from `specs/<vendor>/openapi.yaml`, valid and invalid ones, sends them to the
//! simulator running in this process, and checks every answer.
//!
//! Checks: `--checks all`; WES leaves out `positive_data_acceptance` (see its test). An answer must not be a 5xx, must have a status
//! code the operation documents, the content type and headers it documents and a body its
//! schema accepts; a request the spec refuses must be refused (4xx) and one it allows must
//! not be refused as invalid; a request without the vendor's credentials must be refused,
//! and so must one that leaves out a required header or uses a method the path does not
//! have (405 with `Allow`). The checks of resources across calls (`use_after_free`,
//! `ensure_resource_availability`) and of other users' data (`object_level_authorization`)
//! run too; they only find something to check where a spec has deletes, links or more
//! than one set of credentials.
//!
//! Each simulator starts with one job of every scripted kind ([`seed_jobs`]), and half the
//! job ids generated are theirs, so the answers about existing jobs are checked as well as
//! the not-found ones. A run that would leave the check hollow fails: one in which an
//! operation answered nothing but 404, or the simulator served no request of an operation
//! (it refused them all for their credentials or body).
//!
//! Runs are deterministic: a fixed seed, one worker, no example database kept between
//! runs. A failure prints what schemathesis printed (each failure with a `curl` command
//! that reproduces it); its JUnit report and a HAR file of every request and answer are
//! kept under `target/tmp/schemathesis/<vendor>/`.
//!
//! Adding a vendor is one test function that names its spec, its simulator's `start`, the
//! credentials the simulator takes and where its spec takes job ids.
#![cfg(feature = "interop")]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use jobstatus::Phase;
use jobstatus::simulator::{self, Script, Server};
use workspace_tests::peers::{ScratchDir, peers_dir, venv_bin};
use workspace_tests::workspace_root;

/// Test cases per operation in each generating phase, valid and invalid ones together;
/// with this the whole file runs in about half a minute on two cores.
const MAX_EXAMPLES: &str = "100";
/// The seed of every run.
const SEED: &str = "20250601";

/// Where a credential goes.
enum Credential {
    /// An HTTP header sent with every request.
    Header(&'static str, String),
    /// A property of every JSON request body that the spec lists in `x-credential`; filled
    /// in by tests/peers/schemathesis/hooks.py.
    Body(&'static str, &'static str),
}

/// What schemathesis needs to know about a vendor besides its spec.
struct Target {
    /// The folder under `specs/`.
    spec: &'static str,
    /// The path of the spec's server URL that the simulator serves under, if any.
    base_path: &'static str,
    /// The credentials the simulator takes.
    credentials: Vec<Credential>,
    /// Where the spec takes a job id: half the values generated there are the ids of the
    /// jobs the simulator starts with, so the answers about existing jobs are checked too.
    job_ids: &'static [JobId],
    /// Checks left out for this vendor; each says why where the target is named.
    excluded_checks: &'static [&'static str],
    /// Parameters that draw half their values from good examples, where random values are
    /// almost never good (the WES `workflow_url`), by parameter name.
    good_values: &'static [(&'static str, &'static [&'static str])],
}

/// A parameter that takes a job id, as schemathesis names parameters (`path.id`,
/// `query.taskId`, `body.id`), by the JSON type of its schema.
enum JobId {
    /// A string.
    Text(&'static str),
    /// An integer.
    Integer(&'static str),
}

#[test]
fn elma_rpa_simulator_conforms_to_its_spec() {
    check(
        simulator::elma_rpa::ElmaRpaSimulator::start,
        Target {
            spec: "elma-rpa",
            base_path: "",
            credentials: vec![Credential::Body("auth_tkn", simulator::elma_rpa::AUTH_TKN)],
            job_ids: &[JobId::Integer("body.id"), JobId::Integer("body.taskid")],
            excluded_checks: &[],
            good_values: &[],
        },
    );
}

#[test]
fn infor_rpa_simulator_conforms_to_its_spec() {
    check(
        simulator::infor_rpa::InforRpaSimulator::start,
        Target {
            spec: "infor-rpa",
            // The simulator's base URL stands for the spec's whole server URL,
            // `https://{gateway}/{tenant}/RPA`: it routes `/api/v1/rpa/...` at its root.
            base_path: "",
            credentials: vec![Credential::Header(
                "Authorization",
                format!("Bearer {}", simulator::infor_rpa::TOKEN),
            )],
            job_ids: &[JobId::Text("path.id")],
            excluded_checks: &[],
            good_values: &[],
        },
    );
}

#[test]
fn clear_one_integration_simulator_conforms_to_its_spec() {
    use simulator::clear_one_integration::{AUTH_TOKEN, INTEGRATION_ID};
    check(
        simulator::clear_one_integration::ClearOneIntegrationSimulator::start,
        Target {
            spec: "clear-one-integration",
            base_path: "",
            credentials: vec![
                Credential::Header("x-clear-auth-token", AUTH_TOKEN.to_owned()),
                Credential::Header("x-integration-id", INTEGRATION_ID.to_owned()),
            ],
            job_ids: &[JobId::Text("query.taskId")],
            excluded_checks: &[],
            good_values: &[],
        },
    );
}

#[test]
fn ga4gh_wes_simulator_conforms_to_its_spec() {
    check(
        simulator::ga4gh_wes::Ga4ghWesSimulator::start,
        Target {
            spec: "ga4gh-wes",
            base_path: simulator::ga4gh_wes::BASE_PATH,
            credentials: vec![Credential::Header(
                "Authorization",
                format!("Bearer {}", simulator::ga4gh_wes::TOKEN),
            )],
            job_ids: &[JobId::Text("path.run_id")],
            // A WES server refuses requests the schema cannot tell apart from good ones: a
            // `page_token` it never handed out, a workflow language or version it does not
            // run. Schemathesis would call those schema-valid requests wrongly refused.
            excluded_checks: &["positive_data_acceptance"],
            good_values: &[(
                "body.workflow_url",
                &["https://raw.example.org/workflows/echo.cwl"],
            )],
        },
    );
}

/// Adds a job of every kind a script makes: finished each way, and pending or running
/// for as long as the run lasts; returns their ids.
fn seed_jobs(server: &Server) -> Vec<String> {
    [
        Script::new(0, 0, Phase::Succeeded),
        Script::new(0, 0, Phase::Failed),
        Script::new(1_000_000, 0, Phase::Succeeded),
        Script::new(0, 1_000_000, Phase::Succeeded),
        Script::default(),
    ]
    .into_iter()
    .map(|script| server.add_job(script))
    .collect()
}

/// Starts a simulator with `start` on a multi-thread runtime, and runs schemathesis against
/// the spec of `target` at the simulator's base URL.
fn check<F, S>(start: fn() -> F, target: Target)
where
    F: Future<Output = S>,
    S: std::ops::Deref<Target = Server>,
{
    let Target {
        spec,
        base_path,
        credentials,
        job_ids,
        excluded_checks,
        good_values,
    } = target;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let server = runtime.block_on(start());
    let jobs = seed_jobs(&server);

    let spec_path = workspace_root()
        .join("specs")
        .join(spec)
        .join("openapi.yaml");
    let reports = report_dir(spec);
    // The working folder: schemathesis would read a `schemathesis.toml` found there.
    let scratch = ScratchDir::new(&format!("schemathesis-{spec}"));
    let config = scratch.path().join("schemathesis.toml");
    std::fs::write(&config, config_toml(&jobs, job_ids, good_values)).expect("schemathesis.toml");

    let mut command = Command::new(venv_bin("schemathesis"));
    command
        .current_dir(scratch.path())
        .env(
            "SCHEMATHESIS_HOOKS",
            peers_dir().join("schemathesis").join("hooks.py"),
        )
        .arg("--config-file")
        .arg(&config)
        .arg("--no-color")
        .arg("run")
        .arg(&spec_path)
        .arg("--url")
        .arg(format!("{}{base_path}", server.base_url()))
        .args(["--checks", "all"])
        .args(
            excluded_checks
                .iter()
                .flat_map(|check| ["--exclude-checks", check]),
        )
        .args(["--max-examples", MAX_EXAMPLES])
        .args(["--seed", SEED])
        .args(["--workers", "1"])
        .args(["--generation-database", "none"])
        // How fast hypothesis generates data on a busy machine says nothing about the
        // simulator.
        .args(["--suppress-health-check", "too_slow"])
        .args(["--request-timeout", "10"])
        .args(["--output-truncate", "false"])
        .args(["--report", "junit,har"])
        .arg("--report-dir")
        .arg(&reports);
    let mut body_credentials = serde_json::Map::new();
    for credential in credentials {
        match credential {
            Credential::Header(name, value) => {
                command.arg("--header").arg(format!("{name}: {value}"));
            }
            Credential::Body(name, value) => {
                body_credentials.insert(name.to_owned(), value.into());
            }
        }
    }
    command.env(
        "JOBSTATUS_BODY_CREDENTIALS",
        serde_json::Value::Object(body_credentials).to_string(),
    );

    let started = Instant::now();
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run schemathesis: {e}"));
    let elapsed = started.elapsed();
    let served: BTreeSet<String> = server.served().into_iter().map(|s| s.operation).collect();
    drop(server);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "schemathesis failed the {spec} simulator against specs/{spec}/openapi.yaml \
         ({}, after {elapsed:.1?}); reports in {}\n{stdout}\n{stderr}",
        output.status,
        reports.display()
    );
    // A simulator serves a request once it took its credentials and its body; an
    // operation never served was only ever checked refusing requests.
    let spec_text = std::fs::read_to_string(&spec_path).expect("the spec");
    let mut never = operation_ids(&spec_text);
    never.retain(|operation| !served.contains(operation));
    assert!(
        never.is_empty(),
        "the {spec} simulator refused every request schemathesis sent to {never:?}; \
         reports in {}\n{stdout}",
        reports.display()
    );
    println!("{stdout}");
}

/// The `operationId`s of `spec`, in snake case as the simulators name operations.
fn operation_ids(spec: &str) -> Vec<String> {
    spec.lines()
        .filter_map(|line| line.trim().strip_prefix("operationId:"))
        .map(|id| {
            let id = id.trim().trim_matches(['"', '\'']);
            let mut snake = String::new();
            let mut previous_lower = false;
            for c in id.chars() {
                if c.is_ascii_uppercase() && previous_lower {
                    snake.push('_');
                }
                previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
                snake.push(c.to_ascii_lowercase());
            }
            snake
        })
        .collect()
}

/// The run's configuration: the ids of `jobs` as dictionaries (as text, and as numbers
/// where they are numbers) that the `job_ids` parameters draw half their values from, and
/// the warnings that fail the run because they mean it checked little: every call refused
/// for its credentials, an operation that answered only 404, job ids that do not fit their
/// parameters.
fn config_toml(jobs: &[String], job_ids: &[JobId], good_values: &[(&str, &[&str])]) -> String {
    let text: Vec<String> = jobs
        .iter()
        .map(|id| serde_json::Value::from(id.as_str()).to_string())
        .collect();
    let numbers: Vec<String> = jobs
        .iter()
        .filter_map(|id| id.parse::<i64>().ok())
        .map(|id| id.to_string())
        .collect();
    let mut toml = format!(
        "[warnings]\nfail-on = [\"missing_auth\", \"missing_test_data\", \"dictionary_mismatch\"]\n\n\
         [dictionaries.jobs]\nvalues = [{}]\n",
        text.join(", ")
    );
    if !numbers.is_empty() {
        toml.push_str(&format!(
            "\n[dictionaries.job_numbers]\nvalues = [{}]\n",
            numbers.join(", ")
        ));
    }
    for (n, (_, values)) in good_values.iter().enumerate() {
        let values: Vec<String> = values
            .iter()
            .map(|v| serde_json::Value::from(*v).to_string())
            .collect();
        toml.push_str(&format!(
            "\n[dictionaries.good_{n}]\nvalues = [{}]\n",
            values.join(", ")
        ));
    }
    toml.push_str("\n[parameters]\n");
    for (n, (name, _)) in good_values.iter().enumerate() {
        toml.push_str(&format!(
            "{} = {{ dictionary = \"good_{n}\", probability = 0.5 }}\n",
            serde_json::Value::from(*name)
        ));
    }
    for parameter in job_ids {
        let (name, dictionary) = match parameter {
            JobId::Text(name) => (name, "jobs"),
            JobId::Integer(name) => (name, "job_numbers"),
        };
        toml.push_str(&format!(
            "{} = {{ dictionary = \"{dictionary}\", probability = 0.5 }}\n",
            serde_json::Value::from(*name)
        ));
    }
    toml
}

/// A fresh folder for the reports of `spec`'s run, kept after the test.
fn report_dir(spec: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("schemathesis")
        .join(spec);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("report folder");
    dir
}
