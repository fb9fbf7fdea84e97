//! Responses decode whatever prefixes, nils and byte order marks the server writes: the
//! documented samples, the shapes .NET, node-soap and zeep write, and faults of both SOAP
//! versions.

use cora_sequence_rpa::types::{
    ActivityMetadata, ErrorCode, FileBatch, FileBatchResponse, GetStatusResponse, Status,
    StatusResult,
};
use cora_sequence_rpa::{SoapError, SoapVersion};
use soap_runtime::{decode, parse_response};

const NS: &str = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/";
const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn get_status(version: SoapVersion, envelope: &str) -> Result<GetStatusResponse, SoapError> {
    parse_response(version, envelope.as_bytes())?.decode()
}

fn result(status: Status, error_code: ErrorCode, context: Option<&str>) -> StatusResult {
    StatusResult {
        status: status.into(),
        error_code: error_code.into(),
        external_context: context.map(str::to_owned),
    }
}

/// The response samples of the vendor's GetStatus page (SOAP 1.1, SOAP 1.2, HTTP GET/POST):
/// the page keeps only their text, so the fixtures put it back into the markup ASMX help
/// pages print, placeholders included. Every value list is one unlisted value, kept as
/// written.
#[test]
fn the_documented_samples_decode() {
    let samples = [
        (SoapVersion::V11, "get-status-response-soap11.xml"),
        (SoapVersion::V12, "get-status-response-soap12.xml"),
    ];
    for (version, name) in samples {
        let body = fixture(name);
        let answer: GetStatusResponse = parse_response(version, &body)
            .and_then(|body| body.decode())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let result = answer.get_status_result.expect("a result");
        assert!(!result.status.is_known(), "{name}");
        assert!(
            result
                .status
                .as_str()
                .starts_with("Queued or ProcessingInput")
        );
        assert!(result.error_code.as_str().ends_with("or InternalError"));
        assert_eq!(result.external_context.as_deref(), Some("string"));
    }
    let bare = String::from_utf8(fixture("get-status-response-http.xml")).expect("UTF-8");
    let result: StatusResult = decode(&bare).expect("the HTTP GET/POST sample");
    assert_eq!(result.external_context.as_deref(), Some("string"));
}

#[test]
fn any_prefix_of_the_envelope_and_the_payload() {
    let expected = result(Status::Completed, ErrorCode::NoError, Some("ctx"));
    let envelopes = [
        // .NET: soap: and the payload in its default namespace.
        format!(
            r#"<soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><GetStatusResponse xmlns="{NS}"><GetStatusResult><Status>Completed</Status><ErrorCode>NoError</ErrorCode><ExternalContext>ctx</ExternalContext></GetStatusResult></GetStatusResponse></soap:Body></soap:Envelope>"#
        ),
        // WCF: s: with the payload prefixed.
        format!(
            r#"<s:Envelope xmlns:s="{SOAP11}" xmlns:a="{NS}"><s:Header/><s:Body><a:GetStatusResponse><a:GetStatusResult><a:Status>Completed</a:Status><a:ErrorCode>NoError</a:ErrorCode><a:ExternalContext>ctx</a:ExternalContext></a:GetStatusResult></a:GetStatusResponse></s:Body></s:Envelope>"#
        ),
        // Java stacks: env: and a prefix declared on the payload.
        format!(
            r#"<env:Envelope xmlns:env="{SOAP11}"><env:Body><ns2:GetStatusResponse xmlns:ns2="{NS}"><ns2:GetStatusResult><ns2:Status>Completed</ns2:Status><ns2:ErrorCode>NoError</ns2:ErrorCode><ns2:ExternalContext>ctx</ns2:ExternalContext></ns2:GetStatusResult></ns2:GetStatusResponse></env:Body></env:Envelope>"#
        ),
        // The envelope itself in a default namespace, the payload in another.
        format!(
            r#"<Envelope xmlns="{SOAP11}"><Body><GetStatusResponse xmlns="{NS}"><GetStatusResult><Status>Completed</Status><ErrorCode>NoError</ErrorCode><ExternalContext>ctx</ExternalContext></GetStatusResult></GetStatusResponse></Body></Envelope>"#
        ),
        // Whitespace, comments and a mix of prefixes for the same namespace.
        format!(
            "<?xml version=\"1.0\"?>\n<!-- answer -->\n<soap:Envelope xmlns:soap=\"{SOAP11}\" xmlns:tns=\"{NS}\">\n  <soap:Body>\n    <tns:GetStatusResponse>\n      <GetStatusResult xmlns=\"{NS}\">\n        <Status>Completed</Status>\n        <tns:ErrorCode>NoError</tns:ErrorCode>\n        <ExternalContext>ctx</ExternalContext>\n      </GetStatusResult>\n    </tns:GetStatusResponse>\n  </soap:Body>\n</soap:Envelope>\n"
        ),
    ];
    for envelope in &envelopes {
        let answer =
            get_status(SoapVersion::V11, envelope).unwrap_or_else(|e| panic!("{e}\n{envelope}"));
        assert_eq!(
            answer.get_status_result.as_ref(),
            Some(&expected),
            "{envelope}"
        );
    }
    let soap12 = format!(
        r#"<env:Envelope xmlns:env="{SOAP12}"><env:Body><GetStatusResponse xmlns="{NS}"><GetStatusResult><Status>Completed</Status><ErrorCode>NoError</ErrorCode><ExternalContext>ctx</ExternalContext></GetStatusResult></GetStatusResponse></env:Body></env:Envelope>"#
    );
    let answer = get_status(SoapVersion::V12, &soap12).expect("SOAP 1.2");
    assert_eq!(answer.get_status_result, Some(expected));
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let envelope = format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"{SOAP11}\"><soap:Body><FileBatchResponse xmlns=\"{NS}\"><MasterWorkflowInstanceId>90017</MasterWorkflowInstanceId></FileBatchResponse></soap:Body></soap:Envelope>"
    );
    let answer: FileBatchResponse = parse_response(SoapVersion::V11, envelope.as_bytes())
        .and_then(|body| body.decode())
        .expect("decodes");
    assert_eq!(answer.master_workflow_instance_id, 90017);
    let bare = format!(
        "\u{feff}<StatusResult xmlns=\"{NS}\"><Status>Queued</Status><ErrorCode>NoError</ErrorCode></StatusResult>"
    );
    let bare = bare.trim_start_matches('\u{feff}');
    let result: StatusResult = decode(bare).expect("decodes");
    assert_eq!(
        result,
        self::result(Status::Queued, ErrorCode::NoError, None)
    );
}

