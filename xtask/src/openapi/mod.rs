//! OpenAPI specs to Rust, through progenitor.
//!
//! The spec stays the truth of the wire. Before progenitor sees it, the spec is bundled
//! (external `$ref`s of the spec folder read in, [`bundle`]), checked as a whole
//! ([`check`]: every problem at once), and normalized into what progenitor generates
//! ([`normalize`]: inline enums hoisted, response bodies made one per class, ...). Then:
//! - named string enums become open enums (an `Unlisted(String)` variant keeps values the
//!   spec does not list), rendered here and put in place of typify's closed enums;
//! - named schemas marked `x-secret: true` become `jobstatus_runtime::Secret`, which never
//!   shows in `Debug` output.

mod bundle;
mod check;
mod normalize;

pub(crate) use normalize::METHODS;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use anyhow::{Result, anyhow, bail};
use openapiv3::OpenAPI;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TypeImpl};
use serde_json::Value;

use crate::problem::{Problem, pointer_token};
use crate::render::{self, OpenEnum};
use crate::status_table;
use crate::tolerant;
use crate::{Output, Stats};

/// Where the vendor crate re-exports the generated `types` module (`pub use generated::*`).
const TYPES_PATH: &str = "crate::types";

/// Generates the Rust source of the OpenAPI spec in `spec_file`; `spec_path` names it in
/// the header. Fails with every problem the check finds.
pub fn generate(spec_path: &Path, spec_file: &Path, text: &str) -> Result<Output, Vec<Problem>> {
    let mut spec: Value = serde_yaml::from_str(text).map_err(|e| {
        vec![Problem::new(
            "",
            format!("not valid YAML: {e}"),
            "fix the syntax at the line and column given",
        )]
    })?;
    let mut problems = bundle::bundle(&mut spec, spec_file);
    let named = normalize::name_operations(&mut spec);
    problems.extend(check::check(&spec));
    let status = status_table::openapi::tables(&spec).unwrap_or_else(|more| {
        problems.extend(more);
        Vec::new()
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    // Before normalizing, which leaves multipart operations to the vendor crate: their
    // request types are still request types.
    let request_types = tolerant::request_types(&spec);
    let mut normalized = normalize::normalize(&mut spec);
    normalized.notes.splice(0..0, named);
    let streamed = streamed_operations(&spec);
    let enums = open_enums(&spec);
    let secrets = secret_schemas(&spec);
    let settings = settings(&enums, &secrets);
    let parsed: OpenAPI = serde_json::from_value(spec.clone()).map_err(|e| {
        vec![Problem::new(
            "",
            format!("not an OpenAPI 3.0 document: {e}"),
            "correct the object the message names (openapi-spec-validator shows where)",
        )]
    })?;
    let tokens =
        run_progenitor(&settings, &parsed).map_err(|error| culprits(&settings, &spec, &error))?;
    let operations = parsed
        .paths
        .iter()
        .map(|(_, item)| item.as_item().map_or(0, |item| item.iter().count()))
        .sum();
    let replaced: Vec<String> = enums
        .iter()
        .map(|open| open.name.clone())
        .chain(secrets.iter().cloned())
        .collect();
    let (source, types) = render::file(
        spec_path,
        tokens,
        &enums,
        &replaced,
        &streamed,
        &request_types,
    )
    .map_err(|e| {
        vec![Problem::new(
            "",
            format!("{e:#}"),
            "report this as a generator bug with the spec",
        )]
    })?;
    let stats = Stats {
        operations,
        hand_written: normalized.hand_written,
        types,
        lines: source.lines().count(),
        millis: 0,
    };
    Ok(Output {
        source,
        stats,
        notes: normalized.notes,
        status,
    })
}

/// The operations whose successful answer is not JSON: progenitor hands it to the caller
/// as a stream, which the runtime caps at the download limit instead of the body limit.
fn streamed_operations(spec: &Value) -> Vec<String> {
    let operations = spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(Value::as_object);
    operations
        .filter(|operation| {
            operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(code, _)| code.starts_with('2'))
                .filter_map(|(_, response)| response.get("content")?.as_object())
                .flat_map(|content| content.keys())
                .any(|media_type| !media_type.contains("json"))
        })
        .filter_map(|operation| operation.get("operationId")?.as_str().map(str::to_owned))
        .collect()
}

fn settings(enums: &[OpenEnum], secrets: &[String]) -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote::quote!(jobstatus_runtime::RequestPolicy))
        .with_derive("PartialEq");
    for open in enums {
        // typify looks replacements up by the Rust name it would give the schema.
        settings.with_replacement(
            &open.name,
            tolerant::sent_path(TYPES_PATH, &open.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    for name in secrets {
        settings.with_replacement(name, "jobstatus_runtime::Secret", std::iter::empty());
    }
    settings
}

/// progenitor stops at the first operation it cannot generate and often names none: try
/// each operation alone to name every one that fails.
fn culprits(settings: &GenerationSettings, spec: &Value, error: &anyhow::Error) -> Vec<Problem> {
    let fix = "change the operation so it fits the rules in README's \"How code generation works\", or report the spec as a generator bug";
    // A schema typify refuses fails every operation: name the components once instead.
    let mut without_paths = spec.clone();
    without_paths["paths"] = serde_json::json!({});
    let components = serde_json::from_value::<OpenAPI>(without_paths)
        .map_err(|e| anyhow!("{e}"))
        .and_then(|parsed| run_progenitor(settings, &parsed));
    if let Err(error) = components {
        return vec![Problem::new(
            "/components/schemas",
            format!("{error:#}"),
            fix,
        )];
    }
    let mut problems = Vec::new();
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (path, item) in &paths {
        for method in normalize::METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let mut alone = spec.clone();
            let mut single = serde_json::Map::new();
            single.insert(method.to_owned(), operation.clone());
            if let Some(parameters) = item.get("parameters") {
                single.insert("parameters".to_owned(), parameters.clone());
            }
            alone["paths"] = serde_json::json!({ path.clone(): single });
            let outcome = serde_json::from_value::<OpenAPI>(alone)
                .map_err(|e| anyhow!("{e}"))
                .and_then(|parsed| run_progenitor(settings, &parsed));
            if let Err(error) = outcome {
                problems.push(Problem::new(
                    format!("/paths/{}/{method}", pointer_token(path)),
                    format!("{error:#}"),
                    fix,
                ));
            }
        }
    }
    if problems.is_empty() {
        problems.push(Problem::new("", format!("{error:#}"), fix));
    }
    problems
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

/// Every named open enum (see [`normalize::is_open_enum`]), after hoisting.
fn open_enums(spec: &Value) -> Vec<OpenEnum> {
    spec.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, schema)| normalize::is_open_enum(schema))
        .map(|(name, schema)| OpenEnum {
            name: render::type_name(name),
            description: schema
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            values: schema
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
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
        .map(|(name, _)| render::type_name(name))
        .collect()
}

#[cfg(test)]
mod tests;
