//! Replication configurations where they are written: CloudFormation templates (YAML or
//! JSON, also `cdk synth` output), Terraform modules (HCL) and Terraform plans
//! (`terraform show -json`).
//!
//! Each front end finds the configurations in its files and translates each into the same
//! API-shaped syntax tree the JSON parser produces, with every span pointing into the user's
//! file, plus the facts the code holds (Regions, versioning, Bucket Keys, ...). The usual
//! lowering and rules then run on it unchanged ([`check_files`]). Values the file does not fix
//! are kept as [`Unknown`]: a finding that rests on one is reported as not verified.

mod bucket_facts;
pub mod cdk;
pub mod cfn;
mod eval;
pub mod hcl;
pub mod path;
pub mod plan;
pub mod policies;
pub mod render;
mod suppress;
pub mod terraform;
mod unknowns;
pub mod yaml;

use crate::context::DeploymentContext;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{LineIndex, Span};
use crate::syntax::Member;
use serde::Serialize;

pub use crate::input::{detect, InputKind};
pub(crate) use unknowns::shorten;

/// One input file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// A value the code does not fix (a reference, a variable without default, an intrinsic).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "UnknownValue"))]
pub struct Unknown {
    #[serde(skip)]
    pub span: Span,
    /// The expression as written.
    pub expression: String,
    /// Codes whose findings on this value still stand: they need only the parts that are
    /// known (e.g. the Region of a KMS key declared in the same module).
    #[serde(skip)]
    pub keep: eval::Keep,
}

/// A context fact read from the code.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InferredFact {
    /// The context field, e.g. `sourceRegion` or `destinations.dst-bucket.region`; for the
    /// Region of a KMS key the code defines (no context field holds it), `region of ADDRESS`.
    pub field: String,
    pub value: String,
    pub file: String,
    pub line: u32,
    /// What it was read from, e.g. `provider "aws" (alias west): region`.
    pub from: String,
}

/// One configuration found by a front end, before checking.
pub struct Extracted<'a> {
    /// `Resources.Source` or `aws_s3_bucket_replication_configuration.main`.
    pub address: String,
    /// Index of the file (in the input list) the configuration is written in.
    pub file: usize,
    /// The API-shaped tree (JSON member names), spans in that file.
    pub root: Member<'a>,
    /// The path prefix of the configuration in its language.
    pub dialect: path::Dialect,
    pub unknowns: Vec<Unknown>,
    /// Spans (e.g. a rule) whose shape depends on an unknown: every finding inside them is
    /// not verified.
    pub tainted: Vec<Span>,
    pub context: DeploymentContext,
    pub facts: Vec<InferredFact>,
    /// Findings of the front end itself (unknown properties, ...), spans in `file`.
    pub diagnostics: Vec<Diagnostic>,
    /// The role, key and bucket policies the code has for this configuration.
    pub policies: policies::FoundPolicies,
}

/// The result for one configuration.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConfigurationReport {
    pub address: String,
    pub file: String,
    pub kind: InputKind,
    pub diagnostics: Vec<Diagnostic>,
    /// The deployment context used: what the code says, overridden by the given context.
    pub context: DeploymentContext,
    pub facts: Vec<InferredFact>,
    pub unknowns: Vec<Unknown>,
    /// The audit of each policy the code has for the configuration (role, keys, bucket).
    pub audits: Vec<policies::PolicyReport>,
    /// Values of its generated policies that name resources of the code, and how the code
    /// refers to them (for `policies --as terraform|cloudformation`).
    pub bindings: Vec<crate::policy::emit::Binding>,
    #[serde(skip)]
    pub document: Option<crate::model::Document>,
}

/// Findings about a file as a whole (syntax errors, "no configuration here").
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "FileResult"))]
pub struct FileReport {
    pub file: String,
    pub kind: InputKind,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, Serialize)]
pub struct IacReport {
    pub configurations: Vec<ConfigurationReport>,
    pub files: Vec<FileReport>,
}

/// What a front end returns for its files.
pub struct Found<'a> {
    pub configurations: Vec<Extracted<'a>>,
    /// Per input file: findings about the file itself.
    pub file_diagnostics: Vec<Vec<Diagnostic>>,
}

