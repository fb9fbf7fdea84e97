//! Request envelopes and the XML fragments they are made of.

use std::fmt;
use std::sync::{Arc, OnceLock};

use quick_xml::NsReader;
use quick_xml::escape::{escape, resolve_predefined_entity};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use yaserde::YaSerialize;

use crate::xml::{describe, has_dtd, is_blank, position};
use crate::{SoapError, SoapVersion};

/// One XML element, ready to be placed in a `Header` or `Body`.
///
/// The XML is checked to be exactly one well-formed element, without a DTD; an XML
/// declaration, a byte order mark and surrounding whitespace or comments are dropped.
/// `Debug` shows only the element name and size, because header blocks can carry
/// credentials. A clone shares the XML rather than copying it.
#[derive(Clone, PartialEq, Eq)]
pub struct Fragment {
    xml: Arc<str>,
    name: Arc<str>,
}

impl Fragment {
    /// Serializes a yaserde value as an element, with the namespaces its derive declares.
    ///
    /// # Errors
    ///
    /// [`SoapError::Encode`] if yaserde fails, [`SoapError::InvalidRequest`] if its
    /// output is not a single element.
    pub fn from_yaserde<T: YaSerialize>(value: &T) -> Result<Self, SoapError> {
        let xml = yaserde::ser::to_string(value).map_err(|error| SoapError::Encode {
            type_name: std::any::type_name::<T>(),
            reason: error.to_string(),
        })?;
        Self::from_xml(&xml)
    }

    /// `value` serialized on the first call and kept in `cell`, for a value that never
    /// changes, such as the empty body element of an operation without parameters; later
    /// calls return the kept fragment. A failed serialization is not kept.
    ///
    /// # Errors
    ///
    /// As [`from_yaserde`](Self::from_yaserde).
    pub fn once<T: YaSerialize>(cell: &OnceLock<Self>, value: &T) -> Result<Self, SoapError> {
        if let Some(fragment) = cell.get() {
            return Ok(fragment.clone());
        }
        let fragment = Self::from_yaserde(value)?;
        Ok(cell.get_or_init(|| fragment).clone())
    }

    /// An element without content in its own default namespace, such as
    /// `<GetStatus xmlns="http://genpact.com/cora/orchestration/rpa/1.0.0/api/"/>`.
    ///
    /// # Errors
    ///
    /// [`SoapError::InvalidRequest`] if `name` is not an XML name.
    pub fn empty_element(name: &str, namespace: &str) -> Result<Self, SoapError> {
        Self::from_xml(&format!("<{name} xmlns=\"{}\"/>", escape(namespace)))
    }

    /// Takes already serialized XML, such as the output of `yaserde::ser::to_string`.
    ///
    /// # Errors
    ///
    /// [`SoapError::InvalidRequest`] if `xml` is not exactly one well-formed element,
    /// or contains a DTD.
    pub fn from_xml(xml: &str) -> Result<Self, SoapError> {
        let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
        Self::parse(xml).map_err(|reason| SoapError::InvalidRequest {
            reason: format!("XML fragment: {reason}"),
        })
    }

    fn parse(xml: &str) -> Result<Self, String> {
        if has_dtd(xml) {
            return Err("contains a document type or entity declaration".to_owned());
        }
        let mut reader = NsReader::from_str(xml);
        // Where the root element starts, and its name.
        let mut root: Option<(usize, String)> = None;
        let mut depth = 0_usize;
        let mut end = None;
        loop {
            let from = position(&reader);
            let event = reader
                .read_event()
                .map_err(|error| describe(&error, &reader))?;
            match event {
                Event::Start(ref start) | Event::Empty(ref start) => {
                    if depth == 0 && root.is_some() {
                        return Err("more than one root element".to_owned());
                    }
                    check_names(&reader, start)?;
                    if depth == 0 {
                        root = Some((from, start.name().0.to_owned()));
                    }
                    if matches!(event, Event::Start(_)) {
                        depth += 1;
                    } else if depth == 0 {
                        end = Some(position(&reader));
                    }
                }
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = Some(position(&reader));
                    }
                }
                Event::GeneralRef(reference) => {
                    let resolved = reference.resolve_char_ref().ok().flatten().is_some()
                        || resolve_predefined_entity(&reference).is_some();
                    if !resolved {
                        return Err(format!("undefined entity &{};", &*reference));
                    }
                }
                Event::Text(_) | Event::CData(_) if depth > 0 => {}
                Event::Text(text) if is_blank(&text) => {}
                Event::Decl(_) if root.is_none() => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => break,
                _ => return Err("content outside the root element".to_owned()),
            }
        }
        match (root, end) {
            (Some((from, name)), Some(to)) if depth == 0 => Ok(Self {
                xml: xml
                    .get(from..to)
                    .ok_or("element position out of range")?
                    .into(),
                name: name.into(),
            }),
            (Some((_, name)), _) => Err(format!("element <{name}> is not closed")),
            (None, _) => Err("no element".to_owned()),
        }
    }

    /// The XML of the element.
    pub fn as_str(&self) -> &str {
        &self.xml
    }
}

