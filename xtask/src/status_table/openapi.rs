//! The `x-jobstatus` tables of an OpenAPI spec.
//!
//! ```yaml
//! /runs/{run_id}/status:
//!   get:
//!     operationId: GetRunStatus
//!     x-jobstatus:
//!       state: /state            # JSON pointer into the success answer; `*`: every item
//!       phases:
//!         pending: [QUEUED, INITIALIZING]
//!         succeeded: [COMPLETE]
//!         ...
//! ```
//!
//! The state must be a named string enum (`#/components/schemas/<Name>`), so that the
//! phase mapping is a method of its type.

use serde_json::Value;

use super::{Declared, StatusTable, check, merge};
use crate::openapi::METHODS;
use crate::problem::{Problem, pointer_token};
use crate::render::type_name;

/// Every table of the (bundled) spec, checked; one per state enum.
pub fn tables(spec: &Value) -> Result<Vec<StatusTable>, Vec<Problem>> {
    let mut read = Vec::new();
    let paths = spec.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let Some(extension) = operation.get("x-jobstatus") else {
                continue;
            };
            let location = format!("/paths/{}/{method}/x-jobstatus", pointer_token(path));
            let operation_id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .map_or_else(
                    || format!("{} {path}", method.to_uppercase()),
                    str::to_owned,
                );
            let entries = match extension {
                Value::Array(entries) => entries
                    .iter()
                    .enumerate()
                    .map(|(i, entry)| (format!("{location}/{i}"), entry))
                    .collect(),
                entry => vec![(location, entry)],
            };
            read.extend(entries.into_iter().map(|(location, entry)| {
                table(spec, operation, &operation_id, &location, entry).map(|t| (location, t))
            }));
        }
    }
    merge(read)
}

fn table(
    spec: &Value,
    operation: &Value,
    operation_id: &str,
    location: &str,
    entry: &Value,
) -> Result<StatusTable, Vec<Problem>> {
    let problem = |message: String, fix: &str| vec![Problem::new(location, message, fix)];
    let shape = "write `x-jobstatus: {state: <JSON pointer into the answer>, phases: {<phase>: [<value>, ...]}}`";
    let Some(entry) = entry.as_object() else {
        return Err(problem("x-jobstatus is not an object".to_owned(), shape));
    };
    if let Some(key) = entry
        .keys()
        .find(|key| !matches!(key.as_str(), "state" | "phases"))
    {
        return Err(problem(
            format!("x-jobstatus has an unknown key `{key}`"),
            shape,
        ));
    }
    let Some(state) = entry.get("state").and_then(Value::as_str) else {
        return Err(problem(
            "x-jobstatus has no `state` pointer".to_owned(),
            shape,
        ));
    };
    let declared = declared(entry.get("phases")).ok_or_else(|| {
        problem(
            "x-jobstatus `phases` is not a map of phase to a list of values".to_owned(),
            shape,
        )
    })?;
    let Some(answer) = success_schema(operation) else {
        return Err(problem(
            format!("{operation_id} has no JSON success answer to read the state from"),
            "declare the status table on the operation whose 2xx answer holds the state",
        ));
    };
    let (name, values) = follow(spec, answer, state).map_err(|message| {
        problem(
            format!("state `{state}`: {message}"),
            "point `state` at a property of the answer whose schema is a named string enum ($ref to components/schemas)",
        )
    })?;
    let type_name = type_name(&name);
    let phases = check(location, &type_name, &values, &declared)?;
    Ok(StatusTable {
        operation: operation_id.to_owned(),
        state: state.to_owned(),
        type_name,
        phases,
    })
}

