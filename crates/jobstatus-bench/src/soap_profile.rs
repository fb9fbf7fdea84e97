//! Where a Cora `GetStatus` call spends its client time, stage by stage, in process (no
//! HTTP): the per-call re-serialization of the constant `ActivityMetadata` header, the
//! envelope, the answer's parse (version check, fault check, DTD scan, capture of the
//! payload element) and its yaserde decode, against the hand-written quick-xml decode.

use std::hint::black_box;
use std::time::Instant;

use cora_sequence_rpa::types::{GetStatus, GetStatusResponse};
use soap_runtime::{Envelope, Fragment, SoapVersion, parse_response};

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
    let header_cost = |_: &Answer| {
        time(iterations, || {
            Fragment::from_yaserde(&metadata).map(drop).is_ok()
        })
    };
    let body_cost = |_: &Answer| time(iterations, || Fragment::from_yaserde(&GetStatus {}).is_ok());
    let envelope_cost = |(version, _): &Answer| {
        let header = Fragment::from_yaserde(&metadata).expect("the header serializes");
        let body = Fragment::from_yaserde(&GetStatus {}).expect("the body serializes");
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
        time(iterations, || body.decode::<GetStatusResponse>().is_ok())
    };
    let yaserde_cost = |(version, answer): &Answer| {
        let body = parse_response(*version, answer).expect("the answer parses");
        time(iterations, || {
            yaserde::de::from_str::<GetStatusResponse>(body.as_xml()).is_ok()
        })
    };
    let raw_cost = |(_, answer): &Answer| {
        let text = std::str::from_utf8(answer).expect("UTF-8");
        time(iterations, || soap_raw::decode(text).is_ok())
    };
    let stages: [Stage<'_>; 7] = [
        (
            "`ActivityMetadata` header serialized with yaserde",
            &header_cost,
        ),
        ("`GetStatus` body serialized with yaserde", &body_cost),
        ("envelope assembled and written", &envelope_cost),
        (
            "answer parsed: version, fault, DTD scan, payload captured",
            &parse_cost,
        ),
        (
            "payload decoded: nil elements dropped, then yaserde",
            &decode_cost,
        ),
        (
            "of which `yaserde::de::from_str` (xml-rs) alone",
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
