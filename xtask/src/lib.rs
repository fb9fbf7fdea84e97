//! Code generation for the jobstatus workspace.
//!
//! Every folder under `specs/` describes one vendor API and names the crate it generates:
//! `specs/<crate>/openapi.yaml` (or one `*.wsdl` file) becomes
//! `crates/<crate>/src/generated.rs`. The functions
//! here are shared by the `cargo xtask codegen` command and by the workspace test that
//! fails when a checked-in generated file is stale.

pub mod corpus;
pub mod digest;
mod freshness;
pub mod new_vendor;
mod openapi;
mod problem;
mod render;
pub mod status_table;
mod tolerant;
mod wsdl;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

pub use freshness::{Staleness, stale_files};
pub use problem::Problem;

/// One generated file, ready to be written or compared.
#[derive(Debug, Clone)]
pub struct GeneratedFile {
    /// The vendor crate the file belongs to.
    pub crate_name: String,
    /// Path relative to the workspace root.
    pub path: PathBuf,
    /// The file's full text.
    pub contents: String,
    /// What the file holds, for the one-line summary.
    pub stats: Stats,
    /// What the generator changed or left out that a maintainer should know, one line each.
    pub notes: Vec<String>,
    /// The API digest of the file (see [`digest`]), checked in at [`Self::digest_path`].
    pub digest: String,
    /// The state enums the spec's status tables give a generated `phase()` method.
    pub phase_enums: Vec<String>,
}

/// A spec that was not generated, with every problem its check found.
#[derive(Debug, Clone)]
pub struct SpecFailure {
    /// The vendor crate the spec belongs to.
    pub crate_name: String,
    /// The spec, relative to the workspace root.
    pub spec: PathBuf,
    /// Every problem, in the order of the spec.
    pub problems: Vec<Problem>,
}

impl std::fmt::Display for SpecFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{}: {} problem(s), nothing generated for {}",
            self.spec.display(),
            self.problems.len(),
            self.crate_name
        )?;
        for problem in &self.problems {
            writeln!(f, "  {problem}")?;
        }
        Ok(())
    }
}

/// What one run over `specs/` produced: the generated files of every spec that passed its
/// check, and the problems of every spec that did not.
#[derive(Debug, Default)]
pub struct Codegen {
    /// One file per generated spec.
    pub files: Vec<GeneratedFile>,
    /// One entry per spec that was not generated.
    pub failures: Vec<SpecFailure>,
}

/// The result of generating one spec.
pub(crate) struct Output {
    pub source: String,
    pub stats: Stats,
    pub notes: Vec<String>,
    /// The spec's status tables, one per state enum.
    pub status: Vec<status_table::StatusTable>,
}

/// Counts reported in the summary line of a vendor.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Operations the generated client has a method for.
    pub operations: usize,
    /// Operations of the spec that the vendor crate implements by hand.
    pub hand_written: usize,
    /// Types in the generated `types` module.
    pub types: usize,
    /// Lines of the generated file.
    pub lines: usize,
    /// How long generation took, in milliseconds.
    pub millis: u128,
}

impl GeneratedFile {
    /// Where the API digest is checked in, relative to the workspace root.
    pub fn digest_path(&self) -> PathBuf {
        PathBuf::from("tests")
            .join("api")
            .join(format!("{}.txt", self.crate_name))
    }

    /// Every file written for the crate: the generated code and its API digest.
    pub fn outputs(&self) -> [(PathBuf, &str); 2] {
        [
            (self.path.clone(), self.contents.as_str()),
            (self.digest_path(), self.digest.as_str()),
        ]
    }

    /// The summary line printed by `cargo xtask codegen`.
    pub fn summary(&self) -> String {
        let Stats {
            operations,
            hand_written,
            types,
            lines,
            millis,
        } = self.stats;
        let hand = match hand_written {
            0 => String::new(),
            n => format!(" (+{n} hand-written)"),
        };
        format!(
            "{:<24} {operations:>3} operations{hand}, {types:>3} types, {lines:>6} lines, {millis:>5} ms  -> {}",
            self.crate_name,
            self.path.display()
        )
    }
}

/// The workspace to generate into: the nearest folder at or above `start` whose
/// `Cargo.toml` declares a `[workspace]` and that holds a `specs/` folder. Found from where
/// the command runs, never from where the xtask binary was built, so a binary built in one
/// checkout cannot write into another.
pub fn workspace_root(start: &Path) -> Result<PathBuf> {
    for folder in start.ancestors() {
        let manifest = folder.join("Cargo.toml");
        let is_workspace = std::fs::read_to_string(&manifest)
            .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"));
        if is_workspace && folder.join("specs").is_dir() {
            return Ok(folder.to_path_buf());
        }
    }
    bail!(
        "no jobstatus workspace at or above {}: run the command inside the checkout (a folder whose Cargo.toml has [workspace] and that holds specs/)",
        start.display()
    )
}

