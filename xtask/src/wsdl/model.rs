//! A WSDL 1.1 document read into the few things a client needs: messages, port types,
//! bindings (SOAP 1.1, SOAP 1.2, HTTP GET/POST) with their actions and header parts,
//! the service's ports, and the embedded XML schemas as standalone documents.
//!
//! Only document/literal SOAP bindings are generated. A binding or operation of another
//! kind (rpc style, encoded use, another transport) is kept with the reason it is skipped,
//! which the client turns into a note; it never produces a method that speaks another wire
//! format, and it never stops the rest of the file.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use roxmltree::{Document, Node};

pub const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
pub const WSDL_SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
pub const WSDL_SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
pub const WSDL_HTTP: &str = "http://schemas.xmlsoap.org/wsdl/http/";
pub const WSDL_MIME: &str = "http://schemas.xmlsoap.org/wsdl/mime/";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema";

/// A qualified name: namespace and local name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct QName {
    pub namespace: Option<String>,
    pub local: String,
}

impl std::fmt::Display for QName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(namespace) => write!(f, "{{{namespace}}}{}", self.local),
            None => f.write_str(&self.local),
        }
    }
}

/// The parts of a WSDL document the generator uses.
#[derive(Debug)]
pub struct Definitions {
    pub target_namespace: String,
    pub documentation: Option<String>,
    /// Every `xs:schema` under `wsdl:types`, with the namespace declarations in scope
    /// copied onto its root element.
    pub schemas: Vec<String>,
    pub messages: BTreeMap<String, Message>,
    pub port_types: BTreeMap<String, PortType>,
    pub bindings: BTreeMap<String, Binding>,
    pub services: Vec<Service>,
}

#[derive(Debug)]
pub struct Message {
    pub parts: Vec<Part>,
}

/// A message part; document/literal needs `element`, rpc style uses `type`.
#[derive(Debug)]
pub struct Part {
    pub name: String,
    pub element: Option<QName>,
    /// The `type` of an rpc-style part.
    pub type_name: Option<QName>,
}

#[derive(Debug)]
pub struct PortType {
    pub operations: BTreeMap<String, AbstractOperation>,
}

#[derive(Debug)]
pub struct AbstractOperation {
    pub documentation: Option<String>,
    pub input: QName,
    /// `None` for a one-way operation.
    pub output: Option<QName>,
}

/// What a binding speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Soap11,
    Soap12,
    HttpGet,
    HttpPost,
}

#[derive(Debug)]
pub struct Binding {
    pub name: String,
    pub port_type: QName,
    pub protocol: Protocol,
    /// Why no method is generated for the binding, if none is.
    pub skipped: Option<String>,
    /// In the binding's order.
    pub operations: Vec<BindingOperation>,
}

#[derive(Debug)]
pub struct BindingOperation {
    pub name: String,
    /// SOAP: the `soapAction`; HTTP: the `http:operation` location.
    pub action: String,
    /// SOAP: the input header parts, in order.
    pub headers: Vec<HeaderRef>,
    /// Why no method is generated for the operation, if none is.
    pub skipped: Option<String>,
}

/// A `soap:header` of an operation's input: a part of some message.
#[derive(Debug)]
pub struct HeaderRef {
    pub message: QName,
    pub part: String,
}

#[derive(Debug)]
pub struct Service {
    pub name: String,
    pub documentation: Option<String>,
    pub ports: Vec<Port>,
}

#[derive(Debug)]
pub struct Port {
    pub name: String,
    pub binding: QName,
    pub address: Option<String>,
}

