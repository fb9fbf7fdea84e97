//! Support for the workspace-level tests: a loopback server that records what a client
//! sends, and the independent peers run by the interop tests.

pub mod capture;
pub mod hostile;
pub mod peers;

use std::path::PathBuf;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}
