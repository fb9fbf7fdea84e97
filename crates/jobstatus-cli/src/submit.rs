//! Starting a job through each vendor's own API.

use std::fmt::Display;
use std::path::Path;

use jobstatus::clear_one_integration::types::{FileInfo, IngestRequest};
use jobstatus::cora_sequence_rpa::types::{FileBatch, FileReference};
use jobstatus::elma_rpa::types::{NewTask, TaskCreateRequest};
use jobstatus::ga4gh_wes::{Accepted, Attachment};
use jobstatus::infor_rpa::types::ExecuteJobRequest;
use jobstatus::vendors::clear_one_integration::ClearOneIntegrationJob;
use jobstatus::vendors::cora_sequence_rpa::CoraSequenceRpaJob;
use jobstatus::vendors::elma_rpa::ElmaRpaJob;
use jobstatus::vendors::ga4gh_wes::Ga4ghWesJob;
use jobstatus::vendors::infor_rpa::InforRpaJob;
use jobstatus::{Job, Vendor};
use serde_json::{Map, Value};

use crate::cli::Submission;
use crate::config::Connection;
use crate::connect;
use crate::error::CliError;
use crate::exit::Exit;
use crate::waiting::CALL_TIMEOUT;

/// Starts `submission` at the vendor `connection` points to and returns the new job.
pub async fn submit(
    connection: &Connection,
    submission: &Submission,
) -> Result<Box<dyn Job>, CliError> {
    let started = async {
        match submission {
            Submission::ElmaRpa {
                process,
                version,
                context,
                ..
            } => elma(connection, process, *version, context.as_deref()).await,
            Submission::InforRpa { job, arguments, .. } => infor(connection, job, arguments).await,
            Submission::ClearOneIntegration {
                file,
                file_type,
                template_type,
                metadata,
                ..
            } => clear(connection, file, file_type, template_type, metadata).await,
            Submission::Ga4ghWes {
                workflow_url,
                workflow_type,
                workflow_type_version,
                params,
                tags,
                attachments,
                ..
            } => {
                let request = WesRun {
                    workflow_url,
                    workflow_type,
                    workflow_type_version,
                    params: params.as_deref(),
                    tags,
                    attachments,
                };
                wes(connection, request).await
            }
            Submission::CoraSequenceRpa {
                robot_profile,
                input_file,
                output_file,
                time_out,
                context,
                ..
            } => {
                let batch = FileBatch {
                    time_out: *time_out,
                    external_context: context.clone(),
                    robot_profile: robot_profile.clone(),
                    input_file: file_reference("--input-file", input_file)?,
                    output_file: file_reference("--output-file", output_file)?,
                };
                cora(connection, batch).await
            }
        }
    };
    tokio::time::timeout(CALL_TIMEOUT, started)
        .await
        .map_err(|_| CliError {
            exit: Exit::CallError,
            message: format!("{}: no answer within {CALL_TIMEOUT:?}", submission.vendor()),
        })?
}

/// Creates an ELMA task of `process` with the input `context` (JSON, or `@FILE`).
async fn elma(
    connection: &Connection,
    process: &str,
    version: i64,
    context: Option<&str>,
) -> Result<Box<dyn Job>, CliError> {
    let process: uuid::Uuid = process
        .parse()
        .map_err(|e| CliError::usage(format!("--process {process:?} is not a UUID: {e}")))?;
    let mut task = NewTask::builder().process(process).version(version);
    if let Some(context) = context {
        let context = json_object("--context", &text_or_file(context)?)?;
        task = task.ctx(Value::Object(context).to_string());
    }
    let client = connect::elma(connection)?;
    let created = client
        .task_create()
        .body(TaskCreateRequest::builder().task(task))
        .send()
        .await
        .map_err(|e| rest_error(Vendor::ElmaRpa, "task create", e))?
        .into_inner();
    let task = created
        .task
        .ok_or_else(|| answer_error(Vendor::ElmaRpa, "task create answered no task"))?;
    Ok(Box::new(ElmaRpaJob::new(client, task.id)))
}

/// Starts a run of Infor job `job` with `_execute`.
async fn infor(
    connection: &Connection,
    job: &str,
    arguments: &[String],
) -> Result<Box<dyn Job>, CliError> {
    let client = connect::infor(connection)?;
    let mut call = client.execute_job().id(job);
    if !arguments.is_empty() {
        let mut values = Map::new();
        for argument in arguments {
            let (name, value) = pair("--argument", argument)?;
            let value = serde_json::from_str(value).unwrap_or_else(|_| value.into());
            values.insert(name.to_owned(), value);
        }
        call = call.body(ExecuteJobRequest { arguments: values });
    }
    let run = call
        .send()
        .await
        .map_err(|e| rest_error(Vendor::InforRpa, "_execute", e))?
        .into_inner();
    Ok(Box::new(InforRpaJob::run(client, job, run.id)))
}