impl Definitions {
    /// Reads a WSDL 1.1 document.
    pub fn parse(text: &str) -> Result<Self> {
        let document = Document::parse(text).context("not well-formed XML")?;
        let root = document.root_element();
        if !is(root, WSDL, "definitions") {
            bail!("the root element is not a WSDL 1.1 wsdl:definitions");
        }
        let target_namespace = root
            .attribute("targetNamespace")
            .unwrap_or_default()
            .to_owned();
        let mut definitions = Self {
            target_namespace,
            documentation: documentation(root),
            schemas: Vec::new(),
            messages: BTreeMap::new(),
            port_types: BTreeMap::new(),
            bindings: BTreeMap::new(),
            services: Vec::new(),
        };
        for child in root.children().filter(Node::is_element) {
            if child.tag_name().namespace() != Some(WSDL) {
                continue;
            }
            match child.tag_name().name() {
                "import" => bail!(
                    "wsdl:import of {} at line {}: the generator reads one WSDL file; copy the imported definitions into this file",
                    child.attribute("location").unwrap_or("(no location)"),
                    line(child)
                ),
                "types" => {
                    for schema in child.children().filter(|n| is(*n, XSD, "schema")) {
                        definitions.schemas.push(standalone(text, schema));
                    }
                }
                "message" => {
                    let name = required(child, "name")?;
                    let parts = children(child, WSDL, "part")
                        .map(|part| {
                            Ok(Part {
                                name: required(part, "name")?,
                                element: part
                                    .attribute("element")
                                    .map(|value| resolve(part, value))
                                    .transpose()?,
                                type_name: part
                                    .attribute("type")
                                    .map(|value| resolve(part, value))
                                    .transpose()?,
                            })
                        })
                        .collect::<Result<_>>()?;
                    definitions.messages.insert(name, Message { parts });
                }
                "portType" => {
                    let name = required(child, "name")?;
                    let mut operations = BTreeMap::new();
                    for operation in children(child, WSDL, "operation") {
                        let op_name = required(operation, "name")?;
                        let message = |kind: &str| -> Result<Option<QName>> {
                            children(operation, WSDL, kind)
                                .next()
                                .map(|node| resolve(node, &required(node, "message")?))
                                .transpose()
                        };
                        let input = message("input")?.with_context(|| {
                            format!(
                                "portType {name}, operation {op_name} (line {}): no wsdl:input; notification and solicit-response operations are not generated",
                                line(operation)
                            )
                        })?;
                        let abstract_operation = AbstractOperation {
                            documentation: documentation(operation),
                            input,
                            output: message("output")?,
                        };
                        operations.insert(op_name, abstract_operation);
                    }
                    definitions.port_types.insert(name, PortType { operations });
                }
                "binding" => {
                    let binding = read_binding(child)?;
                    definitions.bindings.insert(binding.name.clone(), binding);
                }
                "service" => {
                    let ports = children(child, WSDL, "port")
                        .map(|port| {
                            let address = port
                                .children()
                                .find(|n| n.tag_name().name() == "address")
                                .and_then(|n| n.attribute("location"))
                                .map(str::to_owned);
                            Ok(Port {
                                name: required(port, "name")?,
                                binding: resolve(port, &required(port, "binding")?)?,
                                address,
                            })
                        })
                        .collect::<Result<_>>()?;
                    definitions.services.push(Service {
                        name: required(child, "name")?,
                        documentation: documentation(child),
                        ports,
                    });
                }
                _ => {}
            }
        }
        Ok(definitions)
    }

    /// The message `name` of the target namespace.
    pub fn message(&self, name: &QName) -> Result<&Message> {
        self.local(name)
            .and_then(|local| self.messages.get(local))
            .with_context(|| format!("message {name} is not defined"))
    }

    /// A part of a message.
    pub fn part(&self, message: &QName, part: &str) -> Result<&Part> {
        self.message(message)?
            .parts
            .iter()
            .find(|p| p.name == part)
            .with_context(|| format!("message {message} has no part {part}"))
    }

    pub fn port_type(&self, name: &QName) -> Result<&PortType> {
        self.local(name)
            .and_then(|local| self.port_types.get(local))
            .with_context(|| format!("portType {name} is not defined"))
    }

    pub fn binding(&self, name: &QName) -> Result<&Binding> {
        self.local(name)
            .and_then(|local| self.bindings.get(local))
            .with_context(|| format!("binding {name} is not defined"))
    }

    /// The local name of a reference to a definition of this document. An unprefixed name
    /// under a default namespace of WSDL itself means the target namespace, as zeep and
    /// node-soap read it.
    fn local<'a>(&self, name: &'a QName) -> Option<&'a str> {
        let namespace = name.namespace.as_deref().unwrap_or_default();
        (namespace == self.target_namespace || namespace == WSDL).then_some(name.local.as_str())
    }

    /// The namespace of the global elements: the one `targetNamespace` every embedded
    /// schema shares (a WSDL may put its schema in a namespace of its own), else the
    /// WSDL's.
    pub fn types_namespace(&self) -> String {
        let namespaces: Vec<String> = self
            .schemas
            .iter()
            .filter_map(|schema| {
                Document::parse(schema)
                    .ok()?
                    .root_element()
                    .attribute("targetNamespace")
                    .map(str::to_owned)
            })
            .collect();
        match namespaces.split_first() {
            Some((first, rest))
                if namespaces.len() == self.schemas.len() && rest.iter().all(|n| n == first) =>
            {
                first.clone()
            }
            _ => self.target_namespace.clone(),
        }
    }
}

