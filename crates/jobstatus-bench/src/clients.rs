//! The one place the bench builds vendor clients, so that a change of constructor is made
//! here only.

use cora_sequence_rpa::types::{ActivityMetadata, Guid};

/// ELMA's `auth_tkn`, sent in every body.
pub const ELMA_TOKEN: &str = "5d5ec66f-357d-4c2d-bbc1-2012278d2362";
/// The bearer token of the Infor and WES servers.
pub const BEARER: &str = "bench-token";
/// Clear's two API keys.
pub const CLEAR_KEYS: (&str, &str) = ("bench-auth-token", "bench-integration");

/// An ELMA RPA client for `base`.
pub fn elma(base: &str) -> elma_rpa::Client {
    elma_rpa::Client::builder(base)
        .auth_token(ELMA_TOKEN)
        .build()
        .expect("a loopback URL and a constant token")
}

/// An Infor RPA client for `base`.
pub fn infor(base: &str) -> infor_rpa::Client {
    infor_rpa::Client::builder(base)
        .bearer_token(BEARER)
        .build()
        .expect("a loopback URL and a constant token")
}

/// A Clear One Integration client for `base`.
pub fn clear(base: &str) -> clear_one_integration::Client {
    clear_one_integration::Client::builder(base)
        .auth_token(CLEAR_KEYS.0)
        .integration_id(CLEAR_KEYS.1)
        .build()
        .expect("a loopback URL and constant keys")
}

/// A GA4GH WES client for `base`.
pub fn wes(base: &str) -> ga4gh_wes::Client {
    ga4gh_wes::Client::builder(base)
        .auth(ga4gh_wes::Auth::Bearer(BEARER.into()))
        .build()
        .expect("a loopback URL and a constant token")
}

/// A Cora SeQuence client for `endpoint`, with the `ActivityMetadata` header of
/// workflow `id`.
pub fn cora(endpoint: &str, id: i64) -> cora_sequence_rpa::Client {
    cora_sequence_rpa::Client::builder(endpoint)
        .build()
        .expect("a loopback URL")
        .with_activity_metadata(activity_metadata(id))
}

/// The `ActivityMetadata` header of workflow `id`.
pub fn activity_metadata(id: i64) -> ActivityMetadata {
    ActivityMetadata {
        workflow_space_id: Guid::from("0f8fad5b-d9cb-469f-a165-70867728950e"),
        workflow_space_name: Some("Finance".to_owned()),
        workflow_id: Guid::from("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
        workflow_name: Some("Invoices".to_owned()),
        workflow_instance_id: 4711,
        activity_id: Guid::from("16fd2706-8baf-433b-82eb-8c7fada847da"),
        activity_name: Some("Post invoices".to_owned()),
        activity_instance_id: 815,
        caller_id: 3,
        master_workflow_instance_id: id,
    }
}