#[test]
fn nil_and_missing_optional_elements_are_none() {
    let nil_context = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP11}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body><GetStatusResponse xmlns="{NS}"><GetStatusResult><Status>Failed</Status><ErrorCode>TimedOut</ErrorCode><ExternalContext xsi:nil="true"/></GetStatusResult></GetStatusResponse></soap:Body></soap:Envelope>"#
    );
    let answer = get_status(SoapVersion::V11, &nil_context).expect("decodes");
    assert_eq!(
        answer.get_status_result,
        Some(result(Status::Failed, ErrorCode::TimedOut, None))
    );

    let nil_result = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><GetStatusResponse xmlns="{NS}"><GetStatusResult xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="true"></GetStatusResult></GetStatusResponse></soap:Body></soap:Envelope>"#
    );
    assert_eq!(
        get_status(SoapVersion::V11, &nil_result)
            .expect("decodes")
            .get_status_result,
        None
    );

    let empty = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><GetStatusResponse xmlns="{NS}"/></soap:Body></soap:Envelope>"#
    );
    assert_eq!(
        get_status(SoapVersion::V11, &empty)
            .expect("decodes")
            .get_status_result,
        None
    );
}

#[test]
fn unlisted_values_and_unknown_elements_are_kept_or_skipped() {
    let envelope = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><GetStatusResponse xmlns="{NS}"><GetStatusResult><Status>Paused</Status><Progress>40</Progress><ErrorCode>QuotaExceeded</ErrorCode></GetStatusResult><ServerTime>2024-01-01T00:00:00Z</ServerTime></GetStatusResponse></soap:Body></soap:Envelope>"#
    );
    let answer = get_status(SoapVersion::V11, &envelope).expect("decodes");
    let result = answer.get_status_result.expect("a result");
    assert_eq!(result.status, Status::Unlisted("Paused".to_owned()));
    assert_eq!(
        result.error_code,
        ErrorCode::Unlisted("QuotaExceeded".to_owned())
    );
    assert_eq!(result.status.to_string(), "Paused");
    for status in Status::KNOWN {
        assert_eq!(
            &status.as_str().parse::<Status>().expect("infallible"),
            status
        );
    }
}

