//! Reading a response envelope: version check, fault or body element, decoding.

use std::fmt;

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use serde::de::DeserializeOwned;
use yaserde::YaDeserialize;

use crate::error::snippet;
use crate::payload::{prepare, render, walk};
use crate::tolerant::body_text;
use crate::xml::{declarations_at, describe, has_dtd, inherited_declarations, is_blank, position};
use crate::{SoapError, SoapVersion, fault};

/// The first element of a response `Body`, as standalone XML.
///
/// Every namespace binding in scope at that element (from `Envelope`, `Body` or
/// anywhere above) is declared on it, so it can be decoded on its own. `Debug` shows
/// only its name and size.
///
/// The envelope's one pass over the answer has also read the element the way [`decode`]
/// reads it (nil elements, unqualified children, values sent twice), so decoding it does
/// not read it again first.
#[derive(Clone, PartialEq, Eq)]
pub struct ResponseBody {
    version: SoapVersion,
    local_name: String,
    namespace: Option<String>,
    xml: String,
    decoding: Decoding,
}

/// What the pass over the element found, for decoding it.
#[derive(Clone, PartialEq, Eq)]
struct Decoding {
    /// The element without its nil elements and with its unqualified children qualified,
    /// when that is not `xml`.
    rewritten: Option<String>,
    /// The same without the namespace declarations copied onto it, when it is plain (every
    /// element in the element's namespace, no attributes, no whitespace at the ends of
    /// text).
    plain: Option<String>,
    /// The refusal of a value sent twice.
    duplicate: Option<String>,
}

impl ResponseBody {
    /// The SOAP version of the response envelope.
    pub fn version(&self) -> SoapVersion {
        self.version
    }

    /// The local name of the element, such as `GetStatusResponse`.
    pub fn local_name(&self) -> &str {
        &self.local_name
    }

    /// The namespace of the element, if it has one.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The element as XML.
    pub fn as_xml(&self) -> &str {
        &self.xml
    }

    /// Decodes the element into a yaserde type, see [`decode`].
    ///
    /// # Errors
    ///
    /// [`SoapError::Decode`] if the element does not match `T`.
    pub fn decode<T: YaDeserialize>(&self) -> Result<T, SoapError> {
        let error = |reason: String| decode_error::<T>(&self.xml, reason);
        if let Some(duplicate) = &self.decoding.duplicate {
            return Err(error(duplicate.clone()));
        }
        let xml = self.decoding.rewritten.as_deref().unwrap_or(&self.xml);
        yaserde::de::from_str(xml).map_err(|e| error(e.to_string()))
    }

    /// Decodes the element into a message type of `namespace` that derives serde's traits
    /// under the same element names as its yaserde ones, see [`decode_message`]. Generated
    /// clients decode their answers with it.
    ///
    /// # Errors
    ///
    /// [`SoapError::Decode`] if the element does not match `T`.
    pub fn decode_message<T>(&self, namespace: &str) -> Result<T, SoapError>
    where
        T: YaDeserialize + DeserializeOwned,
    {
        if let Some(plain) = &self.decoding.plain
            && self.decoding.duplicate.is_none()
            && self.namespace.as_deref() == Some(namespace)
        {
            match quick_xml::de::from_str(plain) {
                Ok(value) => return Ok(value),
                Err(error) => fell_back::<T>(&error),
            }
        }
        self.decode()
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseBody")
            .field("version", &self.version)
            .field("local_name", &self.local_name)
            .field("namespace", &self.namespace)
            .field("bytes", &self.xml.len())
            .finish()
    }
}

/// Decodes standalone XML, such as [`ResponseBody::as_xml`] or
/// [`SoapFault::detail`](crate::SoapFault::detail), into a yaserde type.
///
/// Elements marked `xsi:nil="true"` are left out first, so that a nil optional
/// element decodes as `None`; elements in no namespace inside a qualified element are
/// read in their parent's namespace, as zeep reads them.
///
/// # Errors
///
/// [`SoapError::Decode`] with the type name, yaserde's message and the start of `xml`;
/// also when an element that holds one value (text only, among differently named
/// siblings) is sent twice, naming it, rather than keeping one of the two values.
pub fn decode<T: YaDeserialize>(xml: &str) -> Result<T, SoapError> {
    let prepared = prepare(xml, None).map_err(|reason| decode_error::<T>(xml, reason))?;
    yaserde::de::from_str(&prepared.xml).map_err(|error| decode_error::<T>(xml, error.to_string()))
}

