//! The one place the command line builds vendor clients and jobs from a [`Connection`].

use jobstatus::infor_rpa;
use jobstatus::vendors::clear_one_integration::ClearOneIntegrationJob;
use jobstatus::vendors::cora_sequence_rpa::CoraSequenceRpaJob;
use jobstatus::vendors::elma_rpa::ElmaRpaJob;
use jobstatus::vendors::ga4gh_wes::Ga4ghWesJob;
use jobstatus::vendors::infor_rpa::InforRpaJob;
use jobstatus::{Job, Vendor, clear_one_integration, cora_sequence_rpa, elma_rpa, ga4gh_wes};

use crate::config::Connection;
use crate::error::CliError;

/// An ELMA RPA client with the connection's `auth_tkn`.
pub fn elma(connection: &Connection) -> Result<elma_rpa::Client, CliError> {
    let auth_tkn = connection.required("auth_tkn", &connection.profile.auth_tkn)?;
    elma_rpa::Client::builder(&connection.base_url)
        .auth_token(auth_tkn.clone())
        .build()
        .map_err(|e| built(Vendor::ElmaRpa, &e))
}

/// An Infor RPA client with the connection's bearer token.
pub fn infor(connection: &Connection) -> Result<infor_rpa::Client, CliError> {
    let token = connection.required("token", &connection.profile.token)?;
    infor_rpa::Client::builder(&connection.base_url)
        .bearer_token(token.clone())
        .build()
        .map_err(|e| built(Vendor::InforRpa, &e))
}

/// A Clear One Integration client with the connection's two keys.
pub fn clear(connection: &Connection) -> Result<clear_one_integration::Client, CliError> {
    let auth_token = connection.required("auth_token", &connection.profile.auth_token)?;
    let integration_id =
        connection.required("integration_id", &connection.profile.integration_id)?;
    clear_one_integration::Client::builder(&connection.base_url)
        .auth_token(auth_token.clone())
        .integration_id(integration_id.clone())
        .build()
        .map_err(|e| built(Vendor::ClearOneIntegration, &e))
}

/// A WES client with the connection's bearer or Seven Bridges token, or none.
pub fn wes(connection: &Connection) -> Result<ga4gh_wes::Client, CliError> {
    let profile = &connection.profile;
    let auth = match (&profile.token, &profile.sbg_auth_token) {
        (Some(token), _) => ga4gh_wes::Auth::Bearer(token.clone()),
        (None, Some(token)) => ga4gh_wes::Auth::SevenBridges(token.clone()),
        (None, None) => ga4gh_wes::Auth::None,
    };
    ga4gh_wes::Client::builder(&connection.base_url)
        .auth(auth)
        .build()
        .map_err(|e| built(Vendor::Ga4ghWes, &e))
}

/// A Cora SeQuence RPA client for the connection's endpoint, sending its activity as the
/// `ActivityMetadata` header.
pub fn cora(connection: &Connection) -> Result<cora_sequence_rpa::Client, CliError> {
    let activity = connection.profile.activity.clone().ok_or_else(|| {
        CliError::usage(format!(
            "no activity for cora-sequence-rpa: give {} (JSON) or the config profile's activity",
            crate::config::env_name(Vendor::CoraSequenceRpa, "activity")
        ))
    })?;
    let client = cora_sequence_rpa::Client::builder(&connection.base_url)
        .build()
        .map_err(|e| built(Vendor::CoraSequenceRpa, &e))?;
    Ok(client.with_activity_metadata(activity))
}

/// A client that cannot be built is a usage error: a base URL or a credential that cannot
/// be sent (the error names the credential, never its value).
fn built(vendor: Vendor, error: &dyn std::fmt::Display) -> CliError {
    CliError::usage(format!("{vendor}: {error}"))
}

/// Job `id` at the connection's vendor. An Infor id `JOB/RUN` is one run of a job, as
/// `submit` prints it.
pub fn job(connection: &Connection, id: &str) -> Result<Box<dyn Job>, CliError> {
    let number = || {
        id.parse::<i64>().map_err(|_| {
            CliError::usage(format!(
                "{} job ids are numbers, not {id:?}",
                connection.vendor
            ))
        })
    };
    Ok(match connection.vendor {
        Vendor::ElmaRpa => Box::new(ElmaRpaJob::new(elma(connection)?, number()?)),
        Vendor::InforRpa => match id.split_once('/') {
            Some((job, run)) => Box::new(InforRpaJob::run(infor(connection)?, job, run)),
            None => Box::new(InforRpaJob::new(infor(connection)?, id)),
        },
        Vendor::ClearOneIntegration => {
            Box::new(ClearOneIntegrationJob::new(clear(connection)?, id))
        }
        Vendor::Ga4ghWes => Box::new(Ga4ghWesJob::new(wes(connection)?, id)),
        Vendor::CoraSequenceRpa => Box::new(CoraSequenceRpaJob::new(cora(connection)?, number()?)),
        other => return Err(unsupported(other)),
    })
}

/// The error for a vendor this command line does not know yet.
pub fn unsupported(vendor: Vendor) -> CliError {
    CliError::usage(format!("{vendor} is not supported by this command line"))
}
