//! `simulate` and `demo`: the facade's simulators of the vendors, served on 127.0.0.1.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jobstatus::simulator::clear_one_integration::{self, ClearOneIntegrationSimulator};
use jobstatus::simulator::cora_sequence_rpa::{self, CoraSequenceRpaSimulator};
use jobstatus::simulator::elma_rpa::{self, ElmaRpaSimulator};
use jobstatus::simulator::ga4gh_wes::{self, Ga4ghWesSimulator};
use jobstatus::simulator::infor_rpa::{self, InforRpaSimulator};
use jobstatus::simulator::{Script, Server};
use jobstatus::{Phase, Vendor};
use jobstatus_runtime::Secret;
use serde_json::json;

use crate::cli::{Submission, SubmitWait, WaitArgs};
use crate::config::{self, ConfigFile, Connection, Profile};
use crate::connect;
use crate::error::CliError;
use crate::exit::Exit;
use crate::output::{Reporter, print_value};
use crate::submit::submit;
use crate::waiting::{Ended, wait_jobs};

/// A running simulator of one vendor.
enum Simulator {
    ElmaRpa(ElmaRpaSimulator),
    InforRpa(InforRpaSimulator),
    ClearOneIntegration(ClearOneIntegrationSimulator),
    Ga4ghWes(Ga4ghWesSimulator),
    CoraSequenceRpa(CoraSequenceRpaSimulator),
}

impl Simulator {
    async fn start(vendor: Vendor) -> Result<Self, CliError> {
        Ok(match vendor {
            Vendor::ElmaRpa => Self::ElmaRpa(ElmaRpaSimulator::start().await),
            Vendor::InforRpa => Self::InforRpa(InforRpaSimulator::start().await),
            Vendor::ClearOneIntegration => {
                Self::ClearOneIntegration(ClearOneIntegrationSimulator::start().await)
            }
            Vendor::Ga4ghWes => Self::Ga4ghWes(Ga4ghWesSimulator::start().await),
            Vendor::CoraSequenceRpa => {
                Self::CoraSequenceRpa(CoraSequenceRpaSimulator::start().await)
            }
            other => return Err(connect::unsupported(other)),
        })
    }

    fn vendor(&self) -> Vendor {
        match self {
            Self::ElmaRpa(_) => Vendor::ElmaRpa,
            Self::InforRpa(_) => Vendor::InforRpa,
            Self::ClearOneIntegration(_) => Vendor::ClearOneIntegration,
            Self::Ga4ghWes(_) => Vendor::Ga4ghWes,
            Self::CoraSequenceRpa(_) => Vendor::CoraSequenceRpa,
        }
    }

    fn server(&self) -> &Server {
        match self {
            Self::ElmaRpa(simulator) => simulator,
            Self::InforRpa(simulator) => simulator,
            Self::ClearOneIntegration(simulator) => simulator,
            Self::Ga4ghWes(simulator) => simulator,
            Self::CoraSequenceRpa(simulator) => simulator,
        }
    }

    /// The profile that reaches this simulator with the credentials it takes.
    fn profile(&self) -> Profile {
        let base_url = self.server().base_url().to_owned();
        let mut profile = Profile {
            vendor: Some(self.vendor()),
            base_url: Some(base_url.clone()),
            ..Profile::default()
        };
        match self {
            Self::ElmaRpa(_) => profile.auth_tkn = Some(Secret::new(elma_rpa::AUTH_TKN)),
            Self::InforRpa(_) => profile.token = Some(Secret::new(infor_rpa::TOKEN)),
            Self::ClearOneIntegration(_) => {
                profile.auth_token = Some(Secret::new(clear_one_integration::AUTH_TOKEN));
                profile.integration_id = Some(Secret::new(clear_one_integration::INTEGRATION_ID));
            }
            Self::Ga4ghWes(_) => {
                profile.base_url = Some(format!("{base_url}{}", ga4gh_wes::BASE_PATH));
                profile.token = Some(Secret::new(ga4gh_wes::TOKEN));
            }
            Self::CoraSequenceRpa(simulator) => {
                profile.base_url = Some(simulator.endpoint());
                profile.activity = Some(cora_sequence_rpa::caller());
            }
        }
        profile
    }

