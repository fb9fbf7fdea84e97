//! yaserde support for types written as the text of one element (open enums, restricted
//! strings), used by generated clients; the helpers live in `jobstatus-runtime` beside the
//! tolerant types that use them too.

pub use jobstatus_runtime::xml_text::{read_text, write_text};
