//! One module per vendor: how its states map onto [`Phase`](crate::Phase), and its
//! [`Job`](crate::Job).

#[cfg(feature = "elma-rpa")]
pub mod elma_rpa;
