//! Reading response envelopes: prefixes, namespaces, BOM, xsi:nil, faults, bad input.

use soap_runtime::{FaultCode, SoapError, SoapFault, SoapVersion, decode, parse_response};
use yaserde::YaDeserialize;

const NS: &str = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/";
const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";

#[derive(Debug, Default, PartialEq, YaDeserialize)]
#[yaserde(
    rename = "GetStatusResponse",
    prefix = "tns",
    namespaces = { "tns" = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/" }
)]
struct GetStatusResponse {
    #[yaserde(rename = "GetStatusResult", prefix = "tns")]
    result: GetStatusResult,
}

#[derive(Debug, Default, PartialEq, YaDeserialize)]
#[yaserde(
    prefix = "tns",
    namespaces = { "tns" = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/" }
)]
struct GetStatusResult {
    #[yaserde(rename = "Status", prefix = "tns")]
    status: String,
    #[yaserde(rename = "ErrorCode", prefix = "tns")]
    error_code: String,
    #[yaserde(rename = "ExternalContext", prefix = "tns")]
    external_context: Option<String>,
}

fn completed(external_context: Option<&str>) -> GetStatusResponse {
    GetStatusResponse {
        result: GetStatusResult {
            status: "Completed".to_owned(),
            error_code: "NoError".to_owned(),
            external_context: external_context.map(str::to_owned),
        },
    }
}

/// A 1.1 GetStatus response with the envelope namespace bound to `prefix`
/// (empty for a default namespace declaration).
fn response_with_prefix(prefix: &str) -> String {
    let (decl, p) = if prefix.is_empty() {
        ("xmlns".to_owned(), String::new())
    } else {
        (format!("xmlns:{prefix}"), format!("{prefix}:"))
    };
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<{p}Envelope {decl}="{SOAP11}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <{p}Body>
    <GetStatusResponse xmlns="{NS}">
      <GetStatusResult>
        <Status>Completed</Status>
        <ErrorCode>NoError</ErrorCode>
        <ExternalContext>batch 7 &amp; more</ExternalContext>
      </GetStatusResult>
    </GetStatusResponse>
  </{p}Body>
</{p}Envelope>"#
    )
}

