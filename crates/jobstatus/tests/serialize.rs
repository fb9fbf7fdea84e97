//! The status model written as JSON and read back, for every vendor.

use std::time::Duration;

use jobstatus::simulator::clear_one_integration::ClearOneIntegrationSimulator;
use jobstatus::simulator::cora_sequence_rpa::CoraSequenceRpaSimulator;
use jobstatus::simulator::elma_rpa::{self, ElmaRpaSimulator};
use jobstatus::simulator::ga4gh_wes::Ga4ghWesSimulator;
use jobstatus::simulator::infor_rpa::InforRpaSimulator;
use jobstatus::simulator::{Script, Server};
use jobstatus::vendors::clear_one_integration::ClearOneIntegrationJob;
use jobstatus::vendors::cora_sequence_rpa::CoraSequenceRpaJob;
use jobstatus::vendors::elma_rpa::ElmaRpaJob;
use jobstatus::vendors::ga4gh_wes::Ga4ghWesJob;
use jobstatus::vendors::infor_rpa::InforRpaJob;
use jobstatus::{Job, Phase, Status, Vendor, WaitPolicy, wait};
use serde_json::Value;

fn policy() -> WaitPolicy {
    let mut policy = WaitPolicy::with_timeout(Duration::from_secs(10));
    policy.min_delay = Duration::from_millis(10);
    policy.max_delay = Duration::from_millis(20);
    policy
}

fn failing(server: &Server) -> String {
    server.add_job(Script::new(0, 1, Phase::Failed))
}

/// The final status of `job`, checked to write the documented fields and read back equal.
async fn round_trip(job: &dyn Job) -> Value {
    let status = wait(job, &policy()).await.expect("a terminal status");
    let json = serde_json::to_value(&status).expect("serializable");
    assert_eq!(json["vendor"], job.vendor().as_str());
    assert_eq!(json["phase"], status.phase.as_str());
    assert_eq!(json["vendor_state"], status.vendor_state.as_str());
    assert_eq!(json["outcome"].as_str(), status.outcome.as_deref());
    assert!(json["report"].is_object(), "{json}");
    let back: Status = serde_json::from_value(json.clone()).expect("reads back");
    if job.vendor() != Vendor::ElmaRpa {
        assert_eq!(back, status);
    }
    json
}

#[tokio::test]
async fn every_vendor_s_status_writes_and_reads_back() {
    let elma = ElmaRpaSimulator::start().await;
    let json = round_trip(&ElmaRpaJob::new(
        elma.client(),
        failing(&elma).parse().expect("numeric"),
    ))
    .await;
    assert_eq!(json["phase"], "failed");
    assert!(
        !json.to_string().contains(elma_rpa::AUTH_TKN),
        "the echoed auth_tkn is left out: {json}"
    );

    let infor = InforRpaSimulator::start().await;
    round_trip(&InforRpaJob::new(infor.client(), failing(&infor))).await;

    let clear = ClearOneIntegrationSimulator::start().await;
    round_trip(&ClearOneIntegrationJob::new(
        clear.client(),
        failing(&clear),
    ))
    .await;

    let wes = Ga4ghWesSimulator::start().await;
    let json = round_trip(&Ga4ghWesJob::new(wes.client(), failing(&wes))).await;
    assert_eq!(json["vendor_state"], "EXECUTOR_ERROR");

    let cora = CoraSequenceRpaSimulator::start().await;
    let id = failing(&cora).parse().expect("numeric");
    let json = round_trip(&CoraSequenceRpaJob::new(cora.client(), id)).await;
    assert_eq!(json["report"]["Status"], "Failed", "element names: {json}");
}
