//! What servers really send, read the way zeep reads it: any encoding the document
//! declares. (Results whose children are not in the result's namespace, and the one thing
//! that is refused rather than guessed, are the payload pass's: see `payload.rs`.)

use std::borrow::Cow;

use encoding_rs::Encoding;

/// How far into a body the XML declaration is looked for.
const DECLARATION_LIMIT: usize = 256;

/// The text of a body: decoded by its byte order mark (UTF-8, UTF-16), else by the
/// encoding its XML declaration names, else as UTF-8.
pub(crate) fn body_text(body: &[u8]) -> Result<Cow<'_, str>, String> {
    let (encoding, rest) = match Encoding::for_bom(body) {
        Some((encoding, bom)) => (encoding, &body[bom..]),
        None => match declared_encoding(body) {
            // The label almost every server writes, without a look-up.
            Some(label) if label.eq_ignore_ascii_case("utf-8") => (encoding_rs::UTF_8, body),
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
}
