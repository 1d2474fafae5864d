//! Root-level checks (S3R100-S3R199): the `Role` and the number of rules.

pub mod role;
pub mod rule_count;
