//! What a vendor wants on every request, kept out of `Debug` output and logs.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserializer;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

/// Credentials a client applies to every request it sends.
///
/// Header values are marked sensitive, so neither `reqwest` nor this type ever prints them;
/// body fields are written into the request's JSON object just before it is sent, for
/// vendors that authenticate inside the body.
#[derive(Clone, Default)]
pub struct Credentials {
    headers: HeaderMap,
    body_fields: Vec<BodyField>,
}

/// A field written into every JSON request body.
#[derive(Clone)]
struct BodyField {
    name: String,
    value: String,
    /// `"name":"value"` as JSON, serialized once rather than per request.
    member: Vec<u8>,
}

/// A credential that cannot be sent as an HTTP header.
#[derive(Debug, thiserror::Error)]
#[error("invalid credential header `{name}`: {reason}")]
pub struct InvalidCredential {
    name: String,
    reason: String,
}

impl Credentials {
    /// No credentials at all.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a header sent with every request, such as `Authorization` or an API key.
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Self, InvalidCredential> {
        let invalid = |reason: String| InvalidCredential {
            name: name.to_owned(),
            reason,
        };
        let name = HeaderName::try_from(name).map_err(|e| invalid(e.to_string()))?;
        let mut value = HeaderValue::try_from(value)
            .map_err(|_| invalid("the value is not a valid header value".to_owned()))?;
        value.set_sensitive(true);
        self.headers.insert(name, value);
        Ok(self)
    }

    /// Adds `Authorization: Bearer <token>`.
    pub fn with_bearer(self, token: &str) -> Result<Self, InvalidCredential> {
        self.with_header("authorization", &format!("Bearer {token}"))
    }

    /// Adds a string field written into every JSON request body.
    pub fn with_body_field(mut self, name: &str, value: &str) -> Self {
        self.body_fields.retain(|field| field.name != name);
        let mut member = json_string(name);
        member.push(b':');
        member.extend(json_string(value));
        self.body_fields.push(BodyField {
            name: name.to_owned(),
            value: value.to_owned(),
            member,
        });
        self
    }

    /// Writes the credentials into `request`.
    ///
    /// Body fields go in front of the object's members, written as they were serialized
    /// when the field was added; only a body that already has a member of that name is
    /// decoded and written again, so that the field replaces it.
    ///
    /// # Errors
    ///
    /// When body fields are configured but the request has no JSON object body.
    pub fn apply(&self, request: &mut reqwest::Request) -> Result<(), String> {
        for (name, value) in &self.headers {
            request.headers_mut().insert(name, value.clone());
        }
        if self.body_fields.is_empty() {
            return Ok(());
        }
        let names = || self.field_names().collect::<Vec<_>>().join(", ");
        let Some(bytes) = request.body().and_then(|body| body.as_bytes()) else {
            return Err(format!(
                "cannot add {}: the request has no JSON body",
                names()
            ));
        };
        let scan = self
            .scan(bytes)
            .map_err(|e| format!("cannot add {}: the body is not JSON ({e})", names()))?;
        let bytes = match scan {
            Scan::NotObject => {
                return Err(format!(
                    "cannot add {}: the body is not a JSON object",
                    names()
                ));
            }
            Scan::Object { empty, open } => self.prepend(bytes, empty, open),
            Scan::HasField => self.rewrite(bytes)?,
        };
        *request.body_mut() = Some(bytes.into());
        Ok(())
    }

