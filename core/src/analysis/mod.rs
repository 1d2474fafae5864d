//! Reasoning about the sets of objects replication rules select.
//!
//! The cross-rule checks (S3R5xx) and `simulate` share this code: [`filter_set`] turns a rule's
//! `Filter` (or V1 `Prefix`) into an [`ObjectSet`] and answers "does this object match",
//! "can one object match both", and "is every object of one rule also matched by another".

pub mod filter_set;
pub mod overlap;

pub use filter_set::{rule_object_set, ObjectSet, Relation, Unanalyzable};
