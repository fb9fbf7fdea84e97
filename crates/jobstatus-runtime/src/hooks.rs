//! The bodies of the `ClientHooks` impl that `cargo xtask codegen` writes for every client.

use progenitor_client::OperationInfo;

use crate::{Credentials, ResponseFailure};

/// Runs before a request is sent: applies the credentials and records the request.
///
/// Only the method and URL are recorded; headers and bodies, which carry credentials,
/// never are.
pub fn before_send(
    credentials: &Credentials,
    request: &mut reqwest::Request,
    info: &OperationInfo,
) -> Result<(), String> {
    let mut url = request.url().clone();
    // A base URL may carry a user name and password; they are credentials too.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    tracing::debug!(
        operation = info.operation_id,
        method = %request.method(),
        %url,
        "sending request"
    );
    credentials
        .apply(request)
        .map_err(|reason| format!("{}: {reason}", info.operation_id))
}

/// Runs once a request has been answered or has failed: records the outcome, and refuses
/// a response that cannot be decoded (see [`ResponseFailure`]) before the generated code
/// tries, so that its status and a snippet of its body are kept.
pub fn after_send(
    result: &reqwest::Result<reqwest::Response>,
    info: &OperationInfo,
) -> Result<(), String> {
    match result {
        Ok(response) => {
            tracing::debug!(
                operation = info.operation_id,
                status = response.status().as_u16(),
                "response received"
            );
            match ResponseFailure::of(response) {
                Some(failure) => Err(failure.to_string()),
                None => Ok(()),
            }
        }
        Err(error) => {
            tracing::debug!(operation = info.operation_id, %error, "request failed");
            Ok(())
        }
    }
}
