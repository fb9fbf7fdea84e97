//! The quick start in README.md is the compiled example `crates/jobstatus/examples/quick_start.rs`,
//! and its dependency line asks for this workspace's version and the features the example needs.

use std::path::Path;

const EXAMPLE: &str = "crates/jobstatus/examples/quick_start.rs";

fn read(relative: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read_to_string(root.join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The fenced block of `language` that follows the first line containing `marker`.
fn block_after<'a>(text: &'a str, marker: &str, language: &str) -> &'a str {
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("README has no {marker:?}"));
    let fence = format!("```{language}\n");
    let start = text[at..]
        .find(&fence)
        .map(|i| at + i + fence.len())
        .unwrap_or_else(|| panic!("no ```{language} block after {marker:?}"));
    let end = text[start..]
        .find("```")
        .map(|i| start + i)
        .expect("the block is closed");
    &text[start..end]
}

#[test]
fn readme_quick_start_is_the_example() {
    let readme = read("README.md");
    let example = read(EXAMPLE);
    // The example's module docs say where it comes from; README shows the code after them.
    let code = example
        .split_inclusive('\n')
        .skip_while(|line| line.starts_with("//!"))
        .skip_while(|line| line.trim().is_empty())
        .collect::<String>();
    let shown = block_after(&readme, &format!("<!-- {EXAMPLE}"), "rust");
    if shown != code {
        let diff = similar::TextDiff::from_lines(shown, code.as_str())
            .unified_diff()
            .header("README.md", EXAMPLE)
            .to_string();
        panic!("README's quick start differs from {EXAMPLE}; copy the example over:\n{diff}");
    }
}

#[test]
fn readme_dependency_line_matches_the_crate_and_the_example() {
    let readme = read("README.md");
    let toml = block_after(&readme, "In your own code, depend on the facade", "toml");
    let version = env!("CARGO_PKG_VERSION");
    let wanted = version
        .rsplit_once('.')
        .map_or(version, |(major_minor, _)| major_minor);
    let line = toml
        .lines()
        .find(|line| line.starts_with("jobstatus = "))
        .expect("a jobstatus dependency line");
    assert!(
        line.contains(&format!("version = \"{wanted}\"")),
        "README asks for another version than {version}: {line}"
    );
    for feature in ["elma-rpa", "simulator", "rustls"] {
        assert!(
            line.contains(&format!("\"{feature}\"")),
            "the quick start needs {feature}: {line}"
        );
    }
    assert!(
        toml.lines().any(|line| line.starts_with("tokio = ")
            && line.contains("macros")
            && line.contains("rt-multi-thread")),
        "the quick start's #[tokio::main] needs tokio's macros and multi-threaded runtime: {toml}"
    );
}
