//! `cargo xtask codegen [--check]`: regenerate the vendor crates from `specs/`, or check
//! that the checked-in generated code is up to date.

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["codegen"] => false,
        ["codegen", "--check"] => true,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match codegen(check) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(check: bool) -> anyhow::Result<ExitCode> {
    let root = xtask::workspace_root(&std::env::current_dir()?)?;
    let files = xtask::generate_all(&root)?;
    for file in &files {
        println!("{}", file.summary());
    }
    let stale = xtask::stale_files(&root, &files);
    if check {
        for staleness in &stale {
            eprintln!("stale: {}\n{}", staleness.path.display(), staleness.diff);
        }
        if !stale.is_empty() {
            eprintln!(
                "{} generated file(s) differ from specs/; run `cargo xtask codegen`",
                stale.len()
            );
            return Ok(ExitCode::FAILURE);
        }
        return Ok(ExitCode::SUCCESS);
    }
    for file in files
        .iter()
        .filter(|f| stale.iter().any(|s| s.path == f.path))
    {
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &file.contents)?;
        println!("wrote {}", file.path.display());
    }
    Ok(ExitCode::SUCCESS)
}