fn declared(phases: Option<&Value>) -> Option<Declared> {
    phases?
        .as_object()?
        .iter()
        .map(|(phase, values)| {
            let values = values
                .as_array()?
                .iter()
                .map(|value| value.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()?;
            Some((phase.clone(), values))
        })
        .collect()
}

/// The schema of the first 2xx answer with a JSON body.
fn success_schema(operation: &Value) -> Option<&Value> {
    let responses = operation.get("responses")?.as_object()?;
    let mut codes: Vec<_> = responses
        .keys()
        .filter(|code| code.starts_with('2'))
        .collect();
    codes.sort();
    codes.into_iter().find_map(|code| {
        let content = responses[code].get("content")?.as_object()?;
        content
            .iter()
            .find(|(media, _)| media.contains("json"))
            .and_then(|(_, media)| media.get("schema"))
    })
}

/// Follows the pointer `state` from `schema`; gives the named enum it ends at, with its values.
fn follow(spec: &Value, schema: &Value, state: &str) -> Result<(String, Vec<String>), String> {
    let Some(rest) = state.strip_prefix('/') else {
        return Err("a JSON pointer starts with `/`".to_owned());
    };
    let mut node = schema;
    for token in rest.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        let (_, resolved) = resolve(spec, node)?;
        node = if token == "*" {
            resolved
                .get("items")
                .ok_or("`*` steps into an array, and this schema is not one")?
        } else {
            property(spec, resolved, &token)?
                .ok_or_else(|| format!("the answer has no property `{token}` there"))?
        };
    }
    let (name, resolved) = resolve(spec, node)?;
    let name = name.ok_or("the state's schema is inline; name it under components/schemas")?;
    let values = resolved
        .get("enum")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{name} is not an enum"))?
        .iter()
        .map(|value| value.as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| format!("{name} lists a value that is not a string"))?;
    Ok((name, values))
}

/// A property of an object schema, looked up in its `allOf` members too.
fn property<'a>(
    spec: &'a Value,
    schema: &'a Value,
    name: &str,
) -> Result<Option<&'a Value>, String> {
    if let Some(found) = schema.get("properties").and_then(|p| p.get(name)) {
        return Ok(Some(found));
    }
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (_, member) = resolve(spec, member)?;
        if let Some(found) = property(spec, member, name)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The schema a `$ref` names (with its component name), or the schema itself. A lone
/// `allOf` member is the schema (specs wrap a `$ref` so to give it a default).
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> Result<(Option<String>, &'a Value), String> {
    if let Some([member]) = schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        return resolve(spec, member);
    }
    let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
        return Ok((None, schema));
    };
    let name = reference
        .strip_prefix("#/components/schemas/")
        .ok_or_else(|| format!("`{reference}` is not a schema of components/schemas"))?;
    let target = spec
        .pointer(&format!("/components/schemas/{}", pointer_token(name)))
        .ok_or_else(|| format!("`{reference}` names no schema"))?;
    match resolve(spec, target)? {
        (None, target) => Ok((Some(name.to_owned()), target)),
        found => Ok(found),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(extension: &str) -> Value {
        let text = format!(
            r##"
openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /runs/{{id}}:
    get:
      operationId: get_run
      x-jobstatus: {extension}
      responses:
        "200":
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Run"}}
components:
  schemas:
    Run:
      type: object
      properties:
        state: {{$ref: "#/components/schemas/runState"}}
        steps: {{type: array, items: {{$ref: "#/components/schemas/Run"}}}}
        note: {{type: string}}
    runState:
      type: string
      enum: [QUEUED, DONE]
"##
        );
        serde_yaml::from_str(&text).expect("test spec")
    }

    #[test]
    fn a_table_names_the_enum_as_typify_does() {
        let tables = tables(&spec(
            "{state: /steps/*/state, phases: {pending: [QUEUED], succeeded: [DONE]}}",
        ))
        .expect("checked");
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].type_name, "RunState");
        assert_eq!(tables[0].operation, "get_run");
        assert_eq!(tables[0].phases[1], ("DONE".to_owned(), "succeeded"));
    }

    fn refusal(extension: &str) -> Problem {
        let mut problems = tables(&spec(extension)).expect_err("refused");
        assert_eq!(problems.len(), 1, "{problems:?}");
        problems.remove(0)
    }

    #[test]
    fn each_refusal_names_the_place_and_the_fix() {
        let missing = refusal("{state: /status, phases: {pending: [QUEUED]}}");
        assert_eq!(missing.location, "/paths/~1runs~1{id}/get/x-jobstatus");
        assert_eq!(
            missing.message,
            "state `/status`: the answer has no property `status` there"
        );
        assert!(missing.fix.contains("named string enum"));
        let not_enum = refusal("{state: /note, phases: {}}");
        assert_eq!(
            not_enum.message,
            "state `/note`: the state's schema is inline; name it under components/schemas"
        );
        let not_array = refusal("{state: /state/*, phases: {}}");
        assert!(not_array.message.contains("not one"));
        let gap = refusal("{state: /state, phases: {pending: [QUEUED]}}");
        assert_eq!(gap.message, "`DONE` of RunState has no phase");
        let shape = refusal("{state: /state, phases: [QUEUED]}");
        assert!(shape.message.contains("not a map"));
        let key = refusal("{state: /state, phase: {}}");
        assert_eq!(key.message, "x-jobstatus has an unknown key `phase`");
    }
}
