//! Where a diagnostic points.

use crate::model::Meta;
use crate::source::Span;

/// Where to point at a whole rule or block: the XML start-tag name, or the JSON key. JSON
/// list items have no key, so their opening `{` stands in.
pub fn head(meta: &Meta) -> Span {
    if meta.name_span != meta.span || meta.span.is_empty() {
        meta.name_span
    } else {
        Span::new(meta.span.start as usize, meta.span.start as usize + 1)
    }
}
