//! Rewrites of a checked spec into the subset progenitor generates, each a general rule:
//!
//! - before the check: an operation without an `operationId` is named from its method and
//!   path (`GET /pets/{petId}` -> `get_pets_pet_id`), unless another operation has that name;
//! - string enums that are not named schemas are hoisted under `components/schemas`, named
//!   from their parent and property (`RunLog.state` -> `RunLogState`), so they become open
//!   enums like every named one; one-value enums stay inline, they are tags;
//! - a `default` response next to explicit success responses stands for errors only;
//! - responses of one class (success or error) with different bodies share one body: a
//!   `oneOf` of the distinct schemas, or raw bytes where some have no body;
//! - an inline error body is named `<Operation>Failure`: progenitor names every inline
//!   response body `<Operation>Response`, so an inline error body would silently take the
//!   success type's name;
//! - a media type without a schema is free-form (any JSON, or bytes);
//! - a request body with several media types keeps the one the client sends
//!   (`application/json` first); operations with a `multipart/form-data` body are left
//!   to the vendor crate;
//! - a `format` on a boolean schema (`format: boolean`) is dropped: it means nothing, and
//!   typify refuses it;
//! - properties listed under an object's `x-credential` stop being required in the Rust
//!   types, because the client's credentials write them into every request body.

use serde_json::{Map, Value, json};

use crate::problem::pointer_token;
use crate::render::type_name;

/// The HTTP methods of a path item.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Request media types progenitor sends, in the order one is chosen.
pub const REQUEST_MEDIA_TYPES: [&str; 5] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
    "text/x-markdown",
];

/// What normalizing did that a maintainer should know.
#[derive(Debug, Default)]
pub struct Normalized {
    /// Operations left to the vendor crate (multipart bodies).
    pub hand_written: usize,
    /// One line per rewrite that changes what the client can do.
    pub notes: Vec<String>,
}

/// Names each operation that has no `operationId` from its method and path, when no other
/// operation has that name (the check then reports the operation). Returns a note for each.
pub fn name_operations(spec: &mut Value) -> Vec<String> {
    use heck::ToSnakeCase;
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return Vec::new();
    };
    let mut taken: Vec<String> = paths
        .values()
        .flat_map(|item| METHODS.iter().filter_map(|method| item.get(*method)))
        .filter_map(|operation| operation.get("operationId")?.as_str())
        .map(|id| id.to_snake_case())
        .collect();
    let mut notes = Vec::new();
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            if operation.contains_key("operationId") {
                continue;
            }
            let words: Vec<String> = path
                .split('/')
                .map(|segment| {
                    segment
                        .trim_matches(|c| c == '{' || c == '}')
                        .to_snake_case()
                })
                .filter(|word| !word.is_empty())
                .collect();
            let name = match words.as_slice() {
                [] => format!("{method}_root"),
                words => format!("{method}_{}", words.join("_")),
            };
            if taken.contains(&name) {
                continue;
            }
            notes.push(format!(
                "{} {path} has no operationId: its client method is `{name}`",
                method.to_uppercase()
            ));
            operation.insert("operationId".to_owned(), Value::String(name.clone()));
            taken.push(name);
        }
    }
    notes
}

/// Applies every rule to `spec`.
pub fn normalize(spec: &mut Value) -> Normalized {
    let mut normalized = Normalized::default();
    relax_credentials(spec);
    normalized.hand_written = drop_multipart_operations(spec);
    inline_component_refs(spec);
    drop_boolean_formats(spec);
    for_each_operation(spec, |pointer, operation, hoisted| {
        request_body(pointer, operation, &mut normalized.notes);
        responses(operation, hoisted);
    });
    hoist_inline_enums(spec);
    normalized
}

/// Calls `f` with each operation's pointer, the operation and a list to add new named
/// schemas to; adds them under `components/schemas` afterwards.
fn for_each_operation(
    spec: &mut Value,
    mut f: impl FnMut(&str, &mut Value, &mut Vec<(String, Value)>),
) {
    let mut added = Vec::new();
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            for method in METHODS {
                if let Some(operation) = item.get_mut(method) {
                    let pointer = format!("/paths/{}/{method}", pointer_token(path));
                    f(&pointer, operation, &mut added);
                }
            }
        }
    }
    for (name, schema) in added {
        add_schema(spec, &name, schema);
    }
}

