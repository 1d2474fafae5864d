//! Deployment-context findings (S3R600-S3R699) that read the deployment context. S3R600 is
//! the engine's (`catalogue::engine`), from the facts other checks could not verify.

pub mod context;