    /// What `body` is, read once without building it: not an object, an object that
    /// already has one of the body fields, or one that has none (then whether it is empty
    /// and where its opening brace is).
    fn scan(&self, body: &[u8]) -> serde_json::Result<Scan> {
        let Some(open) = body.iter().position(|byte| !byte.is_ascii_whitespace()) else {
            // The parser says why an empty body is not JSON.
            serde_json::from_slice::<IgnoredAny>(body)?;
            return Ok(Scan::NotObject);
        };
        if body[open] != b'{' {
            serde_json::from_slice::<IgnoredAny>(body)?;
            return Ok(Scan::NotObject);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let members = deserializer.deserialize_map(Members(self))?;
        deserializer.end()?;
        Ok(match members {
            None => Scan::HasField,
            Some(empty) => Scan::Object { empty, open },
        })
    }

    /// `body`, a JSON object without any of the body fields, with them added in front.
    fn prepend(&self, body: &[u8], empty: bool, open: usize) -> Vec<u8> {
        let added: usize = self.body_fields.iter().map(|f| f.member.len() + 1).sum();
        let mut out = Vec::with_capacity(body.len() + added);
        out.extend_from_slice(&body[..=open]);
        for (index, field) in self.body_fields.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&field.member);
        }
        if !empty {
            out.push(b',');
        }
        out.extend_from_slice(&body[open + 1..]);
        out
    }

    /// `body`, a JSON object that has one of the body fields, decoded and written again
    /// with the fields' values.
    fn rewrite(&self, body: &[u8]) -> Result<Vec<u8>, String> {
        let mut body: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(body).map_err(|e| e.to_string())?;
        for field in &self.body_fields {
            body.insert(
                field.name.clone(),
                serde_json::Value::String(field.value.clone()),
            );
        }
        serde_json::to_vec(&body).map_err(|e| e.to_string())
    }

    /// Removes the credential headers from `headers`.
    pub(crate) fn remove_headers(&self, headers: &mut HeaderMap) {
        for name in self.headers.keys() {
            headers.remove(name);
        }
    }

    /// Removes the credential body fields from `request`'s JSON object body; a body that
    /// is not one is dropped whole rather than sent with a credential in it.
    pub(crate) fn remove_body_fields(&self, request: &mut reqwest::Request) {
        if self.body_fields.is_empty() {
            return;
        }
        let Some(bytes) = request.body().and_then(|body| body.as_bytes()) else {
            *request.body_mut() = None;
            return;
        };
        let stripped = serde_json::from_slice::<serde_json::Value>(bytes)
            .ok()
            .and_then(|mut body| {
                let object = body.as_object_mut()?;
                for field in &self.body_fields {
                    object.remove(&field.name);
                }
                serde_json::to_vec(&body).ok()
            });
        *request.body_mut() = stripped.map(Into::into);
    }

    /// `text` with every credential value in it replaced by `[redacted]`, for error
    /// messages that quote what a server sent (a server may echo a token back).
    pub fn redact(&self, text: &str) -> String {
        let header_values: Vec<&str> = self
            .headers
            .values()
            .filter_map(|value| value.to_str().ok())
            .collect();
        // A bearer token may be echoed without its scheme.
        let bare_tokens: Vec<&str> = header_values
            .iter()
            .filter_map(|value| value.strip_prefix("Bearer "))
            .collect();
        let body_values = self.body_fields.iter().map(|field| field.value.as_str());
        header_values
            .into_iter()
            .chain(bare_tokens)
            .chain(body_values)
            .filter(|secret| !secret.is_empty())
            .fold(text.to_owned(), |text, secret| {
                text.replace(secret, "[redacted]")
            })
    }

    fn field_names(&self) -> impl Iterator<Item = &str> {
        self.body_fields.iter().map(|field| field.name.as_str())
    }
}

/// What [`Credentials::scan`] found in a request body.
enum Scan {
    /// Valid JSON, but not an object.
    NotObject,
    /// An object that already has a member named as a body field.
    HasField,
    /// An object with no such member: whether it has none at all, and the index of its
    /// opening brace.
    Object { empty: bool, open: usize },
}

/// Reads the members of a JSON object without keeping them: `Some(empty)` when none is
/// named as one of the body fields, `None` when one is.
struct Members<'a>(&'a Credentials);

impl<'de> Visitor<'de> for Members<'_> {
    type Value = Option<bool>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut empty, mut has_field) = (true, false);
        while let Some(is_field) = map.next_key_seed(IsField(self.0))? {
            map.next_value::<IgnoredAny>()?;
            empty = false;
            has_field |= is_field;
        }
        Ok((!has_field).then_some(empty))
    }
}

/// Reads a member's name and says whether it is one of the body fields.
struct IsField<'a>(&'a Credentials);

impl<'de> DeserializeSeed<'de> for IsField<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for IsField<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<bool, E> {
        Ok(self.0.field_names().any(|field| field == name))
    }
}

