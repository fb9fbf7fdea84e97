//! Comparing generated files with what is checked in.

use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::GeneratedFile;

/// A checked-in file that differs from what the specs produce.
#[derive(Debug)]
pub struct Staleness {
    /// Path relative to the workspace root.
    pub path: PathBuf,
    /// A short unified diff from the checked-in text to the generated one.
    pub diff: String,
}

/// Lines of diff shown per stale file; enough to see what changed, short enough to read.
const DIFF_LINES: usize = 40;

/// The generated files (code and API digests) whose checked-in copy under `root` is
/// missing or different.
pub fn stale_files(root: &Path, files: &[GeneratedFile]) -> Vec<Staleness> {
    files
        .iter()
        .flat_map(GeneratedFile::outputs)
        .filter_map(|(path, contents)| {
            let on_disk = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
            (on_disk != contents).then(|| Staleness {
                diff: short_diff(&on_disk, contents, &path),
                path,
            })
        })
        .collect()
}

fn short_diff(old: &str, new: &str, path: &Path) -> String {
    let name = path.display().to_string();
    let diff = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("{name} (checked in)"),
            &format!("{name} (from spec)"),
        )
        .to_string();
    let total = diff.lines().count();
    let mut shown: String = diff
        .lines()
        .take(DIFF_LINES)
        .map(|line| format!("{line}\n"))
        .collect();
    if total > DIFF_LINES {
        shown.push_str(&format!("... {} more diff lines\n", total - DIFF_LINES));
    }
    shown
}
