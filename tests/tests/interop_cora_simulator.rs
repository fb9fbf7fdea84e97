//! zeep calls the Cora SeQuence RPA simulator through our WSDL: the simulator runs in
//! process, and `tests/peers/cora/zeep_client.py` reads the WSDL and calls `FileBatch` then
//! `GetStatus` over the SOAP 1.1 and SOAP 1.2 bindings, both at the simulator's one ASMX
//! endpoint.
#![cfg(feature = "interop")]

use std::process::Command;

use jobstatus::Phase;
use jobstatus::simulator::{Script, cora_sequence_rpa};
use workspace_tests::peers::{peers_dir, venv_bin};
use workspace_tests::workspace_root;

/// Runs zeep_client.py against `endpoint` for both bindings and returns its JSON lines.
async fn zeep(endpoint: &str) -> Vec<serde_json::Value> {
    let mut command = Command::new(venv_bin("python"));
    command
        .arg(peers_dir().join("cora").join("zeep_client.py"))
        .arg(workspace_root().join("specs/cora-sequence-rpa/coraRpaIntegration_v1.0.0.wsdl"))
        .arg(endpoint)
        .arg(endpoint);
    // The simulator answers on the runtime's workers while zeep runs.
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the blocking task ran")
        .expect("zeep_client.py runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "zeep_client.py failed:\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zeep_calls_the_cora_simulator_through_our_wsdl() {
    let server = cora_sequence_rpa::CoraSequenceRpaSimulator::start().await;
    let endpoint = server.endpoint();
    let mut started = Vec::new();
    for (outcome, status, error_code) in [
        (Phase::Succeeded, "Completed", "NoError"),
        (Phase::Failed, "Failed", cora_sequence_rpa::FAILURE.as_str()),
        (Phase::Cancelled, "Aborted", "NoError"),
    ] {
        server.set_script(Script::new(0, 0, outcome));
        let lines = zeep(&endpoint).await;
        assert_eq!(lines.len(), 2, "{lines:?}");
        for (line, binding) in lines
            .iter()
            .zip(["coraRpaIntegrationSoap", "coraRpaIntegrationSoap12"])
        {
            assert_eq!(line["binding"], binding);
            assert_eq!(line["status"], status, "{line}");
            assert_eq!(line["error_code"], error_code, "{line}");
            assert_eq!(line["external_context"], "from zeep", "{line}");
            let id = line["master_workflow_instance_id"]
                .as_i64()
                .unwrap_or_else(|| panic!("an id: {line}"));
            started.push(id.to_string());
        }
    }

    // Each binding started its own workflow, and GetStatus named it in the header.
    let mut expected = Vec::new();
    for id in &started {
        expected.push(("FileBatch".to_owned(), None));
        expected.push(("GetStatus".to_owned(), Some(id.clone())));
    }
    let served: Vec<_> = server
        .served()
        .into_iter()
        .map(|served| (served.operation, served.job))
        .collect();
    assert_eq!(served, expected);
}
