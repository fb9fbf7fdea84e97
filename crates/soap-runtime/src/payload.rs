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
//! The pass notes the places it rewrites rather than copying the element, and tells on the
//! way whether the element is plain (see [`Walked::plain`]). It runs inside the envelope's
//! own pass over a response (see `response.rs`), or over standalone XML ([`prepare`]).

use std::borrow::Cow;
use std::ops::Range;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use crate::xml::{describe, position};

/// A standalone element ready for decoding.
pub(crate) struct Prepared<'a> {
    /// The element without its nil elements and with its unqualified children qualified;
    /// borrowed when neither was needed.
    pub(crate) xml: Cow<'a, str>,
    /// Whether it is plain (see [`Walked::plain`]) and its namespace is the one asked for.
    pub(crate) plain: bool,
}

/// A part of the input replaced: a nil element by nothing, an unqualified start tag by
/// one that declares its parent's namespace.
pub(crate) struct Edit {
    range: Range<usize>,
    text: String,
}

/// What the pass found in one element.
pub(crate) struct Walked {
    /// Where the element ends in the input.
    pub(crate) end: usize,
    /// The rewrites, in the order of the input, not overlapping.
    pub(crate) edits: Vec<Edit>,
    /// The namespace the element is in.
    pub(crate) namespace: Option<String>,
    /// Whether every element inside is in the element's namespace (its own or, when it has
    /// none, its parent's), no element has an attribute other than namespace declarations,
    /// no element with text alone has whitespace at either end of it, and no carriage return
    /// is in the element. Read by local names and untrimmed text,
    /// as quick-xml's serde reader reads it, such an element gives what yaserde reads.
    pub(crate) plain: bool,
    /// The first value sent twice, as the message that refuses it.
    pub(crate) duplicate: Option<String>,
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

    /// The message refusing a child that holds one value and came more than once among
    /// other names, if there is one.
    fn duplicate(&self) -> Option<String> {
        if self.children.len() < 2 {
            return None;
        }
        self.children
            .iter()
            .filter(|(_, count, all_leaves)| *count > 1 && *all_leaves)
            .min_by_key(|(name, ..)| *name)
            .map(|(child, count, _)| {
                format!(
                    "element <{child}> appears {count} times in <{}>, where it holds one value",
                    self.name
                )
            })
    }
}

/// The state of the pass over one element.
struct Walk<'a> {
    input: &'a str,
    /// The namespaces seen, so that open elements refer to them by index.
    namespaces: Vec<String>,
    open: Vec<Open<'a>>,
    edits: Vec<Edit>,
    /// The namespace of the outermost element, once its start tag was read.
    root: Option<Option<usize>>,
    plain: bool,
    duplicate: Option<String>,
}

