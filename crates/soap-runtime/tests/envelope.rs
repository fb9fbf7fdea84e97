//! Request envelopes, fragments and request headers.

use soap_runtime::{Envelope, Fragment, SoapError, SoapVersion};
use yaserde::YaSerialize;

const NS: &str = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/";

/// The `ActivityMetadata` SOAP header of Cora SeQuence's RPA service.
#[derive(Debug, Default, YaSerialize)]
#[yaserde(
    rename = "ActivityMetadata",
    prefix = "tns",
    namespaces = { "tns" = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/" }
)]
struct ActivityMetadata {
    #[yaserde(rename = "WorkflowSpaceName", prefix = "tns")]
    workflow_space_name: String,
    #[yaserde(rename = "CallerId", prefix = "tns")]
    caller_id: i32,
    #[yaserde(rename = "MasterWorkflowInstanceId", prefix = "tns")]
    master_workflow_instance_id: i64,
}

fn get_status(version: SoapVersion) -> Envelope {
    let header = ActivityMetadata {
        workflow_space_name: "Claims & <Payments>".to_owned(),
        caller_id: 7,
        master_workflow_instance_id: 4_200_017,
    };
    Envelope::new(
        version,
        Fragment::empty_element("GetStatus", NS).expect("valid name"),
    )
    .with_header(Fragment::from_yaserde(&header).expect("serializes"))
}

#[test]
fn soap11_envelope_with_header_and_empty_body_element() {
    insta::assert_snapshot!("get_status_soap11", get_status(SoapVersion::V11).to_xml());
}

#[test]
fn soap12_envelope_with_header_and_empty_body_element() {
    insta::assert_snapshot!("get_status_soap12", get_status(SoapVersion::V12).to_xml());
}

#[test]
fn envelope_output_is_deterministic_and_well_formed() {
    for version in [SoapVersion::V11, SoapVersion::V12] {
        let xml = get_status(version).to_xml();
        assert_eq!(xml, get_status(version).to_xml());
        // The envelope, read back as a response, yields its body element.
        let body = soap_runtime::parse_response(version, xml.as_bytes()).expect("well-formed");
        assert_eq!(body.local_name(), "GetStatus");
        assert_eq!(body.namespace(), Some(NS));
    }
}

#[test]
fn envelope_without_header_blocks_has_no_header_element() {
    let body = Fragment::from_xml(&format!(r#"<GetStatus xmlns="{NS}"/>"#)).expect("valid");
    let xml = Envelope::new(SoapVersion::V11, body).to_xml();
    assert!(!xml.contains("Header"), "{xml}");
    assert!(xml.contains(&format!(
        "<soap:Body>\n    <GetStatus xmlns=\"{NS}\"/>\n  </soap:Body>"
    )));
}

#[test]
fn fragments_drop_the_xml_declaration_and_reject_everything_but_one_element() {
    let fragment = Fragment::from_xml(
        "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1\"><b/></a>\n<!-- c -->",
    )
    .expect("one element");
    assert_eq!(fragment.as_str(), r#"<a x="1"><b/></a>"#);

    for bad in [
        "",
        "text",
        "<a/><b/>",
        "<a>",
        "<a></b>",
        "<a/>tail",
        "<!DOCTYPE a><a/>",
        "<a><!ENTITY x 'y'></a>",
    ] {
        let error = Fragment::from_xml(bad).expect_err(bad);
        assert!(
            matches!(error, SoapError::InvalidRequest { .. }),
            "{bad}: {error:?}"
        );
    }
    assert!(matches!(
        Fragment::empty_element("Get Status", NS),
        Err(SoapError::InvalidRequest { .. })
    ));
    let quoted = Fragment::empty_element("Op", "urn:a\"b&c").expect("namespace is escaped");
    assert_eq!(quoted.as_str(), r#"<Op xmlns="urn:a&quot;b&amp;c"/>"#);
}

#[test]
fn debug_output_hides_header_content() {
    let secret = Fragment::from_xml(
        r#"<wsse:Security xmlns:wsse="urn:wsse"><wsse:Password>hunter2</wsse:Password></wsse:Security>"#,
    )
    .expect("valid");
    let envelope = Envelope::new(SoapVersion::V11, secret.clone()).with_header(secret);
    let debug = format!("{envelope:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("wsse:Security"), "{debug}");
}

#[test]
fn request_headers_per_version() {
    let action = format!("{NS}GetStatus");
    let v11 = SoapVersion::V11
        .request_headers(&action)
        .expect("valid action");
    assert_eq!(v11.len(), 2);
    assert_eq!(v11["content-type"], "text/xml; charset=utf-8");
    assert_eq!(v11["soapaction"], format!("\"{action}\"").as_str());

    let v12 = SoapVersion::V12
        .request_headers(&action)
        .expect("valid action");
    assert_eq!(v12.len(), 1);
    assert_eq!(
        v12["content-type"],
        format!("application/soap+xml; charset=utf-8; action=\"{action}\"").as_str()
    );

    assert_eq!(
        SoapVersion::V11.request_headers("").expect("empty")["soapaction"],
        "\"\""
    );
    assert_eq!(
        SoapVersion::V12.request_headers("").expect("empty")["content-type"],
        "application/soap+xml; charset=utf-8"
    );
    for bad in ["a\"b", "a\\b", "a\nb"] {
        for version in [SoapVersion::V11, SoapVersion::V12] {
            assert!(matches!(
                version.request_headers(bad),
                Err(SoapError::InvalidRequest { .. })
            ));
        }
    }
}
