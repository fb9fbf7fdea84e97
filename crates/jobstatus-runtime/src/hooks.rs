//! The bodies of the `ClientHooks` impl that `cargo xtask codegen` writes for every client.

use progenitor_client::OperationInfo;

use crate::{RequestPolicy, ResponseFailure};

/// Runs before a request is sent: applies the credentials and records the request.
///
/// Only the method and URL (without user name or password) are recorded; headers and
/// bodies, which carry credentials, never are.
pub fn before_send(
    policy: &RequestPolicy,
    request: &mut reqwest::Request,
    info: &OperationInfo,
) -> Result<(), String> {
    tracing::debug!(
        operation = info.operation_id,
        method = %request.method(),
        url = %without_user(request.url()),
        "sending request"
    );
    policy
        .credentials()
        .apply(request)
        .map_err(|reason| format!("{}: {reason}", info.operation_id))
}

/// Runs once a request has been answered or has failed: records the outcome, and refuses
/// an error answer that cannot be decoded (see [`ResponseFailure`]) before the generated
/// code tries, so that its status and a snippet of its body are kept.
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

/// `url` without user name and password, which are credentials too; only built when the
/// event is recorded.
fn without_user(url: &reqwest::Url) -> reqwest::Url {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url
}
