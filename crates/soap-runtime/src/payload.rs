//! The one pass over a payload element before it is decoded. It reads what servers really
//! send the way zeep reads it, and refuses the one thing that is not guessed:
//!
//! - an element marked `xsi:nil="true"` is left out, so a nil optional element decodes as
//!   `None`, as if the server had left it out;
//! - an element in no namespace inside one that is in a namespace is put in its parent's
//!   namespace: servers write the children of a qualified result unqualified
//!   (`<GetStatusResult><Status>` under a qualified `GetStatusResponse`), or reset the
//!   namespace with `xmlns=""`;
//! - an element that holds one value and is sent twice among other fields
//!   (`<Status>Completed</Status><Status>Failed</Status>`) is refused, naming it, where
//!   decoding would silently keep the last value. A list, an element whose children are all
//!   one repeated name (the way ASMX and WCF write arrays), may repeat, and so may elements
//!   with elements inside.
//!
//! The element is copied only when a nil element is left out or a child is qualified. The
//! same pass tells whether the element is plain (see [`Prepared::plain`]).

use std::borrow::Cow;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use crate::xml::{describe, position};

/// A payload element ready for decoding.
pub(crate) struct Prepared<'a> {
    /// The element without its nil elements and with its unqualified children qualified;
    /// borrowed when neither was needed.
    pub(crate) xml: Cow<'a, str>,
    /// Whether every element is in the namespace the pass was given (its own or, when it
    /// has none, its parent's), no element with text alone has whitespace at either end of
    /// it, and no carriage return is in the element. Read by local names and untrimmed
    /// text, as quick-xml's serde reader reads it, such an element gives what yaserde
    /// reads from it. Always `false` when no namespace was given.
    pub(crate) plain: bool,
}

/// An element whose start tag was read and whose end tag was not yet.
struct Open<'a> {
    /// Its local name.
    name: &'a str,
    /// The namespace it ends up in, as an index into the pass's namespaces.
    namespace: Option<usize>,
    /// Each local name among its child elements, how often it came, and whether every one
    /// of them held text alone; in order of first appearance.
    children: Vec<(&'a str, usize, bool)>,
    /// Whether it has an element inside.
    has_elements: bool,
    /// Whether text was seen inside, whether that text started with whitespace, and whether
    /// the last text seen ended with it.
    text: Option<(bool, bool)>,
}

impl<'a> Open<'a> {
    fn new(name: &'a str, namespace: Option<usize>) -> Self {
        Self {
            name,
            namespace,
            children: Vec::new(),
            has_elements: false,
            text: None,
        }
    }

    /// Counts a child element of this one.
    fn record(&mut self, name: &'a str, leaf: bool) {
        self.has_elements = true;
        match self.children.iter_mut().find(|(seen, ..)| *seen == name) {
            Some((_, count, all_leaves)) => {
                *count += 1;
                *all_leaves &= leaf;
            }
            None => self.children.push((name, 1, leaf)),
        }
    }

    /// Notes a piece of text inside this element.
    fn saw_text(&mut self, text: &str) {
        let (Some(first), Some(last)) = (text.chars().next(), text.chars().next_back()) else {
            return;
        };
        let leading = self
            .text
            .map_or(first.is_whitespace(), |(leading, _)| leading);
        self.text = Some((leading, last.is_whitespace()));
    }

    /// Whether this element holds text alone with whitespace at either end of it.
    fn has_ragged_text(&self) -> bool {
        !self.has_elements
            && self
                .text
                .is_some_and(|(leading, trailing)| leading || trailing)
    }

    /// Refuses a child that holds one value and came more than once among other names.
    fn refuse_duplicates(&self) -> Result<(), String> {
        if self.children.len() < 2 {
            return Ok(());
        }
        match self
            .children
            .iter()
            .filter(|(_, count, all_leaves)| *count > 1 && *all_leaves)
            .min_by_key(|(name, ..)| *name)
        {
            Some((child, count, _)) => Err(format!(
                "element <{child}> appears {count} times in <{}>, where it holds one value",
                self.name
            )),
            None => Ok(()),
        }
    }
}

