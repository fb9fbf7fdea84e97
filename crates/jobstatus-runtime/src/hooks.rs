//! The bodies of the `ClientHooks` impl that `cargo xtask codegen` writes for every client.

use progenitor_client::OperationInfo;

use crate::Credentials;

/// Runs before a request is sent: applies the credentials and records the request.
///
/// Only the method and URL are recorded; headers and bodies, which carry credentials,
/// never are.
pub fn before_send(
    credentials: &Credentials,
    request: &mut reqwest::Request,
    info: &OperationInfo,
) -> Result<(), String> {
    tracing::debug!(
        operation = info.operation_id,
        method = %request.method(),
        url = %request.url(),
        "sending request"
    );
    credentials
        .apply(request)
        .map_err(|reason| format!("{}: {reason}", info.operation_id))
}

/// Runs once a request has been answered or has failed; records the outcome.
pub fn after_send(result: &reqwest::Result<reqwest::Response>, info: &OperationInfo) {
    match result {
        Ok(response) => tracing::debug!(
            operation = info.operation_id,
            status = response.status().as_u16(),
            "response received"
        ),
        Err(error) => tracing::debug!(operation = info.operation_id, %error, "request failed"),
    }
}
