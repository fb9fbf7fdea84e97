//! Code generation for the jobstatus workspace.
//!
//! Every folder under `specs/` describes one vendor API and names the crate it generates:
//! `specs/<crate>/openapi.yaml` (or one `*.wsdl` file) becomes
//! `crates/<crate>/src/generated.rs`. The functions
//! here are shared by the `cargo xtask codegen` command and by the workspace test that
//! fails when a checked-in generated file is stale.

mod freshness;
mod openapi;
mod render;
mod tolerant;
mod wsdl;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

pub use freshness::{Staleness, stale_files};

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

/// The workspace root: the parent of this crate's folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Generates every vendor crate from `specs/`, in the order of the spec folders' names.
pub fn generate_all(root: &Path) -> Result<Vec<GeneratedFile>> {
    let specs = root.join("specs");
    let mut folders = std::fs::read_dir(&specs)
        .with_context(|| format!("cannot read {}", specs.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()?;
    folders.retain(|path| path.is_dir());
    folders.sort();
    folders
        .iter()
        .map(|folder| generate_vendor(root, folder))
        .collect()
}

fn generate_vendor(root: &Path, folder: &Path) -> Result<GeneratedFile> {
    let crate_name = folder
        .file_name()
        .and_then(|name| name.to_str())
        .context("spec folder name is not UTF-8")?
        .to_owned();
    let spec = spec_file(folder)?;
    let spec_path = relative(root, &spec);
    let started = Instant::now();
    let text = std::fs::read_to_string(&spec)
        .with_context(|| format!("cannot read {}", spec.display()))?;
    let generated = if spec.extension().is_some_and(|ext| ext == "wsdl") {
        wsdl::generate(&spec_path, &text)
    } else {
        openapi::generate(&spec_path, &text)
    };
    let (contents, mut stats) =
        generated.with_context(|| format!("{}: code generation failed", spec_path.display()))?;
    stats.millis = started.elapsed().as_millis();
    Ok(GeneratedFile {
        path: PathBuf::from("crates")
            .join(&crate_name)
            .join("src")
            .join("generated.rs"),
        crate_name,
        contents,
        stats,
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
        Err(_) => bail!(
            "{}: more than one .wsdl file; every spec folder holds the spec of one crate",
            folder.display()
        ),
    }
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}
