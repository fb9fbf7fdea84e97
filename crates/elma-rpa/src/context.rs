//! The input and output contexts travel as strings that hold JSON (`ctx`, `outputCtx`);
//! these helpers convert them to and from typed values.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::types::Task;

/// A context string that is not the JSON the caller asked for.
#[derive(Debug, thiserror::Error)]
#[error("the {field} of task {task} is not the JSON expected: {source}")]
pub struct ContextError {
    field: &'static str,
    task: i64,
    #[source]
    source: serde_json::Error,
}

/// Serializes an input context into the string the `ctx` field carries.
///
/// Any `Serialize` value that is a JSON object works: a struct with `<Name>_in` fields, or a
/// `serde_json::Value`.
pub fn encode_context<T: Serialize>(context: &T) -> serde_json::Result<String> {
    serde_json::to_string(context)
}

/// Parses a context string (`ctx` or `outputCtx`) into `T`.
pub fn decode_context<T: DeserializeOwned>(context: &str) -> serde_json::Result<T> {
    serde_json::from_str(context)
}

impl Task {
    /// The output context (`outputCtx`) as `T`, or `None` while the task has none.
    pub fn output_context<T: DeserializeOwned>(&self) -> Result<Option<T>, ContextError> {
        self.decode("outputCtx", self.output_ctx.as_deref())
    }

    /// The input context (`ctx`) as `T`, or `None` when the task carries none.
    ///
    /// Once a task has run, the Orchestrator may replace `ctx` with the identifier of the
    /// stored context, which is not JSON and gives an error here.
    pub fn input_context<T: DeserializeOwned>(&self) -> Result<Option<T>, ContextError> {
        self.decode("ctx", self.ctx.as_deref())
    }

    fn decode<T: DeserializeOwned>(
        &self,
        field: &'static str,
        text: Option<&str>,
    ) -> Result<Option<T>, ContextError> {
        text.map(decode_context)
            .transpose()
            .map_err(|source| ContextError {
                field,
                task: self.id,
                source,
            })
    }
}
