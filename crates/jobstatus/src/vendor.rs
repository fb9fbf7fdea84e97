//! The vendors jobstatus speaks to.

use std::fmt;

/// A vendor API.
///
/// More vendors will come, so a `match` outside this crate needs a wildcard arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Vendor {
    /// Genpact Cora SeQuence RPA integration (SOAP).
    CoraSequenceRpa,
    /// ELMA RPA Orchestrator task queue.
    ElmaRpa,
    /// Infor OS RPA.
    InforRpa,
    /// Clear One Integration ingestion workflows.
    ClearOneIntegration,
    /// GA4GH Workflow Execution Service.
    Ga4ghWes,
}

impl Vendor {
    /// The vendor's crate name.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::CoraSequenceRpa => "cora-sequence-rpa",
            Vendor::ElmaRpa => "elma-rpa",
            Vendor::InforRpa => "infor-rpa",
            Vendor::ClearOneIntegration => "clear-one-integration",
            Vendor::Ga4ghWes => "ga4gh-wes",
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}