#[test]
fn a_missing_required_element_or_a_bad_number_is_a_decode_error() {
    let missing = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><GetStatusResponse xmlns="{NS}"><GetStatusResult><ErrorCode>NoError</ErrorCode></GetStatusResult></GetStatusResponse></soap:Body></soap:Envelope>"#
    );
    let error = get_status(SoapVersion::V11, &missing).expect_err("no Status");
    assert!(matches!(error, SoapError::Decode { .. }), "{error:?}");

    let not_a_number = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><FileBatchResponse xmlns="{NS}"><MasterWorkflowInstanceId>ninety</MasterWorkflowInstanceId></FileBatchResponse></soap:Body></soap:Envelope>"#
    );
    let error = parse_response(SoapVersion::V11, not_a_number.as_bytes())
        .and_then(|body| body.decode::<FileBatchResponse>())
        .expect_err("not a long");
    assert!(
        error.to_string().contains("MasterWorkflowInstanceId"),
        "{error}"
    );
}

#[test]
fn asmx_faults_of_both_versions() {
    let soap11 = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Server was unable to process request. ---&gt; Workflow 42 not found</faultstring><detail/></soap:Fault></soap:Body></soap:Envelope>"#
    );
    let Err(SoapError::Fault(fault)) = get_status(SoapVersion::V11, &soap11) else {
        panic!("a SOAP 1.1 fault");
    };
    assert_eq!(fault.version, SoapVersion::V11);
    assert_eq!(fault.code.local_name(), "Server");
    assert_eq!(fault.code.namespace.as_deref(), Some(SOAP11));
    assert!(fault.reason.ends_with("Workflow 42 not found"));

    let soap12 = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP12}"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value><soap:Subcode><soap:Value xmlns:c="{NS}">c:MissingHeader</soap:Value></soap:Subcode></soap:Code><soap:Reason><soap:Text xml:lang="de">Kopf fehlt</soap:Text><soap:Text xml:lang="en">ActivityMetadata header missing</soap:Text></soap:Reason><soap:Detail><Info xmlns="{NS}">x</Info></soap:Detail></soap:Fault></soap:Body></soap:Envelope>"#
    );
    let Err(SoapError::Fault(fault)) = get_status(SoapVersion::V12, &soap12) else {
        panic!("a SOAP 1.2 fault");
    };
    assert_eq!(fault.version, SoapVersion::V12);
    assert_eq!(fault.code.local_name(), "Sender");
    assert_eq!(fault.subcodes[0].namespace.as_deref(), Some(NS));
    assert_eq!(fault.reason, "ActivityMetadata header missing");
    assert!(fault.detail.as_deref().is_some_and(|d| d.contains("Info")));
}

#[test]
fn requests_round_trip_through_yaserde() {
    let header = ActivityMetadata {
        workflow_space_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
        workflow_space_name: None,
        workflow_id: "7c9e6679-7425-40de-944b-e07fc1f90ae7".into(),
        workflow_name: Some("<&>".to_owned()),
        workflow_instance_id: i64::MAX,
        activity_id: "16fd2706-8baf-433b-82eb-8c7fada847da".into(),
        activity_name: Some(String::new()),
        activity_instance_id: -1,
        caller_id: i32::MIN,
        master_workflow_instance_id: 0,
    };
    let xml = yaserde::ser::to_string(&header).expect("serializes");
    assert_eq!(decode::<ActivityMetadata>(&xml).expect("decodes"), header);

    let body = FileBatch {
        time_out: 1,
        external_context: None,
        robot_profile: "p".to_owned(),
        input_file: cora_sequence_rpa::types::FileReference {
            connection: "c".to_owned(),
            relative_location: String::new(),
            file_name: "f".to_owned(),
        },
        output_file: cora_sequence_rpa::types::FileReference {
            connection: "c".to_owned(),
            relative_location: "o".to_owned(),
            file_name: "g".to_owned(),
        },
    };
    let xml = yaserde::ser::to_string(&body).expect("serializes");
    assert_eq!(decode::<FileBatch>(&xml).expect("decodes"), body);
}

