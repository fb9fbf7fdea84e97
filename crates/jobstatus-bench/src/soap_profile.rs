//! Where a Cora `GetStatus` call spends its client time, stage by stage, in process (no
//! HTTP), as the generated client makes the call: the `ActivityMetadata` header and the
//! empty `GetStatus` body, serialized once and kept, the envelope, the answer's one pass
//! (version check, fault check, DTD scan, the payload element walked and captured) and the
//! payload's decode; beside them what the client did before (both serialized with yaserde
//! on every call, the payload decoded by yaserde), and the hand-written quick-xml decode.

use std::hint::black_box;
use std::time::Instant;

use std::sync::OnceLock;

use cora_sequence_rpa::NAMESPACE;
use cora_sequence_rpa::types::{GetStatus, GetStatusResponse};
use soap_runtime::{Envelope, Fragment, Header, SoapVersion, parse_response};

use crate::bodies::Bodies;
use crate::clients::activity_metadata;
use crate::soap_raw;

/// A canned answer, and the SOAP version it is in.
type Answer = (SoapVersion, bytes::Bytes);

/// A stage's name, and what it costs per call on an answer, in microseconds.
type Stage<'a> = (&'a str, &'a dyn Fn(&Answer) -> f64);

/// Times each stage over `iterations` calls and returns the table.
pub fn run(iterations: u32) -> String {
    let bodies = Bodies::new();
    let metadata = activity_metadata(4242);
    let mut table = String::from("| stage | SOAP 1.1 | SOAP 1.2 |\n|---|---|---|\n");
    let versions = [
        (SoapVersion::V11, bodies.cora11.clone()),
        (SoapVersion::V12, bodies.cora12.clone()),
    ];
    let kept = Header::new(metadata.clone());
    let body = OnceLock::new();
    let kept_header_cost = |_: &Answer| time(iterations, || kept.fragment().is_ok());
    let kept_body_cost =
        |_: &Answer| time(iterations, || Fragment::once(&body, &GetStatus {}).is_ok());
    let header_cost = |_: &Answer| {
        time(iterations, || {
            Fragment::from_yaserde(&metadata).map(drop).is_ok()
        })
    };
    let body_cost = |_: &Answer| time(iterations, || Fragment::from_yaserde(&GetStatus {}).is_ok());
    let envelope_cost = |(version, _): &Answer| {
        let header = kept.fragment().expect("the header serializes");
        let body = Fragment::once(&body, &GetStatus {}).expect("the body serializes");
        time(iterations, || {
            !Envelope::new(*version, body.clone())
                .with_header(header.clone())
                .to_xml()
                .is_empty()
        })
    };
    let parse_cost =
        |(version, answer): &Answer| time(iterations, || parse_response(*version, answer).is_ok());
    let decode_cost = |(version, answer): &Answer| {
        let body = parse_response(*version, answer).expect("the answer parses");
        time(iterations, || {
            body.decode_message::<GetStatusResponse>(NAMESPACE).is_ok()
        })
    };
    let yaserde_cost = |(version, answer): &Answer| {
        let body = parse_response(*version, answer).expect("the answer parses");
        time(iterations, || body.decode::<GetStatusResponse>().is_ok())
    };
    let raw_cost = |(_, answer): &Answer| {
        let text = std::str::from_utf8(answer).expect("UTF-8");
        time(iterations, || soap_raw::decode(text).is_ok())
    };
    let stages: [Stage<'_>; 9] = [
        (
            "`ActivityMetadata` header, kept (`Header`)",
            &kept_header_cost,
        ),
        ("`GetStatus` body, kept (`Fragment::once`)", &kept_body_cost),
        ("envelope assembled and written", &envelope_cost),
        (
            "answer parsed: version, fault, DTD scan, payload walked and captured",
            &parse_cost,
        ),
        (
            "payload decoded (`decode_message`: quick-xml into the yaserde types)",
            &decode_cost,
        ),
        (
            "before: `ActivityMetadata` header serialized with yaserde each call",
            &header_cost,
        ),
        (
            "before: `GetStatus` body serialized with yaserde each call",
            &body_cost,
        ),
        (
            "before: payload decoded with yaserde (xml-rs)",
            &yaserde_cost,
        ),
        (
            "hand-written quick-xml decode of the whole answer",
            &raw_cost,
        ),
    ];
    for (name, cost) in stages {
        table.push_str(&format!(
            "| {name} | {:.2} us | {:.2} us |\n",
            cost(&versions[0]),
            cost(&versions[1])
        ));
    }
    table
}

/// Microseconds per call of `f`, the best of five batches.
fn time(iterations: u32, mut f: impl FnMut() -> bool) -> f64 {
    (0..5)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..iterations {
                assert!(black_box(f()), "a stage failed");
            }
            started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations)
        })
        .fold(f64::INFINITY, f64::min)
}
