//! The status tables of a WSDL: a `js:status` extensibility element in a port type's
//! operation (WSDL 1.1 lets any element of another namespace stand there).
//!
//! ```xml
//! <wsdl:operation name="GetStatus">
//!   <js:status xmlns:js="urn:jobstatus:x-jobstatus" state="GetStatusResult/Status">
//!     <js:phase name="pending" values="Queued" />
//!     <js:phase name="running" values="ProcessingInput WaitingForOutput" />
//!     ...
//!   </js:status>
//!   ...
//! ```
//!
//! `state` is the path of element names below the operation's output element; it must end
//! at an element whose type is a named `xs:simpleType` enumeration of the embedded schema.

use roxmltree::{Document, Node};

use super::{Declared, StatusTable, WSDL_NAMESPACE, check, merge};
use crate::problem::Problem;

const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
const XSD: &str = "http://www.w3.org/2001/XMLSchema";

/// Every table of the WSDL `text`, checked; one per state enum.
pub fn tables(text: &str) -> Result<Vec<StatusTable>, Vec<Problem>> {
    let document = Document::parse(text).map_err(|e| {
        vec![Problem::new(
            "",
            format!("not well-formed XML: {e}"),
            "fix the XML at the position given",
        )]
    })?;
    let read = document
        .descendants()
        .filter(|node| is(node, WSDL_NAMESPACE, "status"))
        .map(|status| {
            let location = place(&document, status);
            table(&document, status, &location).map(|table| (location, table))
        });
    merge(read)
}

fn table(
    document: &Document<'_>,
    status: Node<'_, '_>,
    location: &str,
) -> Result<StatusTable, Vec<Problem>> {
    let problem = |message: String, fix: &str| vec![Problem::new(location, message, fix)];
    let operation = status
        .parent_element()
        .filter(|parent| is(parent, WSDL, "operation"))
        .filter(|operation| {
            operation
                .parent_element()
                .is_some_and(|port_type| is(&port_type, WSDL, "portType"))
        })
        .ok_or_else(|| {
            problem(
                "js:status stands outside a port type's wsdl:operation".to_owned(),
                "move it into the wsdl:operation of the wsdl:portType that reads the state",
            )
        })?;
    let name = operation.attribute("name").unwrap_or_default();
    let Some(state) = status.attribute("state") else {
        return Err(problem(
            "js:status has no `state` path".to_owned(),
            "write state=\"<element>/<element>\": the path below the output element",
        ));
    };
    let mut declared: Declared = Vec::new();
    for child in status.children().filter(Node::is_element) {
        match (is(&child, WSDL_NAMESPACE, "phase"), child.attribute("name")) {
            (true, Some(phase)) => declared.push((
                phase.to_owned(),
                child
                    .attribute("values")
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
            )),
            _ => {
                return Err(vec![Problem::new(
                    place(document, child),
                    format!(
                        "`{}` is not a js:phase with a name",
                        child.tag_name().name()
                    ),
                    "write <js:phase name=\"<phase>\" values=\"<value> ...\" />",
                )]);
            }
        }
    }
    let (type_name, values) = follow(document, operation, state).map_err(|message| {
        problem(
            format!("state `{state}`: {message}"),
            "point `state` at an element whose type is a named xs:simpleType enumeration",
        )
    })?;
    let phases = check(location, &type_name, &values, &declared)?;
    Ok(StatusTable {
        operation: name.to_owned(),
        state: state.to_owned(),
        type_name,
        phases,
    })
}

/// Follows `state` from the output element of `operation` to a named enumeration.
fn follow(
    document: &Document<'_>,
    operation: Node<'_, '_>,
    state: &str,
) -> Result<(String, Vec<String>), String> {
    let output = operation
        .children()
        .find(|child| is(child, WSDL, "output"))
        .and_then(|output| output.attribute("message"))
        .ok_or("the operation has no output message")?;
    let message = named(document, WSDL, "message", local(output))
        .ok_or_else(|| format!("no wsdl:message {output}"))?;
    let element = message
        .children()
        .filter(|child| is(child, WSDL, "part"))
        .find_map(|part| part.attribute("element"))
        .ok_or("the output message has no part with an element")?;
    let mut node = named(document, XSD, "element", local(element))
        .ok_or_else(|| format!("no global element {element} in the embedded schema"))?;
    for step in state.split('/') {
        let content = content_of(document, node)?;
        node = children_elements(content)
            .into_iter()
            .find(|child| child.attribute("name") == Some(step))
            .ok_or_else(|| {
                format!(
                    "no element `{step}` below {}",
                    node.attribute("name").unwrap_or_default()
                )
            })?;
    }
    let type_name = node
        .attribute("type")
        .map(local)
        .ok_or("the state element has no named type")?;
    let simple = named(document, XSD, "simpleType", type_name)
        .ok_or_else(|| format!("{type_name} is not a named xs:simpleType"))?;
    let values: Vec<String> = simple
        .descendants()
        .filter(|node| is(node, XSD, "enumeration"))
        .filter_map(|node| node.attribute("value").map(str::to_owned))
        .collect();
    if values.is_empty() {
        return Err(format!("{type_name} is not an enumeration"));
    }
    Ok((type_name.to_owned(), values))
}

