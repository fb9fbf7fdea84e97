//! The hand-written contender of the SOAP rows: the `GetStatus` envelope written once as
//! text, and the answer read with quick-xml alone into the generated `StatusResult`.

use cora_sequence_rpa::types::StatusResult;
use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use soap_runtime::Sent;

use crate::clients::activity_metadata;

/// The SOAPAction of `GetStatus`.
pub const ACTION: &str = "http://genpact.com/cora/orchestration/rpa/1.0.0/api/GetStatus";

/// The `GetStatus` request of workflow `id` in SOAP 1.1 (`soap12` false) or 1.2, with
/// the same `ActivityMetadata` header the generated client sends.
pub fn request(id: i64, soap12: bool) -> String {
    let m = activity_metadata(id);
    let (prefix, namespace) = if soap12 {
        ("soap12", "http://www.w3.org/2003/05/soap-envelope")
    } else {
        ("soap", "http://schemas.xmlsoap.org/soap/envelope/")
    };
    let optional = |name: &str, value: &Option<String>| {
        value
            .as_ref()
            .map_or(String::new(), |v| format!("<{name}>{v}</{name}>"))
    };
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><{prefix}:Envelope xmlns:{prefix}="{namespace}"><{prefix}:Header><ActivityMetadata xmlns="http://genpact.com/cora/orchestration/rpa/1.0.0/api/"><WorkflowSpaceId>{}</WorkflowSpaceId>{}<WorkflowId>{}</WorkflowId>{}<WorkflowInstanceId>{}</WorkflowInstanceId><ActivityId>{}</ActivityId>{}<ActivityInstanceId>{}</ActivityInstanceId><CallerId>{}</CallerId><MasterWorkflowInstanceId>{}</MasterWorkflowInstanceId></ActivityMetadata></{prefix}:Header><{prefix}:Body><GetStatus xmlns="http://genpact.com/cora/orchestration/rpa/1.0.0/api/"/></{prefix}:Body></{prefix}:Envelope>"#,
        m.workflow_space_id,
        optional("WorkflowSpaceName", &m.workflow_space_name),
        m.workflow_id,
        optional("WorkflowName", &m.workflow_name),
        m.workflow_instance_id,
        m.activity_id,
        optional("ActivityName", &m.activity_name),
        m.activity_instance_id,
        m.caller_id,
        m.master_workflow_instance_id,
    )
}

/// Which field of `GetStatusResult` the reader is in.
#[derive(Clone, Copy)]
enum Field {
    Status,
    ErrorCode,
    ExternalContext,
}

/// Reads a `GetStatusResponse` envelope (either version, any prefixes) into the
/// generated `StatusResult`; a fault or a malformed document is an error.
pub fn decode(answer: &str) -> Result<StatusResult, String> {
    let mut reader = Reader::from_str(answer);
    let mut in_result = false;
    let mut field = None;
    let mut text = String::new();
    let (mut status, mut error_code, mut context) = (None, None, None);
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(start) => match start.local_name().as_ref() {
                "Fault" => return Err("SOAP fault".to_owned()),
                "GetStatusResult" => in_result = true,
                "Status" if in_result => field = Some(Field::Status),
                "ErrorCode" if in_result => field = Some(Field::ErrorCode),
                "ExternalContext" if in_result => field = Some(Field::ExternalContext),
                _ => {}
            },
            Event::Text(t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::CData(t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if field.is_some() => {
                match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => text.push(c),
                    None => text.push_str(
                        resolve_predefined_entity(&r.xml10_content())
                            .ok_or("an undeclared entity")?,
                    ),
                }
            }
            Event::End(_) if field.is_some() => {
                let value = std::mem::take(&mut text);
                match field.take() {
                    Some(Field::Status) => status = Some(Sent::read(&value)),
                    Some(Field::ErrorCode) => error_code = Some(Sent::read(&value)),
                    Some(Field::ExternalContext) => context = Some(value),
                    None => {}
                }
            }
            Event::End(end) if end.local_name().as_ref() == "GetStatusResult" => break,
            Event::DocType(_) => return Err("a DTD".to_owned()),
            Event::Eof => return Err("no GetStatusResult".to_owned()),
            _ => {}
        }
    }
    Ok(StatusResult {
        status: status.ok_or("no Status")?,
        error_code: error_code.ok_or("no ErrorCode")?,
        external_context: context,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bodies::Bodies;

    #[test]
    fn both_versions_decode_as_the_generated_client_reads_them() {
        let bodies = Bodies::new();
        for body in [&bodies.cora11, &bodies.cora12] {
            let result = decode(std::str::from_utf8(body).expect("UTF-8")).expect("decodes");
            assert_eq!(
                *result.status,
                cora_sequence_rpa::types::Status::ProcessingInput
            );
            assert_eq!(
                *result.error_code,
                cora_sequence_rpa::types::ErrorCode::NoError
            );
            assert_eq!(
                result.external_context.as_deref(),
                Some("batch 2026-12-03 #17")
            );
        }
    }

    #[test]
    fn a_fault_is_an_error() {
        let fault = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>"#;
        assert!(decode(fault).is_err());
    }
}