/// Clear's steps: a pre-signed URL for the file's name, the file put there, then the
/// ingestion of the upload.
async fn clear(
    connection: &Connection,
    file: &Path,
    file_type: &str,
    template_type: &str,
    metadata: &[String],
) -> Result<Box<dyn Job>, CliError> {
    let name = file
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| CliError::usage(format!("--file {} has no file name", file.display())))?
        .to_owned();
    let template_type = template_type
        .try_into()
        .map_err(|e| CliError::usage(format!("--template-type: {e}")))?;
    let mut fields = Map::new();
    for entry in metadata {
        let (key, value) = pair("--metadata", entry)?;
        fields.insert(key.to_owned(), value.into());
    }
    let contents = tokio::fs::File::open(file)
        .await
        .map_err(|e| CliError::usage(format!("cannot read {}: {e}", file.display())))?;

    let client = connect::clear(connection)?;
    let signed = client
        .get_pre_sign_url()
        .filename(name.as_str())
        .send()
        .await
        .map_err(|e| rest_error(Vendor::ClearOneIntegration, "pre-sign", e))?
        .into_inner();
    let upload_url = signed
        .result
        .and_then(|result| result.payload)
        .ok_or_else(|| answer_error(Vendor::ClearOneIntegration, "pre-sign answered no URL"))?;
    // The pre-signed URL carries its own signature: no Clear credentials go with the file.
    // Object storage wants the length up front (no chunked uploads), so it is sent.
    let length = contents
        .metadata()
        .await
        .map_err(|e| CliError::usage(format!("cannot read {}: {e}", file.display())))?
        .len();
    // Built with the TLS backend the vendor clients use; no overall timeout, since a large
    // file takes as long as it takes, but a stalled connection is given up.
    let storage = jobstatus_runtime::tls_backend::client_builder()
        .connect_timeout(jobstatus_runtime::DEFAULT_CONNECT_TIMEOUT)
        .read_timeout(jobstatus_runtime::DEFAULT_TIMEOUT)
        .referer(false)
        .build()
        .map_err(|e| CliError {
            exit: Exit::CallError,
            message: format!("clear-one-integration: upload client: {}", e.without_url()),
        })?;
    let uploaded = storage
        .put(&upload_url)
        .header(reqwest::header::CONTENT_LENGTH, length)
        .body(contents)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| CliError {
            exit: Exit::CallError,
            message: format!("clear-one-integration: upload failed: {}", e.without_url()),
        });
    uploaded?;

    let request = IngestRequest {
        file_info: vec![FileInfo {
            upload_url: upload_url
                .as_str()
                .try_into()
                .map_err(|e| answer_error(Vendor::ClearOneIntegration, e))?,
            filename: Some(name),
            file_type: file_type.to_owned(),
        }],
        metadata: fields,
        template_type,
    };
    let created = client
        .create_ingestion()
        .body(request)
        .send()
        .await
        .map_err(|e| rest_error(Vendor::ClearOneIntegration, "ingest", e))?
        .into_inner();
    let task = created
        .result
        .and_then(|result| result.task_id)
        .ok_or_else(|| answer_error(Vendor::ClearOneIntegration, "ingest answered no task id"))?;
    Ok(Box::new(ClearOneIntegrationJob::new(client, task)))
}

/// What a WES run is submitted with.
struct WesRun<'a> {
    workflow_url: &'a str,
    workflow_type: &'a str,
    workflow_type_version: &'a str,
    params: Option<&'a Path>,
    tags: &'a [String],
    attachments: &'a [std::path::PathBuf],
}

/// Submits a workflow run with RunWorkflow.
async fn wes(connection: &Connection, run: WesRun<'_>) -> Result<Box<dyn Job>, CliError> {
    let client = connect::wes(connection)?;
    let mut request = client
        .run_workflow()
        .workflow_url(run.workflow_url)
        .workflow_type(run.workflow_type)
        .workflow_type_version(run.workflow_type_version);
    if let Some(path) = run.params {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))?;
        request = request.workflow_params(&json_object("--params", &text)?);
    }
    for tag in run.tags {
        let (key, value) = pair("--tag", tag)?;
        request = request.tag(key, value);
    }
    for path in run.attachments {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or_else(|| CliError::usage(format!("--attachment {}", path.display())))?;
        if !path.is_file() {
            return Err(CliError::usage(format!(
                "--attachment {} is not a file",
                path.display()
            )));
        }
        request = request.attachment(Attachment::from_path(name, path));
    }
    let started = request
        .send()
        .await
        .map_err(|e| rest_error(Vendor::Ga4ghWes, "RunWorkflow", e))?
        .into_inner();
    match started.accepted() {
        Accepted::Run(id) => {
            let id = id.to_owned();
            Ok(Box::new(Ga4ghWesJob::new(client, id)))
        }
        // The server has the run: exit 0 (the call worked) and say why there is no id to
        // print or wait on, rather than an error that invites a duplicate submission.
        Accepted::NoRunNamed => Err(CliError {
            exit: Exit::Success,
            message: "ga4gh-wes accepted the run but its answer names no run id; do not \
                      resubmit: find the run in `ListRuns` (by its tags)"
                .to_owned(),
        }),
    }
}