/// Generates every vendor crate from `specs/`, in the order of the spec folders' names.
/// A spec with problems does not stop the others.
pub fn generate_all(root: &Path) -> Result<Codegen> {
    let specs = root.join("specs");
    let mut folders = std::fs::read_dir(&specs)
        .with_context(|| format!("cannot read {}", specs.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()?;
    folders.retain(|path| path.is_dir());
    folders.sort();
    let mut codegen = Codegen::default();
    for folder in &folders {
        match generate_folder(root, folder) {
            Ok(file) => codegen.files.push(file),
            Err(failure) => codegen.failures.push(failure),
        }
    }
    Ok(codegen)
}

/// Generates the crate of one spec folder into `crates/<folder name>/src/generated.rs`.
pub fn generate_folder(root: &Path, folder: &Path) -> Result<GeneratedFile, SpecFailure> {
    let crate_name = folder
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    generate_spec(root, folder, &crate_name)
}

/// Generates the spec in `folder` as the crate `crate_name`.
pub fn generate_spec(
    root: &Path,
    folder: &Path,
    crate_name: &str,
) -> Result<GeneratedFile, SpecFailure> {
    let crate_name = crate_name.to_owned();
    let failure = |spec: PathBuf, problems| SpecFailure {
        crate_name: crate_name.clone(),
        spec,
        problems,
    };
    let spec = spec_file(folder).map_err(|e| {
        failure(
            relative(root, folder),
            vec![Problem::new(
                "",
                format!("{e:#}"),
                "keep exactly one spec (openapi.yaml or one .wsdl) in each folder under specs/",
            )],
        )
    })?;
    let spec_path = relative(root, &spec);
    let started = Instant::now();
    let text = std::fs::read_to_string(&spec).map_err(|e| {
        failure(
            spec_path.clone(),
            vec![Problem::new(
                "",
                format!("cannot read the spec: {e}"),
                "make the file readable UTF-8",
            )],
        )
    })?;
    let is_wsdl = spec.extension().is_some_and(|ext| ext == "wsdl");
    let generated = if is_wsdl {
        wsdl::generate(&spec_path, &spec, &text)
    } else {
        openapi::generate(&spec_path, &spec, &text)
    };
    let Output {
        mut source,
        mut stats,
        notes,
        status,
    } = generated.map_err(|problems| failure(spec_path.clone(), problems))?;
    let generator_bug = |e: anyhow::Error| {
        failure(
            spec_path.clone(),
            vec![Problem::new(
                "",
                format!("{e:#}"),
                "report this as a generator bug with the spec",
            )],
        )
    };
    if !status.is_empty() {
        // The generated crate of a WSDL reaches the runtime through soap-runtime.
        let runtime = if is_wsdl {
            quote::quote!(::soap_runtime)
        } else {
            quote::quote!(::jobstatus_runtime)
        };
        let phases = render::rustfmt(&status_table::render(&status, &runtime).to_string())
            .map_err(generator_bug)?;
        source.push('\n');
        source.push_str(&phases);
        stats.lines = source.lines().count();
    }
    stats.millis = started.elapsed().as_millis();
    let digest =
        digest::digest(&source, status_table::digest_lines(&status)).map_err(generator_bug)?;
    Ok(GeneratedFile {
        digest,
        phase_enums: status.into_iter().map(|table| table.type_name).collect(),
        path: PathBuf::from("crates")
            .join(&crate_name)
            .join("src")
            .join("generated.rs"),
        crate_name,
        contents: source,
        stats,
        notes,
    })
}

/// The spec of a folder: its `openapi.yaml`, or its one `*.wsdl` file.
fn spec_file(folder: &Path) -> Result<PathBuf> {
    let openapi = folder.join("openapi.yaml");
    if openapi.is_file() {
        return Ok(openapi);
    }
    let mut wsdl: Vec<PathBuf> = std::fs::read_dir(folder)
        .with_context(|| format!("cannot read {}", folder.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    wsdl.retain(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "wsdl"));
    match <[PathBuf; 1]>::try_from(wsdl) {
        Ok([spec]) => Ok(spec),
        Err(found) if found.is_empty() => bail!(
            "{}: no openapi.yaml and no .wsdl file; every spec folder holds the spec of one crate",
            folder.display()
        ),
        Err(found) => wsdl::main_file(folder, found),
    }
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}
