//! OpenAPI specs to Rust, through progenitor.
//!
//! The spec stays the truth of the wire. Before progenitor sees it, three things that
//! progenitor cannot express are taken out, each by a general rule:
//! - named string enums become open enums (an `Unlisted(String)` variant keeps values the
//!   spec does not list), rendered here and put in place of typify's closed enums, each
//!   field holding one as `jobstatus_runtime::Sent` (the text as sent kept beside it);
//! - properties listed under an object's `x-credential` stop being required in the Rust
//!   types, because the client's credentials write them into every request body;
//! - operations whose body is `multipart/form-data` are left to the vendor crate;
//! - named schemas marked `x-secret: true` become `jobstatus_runtime::Secret`, which never
//!   shows in `Debug` output.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use openapiv3::OpenAPI;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TypeImpl};
use serde_json::Value;

use crate::Stats;
use crate::render::{self, OpenEnum};
use crate::tolerant;

/// Where the vendor crate re-exports the generated `types` module (`pub use generated::*`).
const TYPES_PATH: &str = "crate::types";

/// Generates the Rust source of one OpenAPI spec; `spec_path` names it in the header.
pub fn generate(spec_path: &Path, text: &str) -> Result<(String, Stats)> {
    let mut spec: Value = serde_yaml::from_str(text).context("not valid YAML")?;
    reject_inline_enums(&spec, "")?;
    let enums = open_enums(&spec)?;
    let request_types = tolerant::request_types(&spec);
    let secrets = secret_schemas(&spec);
    relax_credentials(&mut spec);
    let hand_written = drop_multipart_operations(&mut spec);
    let spec: OpenAPI = serde_json::from_value(spec).context("not an OpenAPI 3.0 document")?;

    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote::quote!(jobstatus_runtime::Credentials))
        .with_derive("PartialEq");
    for open in &enums {
        settings.with_replacement(
            &open.name,
            tolerant::sent_path(TYPES_PATH, &open.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    for name in &secrets {
        settings.with_replacement(name, "jobstatus_runtime::Secret", std::iter::empty());
    }
    let tokens = run_progenitor(&settings, &spec)?;
    let operations = spec
        .paths
        .iter()
        .map(|(_, item)| item.as_item().map_or(0, |item| item.iter().count()))
        .sum();
    let (source, types) = render::file(spec_path, tokens, &enums, &request_types)?;
    let stats = Stats {
        operations,
        hand_written,
        types,
        lines: source.lines().count(),
        millis: 0,
    };
    Ok((source, stats))
}

/// progenitor reports some unsupported inputs by panicking; turn that into an error that
/// names the cause instead of a backtrace.
fn run_progenitor(
    settings: &GenerationSettings,
    spec: &OpenAPI,
) -> Result<proc_macro2::TokenStream> {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        Generator::new(settings).generate_tokens(spec)
    }));
    std::panic::set_hook(previous_hook);
    match outcome {
        Ok(generated) => generated.map_err(|e| anyhow!("progenitor: {e}")),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "no message".to_owned());
            bail!("progenitor cannot generate this spec: {message}")
        }
    }
}

/// An enum that is not a named schema could not be made open; refuse it, naming where it is.
fn reject_inline_enums(node: &Value, pointer: &str) -> Result<()> {
    let is_named_schema = |p: &str| {
        p.strip_prefix("/components/schemas/")
            .is_some_and(|name| !name.contains('/'))
    };
    match node {
        Value::Object(map) => {
            if map.contains_key("enum")
                && !is_named_schema(pointer)
                && !pointer.starts_with("/servers")
            {
                bail!(
                    "enum at {pointer} is inline; make it a named schema under components/schemas so it decodes as an open enum"
                );
            }
            map.iter().try_for_each(|(key, value)| {
                let key = key.replace('~', "~0").replace('/', "~1");
                reject_inline_enums(value, &format!("{pointer}/{key}"))
            })
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, value)| reject_inline_enums(value, &format!("{pointer}/{i}"))),
        _ => Ok(()),
    }
}

fn open_enums(spec: &Value) -> Result<Vec<OpenEnum>> {
    let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Ok(Vec::new());
    };
    schemas
        .iter()
        .filter_map(|(name, schema)| Some((name, schema, schema.get("enum")?)))
        .map(|(name, schema, values)| {
            if schema.get("type").and_then(Value::as_str) != Some("string") {
                bail!("enum schema {name} must have `type: string`");
            }
            let values = values
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .with_context(|| format!("enum {name} has a value that is not a string"))
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(OpenEnum {
                name: name.clone(),
                description: schema
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                values,
            })
        })
        .collect()
}

/// Named schemas marked `x-secret: true`: the Rust type is `jobstatus_runtime::Secret`,
/// which serializes as the string but never shows in `Debug` output.
fn secret_schemas(spec: &Value) -> Vec<String> {
    spec.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, schema)| schema.get("x-secret") == Some(&Value::Bool(true)))
        .map(|(name, _)| name.clone())
        .collect()
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
        item.as_object().is_some_and(|item| {
            item.keys().any(|k| {
                matches!(
                    k.as_str(),
                    "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
                )
            })
        })
    });
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate_yaml(yaml: &str) -> Result<(String, Stats)> {
        generate(Path::new("specs/test/openapi.yaml"), yaml)
    }

    #[test]
    fn inline_enums_are_refused_with_their_location() {
        let err = generate_yaml(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      operationId: get_x
      parameters:
        - {name: kind, in: query, schema: {type: string, enum: [a, b]}}
      responses:
        "200": {description: ok}
"#,
        )
        .expect_err("inline enum");
        let message = format!("{err:#}");
        assert!(
            message.contains("/paths/~1x/get/parameters/0/schema"),
            "{message}"
        );
    }

    #[test]
    fn a_spec_progenitor_panics_on_is_an_error() {
        let err = generate_yaml(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      operationId: get_x
      responses:
        "200":
          description: a
          content: {application/json: {schema: {type: string}}}
        "201":
          description: b
          content: {application/json: {schema: {type: integer}}}
"#,
        )
        .expect_err("two success types");
        assert!(format!("{err:#}").contains("progenitor"), "{err:#}");
    }

    #[test]
    fn openapi_3_1_is_refused() {
        let err = generate_yaml("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
            .expect_err("3.1");
        assert!(format!("{err:#}").contains("invalid version"), "{err:#}");
    }
}
