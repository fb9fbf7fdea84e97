//! The whole-spec check that runs before generation: every problem at once, each with its
//! JSON pointer and what to change.

use std::collections::BTreeMap;

use serde_json::Value;

use super::normalize::{METHODS, REQUEST_MEDIA_TYPES};
use crate::problem::{Problem, pointer_token};

/// Every problem of the (bundled) `spec` that would stop or falsify generation.
pub fn check(spec: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    version(spec, &mut problems);
    operations(spec, &mut problems);
    named_enums(spec, &mut problems);
    problems
}

fn version(spec: &Value, problems: &mut Vec<Problem>) {
    if spec.get("swagger").is_some() {
        problems.push(Problem::new(
            "/swagger",
            "a Swagger 2.0 document",
            "convert it to OpenAPI 3.0 (swagger2openapi, or the converter of your editor) and check in the result",
        ));
        return;
    }
    match spec.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) => problems.push(Problem::new(
            "/openapi",
            format!("OpenAPI {version}; the generator reads OpenAPI 3.0.x"),
            "write the spec as OpenAPI 3.0.3 (for 3.1: `nullable: true` instead of type lists, `example` instead of `examples` in schemas)",
        )),
        None => problems.push(Problem::new(
            "/openapi",
            "no `openapi` version field",
            "start the document with `openapi: 3.0.3`",
        )),
    }
}

fn operations(spec: &Value, problems: &mut Vec<Problem>) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        problems.push(Problem::new(
            "/paths",
            "no `paths` object",
            "describe the operations under `paths`",
        ));
        return;
    };
    for (path, item) in paths {
        let path_parameters = item.get("parameters");
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let pointer = format!("/paths/{}/{method}", pointer_token(path));
            match operation.get("operationId").and_then(Value::as_str) {
                None => problems.push(Problem::new(
                    &pointer,
                    format!(
                        "{} {path} has no operationId, and the name its method and path give is another operation's",
                        method.to_uppercase()
                    ),
                    "add an `operationId`; it names the client method and the types of the operation",
                )),
                Some(id) => {
                    let method_name = heck::ToSnakeCase::to_snake_case(id);
                    if let Some(first) = seen.insert(method_name.clone(), pointer.clone()) {
                        problems.push(Problem::new(
                            format!("{pointer}/operationId"),
                            format!("operationId {id} names the same client method `{method_name}` as the operation at {first}"),
                            "give each operation its own operationId",
                        ));
                    }
                }
            }
            let parameters = path_parameters
                .into_iter()
                .chain(operation.get("parameters"))
                .filter_map(Value::as_array)
                .flatten();
            for (i, parameter) in parameters.enumerate() {
                if parameter.get("in").and_then(Value::as_str) == Some("cookie") {
                    problems.push(Problem::new(
                        format!("{pointer}/parameters/{i}"),
                        "a cookie parameter; generated clients send no cookies",
                        "describe the credential as a header or an `apiKey` security scheme, or drop the parameter",
                    ));
                }
            }
            if let Some(content) = operation
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
            {
                let sendable = content.keys().any(|media| {
                    REQUEST_MEDIA_TYPES.contains(&media.split(';').next().unwrap_or(media).trim())
                        || media == "multipart/form-data"
                });
                if !content.is_empty() && !sendable {
                    let types: Vec<&str> = content.keys().map(String::as_str).collect();
                    problems.push(Problem::new(
                        format!("{pointer}/requestBody/content"),
                        format!("the request body is only {}", types.join(", ")),
                        format!("offer one of {} as well", REQUEST_MEDIA_TYPES.join(", ")),
                    ));
                }
            }
        }
    }
}

fn named_enums(spec: &Value, problems: &mut Vec<Problem>) {
    let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    for (name, schema) in schemas {
        let Some(values) = schema.get("enum").and_then(Value::as_array) else {
            continue;
        };
        let string_typed = schema.get("type").and_then(Value::as_str) == Some("string");
        if string_typed && let Some(bad) = values.iter().find(|v| !v.is_string() && !v.is_null()) {
            problems.push(Problem::new(
                format!("/components/schemas/{}/enum", pointer_token(name)),
                format!("string enum {name} lists the value {bad}, which is not a string"),
                format!("quote the value (\"{bad}\") or change the schema's type"),
            ));
        }
    }
}
