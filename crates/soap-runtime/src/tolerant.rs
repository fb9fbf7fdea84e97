//! What servers really send, read the way zeep reads it: any encoding the document
//! declares, results whose children are not in the result's namespace; and the one thing
//! that is refused rather than guessed, an element that holds one value sent twice.

use std::borrow::Cow;
use std::collections::BTreeMap;

use encoding_rs::Encoding;
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use crate::xml::{describe, position};

/// How far into a body the XML declaration is looked for.
const DECLARATION_LIMIT: usize = 256;

/// The text of a body: decoded by its byte order mark (UTF-8, UTF-16), else by the
/// encoding its XML declaration names, else as UTF-8.
pub(crate) fn body_text(body: &[u8]) -> Result<Cow<'_, str>, String> {
    let (encoding, rest) = match Encoding::for_bom(body) {
        Some((encoding, bom)) => (encoding, &body[bom..]),
        None => match declared_encoding(body) {
            Some(label) => (
                Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                    format!("the XML declaration names an unknown encoding {label:?}")
                })?,
                body,
            ),
            None => (encoding_rs::UTF_8, body),
        },
    };
    encoding
        .decode_without_bom_handling_and_without_replacement(rest)
        .ok_or_else(|| format!("body is not valid {}", encoding.name()))
}

/// The `encoding` of an XML declaration at the start of an ASCII-compatible body.
fn declared_encoding(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(DECLARATION_LIMIT)];
    let head = head.trim_ascii_start();
    let declaration = head.strip_prefix(b"<?xml")?;
    let end = declaration.windows(2).position(|w| w == b"?>")?;
    let declaration = std::str::from_utf8(&declaration[..end]).ok()?;
    let value = declaration.split("encoding").nth(1)?.trim_start();
    let value = value.strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = &value[1..];
    Some(value[..value.find(quote)?].to_owned())
}

