//! `xs:import` and `xs:include` of local schema files, resolved before xsd-parser runs.
//!
//! Every `schemaLocation` is read next to the WSDL file (or next to the schema that names
//! it). An included schema is handed to xsd-parser as one more schema and the include taken
//! out; an included schema without a `targetNamespace` takes the includer's, as XML Schema
//! says. An import is named by its file's full path, which xsd-parser reads itself, since it
//! links the types of an imported schema only so. A location that cannot be read, or a
//! remote URL, is a problem naming it with its line. The global definitions that use SOAP
//! encoding types (only rpc/encoded operations use them, and xsd-parser knows no schema of
//! them) are taken out with a note.

use std::path::{Path, PathBuf};

use roxmltree::{Document, Node};

use super::model::{EmbeddedSchema, XSD, line};
use crate::problem::Problem;

/// The schemas read, ready for xsd-parser.
pub struct Resolved {
    /// The schema texts xsd-parser is given: the embedded schemas edited, followed by the
    /// files they include (imported files are named by their full path and read by
    /// xsd-parser).
    pub schemas: Vec<String>,
    /// Every schema file reached, by its location as written, with its text.
    pub files: Vec<(String, String)>,
    /// What was left out of the schemas, one line each.
    pub notes: Vec<String>,
}

/// The namespaces of SOAP 1.1 and SOAP 1.2 encoding.
const SOAP_ENCODING: [&str; 2] = [
    "http://schemas.xmlsoap.org/soap/encoding/",
    "http://www.w3.org/2003/05/soap-encoding",
];

/// The global definitions of a schema that use SOAP encoding types, directly or through
/// another such definition (described with their lines), and the edits that take them and
/// the import of the encoding namespace out. Only rpc/encoded operations, which are skipped
/// one by one, use them; xsd-parser knows no SOAP encoding schema.
fn soap_encoded(
    root: Node<'_, '_>,
    target: Option<&str>,
    line_offset: u32,
) -> (Vec<String>, Vec<(std::ops::Range<usize>, String)>) {
    let globals: Vec<Node<'_, '_>> = root
        .children()
        .filter(|n| n.is_element() && n.tag_name().namespace() == Some(XSD))
        .filter(|n| n.has_attribute("name"))
        .collect();
    let mut removed: Vec<Node<'_, '_>> = Vec::new();
    loop {
        let removed_names: Vec<&str> = removed.iter().filter_map(|n| n.attribute("name")).collect();
        let uses_encoding = |node: &Node<'_, '_>| {
            node.descendants().filter(Node::is_element).any(|n| {
                ["type", "base", "ref", "itemType"].iter().any(|attribute| {
                    let Some(value) = n.attribute(*attribute) else {
                        return false;
                    };
                    let (prefix, local) = value
                        .split_once(':')
                        .map_or((None, value), |(p, l)| (Some(p), l));
                    match n.lookup_namespace_uri(prefix) {
                        Some(namespace) if SOAP_ENCODING.contains(&namespace) => true,
                        namespace => namespace == target && removed_names.contains(&local),
                    }
                })
            })
        };
        let next: Vec<Node<'_, '_>> = globals
            .iter()
            .filter(|n| !removed.contains(n) && uses_encoding(n))
            .copied()
            .collect();
        if next.is_empty() {
            break;
        }
        removed.extend(next);
    }
    removed.sort_by_key(|n| n.range().start);
    let described = removed
        .iter()
        .map(|n| {
            format!(
                "xs:{} {} (line {})",
                n.tag_name().name(),
                n.attribute("name").unwrap_or_default(),
                line_offset + line(*n)
            )
        })
        .collect();
    let mut edits: Vec<(std::ops::Range<usize>, String)> =
        removed.iter().map(|n| (n.range(), String::new())).collect();
    edits.extend(
        root.children()
            .filter(|n| n.tag_name().namespace() == Some(XSD) && n.tag_name().name() == "import")
            .filter(|n| {
                n.attribute("namespace")
                    .is_some_and(|ns| SOAP_ENCODING.contains(&ns))
            })
            .map(|n| (n.range(), String::new())),
    );
    (described, edits)
}