fn add_schema(spec: &mut Value, name: &str, schema: Value) {
    if !spec.get("components").is_some_and(Value::is_object) {
        spec["components"] = Value::Object(Map::new());
    }
    if !spec["components"]
        .get("schemas")
        .is_some_and(Value::is_object)
    {
        spec["components"]["schemas"] = Value::Object(Map::new());
    }
    spec["components"]["schemas"][name] = schema;
}

fn drop_boolean_formats(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("boolean") {
                map.remove("format");
            }
            map.values_mut().for_each(drop_boolean_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_boolean_formats),
        _ => {}
    }
}

/// Puts `components/responses` and `components/requestBodies` in place where operations
/// refer to them, so that the rules below see every body.
fn inline_component_refs(spec: &mut Value) {
    let components = spec.get("components").cloned().unwrap_or(Value::Null);
    let resolve = |node: &mut Value| {
        for _ in 0..8 {
            let Some(target) = node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/"))
                .and_then(|r| components.pointer(&format!("/{r}")))
            else {
                return;
            };
            *node = target.clone();
        }
    };
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            for method in METHODS {
                let Some(operation) = item.get_mut(method) else {
                    continue;
                };
                if let Some(body) = operation.get_mut("requestBody") {
                    resolve(body);
                }
                if let Some(responses) = operation
                    .get_mut("responses")
                    .and_then(Value::as_object_mut)
                {
                    responses.values_mut().for_each(resolve);
                }
            }
        }
    }
}

fn operation_name(operation: &Value) -> String {
    type_name(
        operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or("Operation"),
    )
}

fn request_body(pointer: &str, operation: &mut Value, notes: &mut Vec<String>) {
    let Some(content) = operation
        .pointer_mut("/requestBody/content")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    if content.len() > 1
        && let Some(kept) = REQUEST_MEDIA_TYPES
            .into_iter()
            .find(|media| content.contains_key(*media))
    {
        let dropped: Vec<String> = content.keys().filter(|k| *k != kept).cloned().collect();
        content.retain(|media, _| media == kept);
        notes.push(format!(
            "{pointer}: the request body is sent as {kept}; not as {}",
            dropped.join(", ")
        ));
    }
    for (media, body) in content.iter_mut() {
        if let Some(body) = body.as_object_mut()
            && !body.contains_key("schema")
        {
            let schema = if is_json(media) || media.starts_with("application/x-www-form") {
                json!({})
            } else {
                json!({"type": "string", "format": "binary"})
            };
            body.insert("schema".to_owned(), schema);
        }
    }
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or(media).trim();
    essence == "application/json"
}

/// The response classes progenitor gives one Rust type each.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Success,
    Error,
}

fn class(status: &str) -> Option<Class> {
    match status.chars().next() {
        Some('1' | '2' | '3') => Some(Class::Success),
        Some('4' | '5') => Some(Class::Error),
        _ => None,
    }
}

fn responses(operation: &mut Value, added: &mut Vec<(String, Value)>) {
    let name = operation_name(operation);
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    // progenitor counts `default` as a success and as an error; next to explicit successes
    // it can only mean the errors.
    let explicit_success = responses
        .keys()
        .any(|status| class(status) == Some(Class::Success));
    if explicit_success && let Some(default) = responses.remove("default") {
        for range in ["4XX", "5XX"] {
            let covered = responses
                .keys()
                .any(|status| status.starts_with(&range[..1]));
            if !covered {
                responses.insert(range.to_owned(), default.clone());
            }
        }
    }
    for response in responses.values_mut() {
        if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
            for (media, body) in content.iter_mut() {
                if is_json(media)
                    && let Some(body) = body.as_object_mut()
                    && !body.contains_key("schema")
                {
                    body.insert("schema".to_owned(), json!({}));
                }
            }
        }
    }
    for (class, suffix) in [(Class::Success, "Success"), (Class::Error, "Failure")] {
        let members: Vec<String> = responses
            .keys()
            .filter(|status| {
                class_of(status, explicit_success) == Some(class) && !status.starts_with('1')
            })
            .cloned()
            .collect();
        one_body(responses, &members, &format!("{name}{suffix}"), added);
        if class == Class::Error {
            name_inline_bodies(responses, &members, &format!("{name}{suffix}"), added);
        }
    }
}

