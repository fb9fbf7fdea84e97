//! External `$ref`s bundled into one document before anything else reads the spec.
//!
//! A `$ref` to another file of the spec folder (`components/schemas/Checksum.yaml`,
//! `paths/objects.yaml#/get`) is read from disk: a schema becomes a named schema under
//! `components/schemas` (named after its pointer or file, so typify names the type the same
//! way), anything else (a path item, parameter, response) is put in place. A remote URL is
//! never fetched: the problem says to vendor the file into the spec folder.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::problem::{Problem, pointer_token};

/// How deep non-schema references may nest before a cycle is assumed.
const MAX_DEPTH: usize = 32;

/// Replaces every external `$ref` of `spec`, read from `spec_file`, by bundled content; then
/// checks that every local `$ref` resolves. Returns every problem found.
pub fn bundle(spec: &mut Value, spec_file: &Path) -> Vec<Problem> {
    let root = canonical(spec_file);
    let mut taken: Vec<String> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    taken.sort();
    let mut bundler = Bundler {
        root,
        documents: HashMap::new(),
        named: BTreeMap::new(),
        taken,
        added: Vec::new(),
        problems: Vec::new(),
    };
    let root = bundler.root.clone();
    bundler.walk(spec, &root, "", false, 0);
    let Bundler {
        added,
        mut problems,
        ..
    } = bundler;
    if !added.is_empty() {
        if !spec.get("components").is_some_and(Value::is_object) {
            spec["components"] = Value::Object(Default::default());
        }
        if !spec["components"]
            .get("schemas")
            .is_some_and(Value::is_object)
        {
            spec["components"]["schemas"] = Value::Object(Default::default());
        }
        if let Some(schemas) = spec["components"]["schemas"].as_object_mut() {
            schemas.extend(added);
        }
    }
    unresolved_local_refs(spec, spec, "", &mut problems);
    problems
}

struct Bundler {
    root: PathBuf,
    documents: HashMap<PathBuf, Result<Value, String>>,
    /// External schema (file, pointer) -> the name it got under `components/schemas`.
    named: BTreeMap<(PathBuf, String), String>,
    taken: Vec<String>,
    added: Vec<(String, Value)>,
    problems: Vec<Problem>,
}

impl Bundler {
    /// Walks `node`, which comes from `file`; `pointer` places it in the bundled spec for
    /// problems, `in_schema` says whether it is (inside) a schema.
    fn walk(
        &mut self,
        node: &mut Value,
        file: &Path,
        pointer: &str,
        in_schema: bool,
        depth: usize,
    ) {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    if let Some(replacement) =
                        self.resolve(&reference, file, pointer, in_schema, depth)
                    {
                        *node = replacement;
                    }
                    return;
                }
                let in_components_schemas = pointer == "/components/schemas";
                for (key, value) in map.iter_mut() {
                    let child = format!("{pointer}/{}", pointer_token(key));
                    let schema = in_schema || key == "schema" || in_components_schemas;
                    self.walk(value, file, &child, schema, depth);
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter_mut().enumerate() {
                    self.walk(value, file, &format!("{pointer}/{i}"), in_schema, depth);
                }
            }
            _ => {}
        }
    }

    /// The value that replaces `{"$ref": reference}`, or `None` to keep it.
    fn resolve(
        &mut self,
        reference: &str,
        file: &Path,
        pointer: &str,
        in_schema: bool,
        depth: usize,
    ) -> Option<Value> {
        let at = format!("{pointer}/$ref");
        if reference.contains("://") || reference.starts_with("//") {
            self.problems.push(Problem::new(
                at,
                format!("remote $ref {reference} is not fetched"),
                "download the file into the spec folder (with its license) and refer to it by a relative path",
            ));
            return None;
        }
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if path.is_empty() {
            file.to_path_buf()
        } else {
            canonical(&file.parent().unwrap_or(Path::new(".")).join(path))
        };
        if target == self.root {
            // A reference into the root document is local, whichever file wrote it.
            return (!path.is_empty() || file != self.root)
                .then(|| serde_json::json!({ "$ref": format!("#{fragment}") }));
        }
        let document = match self.document(&target) {
            Ok(document) => document,
            Err(error) => {
                self.problems.push(Problem::new(
                    at,
                    format!(
                        "$ref {reference}: cannot read {}: {error}",
                        target.display()
                    ),
                    "put the referenced file in the spec folder or correct the relative path",
                ));
                return None;
            }
        };
        let Some(content) = document.pointer(fragment).cloned() else {
            self.problems.push(Problem::new(
                at,
                format!(
                    "$ref {reference}: {} has nothing at {fragment}",
                    target.display()
                ),
                "correct the pointer after `#`",
            ));
            return None;
        };
        let is_schema = in_schema || fragment.starts_with("/components/schemas/");
        if !is_schema {
            if depth >= MAX_DEPTH {
                self.problems.push(Problem::new(
                    at,
                    format!("$ref {reference} nests more than {MAX_DEPTH} files deep"),
                    "break the reference cycle between the files",
                ));
                return None;
            }
            let mut content = content;
            self.walk(&mut content, &target, pointer, false, depth + 1);
            return Some(content);
        }
        let key = (target.clone(), fragment.to_owned());
        let name = match self.named.get(&key) {
            Some(name) => name.clone(),
            None => {
                let name = self.unique_name(&target, fragment);
                self.named.insert(key, name.clone());
                let mut content = content;
                let place = format!("/components/schemas/{}", pointer_token(&name));
                self.walk(&mut content, &target, &place, true, depth);
                self.added.push((name.clone(), content));
                name
            }
        };
        Some(serde_json::json!({
            "$ref": format!("#/components/schemas/{}", pointer_token(&name))
        }))
    }

    fn document(&mut self, path: &Path) -> Result<&Value, String> {
        self.documents
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
                // Markdown and text files hold descriptions, as redocly bundles them.
                if path
                    .extension()
                    .is_some_and(|ext| ext == "md" || ext == "txt")
                {
                    return Ok(Value::String(text));
                }
                serde_yaml::from_str(&text).map_err(|e| format!("not YAML or JSON: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The schema's name: the last pointer token, or the file's stem; made unique.
    fn unique_name(&mut self, file: &Path, fragment: &str) -> String {
        let base = fragment
            .rsplit('/')
            .find(|token| !token.is_empty())
            .map(|token| token.replace("~1", "/").replace("~0", "~"))
            .or_else(|| {
                file.file_stem()
                    .and_then(|stem| stem.to_str())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "Bundled".to_owned());
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.push(name.clone());
        name
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Every `#/...` reference of `node` must point into `spec`.
fn unresolved_local_refs(spec: &Value, node: &Value, pointer: &str, problems: &mut Vec<Problem>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if let Some(fragment) = reference.strip_prefix('#')
                    && spec.pointer(fragment).is_none()
                {
                    problems.push(Problem::new(
                        format!("{pointer}/$ref"),
                        format!("$ref {reference} points at nothing in the spec"),
                        "correct the reference or add the component it names",
                    ));
                }
                return;
            }
            for (key, value) in map {
                let child = format!("{pointer}/{}", pointer_token(key));
                unresolved_local_refs(spec, value, &child, problems);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                unresolved_local_refs(spec, value, &format!("{pointer}/{i}"), problems);
            }
        }
        _ => {}
    }
}