/// Resolves the local imports and includes of `schemas` (each read from its WSDL file's
/// folder), and of the files they reach.
pub fn resolve(schemas: &[EmbeddedSchema]) -> Result<Resolved, Vec<Problem>> {
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut files = Vec::new();
    let mut notes = Vec::new();
    // (text, folder, file as problems name it, line offset, whether xsd-parser is given
    // the text: a file reached through an import is read by xsd-parser itself)
    let mut queue: Vec<(String, PathBuf, String, u32, bool)> = schemas
        .iter()
        .map(|schema| {
            (
                schema.text.clone(),
                schema.folder.clone(),
                schema.file.clone(),
                schema.line_offset,
                true,
            )
        })
        .collect();
    queue.reverse();
    while let Some((text, base, file, offset, feed)) = queue.pop() {
        let document = match Document::parse(&text) {
            Ok(document) => document,
            Err(error) => {
                problems.push(Problem::new(
                    file.trim_end_matches(": ").to_owned(),
                    format!("the schema is not well-formed XML: {error}"),
                    "fix the schema's XML",
                ));
                continue;
            }
        };
        let root = document.root_element();
        let target = root.attribute("targetNamespace").map(str::to_owned);
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        if feed {
            let (encoded, encoded_edits) = soap_encoded(root, target.as_deref(), offset);
            edits.extend(encoded_edits);
            if !encoded.is_empty() {
                notes.push(format!(
                    "{file}{} use SOAP encoding (soapenc:Array and the like), which only rpc/encoded operations use; not generated",
                    encoded.join(", ")
                ));
            }
        }
        for node in root.children().filter(Node::is_element) {
            let kind = node.tag_name().name();
            if node.tag_name().namespace() != Some(XSD) || !matches!(kind, "import" | "include") {
                continue;
            }
            let Some(location) = node.attribute("schemaLocation") else {
                continue;
            };
            let place = format!("{file}xs:{kind} {location} (line {})", offset + line(node));
            if location.contains("://") {
                problems.push(Problem::new(
                    place,
                    "a remote schema is not fetched",
                    "vendor the schema into the spec folder (download it, with its license) and name it by a relative schemaLocation",
                ));
                continue;
            }
            let path = base.join(location);
            let mut schema = match std::fs::read_to_string(&path) {
                Ok(schema) => schema,
                Err(error) => {
                    problems.push(Problem::new(
                        place,
                        format!("cannot read {}: {error}", path.display()),
                        "put the schema file next to the WSDL or correct schemaLocation",
                    ));
                    continue;
                }
            };
            let canonical = path.canonicalize().unwrap_or(path.clone());
            // An import names the file by its full path, which xsd-parser reads itself
            // (it links an imported schema's types only so); an include is dropped, and its
            // schema comes in as a schema of its own.
            let replacement = match (kind, node.attribute("namespace")) {
                ("import", Some(namespace)) => format!(
                    "<{} namespace=\"{namespace}\" schemaLocation=\"{}\"/>",
                    qualified(node),
                    escape_attribute(&file_url(&canonical))
                ),
                _ => String::new(),
            };
            edits.push((node.range(), replacement));
            if seen.contains(&canonical) {
                continue;
            }
            seen.push(canonical);
            if kind == "include"
                && let Some(target) = &target
            {
                schema = with_target_namespace(&schema, target);
            }
            let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let feed = feed && kind == "include";
            files.push((location.to_owned(), schema.clone()));
            queue.insert(0, (schema, base, format!("{location}: "), 0, feed));
        }
        let mut text = text.clone();
        edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        for (range, replacement) in edits {
            text.replace_range(range, &replacement);
        }
        if feed {
            out.push(strip_declaration(&text));
        }
    }
    if problems.is_empty() {
        Ok(Resolved {
            schemas: out,
            files,
            notes,
        })
    } else {
        Err(problems)
    }
}

/// A `file://` URL of an absolute path, as xsd-parser's file resolver reads it.
fn file_url(path: &Path) -> String {
    let path = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from("file://");
    if !path.starts_with('/') {
        url.push('/');
    }
    for c in path.chars() {
        match c {
            ' ' => url.push_str("%20"),
            '#' => url.push_str("%23"),
            '?' => url.push_str("%3F"),
            '%' => url.push_str("%25"),
            c => url.push(c),
        }
    }
    url
}

/// `value` escaped for an attribute in double quotes.
fn escape_attribute(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// The element's name as written, with its prefix.
fn qualified(node: Node<'_, '_>) -> String {
    let text = &node.document().input_text()[node.range()];
    text[1..]
        .split(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .next()
        .unwrap_or("xs:import")
        .to_owned()
}

/// A chameleon schema (no `targetNamespace`) with the includer's namespace.
fn with_target_namespace(schema: &str, target: &str) -> String {
    let Ok(document) = Document::parse(schema) else {
        return schema.to_owned();
    };
    let root = document.root_element();
    if root.has_attribute("targetNamespace") {
        return schema.to_owned();
    }
    let start = root.range().start;
    let name_end = schema[start + 1..]
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .map_or(schema.len(), |i| start + 1 + i);
    format!(
        "{} targetNamespace=\"{target}\"{}",
        &schema[..name_end],
        &schema[name_end..]
    )
}

/// The text without its XML declaration, which xsd-parser reads as a document start.
fn strip_declaration(text: &str) -> String {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    match trimmed.strip_prefix("<?xml") {
        Some(rest) => rest
            .split_once("?>")
            .map_or(trimmed, |(_, after)| after)
            .trim_start()
            .to_owned(),
        None => trimmed.to_owned(),
    }
}
