//! `cargo xtask new-vendor <crate-name> <spec file>`: everything a new vendor needs that
//! can be derived from its spec, written in one step.
//!
//! It copies the spec to `specs/<crate>/`, creates `crates/<crate>/` (Cargo.toml, README,
//! lib.rs and, for OpenAPI, a credentials constructor derived from the spec's security
//! schemes or `x-credential` fields), adds the crate to the workspace members and
//! `[workspace.dependencies]`, generates its code, and, when the facade is present, adds
//! the facade feature and a mapping module that refuses to compile until its job and report
//! are written. The phase of each state is not written there: it is the spec's status
//! table (see [`crate::status_table`]), which the generated crate turns into `phase()`. It
//! returns what is left to do by hand, the status table first if the spec has none.

mod facade;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

/// What `new-vendor` wrote and what is left to do.
#[derive(Debug, Default)]
pub struct Created {
    /// Files created or edited, relative to the workspace root.
    pub written: Vec<PathBuf>,
    /// Steps left to the maintainer, in order.
    pub left: Vec<String>,
}

/// The kinds of spec `new-vendor` accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    OpenApi,
    Wsdl,
}

/// Adds the vendor crate `name` for the spec at `spec` to the workspace at `root`.
pub fn new_vendor(root: &Path, name: &str, spec: &Path) -> Result<Created> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && name.starts_with(|c: char| c.is_ascii_lowercase());
    if !valid {
        bail!(
            "crate name {name:?}: use lowercase letters, digits and hyphens, starting with a letter"
        );
    }
    let kind = match spec.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml" | "json") => Kind::OpenApi,
        Some("wsdl") => Kind::Wsdl,
        _ => bail!(
            "{}: the spec must be OpenAPI 3.0 (.yaml, .yml, .json) or WSDL 1.1 (.wsdl)",
            spec.display()
        ),
    };
    let spec_folder = root.join("specs").join(name);
    let crate_folder = root.join("crates").join(name);
    for folder in [&spec_folder, &crate_folder] {
        if folder.exists() {
            bail!("{} exists already", folder.display());
        }
    }
    let text =
        std::fs::read_to_string(spec).with_context(|| format!("cannot read {}", spec.display()))?;
    let mut created = Created::default();

    let spec_name = match kind {
        Kind::OpenApi => "openapi.yaml".to_owned(),
        Kind::Wsdl => spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("{name}.wsdl")),
    };
    let spec_text = match kind {
        Kind::OpenApi if spec.extension().is_some_and(|e| e == "json") => {
            let value: Value = serde_json::from_str(&text).context("not JSON")?;
            serde_yaml::to_string(&value)?
        }
        _ => text.clone(),
    };
    write_file(
        root,
        &mut created.written,
        PathBuf::from("specs").join(name).join(&spec_name),
        &spec_text,
    )?;
    copy_referenced_files(root, name, spec, &spec_text, &mut created.written)?;

    let snake = name.to_snake_case();
    let title = title(kind, &spec_text).unwrap_or_else(|| name.to_owned());
    let crates = PathBuf::from("crates").join(name);
    write_file(
        root,
        &mut created.written,
        crates.join("Cargo.toml"),
        &manifest(kind, name, &title),
    )?;
    let (lib, credentials, example) = match kind {
        Kind::OpenApi => {
            let scheme = credential_scheme(&spec_text);
            (
                "#![doc = include_str!(\"../README.md\")]\n\nmod client_builder;\n#[allow(missing_docs, clippy::all, clippy::unwrap_used)]\nmod generated;\n\npub use client_builder::ClientBuilder;\npub use generated::*;\npub use jobstatus_runtime::{BuildError, RedirectPolicy, Secret};\n"
                    .to_owned(),
                Some(scheme.module(&title)),
                scheme.example(&snake),
            )
        }
        Kind::Wsdl => (
            "#![doc = include_str!(\"../README.md\")]\n\n#[allow(missing_docs, clippy::all, clippy::unwrap_used)]\nmod generated;\n\npub use generated::*;\npub use soap_runtime::{BuildError, RedirectPolicy, SoapError, SoapFault, SoapVersion, Transport};\n".to_owned(),
            None,
            format!(
                "let client = {snake}::Client::builder(\"https://host/service.asmx\").build()?;\nlet _ = client.transport();\n"
            ),
        ),
    };
    write_file(
        root,
        &mut created.written,
        crates.join("src").join("lib.rs"),
        &lib,
    )?;
    if let Some(credentials) = credentials {
        write_file(
            root,
            &mut created.written,
            crates.join("src").join("client_builder.rs"),
            &credentials,
        )?;
    }
    write_file(
        root,
        &mut created.written,
        crates.join("README.md"),
        &format!(
            "# {name}\n\nA typed async client for {title}, generated by `cargo xtask codegen` from\n[`specs/{name}/{spec_name}`](../../specs/{name}/{spec_name}).\n\n```no_run\n# async fn run() -> Result<(), Box<dyn std::error::Error>> {{\n{example}# Ok(())\n# }}\n```\n"
        ),
    )?;
    workspace_entries(root, name, &mut created.written)?;

    let file = crate::generate_folder(root, &spec_folder).map_err(|failure| {
        anyhow::anyhow!("{failure}the crate is created; fix the spec and run `cargo xtask codegen`")
    })?;
    for (path, contents) in file.outputs() {
        write_file(root, &mut created.written, path, contents)?;
    }

    let spec_file = PathBuf::from("specs").join(name).join(&spec_name);
    if file.phase_enums.is_empty() {
        created.left.push(format!(
            "declare the status table in {}: which operation reads a job's state, where the state is in its answer, and the phase of every state value (README: \"The status table\"); then run `cargo xtask codegen`",
            spec_file.display()
        ));
    }
    if root.join("crates").join("jobstatus").is_dir() {
        let rest = kind == Kind::OpenApi;
        let by_hand = facade(
            root,
            name,
            &snake,
            &title,
            rest,
            &file.phase_enums,
            &mut created.written,
        )?;
        created.left.extend(by_hand);
        created.left.push(format!(
            "write crates/jobstatus/src/vendors/{snake}.rs: the job (its status call), the report with its phase from the generated phase() and its outcome text, and its VendorReport variant in crates/jobstatus/src/status.rs; then delete its compile_error!"
        ));
    }
    created.left.extend([
        format!("write the vendor's example payloads as fixtures under crates/{name}/tests/fixtures/ and a test that decodes them"),
        format!("add wire-format snapshots in tests/tests/wire_{snake}.rs"),
        format!("describe the vendor and a real example in crates/{name}/README.md"),
        "cargo test --workspace".to_owned(),
    ]);
    Ok(created)
}

