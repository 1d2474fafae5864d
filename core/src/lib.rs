//! s3-replication-lint: parse, check and derive policies for Amazon S3 replication
//! configurations (PutBucketReplication XML or AWS CLI JSON).
//!
//! Data flows one way: text -> [`syntax`] tree -> typed [`model`] (every node spanned) ->
//! [`rules`] diagnostics and [`policy`] documents -> [`render`]ers.

/// A rule's Markdown docs. A build with `--cfg s3rl_no_docs` (the editor's first load) leaves
/// them out, and reads them from the full module when a rule page opens.
#[cfg(not(s3rl_no_docs))]
macro_rules! rule_docs {
    ($docs:literal) => {
        $docs
    };
}
#[cfg(s3rl_no_docs)]
macro_rules! rule_docs {
    ($docs:literal) => {
        ""
    };
}

// First: its `declare_rule!` is used by the modules below.
#[macro_use]
pub mod catalogue;
pub mod analysis;
pub mod arn;
pub mod context;
pub mod diagnostic;
mod engine;
pub mod explain;
pub(crate) mod fx;
#[cfg(feature = "iac")]
pub mod iac;
pub mod input;
pub mod lower;
pub mod model;
pub mod parse;
pub mod policy;
pub mod render;
pub mod rules;
pub mod schema;
pub mod serialize;
pub mod simulate;
pub mod sort;
pub mod source;
pub mod suggest;
pub mod syntax;
/// Test-only: in no build a user makes (feature `test-support`, on for tests, benches and
/// examples through the dev-dependency on this crate).
#[cfg(any(test, feature = "test-support"))]
#[doc(hidden)]
pub mod testgen;
#[cfg(feature = "wasm")]
pub mod wasm;
#[cfg(all(target_arch = "wasm32", not(test)))]
mod wasm_mem;

pub use context::DeploymentContext;
pub use diagnostic::{Diagnostic, Severity};
pub use engine::{
    check, check_bytes, check_tree, parse, CheckOptions, Parsed, Report, MAX_DIAGNOSTICS,
};
pub use model::{Document, Format};

/// The crate version, as shown by the CLI and the editor.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
