//! Submitting a run (`RunWorkflow`, `POST /runs`), whose `multipart/form-data` body the
//! generator cannot produce: a typed builder that sends it through the generated
//! client's base URL, credentials, hooks and `reqwest` client.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo, ResponseValue};
use reqwest::multipart::{Form, Part};
use serde::Serialize;

use crate::Client;
use crate::types::{ErrorResponse, RunId};

/// The content type of every attachment part; WES gives attachments no type of their own.
const ATTACHMENT_TYPE: &str = "application/octet-stream";
/// The content type of the parts that carry JSON text.
const JSON_TYPE: &str = "application/json";

impl Client {
    /// Submits a workflow run: `RunWorkflow`, `POST /runs` with a `multipart/form-data`
    /// body.
    ///
    /// `workflow_url`, `workflow_params`, `workflow_type` and `workflow_type_version`
    /// are required (WES 1.1); the rest is optional.
    ///
    /// ```no_run
    /// # async fn run(client: &ga4gh_wes::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use ga4gh_wes::Attachment;
    ///
    /// let run = client
    ///     .run_workflow()
    ///     .workflow_url("echo.cwl")
    ///     .workflow_type("CWL")
    ///     .workflow_type_version("v1.0")
    ///     .workflow_params(&serde_json::json!({ "message": "hello" }))
    ///     .attachment(Attachment::from_path("echo.cwl", "workflows/echo.cwl"))
    ///     .send()
    ///     .await?
    ///     .into_inner();
    /// match run.accepted() {
    ///     ga4gh_wes::Accepted::Run(id) => println!("submitted {id}"),
    ///     ga4gh_wes::Accepted::NoRunNamed => println!("accepted; no run id in the answer"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn run_workflow(&self) -> RunWorkflow<'_> {
        RunWorkflow {
            client: self,
            workflow_url: None,
            workflow_type: None,
            workflow_type_version: None,
            workflow_params: Ok(None),
            tags: BTreeMap::new(),
            workflow_engine_parameters: Ok(None),
            workflow_engine: None,
            workflow_engine_version: None,
            attachments: Vec::new(),
        }
    }
}

/// Builder for [`Client::run_workflow`]. Mistakes (a missing required field, parameters
/// that are not a JSON object, a bad attachment name or path) are reported by
/// [`RunWorkflow::send`] as `Error::InvalidRequest`, before anything is sent.
#[derive(Clone, Debug)]
pub struct RunWorkflow<'a> {
    client: &'a Client,
    workflow_url: Option<String>,
    workflow_type: Option<String>,
    workflow_type_version: Option<String>,
    workflow_params: Result<Option<String>, String>,
    tags: BTreeMap<String, String>,
    workflow_engine_parameters: Result<Option<String>, String>,
    workflow_engine: Option<String>,
    workflow_engine_version: Option<String>,
    attachments: Vec<Attachment>,
}

impl RunWorkflow<'_> {
    /// The workflow to run: an absolute URL the server can reach, or the name of one of
    /// the [attachments](Self::attachment), e.g. `echo.cwl`.
    pub fn workflow_url(mut self, url: impl Into<String>) -> Self {
        self.workflow_url = Some(url.into());
        self
    }

    /// The workflow language, e.g. `CWL` or `WDL`.
    pub fn workflow_type(mut self, language: impl Into<String>) -> Self {
        self.workflow_type = Some(language.into());
        self
    }

    /// The version of the workflow language, e.g. `v1.0`.
    pub fn workflow_type_version(mut self, version: impl Into<String>) -> Self {
        self.workflow_type_version = Some(version.into());
        self
    }

    /// The workflow's inputs: any value that serializes to a JSON object, in the
    /// conventions of the workflow language (a CWL job object, say).
    pub fn workflow_params<T: Serialize + ?Sized>(mut self, params: &T) -> Self {
        self.workflow_params = json_object("workflow_params", params).map(Some);
        self
    }

    /// Adds the tag `key` = `value` to the run; a second tag with the same key replaces
    /// the first.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }

    /// Parameters for the workflow engine: any value that serializes to a JSON object.
    pub fn workflow_engine_parameters<T: Serialize + ?Sized>(mut self, parameters: &T) -> Self {
        self.workflow_engine_parameters =
            json_object("workflow_engine_parameters", parameters).map(Some);
        self
    }

    /// The workflow engine to use, one the service offers.
    pub fn workflow_engine(mut self, engine: impl Into<String>) -> Self {
        self.workflow_engine = Some(engine.into());
        self
    }

    /// The version of the workflow engine; needs [`Self::workflow_engine`].
    pub fn workflow_engine_version(mut self, version: impl Into<String>) -> Self {
        self.workflow_engine_version = Some(version.into());
        self
    }

    /// Adds a file the run needs (the workflow, a tool it imports, an input), sent as one
    /// `workflow_attachment` part in the order added.
    pub fn attachment(mut self, attachment: Attachment) -> Self {
        self.attachments.push(attachment);
        self
    }

    /// Sends the submission and returns the new run's id.
    pub async fn send(self) -> Result<ResponseValue<RunId>, Error<ErrorResponse>> {
        let client = self.client;
        let form = self.form().await.map_err(Error::InvalidRequest)?;
        let mut request = client
            .client()
            .post(format!("{}/runs", client.baseurl()))
            .header(reqwest::header::ACCEPT, "application/json")
            .multipart(form)
            .build()?;
        let info = OperationInfo {
            operation_id: "run_workflow",
        };
        client.pre(&mut request, &info).await?;
        let result = client.exec(request, &info).await;
        client.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200 => jobstatus_runtime::read_json(response).await,
            400..=599 => Err(Error::ErrorResponse(
                jobstatus_runtime::read_json(response).await?,
            )),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }

    /// The body: one part per field, in the order of the WES description, then the
    /// attachments.
    async fn form(self) -> Result<Form, String> {
        let required = |value: Option<String>, name: &str| {
            value.ok_or_else(|| format!("run_workflow: {name} is required"))
        };
        let workflow_params = required(self.workflow_params?, "workflow_params")?;
        let workflow_type = required(self.workflow_type, "workflow_type")?;
        let workflow_type_version = required(self.workflow_type_version, "workflow_type_version")?;
        let workflow_url = required(self.workflow_url, "workflow_url")?;
        if self.workflow_engine_version.is_some() && self.workflow_engine.is_none() {
            return Err("run_workflow: workflow_engine_version needs workflow_engine".to_owned());
        }

        let mut form = Form::new()
            .part("workflow_params", json_part(workflow_params)?)
            .text("workflow_type", workflow_type)
            .text("workflow_type_version", workflow_type_version);
        if !self.tags.is_empty() {
            let tags = serde_json::to_string(&self.tags).map_err(|e| e.to_string())?;
            form = form.part("tags", json_part(tags)?);
        }
        if let Some(parameters) = self.workflow_engine_parameters? {
            form = form.part("workflow_engine_parameters", json_part(parameters)?);
        }
        form = form.text("workflow_url", workflow_url);
        if let Some(engine) = self.workflow_engine {
            form = form.text("workflow_engine", engine);
        }
        if let Some(version) = self.workflow_engine_version {
            form = form.text("workflow_engine_version", version);
        }
        for attachment in self.attachments {
            form = form.part("workflow_attachment", attachment.part().await?);
        }
        Ok(form)
    }
}

