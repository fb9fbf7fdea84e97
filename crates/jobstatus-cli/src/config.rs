//! Where a vendor is and who is calling: flags, then environment variables, then the
//! config file's profile.
//!
//! The config file is TOML with one table per profile:
//!
//! ```toml
//! [profiles.ga4gh-wes]
//! base_url = "https://wes.example.org/ga4gh/wes/v1"
//! token = "..."
//!
//! [profiles.elma-staging]
//! vendor = "elma-rpa"
//! base_url = "https://elma.example.org"
//! auth_tkn = "..."
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jobstatus::Vendor;
use jobstatus::cora_sequence_rpa::types::ActivityMetadata;
use jobstatus_runtime::Secret;
use serde::{Deserialize, Serialize};

use crate::cli::ConnectionArgs;
use crate::error::CliError;

/// A config file: profiles by name.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The profiles, by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One vendor account. Each credential key is used by the vendors that take it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The vendor; optional when the profile is named after it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<Vendor>,
    /// The API's base URL (Cora: the .asmx endpoint).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// ELMA's `auth_tkn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_tkn: Option<Secret>,
    /// Infor's or WES's bearer token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<Secret>,
    /// WES: a Seven Bridges `X-SBG-Auth-Token` instead of a bearer token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sbg_auth_token: Option<Secret>,
    /// Clear's `x-clear-auth-token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_token: Option<Secret>,
    /// Clear's `x-integration-id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<Secret>,
    /// Cora: the workflow activity calls are made for (the `ActivityMetadata` header),
    /// with the schema's element names as keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivityMetadata>,
}

/// What a vendor's client is built from.
#[derive(Clone, Debug)]
pub struct Connection {
    /// The vendor.
    pub vendor: Vendor,
    /// The API's base URL.
    pub base_url: String,
    /// The credentials found, by whichever source gave them.
    pub profile: Profile,
}

/// The environment variable of `key` (a [`Profile`] key) for `vendor`.
pub fn env_name(vendor: Vendor, key: &str) -> String {
    let prefix = match vendor {
        Vendor::ElmaRpa => "ELMA",
        Vendor::InforRpa => "INFOR",
        Vendor::ClearOneIntegration => "CLEAR",
        Vendor::Ga4ghWes => "WES",
        Vendor::CoraSequenceRpa => "CORA",
        _ => "VENDOR",
    };
    format!("JOBSTATUS_{prefix}_{}", key.to_ascii_uppercase())
}

/// The default config file: `jobstatus/config.toml` in the user's config directory.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("jobstatus").join("config.toml"))
}

/// Reads the config file at `path`.
pub fn read(path: &Path) -> Result<ConfigFile, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::usage(format!("cannot read config {}: {e}", path.display())))?;
    toml::from_str(&text)
        .map_err(|e| CliError::usage(format!("config {}: {}", path.display(), e.message())))
}

