//! Start and end times as `chrono` timestamps.
//!
//! Tolerated deviation: WES timestamps are ISO 8601 strings, but servers send `""` when
//! they do not know the time (the reference server always does, in every run log). The
//! spec keeps them as plain strings so that such a body still decodes; these accessors
//! read `""` (and a missing or null field) as "not known", and refuse anything else that
//! is not an RFC 3339 timestamp rather than guessing.

use chrono::{DateTime, Utc};

use crate::types::{Log, RunSummary, TaskLog};

/// A timestamp field that holds text which is not an RFC 3339 (ISO 8601) timestamp.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` is not an ISO 8601 timestamp: {value:?}")]
pub struct InvalidTimestamp {
    field: &'static str,
    value: String,
    #[source]
    source: chrono::ParseError,
}

fn parse(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<DateTime<Utc>>, InvalidTimestamp> {
    match value {
        None | Some("") => Ok(None),
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|time| Some(time.with_timezone(&Utc)))
            .map_err(|source| InvalidTimestamp {
                field,
                value: text.to_owned(),
                source,
            }),
    }
}

macro_rules! start_and_end {
    ($($type:ty: $what:literal),* $(,)?) => {$(
        impl $type {
            #[doc = concat!("When ", $what, " started (`start_time`), or `None` when the server")]
            /// does not say: the field is missing, null or `""`.
            pub fn started_at(&self) -> Result<Option<DateTime<Utc>>, InvalidTimestamp> {
                parse("start_time", self.start_time.as_deref())
            }

            #[doc = concat!("When ", $what, " stopped (`end_time`), or `None` when the server")]
            /// does not say: the field is missing, null or `""`.
            pub fn ended_at(&self) -> Result<Option<DateTime<Utc>>, InvalidTimestamp> {
                parse("end_time", self.end_time.as_deref())
            }
        }
    )*};
}

start_and_end!(
    Log: "the command",
    TaskLog: "the task",
    RunSummary: "the run",
);
