//! A secret the wire carries in a body, kept out of `Debug` output.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A secret value in a request or response body (ELMA's `auth_tkn`, and the system id the
/// Orchestrator echoes back, which is the same token).
///
/// It serializes as the plain string, but `Debug` never shows it and it has no `Display`;
/// [`Secret::expose`] is the one way to read it.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_travels_as_a_string_but_never_prints() {
        let secret: Secret = serde_json::from_str(r#""5d5ec66f""#).expect("a string");
        assert_eq!(secret.expose(), "5d5ec66f");
        assert_eq!(
            serde_json::to_string(&secret).expect("serializes"),
            r#""5d5ec66f""#
        );
        assert!(!format!("{secret:?}").contains("5d5ec66f"));
    }
}
