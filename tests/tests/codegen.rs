//! The checked-in generated code and API digests (`tests/api/<crate>.txt`) are what the
//! specs produce; a spec change is reviewed as the digest's diff.

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
