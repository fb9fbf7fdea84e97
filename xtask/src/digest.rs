//! The API digest of a generated crate, and what a spec change does to it.
//!
//! The digest lists what code using the crate depends on, one `key = value` line each:
//! `operation <method>` (HTTP method and path, or the SOAP method's signature),
//! `parameter <method>.<name>` with its type, `type <Name>` (struct or enum),
//! `field <Type>.<name>` with its type and whether it is optional, and
//! `value <Enum>.<Variant>`. Comparing two digests names each change compatible (added
//! operations, types, optional fields, enum values) or breaking (anything removed or
//! retyped, and added required fields and parameters). Adding an optional field is
//! compatible because REST types are built with their builders (`types::builder`) and
//! SOAP types with `Default`.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::{Context, Result};
use quote::ToTokens;

/// The digest of a generated file's source, with the lines of its status tables.
pub fn digest(source: &str, phases: Vec<(String, String)>) -> Result<String> {
    let file: syn::File = syn::parse_str(source).context("generated code does not parse")?;
    let mut lines: BTreeMap<String, String> = phases.into_iter().collect();
    let module = |name: &str| {
        file.items.iter().find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == name => {
                module.content.as_ref().map(|(_, items)| items.as_slice())
            }
            _ => None,
        })
    };
    if let Some(types) = module("types") {
        for item in types {
            match item {
                syn::Item::Struct(item) => {
                    lines.insert(format!("type {}", item.ident), "struct".to_owned());
                    for field in &item.fields {
                        let Some(name) = &field.ident else { continue };
                        if !matches!(field.vis, syn::Visibility::Public(_)) {
                            continue;
                        }
                        lines.insert(
                            format!("field {}.{name}", item.ident),
                            field_value(&field.ty, &field.attrs),
                        );
                    }
                }
                syn::Item::Enum(item) => {
                    lines.insert(format!("type {}", item.ident), "enum".to_owned());
                    for variant in &item.variants {
                        let payload = match &variant.fields {
                            syn::Fields::Unit => String::new(),
                            fields => text(fields),
                        };
                        lines.insert(format!("value {}.{}", item.ident, variant.ident), payload);
                    }
                }
                _ => {}
            }
        }
    }
    let builders = module("builder").unwrap_or_default();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() {
            continue;
        }
        for member in &block.items {
            let syn::ImplItem::Fn(function) = member else {
                continue;
            };
            if !matches!(function.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let name = function.sig.ident.to_string();
            match builder_of(&function.sig) {
                Some(builder) => operation(builders, &builder, &name, &mut lines),
                None if function.sig.asyncness.is_some() => {
                    let owner = text(&block.self_ty);
                    let owner = owner.split('<').next().unwrap_or_default().to_owned();
                    lines.insert(
                        format!("operation {owner}::{name}"),
                        signature(&function.sig),
                    );
                }
                None => {}
            }
        }
    }
    Ok(lines
        .into_iter()
        .map(|(key, value)| match value.as_str() {
            "" => format!("{key}\n"),
            _ => format!("{key} = {value}\n"),
        })
        .collect())
}