/// Moves the inline JSON body schemas of `members` to the named schema `name`.
fn name_inline_bodies(
    responses: &mut Map<String, Value>,
    members: &[String],
    name: &str,
    added: &mut Vec<(String, Value)>,
) {
    let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
    for status in members {
        let Some(content) = responses
            .get_mut(status)
            .and_then(|r| r.get_mut("content"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for (media, body) in content.iter_mut() {
            let Some(schema) = body.get_mut("schema") else {
                continue;
            };
            let inline = is_json(media)
                && schema.get("$ref").is_none()
                && schema.as_object().is_some_and(|s| !s.is_empty());
            if inline {
                let schema = std::mem::replace(schema, reference.clone());
                if added.iter().all(|(n, _)| n != name) {
                    added.push((name.to_owned(), schema));
                }
            }
        }
    }
}

fn class_of(status: &str, explicit_success: bool) -> Option<Class> {
    match (status, explicit_success) {
        ("default", false) => Some(Class::Success),
        _ => class(status),
    }
}

/// What a response body is to progenitor.
#[derive(PartialEq)]
enum Body {
    None,
    Json(Value),
    Raw,
}

fn body(response: &Value) -> Body {
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        return Body::None;
    };
    if let Some((_, media)) = content.iter().find(|(media, _)| is_json(media)) {
        return Body::Json(media.get("schema").cloned().unwrap_or_else(|| json!({})));
    }
    if content.is_empty() {
        Body::None
    } else {
        Body::Raw
    }
}

/// Gives the responses `members` one body: unchanged when they already agree.
fn one_body(
    responses: &mut Map<String, Value>,
    members: &[String],
    name: &str,
    added: &mut Vec<(String, Value)>,
) {
    let bodies: Vec<Body> = members
        .iter()
        .map(|status| body(&responses[status]))
        .collect();
    let mut distinct: Vec<&Body> = Vec::new();
    for body in &bodies {
        if !distinct.contains(&body) {
            distinct.push(body);
        }
    }
    if distinct.len() <= 1 {
        return;
    }
    let all_json = distinct.iter().all(|body| matches!(body, Body::Json(_)));
    let content = if all_json {
        let schemas: Vec<Value> = distinct
            .iter()
            .filter_map(|body| match body {
                Body::Json(schema) => Some((*schema).clone()),
                _ => None,
            })
            .collect();
        added.push((name.to_owned(), json!({ "oneOf": schemas })));
        json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}})
    } else {
        // Some answers have no body: bytes are the one type every answer fits.
        json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
    };
    for status in members {
        if let Some(response) = responses.get_mut(status).and_then(Value::as_object_mut) {
            response.insert("content".to_owned(), content.clone());
        }
    }
}

/// Moves every inline string enum of more than one value to a named schema.
fn hoist_inline_enums(spec: &mut Value) {
    let mut hoister = Hoister {
        taken: spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| {
                schemas
                    .iter()
                    .map(|(k, v)| (type_name(k), v.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        added: Vec::new(),
    };
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            hoister.children(schema, &type_name(name));
        }
    }
    for kind in ["parameters", "responses", "requestBodies"] {
        if let Some(items) = spec
            .pointer_mut(&format!("/components/{kind}"))
            .and_then(Value::as_object_mut)
        {
            for (name, item) in items.iter_mut() {
                hoister.holder(item, &type_name(name));
            }
        }
    }
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            if let Some(parameters) = item.get_mut("parameters") {
                hoister.holder(parameters, &type_name(path));
            }
            for method in METHODS {
                if let Some(operation) = item.get_mut(method) {
                    let name = operation_name(operation);
                    if let Some(parameters) = operation.get_mut("parameters") {
                        hoister.holder(parameters, &name);
                    }
                    if let Some(body) = operation.get_mut("requestBody") {
                        hoister.holder(body, &format!("{name}Body"));
                    }
                    if let Some(responses) = operation.get_mut("responses") {
                        hoister.holder(responses, &format!("{name}Response"));
                    }
                }
            }
        }
    }
    for (name, schema) in hoister.added {
        add_schema(spec, &name, schema);
    }
}

