//! Base URLs of public WES deployments, for [`Client::builder`](crate::Client::builder).
//!
//! The Seven Bridges platforms authenticate with
//! [`Auth::SevenBridges`](crate::Auth::SevenBridges) and implement the WES 1.0
//! operations (no `/tasks`).

/// CAVATICA, run by Seven Bridges.
pub const CAVATICA: &str = "https://cavatica-ga4gh-api.sbgenomics.com/ga4gh/wes/v1";

/// The Cancer Genomics Cloud (CGC), run by Seven Bridges.
pub const CANCER_GENOMICS_CLOUD: &str = "https://cgc-ga4gh-api.sbgenomics.com/ga4gh/wes/v1";

/// NHLBI BioData Catalyst powered by Seven Bridges.
pub const BIODATA_CATALYST: &str =
    "https://ga4gh-api.sb.biodatacatalyst.nhlbi.nih.gov/ga4gh/wes/v1";
