//! The checked-in generated code is what the specs produce, and its text is reviewed as a
//! snapshot whenever a spec changes.

use workspace_tests::workspace_root;

fn generated() -> Vec<xtask::GeneratedFile> {
    let codegen = xtask::generate_all(&workspace_root()).unwrap_or_else(|e| panic!("{e:#}"));
    let failures: String = codegen.failures.iter().map(ToString::to_string).collect();
    assert!(failures.is_empty(), "{failures}");
    codegen.files
}

#[test]
fn checked_in_generated_code_is_fresh() {
    let root = workspace_root();
    let stale = xtask::stale_files(&root, &generated());
    let report: String = stale
        .iter()
        .map(|s| format!("{} is stale:\n{}\n", s.path.display(), s.diff))
        .collect();
    assert!(
        stale.is_empty(),
        "{report}run `cargo xtask codegen` and review the snapshot diffs"
    );
}

#[test]
fn generated_code_snapshots() {
    for file in generated() {
        insta::assert_snapshot!(format!("generated-{}", file.crate_name), file.contents);
    }
}
