//! The vendors jobstatus speaks to.

use std::fmt;

/// A vendor API.
///
/// More vendors will come, so a `match` outside this crate needs a wildcard arm.
/// Serialized as its crate name (`"ga4gh-wes"`), the same as [`Vendor::as_str`]; parsed
/// from it by [`FromStr`](std::str::FromStr).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
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
    /// Every vendor, in the order of the crate names.
    pub const ALL: [Vendor; 5] = [
        Vendor::ClearOneIntegration,
        Vendor::CoraSequenceRpa,
        Vendor::ElmaRpa,
        Vendor::Ga4ghWes,
        Vendor::InforRpa,
    ];

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

/// A name that is not a vendor's crate name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct UnknownVendor(pub String);

impl fmt::Display for UnknownVendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Vendor::ALL.iter().map(|vendor| vendor.as_str()).collect();
        write!(
            f,
            "unknown vendor {:?}; expected one of: {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::str::FromStr for Vendor {
    type Err = UnknownVendor;

    /// Reads a vendor's crate name.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Vendor::ALL
            .into_iter()
            .find(|vendor| vendor.as_str() == name)
            .ok_or_else(|| UnknownVendor(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crate_name_is_the_display_the_serde_and_the_parsed_name() {
        for vendor in Vendor::ALL {
            let json = serde_json::to_string(&vendor).expect("serializable");
            assert_eq!(json, format!("\"{vendor}\""));
            assert_eq!(serde_json::from_str::<Vendor>(&json).ok(), Some(vendor));
            assert_eq!(vendor.as_str().parse::<Vendor>(), Ok(vendor));
        }
        assert_eq!(
            "wes".parse::<Vendor>(),
            Err(UnknownVendor("wes".to_owned()))
        );
        assert_eq!(
            UnknownVendor("wes".to_owned()).to_string(),
            "unknown vendor \"wes\"; expected one of: clear-one-integration, cora-sequence-rpa, elma-rpa, ga4gh-wes, infor-rpa"
        );
    }
}
