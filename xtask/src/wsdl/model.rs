//! A WSDL 1.1 document read into the few things a client needs: messages, port types,
//! bindings (SOAP 1.1, SOAP 1.2, HTTP GET/POST) with their actions and header parts,
//! the service's ports, and the embedded XML schemas as standalone documents.
//!
//! Only document/literal SOAP bindings are generated. A binding or operation of another
//! kind (rpc style, encoded use, another transport) is kept with the reason it is skipped,
//! which the client turns into a note; it never produces a method that speaks another wire
//! format, and it never stops the rest of the file.
//!
//! A `wsdl:import` names another WSDL file next to the importing one: it is read too, and
//! its definitions (messages, port types, bindings, services, schemas) join the main
//! file's under their own target namespace; an imported schema file is one more schema. Every problem of every file (an undeclared
//! prefix, a missing attribute, a definition named twice, an import that cannot be read)
//! is recorded with its element and line; the reading goes on past it.

use std::collections::BTreeMap;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use roxmltree::{Document, Node};

use crate::problem::Problem;

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

/// The parts of a WSDL document (and of the WSDL files it imports) the generator uses.
#[derive(Debug, Default)]
pub struct Definitions {
    /// The target namespace of the main file.
    pub target_namespace: String,
    pub documentation: Option<String>,
    /// Every `xs:schema` under `wsdl:types` of every file, with the namespace declarations
    /// in scope copied onto its root element.
    pub schemas: Vec<EmbeddedSchema>,
    pub messages: BTreeMap<QName, Message>,
    pub port_types: BTreeMap<QName, PortType>,
    pub bindings: BTreeMap<QName, Binding>,
    pub services: Vec<Service>,
    /// The text of every file read, by the name problems give it, to find a schema
    /// definition's line.
    pub sources: Vec<(String, String)>,
    /// What the reading left out that a maintainer should know, one line each.
    pub notes: Vec<String>,
}

/// An `xs:schema` of a WSDL file, as a document of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedSchema {
    pub text: String,
    /// The folder of the WSDL file, where its `schemaLocation`s are.
    pub folder: PathBuf,
    /// The file it is in, as problems name it: `other.wsdl: `, empty for the main file.
    pub file: String,
    /// The line of the file the schema starts on, less one.
    pub line_offset: u32,
}

/// Reads one WSDL file, recording each problem with its place; a definition with a problem
/// is left out, the rest is read.
struct Reader<'p> {
    /// `file.wsdl: ` for an imported file; empty for the main one.
    file: String,
    /// The target namespace of the file.
    target: String,
    problems: &'p mut Vec<Problem>,
}

impl Reader<'_> {
    /// `wsdl:binding B (line 12)`, with the file for an imported one.
    fn place(&self, node: Node<'_, '_>) -> String {
        let prefix = match node.tag_name().namespace() {
            Some(WSDL) => "wsdl",
            Some(XSD) => "xs",
            Some(WSDL_SOAP11) => "soap",
            Some(WSDL_SOAP12) => "soap12",
            Some(WSDL_HTTP) => "http",
            Some(WSDL_MIME) => "mime",
            _ => "",
        };
        let name = node
            .attribute("name")
            .map(|name| format!(" {name}"))
            .unwrap_or_default();
        let colon = if prefix.is_empty() { "" } else { ":" };
        format!(
            "{}{prefix}{colon}{}{name} (line {})",
            self.file,
            node.tag_name().name(),
            line(node)
        )
    }

    fn problem(&mut self, node: Node<'_, '_>, message: impl Into<String>, fix: impl Into<String>) {
        let place = self.place(node);
        self.problems.push(Problem::new(place, message, fix));
    }

    fn required(&mut self, node: Node<'_, '_>, attribute: &str) -> Option<String> {
        let value = node.attribute(attribute).map(str::to_owned);
        if value.is_none() {
            self.problem(
                node,
                format!("no {attribute} attribute"),
                format!("give the element its {attribute}"),
            );
        }
        value
    }

    /// Resolves the `prefix:local` value of `attribute`. An unprefixed name under no
    /// default namespace, or under WSDL's own, means the file's target namespace, as zeep
    /// and node-soap read it.
    fn qname(&mut self, node: Node<'_, '_>, attribute: &str) -> Option<QName> {
        let value = self.required(node, attribute)?;
        let (prefix, local) = match value.split_once(':') {
            Some((prefix, local)) => (Some(prefix), local),
            None => (None, value.as_str()),
        };
        let namespace = node.lookup_namespace_uri(prefix);
        if let Some(prefix) = prefix
            && namespace.is_none()
        {
            self.problem(
                node,
                format!("{attribute}=\"{value}\" uses the prefix {prefix}, which is not declared"),
                format!("declare xmlns:{prefix} on the element or on wsdl:definitions"),
            );
            return None;
        }
        let namespace = match namespace {
            None | Some(WSDL) => self.target.clone(),
            Some(namespace) => namespace.to_owned(),
        };
        Some(QName {
            namespace: Some(namespace),
            local: local.to_owned(),
        })
    }

    /// The qualified name of a definition of this file named by its `name`.
    fn defined(&mut self, node: Node<'_, '_>) -> Option<QName> {
        let local = self.required(node, "name")?;
        Some(QName {
            namespace: Some(self.target.clone()),
            local,
        })
    }
}

