//! yaserde support for types written as the text of one element, such as the open enums
//! and restricted strings of generated SOAP clients, whose `YaSerialize` and
//! `YaDeserialize` are written by hand, and [`Sent`], which keeps the text of an open enum
//! as sent. `soap_runtime::text` re-exports the helpers for generated code.

use std::io::{Read, Write};

use yaserde::__xml::reader::XmlEvent as ReadEvent;
use yaserde::__xml::writer::XmlEvent as WriteEvent;
use yaserde::de::Deserializer;
use yaserde::ser::Serializer;

use crate::Sent;

/// Writes `text` as the content of an element, for `YaSerialize::serialize`.
///
/// The element is named by the field being written; `root` names it when the value is
/// serialized on its own. When the caller asks for content only, no element is written.
///
/// # Errors
///
/// The writer's error.
pub fn write_text<W: Write>(
    writer: &mut Serializer<W>,
    root: &str,
    text: &str,
) -> yaserde::Result<()> {
    let skip = writer.skip_start_end();
    if !skip {
        let name = writer
            .get_start_event_name()
            .unwrap_or_else(|| root.to_owned());
        writer.write(WriteEvent::start_element(name.as_str()))?;
    }
    writer.write(WriteEvent::characters(text))?;
    if !skip {
        writer.write(WriteEvent::end_element())?;
    }
    Ok(())
}

/// Reads the text of the element the reader is at, for `YaDeserialize::deserialize`.
///
/// Consumes the start tag and the content and leaves the end tag, as yaserde's derived
/// deserializers expect. Elements nested inside are skipped; their text is not kept.
///
/// # Errors
///
/// The reader's error, or a message when the reader is not at an element.
pub fn read_text<R: Read>(reader: &mut Deserializer<R>) -> yaserde::Result<String> {
    match reader.next_event()? {
        ReadEvent::StartElement { .. } => {}
        other => {
            return Err(yaserde::Error::custom(format!(
                "expected an element with text, found {other:?}"
            )));
        }
    }
    let depth = reader.depth();
    let mut text = String::new();
    loop {
        let at_depth = reader.depth() == depth;
        match reader.peek()? {
            ReadEvent::EndElement { .. } if at_depth => return Ok(text),
            ReadEvent::EndDocument => {
                return Err(yaserde::Error::custom("document ends inside an element"));
            }
            _ => {}
        }
        if let ReadEvent::Characters(chunk) | ReadEvent::CData(chunk) = reader.next_event()?
            && at_depth
        {
            text.push_str(&chunk);
        }
    }
}

impl<E: AsRef<str>> yaserde::YaSerialize for Sent<E> {
    fn serialize<W: Write>(&self, writer: &mut Serializer<W>) -> yaserde::Result<()> {
        write_text(writer, "value", self.as_sent())
    }

    fn serialize_attributes(
        &self,
        attributes: Vec<yaserde::__xml::attribute::OwnedAttribute>,
        namespace: yaserde::__xml::namespace::Namespace,
    ) -> yaserde::Result<(
        Vec<yaserde::__xml::attribute::OwnedAttribute>,
        yaserde::__xml::namespace::Namespace,
    )> {
        Ok((attributes, namespace))
    }
}

impl<E: for<'a> From<&'a str> + AsRef<str>> yaserde::YaDeserialize for Sent<E> {
    fn deserialize<R: Read>(reader: &mut Deserializer<R>) -> yaserde::Result<Self> {
        read_text(reader).map(|text| Sent::read(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Word(String);

    impl yaserde::YaSerialize for Word {
        fn serialize<W: Write>(&self, writer: &mut Serializer<W>) -> yaserde::Result<()> {
            write_text(writer, "Word", &self.0)
        }

        fn serialize_attributes(
            &self,
            attributes: Vec<yaserde::__xml::attribute::OwnedAttribute>,
            namespace: yaserde::__xml::namespace::Namespace,
        ) -> yaserde::Result<(
            Vec<yaserde::__xml::attribute::OwnedAttribute>,
            yaserde::__xml::namespace::Namespace,
        )> {
            Ok((attributes, namespace))
        }
    }

    impl yaserde::YaDeserialize for Word {
        fn deserialize<R: Read>(reader: &mut Deserializer<R>) -> yaserde::Result<Self> {
            read_text(reader).map(Word)
        }
    }

    #[derive(Debug, PartialEq, yaserde::YaSerialize, yaserde::YaDeserialize)]
    struct Pair {
        #[yaserde(rename = "a")]
        a: Word,
        #[yaserde(rename = "b")]
        b: Option<Word>,
        #[yaserde(rename = "c")]
        c: i32,
    }

    #[test]
    fn text_types_round_trip_as_fields() {
        let pair = Pair {
            a: Word("x &amp; y".to_owned()),
            b: Some(Word(String::new())),
            c: 3,
        };
        let xml = yaserde::ser::to_string(&pair).expect("serializes");
        assert_eq!(
            xml,
            r#"<?xml version="1.0" encoding="UTF-8"?><Pair><a>x &amp;amp; y</a><b></b><c>3</c></Pair>"#
        );
        assert_eq!(yaserde::de::from_str::<Pair>(&xml).expect("decodes"), pair);
    }

    #[test]
    fn nested_markup_is_skipped() {
        let pair: Pair =
            yaserde::de::from_str("<Pair><a>one<i>two</i></a><c>1</c></Pair>").expect("decodes");
        assert_eq!(pair.a, Word("one".to_owned()));
        assert_eq!(pair.b, None);
    }

    #[test]
    fn a_text_type_decodes_on_its_own() {
        let word: Word = yaserde::de::from_str("<Word>w</Word>").expect("decodes");
        assert_eq!(word, Word("w".to_owned()));
    }
}