/// One file of a submission: its relative name, which says where the server stages it
/// (`echo.cwl`, `tools/sort.cwl`), and its content, read from a path or given as bytes.
#[derive(Clone)]
pub struct Attachment {
    name: String,
    content: Content,
}

#[derive(Clone)]
enum Content {
    Path(PathBuf),
    Bytes(Bytes),
}

impl Attachment {
    /// The file at `path`, staged by the server as `name`. The file is read when the
    /// submission is sent.
    pub fn from_path(name: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        Self {
            name: name.into(),
            content: Content::Path(path.into()),
        }
    }

    /// `bytes`, staged by the server as `name`.
    pub fn from_bytes(name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        Self {
            name: name.into(),
            content: Content::Bytes(bytes.into()),
        }
    }

    /// The name the server stages the file as.
    pub fn name(&self) -> &str {
        &self.name
    }

    async fn part(self) -> Result<Part, String> {
        check_name(&self.name)?;
        let part = match self.content {
            Content::Path(path) => Part::file(&path).await.map_err(|e| {
                format!(
                    "attachment {:?}: cannot read {}: {e}",
                    self.name,
                    path.display()
                )
            })?,
            Content::Bytes(bytes) => {
                let length = bytes.len() as u64;
                Part::stream_with_length(bytes, length)
            }
        };
        part.file_name(self.name)
            .mime_str(ATTACHMENT_TYPE)
            .map_err(|e| e.to_string())
    }
}

/// Shows the name and where the content comes from, not the content.
impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Attachment");
        debug.field("name", &self.name);
        match &self.content {
            Content::Path(path) => debug.field("path", path),
            Content::Bytes(bytes) => debug.field("bytes", &bytes.len()),
        };
        debug.finish()
    }
}

/// A name must be a relative path inside the staging folder: no leading `/`, no empty,
/// `.` or `..` segment, no backslash.
fn check_name(name: &str) -> Result<(), String> {
    let bad_segment = name
        .split('/')
        .any(|segment| matches!(segment, "" | "." | ".."));
    if bad_segment || name.contains('\\') || Path::new(name).is_absolute() {
        return Err(format!(
            "attachment name {name:?} must be a relative path like `tools/echo.cwl`, \
             without empty, `.` or `..` segments"
        ));
    }
    Ok(())
}

/// `value` as JSON text, which must be an object.
fn json_object<T: Serialize + ?Sized>(field: &str, value: &T) -> Result<String, String> {
    use serde_json::Value;
    let kind = match serde_json::to_value(value) {
        Ok(object @ Value::Object(_)) => return Ok(object.to_string()),
        Ok(Value::Null) => "null",
        Ok(Value::Bool(_)) => "a boolean",
        Ok(Value::Number(_)) => "a number",
        Ok(Value::String(_)) => "a string",
        Ok(Value::Array(_)) => "an array",
        Err(e) => return Err(format!("run_workflow: {field} does not serialize: {e}")),
    };
    Err(format!(
        "run_workflow: {field} must be a JSON object, not {kind}"
    ))
}

fn json_part(text: String) -> Result<Part, String> {
    Part::text(text)
        .mime_str(JSON_TYPE)
        .map_err(|e| e.to_string())
}
