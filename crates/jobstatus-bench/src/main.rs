//! The jobstatus benchmarks: generated clients against raw reqwest, `wait_all` at 1,000,
//! 10,000 and 100,000 jobs, and code generation. Results go to stdout as markdown, ready
//! for `BENCHMARKS.md`.
//!
//! ```text
//! cargo run -p jobstatus-bench --release            # everything (about ten minutes)
//! cargo run -p jobstatus-bench --release -- ratios  # one part: ratios, wait-all, codegen
//! cargo run -p jobstatus-bench -- smoke             # a few seconds of each, for CI
//! ```

mod bodies;
mod clients;
mod codegen;
mod measure;
mod ratios;
mod server;
mod soap_profile;
mod soap_raw;
mod wait_many;

use std::process::ExitCode;

use ratios::Effort;
use wait_many::Scale;

const USAGE: &str =
    "usage: jobstatus-bench [all | ratios | soap-profile | wait-all | codegen | smoke]";

/// The sizes of the full `wait_all` bench: 100,000 jobs with the policy stretched 5x.
const SCALES: [Scale; 3] = [
    Scale {
        jobs: 1_000,
        stretch: 1.0,
    },
    Scale {
        jobs: 10_000,
        stretch: 1.0,
    },
    Scale {
        jobs: 100_000,
        stretch: 5.0,
    },
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let full = Effort {
        rounds: 30,
        calls: 200,
    };
    match args[..] {
        [] | ["all"] => {
            header("all");
            section("Generated vs raw", &ratios::run(full));
            section(
                "Cora GetStatus, client time by stage",
                &soap_profile::run(20_000),
            );
            section("wait_all", &wait_many::run_in_children(&SCALES));
            section("Code generation", &codegen::run(3));
        }
        ["soap-profile"] => {
            header("soap-profile");
            section(
                "Cora GetStatus, client time by stage",
                &soap_profile::run(20_000),
            );
        }
        ["ratios"] => {
            header("ratios");
            section("Generated vs raw", &ratios::run(full));
        }
        ["wait-all"] => {
            header("wait-all");
            section("wait_all", &wait_many::run_in_children(&SCALES));
        }
        ["codegen"] => {
            header("codegen");
            section("Code generation", &codegen::run(3));
        }
        ["smoke"] => {
            header("smoke");
            section(
                "Generated vs raw",
                &ratios::run(Effort {
                    rounds: 2,
                    calls: 10,
                }),
            );
            section(
                "Cora GetStatus, client time by stage",
                &soap_profile::run(10),
            );
            section(
                "wait_all",
                &wait_many::run_in_children(&[Scale {
                    jobs: 200,
                    stretch: 0.1,
                }]),
            );
        }
        ["wait-all-one", jobs, stretch] => match (jobs.parse(), stretch.parse()) {
            (Ok(jobs), Ok(stretch)) => println!("{}", wait_many::run(Scale { jobs, stretch })),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

fn header(part: &str) {
    println!(
        "Machine: {}\n\nRun: `cargo run -p jobstatus-bench --release -- {part}` ({} build)\n",
        measure::machine(),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
}

fn section(title: &str, table: &str) {
    println!("### {title}\n\n{table}");
}