    fn connection(&self) -> Connection {
        let profile = self.profile();
        Connection {
            vendor: self.vendor(),
            base_url: profile.base_url.clone().unwrap_or_default(),
            profile,
        }
    }
}

/// The scripted jobs `simulate` creates at each vendor, by name.
fn scripted_jobs() -> [(&'static str, Script); 3] {
    [
        ("succeeds", Script::new(1, 3, Phase::Succeeded)),
        ("fails", Script::new(1, 2, Phase::Failed)),
        // Running for as many polls as a u32 counts: until cancelled, where the vendor can.
        ("runs_long", Script::new(1, u32::MAX, Phase::Succeeded)),
    ]
}

/// `jobstatus simulate`: serves the simulators of `vendors` (all when empty) with three
/// scripted jobs each until interrupted.
pub async fn simulate(
    vendors: &[Vendor],
    write_config: Option<&Path>,
    json: bool,
) -> Result<Exit, CliError> {
    let vendors: Vec<Vendor> = if vendors.is_empty() {
        Vendor::ALL.to_vec()
    } else {
        let mut unique = vendors.to_vec();
        unique.sort();
        unique.dedup();
        unique
    };
    let mut simulators = Vec::new();
    for vendor in vendors {
        simulators.push(Simulator::start(vendor).await?);
    }
    // The config is written before anything is printed, so that whoever reads the
    // printed jobs can use it at once.
    let mut file = ConfigFile::default();
    let mut listed = Vec::new();
    for simulator in &simulators {
        let jobs: BTreeMap<&str, String> = scripted_jobs()
            .into_iter()
            .map(|(name, script)| (name, simulator.server().add_job(script)))
            .collect();
        let profile = simulator.profile();
        listed.push((
            simulator.vendor(),
            profile.base_url.clone().unwrap_or_default(),
            jobs,
        ));
        file.profiles
            .insert(simulator.vendor().as_str().to_owned(), profile);
    }
    if let Some(path) = write_config {
        config::write(path, &file)?;
    }
    for (vendor, base_url, jobs) in listed {
        if json {
            print_value(&json!({"vendor": vendor, "base_url": base_url, "jobs": jobs}));
        } else {
            let jobs: Vec<String> = jobs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            println!("{vendor:<22} {base_url}  {}", jobs.join(" "));
        }
    }
    if let (Some(path), false) = (write_config, json) {
        println!(
            "\nwrote {}: jobstatus --config {} wait <VENDOR> <JOB>",
            path.display(),
            path.display()
        );
    }
    if !json {
        println!("serving on 127.0.0.1 until interrupted (Ctrl-C)");
    }
    let _ = tokio::signal::ctrl_c().await;
    Ok(Exit::Success)
}

/// `jobstatus demo`: a job started at every vendor's simulator through the vendor's own API,
/// waited on with the live display, then a table of how each ended.
pub async fn demo(reporter: &Reporter) -> Result<Exit, CliError> {
    let scripts = [
        (Vendor::ElmaRpa, Script::new(1, 2, Phase::Succeeded)),
        (Vendor::InforRpa, Script::new(1, 3, Phase::Succeeded)),
        (
            Vendor::ClearOneIntegration,
            Script::new(2, 1, Phase::Failed),
        ),
        (Vendor::Ga4ghWes, Script::new(2, 2, Phase::Succeeded)),
        (Vendor::CoraSequenceRpa, Script::new(1, 2, Phase::Failed)),
    ];
    let files = DemoFiles::write()?;
    let mut simulators = Vec::new();
    let mut jobs = Vec::new();
    for (vendor, script) in scripts {
        let simulator = Simulator::start(vendor).await?;
        simulator.server().set_script(script);
        let submission = files.submission(&simulator)?;
        let job = submit(&simulator.connection(), &submission).await?;
        reporter.note(&format!(
            "{vendor} started job {} at {}",
            job.id(),
            simulator.server().base_url()
        ));
        jobs.push(job);
        simulators.push(simulator);
    }
    reporter.note("");
    let waited = wait_jobs(reporter, jobs, &demo_wait()).await;
    if waited.exit == Exit::Interrupted {
        return Ok(Exit::Interrupted);
    }
    reporter.note("");
    reporter.note(&format!(
        "{:<22} {:<12} {:<10} {:<16} outcome",
        "vendor", "job", "phase", "vendor state"
    ));
    for Ended {
        vendor,
        job,
        phase,
        vendor_state,
        detail,
        ..
    } in &waited.ended
    {
        let detail: String = detail.chars().take(60).collect();
        reporter.note(&format!(
            "{vendor:<22} {job:<12} {phase:<10} {vendor_state:<16} {detail}"
        ));
    }
    Ok(Exit::Success)
}

fn demo_wait() -> WaitArgs {
    WaitArgs {
        timeout: Duration::from_secs(60),
        min_delay: Duration::from_millis(300),
        max_delay: Duration::from_secs(1),
        concurrency: 8,
        cancel_on_interrupt: false,
    }
}

/// The files the demo's submissions send: a CSV for Clear, a CWL workflow for WES.
struct DemoFiles {
    dir: PathBuf,
}

impl DemoFiles {
    const CSV: &str = "invoice,amount\nINV-1,100.00\n";
    const CWL: &str = "cwlVersion: v1.0\nclass: CommandLineTool\nbaseCommand: echo\n\
                       inputs:\n  message:\n    type: string\n    inputBinding: {}\noutputs: []\n";

    fn write() -> Result<Self, CliError> {
        let dir = std::env::temp_dir().join(format!("jobstatus-demo-{}", std::process::id()));
        let written = std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(dir.join("purchase.csv"), Self::CSV))
            .and_then(|()| std::fs::write(dir.join("echo.cwl"), Self::CWL))
            .and_then(|()| std::fs::write(dir.join("inputs.json"), r#"{"message": "hello"}"#));
        written.map_err(|e| CliError::usage(format!("cannot write {}: {e}", dir.display())))?;
        Ok(Self { dir })
    }

    fn submission(&self, simulator: &Simulator) -> Result<Submission, CliError> {
        let wait = SubmitWait {
            wait: false,
            policy: demo_wait(),
        };
        Ok(match simulator {
            Simulator::ElmaRpa(_) => Submission::ElmaRpa {
                process: "c39f99de-cb8f-4661-a206-b282a4830cbf".to_owned(),
                version: 1,
                context: Some(r#"{"StringParam_in": "demo"}"#.to_owned()),
                wait,
            },
            Simulator::InforRpa(server) => Submission::InforRpa {
                // A job the tenant already has, which ran once before.
                job: server.add_job(Script::new(0, 0, Phase::Succeeded)),
                arguments: vec!["InvoiceBatch=demo".to_owned()],
                wait,
            },
            Simulator::ClearOneIntegration(_) => Submission::ClearOneIntegration {
                file: self.dir.join("purchase.csv"),
                file_type: "purchase".to_owned(),
                template_type: "PURCHASE".to_owned(),
                metadata: Vec::new(),
                wait,
            },
            Simulator::Ga4ghWes(_) => Submission::Ga4ghWes {
                workflow_url: "echo.cwl".to_owned(),
                workflow_type: "CWL".to_owned(),
                workflow_type_version: "v1.0".to_owned(),
                params: Some(self.dir.join("inputs.json")),
                tags: vec!["purpose=demo".to_owned()],
                attachments: vec![self.dir.join("echo.cwl")],
                wait,
            },
            Simulator::CoraSequenceRpa(_) => Submission::CoraSequenceRpa {
                robot_profile: "ClaimReader".to_owned(),
                input_file: "RpaExternalStorage:in:claim-4711.pdf".to_owned(),
                output_file: "RpaExternalStorage:out:claim-4711.pdf".to_owned(),
                time_out: 600,
                context: Some("claim 4711".to_owned()),
                wait,
            },
        })
    }
}

impl Drop for DemoFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