/// Decodes standalone XML into a message type of `namespace` whose serde derives name its
/// child elements as its yaserde derives do (the types `cargo xtask codegen` writes),
/// reading it with quick-xml rather than yaserde's xml-rs where that gives the same value.
///
/// It is [`decode`], in one pass over `xml` and faster: when every element is in
/// `namespace` (its own or, unqualified, its parent's), no element has an attribute other
/// than namespace declarations (the generated serde names say nothing of attributes), and
/// no text has whitespace at its ends, quick-xml's serde reader reads the element straight
/// into `T`; otherwise, or if that fails, yaserde decodes it as [`decode`] does, and its
/// value or error is the answer.
///
/// # Errors
///
/// As [`decode`].
pub fn decode_message<T>(xml: &str, namespace: &str) -> Result<T, SoapError>
where
    T: YaDeserialize + DeserializeOwned,
{
    let prepared =
        prepare(xml, Some(namespace)).map_err(|reason| decode_error::<T>(xml, reason))?;
    if prepared.plain {
        match quick_xml::de::from_str(&prepared.xml) {
            Ok(value) => return Ok(value),
            Err(error) => fell_back::<T>(&error),
        }
    }
    yaserde::de::from_str(&prepared.xml).map_err(|error| decode_error::<T>(xml, error.to_string()))
}

/// Notes that quick-xml did not read an element into `T`, which yaserde then decodes.
fn fell_back<T>(error: &quick_xml::DeError) {
    tracing::trace!(
        type_name = std::any::type_name::<T>(),
        %error,
        "quick-xml could not read the element; decoding it with yaserde"
    );
}

/// [`SoapError::Decode`] for `T`, quoting the start of `xml`.
fn decode_error<T>(xml: &str, reason: String) -> SoapError {
    SoapError::Decode {
        type_name: std::any::type_name::<T>(),
        reason,
        snippet: snippet(xml.as_bytes()),
    }
}

/// Reads a response envelope of version `expected`, whatever prefixes it uses.
///
/// A byte order mark (UTF-8 or UTF-16), any encoding an XML declaration names, comments
/// and a `Header` are accepted; the whole document must be well-formed. The HTTP status is not looked at here
/// ([`Transport::call`](crate::Transport::call) does that).
///
/// # Errors
///
/// - [`SoapError::Fault`] if the first element of `Body` is a `Fault`;
/// - [`SoapError::NotXml`] if the body does not start with `<`;
/// - [`SoapError::ForbiddenDtd`] if it contains `<!DOCTYPE` or `<!ENTITY`;
/// - [`SoapError::VersionMismatch`] if the envelope is of the other SOAP version;
/// - [`SoapError::MissingBody`] if there is no `Body` or it holds no element;
/// - [`SoapError::Malformed`] for anything else: truncated or ill-formed XML, a root
///   that is not a SOAP `Envelope`, a body that is not in its declared encoding (UTF-8
///   when it declares none), a fault without code.
pub fn parse_response(expected: SoapVersion, body: &[u8]) -> Result<ResponseBody, SoapError> {
    let not_xml = || SoapError::NotXml {
        snippet: snippet(body),
    };
    let text = match body_text(body) {
        Ok(text) => text,
        Err(_) if !body.trim_ascii_start().starts_with(b"<") => return Err(not_xml()),
        Err(reason) => return Err(malformed(body, reason)),
    };
    let text = text.as_ref();
    if !text.trim_start().starts_with('<') {
        return Err(not_xml());
    }
    if has_dtd(text) {
        return Err(SoapError::ForbiddenDtd);
    }
    let element = read_envelope(expected, text)?.ok_or(SoapError::MissingBody)?;
    if element.local_name == "Fault"
        && element.namespace.as_deref() == Some(expected.envelope_namespace())
    {
        let fault =
            fault::parse(expected, &element.xml).map_err(|reason| malformed(body, reason))?;
        return Err(SoapError::Fault(Box::new(fault)));
    }
    Ok(element)
}

fn malformed(body: &[u8], reason: String) -> SoapError {
    SoapError::Malformed {
        reason,
        snippet: snippet(body),
    }
}

/// The namespace of an element name, if it is bound to one.
fn namespace_of(resolved: ResolveResult<'_>) -> Option<&str> {
    match resolved {
        ResolveResult::Bound(namespace) => Some(namespace.0),
        ResolveResult::Unbound | ResolveResult::Unknown(_) => None,
    }
}

