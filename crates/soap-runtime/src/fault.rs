//! SOAP 1.1 and 1.2 faults, read into one type.

use std::fmt;

use quick_xml::events::Event;
use quick_xml::name::{QName, ResolveResult};
use quick_xml::{NsReader, XmlVersion};

use crate::SoapVersion;
use crate::xml::{capture_element, describe, position, text_content};

/// A SOAP fault of either version.
///
/// | field      | SOAP 1.1      | SOAP 1.2                             |
/// |------------|---------------|--------------------------------------|
/// | `code`     | `faultcode`   | `Code/Value`                         |
/// | `subcodes` | -             | `Code/Subcode/Value`, outermost first |
/// | `reason`   | `faultstring` | `Reason/Text`, English if present, else the first |
/// | `node`     | `faultactor`  | `Node`                               |
/// | `role`     | -             | `Role`                               |
/// | `detail`   | `detail`      | `Detail`                             |
///
/// Elements marked `xsi:nil="true"` count as absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoapFault {
    /// The version of the envelope the fault came in.
    pub version: SoapVersion,
    /// The fault code, such as `soap:Server` or `env:Sender`.
    pub code: FaultCode,
    /// SOAP 1.2 subcodes, from the outermost to the innermost.
    pub subcodes: Vec<FaultCode>,
    /// The human-readable explanation, empty when the server sent none.
    pub reason: String,
    /// The URI of the node that faulted (`faultactor` in SOAP 1.1).
    pub node: Option<String>,
    /// The role the faulting node was acting in (SOAP 1.2 only).
    pub role: Option<String>,
    /// The `detail`/`Detail` element as standalone XML, with the namespace
    /// declarations in scope copied onto it, ready for [`crate::decode`].
    pub detail: Option<String>,
}

impl fmt::Display for SoapFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} fault {}", self.version, self.code.qname)?;
        for subcode in &self.subcodes {
            write!(f, " / {}", subcode.qname)?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// A fault code: a QName as the server wrote it, and the namespace its prefix
/// resolves to where the fault declared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultCode {
    /// The code as written, such as `soap:Client`.
    pub qname: String,
    /// The namespace bound to the code's prefix (or the default namespace for a code
    /// without prefix), if one was in scope.
    pub namespace: Option<String>,
}

impl FaultCode {
    /// The code without its prefix, such as `Client` for `soap:Client`.
    pub fn local_name(&self) -> &str {
        self.qname
            .split_once(':')
            .map_or(self.qname.as_str(), |(_, local)| local)
    }

    /// Reads the text of the element just started and resolves it as a QName in the
    /// scope of that element.
    fn read(reader: &mut NsReader<&[u8]>) -> Result<Self, String> {
        let qname = text_content(reader)?.trim().to_owned();
        // The end tag was just read; its scope is still in effect until the next read.
        let namespace = match reader
            .resolver()
            .resolve_prefix(QName(&qname).prefix(), true)
        {
            ResolveResult::Bound(namespace) => Some(namespace.0.to_owned()),
            ResolveResult::Unbound | ResolveResult::Unknown(_) => None,
        };
        Ok(Self { qname, namespace })
    }
}

/// Reads a `Fault` element, given as standalone XML.
pub(crate) fn parse(version: SoapVersion, xml: &str) -> Result<SoapFault, String> {
    let mut reader = NsReader::from_str(xml);
    let mut code = None;
    let mut subcodes = Vec::new();
    let mut reasons: Vec<(Option<String>, String)> = Vec::new();
    let (mut node, mut role, mut detail) = (None, None, None);
    // Local names of the open elements, starting with `Fault`.
    let mut open: Vec<String> = Vec::new();
    loop {
        let from = position(&reader);
        let event = reader
            .read_event()
            .map_err(|error| describe(&error, &reader))?;
        let (start, empty) = match event {
            Event::Start(start) => (start, false),
            Event::Empty(start) => (start, true),
            Event::End(_) => {
                open.pop();
                if open.is_empty() {
                    break;
                }
                continue;
            }
            Event::Eof => return Err("document ends inside the fault".to_owned()),
            _ => continue,
        };
        let local = start.local_name().into_inner().to_owned();
        if open.is_empty() {
            open.push(local);
            if empty {
                break;
            }
            continue;
        }
        if start.attributes().has_nil(reader.resolver()) {
            if !empty {
                reader
                    .read_to_end(start.name())
                    .map_err(|error| describe(&error, &reader))?;
            }
            continue;
        }
        if empty {
            continue;
        }
        match (open.last().map_or("", String::as_str), local.as_str()) {
            ("Fault", "faultcode") | ("Code", "Value") => {
                code = Some(FaultCode::read(&mut reader)?)
            }
            ("Subcode", "Value") => subcodes.push(FaultCode::read(&mut reader)?),
            ("Fault", "faultstring") => reasons.push((None, text_content(&mut reader)?)),
            ("Reason", "Text") => {
                let lang = start
                    .try_get_attribute("xml:lang")
                    .ok()
                    .flatten()
                    .and_then(|attr| attr.normalized_value(XmlVersion::Implicit1_0).ok())
                    .map(|lang| lang.into_owned());
                reasons.push((lang, text_content(&mut reader)?));
            }
            ("Fault", "faultactor" | "Node") => {
                node = Some(text_content(&mut reader)?.trim().to_owned())
            }
            ("Fault", "Role") => role = Some(text_content(&mut reader)?.trim().to_owned()),
            ("Fault", "detail" | "Detail") => {
                detail = Some(capture_element(&mut reader, xml, from, &start, false)?);
            }
            ("Fault", "Code" | "Reason") | ("Code" | "Subcode", "Subcode") => open.push(local),
            _ => {
                reader
                    .read_to_end(start.name())
                    .map_err(|error| describe(&error, &reader))?;
            }
        }
    }
    let code = code.ok_or("SOAP fault without a fault code")?;
    let english = reasons.iter().position(|(lang, _)| {
        lang.as_deref()
            .and_then(|lang| lang.split('-').next())
            .is_some_and(|primary| primary.eq_ignore_ascii_case("en"))
    });
    let reason = match english {
        Some(index) => reasons.swap_remove(index).1,
        None if reasons.is_empty() => String::new(),
        None => reasons.swap_remove(0).1,
    };
    Ok(SoapFault {
        version,
        code,
        subcodes,
        reason: reason.trim().to_owned(),
        node,
        role,
        detail,
    })
}