/// `text` as a JSON string, quotes included.
fn json_string(text: &str) -> Vec<u8> {
    serde_json::Value::String(text.to_owned())
        .to_string()
        .into_bytes()
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_fields", &self.field_names().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_request(body: &str) -> reqwest::Request {
        reqwest::Client::new()
            .post("http://127.0.0.1/v1/orchestra/task/status")
            .header("content-type", "application/json")
            .body(body.to_owned())
            .build()
            .expect("request builds")
    }

    #[test]
    fn body_fields_are_written_into_the_json_object() {
        let credentials = Credentials::new().with_body_field("auth_tkn", "token-1");
        let mut request = json_request(r#"{"id":955}"#);
        credentials.apply(&mut request).expect("applies");
        let body = request.body().and_then(|b| b.as_bytes()).expect("bytes");
        let body: serde_json::Value = serde_json::from_slice(body).expect("json");
        assert_eq!(body, serde_json::json!({"auth_tkn": "token-1", "id": 955}));
    }

    #[test]
    fn a_body_field_replaces_what_the_caller_wrote() {
        let credentials = Credentials::new()
            .with_body_field("auth_tkn", "old")
            .with_body_field("auth_tkn", "new");
        let mut request = json_request(r#"{"auth_tkn":"typed-by-caller"}"#);
        credentials.apply(&mut request).expect("applies");
        let body = request.body().and_then(|b| b.as_bytes()).expect("bytes");
        assert_eq!(body, br#"{"auth_tkn":"new"}"#);
    }

    #[test]
    fn body_fields_go_in_front_of_the_members_as_serialized_once() {
        let credentials = Credentials::new()
            .with_body_field("auth_tkn", "t\"1")
            .with_body_field("system", "s");
        let body = |text: &str| {
            let mut request = json_request(text);
            credentials.apply(&mut request).expect("applies");
            let bytes = request.body().and_then(|b| b.as_bytes()).expect("bytes");
            String::from_utf8(bytes.to_vec()).expect("UTF-8")
        };
        assert_eq!(
            body(r#"{"id":955,"task":{"auth_tkn":"nested"}}"#),
            r#"{"auth_tkn":"t\"1","system":"s","id":955,"task":{"auth_tkn":"nested"}}"#
        );
        assert_eq!(body("{}"), r#"{"auth_tkn":"t\"1","system":"s"}"#);
        assert_eq!(
            body(" \n{ } "),
            " \n{\"auth_tkn\":\"t\\\"1\",\"system\":\"s\" } "
        );
        // A member named as a field, even spelled with escapes, is replaced, not doubled.
        let replaced: serde_json::Value =
            serde_json::from_str(&body(r#"{"id":1,"sys\u0074em":"caller"}"#)).expect("json");
        assert_eq!(
            replaced,
            serde_json::json!({"auth_tkn": "t\"1", "id": 1, "system": "s"})
        );
        let err = credentials
            .apply(&mut json_request(r#"{"id":1} trailing"#))
            .expect_err("trailing characters");
        assert!(err.contains("not JSON"), "{err}");
    }

    #[test]
    fn body_fields_need_a_json_object() {
        let credentials = Credentials::new().with_body_field("auth_tkn", "t");
        let err = credentials
            .apply(&mut json_request("[1]"))
            .expect_err("array body");
        assert!(err.contains("not a JSON object"), "{err}");
        let err = credentials
            .apply(&mut json_request("<html>"))
            .expect_err("not json");
        assert!(err.contains("not JSON"), "{err}");
        let mut no_body = reqwest::Client::new()
            .get("http://127.0.0.1/")
            .build()
            .expect("request builds");
        let err = credentials.apply(&mut no_body).expect_err("no body");
        assert!(err.contains("no JSON body"), "{err}");
    }

    #[test]
    fn headers_are_sensitive_and_never_printed() {
        let credentials = Credentials::new()
            .with_bearer("very-secret")
            .expect("valid")
            .with_body_field("auth_tkn", "also-secret");
        let mut request = json_request("{}");
        credentials.apply(&mut request).expect("applies");
        let value = &request.headers()["authorization"];
        assert!(value.is_sensitive());
        let printed = format!("{credentials:?} {:?}", request.headers());
        assert!(!printed.contains("secret"), "{printed}");
        assert!(printed.contains("authorization") && printed.contains("auth_tkn"));
    }

    #[test]
    fn redact_hides_every_credential_value() {
        let credentials = Credentials::new()
            .with_bearer("tok-1")
            .expect("valid")
            .with_header("x-integration-id", "int-2")
            .expect("valid")
            .with_body_field("auth_tkn", "body-3");
        assert_eq!(
            credentials.redact(r#"{"token":"tok-1","id":"int-2","system":"body-3","n":1}"#),
            r#"{"token":"[redacted]","id":"[redacted]","system":"[redacted]","n":1}"#
        );
        assert_eq!(Credentials::new().redact("as is"), "as is");
    }

    #[test]
    fn removal_takes_out_every_credential() {
        let credentials = Credentials::new()
            .with_header("x-clear-auth-token", "tok")
            .expect("valid")
            .with_body_field("auth_tkn", "body-3");
        let mut request = json_request(r#"{"id":1}"#);
        credentials.apply(&mut request).expect("applies");
        credentials.remove_headers(request.headers_mut());
        credentials.remove_body_fields(&mut request);
        assert!(request.headers().get("x-clear-auth-token").is_none());
        let body = request.body().and_then(|b| b.as_bytes()).expect("bytes");
        assert_eq!(body, br#"{"id":1}"#);
        let mut not_json = json_request("auth_tkn=body-3");
        credentials.remove_body_fields(&mut not_json);
        assert!(not_json.body().is_none());
    }

    #[test]
    fn invalid_header_values_are_refused_without_echoing_them() {
        let err = Credentials::new()
            .with_header("x-clear-auth-token", "line\nbreak")
            .expect_err("newline");
        assert!(!err.to_string().contains("line\nbreak"));
        assert!(err.to_string().contains("x-clear-auth-token"));
    }
}