fn fault(result: Result<soap_runtime::ResponseBody, SoapError>) -> SoapFault {
    match result {
        Err(SoapError::Fault(fault)) => *fault,
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[test]
fn decodes_whatever_prefix_the_envelope_uses() {
    for prefix in ["soap", "s", "env", "SOAP-ENV", ""] {
        let xml = response_with_prefix(prefix);
        let body = parse_response(SoapVersion::V11, xml.as_bytes())
            .unwrap_or_else(|error| panic!("prefix {prefix:?}: {error}"));
        assert_eq!(body.version(), SoapVersion::V11);
        assert_eq!(body.local_name(), "GetStatusResponse");
        assert_eq!(body.namespace(), Some(NS));
        assert!(
            body.as_xml().starts_with("<GetStatusResponse xmlns="),
            "{}",
            body.as_xml()
        );
        let decoded: GetStatusResponse = body.decode().expect("decodes");
        assert_eq!(
            decoded,
            completed(Some("batch 7 & more")),
            "prefix {prefix:?}"
        );
    }
}

#[test]
fn body_element_gets_the_namespaces_declared_above_it() {
    let xml = format!(
        r#"<env:Envelope xmlns:env="{SOAP12}" xmlns:r="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <env:Header><r:Ignored>1</r:Ignored></env:Header>
  <env:Body xmlns:extra="urn:extra">
    <r:GetStatusResponse><r:GetStatusResult><r:Status>Completed</r:Status><r:ErrorCode>NoError</r:ErrorCode><r:ExternalContext xsi:nil="true"/></r:GetStatusResult></r:GetStatusResponse>
  </env:Body>
</env:Envelope>"#
    );
    let body = parse_response(SoapVersion::V12, xml.as_bytes()).expect("parses");
    let standalone = body.as_xml();
    for declaration in [
        format!(r#"xmlns:env="{SOAP12}""#),
        format!(r#"xmlns:r="{NS}""#),
        r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#.to_owned(),
        r#"xmlns:extra="urn:extra""#.to_owned(),
    ] {
        assert!(
            standalone.contains(&declaration),
            "{declaration} missing in {standalone}"
        );
    }
    assert!(standalone.starts_with("<r:GetStatusResponse "));
    assert!(standalone.ends_with("</r:GetStatusResponse>"));
    let decoded: GetStatusResponse = body.decode().expect("xsi:nil is tolerated");
    assert_eq!(decoded.result.status, "Completed");
    assert!(matches!(
        decoded.result.external_context.as_deref(),
        None | Some("")
    ));
}

#[test]
fn xsi_nil_on_a_default_namespace_body_decodes() {
    let xml = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP11}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body><GetStatusResponse xmlns="{NS}"><GetStatusResult><Status>Completed</Status><ErrorCode>NoError</ErrorCode><ExternalContext xsi:nil="true" /></GetStatusResult></GetStatusResponse></soap:Body></soap:Envelope>"#
    );
    let decoded: GetStatusResponse = parse_response(SoapVersion::V11, xml.as_bytes())
        .expect("parses")
        .decode()
        .expect("decodes");
    assert_eq!(decoded.result.error_code, "NoError");
    assert!(matches!(
        decoded.result.external_context.as_deref(),
        None | Some("")
    ));
}

#[test]
fn utf8_byte_order_mark_is_accepted() {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(response_with_prefix("soap").as_bytes());
    let decoded: GetStatusResponse = parse_response(SoapVersion::V11, &bytes)
        .expect("parses")
        .decode()
        .expect("decodes");
    assert_eq!(decoded, completed(Some("batch 7 & more")));
}

#[test]
fn empty_body_element_is_returned() {
    let xml = format!(
        r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body><Ack xmlns="{NS}"/></s:Body></s:Envelope>"#
    );
    let body = parse_response(SoapVersion::V11, xml.as_bytes()).expect("parses");
    assert_eq!(
        body.as_xml(),
        format!(r#"<Ack xmlns="{NS}" xmlns:s="{SOAP11}"/>"#)
    );
}

#[test]
fn soap11_fault_with_detail() {
    let xml = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="{SOAP11}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <soap:Body>
    <soap:Fault>
      <faultcode>soap:Server</faultcode>
      <faultstring>Server was unable to process request. ---&gt; Workflow 42 not found</faultstring>
      <faultactor>http://sequence.example/ws</faultactor>
      <detail><e:Error xmlns:e="urn:errors"><e:Code>17</e:Code></e:Error></detail>
    </soap:Fault>
  </soap:Body>
</soap:Envelope>"#
    );
    let fault = fault(parse_response(SoapVersion::V11, xml.as_bytes()));
    assert_eq!(
        fault,
        SoapFault {
            version: SoapVersion::V11,
            code: FaultCode {
                qname: "soap:Server".to_owned(),
                namespace: Some(SOAP11.to_owned()),
            },
            subcodes: Vec::new(),
            reason: "Server was unable to process request. ---> Workflow 42 not found".to_owned(),
            node: Some("http://sequence.example/ws".to_owned()),
            role: None,
            detail: Some(format!(
                r#"<detail xmlns:soap="{SOAP11}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><e:Error xmlns:e="urn:errors"><e:Code>17</e:Code></e:Error></detail>"#
            )),
        }
    );
    assert_eq!(fault.code.local_name(), "Server");
    assert_eq!(
        SoapError::Fault(Box::new(fault)).to_string(),
        "SOAP 1.1 fault soap:Server: Server was unable to process request. ---> Workflow 42 not found"
    );
}

#[test]
fn soap11_fault_without_detail_and_with_unbound_code() {
    let xml = format!(
        r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP11}"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>x:Client</faultcode><faultstring><![CDATA[bad <input>]]></faultstring><detail xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
    );
    let fault = fault(parse_response(SoapVersion::V11, xml.as_bytes()));
    assert_eq!(fault.code.qname, "x:Client");
    assert_eq!(fault.code.namespace, None);
    assert_eq!(fault.code.local_name(), "Client");
    assert_eq!(fault.reason, "bad <input>");
    assert_eq!(fault.node, None);
    assert_eq!(fault.detail, None);
}

#[test]
fn soap12_fault_with_nested_subcodes_reason_languages_and_detail() {
    let xml = format!(
        r#"<env:Envelope xmlns:env="{SOAP12}" xmlns:m="urn:cora:faults">
 <env:Body>
  <env:Fault>
   <env:Code>
     <env:Value>env:Sender</env:Value>
     <env:Subcode>
       <env:Value>m:MessageTimeout</env:Value>
       <env:Subcode><env:Value xmlns:q="urn:cora:robots">q:RobotBusy</env:Value></env:Subcode>
     </env:Subcode>
   </env:Code>
   <env:Reason>
     <env:Text xml:lang="de">Zeitüberschreitung</env:Text>
     <env:Text xml:lang="en-US">Sender Timeout</env:Text>
   </env:Reason>
   <env:Node>http://sequence.example/node</env:Node>
   <env:Role>http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver</env:Role>
   <env:Detail><m:MaxTime>P5M</m:MaxTime></env:Detail>
  </env:Fault>
 </env:Body>
</env:Envelope>"#
    );
    let fault = fault(parse_response(SoapVersion::V12, xml.as_bytes()));
    assert_eq!(fault.version, SoapVersion::V12);
    assert_eq!(
        fault.code,
        FaultCode {
            qname: "env:Sender".to_owned(),
            namespace: Some(SOAP12.to_owned()),
        }
    );
    assert_eq!(
        fault.subcodes,
        vec![
            FaultCode {
                qname: "m:MessageTimeout".to_owned(),
                namespace: Some("urn:cora:faults".to_owned()),
            },
            FaultCode {
                qname: "q:RobotBusy".to_owned(),
                namespace: Some("urn:cora:robots".to_owned()),
            },
        ]
    );
    assert_eq!(fault.reason, "Sender Timeout");
    assert_eq!(fault.node.as_deref(), Some("http://sequence.example/node"));
    assert_eq!(
        fault.role.as_deref(),
        Some("http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver")
    );
    let detail = fault.detail.as_deref().expect("detail");
    assert!(detail.starts_with("<env:Detail "), "{detail}");
    assert!(detail.contains(r#"xmlns:m="urn:cora:faults""#), "{detail}");
    assert!(
        detail.ends_with("<m:MaxTime>P5M</m:MaxTime></env:Detail>"),
        "{detail}"
    );
    assert_eq!(
        SoapError::Fault(Box::new(fault)).to_string(),
        "SOAP 1.2 fault env:Sender / m:MessageTimeout / q:RobotBusy: Sender Timeout"
    );
}

#[test]
fn soap12_fault_without_detail_takes_the_first_reason_without_english() {
    let xml = format!(
        r#"<Envelope xmlns="{SOAP12}"><Body><Fault><Code><Value>Receiver</Value></Code><Reason><Text xml:lang="fr">Erreur</Text><Text xml:lang="de">Fehler</Text></Reason></Fault></Body></Envelope>"#
    );
    let fault = fault(parse_response(SoapVersion::V12, xml.as_bytes()));
    assert_eq!(fault.code.qname, "Receiver");
    assert_eq!(fault.code.namespace.as_deref(), Some(SOAP12));
    assert!(fault.subcodes.is_empty());
    assert_eq!(fault.reason, "Erreur");
    assert_eq!((fault.node, fault.role, fault.detail), (None, None, None));
}

#[test]
fn fault_without_code_is_malformed() {
    let xml = format!(
        r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body><s:Fault><faultstring>oops</faultstring></s:Fault></s:Body></s:Envelope>"#
    );
    let error = parse_response(SoapVersion::V11, xml.as_bytes()).expect_err("no code");
    assert!(
        matches!(&error, SoapError::Malformed { reason, .. } if reason.contains("fault code")),
        "{error:?}"
    );
}

#[test]
fn other_version_envelope_is_a_version_mismatch() {
    let v11 = response_with_prefix("soap");
    match parse_response(SoapVersion::V12, v11.as_bytes()) {
        Err(SoapError::VersionMismatch { expected, found }) => {
            assert_eq!(expected, SoapVersion::V12);
            assert_eq!(found, SOAP11);
        }
        other => panic!("expected a version mismatch, got {other:?}"),
    }
    let v12 = format!(r#"<e:Envelope xmlns:e="{SOAP12}"><e:Body><x/></e:Body></e:Envelope>"#);
    let error = parse_response(SoapVersion::V11, v12.as_bytes()).expect_err("mismatch");
    assert!(matches!(
        error,
        SoapError::VersionMismatch {
            expected: SoapVersion::V11,
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        format!("expected a SOAP 1.1 envelope ({SOAP11}), got one in namespace {SOAP12}")
    );
}

#[test]
fn doctype_and_entity_declarations_are_rejected_before_parsing() {
    let billion_laughs = format!(
        r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><s:Envelope xmlns:s="{SOAP11}"><s:Body><x>&lol2;</x></s:Body></s:Envelope>"#
    );
    let external = format!(
        r#"<!doctype s:Envelope SYSTEM "file:///etc/passwd"><s:Envelope xmlns:s="{SOAP11}"><s:Body><x/></s:Body></s:Envelope>"#
    );
    let inner_entity = format!(
        r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body><x><!ENTITY y "z"></x></s:Body></s:Envelope>"#
    );
    for xml in [billion_laughs, external, inner_entity] {
        let error = parse_response(SoapVersion::V11, xml.as_bytes()).expect_err("DTD");
        assert!(matches!(error, SoapError::ForbiddenDtd), "{error:?}");
    }
}

#[test]
fn undefined_entities_are_not_expanded() {
    let xml = format!(
        r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>&secret;</faultstring></s:Fault></s:Body></s:Envelope>"#
    );
    let error = parse_response(SoapVersion::V11, xml.as_bytes()).expect_err("undefined entity");
    assert!(
        matches!(&error, SoapError::Malformed { reason, .. } if reason.contains("&secret;")),
        "{error:?}"
    );
}

#[test]
fn truncated_documents_are_malformed() {
    let full = response_with_prefix("soap");
    for cut in [
        "</soap:Envelope>",
        "</GetStatusResponse>",
        "<Status>Compl",
        "<soap:Bo",
    ] {
        let end = full.find(cut).expect("marker present") + cut.len() - 3;
        let error =
            parse_response(SoapVersion::V11, &full.as_bytes()[..end]).expect_err("truncated");
        assert!(
            matches!(error, SoapError::Malformed { .. }),
            "cut at {cut}: {error:?}"
        );
    }
}

#[test]
fn non_xml_and_non_soap_bodies_are_typed_errors() {
    let error = parse_response(SoapVersion::V11, br#"{"status":"Completed"}"#).expect_err("JSON");
    assert!(
        matches!(&error, SoapError::NotXml { snippet } if snippet == r#"{"status":"Completed"}"#)
    );
    assert!(matches!(
        parse_response(SoapVersion::V11, b""),
        Err(SoapError::NotXml { .. })
    ));
    let error = parse_response(
        SoapVersion::V11,
        b"<html><body>Service Unavailable</body></html>",
    )
    .expect_err("HTML");
    assert!(
        matches!(&error, SoapError::Malformed { reason, snippet } if reason.contains("<html>") && snippet.starts_with("<html>")),
        "{error:?}"
    );
    let error = parse_response(SoapVersion::V11, b"<a>\xff\xfe</a>").expect_err("not UTF-8");
    assert!(matches!(&error, SoapError::Malformed { reason, .. } if reason.contains("UTF-8")));
    let trailing =
        format!(r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body><x/></s:Body></s:Envelope><more/>"#);
    assert!(matches!(
        parse_response(SoapVersion::V11, trailing.as_bytes()),
        Err(SoapError::Malformed { .. })
    ));
}

#[test]
fn missing_or_empty_body() {
    for xml in [
        format!(r#"<s:Envelope xmlns:s="{SOAP11}"/>"#),
        format!(r#"<s:Envelope xmlns:s="{SOAP11}"><s:Header/></s:Envelope>"#),
        format!(r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body>  </s:Body></s:Envelope>"#),
        format!(
            r#"<s:Envelope xmlns:s="{SOAP11}"><Body xmlns="urn:not-soap"><x/></Body></s:Envelope>"#
        ),
    ] {
        let error = parse_response(SoapVersion::V11, xml.as_bytes()).expect_err("no body");
        assert!(matches!(error, SoapError::MissingBody), "{xml}: {error:?}");
    }
}

#[test]
fn decode_errors_name_the_type_and_quote_the_xml() {
    #[derive(Debug, Default, YaDeserialize)]
    struct Strict {
        #[yaserde(rename = "Count")]
        count: u32,
    }
    let strict: Strict = decode("<Strict><Count>3</Count></Strict>").expect("decodes");
    assert_eq!(strict.count, 3);
    match decode::<Strict>("<Strict><Count>many</Count></Strict>") {
        Err(SoapError::Decode {
            type_name,
            reason,
            snippet,
        }) => {
            assert!(type_name.ends_with("Strict"), "{type_name}");
            assert!(!reason.is_empty());
            assert_eq!(snippet, "<Strict><Count>many</Count></Strict>");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(matches!(
        decode::<Strict>("<Strict><Count>"),
        Err(SoapError::Decode { .. })
    ));
}

#[test]
fn an_unexpected_body_element_fails_to_decode() {
    let xml = format!(
        r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body><Other xmlns="urn:other"><Status>1</Status></Other></s:Body></s:Envelope>"#
    );
    let body = parse_response(SoapVersion::V11, xml.as_bytes()).expect("parses");
    assert_eq!(
        format!("{body:?}"),
        format!(
            "ResponseBody {{ version: V11, local_name: \"Other\", namespace: Some(\"urn:other\"), bytes: {} }}",
            body.as_xml().len()
        )
    );
    match body.decode::<GetStatusResponse>() {
        Err(SoapError::Decode {
            type_name, reason, ..
        }) => {
            assert!(type_name.ends_with("GetStatusResponse"), "{type_name}");
            assert!(reason.contains("urn:other"), "{reason}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
