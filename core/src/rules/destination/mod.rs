//! Destination checks (S3R300-S3R399): bucket ARN and name, account and owner override,
//! storage class, replication time control and metrics.

pub mod bucket;
pub mod ownership;
pub mod rtc;
pub mod storage_class;

#[cfg(test)]
mod tests;
