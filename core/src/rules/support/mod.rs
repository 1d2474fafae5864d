//! Helpers every rule family may use (no family imports another): message labels, facts
//! from the context, format-aware edits for fixes, and where to point.

pub mod edit;
pub mod facts;
pub mod fixes;
pub mod labels;
pub mod spans;

pub use labels::shorten;
pub use spans::head;