impl<'a> Walk<'a> {
    /// Takes the start tag `start`, read from byte `from`: leaves the element out (reading
    /// it whole) if it is nil, qualifies it if it has no namespace and its parent has one.
    fn start(
        &mut self,
        reader: &mut NsReader<&'a [u8]>,
        from: usize,
        start: &BytesStart<'_>,
        empty: bool,
    ) -> Result<(), String> {
        let out_of_range = || "element position out of range".to_owned();
        let tag_end = position(reader);
        let tag = self.input.get(from..tag_end).ok_or_else(out_of_range)?;
        // Only a tag that says `nil` can be nil; the check reads every attribute.
        if tag.contains("nil") && start.attributes().has_nil(reader.resolver()) {
            if !empty {
                reader
                    .read_to_end(start.name())
                    .map_err(|error| describe(&error, reader))?;
            }
            self.edits.push(Edit {
                range: from..position(reader),
                text: String::new(),
            });
            return Ok(());
        }
        // The generated types' serde names match elements only: an attribute other than a
        // namespace declaration is for yaserde to read.
        if tag.contains('=')
            && start.attributes().any(|attribute| {
                attribute.map_or(true, |attribute| {
                    let key = attribute.key.as_ref();
                    key != "xmlns" && !key.starts_with("xmlns:")
                })
            })
        {
            self.plain = false;
        }
        let qualified = tag
            .get(1..1 + start.name().as_ref().len())
            .ok_or_else(out_of_range)?;
        let local = qualified
            .split_once(':')
            .map_or(qualified, |(_, local)| local);
        let own = match reader.resolver().resolve_element(start.name()).0 {
            ResolveResult::Bound(bound) => Some(intern(&mut self.namespaces, bound.0)),
            ResolveResult::Unbound | ResolveResult::Unknown(_) => None,
        };
        let namespace = match (own, self.open.last().and_then(|parent| parent.namespace)) {
            (None, Some(parent)) => {
                self.edits.push(Edit {
                    range: from..tag_end,
                    text: with_default_namespace(tag, start, &self.namespaces[parent]),
                });
                Some(parent)
            }
            (own, _) => own,
        };
        match self.root {
            None => self.root = Some(namespace),
            Some(root) if root != namespace => self.plain = false,
            Some(_) => {}
        }
        match self.open.last_mut() {
            Some(parent) if empty => parent.record(local, true),
            _ if empty => {}
            Some(parent) => {
                parent.has_elements = true;
                self.open.push(Open::new(local, namespace));
            }
            None => self.open.push(Open::new(local, namespace)),
        }
        Ok(())
    }

    /// Takes an end tag.
    fn end(&mut self) {
        let Some(element) = self.open.pop() else {
            return;
        };
        if self.duplicate.is_none() {
            self.duplicate = element.duplicate();
        }
        if element.has_ragged_text() {
            self.plain = false;
        }
        if let Some(parent) = self.open.last_mut() {
            parent.record(element.name, !element.has_elements);
        }
    }

    /// Takes text inside the open element.
    fn text(&mut self, text: &str) {
        if let Some(element) = self.open.last_mut() {
            element.saw_text(text);
        }
    }
}

/// Reads the rest of the element whose start tag (`start`, read from byte `from` of
/// `input`) was just read, up to and including its end tag: notes its rewrites, whether it
/// is plain, and a value sent twice.
///
/// # Errors
///
/// A message when the element is not well-formed.
pub(crate) fn walk<'a>(
    reader: &mut NsReader<&'a [u8]>,
    input: &'a str,
    from: usize,
    start: &BytesStart<'_>,
    empty: bool,
) -> Result<Walked, String> {
    let mut walk = Walk {
        input,
        namespaces: Vec::new(),
        open: Vec::new(),
        edits: Vec::new(),
        root: None,
        plain: true,
        duplicate: None,
    };
    walk.start(reader, from, start, empty)?;
    while !walk.open.is_empty() {
        let from = position(reader);
        match reader
            .read_event()
            .map_err(|error| describe(&error, reader))?
        {
            Event::Start(start) => walk.start(reader, from, &start, false)?,
            Event::Empty(start) => walk.start(reader, from, &start, true)?,
            Event::End(_) => walk.end(),
            Event::Text(text) => walk.text(&text.xml10_content()),
            Event::CData(text) => walk.text(&text.xml10_content()),
            // A character reference may stand for whitespace; any other reference is text
            // that is not.
            Event::GeneralRef(reference) => match reference.resolve_char_ref() {
                Ok(Some(character)) => walk.text(character.encode_utf8(&mut [0; 4])),
                _ => walk.text("&"),
            },
            Event::Eof => return Err("document ends inside an element".to_owned()),
            _ => {}
        }
    }
    let end = position(reader);
    if input
        .get(from..end)
        .is_none_or(|element| element.contains('\r'))
    {
        walk.plain = false;
    }
    let namespaces = walk.namespaces;
    Ok(Walked {
        end,
        edits: walk.edits,
        namespace: walk
            .root
            .flatten()
            .and_then(|index| namespaces.into_iter().nth(index)),
        plain: walk.plain,
        duplicate: walk.duplicate,
    })
}