struct Hoister {
    /// Every named schema by Rust name, with what it holds.
    taken: Vec<(String, Value)>,
    added: Vec<(String, Value)>,
}

impl Hoister {
    /// A parameter list, parameter, body or response set: hoists from the schemas in it.
    fn holder(&mut self, node: &mut Value, name: &str) {
        match node {
            Value::Array(items) => items.iter_mut().for_each(|item| self.holder(item, name)),
            Value::Object(map) => {
                if map.contains_key("$ref") {
                    return;
                }
                let parameter = map.get("name").and_then(Value::as_str).map(type_name);
                for (key, value) in map.iter_mut() {
                    match key.as_str() {
                        "schema" => {
                            let name = format!("{name}{}", parameter.as_deref().unwrap_or(""));
                            self.schema(value, &name);
                        }
                        "content" | "responses" => self.holder(value, name),
                        _ if value.get("schema").is_some() || value.get("content").is_some() => {
                            self.holder(value, name)
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// A schema that would be named `name` if hoisted.
    fn schema(&mut self, schema: &mut Value, name: &str) {
        if is_open_enum(schema) {
            let hoisted = std::mem::take(schema);
            let name = self.name_for(name, &hoisted);
            *schema = json!({ "$ref": format!("#/components/schemas/{name}") });
            return;
        }
        self.children(schema, name);
    }

    fn children(&mut self, schema: &mut Value, name: &str) {
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        if let Some(properties) = map.get_mut("properties").and_then(Value::as_object_mut) {
            for (property, value) in properties.iter_mut() {
                self.schema(value, &format!("{name}{}", type_name(property)));
            }
        }
        if let Some(items) = map.get_mut("items") {
            self.schema(items, &format!("{name}Item"));
        }
        if let Some(values) = map.get_mut("additionalProperties")
            && values.is_object()
        {
            self.schema(values, &format!("{name}Value"));
        }
        for combinator in ["allOf", "oneOf", "anyOf"] {
            if let Some(members) = map.get_mut(combinator).and_then(Value::as_array_mut) {
                for member in members.iter_mut() {
                    self.children(member, name);
                }
            }
        }
    }

    /// `name`, or `name2`, ...: the first that is free or already holds this very enum.
    fn name_for(&mut self, name: &str, schema: &Value) -> String {
        let mut candidate = name.to_owned();
        let mut n = 2;
        loop {
            match self.taken.iter().find(|(taken, _)| *taken == candidate) {
                Some((_, existing)) if existing == schema => return candidate,
                Some(_) => {
                    candidate = format!("{name}{n}");
                    n += 1;
                }
                None => {
                    self.taken.push((candidate.clone(), schema.clone()));
                    self.added.push((candidate.clone(), schema.clone()));
                    return candidate;
                }
            }
        }
    }
}

/// A string enum of more than one value: what the generator renders as an open enum.
pub fn is_open_enum(schema: &Value) -> bool {
    let Some(values) = schema.get("enum").and_then(Value::as_array) else {
        return false;
    };
    let strings = values.iter().filter(|v| v.is_string()).count();
    let typed = match schema.get("type") {
        None => true,
        Some(kind) => kind == "string",
    };
    typed && strings > 1 && values.iter().all(|v| v.is_string() || v.is_null())
}

fn relax_credentials(spec: &mut Value) {
    let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for schema in schemas.values_mut() {
        let credentials: Vec<Value> = schema
            .get("x-credential")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
            required.retain(|name| !credentials.contains(name));
        }
    }
}

fn drop_multipart_operations(spec: &mut Value) -> usize {
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return 0;
    };
    let mut dropped = 0;
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        item.retain(|_, operation| {
            let multipart = operation
                .pointer("/requestBody/content/multipart~1form-data")
                .is_some();
            dropped += usize::from(multipart);
            !multipart
        });
    }
    paths.retain(|_, item| {
        item.as_object()
            .is_some_and(|item| item.keys().any(|k| METHODS.contains(&k.as_str())))
    });
    dropped
}