/// Inserts a definition, or names the one it would replace.
fn define<T>(
    reader: &mut Reader<'_>,
    node: Node<'_, '_>,
    map: &mut BTreeMap<QName, (T, String)>,
    name: QName,
    value: T,
) {
    let place = reader.place(node);
    if let Some((_, first)) = map.get(&name) {
        let message = format!("{name} is defined twice, first at {first}");
        reader.problem(
            node,
            message,
            "give each definition its own name, or delete one",
        );
        return;
    }
    map.insert(name, (value, place));
}

/// The definitions being read, each with its place.
#[derive(Default)]
struct Collected {
    messages: BTreeMap<QName, (Message, String)>,
    port_types: BTreeMap<QName, (PortType, String)>,
    bindings: BTreeMap<QName, (Binding, String)>,
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
    /// `wsdl:binding B (line 12)`, for problems.
    pub place: String,
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
    /// What the method leaves out (output headers it does not read), one note each.
    pub notes: Vec<String>,
    /// `binding B, operation O (line 12)`, for notes.
    pub place: String,
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
    /// `wsdl:service S (line 40)`, for problems.
    pub place: String,
    pub documentation: Option<String>,
    pub ports: Vec<Port>,
}

#[derive(Debug)]
pub struct Port {
    pub name: String,
    /// `wsdl:port P (line 41)`, for problems.
    pub place: String,
    pub binding: QName,
    pub address: Option<String>,
}

