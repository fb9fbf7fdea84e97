//! Response bodies read under a size cap.
//!
//! A body is refused as soon as it grows past its cap, whatever its content type, so no
//! server can make a client buffer more than the cap. The cap counts what arrives on the
//! wire after content decoding, so a compressed body cannot expand past it either.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

/// The body of a response grew past the cap of the client that read it.
///
/// It is the source of the error that reading the body fails with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("HTTP {status}: response body over {limit} bytes")]
pub struct BodyTooLarge {
    /// HTTP status of the response.
    pub status: u16,
    /// The cap, in bytes.
    pub limit: usize,
}

impl BodyTooLarge {
    /// The size error behind `error`, if one is anywhere in its chain of sources.
    pub fn find<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a Self> {
        crate::find_source(error)
    }
}

/// A UTF-8 byte order mark, which some servers put before JSON.
pub(crate) const BOM: &[u8] = b"\xef\xbb\xbf";

/// A response body that fails with [`BodyTooLarge`] past `limit` bytes.
pub(crate) struct Capped<B> {
    inner: B,
    status: u16,
    limit: usize,
    read: usize,
}

impl<B> Capped<B> {
    pub(crate) fn new(inner: B, status: u16, limit: usize) -> Self {
        Self {
            inner,
            status,
            limit,
            read: 0,
        }
    }

    fn too_large(&self) -> BodyTooLarge {
        BodyTooLarge {
            status: self.status,
            limit: self.limit,
        }
    }
}

impl<B> Body for Capped<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.read > self.limit {
            return Poll::Ready(Some(Err(Box::new(self.too_large()))));
        }
        let frame = match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => frame,
            Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error.into()))),
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => return Poll::Pending,
        };
        let frame = match frame.into_data() {
            Ok(data) => {
                self.read = self.read.saturating_add(data.len());
                if self.read > self.limit {
                    return Poll::Ready(Some(Err(Box::new(self.too_large()))));
                }
                Frame::data(data)
            }
            Err(frame) => frame,
        };
        Poll::Ready(Some(Ok(frame)))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Reads all of `response`'s body, up to `limit` bytes.
///
/// Returns the body and `None`, or, when it is longer than `limit`, what was kept of it
/// (at most `limit` bytes) and how many bytes had arrived when reading stopped; a
/// `Content-Length` over the limit is refused before anything is read (and is the count).
///
/// # Errors
///
/// The errors of reading the body (a reset, a timeout, a body cut short).
pub async fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
) -> reqwest::Result<(Vec<u8>, Option<u64>)> {
    if let Some(length) = response
        .content_length()
        .filter(|&length| length > limit as u64)
    {
        return Ok((Vec::new(), Some(length)));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            let read = (body.len() + chunk.len()) as u64;
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, Some(read)));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::{BodyExt, StreamBody};

    async fn collect(chunks: &[&'static [u8]], limit: usize) -> Result<Vec<u8>, String> {
        let stream = futures::stream::iter(
            chunks
                .iter()
                .map(|c| Ok::<_, std::io::Error>(Frame::data(Bytes::from_static(c))))
                .collect::<Vec<_>>(),
        );
        Capped::new(StreamBody::new(stream), 200, limit)
            .collect()
            .await
            .map(|body| body.to_bytes().to_vec())
            .map_err(|e| e.to_string())
    }

    #[tokio::test]
    async fn a_body_past_its_cap_fails() {
        assert_eq!(
            collect(&[b"1234", b"5678"], 8).await.as_deref(),
            Ok(&b"12345678"[..])
        );
        let error = collect(&[b"1234", b"56789"], 8)
            .await
            .expect_err("too large");
        assert_eq!(error, "HTTP 200: response body over 8 bytes");
    }
}