/// `input[range]` with `edits` made and, if given, `text` inserted at byte `at` (unless an
/// edit removes that place).
pub(crate) fn render(
    input: &str,
    range: Range<usize>,
    edits: &[Edit],
    insert: Option<(usize, &str)>,
) -> Result<String, String> {
    /// Copies the input from `copied` to `to`, inserting the text on the way.
    fn copy_to(
        input: &str,
        out: &mut String,
        copied: usize,
        to: usize,
        insert: &mut Option<(usize, &str)>,
    ) -> Result<(), String> {
        let out_of_range = || "element position out of range".to_owned();
        let mut copied = copied;
        if let Some((at, text)) = *insert
            && (copied..=to).contains(&at)
        {
            out.push_str(input.get(copied..at).ok_or_else(out_of_range)?);
            out.push_str(text);
            copied = at;
            *insert = None;
        }
        out.push_str(input.get(copied..to).ok_or_else(out_of_range)?);
        Ok(())
    }
    let mut out = String::with_capacity(range.len() + insert.map_or(0, |(_, text)| text.len()));
    let mut copied = range.start;
    let mut insert = insert;
    for edit in edits {
        copy_to(input, &mut out, copied, edit.range.start, &mut insert)?;
        out.push_str(&edit.text);
        if insert.is_some_and(|(at, _)| edit.range.contains(&at)) {
            insert = None;
        }
        copied = edit.range.end;
    }
    copy_to(input, &mut out, copied, range.end, &mut insert)?;
    Ok(out)
}

/// Reads `xml`, standalone XML, once: leaves out its nil elements, qualifies its
/// unqualified children, refuses a value sent twice, and tells whether it is plain and in
/// `namespace`.
///
/// # Errors
///
/// A message when `xml` is not well-formed or sends a value twice.
pub(crate) fn prepare<'a>(xml: &'a str, namespace: Option<&str>) -> Result<Prepared<'a>, String> {
    let mut reader = NsReader::from_str(xml);
    let mut edits = Vec::new();
    let mut plain = namespace.is_some();
    loop {
        let from = position(&reader);
        let (start, empty) = match reader
            .read_event()
            .map_err(|error| describe(&error, &reader))?
        {
            Event::Start(start) => (start, false),
            Event::Empty(start) => (start, true),
            Event::Eof => break,
            _ => continue,
        };
        let walked = walk(&mut reader, xml, from, &start, empty)?;
        if let Some(duplicate) = walked.duplicate {
            return Err(duplicate);
        }
        plain &= walked.plain && walked.namespace.as_deref() == namespace;
        edits.extend(walked.edits);
    }
    let xml = if edits.is_empty() {
        Cow::Borrowed(xml)
    } else {
        Cow::Owned(render(xml, 0..xml.len(), &edits, None)?)
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
            r#"<R xmlns="N"><A id="7">1</A></R>"#,
            r#"<R xmlns="N" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><A i:nil="false">1</A></R>"#,
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

    #[test]
    fn edits_and_an_insertion_are_rendered_in_order() {
        let input = "<a><b/><c>1</c><d/></a>";
        let edits = [
            Edit {
                range: 3..7,
                text: String::new(),
            },
            Edit {
                range: 7..10,
                text: "<c x=\"1\">".to_owned(),
            },
        ];
        assert_eq!(
            render(input, 0..input.len(), &edits, Some((2, " n"))).expect("in range"),
            "<a n><c x=\"1\">1</c><d/></a>"
        );
        assert_eq!(
            render(input, 3..15, &edits[1..], None).expect("in range"),
            "<b/><c x=\"1\">1</c>"
        );
        assert_eq!(
            render(input, 0..input.len(), &[], Some((22, "!"))).expect("in range"),
            "<a><b/><c>1</c><d/></a!>"
        );
        let gone = [Edit {
            range: 0..input.len(),
            text: String::new(),
        }];
        assert_eq!(
            render(input, 0..input.len(), &gone, Some((2, " n"))).expect("in range"),
            ""
        );
    }
}
