//! The tolerant-reader rules of the generated REST types, applied to progenitor's output.
//!
//! Specs are our reading of partial documents, so a response decodes whenever the status
//! model can still be read from it, and nothing the server sent is lost:
//! - every `format: date-time` becomes `jobstatus_runtime::Timestamp`, which keeps the text
//!   and never fails (the rule for the forms it reads lives in the runtime);
//! - every scalar field (strings, integers, numbers, booleans, timestamps) of a type that
//!   only responses use reads through `jobstatus_runtime::lenient`: numeric strings for
//!   numbers, numbers for strings, `"true"`/`"false"` for booleans, an empty timestamp as
//!   absent;
//! - an optional list or map field of such a type becomes
//!   `jobstatus_runtime::OrRaw`, so a value of another shape decodes as the JSON sent,
//!   unless a state is read from it (its items hold an open enum): then a wrong shape stays
//!   an error, because hiding it would hide the state.
//!
//! Open enums (matching known values loosely, keeping the text as sent) are rendered by
//! `render::open_enum_core` and wrapped in `jobstatus_runtime::Sent` where the spec names them.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::ToTokens;
use serde_json::Value;
use syn::visit_mut::VisitMut;

/// Where the tolerant readers live in the runtime.
const RUNTIME: &str = "jobstatus_runtime";

/// The scalar types that read leniently, as progenitor spells them.
const LENIENT_SCALARS: &[&str] = &[
    "::std::string::String",
    "::jobstatus_runtime::Timestamp",
    "bool",
    "f32",
    "f64",
    "i8",
    "i16",
    "i32",
    "i64",
    "u8",
    "u16",
    "u32",
    "u64",
];

/// The Rust names of the named schemas that requests use (bodies and parameters, with
/// everything they refer to). Their fields keep their spec types, so that code building a
/// request is not changed by the tolerant rules.
pub fn request_types(spec: &Value) -> BTreeSet<String> {
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut pending = Vec::new();
    for item in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
    {
        collect_refs(item.get("parameters"), &mut pending);
        for operation in item.as_object().into_iter().flat_map(|item| item.values()) {
            collect_refs(operation.get("parameters"), &mut pending);
            collect_refs(operation.get("requestBody"), &mut pending);
        }
    }
    for section in ["parameters", "requestBodies"] {
        let referenced = |name: &&String| {
            let pointer = format!("#/components/{section}/{name}");
            spec.get("paths")
                .is_some_and(|paths| paths.to_string().contains(&pointer))
        };
        if let Some(items) = spec
            .pointer(&format!("/components/{section}"))
            .and_then(Value::as_object)
        {
            for (_, item) in items.iter().filter(|(name, _)| referenced(name)) {
                collect_refs(Some(item), &mut pending);
            }
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone()) {
            collect_refs(schemas.and_then(|s| s.get(&name)), &mut pending);
        }
    }
    seen.iter().map(|name| name.to_upper_camel_case()).collect()
}

/// Names of the schemas `node` refers to with `#/components/schemas/...`.
fn collect_refs(node: Option<&Value>, names: &mut Vec<String>) {
    match node {
        Some(Value::Object(map)) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                names.push(name.to_owned());
            }
            map.values()
                .for_each(|value| collect_refs(Some(value), names));
        }
        Some(Value::Array(items)) => items
            .iter()
            .for_each(|value| collect_refs(Some(value), names)),
        _ => {}
    }
}

/// Applies the rules to progenitor's file. The fields of `request_types` are left as the
/// spec has them: what a client sends, and what a server of ours reads (the simulators),
/// is held to the spec.
pub fn apply(file: &mut syn::File, request_types: &BTreeSet<String>) {
    Timestamps.visit_file_mut(file);
    let Some((_, types)) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
        _ => None,
    }) else {
        return;
    };
    let carriers = state_carriers(types);
    // Struct name -> wrapped field name -> the field's type as the spec gave it.
    let mut wrapped: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for item in types.iter_mut() {
        let syn::Item::Struct(item) = item else {
            continue;
        };
        if !derives_deserialize(&item.attrs) {
            continue;
        }
        let name = item.ident.to_string();
        if request_types.contains(&name) {
            continue;
        }
        for field in item.fields.iter_mut() {
            let Some(ident) = field.ident.as_ref().map(ToString::to_string) else {
                continue;
            };
            if has_serde_word(&field.attrs, "flatten") {
                continue;
            }
            let spelled = spelling(&field.ty);
            if let Some(reader) = lenient_reader(&spelled) {
                add_lenient_attribute(field, reader);
            } else if let Some(inner) = option_inner(&spelled)
                && shape_may_drift(inner, &carriers)
            {
                field.ty = or_raw(inner);
                wrapped
                    .entry(name.clone())
                    .or_default()
                    .insert(ident, spelled.clone());
            }
        }
    }
    if let Some((_, builder)) = types.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
        _ => None,
    }) {
        retype_builders(builder, &wrapped);
    }
}

