//! `jobstatus`: start, watch, wait for and cancel jobs at any vendor jobstatus speaks to,
//! from a shell or a CI pipeline, with exit codes that say how the jobs ended.

mod cli;
mod config;
mod connect;
mod error;
mod exit;
mod observe;
mod output;
mod simulate;
mod submit;
mod waiting;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use clap::error::ErrorKind as ClapErrorKind;
use jobstatus::Job;
use tokio::sync::Semaphore;

use crate::cli::{Cli, Command};
use crate::error::CliError;
use crate::exit::Exit;
use crate::observe::Observed;
use crate::output::Reporter;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return match error.kind() {
                ClapErrorKind::DisplayHelp | ClapErrorKind::DisplayVersion => ExitCode::SUCCESS,
                _ => ExitCode::from(Exit::Usage.code()),
            };
        }
    };
    // Diagnostics on stderr, off unless asked for: `JOBSTATUS_LOG=debug`.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("JOBSTATUS_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("jobstatus: cannot start the async runtime: {error}");
            return ExitCode::from(Exit::CallError.code());
        }
    };
    let exit = match runtime.block_on(run(cli)) {
        Ok(exit) => exit,
        Err(error) => {
            eprintln!("jobstatus: {error}");
            error.exit
        }
    };
    ExitCode::from(exit.code())
}

async fn run(cli: Cli) -> Result<Exit, CliError> {
    let reporter = Reporter::new(cli.output);
    let connection = |vendor| config::resolve(&cli.connection, vendor);
    match &cli.command {
        Command::Status { vendor, jobs } => {
            let connection = connection(*vendor)?;
            let calls = Arc::new(Semaphore::new(1));
            let mut exit = Exit::Success;
            for id in jobs {
                let job = Observed::new(connect::job(&connection, id)?, Arc::clone(&calls));
                let result = match tokio::time::timeout(waiting::CALL_TIMEOUT, job.status()).await {
                    Ok(result) => result,
                    Err(_) => Err(jobstatus::Error::new(
                        *vendor,
                        jobstatus::ErrorKind::Transport(
                            format!("no answer within {:?}", waiting::CALL_TIMEOUT).into(),
                        ),
                    )),
                };
                exit = exit.max(reporter.status(&job, &result));
            }
            Ok(exit)
        }
        Command::Wait { vendor, jobs, wait } => {
            let connection = connection(*vendor)?;
            let jobs = jobs
                .iter()
                .map(|id| connect::job(&connection, id))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(waiting::wait_jobs(&reporter, jobs, wait).await.exit)
        }
        Command::Watch { vendor, job, wait } => {
            let job = connect::job(&connection(*vendor)?, job)?;
            Ok(waiting::wait_jobs(&reporter, vec![job], wait).await.exit)
        }
        Command::Cancel { vendor, job } => {
            let job = connect::job(&connection(*vendor)?, job)?;
            Ok(waiting::cancel(&reporter, job.as_ref()).await)
        }
        Command::Submit { submission } => {
            let connection = connection(submission.vendor())?;
            let job = submit::submit(&connection, submission).await?;
            reporter.submitted(job.vendor(), &job.id());
            let wait = submission.wait();
            if !wait.wait {
                return Ok(Exit::Success);
            }
            Ok(waiting::wait_jobs(&reporter, vec![job], &wait.policy)
                .await
                .exit)
        }
        Command::Simulate {
            vendors,
            write_config,
            json,
        } => simulate::simulate(vendors, write_config.as_deref(), *json).await,
        Command::Demo => simulate::demo(&reporter).await,
    }
}
