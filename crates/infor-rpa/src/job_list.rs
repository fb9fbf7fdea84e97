//! The job list comes either as a bare JSON array or as an object whose `jobs` holds the
//! array (the spec accepts both); these helpers read it the same way in both cases.

use crate::types::{Job, JobList};

impl JobList {
    /// The jobs, whichever shape the server sent.
    pub fn jobs(&self) -> &[Job] {
        match self {
            Self::Array(jobs) => &jobs.0,
            Self::Object(list) => &list.jobs,
        }
    }

    /// The jobs, whichever shape the server sent, by value.
    pub fn into_jobs(self) -> Vec<Job> {
        match self {
            Self::Array(jobs) => jobs.0,
            Self::Object(list) => list.jobs,
        }
    }
}
