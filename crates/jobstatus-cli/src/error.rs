//! An error that ends the command, with the exit code it ends with.

use crate::exit::Exit;

/// An error that ends the command: what to print, and the exit code.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    /// The exit code.
    pub exit: Exit,
    /// What went wrong, for stderr.
    pub message: String,
}

impl CliError {
    /// A usage error (exit 64): bad arguments, a missing config value or credential.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Usage,
            message: message.into(),
        }
    }
}
