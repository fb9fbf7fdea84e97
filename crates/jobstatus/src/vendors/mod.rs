//! One module per vendor: how its states map onto [`Phase`](crate::Phase), and its
//! [`Job`](crate::Job).

#[cfg(feature = "clear-one-integration")]
pub mod clear_one_integration;
#[cfg(feature = "cora-sequence-rpa")]
pub mod cora_sequence_rpa;
#[cfg(feature = "elma-rpa")]
pub mod elma_rpa;
#[cfg(feature = "ga4gh-wes")]
pub mod ga4gh_wes;
#[cfg(feature = "infor-rpa")]
pub mod infor_rpa;