impl Definitions {
    /// Reads the WSDL 1.1 document `text` of the file `path`, and the files its
    /// `wsdl:import`s name next to it (none without a path); every problem of every file
    /// is returned.
    pub fn read(text: &str, path: Option<&Path>) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut definitions = Self::default();
        let mut collected = Collected::default();
        let folder = path.map(|path| path.parent().map(Path::to_path_buf).unwrap_or_default());
        // The files to read: (display name, text, folder); the main file has no name.
        let mut queue: Vec<(String, String, Option<PathBuf>)> =
            vec![(String::new(), text.to_owned(), folder)];
        let mut seen: Vec<PathBuf> = path
            .map(|path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf()))
            .into_iter()
            .collect();
        let mut first = true;
        while let Some((file, text, folder)) = queue.pop() {
            let mut reader = Reader {
                file: if file.is_empty() {
                    String::new()
                } else {
                    format!("{file}: ")
                },
                target: String::new(),
                problems: &mut problems,
            };
            let imports = read_file(
                &mut reader,
                &text,
                folder.as_deref(),
                first,
                &mut definitions,
                &mut collected,
            );
            definitions.sources.push((file, text));
            first = false;
            for (place, location) in imports {
                let Some(folder) = &folder else {
                    problems.push(Problem::new(
                        place,
                        format!("wsdl:import of {location}: no folder to read it from"),
                        "generate the spec from its folder",
                    ));
                    continue;
                };
                if location.contains("://") {
                    problems.push(Problem::new(
                        place,
                        format!("wsdl:import of the remote file {location}, which is not fetched"),
                        "download the WSDL file into the spec folder (with its license) and name it by a relative location",
                    ));
                    continue;
                }
                let path = folder.join(&location);
                let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
                if seen.contains(&canonical) {
                    continue;
                }
                match std::fs::read_to_string(&path) {
                    Ok(imported) => {
                        seen.push(canonical);
                        let base = path.parent().map(Path::to_path_buf);
                        queue.insert(0, (location, imported, base));
                    }
                    Err(error) => problems.push(Problem::new(
                        place,
                        format!("wsdl:import of {location}: cannot read {}: {error}", path.display()),
                        "vendor the imported WSDL file into the spec folder next to the importing file, or correct its location",
                    )),
                }
            }
        }
        definitions.messages = collected
            .messages
            .into_iter()
            .map(|(k, (v, _))| (k, v))
            .collect();
        definitions.port_types = collected
            .port_types
            .into_iter()
            .map(|(k, (v, _))| (k, v))
            .collect();
        definitions.bindings = collected
            .bindings
            .into_iter()
            .map(|(k, (v, _))| (k, v))
            .collect();
        if problems.is_empty() {
            Ok(definitions)
        } else {
            Err(problems)
        }
    }

    /// Reads a WSDL 1.1 document on its own.
    #[cfg(test)]
    pub fn parse(text: &str) -> Result<Self, Vec<Problem>> {
        Self::read(text, None)
    }

    /// The message `name`.
    pub fn message(&self, name: &QName) -> Result<&Message> {
        self.messages
            .get(name)
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
        self.port_types
            .get(name)
            .with_context(|| format!("portType {name} is not defined"))
    }

    pub fn binding(&self, name: &QName) -> Result<&Binding> {
        self.bindings
            .get(name)
            .with_context(|| format!("binding {name} is not defined"))
    }

    /// Where the schema definition (`xs:complexType`, `xs:simpleType` or `xs:element`)
    /// `name` is, such as `xs:complexType country (line 62)`; just its name when no file
    /// read has it.
    pub fn locate(&self, name: &str) -> String {
        for (file, text) in &self.sources {
            let Ok(document) = Document::parse(text) else {
                continue;
            };
            let found = document.descendants().find(|node| {
                node.tag_name().namespace() == Some(XSD)
                    && matches!(
                        node.tag_name().name(),
                        "complexType" | "simpleType" | "element"
                    )
                    && node.attribute("name") == Some(name)
                    && node
                        .parent_element()
                        .is_some_and(|parent| is(parent, XSD, "schema"))
            });
            if let Some(node) = found {
                let file = if file.is_empty() {
                    String::new()
                } else {
                    format!("{file}: ")
                };
                return format!(
                    "{file}xs:{} {name} (line {})",
                    node.tag_name().name(),
                    line(node)
                );
            }
        }
        format!("schema type {name}")
    }
}

