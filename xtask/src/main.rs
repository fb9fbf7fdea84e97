//! `cargo xtask codegen [--check]`: regenerate the vendor crates from `specs/`, or check
//! that the checked-in generated code is up to date.

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask corpus [filter] | cargo xtask new-vendor <crate-name> <spec file>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["corpus"] => corpus(None),
        ["corpus", filter] => corpus(Some(filter)),
        ["new-vendor", name, spec] => new_vendor(name, spec),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(check: bool) -> anyhow::Result<ExitCode> {
    let root = xtask::workspace_root(&std::env::current_dir()?)?;
    let xtask::Codegen { files, failures } = xtask::generate_all(&root)?;
    for file in &files {
        println!("{}", file.summary());
        for note in &file.notes {
            println!("    note: {note}");
        }
        // A spec change reviewed as a change of API: each difference from the checked-in
        // digest, compatible or breaking.
        match std::fs::read_to_string(root.join(file.digest_path())) {
            Ok(checked_in) => {
                for change in xtask::digest::compare(&checked_in, &file.digest) {
                    println!("    {change}");
                }
            }
            Err(_) => println!(
                "    new API digest, {} entries: {}",
                file.digest.lines().count(),
                file.digest_path().display()
            ),
        }
    }
    for failure in &failures {
        eprint!("{failure}");
    }
    let stale = xtask::stale_files(&root, &files);
    if check {
        for staleness in &stale {
            eprintln!("stale: {}\n{}", staleness.path.display(), staleness.diff);
        }
    } else {
        for (relative, contents) in files
            .iter()
            .flat_map(xtask::GeneratedFile::outputs)
            .filter(|(path, _)| stale.iter().any(|s| &s.path == path))
        {
            let path = root.join(&relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, contents)?;
            println!("wrote {}", relative.display());
        }
    }
    let problems: usize = failures.iter().map(|f| f.problems.len()).sum();
    println!(
        "{} spec(s) generated, {} refused with {problems} problem(s){}",
        files.len(),
        failures.len(),
        if check {
            format!(", {} generated file(s) stale", stale.len())
        } else {
            String::new()
        }
    );
    if check && !stale.is_empty() {
        eprintln!("run `cargo xtask codegen` to bring the generated files up to date");
    }
    let stale_checked = check && !stale.is_empty();
    Ok(if failures.is_empty() && !stale_checked {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Generates and builds the third-party corpus (the specs whose name contains `filter`);
/// prints one table row per spec.
fn corpus(filter: Option<&str>) -> anyhow::Result<ExitCode> {
    let root = xtask::workspace_root(&std::env::current_dir()?)?;
    let entries = xtask::corpus::generate(&root, filter)?;
    println!("building the generated corpus crates warning-free ...");
    let failed = xtask::corpus::build(&root, &entries)?;
    let mut unexpected = 0;
    println!(
        "| spec | codegen | build | methods | cause of a refusal, or notes |\n|---|---|---|---|---|"
    );
    for entry in &entries {
        let (codegen, build, methods, cause) = match &entry.outcome {
            Ok(file) => {
                let builds = !failed.contains(&file.crate_name);
                unexpected += usize::from(!builds);
                (
                    "generated",
                    if builds { "ok" } else { "FAILS" },
                    file.stats.operations.to_string(),
                    file.notes.join("; "),
                )
            }
            Err(failure) => (
                "refused",
                "-",
                "-".to_owned(),
                failure
                    .problems
                    .iter()
                    .map(|p| format!("{} {}", p.location, p.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        let expected = entry.expected_refused == entry.outcome.is_err();
        unexpected += usize::from(!expected);
        let mark = if expected { "" } else { " (UNEXPECTED)" };
        let cause = cause.replace('\n', " ").replace('|', "\\|");
        println!(
            "| {} | {codegen}{mark} | {build} | {methods} | {cause} |",
            entry.name
        );
    }
    let generated = entries.iter().filter(|e| e.outcome.is_ok()).count();
    let methods: usize = entries
        .iter()
        .filter_map(|e| e.outcome.as_ref().ok())
        .map(|file| file.stats.operations)
        .sum();
    println!(
        "{generated} of {} corpus specs generated, {} built, {methods} methods; {unexpected} outcome(s) differ from tests/corpus/refused.txt or do not build",
        entries.len(),
        generated.saturating_sub(failed.len()),
    );
    Ok(if unexpected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Adds a vendor crate for a spec and prints what is left to do.
fn new_vendor(name: &str, spec: &str) -> anyhow::Result<ExitCode> {
    let current = std::env::current_dir()?;
    let root = xtask::workspace_root(&current)?;
    let created = xtask::new_vendor::new_vendor(&root, name, &current.join(spec))?;
    for path in &created.written {
        println!("wrote {}", path.display());
    }
    println!("left to do:");
    for (i, step) in created.left.iter().enumerate() {
        println!("  {}. {step}", i + 1);
    }
    Ok(ExitCode::SUCCESS)
}
