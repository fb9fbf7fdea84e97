//! What a spec check finds: every problem with its place in the spec and what to change.

use std::fmt;

/// One thing in a spec that the generator cannot honour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where it is: a JSON pointer into an OpenAPI spec (`/paths/~1runs/get`), or a WSDL
    /// element with its line (`wsdl:operation Ask (line 12)`); empty for the whole file.
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// What to change in the spec.
    pub fix: String,
}

impl Problem {
    /// A problem at `location`.
    pub fn new(
        location: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            location: location.into(),
            message: message.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = match self.location.as_str() {
            "" => "(whole file)",
            location => location,
        };
        write!(f, "at {location}: {}\n    fix: {}", self.message, self.fix)
    }
}

/// A JSON pointer token: `~` and `/` escaped as RFC 6901 says.
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
