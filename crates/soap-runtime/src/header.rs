//! Header block values that are written once and sent with many calls.

use std::fmt;
use std::sync::{Arc, OnceLock};

use yaserde::YaSerialize;

use crate::{Fragment, SoapError};

/// A header block value and its XML, serialized on first use and kept, so that a client
/// that sends the same header with every call writes it once.
///
/// Clones share the value and the XML (a client cloned for each task still writes its
/// header once). `Debug` shows the value alone, as the value's own `Debug` does.
pub struct Header<T> {
    shared: Arc<(T, OnceLock<Fragment>)>,
}

impl<T> Header<T> {
    /// `value`, not serialized yet.
    pub fn new(value: T) -> Self {
        Self {
            shared: Arc::new((value, OnceLock::new())),
        }
    }

    /// The value.
    pub fn value(&self) -> &T {
        &self.shared.0
    }
}

impl<T> Clone for Header<T> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T: YaSerialize> Header<T> {
    /// The value as a header block: serialized on the first call, kept for the next ones.
    ///
    /// # Errors
    ///
    /// As [`Fragment::from_yaserde`]; a failed serialization is not kept.
    pub fn fragment(&self) -> Result<Fragment, SoapError> {
        let (value, fragment) = &*self.shared;
        Fragment::once(fragment, value)
    }
}

impl<T: fmt::Debug> fmt::Debug for Header<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value().fmt(f)
    }
}

/// The header block one call sends: a [`Header`] whose XML is kept, or a value given for
/// calls through one port handle, serialized for each call.
///
/// Both `&Header<T>` and `&T` convert into it, so a handle's header setter takes either.
/// `Debug` shows the value alone.
pub struct HeaderRef<'a, T> {
    value: &'a T,
    kept: Option<&'a Header<T>>,
}

impl<'a, T> HeaderRef<'a, T> {
    /// The value.
    pub fn value(&self) -> &'a T {
        self.value
    }
}

impl<T: YaSerialize> HeaderRef<'_, T> {
    /// The header block: the kept XML of a [`Header`], or the value serialized now.
    ///
    /// # Errors
    ///
    /// As [`Fragment::from_yaserde`].
    pub fn fragment(&self) -> Result<Fragment, SoapError> {
        match self.kept {
            Some(header) => header.fragment(),
            None => Fragment::from_yaserde(self.value),
        }
    }
}

impl<'a, T> From<&'a Header<T>> for HeaderRef<'a, T> {
    fn from(header: &'a Header<T>) -> Self {
        Self {
            value: header.value(),
            kept: Some(header),
        }
    }
}

impl<'a, T> From<&'a T> for HeaderRef<'a, T> {
    fn from(value: &'a T) -> Self {
        Self { value, kept: None }
    }
}

impl<T> Clone for HeaderRef<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for HeaderRef<'_, T> {}

impl<T: fmt::Debug> fmt::Debug for HeaderRef<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use yaserde::YaSerialize;

    use super::*;

    #[derive(Debug, Default, YaSerialize)]
    #[yaserde(rename = "Caller", namespaces = { "" = "urn:test" })]
    struct Caller {
        #[yaserde(rename = "Id")]
        id: i64,
    }

    #[test]
    fn a_kept_header_is_written_once_and_a_given_value_each_time() {
        let header = Header::new(Caller { id: 7 });
        // A clone made before the first call shares what that call writes.
        let cloned = header.clone();
        let first = header.fragment().expect("serializes");
        assert!(first.as_str().contains("<Id>7</Id>"), "{}", first.as_str());
        let kept = header.fragment().expect("kept");
        assert!(std::ptr::eq(first.as_str(), kept.as_str()), "the same XML");
        assert!(std::ptr::eq(
            first.as_str(),
            cloned.fragment().expect("kept").as_str()
        ));

        let through: HeaderRef<'_, Caller> = (&header).into();
        assert!(std::ptr::eq(
            first.as_str(),
            through.fragment().expect("kept").as_str()
        ));
        let other = Caller { id: 8 };
        let given: HeaderRef<'_, Caller> = (&other).into();
        assert_eq!(given.value().id, 8);
        assert!(
            given
                .fragment()
                .expect("serializes")
                .as_str()
                .contains("<Id>8</Id>")
        );
        assert_eq!(format!("{given:?}"), "Caller { id: 8 }");
        assert_eq!(format!("{header:?}"), "Caller { id: 7 }");
    }
}
