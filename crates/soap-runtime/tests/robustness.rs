//! No input makes the crate panic: truncated documents, mutated documents, random bytes.

use soap_runtime::{Fragment, SoapError, SoapVersion, decode, parse_response};
use yaserde::YaDeserialize;

#[derive(Debug, Default, YaDeserialize)]
#[yaserde(
    rename = "GetStatusResponse",
    prefix = "tns",
    namespaces = { "tns" = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/" }
)]
struct GetStatusResponse {
    #[yaserde(rename = "Status", prefix = "tns")]
    status: String,
}

const RESPONSE_11: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <soap:Header><h:Trace xmlns:h="urn:h">a&amp;b</h:Trace></soap:Header>
  <soap:Body>
    <GetStatusResponse xmlns="http://genpact.com/cora/orchestration/rpa/1.0.0/api/"><Status>Completed</Status><Note xsi:nil="true"/><![CDATA[x]]></GetStatusResponse>
  </soap:Body>
</soap:Envelope>
"#;

const FAULT_11: &str = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>bad &#x41; &lt;</faultstring><faultactor>urn:a</faultactor><detail><e:E xmlns:e="urn:e">1</e:E></detail></s:Fault></s:Body></s:Envelope>"#;

const FAULT_12: &str = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:m="urn:m"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>m:A</env:Value><env:Subcode><env:Value>m:B</env:Value></env:Subcode></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">r</env:Text></env:Reason><env:Node>n</env:Node><env:Role>r</env:Role><env:Detail><m:D/></env:Detail></env:Fault></env:Body></env:Envelope>"#;

/// Parses `input` as both versions, decodes what parses, and returns the 1.1 result.
fn exercise(input: &[u8]) -> Result<(), SoapError> {
    let v12 = parse_response(SoapVersion::V12, input);
    if let Ok(body) = &v12 {
        let _ = body.decode::<GetStatusResponse>();
    }
    let v11 = parse_response(SoapVersion::V11, input);
    match &v11 {
        Ok(body) => {
            let _ = body.decode::<GetStatusResponse>();
        }
        Err(SoapError::Fault(fault)) => {
            if let Some(detail) = &fault.detail {
                let _ = decode::<GetStatusResponse>(detail);
            }
        }
        Err(_) => {}
    }
    if let Ok(text) = std::str::from_utf8(input) {
        let _ = Fragment::from_xml(text);
    }
    v11.map(drop)
}

/// A small deterministic generator, so failures reproduce.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next() % bound as u64).expect("fits")
    }
}

#[test]
fn every_prefix_of_a_valid_response_is_an_error_not_a_panic() {
    let complete: GetStatusResponse = parse_response(SoapVersion::V11, RESPONSE_11.as_bytes())
        .expect("complete response parses")
        .decode()
        .expect("decodes");
    assert_eq!(complete.status, "Completed");
    for (version, document) in [
        (SoapVersion::V11, RESPONSE_11),
        (SoapVersion::V11, FAULT_11),
        (SoapVersion::V12, FAULT_12),
    ] {
        let complete = parse_response(version, document.as_bytes());
        assert!(
            matches!(complete, Ok(_) | Err(SoapError::Fault(_))),
            "{complete:?}"
        );
        let end = document.trim_end().len();
        for cut in 0..end {
            let result = parse_response(version, &document.as_bytes()[..cut]);
            assert!(
                matches!(
                    result,
                    Err(SoapError::NotXml { .. }
                        | SoapError::Malformed { .. }
                        | SoapError::MissingBody)
                ),
                "prefix of {cut} bytes: {result:?}"
            );
            let _ = exercise(&document.as_bytes()[..cut]);
        }
    }
}

#[test]
fn mutated_responses_never_panic() {
    let mut rng = XorShift(0x5eed_cafe_f00d_d00d);
    let alphabet = b"<>/:=\"' &;#![]?-xmlnsEnvelopeBodyFault\xef\xbb\xbf\xff\x00\n";
    let mut outcomes = [0_usize; 2];
    for document in [RESPONSE_11, FAULT_11, FAULT_12] {
        for _ in 0..3000 {
            let mut bytes = document.as_bytes().to_vec();
            for _ in 0..=rng.below(4) {
                let at = rng.below(bytes.len() + 1);
                let byte = alphabet[rng.below(alphabet.len())];
                match rng.below(3) {
                    0 => bytes.insert(at, byte),
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ if at < bytes.len() => bytes[at] = byte,
                    _ => bytes.push(byte),
                }
            }
            outcomes[usize::from(exercise(&bytes).is_ok())] += 1;
        }
    }
    // Both outcomes occur, so the mutations neither always break nor never touch the XML.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = XorShift(0x1234_5678_9abc_def1);
    let alphabet = b"<>/:=\"' &;#![]?-abxmlnsEnvelopeBody";
    for round in 0..5000 {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                if round % 2 == 0 {
                    alphabet[rng.below(alphabet.len())]
                } else {
                    rng.next().to_le_bytes()[0]
                }
            })
            .collect();
        let _ = exercise(&bytes);
    }
}

#[test]
fn deep_nesting_is_handled_without_recursion() {
    let depth = 50_000;
    let mut subcodes = String::new();
    for _ in 0..depth {
        subcodes.push_str("<e:Subcode><e:Value>e:X</e:Value>");
    }
    for _ in 0..depth {
        subcodes.push_str("</e:Subcode>");
    }
    let fault = format!(
        r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault><e:Code><e:Value>e:Receiver</e:Value>{subcodes}</e:Code></e:Fault></e:Body></e:Envelope>"#
    );
    match parse_response(SoapVersion::V12, fault.as_bytes()) {
        Err(SoapError::Fault(fault)) => assert_eq!(fault.subcodes.len(), depth),
        other => panic!("expected a fault, got {:?}", other.map(drop)),
    }

    let nested = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>{}{}</s:Body></s:Envelope>"#,
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    let _ = parse_response(SoapVersion::V11, nested.as_bytes());
}