/// Copies the local files the spec references (`$ref`s to other files, `xs:import` and
/// `xs:include` schema locations, `wsdl:import` locations), and theirs, next to the copied
/// spec, so that the spec folder holds everything codegen reads.
fn copy_referenced_files(
    root: &Path,
    name: &str,
    spec: &Path,
    spec_text: &str,
    written: &mut Vec<PathBuf>,
) -> Result<()> {
    let source = spec.parent().unwrap_or(Path::new("."));
    let mut pending: Vec<(PathBuf, String)> = vec![(PathBuf::new(), spec_text.to_owned())];
    let mut copied: Vec<PathBuf> = Vec::new();
    while let Some((folder, text)) = pending.pop() {
        for reference in local_references(&text) {
            let relative = folder.join(&reference);
            if relative
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                bail!(
                    "{}: the reference {reference} leaves the spec's folder; copy the files it needs into one folder with the spec",
                    spec.display()
                );
            }
            if copied.contains(&relative) {
                continue;
            }
            let from = source.join(&relative);
            let text = std::fs::read_to_string(&from).with_context(|| {
                format!(
                    "{}: cannot read {} that it references",
                    spec.display(),
                    from.display()
                )
            })?;
            let path = PathBuf::from("specs").join(name).join(&relative);
            write_file(root, written, path, &text)?;
            let parent = relative.parent().map(Path::to_path_buf).unwrap_or_default();
            copied.push(relative);
            pending.push((parent, text));
        }
    }
    Ok(())
}

