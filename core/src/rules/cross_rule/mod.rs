//! Cross-rule analysis (S3R500-S3R599), built on [`crate::analysis`].

pub mod overlap;
pub mod v1_prefixes;

#[cfg(test)]
mod tests;