/// Hands a file to a robot with FileBatch.
async fn cora(connection: &Connection, batch: FileBatch) -> Result<Box<dyn Job>, CliError> {
    let client = connect::cora(connection)?;
    let started = client.soap().file_batch(&batch).await.map_err(|e| {
        let exit = match &e {
            jobstatus::cora_sequence_rpa::SoapError::HttpStatus { status, .. } => {
                status_exit(status.as_u16())
            }
            jobstatus::cora_sequence_rpa::SoapError::InvalidRequest { .. } => Exit::Usage,
            _ => Exit::CallError,
        };
        CliError {
            exit,
            message: format!("cora-sequence-rpa: FileBatch failed: {e}"),
        }
    })?;
    Ok(Box::new(CoraSequenceRpaJob::new(
        client,
        started.master_workflow_instance_id,
    )))
}

/// `CONNECTION:LOCATION:FILE_NAME`.
fn file_reference(flag: &str, text: &str) -> Result<FileReference, CliError> {
    let mut parts = text.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(connection), Some(location), Some(file))
            if !connection.is_empty() && !file.is_empty() =>
        {
            Ok(FileReference {
                connection: connection.to_owned(),
                relative_location: location.to_owned(),
                file_name: file.to_owned(),
            })
        }
        _ => Err(CliError::usage(format!(
            "{flag} {text:?}: expected CONNECTION:LOCATION:FILE_NAME"
        ))),
    }
}

/// `KEY=VALUE`.
fn pair<'a>(flag: &str, text: &'a str) -> Result<(&'a str, &'a str), CliError> {
    text.split_once('=')
        .filter(|(key, _)| !key.is_empty())
        .ok_or_else(|| CliError::usage(format!("{flag} {text:?}: expected KEY=VALUE")))
}

/// `text`, or the contents of the file `@PATH` names.
fn text_or_file(text: &str) -> Result<String, CliError> {
    match text.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| CliError::usage(format!("cannot read {path}: {e}"))),
        None => Ok(text.to_owned()),
    }
}

fn json_object(flag: &str, text: &str) -> Result<Map<String, Value>, CliError> {
    match serde_json::from_str(text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(CliError::usage(format!("{flag}: expected a JSON object"))),
        Err(e) => Err(CliError::usage(format!("{flag}: {e}"))),
    }
}

/// The exit code of an HTTP error status.
fn status_exit(status: u16) -> Exit {
    match status {
        401 | 403 => Exit::Unauthorized,
        404 => Exit::NotFound,
        _ => Exit::CallError,
    }
}

/// A REST call of `operation` at `vendor` that failed, with the exit code of its status.
/// Only the status and the kind are printed: an error body may quote what was sent.
fn rest_error<E>(vendor: Vendor, operation: &str, error: progenitor_client::Error<E>) -> CliError {
    let exit = match &error {
        progenitor_client::Error::InvalidRequest(_) => Exit::Usage,
        other => other
            .status()
            .map_or(Exit::CallError, |s| status_exit(s.as_u16())),
    };
    let what = match &error {
        progenitor_client::Error::ErrorResponse(response) => {
            format!("HTTP {}", response.status())
        }
        progenitor_client::Error::UnexpectedResponse(response) => {
            format!("unexpected HTTP {}", response.status())
        }
        progenitor_client::Error::CommunicationError(e) => {
            format!("transport: {}", CommunicationText(e))
        }
        progenitor_client::Error::InvalidResponsePayload(_, e) => {
            format!("undecodable response: {e}")
        }
        progenitor_client::Error::InvalidRequest(reason) => format!("invalid request: {reason}"),
        _ => "the call failed".to_owned(),
    };
    CliError {
        exit,
        message: format!("{vendor}: {operation} failed: {what}"),
    }
}

/// A transport error without the URL, which may carry query credentials.
struct CommunicationText<'a>(&'a reqwest::Error);

impl Display for CommunicationText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut error: &dyn std::error::Error = self.0;
        write!(f, "{}", without_url(self.0))?;
        while let Some(source) = error.source() {
            write!(f, ": {source}")?;
            error = source;
        }
        Ok(())
    }
}

fn without_url(error: &reqwest::Error) -> String {
    if error.is_connect() {
        "cannot connect".to_owned()
    } else if error.is_timeout() {
        "timed out".to_owned()
    } else {
        "request failed".to_owned()
    }
}

/// An answer that lacks what the spec promises.
fn answer_error(vendor: Vendor, what: impl Display) -> CliError {
    CliError {
        exit: Exit::CallError,
        message: format!("{vendor}: {what}"),
    }
}
