//! A job at some vendor: something whose status can be fetched, and sometimes cancelled.

use futures::future::BoxFuture;

use crate::{Error, ErrorKind, Status, Vendor};

/// A job at a vendor: a client plus the job's id.
///
/// Object safe, so jobs of different vendors can sit in one collection as
/// `Box<dyn Job>` or `Arc<dyn Job>`.
pub trait Job: Send + Sync {
    /// The vendor the job runs at.
    fn vendor(&self) -> Vendor;

    /// The job's id at the vendor.
    fn id(&self) -> String;

    /// Fetches the job's current status.
    fn status(&self) -> BoxFuture<'_, Result<Status, Error>>;

    /// Asks the vendor to cancel the job. Vendors without a cancel operation answer with
    /// [`ErrorKind::Unsupported`].
    fn cancel(&self) -> BoxFuture<'_, Result<(), Error>> {
        let vendor = self.vendor();
        Box::pin(async move { Err(Error::new(vendor, ErrorKind::Unsupported("cancel"))) })
    }
}
