//! What a server that accepted a submission or a cancel said about the run.

use crate::types::RunId;

/// The answer to an accepted `RunWorkflow` or `CancelRun`.
///
/// WES 1.1 lets the server leave out the run's id; such an answer still means the request
/// was accepted. It is a distinct outcome, not an error, so that nobody resubmits a run
/// the server already has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accepted<'a> {
    /// The server named the run.
    Run(&'a str),
    /// The server accepted the request and named no run (`{}`, or an empty id).
    NoRunNamed,
}

impl RunId {
    /// What the server said about the run it accepted.
    pub fn accepted(&self) -> Accepted<'_> {
        match self.run_id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => Accepted::Run(id),
            _ => Accepted::NoRunNamed,
        }
    }
}
