//! Fields whose value does not have the shape the spec gives it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A field's value in the shape the spec gives it, or, when the server sent another shape,
/// the JSON as sent.
///
/// Generated clients use it for the list and map fields of responses: a server that
/// sends such a field in a shape of its own (sapporo-service's WES `outputs` as an array, its
/// engine parameters as an object) does not fail the response, and nothing it sent is lost.
#[derive(Clone, Debug, PartialEq)]
pub enum OrRaw<T> {
    /// The value in the spec's shape.
    Typed(T),
    /// A value of another shape, as sent.
    Raw(Value),
}

impl<T> OrRaw<T> {
    /// The value, when it has the spec's shape.
    pub fn typed(&self) -> Option<&T> {
        match self {
            Self::Typed(value) => Some(value),
            Self::Raw(_) => None,
        }
    }

    /// The value as sent, when it has another shape than the spec's.
    pub fn raw(&self) -> Option<&Value> {
        match self {
            Self::Typed(_) => None,
            Self::Raw(value) => Some(value),
        }
    }

    /// The value, when it has the spec's shape.
    pub fn into_typed(self) -> Option<T> {
        match self {
            Self::Typed(value) => Some(value),
            Self::Raw(_) => None,
        }
    }
}

impl<T: Serialize> OrRaw<T> {
    /// The value as JSON, whichever shape it has.
    pub fn to_json(&self) -> Value {
        match self {
            Self::Typed(value) => serde_json::to_value(value).unwrap_or(Value::Null),
            Self::Raw(value) => value.clone(),
        }
    }
}

impl<T> From<T> for OrRaw<T> {
    fn from(value: T) -> Self {
        Self::Typed(value)
    }
}

impl<T: Default> Default for OrRaw<T> {
    fn default() -> Self {
        Self::Typed(T::default())
    }
}

impl<A, T: FromIterator<A>> FromIterator<A> for OrRaw<T> {
    fn from_iter<I: IntoIterator<Item = A>>(items: I) -> Self {
        Self::Typed(items.into_iter().collect())
    }
}

impl<T: Serialize> Serialize for OrRaw<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Typed(value) => value.serialize(serializer),
            Self::Raw(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: for<'a> Deserialize<'a>> Deserialize<'de> for OrRaw<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        match T::deserialize(&value) {
            Ok(typed) => Ok(Self::Typed(typed)),
            Err(error) => {
                tracing::debug!(%error, "a field has another shape than the spec's; kept as raw JSON");
                Ok(Self::Raw(value))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_shape_is_kept_as_sent() {
        let typed: OrRaw<Vec<u8>> = serde_json::from_str("[1, 2]").expect("typed");
        assert_eq!(typed.typed(), Some(&vec![1, 2]));
        let raw: OrRaw<Vec<u8>> = serde_json::from_str(r#"{"a": 1}"#).expect("raw");
        assert_eq!(raw.raw(), Some(&serde_json::json!({"a": 1})));
        assert_eq!(raw.to_json(), serde_json::json!({"a": 1}));
        assert_eq!(serde_json::to_string(&raw).expect("json"), r#"{"a":1}"#);
        assert!(serde_json::from_str::<OrRaw<Vec<u8>>>("[1,").is_err());
    }
}