/// `xml` with every element that is in no namespace, inside an element that is in one,
/// put in its parent's namespace: servers write the children of a qualified result
/// unqualified (`<GetStatusResult><Status>` under a qualified `GetStatusResponse`), or
/// reset the namespace with `xmlns=""`; zeep reads both.
pub(crate) fn qualify_children(xml: &str) -> Result<Cow<'_, str>, String> {
    let mut reader = NsReader::from_str(xml);
    // The namespace each open element ends up in.
    let mut open: Vec<Option<String>> = Vec::new();
    let mut out = String::new();
    let mut copied = 0;
    loop {
        let from = position(&reader);
        let (start, empty) = match reader
            .read_event()
            .map_err(|error| describe(&error, &reader))?
        {
            Event::Start(start) => (start, false),
            Event::Empty(start) => (start, true),
            Event::End(_) => {
                open.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let own = match reader.resolver().resolve_element(start.name()).0 {
            ResolveResult::Bound(namespace) => Some(namespace.0.to_owned()),
            ResolveResult::Unbound | ResolveResult::Unknown(_) => None,
        };
        let inherited = open.last().cloned().flatten();
        let namespace = match (own, inherited) {
            (None, Some(parent)) => {
                let tag = xml.get(from..position(&reader)).ok_or("tag out of range")?;
                out.push_str(xml.get(copied..from).ok_or("tag out of range")?);
                out.push_str(&with_default_namespace(tag, &start, &parent));
                copied = position(&reader);
                Some(parent)
            }
            (own, _) => own,
        };
        if !empty {
            open.push(namespace);
        }
    }
    if copied == 0 {
        return Ok(Cow::Borrowed(xml));
    }
    out.push_str(xml.get(copied..).ok_or("tag out of range")?);
    Ok(Cow::Owned(out))
}

/// The start tag `tag` with `namespace` as its default namespace: an empty `xmlns`
/// replaced, or one added after the name.
fn with_default_namespace(tag: &str, start: &BytesStart<'_>, namespace: &str) -> String {
    let escaped = quick_xml::escape::escape(namespace);
    for empty in [r#"xmlns="""#, "xmlns=''"] {
        if let Some(at) = tag.find(empty) {
            return format!(
                "{}xmlns=\"{escaped}\"{}",
                &tag[..at],
                &tag[at + empty.len()..]
            );
        }
    }
    let name_end = 1 + start.name().as_ref().len();
    format!(
        "{} xmlns=\"{escaped}\"{}",
        &tag[..name_end],
        &tag[name_end..]
    )
}

/// The children of one open element: how often each name came, and whether every one of
/// them held only text.
#[derive(Default)]
struct Children {
    seen: BTreeMap<String, (usize, bool)>,
    has_elements: bool,
}

/// Refuses an element that holds one value and is sent twice among other fields
/// (`<Status>Completed</Status><Status>Failed</Status>`), naming it: decoding would
/// silently keep the last value. A list, an element whose children are all one repeated
/// name (the way ASMX and WCF write arrays), may repeat, and so may elements with
/// elements inside.
pub(crate) fn refuse_duplicates(xml: &str) -> Result<(), String> {
    let mut reader = NsReader::from_str(xml);
    let mut open: Vec<(String, Children)> = Vec::new();
    let record = |open: &mut Vec<(String, Children)>, name: String, leaf: bool| {
        if let Some((_, parent)) = open.last_mut() {
            parent.has_elements = true;
            let entry = parent.seen.entry(name).or_insert((0, true));
            entry.0 += 1;
            entry.1 &= leaf;
        }
    };
    loop {
        match reader
            .read_event()
            .map_err(|error| describe(&error, &reader))?
        {
            Event::Start(start) => {
                if let Some((_, parent)) = open.last_mut() {
                    parent.has_elements = true;
                }
                let name = start.local_name().into_inner().to_owned();
                open.push((name, Children::default()));
            }
            Event::Empty(start) => {
                let name = start.local_name().into_inner().to_owned();
                record(&mut open, name, true);
            }
            Event::End(_) => {
                let Some((name, children)) = open.pop() else {
                    continue;
                };
                if children.seen.len() > 1
                    && let Some((child, (count, _))) = children
                        .seen
                        .iter()
                        .find(|(_, (count, leaf))| *count > 1 && *leaf)
                {
                    return Err(format!(
                        "element <{child}> appears {count} times in <{name}>, where it holds one value"
                    ));
                }
                record(&mut open, name, !children.has_elements);
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_encoding_decodes() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<a>é</a>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(body_text(&utf16).expect("UTF-16LE"), "<a>é</a>");
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("<a>é</a>".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(body_text(&utf16be).expect("UTF-16BE"), "<a>é</a>");
        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xe9</a>";
        assert!(body_text(latin1).expect("Latin-1").ends_with("<a>é</a>"));
        assert_eq!(body_text(b"\xef\xbb\xbf<a/>").expect("UTF-8 BOM"), "<a/>");
        assert!(body_text(b"<a>\xe9</a>").is_err(), "undeclared, not UTF-8");
        assert!(body_text(b"<?xml version=\"1.0\" encoding=\"klingon\"?><a/>").is_err());
    }

    #[test]
    fn unqualified_children_take_their_parents_namespace() {
        let xml = r#"<r:R xmlns:r="N"><A><B>1</B></A><C xmlns="">2</C><r:D/><E/></r:R>"#;
        assert_eq!(
            qualify_children(xml).expect("well-formed"),
            r#"<r:R xmlns:r="N"><A xmlns="N"><B xmlns="N">1</B></A><C xmlns="N">2</C><r:D/><E xmlns="N"/></r:R>"#
        );
        let qualified = r#"<R xmlns="N"><A/></R>"#;
        assert!(matches!(qualify_children(qualified), Ok(Cow::Borrowed(_))));
        assert!(matches!(
            qualify_children("<R><A/></R>"),
            Ok(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn a_value_sent_twice_is_refused_and_lists_are_not() {
        let error = refuse_duplicates("<R><S>a</S><E>x</E><S>b</S></R>").expect_err("twice");
        assert_eq!(
            error,
            "element <S> appears 2 times in <R>, where it holds one value"
        );
        assert!(refuse_duplicates("<R><L><S>a</S><S>b</S></L><E/></R>").is_ok());
        assert!(refuse_duplicates("<R><I><x/></I><I><x/></I><E/></R>").is_ok());
        assert!(refuse_duplicates("<R><S>a</S><E/></R>").is_ok());
    }
}
