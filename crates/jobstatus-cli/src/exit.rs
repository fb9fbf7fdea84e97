//! Exit codes: what each means, and which one a job's end or an error gives.

use jobstatus::{Error, ErrorKind, Phase, WaitError};

/// The exit codes, in `--help` and README.
pub const EXIT_CODES_HELP: &str = "\
Exit codes (with several jobs, the highest wins):
  0    every job succeeded (status, cancel, submit: the call worked)
  1    a job failed
  2    a job was cancelled
  3    the deadline passed
  4    a job was not found
  5    the credentials were refused
  6    another call error after the retry budget (transport, server, undecodable)
  64   usage error (bad arguments, config or credentials missing, no such operation)
  130  interrupted

Credentials come from flags, the environment (JOBSTATUS_ELMA_AUTH_TKN,
JOBSTATUS_INFOR_TOKEN, JOBSTATUS_CLEAR_AUTH_TOKEN, JOBSTATUS_CLEAR_INTEGRATION_ID,
JOBSTATUS_WES_TOKEN, JOBSTATUS_WES_SBG_AUTH_TOKEN, JOBSTATUS_CORA_ACTIVITY), or the
config file's profile, in that order; base URLs likewise (--base-url,
JOBSTATUS_<ELMA|INFOR|CLEAR|WES|CORA>_BASE_URL, base_url).";

/// How the command ended, as the process's exit code. Ordered so that the highest code is
/// the one that wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Every job succeeded, or the call worked.
    Success = 0,
    /// A job failed.
    Failed = 1,
    /// A job was cancelled.
    Cancelled = 2,
    /// The deadline passed.
    Deadline = 3,
    /// A job was not found.
    NotFound = 4,
    /// The credentials were refused.
    Unauthorized = 5,
    /// Another call error, after the retry budget.
    CallError = 6,
    /// Bad arguments, config or credentials missing, an operation the vendor lacks.
    Usage = 64,
    /// Interrupted.
    Interrupted = 130,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The code for a job that ended in `phase`; `Success` for one that has not ended.
    pub fn of_phase(phase: Phase) -> Self {
        match phase {
            Phase::Failed => Exit::Failed,
            Phase::Cancelled => Exit::Cancelled,
            _ => Exit::Success,
        }
    }

    /// The code for a call that failed with `error`.
    pub fn of_error(error: &Error) -> Self {
        match error.kind {
            ErrorKind::NotFound { .. } => Exit::NotFound,
            ErrorKind::Unauthorized { .. } => Exit::Unauthorized,
            ErrorKind::Unsupported(_) | ErrorKind::InvalidRequest(_) => Exit::Usage,
            _ => Exit::CallError,
        }
    }

    /// The code for a wait that did not end with a terminal status.
    pub fn of_wait_error(error: &WaitError) -> Self {
        match error {
            WaitError::DeadlineExceeded { .. } => Exit::Deadline,
            WaitError::NotFound(error) | WaitError::Call { error, .. } => Exit::of_error(error),
            WaitError::Unsuccessful { status } => Exit::of_phase(status.phase),
            _ => Exit::CallError,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_code_wins() {
        let worst = [Exit::Success, Exit::Cancelled, Exit::Failed, Exit::Deadline]
            .into_iter()
            .max();
        assert_eq!(worst, Some(Exit::Deadline));
        assert!(Exit::Interrupted > Exit::Usage && Exit::Usage > Exit::CallError);
    }

    #[test]
    fn codes_are_the_documented_numbers() {
        let codes = [
            Exit::Success,
            Exit::Failed,
            Exit::Cancelled,
            Exit::Deadline,
            Exit::NotFound,
            Exit::Unauthorized,
            Exit::CallError,
            Exit::Usage,
            Exit::Interrupted,
        ]
        .map(Exit::code);
        assert_eq!(codes, [0, 1, 2, 3, 4, 5, 6, 64, 130]);
        for code in codes {
            assert!(
                EXIT_CODES_HELP.contains(&format!("\n  {code:<4} ")),
                "{code} is documented"
            );
        }
    }
}
