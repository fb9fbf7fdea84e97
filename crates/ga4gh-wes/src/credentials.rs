//! The two ways WES deployments authenticate, chosen when the client is built.

use std::fmt;

use jobstatus_runtime::{Credentials, InvalidCredential, Secret};

/// How a [`Client`](crate::Client) authenticates every request it sends.
///
/// The token is held as a [`Secret`] and written into a header marked sensitive, so neither
/// this type's `Debug` output, the client's, nor `reqwest`'s ever shows it.
#[derive(Clone, Default)]
pub enum Auth {
    /// No credentials, as the GA4GH reference server (`wes-server`) expects.
    #[default]
    None,
    /// `Authorization: Bearer <token>`, the OAuth2 form the WES specification recommends.
    Bearer(Secret),
    /// `X-SBG-Auth-Token: <token>`, a Seven Bridges platform token (CAVATICA, the Cancer
    /// Genomics Cloud, BioData Catalyst; see [`crate::deployments`]).
    SevenBridges(Secret),
}

impl Auth {
    pub(crate) fn credentials(&self) -> Result<Credentials, InvalidCredential> {
        match self {
            Self::None => Ok(Credentials::new()),
            Self::Bearer(token) => Credentials::new().with_bearer(token.expose()),
            Self::SevenBridges(token) => {
                Credentials::new().with_header("x-sbg-auth-token", token.expose())
            }
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Bearer(_) => f.write_str("Bearer(<hidden>)"),
            Self::SevenBridges(_) => f.write_str("SevenBridges(<hidden>)"),
        }
    }
}