/// Reads the definitions of one file into `definitions`; returns its `wsdl:import`s (place
/// and location).
fn read_file(
    reader: &mut Reader<'_>,
    text: &str,
    folder: Option<&Path>,
    main: bool,
    definitions: &mut Definitions,
    collected: &mut Collected,
) -> Vec<(String, String)> {
    let mut imports = Vec::new();
    let document = match Document::parse(text) {
        Ok(document) => document,
        Err(error) => {
            reader.problems.push(Problem::new(
                reader.file.trim_end_matches(": ").to_owned(),
                format!("not well-formed XML: {error}"),
                "fix the file's XML",
            ));
            return imports;
        }
    };
    let root = document.root_element();
    if !main && is(root, XSD, "schema") {
        // A `wsdl:import` of a schema file, as some services write it: one more schema.
        definitions.schemas.push(EmbeddedSchema {
            text: standalone(text, root),
            folder: folder.map(Path::to_path_buf).unwrap_or_default(),
            file: reader.file.clone(),
            line_offset: line(root) - 1,
        });
        return imports;
    }
    if !is(root, WSDL, "definitions") {
        reader.problem(
            root,
            "the root element is not a WSDL 1.1 wsdl:definitions",
            "give the generator a WSDL 1.1 file (WSDL 2.0 is not read)",
        );
        return imports;
    }
    reader.target = root
        .attribute("targetNamespace")
        .unwrap_or_default()
        .to_owned();
    if main {
        definitions.target_namespace = reader.target.clone();
        definitions.documentation = documentation(root);
    }
    for child in root.children().filter(Node::is_element) {
        if child.tag_name().namespace() != Some(WSDL) {
            continue;
        }
        match child.tag_name().name() {
            "import" => {
                if let Some(location) = reader.required(child, "location") {
                    imports.push((reader.place(child), location));
                }
            }
            "types" => {
                for schema in child.children().filter(|n| is(*n, XSD, "schema")) {
                    for stray in stray_text(schema) {
                        definitions.notes.push(format!(
                            "{}line {}: the text \"{}\" in {}, where a schema holds no text, is ignored",
                            reader.file,
                            line(stray),
                            stray.text().unwrap_or_default().trim(),
                            reader.place(stray.parent_element().unwrap_or(schema)),
                        ));
                    }
                    definitions.schemas.push(EmbeddedSchema {
                        text: standalone(text, schema),
                        folder: folder.map(Path::to_path_buf).unwrap_or_default(),
                        file: reader.file.clone(),
                        line_offset: line(schema) - 1,
                    });
                }
            }
            "message" => {
                let Some(name) = reader.defined(child) else {
                    continue;
                };
                let mut parts = Vec::new();
                for part in children(child, WSDL, "part") {
                    let Some(part_name) = reader.required(part, "name") else {
                        continue;
                    };
                    let element = part
                        .has_attribute("element")
                        .then(|| reader.qname(part, "element"))
                        .flatten();
                    let type_name = part
                        .has_attribute("type")
                        .then(|| reader.qname(part, "type"))
                        .flatten();
                    parts.push(Part {
                        name: part_name,
                        element,
                        type_name,
                    });
                }
                define(
                    reader,
                    child,
                    &mut collected.messages,
                    name,
                    Message { parts },
                );
            }
            "portType" => {
                let Some(name) = reader.defined(child) else {
                    continue;
                };
                let mut operations = BTreeMap::new();
                for operation in children(child, WSDL, "operation") {
                    let Some(op_name) = reader.required(operation, "name") else {
                        continue;
                    };
                    let mut message = |kind: &str| -> Option<QName> {
                        children(operation, WSDL, kind)
                            .next()
                            .and_then(|node| reader.qname(node, "message"))
                    };
                    let (input, output) = (message("input"), message("output"));
                    let Some(input) = input else {
                        if children(operation, WSDL, "input").next().is_none() {
                            reader.problem(
                                operation,
                                "no wsdl:input: notification and solicit-response operations are not generated",
                                "delete the operation, or give it a wsdl:input",
                            );
                        }
                        continue;
                    };
                    operations.insert(
                        op_name,
                        AbstractOperation {
                            documentation: documentation(operation),
                            input,
                            output,
                        },
                    );
                }
                define(
                    reader,
                    child,
                    &mut collected.port_types,
                    name,
                    PortType { operations },
                );
            }
            "binding" => {
                let Some(name) = reader.defined(child) else {
                    continue;
                };
                if let Some(binding) = read_binding(reader, child) {
                    define(reader, child, &mut collected.bindings, name, binding);
                }
            }
            "service" => {
                let Some(name) = reader.required(child, "name") else {
                    continue;
                };
                let mut ports = Vec::new();
                for port in children(child, WSDL, "port") {
                    let address = port
                        .children()
                        .find(|n| n.tag_name().name() == "address")
                        .and_then(|n| n.attribute("location"))
                        .map(str::to_owned);
                    let (Some(port_name), Some(binding)) =
                        (reader.required(port, "name"), reader.qname(port, "binding"))
                    else {
                        continue;
                    };
                    ports.push(Port {
                        place: reader.place(port),
                        name: port_name,
                        binding,
                        address,
                    });
                }
                definitions.services.push(Service {
                    place: reader.place(child),
                    name,
                    documentation: documentation(child),
                    ports,
                });
            }
            _ => {}
        }
    }
    imports
}

