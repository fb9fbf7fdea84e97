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
pub fn elma(base: &str, http: &reqwest::Client) -> elma_rpa::Client {
    elma_rpa::Client::with_auth_token_and_client(base, ELMA_TOKEN, http.clone())
}

/// An Infor RPA client for `base`.
pub fn infor(base: &str, http: &reqwest::Client) -> infor_rpa::Client {
    infor_rpa::Client::with_bearer_token_and_client(base, BEARER, http.clone())
        .expect("a constant token is a valid header")
}

/// A Clear One Integration client for `base`.
pub fn clear(base: &str, http: &reqwest::Client) -> clear_one_integration::Client {
    clear_one_integration::Client::with_keys_and_client(
        base,
        CLEAR_KEYS.0,
        CLEAR_KEYS.1,
        http.clone(),
    )
    .expect("constant keys are valid headers")
}

/// A GA4GH WES client for `base`.
pub fn wes(base: &str, http: &reqwest::Client) -> ga4gh_wes::Client {
    ga4gh_wes::Client::with_auth_and_client(
        base,
        ga4gh_wes::Auth::Bearer(BEARER.to_owned()),
        http.clone(),
    )
    .expect("a constant token is a valid header")
}

/// A Cora SeQuence client for `endpoint`, with the `ActivityMetadata` header of
/// workflow `id`.
pub fn cora(endpoint: &str, http: &reqwest::Client, id: i64) -> cora_sequence_rpa::Client {
    let url = endpoint.parse().expect("a loopback URL");
    cora_sequence_rpa::Client::with_transport(soap_runtime::Transport::new(http.clone(), url))
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
