//! The built binary against `jobstatus simulate`, every vendor: exit codes, JSON lines,
//! submit, cancel, Ctrl-C, the config file and the environment, credentials kept out of
//! every output.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{FAST, Simulation, interrupt};
use serde_json::Value;

const VENDORS: [&str; 5] = [
    "clear-one-integration",
    "cora-sequence-rpa",
    "elma-rpa",
    "ga4gh-wes",
    "infor-rpa",
];

/// The environment variable that overrides `vendor`'s main credential, and a value its
/// simulator refuses; Cora's service takes no credentials.
fn refused_credential(vendor: &str) -> Option<(&'static str, &'static str)> {
    match vendor {
        "elma-rpa" => Some(("JOBSTATUS_ELMA_AUTH_TKN", "not-the-token")),
        "infor-rpa" => Some(("JOBSTATUS_INFOR_TOKEN", "not-the-token")),
        "clear-one-integration" => Some(("JOBSTATUS_CLEAR_AUTH_TOKEN", "not-the-token")),
        "ga4gh-wes" => Some(("JOBSTATUS_WES_TOKEN", "not-the-token")),
        _ => None,
    }
}

fn wait<'a>(vendor: &'a str, jobs: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["wait", vendor];
    args.extend(jobs);
    args.extend(FAST);
    args.extend(extra);
    args
}