/// The relative file paths a spec text references: YAML or JSON `$ref`s to other files,
/// XML `schemaLocation` and `location` attributes. URLs are left out: codegen names them.
fn local_references(text: &str) -> Vec<String> {
    fn walk(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    found.push(reference.split('#').next().unwrap_or_default().to_owned());
                }
                map.values().for_each(|v| walk(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    if let Ok(document) = roxmltree::Document::parse(text) {
        for node in document.descendants() {
            found.extend(
                ["schemaLocation", "location"]
                    .iter()
                    .filter_map(|attribute| node.attribute(*attribute))
                    .filter(|_| matches!(node.tag_name().name(), "import" | "include"))
                    .map(str::to_owned),
            );
        }
    } else if let Ok(value) = serde_yaml::from_str::<Value>(text) {
        walk(&value, &mut found);
    }
    found.retain(|reference| !reference.is_empty() && !reference.contains("://"));
    found.sort();
    found.dedup();
    found
}

fn write_file(
    root: &Path,
    written: &mut Vec<PathBuf>,
    path: PathBuf,
    contents: &str,
) -> Result<()> {
    let full = root.join(&path);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let formatted;
    let contents = if path.extension().is_some_and(|e| e == "rs") {
        formatted = crate::render::rustfmt(contents)?;
        formatted.as_str()
    } else {
        contents
    };
    std::fs::write(&full, contents).with_context(|| format!("cannot write {}", full.display()))?;
    written.push(path);
    Ok(())
}

fn title(kind: Kind, text: &str) -> Option<String> {
    match kind {
        Kind::OpenApi => serde_yaml::from_str::<Value>(text)
            .ok()?
            .pointer("/info/title")?
            .as_str()
            .map(str::to_owned),
        Kind::Wsdl => roxmltree::Document::parse(text)
            .ok()?
            .descendants()
            .find(|n| n.tag_name().name() == "service")?
            .attribute("name")
            .map(|name| format!("the {name} SOAP service")),
    }
}

fn manifest(kind: Kind, name: &str, title: &str) -> String {
    let dependencies = match kind {
        Kind::OpenApi => {
            "chrono.workspace = true\njobstatus-runtime.workspace = true\nprogenitor-client.workspace = true\nregress.workspace = true\nreqwest.workspace = true\nserde.workspace = true\nserde_json.workspace = true\nuuid.workspace = true\n"
        }
        Kind::Wsdl => {
            "reqwest.workspace = true\nserde.workspace = true\nsoap-runtime.workspace = true\nyaserde.workspace = true\n"
        }
    };
    let (runtime, keyword) = match kind {
        Kind::OpenApi => ("jobstatus-runtime", "rest"),
        Kind::Wsdl => ("soap-runtime", "soap"),
    };
    let title = title.replace('"', "'");
    format!(
        "[package]\nname = \"{name}\"\ndescription = \"Typed async client for {title}, generated from specs/{name}.\"\nversion.workspace = true\nedition.workspace = true\nrust-version.workspace = true\nlicense.workspace = true\nrepository.workspace = true\nhomepage.workspace = true\ndocumentation = \"https://docs.rs/{name}\"\nreadme = \"README.md\"\nkeywords = [\"jobstatus\", \"api-client\", \"{keyword}\"]\ncategories = [\"api-bindings\", \"web-programming::http-client\"]\n\n[package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n\n[features]\ndefault = [\"rustls\"]\n# The TLS backend, as in {runtime}: rustls with aws-lc-rs, rustls with ring, or the\n# platform's library. Each needs a C toolchain or OpenSSL; see the workspace README.\nrustls = [\"{runtime}/rustls\"]\nrustls-ring = [\"{runtime}/rustls-ring\"]\nnative-tls = [\"{runtime}/native-tls\"]\n\n[dependencies]\n{dependencies}\n[dev-dependencies]\ntokio.workspace = true\n\n[lints]\nworkspace = true\n"
    )
}

/// How the spec says a client authenticates.
enum Scheme {
    Bearer,
    ApiKeyHeader(String),
    BodyFields(Vec<String>),
    None,
}

fn credential_scheme(text: &str) -> Scheme {
    let Ok(spec) = serde_yaml::from_str::<Value>(text) else {
        return Scheme::None;
    };
    let schemes = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    for scheme in schemes.into_iter().flat_map(|s| s.values()) {
        match (
            scheme.get("type").and_then(Value::as_str),
            scheme.get("scheme").and_then(Value::as_str),
            scheme.get("in").and_then(Value::as_str),
        ) {
            (Some("http"), Some(s), _) if s.eq_ignore_ascii_case("bearer") => {
                return Scheme::Bearer;
            }
            (Some("oauth2" | "openIdConnect"), _, _) => return Scheme::Bearer,
            (Some("apiKey"), _, Some("header")) => {
                if let Some(name) = scheme.get("name").and_then(Value::as_str) {
                    return Scheme::ApiKeyHeader(name.to_owned());
                }
            }
            _ => {}
        }
    }
    let fields: Vec<String> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|schemas| schemas.values())
        .filter_map(|schema| schema.get("x-credential").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    if fields.is_empty() {
        Scheme::None
    } else {
        let mut fields = fields;
        fields.sort();
        fields.dedup();
        Scheme::BodyFields(fields)
    }
}

impl Scheme {
    /// The credentials the builder takes: setter name, what it is, and the `Credentials`
    /// call that applies it (given `value`, the exposed secret).
    fn credentials(&self) -> Vec<(String, String, String)> {
        match self {
            Scheme::Bearer => vec![(
                "bearer_token".to_owned(),
                "an OAuth 2.0 bearer token, sent as `Authorization: Bearer <token>`".to_owned(),
                "credentials.with_bearer(value)?".to_owned(),
            )],
            Scheme::ApiKeyHeader(header) => vec![(
                "api_key".to_owned(),
                format!("an API key, sent in the `{header}` header"),
                format!("credentials.with_header({header:?}, value)?"),
            )],
            Scheme::BodyFields(fields) => fields
                .iter()
                .map(|field| {
                    (
                        field.to_snake_case(),
                        format!("`{field}`, written into every request body"),
                        format!("credentials.with_body_field({field:?}, value)"),
                    )
                })
                .collect(),
            Scheme::None => Vec::new(),
        }
    }

    /// `src/client_builder.rs`: `Client::builder(base_url)` with one setter per credential
    /// and the HTTP settings every vendor client shares.
    fn module(&self, title: &str) -> String {
        let credentials = self.credentials();
        let what = match credentials.len() {
            0 => "no credentials (the spec declares no security scheme)".to_owned(),
            _ => credentials
                .iter()
                .map(|(_, what, _)| what.as_str())
                .collect::<Vec<_>>()
                .join(" and "),
        };
        let fields: String = credentials
            .iter()
            .map(|(name, _, _)| format!("    {name}: Option<Secret>,\n"))
            .collect();
        let inits: String = credentials
            .iter()
            .map(|(name, _, _)| format!("            {name}: None,\n"))
            .collect();
        let setters: String = credentials
            .iter()
            .map(|(name, what, _)| {
                format!(
                    "    /// Required: {what}. It is never printed, and never sent to another origin.\n    pub fn {name}(mut self, value: impl Into<Secret>) -> Self {{\n        self.{name} = Some(value.into());\n        self\n    }}\n\n"
                )
            })
            .collect();
        let applies: String = credentials
            .iter()
            .map(|(name, _, apply)| {
                format!(
                    "        let secret = self.{name}.ok_or(BuildError::MissingCredential {{ name: {name:?} }})?;\n        let value = secret.expose();\n        let credentials = {apply};\n"
                )
            })
            .collect();
        let secret_import = if credentials.is_empty() {
            ""
        } else {
            ", Secret"
        };
        format!(
            "//! Building a [`Client`]. {title} authenticates with {what}.\n\nuse jobstatus_runtime::{{BODY_LIMIT, BuildError, Credentials, HttpOptions{secret_import}}};\n\nuse crate::Client;\n\nimpl Client {{\n    /// Starts building a client for the service at `base_url`.\n    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {{\n        ClientBuilder {{\n            base_url: base_url.into(),\n{inits}            http: HttpOptions::new(BODY_LIMIT),\n        }}\n    }}\n}}\n\n/// Builds a [`Client`]: the credentials, then the HTTP settings shared by every vendor\n/// client (see [`HttpOptions`] for redirects and the `reqwest` escape hatch).\n#[derive(Debug)]\n#[must_use]\npub struct ClientBuilder {{\n    base_url: String,\n{fields}    http: HttpOptions,\n}}\n\nimpl ClientBuilder {{\n{setters}    jobstatus_runtime::http_option_setters!();\n\n    /// Builds the client.\n    ///\n    /// # Errors\n    ///\n    /// [`BuildError`] for a base URL that is not absolute, a missing credential, a\n    /// credential that cannot be sent, or HTTP settings `reqwest` refuses.\n    pub fn build(self) -> Result<Client, BuildError> {{\n        jobstatus_runtime::parse_base_url(&self.base_url)?;\n        let credentials = Credentials::new();\n{applies}        let (client, policy) = self.http.build(credentials)?;\n        Ok(Client::new_with_client(&self.base_url, client, policy))\n    }}\n}}\n"
        )
    }

    fn example(&self, snake: &str) -> String {
        let setters: String = self
            .credentials()
            .iter()
            .map(|(name, _, _)| format!("    .{name}(\"secret\")\n"))
            .collect();
        format!(
            "let client = {snake}::Client::builder(\"https://host/api\")\n{setters}    .build()?;\nlet _ = client.baseurl();\n"
        )
    }
}

/// Adds the crate to the workspace members and `[workspace.dependencies]`.
fn workspace_entries(root: &Path, name: &str, written: &mut Vec<PathBuf>) -> Result<()> {
    let path = root.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&path)?;
    let mut out = String::new();
    let mut in_members = false;
    let mut member_added = false;
    let mut dependency_added = false;
    for line in manifest.lines() {
        if in_members && line.trim() == "]" && !member_added {
            out.push_str(&format!("    \"crates/{name}\",\n"));
            member_added = true;
            in_members = false;
        }
        if line.trim_start().starts_with("members") && line.contains('[') {
            in_members = !line.contains(']');
        }
        out.push_str(line);
        out.push('\n');
        if line.trim() == "[workspace.dependencies]" && !dependency_added {
            out.push_str(&format!("{name} = {{ path = \"crates/{name}\", version = \"0.1.0\", default-features = false }}\n"));
            dependency_added = true;
        }
    }
    if !member_added || !dependency_added {
        bail!(
            "{}: no multi-line `members = [...]` list or no [workspace.dependencies]; add crates/{name} by hand",
            path.display()
        );
    }
    std::fs::write(&path, out)?;
    written.push(PathBuf::from("Cargo.toml"));
    Ok(())
}

/// The facade feature, its optional dependency, and the mapping module to fill in.
fn facade(
    root: &Path,
    name: &str,
    snake: &str,
    title: &str,
    rest: bool,
    phase_enums: &[String],
    written: &mut Vec<PathBuf>,
) -> Result<Vec<String>> {
    let manifest_path = root.join("crates/jobstatus/Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)?;
    let mut out = String::new();
    for line in manifest.lines() {
        out.push_str(line);
        out.push('\n');
        if line.trim() == "[features]" {
            out.push_str(&format!("{name} = [\"dep:{name}\"]\n"));
        }
        if line.trim() == "[dependencies]" {
            out.push_str(&format!(
                "{name} = {{ workspace = true, optional = true }}\n"
            ));
        }
    }
    std::fs::write(&manifest_path, out)?;
    written.push(PathBuf::from("crates/jobstatus/Cargo.toml"));

    let vendors_path = root.join("crates/jobstatus/src/vendors/mod.rs");
    let vendors = std::fs::read_to_string(&vendors_path)?;
    let declaration = format!("#[cfg(feature = \"{name}\")]\npub mod {snake};\n");
    let at = vendors
        .rfind("pub mod ")
        .and_then(|start| vendors[start..].find('\n').map(|end| start + end + 1));
    let vendors = match at {
        Some(at) => format!("{}{declaration}{}", &vendors[..at], &vendors[at..]),
        None => format!("{vendors}{declaration}"),
    };
    std::fs::write(&vendors_path, vendors)?;
    written.push(PathBuf::from("crates/jobstatus/src/vendors/mod.rs"));

    // The facade's lists of vendors; what cannot be edited is left to do by hand.
    let type_name = name.to_upper_camel_case();
    let mut by_hand = Vec::new();
    for path in [
        "crates/jobstatus/src/vendor.rs",
        "crates/jobstatus/src/lib.rs",
    ] {
        let source = std::fs::read_to_string(root.join(path))?;
        let edited = if path.ends_with("vendor.rs") {
            facade::add_vendor_variant(&source, name, &type_name, title)
        } else {
            facade::add_reexport(&source, name, snake, rest)
        };
        match edited.and_then(|edited| crate::render::rustfmt(&edited)) {
            Ok(edited) => {
                std::fs::write(root.join(path), edited)?;
                written.push(PathBuf::from(path));
            }
            Err(error) => by_hand.push(format!("{path}: {error:#}")),
        }
    }

    let module = PathBuf::from(format!("crates/jobstatus/src/vendors/{snake}.rs"));
    let phases = match phase_enums {
        [] => format!(
            "//! The spec has no status table yet: declare it in `specs/{name}/` and run\n//! `cargo xtask codegen`, which gives the state enum a `phase()` method.\n"
        ),
        enums => {
            let methods: Vec<String> = enums
                .iter()
                .map(|e| format!("[`{e}::phase`]({snake}::types::{e}::phase)"))
                .collect();
            format!(
                "//! The phase of each state is the spec's status table, generated as\n//! {}.\n",
                methods.join(", ")
            )
        }
    };
    std::fs::write(
        root.join(&module),
        format!(
            "//! {title} ({type_name}).\n//!\n{phases}//!\n//! Write the job (its status call), and the report: its phase from the generated\n//! `phase()`, the vendor's own word, and the outcome text, as the other modules of this\n//! folder do; then delete the line below. Until then the `{name}` feature does not compile.\n\ncompile_error!(\"crates/jobstatus/src/vendors/{snake}.rs: write the job and its report, then delete this line\");\n"
        ),
    )?;
    written.push(module);
    Ok(by_hand)
}