fn read_binding(node: Node<'_, '_>) -> Result<Binding> {
    let name = required(node, "name")?;
    let port_type = resolve(node, &required(node, "type")?)?;
    let place = format!("binding {name} (line {})", line(node));
    let mut binding = Binding {
        name,
        port_type,
        protocol: Protocol::Soap11,
        skipped: None,
        operations: Vec::new(),
    };
    let Some(marker) = node.children().find(|n| n.tag_name().name() == "binding") else {
        binding.skipped = Some(format!("{place}: no soap:, soap12: or http:binding"));
        return Ok(binding);
    };
    binding.protocol = match (marker.tag_name().namespace(), marker.attribute("verb")) {
        (Some(WSDL_SOAP11), _) => Protocol::Soap11,
        (Some(WSDL_SOAP12), _) => Protocol::Soap12,
        (Some(WSDL_HTTP), Some("GET")) => Protocol::HttpGet,
        (Some(WSDL_HTTP), Some("POST")) => Protocol::HttpPost,
        (namespace, verb) => {
            binding.skipped = Some(format!(
                "{place}: a {}{} binding, which is not generated",
                namespace.unwrap_or_default(),
                verb.map(|v| format!(" verb {v}")).unwrap_or_default()
            ));
            return Ok(binding);
        }
    };
    let soap_ns = match binding.protocol {
        Protocol::Soap11 => Some(WSDL_SOAP11),
        Protocol::Soap12 => Some(WSDL_SOAP12),
        Protocol::HttpGet | Protocol::HttpPost => None,
    };
    let binding_style = marker.attribute("style").unwrap_or("document");
    if soap_ns.is_some()
        && let Some(transport) = marker
            .attribute("transport")
            .filter(|t| *t != "http://schemas.xmlsoap.org/soap/http")
    {
        binding.skipped = Some(format!(
            "{place}: transport {transport}; only SOAP over HTTP is generated"
        ));
        return Ok(binding);
    }
    for operation in children(node, WSDL, "operation") {
        let op_name = required(operation, "name")?;
        let place = format!(
            "binding {}, operation {op_name} (line {})",
            binding.name,
            line(operation)
        );
        let mut skipped = None;
        let mut skip = |reason: String| {
            skipped.get_or_insert(format!("{place}: {reason}"));
        };
        let (action, headers) = match soap_ns {
            Some(soap_ns) => {
                let soap_operation = children(operation, soap_ns, "operation").next();
                let style = soap_operation
                    .and_then(|n| n.attribute("style"))
                    .unwrap_or(binding_style);
                if style != "document" {
                    skip(format!("style {style}; only document/literal is generated"));
                }
                let action = soap_operation
                    .and_then(|n| n.attribute("soapAction"))
                    .unwrap_or_default()
                    .to_owned();
                let mut headers = Vec::new();
                for kind in ["input", "output"] {
                    let Some(io) = children(operation, WSDL, kind).next() else {
                        continue;
                    };
                    for element in io.children().filter(Node::is_element) {
                        if element.tag_name().namespace() != Some(soap_ns) {
                            skip(format!(
                                "wsdl:{kind} holds {}, which is not generated",
                                element.tag_name().name()
                            ));
                            continue;
                        }
                        if let Some(usage) = element.attribute("use").filter(|u| *u != "literal") {
                            skip(format!("use=\"{usage}\"; only literal is generated"));
                        }
                        match (kind, element.tag_name().name()) {
                            (_, "body") if element.has_attribute("parts") => {
                                skip(
                                    "soap:body parts selects message parts, which is not generated"
                                        .to_owned(),
                                );
                            }
                            (_, "body") => {}
                            ("input", "header") => headers.push(HeaderRef {
                                message: resolve(element, &required(element, "message")?)?,
                                part: required(element, "part")?,
                            }),
                            (_, other) => {
                                skip(format!("soap:{other} in wsdl:{kind} is not generated"));
                            }
                        }
                    }
                }
                (action, headers)
            }
            None => {
                let location = children(operation, WSDL_HTTP, "operation")
                    .next()
                    .and_then(|n| n.attribute("location"))
                    .unwrap_or_default();
                if location.is_empty() {
                    skip("no http:operation location".to_owned());
                }
                let mime_xml = children(operation, WSDL, "output")
                    .next()
                    .is_some_and(|output| children(output, WSDL_MIME, "mimeXml").next().is_some());
                if !mime_xml {
                    skip("the output is not mime:mimeXml".to_owned());
                }
                (location.to_owned(), Vec::new())
            }
        };
        binding.operations.push(BindingOperation {
            name: op_name,
            action,
            headers,
            skipped,
        });
    }
    Ok(binding)
}

/// The line of `node` in its document, for messages.
pub fn line(node: Node<'_, '_>) -> u32 {
    node.document().text_pos_at(node.range().start).row
}

fn is(node: Node<'_, '_>, namespace: &str, local: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(namespace)
        && node.tag_name().name() == local
}