/// The complex type holding an element's children: inline, or named by `type`.
fn content_of<'a>(
    document: &'a Document<'a>,
    element: Node<'a, 'a>,
) -> Result<Node<'a, 'a>, String> {
    if let Some(inline) = element
        .children()
        .find(|child| is(child, XSD, "complexType"))
    {
        return Ok(inline);
    }
    let name = element.attribute("name").unwrap_or_default();
    let type_name = element
        .attribute("type")
        .ok_or_else(|| format!("{name} has no type"))?;
    named(document, XSD, "complexType", local(type_name))
        .ok_or_else(|| format!("the type of {name}, {type_name}, is not a named xs:complexType"))
}

/// The `xs:element`s of a complex type's content, not those nested in them.
fn children_elements<'a>(node: Node<'a, 'a>) -> Vec<Node<'a, 'a>> {
    let mut found = Vec::new();
    for child in node.children().filter(Node::is_element) {
        if is(&child, XSD, "element") {
            found.push(child);
        } else {
            found.extend(children_elements(child));
        }
    }
    found
}

fn named<'a>(
    document: &'a Document<'a>,
    namespace: &str,
    tag: &str,
    name: &str,
) -> Option<Node<'a, 'a>> {
    document.descendants().find(|node| {
        is(node, namespace, tag)
            && node.attribute("name") == Some(name)
            && (namespace == WSDL
                || node
                    .parent_element()
                    .is_some_and(|parent| is(&parent, XSD, "schema")))
    })
}

fn is(node: &Node<'_, '_>, namespace: &str, tag: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(namespace)
        && node.tag_name().name() == tag
}

/// The local part of a QName.
fn local(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

/// An element and its line, as problems name places in a WSDL.
fn place(document: &Document<'_>, node: Node<'_, '_>) -> String {
    let line = document.text_pos_at(node.range().start).row;
    match node
        .parent_element()
        .and_then(|parent| parent.attribute("name"))
    {
        Some(operation) => format!(
            "js:{} in wsdl:operation {operation} (line {line})",
            node.tag_name().name()
        ),
        None => format!("js:{} (line {line})", node.tag_name().name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wsdl(status: &str) -> String {
        format!(
            r#"<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:s="http://www.w3.org/2001/XMLSchema"
    xmlns:tns="urn:t" xmlns:js="urn:jobstatus:x-jobstatus" targetNamespace="urn:t">
  <wsdl:types>
    <s:schema targetNamespace="urn:t">
      <s:element name="AskResponse">
        <s:complexType><s:sequence><s:element name="AskResult" type="tns:Result" /></s:sequence></s:complexType>
      </s:element>
      <s:complexType name="Result"><s:sequence><s:element name="State" type="tns:State" /></s:sequence></s:complexType>
      <s:simpleType name="State"><s:restriction base="s:string">
        <s:enumeration value="Queued" /><s:enumeration value="Done" />
      </s:restriction></s:simpleType>
    </s:schema>
  </wsdl:types>
  <wsdl:message name="AskOut"><wsdl:part name="parameters" element="tns:AskResponse" /></wsdl:message>
  <wsdl:portType name="Port">
    <wsdl:operation name="Ask">
      {status}
      <wsdl:output message="tns:AskOut" />
    </wsdl:operation>
  </wsdl:portType>
</wsdl:definitions>"#
        )
    }

    #[test]
    fn a_table_follows_the_path_below_the_output_element() {
        let tables = tables(&wsdl(
            r#"<js:status state="AskResult/State"><js:phase name="pending" values="Queued" /><js:phase name="succeeded" values="Done" /></js:status>"#,
        ))
        .expect("checked");
        assert_eq!(tables[0].type_name, "State");
        assert_eq!(tables[0].operation, "Ask");
        assert_eq!(
            tables[0].phases,
            [
                ("Queued".to_owned(), "pending"),
                ("Done".to_owned(), "succeeded")
            ]
        );
    }

    #[test]
    fn refusals_name_the_element_its_line_and_the_fix() {
        let problems = tables(&wsdl(
            r#"<js:status state="AskResult/Missing"><js:phase name="pending" values="Queued" /></js:status>"#,
        ))
        .expect_err("refused");
        assert_eq!(
            problems[0].location,
            "js:status in wsdl:operation Ask (line 18)"
        );
        assert_eq!(
            problems[0].message,
            "state `AskResult/Missing`: no element `Missing` below AskResult"
        );
        let gap = tables(&wsdl(
            r#"<js:status state="AskResult/State"><js:phase name="pending" values="Queued Later" /></js:status>"#,
        ))
        .expect_err("refused");
        let messages: Vec<_> = gap.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "phase pending lists `Later`, which State does not list",
                "`Done` of State has no phase"
            ]
        );
    }
}