/// Reads `xml`, one element, once: leaves out its nil elements, qualifies its unqualified
/// children, refuses a value sent twice, and tells whether it is plain for `namespace`.
///
/// # Errors
///
/// A message when `xml` is not well-formed or sends a value twice.
pub(crate) fn prepare<'a>(xml: &'a str, namespace: Option<&str>) -> Result<Prepared<'a>, String> {
    let mut reader = NsReader::from_str(xml);
    // The namespaces seen, so that open elements refer to them by index.
    let mut namespaces: Vec<String> = namespace.iter().map(|ns| (*ns).to_owned()).collect();
    let expected = namespace.map(|_| 0);
    let mut plain = namespace.is_some() && !xml.contains('\r');
    let mut open: Vec<Open<'a>> = Vec::new();
    let mut out = String::new();
    let mut copied = 0;
    let out_of_range = || "element position out of range".to_owned();
    loop {
        let from = position(&reader);
        let event = reader
            .read_event()
            .map_err(|error| describe(&error, &reader))?;
        let (start, empty) = match event {
            Event::Start(start) => (start, false),
            Event::Empty(start) => (start, true),
            Event::End(_) => {
                let Some(element) = open.pop() else {
                    continue;
                };
                element.refuse_duplicates()?;
                if element.has_ragged_text() {
                    plain = false;
                }
                if let Some(parent) = open.last_mut() {
                    parent.record(element.name, !element.has_elements);
                }
                continue;
            }
            Event::Text(text) => {
                if let Some(element) = open.last_mut() {
                    element.saw_text(&text.xml10_content());
                }
                continue;
            }
            Event::CData(text) => {
                if let Some(element) = open.last_mut() {
                    element.saw_text(&text.xml10_content());
                }
                continue;
            }
            Event::GeneralRef(reference) => {
                if let Some(element) = open.last_mut() {
                    // A character reference may stand for whitespace; any other reference
                    // is text that is not.
                    let text = match reference.resolve_char_ref() {
                        Ok(Some(character)) => character.to_string(),
                        _ => "&".to_owned(),
                    };
                    element.saw_text(&text);
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if start.attributes().has_nil(reader.resolver()) {
            if !empty {
                reader
                    .read_to_end(start.name())
                    .map_err(|error| describe(&error, &reader))?;
            }
            out.push_str(xml.get(copied..from).ok_or_else(out_of_range)?);
            copied = position(&reader);
            continue;
        }
        let qualified = xml
            .get(from + 1..from + 1 + start.name().as_ref().len())
            .ok_or_else(out_of_range)?;
        let local = qualified
            .split_once(':')
            .map_or(qualified, |(_, local)| local);
        let own = match reader.resolver().resolve_element(start.name()).0 {
            ResolveResult::Bound(bound) => Some(intern(&mut namespaces, bound.0)),
            ResolveResult::Unbound | ResolveResult::Unknown(_) => None,
        };
        let namespace = match (own, open.last().and_then(|parent| parent.namespace)) {
            (None, Some(parent)) => {
                let tag = xml.get(from..position(&reader)).ok_or_else(out_of_range)?;
                out.push_str(xml.get(copied..from).ok_or_else(out_of_range)?);
                out.push_str(&with_default_namespace(tag, &start, &namespaces[parent]));
                copied = position(&reader);
                Some(parent)
            }
            (own, _) => own,
        };
        if namespace != expected {
            plain = false;
        }
        match open.last_mut() {
            Some(parent) if empty => parent.record(local, true),
            _ if empty => {}
            Some(parent) => {
                parent.has_elements = true;
                open.push(Open::new(local, namespace));
            }
            None => open.push(Open::new(local, namespace)),
        }
    }
    let xml = if copied == 0 {
        Cow::Borrowed(xml)
    } else {
        out.push_str(xml.get(copied..).ok_or_else(out_of_range)?);
        Cow::Owned(out)
    };
    Ok(Prepared { xml, plain })
}

/// The index of `namespace` in `namespaces`, added if it is not there yet.
fn intern(namespaces: &mut Vec<String>, namespace: &str) -> usize {
    match namespaces.iter().position(|seen| seen == namespace) {
        Some(index) => index,
        None => {
            namespaces.push(namespace.to_owned());
            namespaces.len() - 1
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(xml: &str) -> Cow<'_, str> {
        prepare(xml, None).expect("well-formed").xml
    }

    #[test]
    fn nil_elements_are_left_out() {
        let xml = r#"<r xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><a i:nil="true"/><b>1</b><c i:nil="true"><d/></c><e i:nil="false">2</e></r>"#;
        assert_eq!(
            rewritten(xml),
            r#"<r xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><b>1</b><e i:nil="false">2</e></r>"#
        );
        assert!(matches!(rewritten("<r><a/></r>"), Cow::Borrowed(_)));
    }

    #[test]
    fn unqualified_children_take_their_parents_namespace() {
        let xml = r#"<r:R xmlns:r="N"><A><B>1</B></A><C xmlns="">2</C><r:D/><E/></r:R>"#;
        assert_eq!(
            rewritten(xml),
            r#"<r:R xmlns:r="N"><A xmlns="N"><B xmlns="N">1</B></A><C xmlns="N">2</C><r:D/><E xmlns="N"/></r:R>"#
        );
        assert!(matches!(
            rewritten(r#"<R xmlns="N"><A/></R>"#),
            Cow::Borrowed(_)
        ));
        assert!(matches!(rewritten("<R><A/></R>"), Cow::Borrowed(_)));
    }

    #[test]
    fn nil_elements_are_left_out_and_children_qualified_in_one_pass() {
        let xml = r#"<r:R xmlns:r="N" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><A i:nil="true">x</A><B>1</B><r:C i:nil="true"/><D/></r:R>"#;
        assert_eq!(
            rewritten(xml),
            r#"<r:R xmlns:r="N" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><B xmlns="N">1</B><D xmlns="N"/></r:R>"#
        );
    }

    #[test]
    fn a_value_sent_twice_is_refused_and_lists_are_not() {
        let error = prepare("<R><S>a</S><E>x</E><S>b</S></R>", None)
            .err()
            .expect("twice");
        assert_eq!(
            error,
            "element <S> appears 2 times in <R>, where it holds one value"
        );
        let error = prepare("<R><Z>a</Z><E>x</E><Z/><B/><B/></R>", None)
            .err()
            .expect("twice");
        assert_eq!(
            error,
            "element <B> appears 2 times in <R>, where it holds one value"
        );
        for fine in [
            "<R><L><S>a</S><S>b</S></L><E/></R>",
            "<R><I><x/></I><I><x/></I><E/></R>",
            "<R><S>a</S><E/></R>",
        ] {
            assert!(prepare(fine, None).is_ok(), "{fine}");
        }
        let nil = r#"<R xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><S>a</S><E/><S i:nil="true"/></R>"#;
        assert!(prepare(nil, None).is_ok(), "a nil element is not a value");
    }

    #[test]
    fn plain_means_one_namespace_and_trimmed_text() {
        let plain = |xml: &str| prepare(xml, Some("N")).expect("well-formed").plain;
        assert!(plain(
            r#"<R xmlns="N"><A>1</A><B><C>x &amp; y</C></B><D/></R>"#
        ));
        assert!(plain(
            "<n:R xmlns:n=\"N\">\n  <A>1</A>\n  <n:B>2</n:B>\n</n:R>"
        ));
        assert!(plain(
            r#"<R xmlns="N"><A>1<!-- c -->2</A><B><![CDATA[<x>]]></B></R>"#
        ));
        for ragged in [
            r#"<R xmlns="N"><A> 1</A></R>"#,
            r#"<R xmlns="N"><A>1 </A></R>"#,
            r#"<R xmlns="N"><A>   </A></R>"#,
            r#"<R xmlns="N"><A>&#32;1</A></R>"#,
            r#"<R xmlns="N"><A>1<![CDATA[ ]]></A></R>"#,
            "<R xmlns=\"N\"><A>1\r\n2</A></R>",
        ] {
            assert!(!plain(ragged), "{ragged}");
        }
        for foreign in [
            r#"<R xmlns="M"><A>1</A></R>"#,
            r#"<R><A>1</A></R>"#,
            r#"<R xmlns="N"><m:A xmlns:m="M">1</m:A></R>"#,
            r#"<R xmlns="N"><A xmlns="M"><B/></A></R>"#,
        ] {
            assert!(!plain(foreign), "{foreign}");
        }
        assert!(
            !prepare(r#"<R xmlns="N"/>"#, None)
                .expect("well-formed")
                .plain
        );
    }
}