/// Read each file on its own (templates, plans): `read` gets the file's index, the file and
/// its findings list, and returns the configurations it holds. Files over the size limit are
/// refused unread.
fn each_file(
    files: &[SourceFile],
    mut read: impl FnMut(usize, &SourceFile, &mut Vec<Diagnostic>) -> Vec<Extracted<'static>>,
) -> Found<'static> {
    let mut found = Found {
        configurations: Vec::new(),
        file_diagnostics: Vec::new(),
    };
    for (i, f) in files.iter().enumerate() {
        let mut diagnostics = Vec::new();
        if f.text.len() > crate::parse::HARD_MAX_BYTES {
            diagnostics.push(eval::too_big(f.text.len()));
        } else {
            let mut configs = read(i, f, &mut diagnostics);
            found.configurations.append(&mut configs);
        }
        found.file_diagnostics.push(diagnostics);
    }
    found
}

/// Check every configuration in `files`, read as `kind` (detected from the first file when
/// `None`). Terraform reads each directory's files as one module, and a local child module
/// through the `module` block that calls it. `context` overrides what the code says.
pub fn check_files(
    files: &[SourceFile],
    kind: Option<InputKind>,
    context: &DeploymentContext,
) -> IacReport {
    let mut report = check_files_all(files, kind, context);
    suppress::apply(&mut report, files);
    report
}

/// [`check_files`] before inline suppressions.
fn check_files_all(
    files: &[SourceFile],
    kind: Option<InputKind>,
    context: &DeploymentContext,
) -> IacReport {
    let kind = kind.unwrap_or_else(|| {
        files
            .first()
            .map_or(InputKind::Api, |f| detect(&f.path, &f.text))
    });
    let found = match kind {
        InputKind::CloudFormation => cfn::find(files, context),
        InputKind::Terraform => terraform::find(files, context),
        InputKind::TerraformPlan => plan::find(files, context),
        InputKind::Api => {
            let mut report = IacReport {
                configurations: Vec::new(),
                files: Vec::new(),
            };
            for f in files {
                let r = crate::engine::check(
                    &f.text,
                    &crate::CheckOptions {
                        format: None,
                        context: context.clone(),
                    },
                );
                report.configurations.push(ConfigurationReport {
                    address: String::new(),
                    file: f.path.clone(),
                    kind,
                    diagnostics: r.diagnostics,
                    context: context.clone(),
                    facts: Vec::new(),
                    unknowns: Vec::new(),
                    audits: Vec::new(),
                    bindings: Vec::new(),
                    document: r.document,
                });
            }
            return report;
        }
    };
    let mut report = IacReport {
        configurations: Vec::new(),
        files: Vec::new(),
    };
    for (i, f) in files.iter().enumerate() {
        let mut diagnostics = found.file_diagnostics.get(i).cloned().unwrap_or_default();
        let has_config = found.configurations.iter().any(|c| c.file == i);
        if !has_config
            && !diagnostics.iter().any(|d| d.severity == Severity::Error)
            && kind != InputKind::Terraform
            && !cdk::is_manifest(f)
        {
            diagnostics.push(no_configuration(kind));
        }
        resolve_all(&f.text, &mut diagnostics);
        report.files.push(FileReport {
            file: f.path.clone(),
            kind,
            diagnostics,
        });
    }
    if kind == InputKind::Terraform && found.configurations.is_empty() {
        if let Some(first) = report
            .files
            .iter_mut()
            .find(|f| f.diagnostics.iter().all(|d| d.severity != Severity::Error))
        {
            first.diagnostics.push(no_configuration(kind));
            let text = files
                .iter()
                .find(|f| f.path == first.file)
                .map_or("", |f| f.text.as_str());
            resolve_all(text, &mut first.diagnostics);
        }
    }
    for c in found.configurations {
        let Some(file) = files.get(c.file) else {
            continue;
        };
        report
            .configurations
            .push(check_extracted(c, file, files, kind, context));
    }
    report
}

/// The document a configuration deploys, with the stand-ins for resources named at
/// deployment (kept so checks on their known parts could run) written back as
/// `${expression}`: nothing made up leaves the checker, in a conversion or a policy.
pub fn deployed_document(c: &ConfigurationReport) -> Option<crate::model::Document> {
    let mut doc = c.document.clone()?;
    let stand_in = |v: &mut Option<crate::model::Val<crate::model::Str>>| {
        if let Some(v) = v {
            // A plain unknown is already `${expression}`; a stand-in is written back as one.
            if let Some(u) = c.unknowns.iter().find(|u| u.span == v.span()) {
                v.value = format!("${{{}}}", u.expression).into();
            }
        }
    };
    stand_in(&mut doc.role);
    for rule in &mut doc.rules {
        if let Some(d) = &mut rule.destination {
            stand_in(&mut d.bucket);
            if let Some(e) = &mut d.encryption_configuration {
                stand_in(&mut e.replica_kms_key_id);
            }
        }
    }
    Some(doc)
}

