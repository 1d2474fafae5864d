//! Deployment-context findings (S3R600-S3R699). S3R600 is emitted by the engine from the
//! facts other checks could not verify; the rest read the deployment context.

pub mod context;
pub mod unverified;