/// The generated client decodes answers with `decode_message` (quick-xml where it reads the
/// payload as yaserde would); every shape here gives exactly what yaserde's `decode` gives:
/// the same value, or the same error.
#[test]
fn decode_message_gives_what_yaserde_gives() {
    let result = |inner: &str| {
        format!(
            r#"<GetStatusResponse xmlns="{NS}"><GetStatusResult>{inner}</GetStatusResult></GetStatusResponse>"#
        )
    };
    let fields = "<Status>Completed</Status><ErrorCode>NoError</ErrorCode>";
    let payloads = [
        result(fields),
        result(&format!(
            "{fields}<ExternalContext>batch 7</ExternalContext>"
        )),
        result(&format!("{fields}<ExternalContext/>")),
        result(&format!(
            "{fields}<ExternalContext>  padded  </ExternalContext>"
        )),
        result(&format!("{fields}<ExternalContext>   </ExternalContext>")),
        result(&format!(
            "{fields}<ExternalContext>&#32;x&#x20;</ExternalContext>"
        )),
        result(&format!(
            "{fields}<ExternalContext>a\r\nb</ExternalContext>"
        )),
        result(&format!(
            "{fields}<ExternalContext>a &amp; b &#65;</ExternalContext>"
        )),
        result(&format!(
            "{fields}<ExternalContext><![CDATA[<x> & y]]></ExternalContext>"
        )),
        result(&format!(
            "{fields}<ExternalContext>a<!-- c -->b</ExternalContext>"
        )),
        result(&format!(
            "{fields}<ExternalContext>&undefined;</ExternalContext>"
        )),
        result(&format!(
            "{fields}<ExternalContext><b>x</b>y</ExternalContext>"
        )),
        result("<Status><x>1</x>Completed</Status><ErrorCode>NoError</ErrorCode>"),
        result("<Status> Completed</Status><ErrorCode>NoError</ErrorCode>"),
        result("<Status>completed</Status><ErrorCode>no-error</ErrorCode>"),
        result("<ErrorCode>NoError</ErrorCode>"),
        result(r#"<Status kind="x">Completed</Status><ErrorCode>NoError</ErrorCode>"#),
        result(&format!("{fields}<Status>Failed</Status>")),
        result(&format!(
            "{fields}<Progress><Done>1</Done></Progress><Extra>x</Extra>"
        )),
        result(&format!(
            r#"{fields}<o:ExternalContext xmlns:o="urn:other">x</o:ExternalContext>"#
        )),
        result(&format!(
            r#"{fields}<ExternalContext xmlns="">x</ExternalContext>"#
        )),
        result(&format!(
            r#"{fields}<ExternalContext xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="true"/>"#
        )),
        format!(
            "<GetStatusResponse xmlns=\"{NS}\">\n  <GetStatusResult>\n    <Status>Queued</Status>\n    <ErrorCode>NoError</ErrorCode>\n  </GetStatusResult>\n</GetStatusResponse>"
        ),
        format!(r#"<GetStatusResponse xmlns="{NS}"/>"#),
        format!(r#"<GetStatusResponse xmlns="{NS}"><GetStatusResult/></GetStatusResponse>"#),
        format!(
            r#"<GetStatusResponse xmlns="{NS}"><GetStatusResult xmlns="urn:other">{fields}</GetStatusResult></GetStatusResponse>"#
        ),
        format!(
            r#"<GetStatusResponse xmlns="urn:other"><GetStatusResult>{fields}</GetStatusResult></GetStatusResponse>"#
        ),
        format!(
            r#"<GetStatusResponse><GetStatusResult>{fields}</GetStatusResult></GetStatusResponse>"#
        ),
        format!(
            r#"<r:GetStatusResponse xmlns:r="{NS}"><GetStatusResult>{fields}</GetStatusResult></r:GetStatusResponse>"#
        ),
    ];
    let shown = |answer: Result<GetStatusResponse, SoapError>| match answer {
        Ok(value) => format!("{value:?}"),
        Err(error) => format!("error: {error}"),
    };
    for payload in &payloads {
        for (version, soap) in [(SoapVersion::V11, SOAP11), (SoapVersion::V12, SOAP12)] {
            let envelope = format!(
                r#"<s:Envelope xmlns:s="{soap}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><s:Body>{payload}</s:Body></s:Envelope>"#
            );
            let body = parse_response(version, envelope.as_bytes())
                .unwrap_or_else(|e| panic!("{e}\n{envelope}"));
            assert_eq!(
                shown(body.decode_message(cora_sequence_rpa::NAMESPACE)),
                shown(body.decode()),
                "{payload}"
            );
        }
        assert_eq!(
            shown(soap_runtime::decode_message(
                payload,
                cora_sequence_rpa::NAMESPACE
            )),
            shown(decode(payload)),
            "standalone: {payload}"
        );
    }
    let numbers = ["42", " 42 ", "+42", "ninety", "", "99999999999999999999"];
    for number in numbers {
        let payload = format!(
            r#"<FileBatchResponse xmlns="{NS}"><MasterWorkflowInstanceId>{number}</MasterWorkflowInstanceId></FileBatchResponse>"#
        );
        let show = |answer: Result<FileBatchResponse, SoapError>| match answer {
            Ok(value) => format!("{value:?}"),
            Err(error) => format!("error: {error}"),
        };
        assert_eq!(
            show(soap_runtime::decode_message(
                &payload,
                cora_sequence_rpa::NAMESPACE
            )),
            show(decode(&payload)),
            "{payload}"
        );
    }
}