fn read_binding(reader: &mut Reader<'_>, node: Node<'_, '_>) -> Option<Binding> {
    let name = reader.required(node, "name")?;
    let port_type = reader.qname(node, "type")?;
    let place = reader.place(node);
    let mut binding = Binding {
        place: place.clone(),
        name,
        port_type,
        protocol: Protocol::Soap11,
        skipped: None,
        operations: Vec::new(),
    };
    let Some(marker) = node.children().find(|n| n.tag_name().name() == "binding") else {
        binding.skipped = Some(format!("{place}: no soap:, soap12: or http:binding"));
        return Some(binding);
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
            return Some(binding);
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
        return Some(binding);
    }
    for operation in children(node, WSDL, "operation") {
        let Some(op_name) = reader.required(operation, "name") else {
            continue;
        };
        let place = format!(
            "binding {}, operation {op_name} (line {})",
            binding.name,
            line(operation)
        );
        let mut skipped = None;
        let mut notes = Vec::new();
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
                            ("input", "header") => {
                                let (Some(message), Some(part)) = (
                                    reader.qname(element, "message"),
                                    reader.required(element, "part"),
                                ) else {
                                    continue;
                                };
                                headers.push(HeaderRef { message, part });
                            }
                            ("output", "header") => notes.push(format!(
                                "{place}: the response header {} of {} is not read",
                                element.attribute("part").unwrap_or_default(),
                                element.attribute("message").unwrap_or_default()
                            )),
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
                if children(operation, WSDL, "input")
                    .next()
                    .is_some_and(|input| {
                        children(input, WSDL_HTTP, "urlReplacement")
                            .next()
                            .is_some()
                    })
                {
                    skip(
                        "http:urlReplacement (parameters in the path) is not generated; only a query or form is"
                            .to_owned(),
                    );
                }
                let output = children(operation, WSDL, "output").next();
                let mime_xml = output
                    .is_some_and(|output| children(output, WSDL_MIME, "mimeXml").next().is_some());
                if !mime_xml {
                    let types: Vec<&str> = output
                        .into_iter()
                        .flat_map(|output| children(output, WSDL_MIME, "content"))
                        .filter_map(|content| content.attribute("type"))
                        .collect();
                    skip(if types.is_empty() {
                        "the output is not mime:mimeXml".to_owned()
                    } else {
                        format!(
                            "the output is {}, not XML (mime:mimeXml); only XML answers are generated",
                            types.join(" or ")
                        )
                    });
                }
                // The location is appended to the endpoint's path, as ASMX writes it
                // (`/GetStatus`); a bare `GetStatus` is read the same way.
                let location = match location {
                    "" => String::new(),
                    location if location.starts_with('/') => location.to_owned(),
                    location => format!("/{location}"),
                };
                (location, Vec::new())
            }
        };
        binding.operations.push(BindingOperation {
            name: op_name,
            action,
            headers,
            skipped,
            notes,
            place,
        });
    }
    Some(binding)
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
    let mut owned = text[range.clone()].to_owned();
    for stray in stray_text(node) {
        let start = stray.range().start - range.start;
        let end = stray.range().end - range.start;
        let blank: String = owned[start..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        owned.replace_range(start..end, &blank);
    }
    let element = owned.as_str();
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

/// The text of a schema outside `xs:documentation` and `xs:appinfo`, where XML Schema
/// allows none (a stray character in a hand-edited schema); xsd-parser stops at it.
fn stray_text<'a, 'input>(schema: Node<'a, 'input>) -> Vec<Node<'a, 'input>> {
    schema
        .descendants()
        .filter(|node| node.is_text() && node.text().is_some_and(|t| !t.trim().is_empty()))
        .filter(|node| {
            node.ancestors().all(|ancestor| {
                !(ancestor.tag_name().namespace() == Some(XSD)
                    && matches!(ancestor.tag_name().name(), "documentation" | "appinfo"))
            }) && node
                .parent_element()
                .is_some_and(|parent| parent.tag_name().namespace() == Some(XSD))
        })
        .collect()
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

    fn temp_folder(name: &str) -> PathBuf {
        let folder = std::env::temp_dir().join(format!("xtask-wsdl-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("temp folder");
        folder
    }

    fn qname(namespace: &str, local: &str) -> QName {
        QName {
            namespace: Some(namespace.to_owned()),
            local: local.to_owned(),
        }
    }

    #[test]
    fn schemas_carry_the_namespaces_in_scope() {
        let text = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t">
  <wsdl:types><s:schema xmlns:tns="urn:t" targetNamespace="urn:t"><s:element name="a" type="tns:b"/></s:schema></wsdl:types>
</wsdl:definitions>"#;
        let definitions = Definitions::parse(text).expect("parses");
        assert_eq!(
            definitions.schemas[0].text,
            r#"<s:schema xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t"><s:element name="a" type="tns:b"/></s:schema>"#
        );
        assert_eq!(definitions.schemas[0].line_offset, 1);
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
        let binding = &definitions.bindings[&qname("urn:t", "b")];
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
    fn every_problem_of_a_file_is_reported_with_its_element_and_line() {
        let text = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" targetNamespace="urn:t">
  <wsdl:message><wsdl:part name="p" element="x:A"/></wsdl:message>
  <wsdl:message name="m"><wsdl:part name="p" element="x:A"/></wsdl:message>
  <wsdl:portType name="p"><wsdl:operation name="o"><wsdl:output message="m"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="b" type="p"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/></wsdl:binding>
  <wsdl:binding name="b" type="p"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/></wsdl:binding>
  <wsdl:service name="s"><wsdl:port name="q" binding="wsdlns:b"/></wsdl:service>
</wsdl:definitions>"#;
        let problems = Definitions::parse(text).expect_err("problems");
        let found: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| (p.location.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("wsdl:message (line 2)", "no name attribute"),
                (
                    "wsdl:part p (line 3)",
                    "element=\"x:A\" uses the prefix x, which is not declared"
                ),
                (
                    "wsdl:operation o (line 4)",
                    "no wsdl:input: notification and solicit-response operations are not generated"
                ),
                (
                    "wsdl:binding b (line 6)",
                    "{urn:t}b is defined twice, first at wsdl:binding b (line 5)"
                ),
                (
                    "wsdl:port q (line 7)",
                    "binding=\"wsdlns:b\" uses the prefix wsdlns, which is not declared"
                ),
            ]
        );
        assert!(problems.iter().all(|p| !p.fix.is_empty()), "{problems:#?}");
    }

    #[test]
    fn a_wsdl_import_of_a_local_file_joins_its_definitions_under_their_namespace() {
        let folder = temp_folder("import");
        let main = folder.join("main.wsdl");
        std::fs::write(
            &main,
            r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:i="urn:i" targetNamespace="urn:t">
  <wsdl:import namespace="urn:i" location="sub/imported.wsdl"/>
  <wsdl:service name="s"><wsdl:port name="q" binding="i:b"/></wsdl:service>
</wsdl:definitions>"#,
        )
        .expect("write");
        std::fs::create_dir_all(folder.join("sub")).expect("sub folder");
        std::fs::write(
            folder.join("sub").join("imported.wsdl"),
            r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:t="urn:t" targetNamespace="urn:i">
  <wsdl:import namespace="urn:t" location="../main.wsdl"/>
  <wsdl:message name="m"/>
  <wsdl:binding name="b" type="t:p"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/></wsdl:binding>
</wsdl:definitions>"#,
        )
        .expect("write");
        let text = std::fs::read_to_string(&main).expect("read");
        let read = Definitions::read(&text, Some(&main));
        std::fs::remove_dir_all(&folder).expect("clean up");
        let definitions = read.expect("reads both files");
        assert_eq!(definitions.target_namespace, "urn:t");
        assert!(definitions.messages.contains_key(&qname("urn:i", "m")));
        let binding = definitions.binding(&qname("urn:i", "b")).expect("binding");
        assert_eq!(binding.port_type, qname("urn:t", "p"));
        assert_eq!(definitions.sources.len(), 2);
    }

    #[test]
    fn a_wsdl_import_of_a_schema_file_is_one_more_schema() {
        let folder = temp_folder("schema-import");
        let main = folder.join("main.wsdl");
        std::fs::write(
            folder.join("types.xsd"),
            r#"<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x"><xs:element name="E" type="xs:string"/></xs:schema>"#,
        )
        .expect("write");
        let text = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t">
  <wsdl:import namespace="urn:x" location="types.xsd"/>
</wsdl:definitions>"#;
        let read = Definitions::read(text, Some(&main));
        std::fs::remove_dir_all(&folder).expect("clean up");
        let definitions = read.expect("reads");
        assert_eq!(definitions.schemas.len(), 1);
        assert_eq!(definitions.schemas[0].file, "types.xsd: ");
        assert_eq!(definitions.schemas[0].line_offset, 1);
        assert!(definitions.schemas[0].text.starts_with("<xs:schema"));
    }

    #[test]
    fn a_missing_or_remote_wsdl_import_is_named_with_what_to_do() {
        let folder = temp_folder("missing-import");
        let main = folder.join("main.wsdl");
        let text = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t">
  <wsdl:import namespace="urn:u" location="other.wsdl"/>
  <wsdl:import namespace="urn:v" location="https://example.com/v.wsdl"/>
</wsdl:definitions>"#;
        let problems = Definitions::read(text, Some(&main)).expect_err("imports");
        std::fs::remove_dir_all(&folder).expect("clean up");
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert_eq!(problems[0].location, "wsdl:import (line 2)");
        assert!(
            problems[0]
                .message
                .starts_with("wsdl:import of other.wsdl: cannot read"),
            "{problems:#?}"
        );
        assert!(problems[0].fix.contains("vendor the imported WSDL file"));
        assert_eq!(problems[1].location, "wsdl:import (line 3)");
        assert!(
            problems[1]
                .message
                .contains("remote file https://example.com/v.wsdl")
        );
        assert!(
            problems[1]
                .fix
                .contains("download the WSDL file into the spec folder")
        );
    }
}
