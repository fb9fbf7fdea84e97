//! The command line as clap reads it: global connection and output options, one
//! subcommand per action.

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use jobstatus::Vendor;
use jobstatus_runtime::Secret;

use crate::exit::EXIT_CODES_HELP;

/// Start, watch, wait for and cancel jobs at RPA orchestrators, ingestion services and
/// workflow engines, with exit codes that say how they ended.
#[derive(Debug, Parser)]
#[command(name = "jobstatus", version, after_long_help = EXIT_CODES_HELP)]
pub struct Cli {
    /// Where the vendor is and who is calling.
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// How to print: `text` (a live display on a terminal, plain lines otherwise) or
    /// `json` (one JSON object per line).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text, global = true)]
    pub output: OutputFormat,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A live display on a terminal, one plain line per change otherwise.
    Text,
    /// Newline-delimited JSON, one object per status or change.
    Json,
}

/// Connection options, taken before the environment and the config file.
#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// The config file [default: jobstatus/config.toml in the user's config directory].
    #[arg(long, env = "JOBSTATUS_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The profile of the config file to use [default: the vendor's name].
    #[arg(long, env = "JOBSTATUS_PROFILE", global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// The vendor API's base URL (for cora-sequence-rpa, the service's .asmx endpoint).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// The vendor's token: ELMA's auth_tkn, Infor's or WES's bearer token, Clear's
    /// x-clear-auth-token. Prefer the environment or the config file: a flag stays in
    /// the shell's history.
    #[arg(long, global = true, value_name = "TOKEN", value_parser = secret)]
    pub token: Option<Secret>,

    /// Clear's x-integration-id. Prefer the environment or the config file.
    #[arg(long, global = true, value_name = "ID", value_parser = secret)]
    pub integration_id: Option<Secret>,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print each job's status once.
    Status {
        /// The vendor.
        #[arg(value_parser = vendor_parser())]
        vendor: Vendor,
        /// The jobs' ids.
        #[arg(required = true, value_name = "JOB")]
        jobs: Vec<String>,
    },
    /// Wait until every job has ended; exit with how they ended.
    Wait {
        /// The vendor.
        #[arg(value_parser = vendor_parser())]
        vendor: Vendor,
        /// The jobs' ids; they are waited on together.
        #[arg(required = true, value_name = "JOB")]
        jobs: Vec<String>,
        /// How to poll.
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Print every change of a job until it ends; exit with how it ended.
    Watch {
        /// The vendor.
        #[arg(value_parser = vendor_parser())]
        vendor: Vendor,
        /// The job's id.
        job: String,
        /// How to poll.
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Ask the vendor to cancel a job (elma-rpa and ga4gh-wes can).
    Cancel {
        /// The vendor.
        #[arg(value_parser = vendor_parser())]
        vendor: Vendor,
        /// The job's id.
        job: String,
    },
    /// Start a job through the vendor's own API and print its id.
    Submit {
        /// The vendor and what to start.
        #[command(subcommand)]
        submission: Submission,
    },
    /// Run simulators of the vendors on 127.0.0.1 with scripted jobs, until interrupted.
    Simulate {
        /// The vendors to simulate [default: all].
        #[arg(value_parser = vendor_parser())]
        vendors: Vec<Vendor>,
        /// Write a config file with one profile per vendor pointing at the simulators.
        #[arg(long, value_name = "FILE")]
        write_config: Option<PathBuf>,
        /// Print one JSON line per vendor instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// A tour: simulators of every vendor, a job started at each, the live display and a
    /// table of how each ended.
    Demo,
}

/// What `submit` starts, per vendor.
#[derive(Debug, Subcommand)]
pub enum Submission {
    /// An ELMA RPA task (task create).
    #[command(name = "elma-rpa")]
    ElmaRpa {
        /// The process token (a UUID).
        #[arg(long)]
        process: String,
        /// The process version; 0 for the current one.
        #[arg(long, default_value_t = 0)]
        version: i64,
        /// The input context: a JSON object (`{"Name_in": "value"}`), or @FILE.
        #[arg(long, value_name = "JSON")]
        context: Option<String>,
        /// Wait for the task as `wait` does.
        #[command(flatten)]
        wait: SubmitWait,
    },
    /// A run of an Infor RPA job (`_execute`).
    #[command(name = "infor-rpa")]
    InforRpa {
        /// The job's id.
        #[arg(long)]
        job: String,
        /// An input argument of the process, NAME=VALUE (VALUE read as JSON when it is
        /// JSON, as a string otherwise); repeatable.
        #[arg(long = "argument", value_name = "NAME=VALUE")]
        arguments: Vec<String>,
        /// Wait for the run as `wait` does.
        #[command(flatten)]
        wait: SubmitWait,
    },
    /// A Clear One Integration ingestion: pre-sign, upload the file, ingest.
    #[command(name = "clear-one-integration")]
    ClearOneIntegration {
        /// The file to ingest (.csv, .xlsx, .xls or .zip).
        #[arg(long)]
        file: PathBuf,
        /// The file's type, such as `purchase` or `sales`.
        #[arg(long)]
        file_type: String,
        /// The ingestion template, such as `PURCHASE` or `SALES`.
        #[arg(long)]
        template_type: String,
        /// Metadata of the ingestion, KEY=VALUE; repeatable.
        #[arg(long = "metadata", value_name = "KEY=VALUE")]
        metadata: Vec<String>,
        /// Wait for the ingestion as `wait` does.
        #[command(flatten)]
        wait: SubmitWait,
    },
    /// A GA4GH WES workflow run (RunWorkflow).
    #[command(name = "ga4gh-wes")]
    Ga4ghWes {
        /// The workflow's URL, or the name of an attached file.
        #[arg(long)]
        workflow_url: String,
        /// The workflow language, such as `CWL`.
        #[arg(long)]
        workflow_type: String,
        /// The language version, such as `v1.0`.
        #[arg(long)]
        workflow_type_version: String,
        /// A JSON file with the workflow's inputs.
        #[arg(long, value_name = "FILE")]
        params: Option<PathBuf>,
        /// A tag of the run, KEY=VALUE; repeatable.
        #[arg(long = "tag", value_name = "KEY=VALUE")]
        tags: Vec<String>,
        /// A file sent with the run under its file name; repeatable.
        #[arg(long = "attachment", value_name = "FILE")]
        attachments: Vec<PathBuf>,
        /// Wait for the run as `wait` does.
        #[command(flatten)]
        wait: SubmitWait,
    },
    /// A Cora SeQuence RPA FileBatch: a file handed to a robot.
    #[command(name = "cora-sequence-rpa")]
    CoraSequenceRpa {
        /// The robot profile.
        #[arg(long)]
        robot_profile: String,
        /// The input file, CONNECTION:LOCATION:FILE_NAME.
        #[arg(long, value_name = "CONNECTION:LOCATION:FILE_NAME")]
        input_file: String,
        /// The output file, CONNECTION:LOCATION:FILE_NAME.
        #[arg(long, value_name = "CONNECTION:LOCATION:FILE_NAME")]
        output_file: String,
        /// How long the robot may take, in seconds.
        #[arg(long, default_value_t = 600)]
        time_out: i32,
        /// Text the workflow keeps with the batch (its ExternalContext).
        #[arg(long)]
        context: Option<String>,
        /// Wait for the workflow as `wait` does.
        #[command(flatten)]
        wait: SubmitWait,
    },
}

impl Submission {
    /// The vendor the submission goes to.
    pub fn vendor(&self) -> Vendor {
        match self {
            Submission::ElmaRpa { .. } => Vendor::ElmaRpa,
            Submission::InforRpa { .. } => Vendor::InforRpa,
            Submission::ClearOneIntegration { .. } => Vendor::ClearOneIntegration,
            Submission::Ga4ghWes { .. } => Vendor::Ga4ghWes,
            Submission::CoraSequenceRpa { .. } => Vendor::CoraSequenceRpa,
        }
    }

    /// Whether to wait for the job, and how.
    pub fn wait(&self) -> &SubmitWait {
        match self {
            Submission::ElmaRpa { wait, .. }
            | Submission::InforRpa { wait, .. }
            | Submission::ClearOneIntegration { wait, .. }
            | Submission::Ga4ghWes { wait, .. }
            | Submission::CoraSequenceRpa { wait, .. } => wait,
        }
    }
}

/// `--wait` and how to poll, for `submit`.
#[derive(Debug, Args)]
pub struct SubmitWait {
    /// Go on as `wait` once the job is started.
    #[arg(long)]
    pub wait: bool,
    /// How to poll.
    #[command(flatten)]
    pub policy: WaitArgs,
}

/// How to poll and for how long.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// How long to wait in all (`90s`, `30m`, `2h`).
    #[arg(long, value_parser = humantime::parse_duration, default_value = "1h")]
    pub timeout: Duration,
    /// The first delay between polls, and the least.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "1s")]
    pub min_delay: Duration,
    /// The most a delay between polls grows to.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "60s")]
    pub max_delay: Duration,
    /// At most this many status calls in flight at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
    /// On Ctrl-C, also ask the vendor to cancel the jobs that have not ended.
    #[arg(long)]
    pub cancel_on_interrupt: bool,
}

/// Keeps a credential given as a flag out of `Debug` output.
fn secret(value: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(value))
}

/// Reads a vendor's crate name, listing the names in `--help` and in errors.
fn vendor_parser() -> impl TypedValueParser<Value = Vendor> {
    PossibleValuesParser::new(Vendor::ALL.map(Vendor::as_str)).try_map(|name| name.parse())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn vendors_are_read_by_crate_name() {
        let cli = Cli::try_parse_from(["jobstatus", "status", "ga4gh-wes", "1", "2"])
            .expect("a valid command line");
        match cli.command {
            Command::Status { vendor, jobs } => {
                assert_eq!(vendor, Vendor::Ga4ghWes);
                assert_eq!(jobs, ["1", "2"]);
            }
            other => panic!("parsed as {other:?}"),
        }
        assert!(Cli::try_parse_from(["jobstatus", "status", "wes", "1"]).is_err());
    }
}