fn children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    namespace: &'a str,
    local: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children().filter(move |n| is(*n, namespace, local))
}

fn required(node: Node<'_, '_>, attribute: &str) -> Result<String> {
    node.attribute(attribute)
        .map(str::to_owned)
        .with_context(|| {
            format!(
                "<{}> at line {} has no {attribute} attribute",
                node.tag_name().name(),
                line(node)
            )
        })
}

/// Resolves a `prefix:local` attribute value in the scope of `node`.
fn resolve(node: Node<'_, '_>, value: &str) -> Result<QName> {
    let (prefix, local) = match value.split_once(':') {
        Some((prefix, local)) => (Some(prefix), local),
        None => (None, value),
    };
    let namespace = node.lookup_namespace_uri(prefix);
    if prefix.is_some() && namespace.is_none() {
        bail!("prefix of {value} is not declared");
    }
    Ok(QName {
        namespace: namespace.map(str::to_owned),
        local: local.to_owned(),
    })
}

/// The `wsdl:documentation` of a node, with each line trimmed and blank lines kept as
/// paragraph breaks.
fn documentation(node: Node<'_, '_>) -> Option<String> {
    let doc = children(node, WSDL, "documentation").next()?;
    let text: String = doc
        .descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let joined = lines.join("\n").trim().to_owned();
    (!joined.is_empty()).then_some(joined)
}

/// The element as its own document: its text with every namespace declaration in scope
/// that it does not declare itself added to its start tag.
fn standalone(text: &str, node: Node<'_, '_>) -> String {
    let range = node.range();
    let element = &text[range.clone()];
    let tag_end = start_tag_end(element);
    let start_tag = &element[..tag_end];
    let declared = |prefix: Option<&str>| match prefix {
        Some(prefix) => start_tag.contains(&format!("xmlns:{prefix}=")),
        None => start_tag.contains("xmlns="),
    };
    let mut declarations = String::new();
    for namespace in node.namespaces() {
        if namespace.name() == Some("xml") || declared(namespace.name()) {
            continue;
        }
        match namespace.name() {
            Some(prefix) => {
                declarations.push_str(&format!(" xmlns:{prefix}=\"{}\"", namespace.uri()))
            }
            None => declarations.push_str(&format!(" xmlns=\"{}\"", namespace.uri())),
        }
    }
    // Insert after the element's name.
    let name_end = element[1..]
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .map_or(element.len(), |i| i + 1);
    format!(
        "{}{declarations}{}",
        &element[..name_end],
        &element[name_end..]
    )
}

/// Where the start tag of `element` ends: the first `>` outside quotes.
fn start_tag_end(element: &str) -> usize {
    let mut quote = None;
    for (i, c) in element.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    element.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_carry_the_namespaces_in_scope() {
        let text = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t">
  <wsdl:types><s:schema xmlns:tns="urn:t" targetNamespace="urn:t"><s:element name="a" type="tns:b"/></s:schema></wsdl:types>
</wsdl:definitions>"#;
        let definitions = Definitions::parse(text).expect("parses");
        assert_eq!(
            definitions.schemas,
            [
                r#"<s:schema xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t"><s:element name="a" type="tns:b"/></s:schema>"#
            ]
        );
    }

    #[test]
    fn rpc_style_operations_are_skipped_with_their_place() {
        let text = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:t" targetNamespace="urn:t">
  <wsdl:binding name="b" type="tns:p"><soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Ask"><soap:operation soapAction="a"/><wsdl:input><soap:body use="literal"/></wsdl:input></wsdl:operation>
    <wsdl:operation name="Tell"><soap:operation soapAction="t" style="document"/><wsdl:input><soap:body use="encoded"/></wsdl:input></wsdl:operation>
  </wsdl:binding>
</wsdl:definitions>"#;
        let definitions = Definitions::parse(text).expect("parses");
        let binding = &definitions.bindings["b"];
        let skipped: Vec<_> = binding
            .operations
            .iter()
            .map(|op| op.skipped.clone().unwrap_or_default())
            .collect();
        assert_eq!(
            skipped,
            [
                "binding b, operation Ask (line 3): style rpc; only document/literal is generated",
                "binding b, operation Tell (line 4): use=\"encoded\"; only literal is generated",
            ]
        );
    }

    #[test]
    fn a_wsdl_import_is_named_with_its_location_and_line() {
        let text = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t">
  <wsdl:import namespace="urn:u" location="other.wsdl"/>
</wsdl:definitions>"#;
        let error = Definitions::parse(text).expect_err("import");
        assert!(
            format!("{error:#}").contains("wsdl:import of other.wsdl at line 2"),
            "{error:#}"
        );
    }
}