/// A progenitor operation: the builder's request line and its parameters.
fn operation(
    builders: &[syn::Item],
    builder: &str,
    name: &str,
    lines: &mut BTreeMap<String, String>,
) {
    for item in builders {
        match item {
            syn::Item::Struct(item) if item.ident == builder => {
                for field in &item.fields {
                    let Some(field_name) = &field.ident else {
                        continue;
                    };
                    if field_name == "client" {
                        continue;
                    }
                    // progenitor holds each parameter as `Result<T, String>`.
                    let ty = text(&field.ty);
                    let ty = ty
                        .strip_prefix("Result<")
                        .and_then(|rest| rest.strip_suffix(",String>"))
                        .unwrap_or(&ty)
                        .to_owned();
                    let optional = if ty.starts_with("Option<") {
                        " (optional)"
                    } else {
                        ""
                    };
                    lines.insert(
                        format!("parameter {name}.{field_name}"),
                        format!("{ty}{optional}"),
                    );
                }
            }
            syn::Item::Impl(block) if text(&block.self_ty).starts_with(&format!("{builder}<")) => {
                for member in &block.items {
                    let syn::ImplItem::Fn(function) = member else {
                        continue;
                    };
                    if function.sig.ident != "send" {
                        continue;
                    }
                    let request = function
                        .attrs
                        .iter()
                        .filter_map(doc_text)
                        .find_map(|doc| doc.trim().strip_prefix("Sends a ").map(str::to_owned))
                        .unwrap_or_default()
                        .replace(" request to ", " ")
                        .replace('`', "");
                    lines.insert(
                        format!("operation {name}"),
                        format!(
                            "{request} -> {}",
                            text(&function.sig.output).trim_start_matches("->")
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}

/// `builder::Name<'_>` as the return type of a client method: the builder's name.
fn builder_of(sig: &syn::Signature) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return None;
    };
    let ty = text(ty);
    ty.strip_prefix("builder::")
        .map(|rest| rest.split('<').next().unwrap_or(rest).to_owned())
}

fn field_value(ty: &syn::Type, attrs: &[syn::Attribute]) -> String {
    let ty = text(ty);
    let defaulted = attrs
        .iter()
        .any(|attr| attr.path().is_ident("serde") && text(&attr.meta).contains("default"));
    if ty.starts_with("Option<") || ty.starts_with("Vec<") || defaulted {
        format!("{ty} (optional)")
    } else {
        ty
    }
}

fn signature(sig: &syn::Signature) -> String {
    let inputs: Vec<String> = sig.inputs.iter().map(text).collect();
    let output = text(&sig.output);
    format!(
        "({}) -> {}",
        inputs.join(", "),
        output.trim_start_matches("->")
    )
}

fn doc_text(attr: &syn::Attribute) -> Option<String> {
    match &attr.meta {
        syn::Meta::NameValue(syn::MetaNameValue {
            path,
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ..
        }) if path.is_ident("doc") => Some(text.value()),
        _ => None,
    }
}

/// Tokens as compact text, without the paths every type spells out.
fn text(tokens: &impl ToTokens) -> String {
    let mut text: String = tokens
        .to_token_stream()
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("");
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
        "::std::",
        "crate::types::",
        "types::",
    ] {
        text = text.replace(prefix, "");
    }
    text.replace(",)", ")")
}

/// One difference between two digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The digest key (`field Task.state`).
    pub key: String,
    /// The value before, if the key existed.
    pub old: Option<String>,
    /// The value after, if the key exists.
    pub new: Option<String>,
}

impl Change {
    /// Whether code written against the old API may stop compiling or decoding.
    pub fn is_breaking(&self) -> bool {
        match (&self.old, &self.new) {
            (Some(_), None) => true,
            (Some(old), Some(new)) => old != new,
            (None, Some(new)) => {
                let adds_input =
                    self.key.starts_with("field ") || self.key.starts_with("parameter ");
                adds_input && !new.ends_with("(optional)")
            }
            (None, None) => false,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.is_breaking() {
            "breaking"
        } else {
            "compatible"
        };
        let value = |value: &str| match value {
            "" => String::new(),
            value => format!(" ({value})"),
        };
        match (&self.old, &self.new) {
            (Some(old), None) => write!(f, "{kind}: removed {}{}", self.key, value(old)),
            (None, Some(new)) => write!(f, "{kind}: added {}{}", self.key, value(new)),
            (Some(old), Some(new)) => write!(f, "{kind}: changed {}: {old} -> {new}", self.key),
            (None, None) => Ok(()),
        }
    }
}

/// Every difference from the digest `old` to `new`.
pub fn compare(old: &str, new: &str) -> Vec<Change> {
    let parse = |digest: &str| -> BTreeMap<String, String> {
        digest
            .lines()
            .filter(|line| !line.is_empty())
            .map(|line| match line.split_once(" = ") {
                Some((key, value)) => (key.to_owned(), value.to_owned()),
                None => (line.to_owned(), String::new()),
            })
            .collect()
    };
    let (old, new) = (parse(old), parse(new));
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|key| old.get(*key) != new.get(*key))
        .map(|key| Change {
            key: key.clone(),
            old: old.get(key).cloned(),
            new: new.get(key).cloned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = r#"
pub mod types {
    pub struct Task {
        pub id: ::std::string::String,
        pub name: ::std::option::Option<::std::string::String>,
        pub state: ::std::option::Option<crate::types::State>,
    }
    pub enum State {
        Queued,
        Running,
        Unlisted(String),
    }
}
"#;

    fn changes(after: &str) -> Vec<Change> {
        let (old, new) = (
            digest(BEFORE, Vec::new()).expect("digest"),
            digest(after, Vec::new()).expect("digest"),
        );
        compare(&old, &new)
    }

    #[test]
    fn a_removed_field_is_breaking() {
        let changes = changes(&BEFORE.replace(
            "        pub name: ::std::option::Option<::std::string::String>,\n",
            "",
        ));
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert!(changes[0].is_breaking());
        assert_eq!(
            changes[0].to_string(),
            "breaking: removed field Task.name (Option<String> (optional))"
        );
    }

    #[test]
    fn a_renamed_enum_value_is_breaking() {
        let changes = changes(&BEFORE.replace("Running,", "InProgress,"));
        let shown: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "compatible: added value State.InProgress",
                "breaking: removed value State.Running"
            ],
            "{changes:?}"
        );
        assert!(changes.iter().any(Change::is_breaking));
    }

    #[test]
    fn an_added_optional_field_is_compatible_and_a_required_one_breaking() {
        let optional = changes(&BEFORE.replace(
            "pub id: ::std::string::String,",
            "pub id: ::std::string::String,\n        pub owner: ::std::option::Option<::std::string::String>,",
        ));
        assert_eq!(optional.len(), 1, "{optional:?}");
        assert!(!optional[0].is_breaking(), "{optional:?}");
        let required = changes(&BEFORE.replace(
            "pub id: ::std::string::String,",
            "pub id: ::std::string::String,\n        pub owner: ::std::string::String,",
        ));
        assert!(required[0].is_breaking(), "{required:?}");
    }

    #[test]
    fn a_retyped_field_is_breaking() {
        let changes = changes(&BEFORE.replace("pub id: ::std::string::String", "pub id: i64"));
        assert_eq!(
            changes.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["breaking: changed field Task.id: String -> i64"]
        );
    }

    #[test]
    fn a_state_moved_to_another_phase_is_breaking_and_a_new_one_compatible() {
        let phase = |pairs: &[(&str, &str)]| {
            let lines = pairs
                .iter()
                .map(|(key, phase)| (format!("phase State.{key}"), (*phase).to_owned()))
                .collect();
            digest(BEFORE, lines).expect("digest")
        };
        let before = phase(&[("Queued", "pending")]);
        let moved = compare(&before, &phase(&[("Queued", "running")]));
        assert_eq!(
            moved.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["breaking: changed phase State.Queued: pending -> running"]
        );
        let added = compare(
            &before,
            &phase(&[("Queued", "pending"), ("Running", "running")]),
        );
        assert!(!added[0].is_breaking(), "{added:?}");
    }
}
