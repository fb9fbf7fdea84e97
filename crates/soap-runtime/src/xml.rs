//! Small helpers over `quick-xml` shared by the envelope, response and fault code.

use quick_xml::NsReader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::name::PrefixDeclaration;

/// Whether `text` contains a document type or entity declaration, in any case.
///
/// Checked on the raw text before any parsing, so a DTD is never seen by a parser: one
/// pass that looks at what follows each `<!`.
pub(crate) fn has_dtd(text: &str) -> bool {
    // Most answers have no `<!` at all (no comment, no CDATA), found by a vectorized search.
    if !text.contains("<!") {
        return false;
    }
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(at, &byte)| {
        byte == b'<'
            && bytes.get(at + 1) == Some(&b'!')
            && [&b"DOCTYPE"[..], b"ENTITY"].iter().any(|keyword| {
                bytes
                    .get(at + 2..at + 2 + keyword.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(keyword))
            })
    })
}

/// Whether a text event holds only XML whitespace.
pub(crate) fn is_blank(text: &BytesText<'_>) -> bool {
    text.bytes()
        .all(|byte| matches!(byte, b' ' | b'\t' | b'\r' | b'\n'))
}

/// The reader position as an index into the input.
pub(crate) fn position(reader: &NsReader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// A parse error with the byte position where the reader stopped.
pub(crate) fn describe(error: &quick_xml::Error, reader: &NsReader<&[u8]>) -> String {
    format!("{error} (at byte {})", reader.error_position())
}

/// Every namespace binding in scope at the element whose start tag was just read that the
/// element does not declare itself, as attributes (` xmlns:p="..."`), so that the element
/// can stand alone.
pub(crate) fn inherited_declarations(reader: &NsReader<&[u8]>) -> String {
    let own: Vec<PrefixDeclaration<'_>> = reader
        .resolver()
        .bindings_of(reader.resolver().level())
        .map(|(prefix, _)| prefix)
        .collect();
    let mut declarations = String::with_capacity(
        reader
            .resolver()
            .bindings()
            .map(|(_, namespace)| namespace.0.len() + 32)
            .sum(),
    );
    for (prefix, namespace) in reader.resolver().bindings() {
        if own.contains(&prefix) {
            continue;
        }
        let quote = if namespace.0.contains('"') { '\'' } else { '"' };
        match prefix {
            PrefixDeclaration::Default => declarations.push_str(" xmlns="),
            PrefixDeclaration::Named(name) => {
                declarations.push_str(" xmlns:");
                declarations.push_str(name);
                declarations.push('=');
            }
        }
        declarations.push(quote);
        declarations.push_str(namespace.0);
        declarations.push(quote);
    }
    declarations
}

/// Where the declarations of [`inherited_declarations`] go in a start tag that ends at
/// byte `tag_end` of `input`: before its `/>` or `>`.
pub(crate) fn declarations_at(input: &str, tag_end: usize, empty: bool) -> Result<usize, String> {
    let tag = input
        .get(..tag_end)
        .ok_or("element position out of range")?;
    match tag.strip_suffix("/>") {
        Some(open) if empty => Ok(open.len()),
        _ => tag
            .strip_suffix('>')
            .map(str::len)
            .ok_or_else(|| "a start tag that does not end with `>`".to_owned()),
    }
}

/// Reads the rest of the element whose start tag (`start`, found at byte `from` of
/// `input`) was just read, and returns the element as standalone XML: the original
/// text, with every namespace binding in scope that the element does not declare
/// itself added to its start tag.
pub(crate) fn capture_element(
    reader: &mut NsReader<&[u8]>,
    input: &str,
    from: usize,
    start: &BytesStart<'_>,
    empty: bool,
) -> Result<String, String> {
    let declarations = inherited_declarations(reader);
    let at = declarations_at(input, position(reader), empty)?;
    if !empty {
        reader
            .read_to_end(start.name())
            .map_err(|error| describe(&error, reader))?;
    }
    let out_of_range = || "element position out of range".to_owned();
    let head = input.get(from..at).ok_or_else(out_of_range)?;
    let rest = input.get(at..position(reader)).ok_or_else(out_of_range)?;
    Ok(format!("{head}{declarations}{rest}"))
}

/// Whether the root element of a document is marked `xsi:nil="true"`.
pub(crate) fn root_is_nil(xml: &str) -> Result<bool, String> {
    let mut reader = NsReader::from_str(xml);
    loop {
        match reader
            .read_event()
            .map_err(|error| describe(&error, &reader))?
        {
            Event::Start(start) | Event::Empty(start) => {
                return Ok(start.attributes().has_nil(reader.resolver()));
            }
            Event::Eof => return Err("no root element".to_owned()),
            _ => {}
        }
    }
}

/// Reads the text content of the element whose start tag was just read, up to and
/// including its end tag. Character and predefined entity references are resolved,
/// CDATA is kept, markup inside is skipped.
pub(crate) fn text_content(reader: &mut NsReader<&[u8]>) -> Result<String, String> {
    let mut text = String::new();
    let mut depth = 0_usize;
    loop {
        match reader
            .read_event()
            .map_err(|error| describe(&error, reader))?
        {
            Event::Text(chunk) => text.push_str(&chunk.xml10_content()),
            Event::CData(chunk) => text.push_str(&chunk.xml10_content()),
            Event::GeneralRef(reference) => {
                match reference
                    .resolve_char_ref()
                    .map_err(|error| describe(&error, reader))?
                {
                    Some(ch) => text.push(ch),
                    None => text.push_str(
                        resolve_predefined_entity(&reference)
                            .ok_or_else(|| format!("undefined entity &{};", &*reference))?,
                    ),
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(text),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err("document ends inside an element".to_owned()),
            Event::Empty(_)
            | Event::Comment(_)
            | Event::Decl(_)
            | Event::PI(_)
            | Event::DocType(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtd_detection_ignores_case() {
        assert!(has_dtd("<!doctype html><html/>"));
        assert!(has_dtd("<a><!ENTITY x 'y'></a>"));
        assert!(!has_dtd("<a>&lt;!DOCTYPE</a>"));
        assert!(has_dtd("<a><!-- x --><!EnTiTy"));
        assert!(!has_dtd("<a><!-- <!DOCTYP --><![CDATA[<!ENTIT]]></a><!"));
    }

    #[test]
    fn captured_element_carries_the_bindings_in_scope() {
        let input =
            r#"<r xmlns="d" xmlns:a="A" xmlns:b="B"><x xmlns:b="B2" b:k="1"><a:y/></x></r>"#;
        let mut reader = NsReader::from_str(input);
        let mut captured = None;
        loop {
            let from = position(&reader);
            match reader.read_event().expect("well-formed") {
                Event::Start(start) if start.name().0 == "x" => {
                    captured = Some(capture_element(&mut reader, input, from, &start, false));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(
            captured.expect("x found").expect("captured"),
            r#"<x xmlns:b="B2" b:k="1" xmlns="d" xmlns:a="A"><a:y/></x>"#
        );
    }
}