/// Checks that the attributes of `start` are well-formed and that its prefixes and
/// those of its attributes are declared.
fn check_names(reader: &NsReader<&[u8]>, start: &BytesStart<'_>) -> Result<(), String> {
    let undeclared = |prefix: String| format!("prefix `{prefix}` is not declared");
    if let (ResolveResult::Unknown(prefix), _) = reader.resolver().resolve_element(start.name()) {
        return Err(undeclared(prefix));
    }
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| format!("<{}>: {error}", start.name().0))?;
        if let (ResolveResult::Unknown(prefix), _) =
            reader.resolver().resolve_attribute(attribute.key)
        {
            return Err(undeclared(prefix));
        }
    }
    Ok(())
}

impl fmt::Debug for Fragment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fragment")
            .field("name", &self.name)
            .field("bytes", &self.xml.len())
            .finish_non_exhaustive()
    }
}

/// A request envelope: version, header blocks and the body element.
///
/// [`to_xml`](Self::to_xml) writes the same bytes for the same input: the envelope
/// namespace is bound to `soap` (1.1) or `soap12` (1.2) on the `Envelope` element,
/// and `Header` is left out when there are no header blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    version: SoapVersion,
    headers: Vec<Fragment>,
    body: Fragment,
}

impl Envelope {
    /// An envelope of `version` with `body` as the only element of `Body`.
    pub fn new(version: SoapVersion, body: Fragment) -> Self {
        Self {
            version,
            headers: Vec::new(),
            body,
        }
    }

    /// Appends a header block; blocks are written in the order they were added.
    #[must_use]
    pub fn with_header(mut self, block: Fragment) -> Self {
        self.headers.push(block);
        self
    }

    /// The SOAP version of this envelope.
    pub fn version(&self) -> SoapVersion {
        self.version
    }

    /// The envelope as an XML document, UTF-8, with an XML declaration.
    pub fn to_xml(&self) -> String {
        let prefix = self.version.prefix();
        let parts = [
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<",
            prefix,
            ":Envelope xmlns:",
            prefix,
            "=\"",
            self.version.envelope_namespace(),
            "\">\n",
        ];
        let blocks: usize = self.headers.iter().map(|block| block.xml.len() + 6).sum();
        let mut xml = String::with_capacity(
            parts.iter().map(|part| part.len()).sum::<usize>()
                + blocks
                + self.body.xml.len()
                + 4 * prefix.len()
                + 80,
        );
        parts.iter().for_each(|part| xml.push_str(part));
        let tag = |xml: &mut String, indent: &str, close: &str, name: &str| {
            for part in [indent, "<", close, prefix, ":", name, ">\n"] {
                xml.push_str(part);
            }
        };
        if !self.headers.is_empty() {
            tag(&mut xml, "  ", "", "Header");
            for block in &self.headers {
                xml.push_str("    ");
                xml.push_str(block.as_str());
                xml.push('\n');
            }
            tag(&mut xml, "  ", "/", "Header");
        }
        tag(&mut xml, "  ", "", "Body");
        xml.push_str("    ");
        xml.push_str(self.body.as_str());
        xml.push('\n');
        tag(&mut xml, "  ", "/", "Body");
        tag(&mut xml, "", "/", "Envelope");
        xml
    }
}
