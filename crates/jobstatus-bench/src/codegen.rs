//! Code generation time and determinism: `cargo xtask codegen --check` several times; each
//! run regenerates every vendor crate and passes only when every byte equals what is
//! checked in, so passing runs are the same output run after run.

use std::process::Command;
use std::time::Instant;

/// Runs the check `runs` times (after one run that builds the xtask) and returns a table.
pub fn run(runs: usize) -> String {
    let check = || {
        let started = Instant::now();
        let output = Command::new(env!("CARGO"))
            .args(["xtask", "codegen", "--check"])
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .output();
        (started.elapsed().as_secs_f64(), output)
    };
    let _build = check();
    let mut table = String::from(
        "| run | wall s | per crate (ms, as the xtask reports) | identical to checked-in |\n|---|---|---|---|\n",
    );
    for run in 1..=runs {
        let (wall, output) = check();
        let (summary, fresh) = match output {
            Ok(output) if output.status.success() => (
                String::from_utf8_lossy(&output.stdout)
                    .lines()
                    .filter_map(summary_millis)
                    .collect::<Vec<_>>()
                    .join(", "),
                "yes",
            ),
            Ok(output) => (
                String::from_utf8_lossy(&output.stderr)
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .to_owned(),
                "NO",
            ),
            Err(error) => (format!("did not run: {error}"), "NO"),
        };
        table.push_str(&format!("| {run} | {wall:.2} | {summary} | {fresh} |\n"));
    }
    table
}

/// `crate: N ms` from one summary line of the xtask, which names the file first and
/// ends with the milliseconds.
fn summary_millis(line: &str) -> Option<String> {
    let name = line.split_whitespace().next()?;
    let krate = name.split('/').nth(1).unwrap_or(name);
    let millis = line
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .find_map(|w| (w[1].trim_end_matches([',', ')']) == "ms").then(|| w[0].to_owned()))?;
    Some(format!("{krate} {millis}"))
}