/// `Option<inner>` becomes `Option<OrRaw<inner>>`.
fn or_raw(inner: &str) -> syn::Type {
    syn::parse_str(&format!(
        "::std::option::Option<::{RUNTIME}::OrRaw<{inner}>>"
    ))
    .expect("a type spelled from a parsed type parses")
}

/// `::chrono::DateTime<::chrono::offset::Utc>` becomes the runtime's tolerant timestamp.
struct Timestamps;

impl VisitMut for Timestamps {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if spelling(ty) == "::chrono::DateTime<::chrono::offset::Utc>" {
            *ty = syn::parse_quote!(::jobstatus_runtime::Timestamp);
        } else {
            syn::visit_mut::visit_type_mut(self, ty);
        }
    }
}

/// A type as one string without spaces, for comparing spellings.
fn spelling(ty: &impl ToTokens) -> String {
    ty.to_token_stream()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn option_inner(spelled: &str) -> Option<&str> {
    spelled
        .strip_prefix("::std::option::Option<")
        .and_then(|rest| rest.strip_suffix('>'))
}

/// The `jobstatus_runtime::lenient` function that reads a field of this type, if any.
fn lenient_reader(spelled: &str) -> Option<&'static str> {
    if LENIENT_SCALARS.contains(&spelled) {
        Some("required")
    } else {
        option_inner(spelled)
            .filter(|inner| LENIENT_SCALARS.contains(inner))
            .map(|_| "optional")
    }
}

