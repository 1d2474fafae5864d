//! The code catalogue: what a diagnostic code is ([`RuleMeta`]), how sure we are of it
//! ([`Confidence`]), and the codes that no rule check reports: the parsers' S3R0xx
//! ([`parse`]), the engine's own ([`engine`]) and the policy audit's S3R7xx ([`audit`]).
//! The codes of the rule checks are declared the same way, with [`declare_rule!`], beside
//! their checks in `rules/`; `rules::registry()` lists all of them in code order.
//!
//! A leaf: it imports nothing from the rest of the crate, so parsers, rules, the engine and
//! the audit can all read it without depending on each other.

use serde::Serialize;

/// How serious a finding is. Declared here (not beside `Diagnostic`) so the catalogue stays
/// a leaf; `crate::diagnostic` re-exports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// How sure we are that S3 behaves as the rule says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Seen in real S3 responses.
    Observed,
    /// Stated by AWS documentation.
    Documented,
    /// Only S3 emulators behave like this.
    Emulator,
    /// Our inference.
    Inferred,
}

impl Confidence {
    pub fn describe(self) -> &'static str {
        match self {
            Confidence::Observed => "observed in real S3 responses",
            Confidence::Documented => "stated in the AWS documentation",
            Confidence::Emulator => "reproduced only by S3 emulators; unverified on AWS",
            Confidence::Inferred => "inferred; no source confirms S3's exact behaviour",
        }
    }
}

/// Which part of the tool reports a code (the rule reference says so).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportedBy {
    /// The XML and JSON parsers, the lowering and the template front ends, while building
    /// the model.
    Parser,
    /// A rule check in `rules/`.
    Check,
    /// The engine, about the run itself (missing context, capped output).
    Engine,
    /// The policy audit (`policy::audit`), on policies the user pastes.
    Audit,
    /// The npm package or the editor, when the core itself fails.
    Host,
}

impl ReportedBy {
    pub fn describe(self) -> &'static str {
        match self {
            ReportedBy::Parser => "the parser",
            ReportedBy::Check => "a rule check",
            ReportedBy::Engine => "the engine, about the run itself",
            ReportedBy::Audit => "the policy audit",
            ReportedBy::Host => "the npm package or the editor, when the linter itself fails",
        }
    }
}

/// Everything about a code except how it is found: what the registry, docs and UIs show.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleMeta {
    /// Stable code, `S3R` + three digits. Never reused.
    pub code: &'static str,
    /// kebab-case name.
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// The S3 (or AWS CLI) error this rule mirrors, as users would search for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub s3_error: Option<&'static str>,
    pub confidence: Confidence,
    /// Markdown with the sections What it does / Why it matters / Example / Fix / References.
    pub docs: &'static str,
    #[serde(skip)]
    pub reported_by: ReportedBy,
}

/// The one way to declare a code. With `check: f` it declares a `rules::Check` (this
/// metadata plus the check `f`, run by the engine); with `reported_by: Parser | Engine |
/// Audit | Host` a bare [`RuleMeta`] that some other part reports. `s3_error` is optional;
/// `docs` is Markdown (left out of the editor's first-load build, see `rule_docs!`).
///
/// ```ignore
/// declare_rule! {
///     pub static ID_TOO_LONG {
///         code: "S3R214",
///         name: "rule-id-too-long",
///         severity: Error,
///         confidence: Documented,
///         s3_error: "InvalidArgument",
///         summary: "A rule `ID` is longer than 255 characters",
///         check: check_length,
///         docs: r#"## What it does ..."#,
///     }
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[$attr:meta])*
        $vis:vis static $id:ident {
            code: $code:literal,
            name: $name:literal,
            severity: $sev:ident,
            confidence: $conf:ident,
            $(s3_error: $err:expr,)?
            summary: $summary:expr,
            $(check: $check:path,)?
            $(reported_by: $who:ident,)?
            docs: $docs:literal $(,)?
        }
    ) => {
        declare_rule!(@item [$($check)?] [$($who)?] $(#[$attr])* $vis $id
            $crate::catalogue::RuleMeta {
                code: $code,
                name: $name,
                severity: $crate::catalogue::Severity::$sev,
                summary: $summary,
                s3_error: declare_rule!(@opt $($err)?),
                confidence: $crate::catalogue::Confidence::$conf,
                docs: rule_docs!($docs),
                reported_by: declare_rule!(@who [$($check)?] [$($who)?]),
            }
        );
    };
    (@item [$check:path] [] $(#[$attr:meta])* $vis:vis $id:ident $meta:expr) => {
        $(#[$attr])*
        $vis static $id: $crate::rules::Check = $crate::rules::Check {
            meta: $meta,
            run: $check,
        };
    };
    (@item [] [$who:ident] $(#[$attr:meta])* $vis:vis $id:ident $meta:expr) => {
        $(#[$attr])*
        $vis static $id: $crate::catalogue::RuleMeta = $meta;
    };
    (@who [$check:path] []) => { $crate::catalogue::ReportedBy::Check };
    (@who [] [$who:ident]) => { $crate::catalogue::ReportedBy::$who };
    (@opt) => { None };
    (@opt $e:expr) => { Some($e) };
}

pub mod audit;
pub mod engine;
pub mod parse;

#[cfg(test)]
mod tests {
    /// The catalogue stays a leaf: no path into the rest of the crate, except the type a
    /// check's declaration expands to (`$crate::rules::Check`, resolved where it is used).
    #[test]
    fn imports_nothing_from_the_crate() {
        for (file, text) in [
            ("mod.rs", include_str!("mod.rs")),
            ("parse.rs", include_str!("parse.rs")),
            ("engine.rs", include_str!("engine.rs")),
            ("audit.rs", include_str!("audit.rs")),
        ] {
            let code = text.split("#[cfg(test)]").next().unwrap_or(text);
            for (n, line) in code.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                let outside = line
                    .replace("$crate::catalogue::", "")
                    .replace("$crate::rules::Check", "");
                assert!(
                    !outside.contains("crate::") && !outside.contains("super::super"),
                    "{file}:{}: {line}",
                    n + 1
                );
            }
        }
    }
}
