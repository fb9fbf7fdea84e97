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

/// `cargo xtask new-vendor` in a scratch workspace, for a REST and a SOAP spec of the
/// corpus: the crates it creates build warning-free with the workspace's lints.
#[test]
fn new_vendor_creates_crates_that_build() {
    let root = workspace_root();
    let scratch = root.join("target").join("new-vendor-test");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("specs")).expect("scratch folder");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("manifest");
    // The workspace's manifest without its members, its crates resolved from the checkout.
    let mut members_open = false;
    let scratch_manifest: String = manifest
        .lines()
        .filter(|line| {
            if line.trim_start().starts_with("members") {
                members_open = true;
                return true;
            }
            if members_open {
                if line.trim() == "]" {
                    members_open = false;
                    return true;
                }
                return false;
            }
            true
        })
        .map(|line| {
            line.replace(
                "path = \"crates/",
                &format!("path = \"{}/crates/", root.display()),
            )
        })
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(scratch.join("Cargo.toml"), scratch_manifest).expect("manifest");
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).expect("lock");

    // TES with the status table a maintainer would add to its GetTask operation.
    let tes = std::fs::read_to_string(root.join("tests/corpus/openapi/ga4gh-tes/openapi.yaml"))
        .expect("TES spec")
        .replacen(
            "      operationId: GetTask\n",
            "      operationId: GetTask\n      x-jobstatus:\n        state: /state\n        phases:\n          pending: [QUEUED, INITIALIZING]\n          running: [RUNNING, PAUSED]\n          cancelling: [CANCELING]\n          succeeded: [COMPLETE]\n          failed: [EXECUTOR_ERROR, SYSTEM_ERROR, PREEMPTED]\n          cancelled: [CANCELED]\n          unknown: [UNKNOWN]\n",
            1,
        );
    let tes_folder = scratch.join("tes-source");
    std::fs::create_dir_all(&tes_folder).expect("TES folder");
    let tes_spec = tes_folder.join("openapi.yaml");
    std::fs::write(&tes_spec, tes).expect("TES spec with a status table");
    // The file its $refs name, which new-vendor copies along.
    std::fs::copy(
        root.join("tests/corpus/openapi/ga4gh-tes/service-info.yaml"),
        tes_folder.join("service-info.yaml"),
    )
    .expect("service-info.yaml");

    for (name, spec, with_table) in [
        (
            "service-info",
            root.join("tests/corpus/openapi/ga4gh-service-info/openapi.yaml"),
            false,
        ),
        ("tes", tes_spec, true),
        (
            "zeep-benchmark",
            root.join("tests/corpus/wsdl/zeep-benchmark/benchmark.wsdl"),
            false,
        ),
    ] {
        let created = xtask::new_vendor::new_vendor(&scratch, name, &spec)
            .unwrap_or_else(|e| panic!("{name}: {e:#}"));
        assert!(
            created
                .written
                .iter()
                .any(|p| p.ends_with(format!("crates/{name}/src/generated.rs"))),
            "{created:?}"
        );
        assert!(!created.left.is_empty(), "{created:?}");
        let asks_for_table = created.left[0].starts_with("declare the status table");
        assert_eq!(asks_for_table, !with_table, "{name}: {created:?}");
        let generated =
            std::fs::read_to_string(scratch.join(format!("crates/{name}/src/generated.rs")))
                .expect("generated");
        assert_eq!(
            generated.contains("pub fn phase(&self)"),
            with_table,
            "{name}"
        );
    }
    let digest = std::fs::read_to_string(scratch.join("tests/api/tes.txt")).expect("TES digest");
    assert!(
        digest.contains("phase TesState.Canceling = cancelling"),
        "{digest}"
    );
    let status = std::process::Command::new(env!("CARGO"))
        .args(["clippy", "--quiet", "--workspace", "--", "-D", "warnings"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "the new vendor crates do not build warning-free"
    );
}
