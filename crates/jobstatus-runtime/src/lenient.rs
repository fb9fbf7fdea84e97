//! Scalars read the way servers really send them: numbers as strings, ids as numbers,
//! booleans as `"true"`/`"false"`.
//!
//! Generated clients put `#[serde(deserialize_with = "...")]` with [`required`] or
//! [`optional`] on every scalar field of their types; a value that is none of the accepted
//! forms is still a decoding error.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// A scalar read leniently.
pub trait Lenient: Sized {
    /// Reads the value in any form this type accepts.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;

    /// Whether the value stands for "not sent" in an optional field (an empty timestamp).
    fn is_absent(&self) -> bool {
        false
    }
}

/// Reads a required field leniently.
pub fn required<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<T, D::Error> {
    T::read(deserializer)
}

/// Reads an optional field leniently: `null`, and values that stand for "not sent", are
/// `None`. Used with `#[serde(default)]`, so that a missing field is `None` too.
pub fn optional<'de, D: Deserializer<'de>, T: Lenient>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    struct OptionVisitor<T>(PhantomData<T>);

    impl<'de, T: Lenient> Visitor<'de> for OptionVisitor<T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a value or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            T::read(deserializer).map(|value| (!value.is_absent()).then_some(value))
        }
    }

    deserializer.deserialize_option(OptionVisitor(PhantomData))
}

impl Lenient for String {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;

        impl Visitor<'_> for Text {
            type Value = String;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<String, E> {
                Ok(text.to_owned())
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<String, E> {
                Ok(text)
            }

            fn visit_i64<E: de::Error>(self, number: i64) -> Result<String, E> {
                Ok(number.to_string())
            }

            fn visit_u64<E: de::Error>(self, number: u64) -> Result<String, E> {
                Ok(number.to_string())
            }

            fn visit_f64<E: de::Error>(self, number: f64) -> Result<String, E> {
                Ok(number.to_string())
            }
        }

        deserializer.deserialize_any(Text)
    }
}

impl Lenient for bool {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Flag;

        impl Visitor<'_> for Flag {
            type Value = bool;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean, or \"true\" or \"false\"")
            }

            fn visit_bool<E: de::Error>(self, flag: bool) -> Result<bool, E> {
                Ok(flag)
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<bool, E> {
                match text.trim() {
                    t if t.eq_ignore_ascii_case("true") => Ok(true),
                    t if t.eq_ignore_ascii_case("false") => Ok(false),
                    _ => Err(E::invalid_value(de::Unexpected::Str(text), &self)),
                }
            }
        }

        deserializer.deserialize_any(Flag)
    }
}

/// Reads an integer from any JSON number that holds one exactly, or from its text.
struct Integer<T>(PhantomData<T>);

impl<T: TryFrom<i64> + TryFrom<u64>> Integer<T> {
    fn from_i128<E: de::Error>(number: i128, shown: &dyn fmt::Display) -> Result<T, E> {
        i64::try_from(number)
            .ok()
            .and_then(|n| T::try_from(n).ok())
            .or_else(|| u64::try_from(number).ok().and_then(|n| T::try_from(n).ok()))
            .ok_or_else(|| E::custom(format!("{shown} is out of range for this integer")))
    }
}

impl<T: TryFrom<i64> + TryFrom<u64>> Visitor<'_> for Integer<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, as a number or as text")
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<T, E> {
        Self::from_i128(i128::from(number), &number)
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<T, E> {
        Self::from_i128(i128::from(number), &number)
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<T, E> {
        // Only a float that holds an integer exactly: 200.0, not 1.5.
        if number.fract() != 0.0 || !number.is_finite() || number.abs() > 9.0e15 {
            return Err(E::invalid_value(de::Unexpected::Float(number), &self));
        }
        #[allow(clippy::cast_possible_truncation)]
        Self::from_i128(number as i128, &number)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        let trimmed = text.trim();
        if let Ok(number) = trimmed.parse::<i128>() {
            return Self::from_i128(number, &text);
        }
        match trimmed.parse::<f64>() {
            Ok(number) if number.is_finite() => self.visit_f64(number),
            _ => Err(E::invalid_value(de::Unexpected::Str(text), &self)),
        }
    }
}

macro_rules! lenient_integers {
    ($($int:ty),*) => {$(
        impl Lenient for $int {
            fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(Integer::<$int>(PhantomData))
            }
        }
    )*};
}

lenient_integers!(i8, i16, i32, i64, u8, u16, u32, u64);

struct Float;

impl Visitor<'_> for Float {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or its text")
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<f64, E> {
        Ok(number)
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_i64<E: de::Error>(self, number: i64) -> Result<f64, E> {
        Ok(number as f64)
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, number: u64) -> Result<f64, E> {
        Ok(number as f64)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<f64, E> {
        match text.trim().parse::<f64>() {
            Ok(number) if number.is_finite() => Ok(number),
            _ => Err(E::invalid_value(de::Unexpected::Str(text), &self)),
        }
    }
}

impl Lenient for f64 {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Float)
    }
}

impl Lenient for f32 {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[allow(clippy::cast_possible_truncation)]
        deserializer
            .deserialize_any(Float)
            .map(|number| number as f32)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Fields {
        #[serde(deserialize_with = "super::required")]
        id: String,
        #[serde(default, deserialize_with = "super::optional")]
        count: Option<i32>,
        #[serde(default, deserialize_with = "super::optional")]
        big: Option<u64>,
        #[serde(default, deserialize_with = "super::optional")]
        ok: Option<bool>,
        #[serde(default, deserialize_with = "super::optional")]
        ratio: Option<f64>,
    }

    fn read(value: serde_json::Value) -> Result<Fields, serde_json::Error> {
        Fields::deserialize(value)
    }

    #[test]
    fn the_forms_servers_send_are_read() {
        let fields =
            read(json!({"id": 42, "count": "955", "big": 200.0, "ok": " TRUE ", "ratio": "0.5"}))
                .expect("lenient");
        assert_eq!(
            fields,
            Fields {
                id: "42".into(),
                count: Some(955),
                big: Some(200),
                ok: Some(true),
                ratio: Some(0.5),
            }
        );
        let sparse = read(json!({"id": "a", "count": null})).expect("sparse");
        assert_eq!((sparse.count, sparse.ok), (None, None));
        assert_eq!(
            read(json!({"id": "a", "count": "1e2"})).expect("1e2").count,
            Some(100)
        );
    }

    #[test]
    fn values_of_no_accepted_form_are_errors() {
        for bad in [
            json!({"id": "a", "count": 1.5}),
            json!({"id": "a", "count": "x"}),
            json!({"id": "a", "count": "99999999999"}),
            json!({"id": "a", "big": -1}),
            json!({"id": "a", "ok": "yes"}),
            json!({"id": "a", "ok": 1}),
            json!({"id": ["a"]}),
            json!({"id": "a", "ratio": "NaN"}),
        ] {
            assert!(read(bad.clone()).is_err(), "{bad}");
        }
    }
}