/// A configuration as the PutBucketReplication document it deploys (XML or the AWS CLI's
/// JSON). Values the code does not fix are written as `${expression}`. Refused, with the
/// findings, when the configuration has structural errors (S3R0xx): the conversion would
/// lose what they are about.
pub fn to_document(c: &ConfigurationReport, to: crate::Format) -> Result<String, Vec<Diagnostic>> {
    let blocking: Vec<Diagnostic> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && crate::serialize::is_parser_code(d.code))
        .cloned()
        .collect();
    match deployed_document(c).filter(|_| blocking.is_empty()) {
        Some(doc) => Ok(crate::serialize::to_format(&doc, to)),
        None => Err(blocking),
    }
}

fn no_configuration(kind: InputKind) -> Diagnostic {
    let what = match kind {
        InputKind::Terraform => "no `aws_s3_bucket_replication_configuration` resource and no `replication_configuration` block of an `aws_s3_bucket`",
        InputKind::TerraformPlan => "no replication configuration in the plan's `planned_values`",
        _ => "no `AWS::S3::Bucket` with a `ReplicationConfiguration`",
    };
    Diagnostic::new(
        crate::catalogue::parse::NO_CONFIGURATION.code,
        Severity::Info,
        Span::empty(0),
        "",
        format!("No replication configuration found: {what}"),
    )
}

fn resolve_all(text: &str, diagnostics: &mut [Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let index = LineIndex::new(text);
    for d in diagnostics.iter_mut() {
        d.resolve(text, &index);
    }
}

/// Lower, check and position one configuration.
fn check_extracted(
    c: Extracted<'_>,
    file: &SourceFile,
    files: &[SourceFile],
    kind: InputKind,
    given: &DeploymentContext,
) -> ConfigurationReport {
    let context = merge_context(c.context, given);
    let (document, mut diagnostics) = crate::engine::check_tree(&c.root, &file.text, &context);
    let from_code = *given == DeploymentContext::default();
    for d in &mut diagnostics {
        // Fixes are edits in the API's XML/JSON; they do not apply to this language.
        d.fix = None;
        d.path = path::translate(&d.path, c.dialect, &c.address);
        if from_code && d.message.contains("(from the deployment context)") {
            d.message = d
                .message
                .replace("(from the deployment context)", "(as the code declares it)");
        }
    }
    diagnostics.extend(c.diagnostics);
    unknowns::not_verified_where_unknown(
        &mut diagnostics,
        &document,
        &file.text,
        &c.unknowns,
        &c.tainted,
    );
    crate::sort::sort_by_key(&mut diagnostics, |d| (d.span.start, d.severity, d.code));
    diagnostics.dedup_by(|a, b| a.code == b.code && a.span == b.span && a.message == b.message);
    resolve_all(&file.text, &mut diagnostics);
    let audits = policies::audit(&c.policies, &document, &context, files);
    ConfigurationReport {
        address: c.address,
        file: file.path.clone(),
        kind,
        diagnostics,
        context,
        facts: c.facts,
        unknowns: c.unknowns,
        audits,
        bindings: c.policies.bindings.clone(),
        document: Some(document),
    }
}

/// The code's facts, with every field the user gave taking precedence.
fn merge_context(mut code: DeploymentContext, given: &DeploymentContext) -> DeploymentContext {
    macro_rules! over {
        ($($f:ident),*) => {$(
            if given.$f.is_some() {
                code.$f = given.$f.clone();
                code.inferred.retain(|x| *x != stringify!($f));
            }
        )*};
    }
    over!(
        partition,
        source_bucket,
        source_region,
        source_account,
        source_default_encryption,
        source_bucket_keys,
        batch_replication,
        object_lock,
        source_versioning
    );
    if !given.source_kms_keys.is_empty() {
        code.source_kms_keys = given.source_kms_keys.clone();
    }
    for (bucket, d) in &given.destinations {
        let name = crate::arn::bucket_name(bucket).to_string();
        let key = code
            .destinations
            .keys()
            .find(|k| crate::arn::bucket_name(k) == name)
            .cloned()
            .unwrap_or(name);
        code.inferred_destinations.retain(|(b, _)| *b != key);
        let e = code.destinations.entry(key).or_default();
        if d.region.is_some() {
            e.region = d.region.clone();
        }
        if d.account.is_some() {
            e.account = d.account.clone();
        }
        if d.bucket_keys.is_some() {
            e.bucket_keys = d.bucket_keys;
        }
        if d.default_encryption.is_some() {
            e.default_encryption = d.default_encryption.clone();
        }
        if d.versioning.is_some() {
            e.versioning = d.versioning.clone();
        }
    }
    code
}