fn add_lenient_attribute(field: &mut syn::Field, reader: &str) {
    let path = format!("::{RUNTIME}::lenient::{reader}");
    let attribute: syn::Attribute =
        if reader == "optional" && !has_serde_word(&field.attrs, "default") {
            syn::parse_quote!(#[serde(default, deserialize_with = #path)])
        } else {
            syn::parse_quote!(#[serde(deserialize_with = #path)])
        };
    field.attrs.push(attribute);
}

/// Whether a field of this type can be kept as raw JSON: it is a list or a map, and no
/// state is read from it. An object field is read by its own type, whose fields follow
/// these rules in turn.
fn shape_may_drift(inner: &str, carriers: &BTreeSet<String>) -> bool {
    let collection = [
        "::std::vec::Vec<",
        "::serde_json::Map<",
        "::std::collections::",
    ]
    .iter()
    .any(|prefix| inner.starts_with(prefix));
    collection && !mentions_carrier(inner, carriers)
}

/// Whether a type spelling mentions an open enum or a type that holds one.
fn mentions_carrier(spelled: &str, carriers: &BTreeSet<String>) -> bool {
    spelled.contains(&format!("::{RUNTIME}::Sent<"))
        || spelled.contains(&format!("{RUNTIME}::Sent<"))
        || spelled
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|word| carriers.contains(word))
}

/// The names of the types that hold an open enum, directly or through other types.
fn state_carriers(types: &[syn::Item]) -> BTreeSet<String> {
    let mut contents: Vec<(String, String)> = Vec::new();
    let mut set = BTreeSet::new();
    for item in types {
        match item {
            syn::Item::Struct(item) => {
                contents.push((item.ident.to_string(), spelling(&item.fields)));
            }
            syn::Item::Enum(item) => {
                let variants: TokenStream = item
                    .variants
                    .iter()
                    .map(|variant| variant.fields.to_token_stream())
                    .collect();
                contents.push((item.ident.to_string(), spelling(&variants)));
            }
            _ => {}
        }
    }
    loop {
        let before = set.len();
        for (name, fields) in &contents {
            if mentions_carrier(fields, &set) {
                set.insert(name.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

fn derives_deserialize(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .any(|attr| spelling(&attr.meta).contains("Deserialize"))
}

fn has_serde_word(attrs: &[syn::Attribute], word: &str) -> bool {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("serde"))
        .any(|attr| {
            let mut found = false;
            let _ = attr.parse_nested_meta(|meta| {
                found |= meta.path.is_ident(word);
                if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<syn::Expr>()?;
                }
                Ok(())
            });
            found
        })
}

/// The builders of the types whose fields were wrapped hold and accept the new types.
fn retype_builders(
    builder: &mut [syn::Item],
    wrapped: &BTreeMap<String, BTreeMap<String, String>>,
) {
    for item in builder.iter_mut() {
        match item {
            syn::Item::Struct(item) => {
                let Some(fields) = wrapped.get(&item.ident.to_string()) else {
                    continue;
                };
                for field in item.fields.iter_mut() {
                    let name = field.ident.as_ref().map(ToString::to_string);
                    if let Some(old) = name.and_then(|name| fields.get(&name)) {
                        Retype { old }.visit_type_mut(&mut field.ty);
                    }
                }
            }
            syn::Item::Impl(item) if item.trait_.is_none() => {
                let Some(fields) = wrapped.get(&spelling(&item.self_ty)) else {
                    continue;
                };
                for member in &mut item.items {
                    if let syn::ImplItem::Fn(method) = member
                        && let Some(old) = fields.get(&method.sig.ident.to_string())
                    {
                        Retype { old }.visit_signature_mut(&mut method.sig);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Wraps every occurrence of the type `old` (an `Option`) in `OrRaw`, as in the types
/// module; the builders spell the same type with `super::` before type names.
struct Retype<'a> {
    old: &'a str,
}

impl VisitMut for Retype<'_> {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        let spelled = spelling(ty);
        if spelled.replace("super::", "") == self.old
            && let Some(inner) = option_inner(&spelled)
        {
            *ty = or_raw(inner);
        } else {
            syn::visit_mut::visit_type_mut(self, ty);
        }
    }
}

/// The tokens that make a generated open enum deserialize through `Sent`: its Rust path
/// as typify should use it in fields and parameters.
pub fn sent_path(types_path: &str, name: &str) -> String {
    format!("{RUNTIME}::Sent<{types_path}::{name}>")
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn rendered(source: TokenStream, requests: &[&str]) -> String {
        let mut file: syn::File = syn::parse2(source).expect("parses");
        let requests = requests.iter().map(|s| (*s).to_owned()).collect();
        apply(&mut file, &requests);
        spelling(&file)
    }

    #[test]
    fn scalars_read_leniently_and_drifting_shapes_keep_their_json() {
        let out = rendered(
            quote! {
                pub mod types {
                    #[derive(::serde::Deserialize)]
                    pub struct RunLog {
                        pub run_id: ::std::string::String,
                        pub end: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                        pub outputs: ::std::option::Option<::serde_json::Map<::std::string::String, ::serde_json::Value>>,
                        pub task: ::std::option::Option<Task>,
                        pub log: ::std::option::Option<Log>,
                        pub state: jobstatus_runtime::Sent<crate::types::State>,
                    }
                    #[derive(::serde::Deserialize)]
                    pub struct Task { pub state: ::std::option::Option<jobstatus_runtime::Sent<crate::types::State>> }
                    #[derive(::serde::Deserialize)]
                    pub struct Log { pub code: ::std::option::Option<i32> }
                    #[derive(::serde::Deserialize)]
                    pub struct Request { pub params: ::std::option::Option<::std::vec::Vec<Log>> }
                    pub mod builder {
                        pub struct RunLog { outputs: ::std::result::Result<::std::option::Option<::serde_json::Map<::std::string::String, ::serde_json::Value>>, ::std::string::String> }
                        impl RunLog {
                            pub fn outputs<T>(self, value: T) -> Self where T: ::std::convert::TryInto<::std::option::Option<::serde_json::Map<::std::string::String, ::serde_json::Value>>> { self }
                        }
                    }
                }
            },
            &["Request"],
        );
        assert!(
            out.contains(
                "#[serde(deserialize_with=\"::jobstatus_runtime::lenient::required\")]pubrun_id"
            ),
            "{out}"
        );
        assert!(out.contains("#[serde(default,deserialize_with=\"::jobstatus_runtime::lenient::optional\")]pubend:::std::option::Option<::jobstatus_runtime::Timestamp>"), "{out}");
        assert!(
            out.contains("pubtask:::std::option::Option<Task>"),
            "a state is read from it: {out}"
        );
        assert!(
            out.contains("publog:::std::option::Option<Log>"),
            "objects are read by their type: {out}"
        );
        assert!(
            out.contains("pubparams:::std::option::Option<::std::vec::Vec<Log>>"),
            "requests keep their types: {out}"
        );
        assert_eq!(
            out.matches("::jobstatus_runtime::OrRaw<::serde_json::Map")
                .count(),
            3,
            "{out}"
        );
    }

    #[test]
    fn request_types_follow_references() {
        let spec = serde_json::json!({
            "paths": {"/x": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/new_task"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answer"}}}}}
            }}},
            "components": {"schemas": {
                "new_task": {"properties": {"p": {"$ref": "#/components/schemas/Param"}}},
                "Param": {"type": "object"},
                "Answer": {"type": "object"}
            }}
        });
        assert_eq!(
            request_types(&spec).into_iter().collect::<Vec<_>>(),
            ["NewTask", "Param"]
        );
    }
}
