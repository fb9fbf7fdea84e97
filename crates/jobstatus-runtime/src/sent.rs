//! Open enum values that keep the text the server sent.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The form in which an open enum matches what a server sent against the values its spec
/// lists: trimmed, ASCII lower case, `-` read as `_`. Servers respell states (`done`,
/// ` DONE `, `NOT_STARTED` for `not-started`); the generated `From<&str>` of every open
/// enum matches this key of the text against the same key of each listed value.
pub fn enum_key(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// A value of an open enum `E` with the text the server sent for it.
///
/// Known values match ignoring ASCII case, surrounding spaces and `-`/`_` differences (the
/// enum's `From<&str>` does that), so ` done ` is `DONE`; this keeps ` done ` beside it.
/// It dereferences to the enum, so `match *status.state { .. }` and `status.state.phase()`
/// read the matched value, and [`Sent::as_sent`] gives the text as sent (what a user should
/// be shown). It serializes as sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sent<E> {
    value: E,
    /// The text as sent, when it differs from the value's own spelling.
    respelled: Option<String>,
}

impl<E: AsRef<str>> Sent<E> {
    /// The matched value (the enum's unlisted variant when nothing matched).
    pub fn value(&self) -> &E {
        &self.value
    }

    /// The matched value, without the text.
    pub fn into_value(self) -> E {
        self.value
    }

    /// The text as sent.
    pub fn as_sent(&self) -> &str {
        self.respelled
            .as_deref()
            .unwrap_or_else(|| self.value.as_ref())
    }
}

impl<E: for<'a> From<&'a str> + AsRef<str>> Sent<E> {
    /// Reads `text` the way a decoded value is read.
    pub fn read(text: &str) -> Self {
        let value = E::from(text);
        let respelled = (value.as_ref() != text).then(|| text.to_owned());
        Self { value, respelled }
    }
}

impl<E> From<E> for Sent<E> {
    fn from(value: E) -> Self {
        Self {
            value,
            respelled: None,
        }
    }
}

impl<E> Deref for Sent<E> {
    type Target = E;

    fn deref(&self) -> &E {
        &self.value
    }
}

impl<E: PartialEq> PartialEq<E> for Sent<E> {
    fn eq(&self, other: &E) -> bool {
        self.value == *other
    }
}

impl<E: AsRef<str>> fmt::Display for Sent<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_sent())
    }
}

impl<E: for<'a> From<&'a str> + AsRef<str>> std::str::FromStr for Sent<E> {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self::read(text))
    }
}

impl<E: AsRef<str>> Serialize for Sent<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_sent())
    }
}

impl<'de, E: for<'a> From<&'a str> + AsRef<str>> Deserialize<'de> for Sent<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Self::read(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stands in for a generated open enum.
    #[derive(Clone, Debug, PartialEq)]
    enum Word {
        Done,
        Unlisted(String),
    }

    impl From<&str> for Word {
        fn from(text: &str) -> Self {
            match enum_key(text).as_str() {
                "done" => Self::Done,
                _ => Self::Unlisted(text.to_owned()),
            }
        }
    }

    impl AsRef<str> for Word {
        fn as_ref(&self) -> &str {
            match self {
                Self::Done => "DONE",
                Self::Unlisted(text) => text,
            }
        }
    }

    #[test]
    fn the_text_as_sent_is_kept_beside_the_match() {
        let sent: Sent<Word> = serde_json::from_str("\" done \"").expect("decodes");
        assert_eq!(*sent, Word::Done);
        assert_eq!(sent.as_sent(), " done ");
        assert_eq!(serde_json::to_string(&sent).expect("json"), "\" done \"");
        let exact: Sent<Word> = serde_json::from_str("\"DONE\"").expect("decodes");
        assert_eq!(exact, Sent::from(Word::Done));
        let other: Sent<Word> = serde_json::from_str("\"gone\"").expect("decodes");
        assert_eq!(other.as_sent(), "gone");
        assert_eq!(other.to_string(), "gone");
    }
}