/// Writes `config` to `path`, readable by the user only where the platform allows.
pub fn write(path: &Path, config: &ConfigFile) -> Result<(), CliError> {
    let text = toml::to_string(config)
        .map_err(|e| CliError::usage(format!("cannot write config: {e}")))?;
    std::fs::write(path, text)
        .map_err(|e| CliError::usage(format!("cannot write {}: {e}", path.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(())
}

/// Finds the connection to `vendor`: each value from the flags, else the environment, else
/// the profile (`--profile`, or the one named after the vendor) of the config file
/// (`--config`, or the default one when it exists).
pub fn resolve(args: &ConnectionArgs, vendor: Vendor) -> Result<Connection, CliError> {
    let env = |key: &str| std::env::var(env_name(vendor, key)).ok();
    let file = match &args.config {
        Some(path) => Some(read(path)?),
        None => default_path()
            .filter(|p| p.exists())
            .map(|p| read(&p))
            .transpose()?,
    };
    let profile =
        match (file, &args.profile) {
            (Some(mut file), Some(name)) => Some(file.profiles.remove(name).ok_or_else(|| {
                CliError::usage(format!("the config file has no profile {name:?}"))
            })?),
            (Some(mut file), None) => file.profiles.remove(vendor.as_str()),
            (None, Some(name)) => {
                return Err(CliError::usage(format!(
                    "--profile {name} needs a config file (--config)"
                )));
            }
            (None, None) => None,
        }
        .unwrap_or_default();
    if let Some(other) = profile.vendor.filter(|v| *v != vendor) {
        return Err(CliError::usage(format!(
            "the profile is for {other}, not {vendor}"
        )));
    }
    if args.token.is_some() && flag_credential(vendor).is_none() {
        return Err(CliError::usage(format!("{vendor} takes no token")));
    }
    for (flag, key) in [
        (&args.token, flag_credential(vendor)),
        (&args.integration_id, Some("integration_id")),
    ] {
        if let (Some(_), Some(key)) = (flag, key) {
            eprintln!(
                "warning: a credential given as a flag stays in the shell's history; \
                 prefer {} or the config file",
                env_name(vendor, key)
            );
        }
    }
    let secret = |flag: &Option<Secret>, key: &str, from_profile: &Option<Secret>| {
        flag.clone()
            .or_else(|| env(key).map(Secret::new))
            .or_else(|| from_profile.clone())
    };
    let activity = match env("activity") {
        Some(json) => Some(
            serde_json::from_str(&json)
                .map_err(|e| CliError::usage(format!("{}: {e}", env_name(vendor, "activity"))))?,
        ),
        None => profile.activity.clone(),
    };
    let token_flag = |key: &str| {
        args.token
            .clone()
            .filter(|_| flag_credential(vendor) == Some(key))
    };
    let resolved = Profile {
        vendor: Some(vendor),
        base_url: args
            .base_url
            .clone()
            .or_else(|| env("base_url"))
            .or(profile.base_url.clone()),
        auth_tkn: secret(&token_flag("auth_tkn"), "auth_tkn", &profile.auth_tkn),
        token: secret(&token_flag("token"), "token", &profile.token),
        sbg_auth_token: secret(&None, "sbg_auth_token", &profile.sbg_auth_token),
        auth_token: secret(&token_flag("auth_token"), "auth_token", &profile.auth_token),
        integration_id: secret(
            &args.integration_id,
            "integration_id",
            &profile.integration_id,
        ),
        activity,
    };
    let base_url = resolved.base_url.clone().ok_or_else(|| {
        CliError::usage(format!(
            "no base URL for {vendor}: give --base-url, {} or a profile's base_url",
            env_name(vendor, "base_url")
        ))
    })?;
    Ok(Connection {
        vendor,
        base_url,
        profile: resolved,
    })
}

/// The [`Profile`] key of the credential `--token` gives for `vendor`; `None` for a vendor
/// that takes no token.
fn flag_credential(vendor: Vendor) -> Option<&'static str> {
    match vendor {
        Vendor::ElmaRpa => Some("auth_tkn"),
        Vendor::ClearOneIntegration => Some("auth_token"),
        Vendor::InforRpa | Vendor::Ga4ghWes => Some("token"),
        _ => None,
    }
}

impl Connection {
    /// The credential `key` of the profile, or a usage error naming where to give it.
    pub fn required(&self, key: &str, value: &Option<Secret>) -> Result<Secret, CliError> {
        let flag = if flag_credential(self.vendor) == Some(key) {
            "--token, "
        } else if key == "integration_id" {
            "--integration-id, "
        } else {
            ""
        };
        value.clone().ok_or_else(|| {
            CliError::usage(format!(
                "no {key} for {}: give {flag}{} or the config profile's {key}",
                self.vendor,
                env_name(self.vendor, key),
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_names_follow_one_pattern() {
        assert_eq!(
            env_name(Vendor::ElmaRpa, "auth_tkn"),
            "JOBSTATUS_ELMA_AUTH_TKN"
        );
        assert_eq!(
            env_name(Vendor::ClearOneIntegration, "integration_id"),
            "JOBSTATUS_CLEAR_INTEGRATION_ID"
        );
        assert_eq!(
            env_name(Vendor::Ga4ghWes, "base_url"),
            "JOBSTATUS_WES_BASE_URL"
        );
    }

    #[test]
    fn a_profile_reads_back_and_never_shows_its_secrets() {
        let text = r#"
            [profiles.ga4gh-wes]
            base_url = "http://127.0.0.1:9/ga4gh/wes/v1"
            token = "s3cret-token"
        "#;
        let file: ConfigFile = toml::from_str(text).expect("a valid config");
        let profile = &file.profiles["ga4gh-wes"];
        assert_eq!(
            profile.token.as_ref().map(Secret::expose),
            Some("s3cret-token")
        );
        assert!(!format!("{file:?}").contains("s3cret-token"));
        let again: ConfigFile =
            toml::from_str(&toml::to_string(&file).expect("writable")).expect("readable");
        assert_eq!(again.profiles["ga4gh-wes"].base_url, profile.base_url);
        assert!(toml::from_str::<ConfigFile>("[profiles.x]\ntokn = 1").is_err());
    }
}
