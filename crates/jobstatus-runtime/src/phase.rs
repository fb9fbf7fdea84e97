//! The normalized lifecycle every vendor state maps onto.

use std::fmt;

/// Where a job is in its life, whatever the vendor.
///
/// Every vendor state maps onto exactly one phase: a vendor crate generates the mapping
/// from its spec's status table (`x-jobstatus`), as a `phase()` method on each state enum.
/// The `jobstatus` crate keeps the vendor's own word next to it in its `Status`.
///
/// Serialized as its lowercase name (`"succeeded"`), the same as [`Phase::as_str`].
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Accepted, not started: queued, preparing, scheduled.
    Pending,
    /// Running.
    Running,
    /// A cancel was asked for and the job is stopping.
    Cancelling,
    /// Finished and it worked.
    Succeeded,
    /// Finished and it did not work.
    Failed,
    /// Stopped before it finished, on request.
    Cancelled,
    /// The vendor reports a state that says nothing about progress, or one this version
    /// does not know.
    Unknown,
}

impl Phase {
    /// Every phase, in lifecycle order.
    pub const ALL: [Phase; 7] = [
        Phase::Pending,
        Phase::Running,
        Phase::Cancelling,
        Phase::Succeeded,
        Phase::Failed,
        Phase::Cancelled,
        Phase::Unknown,
    ];

    /// Whether the job will not change any more: succeeded, failed or cancelled.
    pub fn is_terminal(self) -> bool {
        matches!(self, Phase::Succeeded | Phase::Failed | Phase::Cancelled)
    }

    /// The phase's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "pending",
            Phase::Running => "running",
            Phase::Cancelling => "cancelling",
            Phase::Succeeded => "succeeded",
            Phase::Failed => "failed",
            Phase::Cancelled => "cancelled",
            Phase::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_succeeded_failed_and_cancelled_are_terminal() {
        let terminal: Vec<_> = Phase::ALL.into_iter().filter(|p| p.is_terminal()).collect();
        assert_eq!(
            terminal,
            [Phase::Succeeded, Phase::Failed, Phase::Cancelled]
        );
    }

    #[test]
    fn serializes_as_its_name_and_reads_back() {
        for phase in Phase::ALL {
            let json = serde_json::to_string(&phase).expect("serializable");
            assert_eq!(json, format!("\"{}\"", phase.as_str()));
            assert_eq!(serde_json::from_str::<Phase>(&json).ok(), Some(phase));
        }
    }
}