/// Walks the whole document and returns the first element of the first `Body`.
fn read_envelope(expected: SoapVersion, text: &str) -> Result<Option<ResponseBody>, SoapError> {
    let bad = |reason: String| malformed(text.as_bytes(), reason);
    let mut reader = NsReader::from_str(text);

    // The root element.
    loop {
        let event = reader
            .read_event()
            .map_err(|error| bad(describe(&error, &reader)))?;
        let (root, empty) = match event {
            Event::Start(root) => (root, false),
            Event::Empty(root) => (root, true),
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => continue,
            Event::Text(text) if is_blank(&text) => continue,
            Event::Eof => return Err(bad("no root element".to_owned())),
            _ => return Err(bad("content before the root element".to_owned())),
        };
        let (namespace, local) = reader.resolver().resolve_element(root.name());
        let namespace = namespace_of(namespace).unwrap_or_default();
        if local.into_inner() != "Envelope" || SoapVersion::from_namespace(namespace).is_none() {
            return Err(bad(format!(
                "root element <{}> (namespace \"{namespace}\") is not a SOAP Envelope",
                root.name().0
            )));
        }
        if namespace != expected.envelope_namespace() {
            return Err(SoapError::VersionMismatch {
                expected,
                found: namespace.to_owned(),
            });
        }
        if empty {
            return Ok(None);
        }
        break;
    }

    // The children of Envelope.
    let mut body = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|error| bad(describe(&error, &reader)))?;
        match event {
            Event::Start(start) => {
                let (namespace, local) = reader.resolver().resolve_element(start.name());
                let is_body = local.into_inner() == "Body"
                    && namespace_of(namespace) == Some(expected.envelope_namespace());
                if is_body && body.is_none() {
                    body = read_body(expected, &mut reader, text).map_err(bad)?;
                } else {
                    reader
                        .read_to_end(start.name())
                        .map_err(|error| bad(describe(&error, &reader)))?;
                }
            }
            Event::End(_) => break,
            Event::Eof => return Err(bad("document ends before </Envelope>".to_owned())),
            _ => {}
        }
    }

    // Nothing but whitespace, comments and processing instructions may follow.
    loop {
        match reader
            .read_event()
            .map_err(|error| bad(describe(&error, &reader)))?
        {
            Event::Eof => return Ok(body),
            Event::Comment(_) | Event::PI(_) => {}
            Event::Text(text) if is_blank(&text) => {}
            _ => return Err(bad("content after </Envelope>".to_owned())),
        }
    }
}

/// Reads a `Body` whose start tag was just read, up to its end tag, and returns its
/// first element.
fn read_body<'a>(
    version: SoapVersion,
    reader: &mut NsReader<&'a [u8]>,
    text: &'a str,
) -> Result<Option<ResponseBody>, String> {
    let mut first = None;
    loop {
        let from = position(reader);
        let (start, empty) = match reader
            .read_event()
            .map_err(|error| describe(&error, reader))?
        {
            Event::Start(start) => (start, false),
            Event::Empty(start) => (start, true),
            Event::End(_) => return Ok(first),
            Event::Eof => return Err("document ends inside Body".to_owned()),
            _ => continue,
        };
        if first.is_some() {
            if !empty {
                reader
                    .read_to_end(start.name())
                    .map_err(|error| describe(&error, reader))?;
            }
            continue;
        }
        let local_name = reader
            .resolver()
            .resolve_element(start.name())
            .1
            .into_inner()
            .to_owned();
        let declarations = inherited_declarations(reader);
        let at = declarations_at(text, position(reader), empty)?;
        let walked = walk(reader, text, from, &start, empty)?;
        let element = from..walked.end;
        let rewritten = (!walked.edits.is_empty())
            .then(|| {
                render(
                    text,
                    element.clone(),
                    &walked.edits,
                    Some((at, &declarations)),
                )
            })
            .transpose()?;
        let plain = walked
            .plain
            .then(|| render(text, element.clone(), &walked.edits, None))
            .transpose()?;
        first = Some(ResponseBody {
            version,
            local_name,
            namespace: walked.namespace,
            xml: render(text, element, &[], Some((at, &declarations)))?,
            decoding: Decoding {
                rewritten,
                plain,
                duplicate: walked.duplicate,
            },
        });
    }
}