/// Every exit code a vendor's jobs can give, and the JSON lines of a wait.
fn exit_codes_and_json(vendor: &str) {
    let sim = Simulation::start(&[vendor]);
    let jobs = sim.jobs(vendor);

    let run = sim.jobstatus(&wait(vendor, &[&jobs.succeeds], &[]));
    assert_eq!(run.code, 0, "succeeds: {run:?}");
    assert!(run.stdout.contains("succeeded"), "{run:?}");
    assert!(
        !run.stdout.contains('\x1b'),
        "plain lines in a pipe: {run:?}"
    );

    let run = sim.jobstatus(&wait(vendor, &[&jobs.fails], &[]));
    assert_eq!(run.code, 1, "fails: {run:?}");

    let run = sim.jobstatus(&wait(vendor, &[&jobs.succeeds, &jobs.fails], &[]));
    assert_eq!(run.code, 1, "the highest code wins: {run:?}");

    let run = sim.jobstatus(&wait(vendor, &[&jobs.runs_long], &["--timeout", "500ms"]));
    assert_eq!(run.code, 3, "deadline: {run:?}");
    assert!(run.stdout.contains("deadline"), "{run:?}");

    let run = sim.jobstatus(&["status", vendor, &jobs.runs_long]);
    assert_eq!(run.code, 0, "status: {run:?}");
    assert!(run.stdout.contains("running"), "{run:?}");

    let run = sim.jobstatus(&wait(vendor, &["999"], &[]));
    assert_eq!(run.code, 4, "not found: {run:?}");
    let run = sim.jobstatus(&["status", vendor, &jobs.succeeds, "999"]);
    assert_eq!(run.code, 4, "status of a job that does not exist: {run:?}");

    if let Some((variable, value)) = refused_credential(vendor) {
        let run =
            sim.run(
                sim.command()
                    .env(variable, value)
                    .args(["status", vendor, &jobs.succeeds]),
            );
        assert_eq!(
            run.code, 5,
            "the environment overrides the profile: {run:?}"
        );
        assert!(!run.stdout.contains(value) && !run.stderr.contains(value));
    }

    let run = sim.jobstatus(&[
        "--base-url",
        "http://127.0.0.1:1/",
        "status",
        vendor,
        &jobs.succeeds,
    ]);
    assert_eq!(run.code, 6, "a wrong base URL: {run:?}");

    // JSON: one object per change, then the end; every line parses.
    let run = sim.jobstatus(&wait(vendor, &[&jobs.fails], &["--output", "json"]));
    assert_eq!(run.code, 1, "{run:?}");
    let lines = run.json();
    let end = lines.last().expect("an end line");
    assert_eq!(end["event"], "end");
    assert_eq!(end["vendor"], vendor);
    assert_eq!(end["job"], jobs.fails.as_str());
    assert_eq!(end["phase"], "failed");
    assert_eq!(end["exit_code"], 1);
    assert!(end["vendor_state"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(end["polls"].as_u64().is_some_and(|polls| polls >= 1));
    assert!(end["elapsed_ms"].is_u64());
    assert!(end["report"].is_object(), "the vendor's report: {end}");
    for change in &lines[..lines.len() - 1] {
        assert_eq!(change["event"], "change", "{change}");
        assert!(change["phase"].is_string() && change["report"].is_object());
    }
    let run = sim.jobstatus(&["--output", "json", "status", vendor, &jobs.runs_long, "999"]);
    let lines = run.json();
    assert_eq!(lines[0]["event"], "status");
    assert_eq!(lines[0]["phase"], "running");
    assert_eq!(lines[1]["event"], "error");
    assert_eq!(lines[1]["exit_code"], 4);

    sim.stop();
}

#[test]
fn clear_one_integration_exit_codes_and_json() {
    exit_codes_and_json("clear-one-integration");
}

#[test]
fn cora_sequence_rpa_exit_codes_and_json() {
    exit_codes_and_json("cora-sequence-rpa");
}

#[test]
fn elma_rpa_exit_codes_and_json() {
    exit_codes_and_json("elma-rpa");
}

#[test]
fn ga4gh_wes_exit_codes_and_json() {
    exit_codes_and_json("ga4gh-wes");
}

#[test]
fn infor_rpa_exit_codes_and_json() {
    exit_codes_and_json("infor-rpa");
}

#[test]
fn cancel_where_the_vendor_can_and_a_usage_error_where_it_cannot() {
    let sim = Simulation::start(&[]);

    let wes = sim.jobs("ga4gh-wes");
    let run = sim.jobstatus(&["cancel", "ga4gh-wes", &wes.runs_long]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = sim.jobstatus(&wait("ga4gh-wes", &[&wes.runs_long], &[]));
    assert_eq!(run.code, 2, "a cancelled run: {run:?}");
    assert!(run.stdout.contains("cancelled (CANCELED)"), "{run:?}");

    // The Orchestrator deletes a cancelled task.
    let elma = sim.jobs("elma-rpa");
    let run = sim.jobstatus(&["--output", "json", "cancel", "elma-rpa", &elma.runs_long]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()[0]["event"], "cancel_requested");
    let run = sim.jobstatus(&["status", "elma-rpa", &elma.runs_long]);
    assert_eq!(run.code, 4, "{run:?}");

    for vendor in ["infor-rpa", "clear-one-integration", "cora-sequence-rpa"] {
        let job = sim.jobs(vendor).runs_long;
        let run = sim.jobstatus(&["cancel", vendor, &job]);
        assert_eq!(run.code, 64, "{vendor} has no cancel: {run:?}");
        assert!(run.stdout.contains("not supported"), "{run:?}");
    }
    sim.stop();
}

#[test]
fn submit_starts_a_job_at_every_vendor_and_waits_for_it() {
    let sim = Simulation::start(&[]);
    let files = sim.home();
    std::fs::write(files.join("purchase.csv"), "invoice,amount\nINV-1,100.00\n").expect("written");
    std::fs::write(files.join("inputs.json"), r#"{"message": "hi"}"#).expect("written");
    std::fs::write(
        files.join("echo.cwl"),
        "cwlVersion: v1.0\nclass: CommandLineTool\n",
    )
    .expect("written");
    let path = |name: &str| files.join(name).to_string_lossy().into_owned();
    let infor_job = sim.jobs("infor-rpa").succeeds;
    let (csv, inputs, cwl) = (path("purchase.csv"), path("inputs.json"), path("echo.cwl"));
    let submissions: Vec<Vec<&str>> = vec![
        vec![
            "elma-rpa",
            "--process",
            "c39f99de-cb8f-4661-a206-b282a4830cbf",
            "--context",
            r#"{"StringParam_in": "x"}"#,
        ],
        vec!["infor-rpa", "--job", &infor_job, "--argument", "Batch=7"],
        vec![
            "clear-one-integration",
            "--file",
            &csv,
            "--file-type",
            "purchase",
            "--template-type",
            "PURCHASE",
            "--metadata",
            "source=ci",
        ],
        vec![
            "ga4gh-wes",
            "--workflow-url",
            "echo.cwl",
            "--workflow-type",
            "CWL",
            "--workflow-type-version",
            "v1.0",
            "--params",
            &inputs,
            "--tag",
            "purpose=test",
            "--attachment",
            &cwl,
        ],
        vec![
            "cora-sequence-rpa",
            "--robot-profile",
            "ClaimReader",
            "--input-file",
            "RpaExternalStorage:in:claim.pdf",
            "--output-file",
            "RpaExternalStorage:out:claim.pdf",
            "--context",
            "claim 1",
        ],
    ];
    for submission in submissions {
        let vendor = submission[0];
        let mut args = vec!["submit"];
        args.extend(&submission);
        let run = sim.jobstatus(&args);
        assert_eq!(run.code, 0, "{vendor}: {run:?}");
        let id = run.stdout.trim().to_owned();
        assert!(
            !id.is_empty() && !id.contains(' '),
            "the new id alone: {run:?}"
        );
        let run = sim.jobstatus(&["status", vendor, &id]);
        assert_eq!(run.code, 0, "{vendor} {id}: {run:?}");

        // The simulators' default script: pending, running twice, succeeded.
        let mut args = vec!["--output", "json", "submit"];
        args.extend(&submission);
        args.push("--wait");
        args.extend(FAST);
        let run = sim.jobstatus(&args);
        assert_eq!(run.code, 0, "{vendor} --wait: {run:?}");
        let lines = run.json();
        assert_eq!(lines[0]["event"], "submitted", "{run:?}");
        let last = lines.last().expect("lines");
        assert_eq!(
            (&last["event"], &last["phase"], &last["job"]),
            (
                &Value::from("end"),
                &Value::from("succeeded"),
                &lines[0]["job"]
            ),
            "{run:?}"
        );
    }
    sim.stop();
}

#[test]
fn ctrl_c_stops_a_wait_and_can_cancel_the_jobs() {
    let sim = Simulation::start(&["ga4gh-wes"]);
    let job = sim.jobs("ga4gh-wes").runs_long;
    for cancel in [false, true] {
        let mut command = sim.command();
        command
            .args(wait("ga4gh-wes", &[&job], &[]))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if cancel {
            command.arg("--cancel-on-interrupt");
        }
        let child = command.spawn().expect("wait starts");
        std::thread::sleep(Duration::from_millis(800));
        interrupt(&child);
        let output = child.wait_with_output().expect("wait ends");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(130), "{stdout}");
        assert!(stdout.contains("interrupted"), "{stdout}");
        assert_eq!(stdout.contains("cancel requested"), cancel, "{stdout}");
        let run = sim.jobstatus(&["status", "ga4gh-wes", &job]);
        let cancelled = run.stdout.contains("CANCEL");
        assert_eq!(cancelled, cancel, "cancelled only when asked: {run:?}");
    }
    sim.stop();
}

#[test]
fn the_environment_alone_is_enough_and_a_credential_flag_draws_a_warning() {
    let sim = Simulation::start(&["ga4gh-wes", "elma-rpa"]);
    let wes = sim.jobs("ga4gh-wes");
    let run = sim.run(
        common::command(sim.home())
            .env("JOBSTATUS_WES_BASE_URL", &wes.base_url)
            .env(
                "JOBSTATUS_WES_TOKEN",
                jobstatus::simulator::ga4gh_wes::TOKEN,
            )
            .args(["status", "ga4gh-wes", &wes.succeeds]),
    );
    assert_eq!(run.code, 0, "{run:?}");

    let elma = sim.jobs("elma-rpa");
    let run = sim.run(common::command(sim.home()).args([
        "--base-url",
        &elma.base_url,
        "--token",
        jobstatus::simulator::elma_rpa::AUTH_TKN,
        "status",
        "elma-rpa",
        &elma.succeeds,
    ]));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("shell's history"), "{run:?}");
    // The transcript check of `stop` would fail on the flag's value if it were echoed.

    let run = sim.run(common::command(sim.home()).args(["status", "ga4gh-wes", "1"]));
    assert_eq!(run.code, 64, "no base URL anywhere: {run:?}");
    assert!(run.stderr.contains("JOBSTATUS_WES_BASE_URL"), "{run:?}");
    sim.stop();
}

#[test]
fn profiles_are_chosen_by_name_and_usage_errors_exit_64() {
    let sim = Simulation::start(&["ga4gh-wes"]);
    let wes = sim.jobs("ga4gh-wes");
    let config = sim.home().join("named.toml");
    let token = jobstatus::simulator::ga4gh_wes::TOKEN;
    std::fs::write(
        &config,
        format!(
            "[profiles.staging]\nvendor = \"ga4gh-wes\"\nbase_url = \"{}\"\ntoken = \"{token}\"\n",
            wes.base_url
        ),
    )
    .expect("written");
    let with_config = |args: &[&str]| {
        let mut command = common::command(sim.home());
        command.arg("--config").arg(&config).args(args);
        sim.run(&mut command)
    };
    let run = with_config(&["--profile", "staging", "status", "ga4gh-wes", &wes.succeeds]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = with_config(&["--profile", "staging", "status", "elma-rpa", "1"]);
    assert_eq!(run.code, 64, "a profile of another vendor: {run:?}");
    let run = with_config(&["--profile", "prod", "status", "ga4gh-wes", "1"]);
    assert_eq!(run.code, 64, "no such profile: {run:?}");

    for args in [
        vec!["status", "wes", "1"],
        vec!["wait", "ga4gh-wes"],
        vec!["status", "elma-rpa", "not-a-number"],
        vec!["wait", "ga4gh-wes", "1", "--timeout", "soon"],
        vec![
            "--config",
            "/nonexistent/jobstatus.toml",
            "status",
            "ga4gh-wes",
            "1",
        ],
        vec!["frobnicate"],
    ] {
        let run = sim.jobstatus(&args);
        assert_eq!(run.code, 64, "{args:?}: {run:?}");
    }
    let run = sim.jobstatus(&["--help"]);
    assert_eq!(run.code, 0);
    for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "6 ", "64 ", "130 "] {
        assert!(
            run.stdout.contains(&format!("\n  {code}")),
            "{code} in --help"
        );
    }
    sim.stop();
}

#[test]
fn every_vendor_answers_through_the_same_config() {
    let sim = Simulation::start(&[]);
    for vendor in VENDORS {
        let jobs = sim.jobs(vendor);
        let run = sim.jobstatus(&["--output", "json", "status", vendor, &jobs.succeeds]);
        assert_eq!(run.code, 0, "{vendor}: {run:?}");
        assert_eq!(run.json()[0]["vendor"], vendor);
    }
    sim.stop();
}

#[test]
fn demo_runs_the_tour_and_exits_0() {
    let home = tempfile::tempdir().expect("a directory");
    let output = common::command(home.path())
        .arg("demo")
        .output()
        .expect("demo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    for vendor in VENDORS {
        assert!(
            stdout.contains(&format!("{vendor} started job")),
            "{stdout}"
        );
    }
    assert!(stdout.contains("vendor state"), "the final table: {stdout}");
    assert!(!stdout.contains('\x1b'), "{stdout}");
}
