//! A job's status in the shared model, with the vendor's own report kept beside it.

use crate::{Phase, Vendor};

/// What a vendor's status report says, in terms every vendor shares.
///
/// Implemented for each vendor's status type; [`Status`] is built from it.
pub trait StatusReport {
    /// The normalized phase.
    fn phase(&self) -> Phase;

    /// The vendor's own word for the state, as sent (`DONE`, `EXECUTOR_ERROR`, ...).
    fn vendor_state(&self) -> String;

    /// What the vendor says about the outcome, when it says anything: an error code and
    /// message, an exit code, per-activity results.
    fn outcome(&self) -> Option<String>;
}

/// A job's status: the phase, the vendor's word for it, what the vendor says about the
/// outcome, and the vendor's full report.
///
/// Serialized as one object: `phase`, `vendor_state`, `outcome` (null when the vendor says
/// nothing), `vendor` (the crate name) and `report` (the vendor's report, as the vendor's
/// crate serializes it, less credentials the vendor echoes).
/// Built with [`Status::from_report`]; more fields may come.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Status {
    /// The normalized phase.
    pub phase: Phase,
    /// The vendor's own word for the state.
    pub vendor_state: String,
    /// What the vendor says about a success or a failure.
    pub outcome: Option<String>,
    /// The vendor's full report.
    #[serde(flatten)]
    pub report: VendorReport,
}

impl Status {
    /// Builds the status from a vendor's report.
    pub fn from_report(report: impl StatusReport + Into<VendorReport>) -> Self {
        Self {
            phase: report.phase(),
            vendor_state: report.vendor_state(),
            outcome: report.outcome(),
            report: report.into(),
        }
    }

    /// The vendor whose report this is.
    pub fn vendor(&self) -> Vendor {
        self.report.vendor()
    }

    /// Whether the job will not change any more.
    pub fn is_terminal(&self) -> bool {
        self.phase.is_terminal()
    }
}

/// The vendor's full status report, for what the shared model does not carry.
///
/// Serialized as `{"vendor": "<crate name>", "report": {...}}`. An ELMA task is written
/// without its `system`, which echoes the caller's `auth_tkn`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "vendor", content = "report", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum VendorReport {
    /// An ELMA RPA task.
    #[cfg(feature = "elma-rpa")]
    #[serde(serialize_with = "crate::vendors::elma_rpa::serialize_without_credentials")]
    ElmaRpa(Box<elma_rpa::types::Task>),
    /// An Infor RPA job, and the run being followed.
    #[cfg(feature = "infor-rpa")]
    InforRpa(Box<crate::vendors::infor_rpa::InforReport>),
    /// A Clear One Integration workflow result.
    #[cfg(feature = "clear-one-integration")]
    ClearOneIntegration(clear_one_integration::types::WorkflowStatusResult),
    /// A GA4GH WES run's status, with its run log once it has ended.
    #[cfg(feature = "ga4gh-wes")]
    Ga4ghWes(Box<crate::vendors::ga4gh_wes::WesReport>),
    /// A Cora SeQuence RPA workflow's `GetStatus` result.
    #[cfg(feature = "cora-sequence-rpa")]
    CoraSequenceRpa(cora_sequence_rpa::types::StatusResult),
}

impl VendorReport {
    /// The vendor whose report this is.
    pub fn vendor(&self) -> Vendor {
        match *self {
            #[cfg(feature = "elma-rpa")]
            Self::ElmaRpa(_) => Vendor::ElmaRpa,
            #[cfg(feature = "infor-rpa")]
            Self::InforRpa(_) => Vendor::InforRpa,
            #[cfg(feature = "clear-one-integration")]
            Self::ClearOneIntegration(_) => Vendor::ClearOneIntegration,
            #[cfg(feature = "ga4gh-wes")]
            Self::Ga4ghWes(_) => Vendor::Ga4ghWes,
            #[cfg(feature = "cora-sequence-rpa")]
            Self::CoraSequenceRpa(_) => Vendor::CoraSequenceRpa,
        }
    }
}
