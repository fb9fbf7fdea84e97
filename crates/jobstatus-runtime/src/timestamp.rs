//! One tolerant timestamp type for every vendor: the text as sent, and the instant when it
//! can be read.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::lenient::Lenient;

/// Epoch numbers at or above this are milliseconds; below it, seconds (1e11 seconds is the
/// year 5138, 1e11 milliseconds is 1973).
const EPOCH_MILLIS_FROM: f64 = 1e11;

/// A timestamp as a server sent it, with the instant it stands for when it can be read.
///
/// Servers send RFC 3339, the same without an offset, with a space instead of `T`, .NET's
/// `/Date(1593426592000+0400)/`, epoch seconds or milliseconds as numbers or strings, a date
/// alone, or `""`. Every one of them decodes: the text is kept, [`Timestamp::instant`] gives
/// the instant when the text is one of those forms, and a value without a time zone is read
/// as UTC ([`Timestamp::is_utc_assumed`] says so). An empty text stands for "not known":
/// an optional field that holds one decodes as absent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    text: String,
    instant: Option<DateTime<Utc>>,
    utc_assumed: bool,
}

impl Timestamp {
    /// Reads `text`; never fails.
    pub fn parse(text: impl Into<String>) -> Self {
        let text = text.into();
        let (instant, utc_assumed) = match read(text.trim()) {
            Some((instant, assumed)) => (Some(instant), assumed),
            None => (None, false),
        };
        Self {
            text,
            instant,
            utc_assumed,
        }
    }

    /// The text as sent (a number is kept as its decimal text).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The instant, when the text is in one of the forms this type reads.
    pub fn instant(&self) -> Option<DateTime<Utc>> {
        self.instant
    }

    /// Whether the text named no time zone and the instant reads it as UTC.
    pub fn is_utc_assumed(&self) -> bool {
        self.utc_assumed
    }

    /// Whether the text is empty (or only spaces): the server does not know the time.
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(instant: DateTime<Utc>) -> Self {
        Self {
            text: instant.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            instant: Some(instant),
            utc_assumed: false,
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Timestamp {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(text))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TimestampVisitor)
    }
}

impl Lenient for Timestamp {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::deserialize(deserializer)
    }

    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp as text or as epoch seconds or milliseconds")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Timestamp, E> {
        Ok(Timestamp::parse(text))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Timestamp, E> {
        Ok(Timestamp::parse(text))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Timestamp, E> {
        Ok(Timestamp::parse(number.to_string()))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Timestamp, E> {
        Ok(Timestamp::parse(number.to_string()))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Timestamp, E> {
        Ok(Timestamp::parse(number.to_string()))
    }
}

/// The instant of a trimmed text, and whether UTC was assumed; `None` for anything else.
fn read(text: &str) -> Option<(DateTime<Utc>, bool)> {
    if text.is_empty() {
        return None;
    }
    if let Some(inner) = text
        .strip_prefix("/Date(")
        .and_then(|rest| rest.strip_suffix(")/"))
    {
        return dotnet_date(inner).map(|instant| (instant, false));
    }
    if let Ok(number) = text.parse::<f64>() {
        return epoch(number).map(|instant| (instant, false));
    }
    // RFC 3339 allows a space for `T`; so do .NET and SQL servers.
    let text = match text.as_bytes().get(10) {
        Some(b' ' | b't') => format!("{}T{}", &text[..10], &text[11..]),
        _ => text.to_owned(),
    };
    if let Ok(instant) = DateTime::parse_from_rfc3339(&text) {
        return Some((instant.with_timezone(&Utc), false));
    }
    if let Ok(local) = NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some((local.and_utc(), true));
    }
    if let Ok(local) = NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M") {
        return Some((local.and_utc(), true));
    }
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|local| (local.and_utc(), true))
}

/// `1593426592000+0400` or `1593426592000`: milliseconds since the epoch; the offset names
/// the sender's zone and does not move the instant.
fn dotnet_date(inner: &str) -> Option<DateTime<Utc>> {
    let digits_end = inner
        .char_indices()
        .skip(1)
        .find(|(_, c)| matches!(c, '+' | '-'))
        .map_or(inner.len(), |(i, _)| i);
    let (millis, offset) = inner.split_at(digits_end);
    let offset_is_valid =
        offset.is_empty() || (offset.len() == 5 && offset[1..].bytes().all(|b| b.is_ascii_digit()));
    if !offset_is_valid {
        return None;
    }
    Utc.timestamp_millis_opt(millis.parse().ok()?).single()
}

fn epoch(number: f64) -> Option<DateTime<Utc>> {
    if !number.is_finite() {
        return None;
    }
    let millis = if number.abs() >= EPOCH_MILLIS_FROM {
        number
    } else {
        number * 1000.0
    };
    // Out of chrono's range (about ±262,000 years) is not a time.
    if millis.abs() > 8.0e18 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    Utc.timestamp_millis_opt(millis.round() as i64).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instant(text: &str) -> Option<String> {
        Timestamp::parse(text)
            .instant()
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }

    #[test]
    fn every_form_servers_send_is_read() {
        let cases = [
            ("2020-06-29T14:29:52Z", "2020-06-29T14:29:52Z", false),
            ("2020-06-29T18:29:52+04:00", "2020-06-29T14:29:52Z", false),
            ("2020-06-29 14:29:52Z", "2020-06-29T14:29:52Z", false),
            ("2020-06-29 14:29:52", "2020-06-29T14:29:52Z", true),
            ("2020-06-29T14:29:52", "2020-06-29T14:29:52Z", true),
            (
                "2020-06-29T14:29:52.123456789",
                "2020-06-29T14:29:52.123456789Z",
                true,
            ),
            ("2020-06-29T14:29", "2020-06-29T14:29:00Z", true),
            ("2020-06-29", "2020-06-29T00:00:00Z", true),
            ("/Date(1593440992000+0400)/", "2020-06-29T14:29:52Z", false),
            ("/Date(1593440992000)/", "2020-06-29T14:29:52Z", false),
            ("1593440992", "2020-06-29T14:29:52Z", false),
            ("1593440992000", "2020-06-29T14:29:52Z", false),
            (" 2020-06-29T14:29:52Z ", "2020-06-29T14:29:52Z", false),
        ];
        for (text, expected, assumed) in cases {
            let stamp = Timestamp::parse(text);
            assert_eq!(instant(text).as_deref(), Some(expected), "{text}");
            assert_eq!(stamp.is_utc_assumed(), assumed, "{text}");
            assert_eq!(stamp.as_str(), text);
        }
    }

    #[test]
    fn anything_else_is_kept_without_an_instant() {
        for text in [
            "",
            "  ",
            "yesterday",
            "/Date(abc)/",
            "/Date(1+04)/",
            "1e400",
            "NaN",
        ] {
            let stamp = Timestamp::parse(text);
            assert_eq!(stamp.instant(), None, "{text}");
            assert_eq!(stamp.as_str(), text);
        }
    }

    #[test]
    fn numbers_and_strings_decode_and_serialize_as_text() {
        let from_number: Timestamp = serde_json::from_str("1593440992000").expect("number");
        assert_eq!(from_number.as_str(), "1593440992000");
        assert!(from_number.instant().is_some());
        let from_float: Timestamp = serde_json::from_str("1593440992.5").expect("float");
        assert_eq!(
            from_float.instant().map(|t| t.timestamp_millis()),
            Some(1_593_440_992_500)
        );
        assert_eq!(
            serde_json::to_string(&from_number).expect("serialize"),
            "\"1593440992000\""
        );
        assert!(serde_json::from_str::<Timestamp>("{}").is_err());
    }
}
