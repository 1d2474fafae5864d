//! A KMS permission of the role: missing, or granted under a `kms:ViaService` or encryption
//! context condition that never matches what S3 sends.

use super::missing::{cond_span, report_missing, stmt_name};
use super::Sink;
use crate::catalogue::audit as r;
use crate::catalogue::RuleMeta;
use crate::diagnostic::Severity;
use crate::policy::iam::{self, Caller, Outcome, Policy, Request};
use crate::policy::plan::{KeyPlan, Known};

#[derive(Clone)]
pub(super) struct KmsCheck<'p> {
    pub(super) action: &'static str,
    pub(super) key: &'p KeyPlan,
    pub(super) region: &'p Known,
    /// Sample object ARN (None: unknown bucket).
    pub(super) object: Option<String>,
    pub(super) bucket: Option<String>,
    pub(super) bucket_keys: Option<bool>,
    pub(super) missing: &'static RuleMeta,
    pub(super) consequence: String,
    pub(super) caller: Caller,
    /// The key policies the code has, each with its key (`None`: any key).
    pub(super) key_policies: &'p [(Option<String>, Policy)],
    /// The replication role, as a key policy's principal sees it.
    pub(super) role: Caller,
}

/// In the key's own account a key policy that allows the role is enough (no IAM permission is
/// needed), unless the role's policy denies the request.
fn by_key_policy(c: &KmsCheck, p: &Policy, req: &Request) -> bool {
    if c.key.cross_account || matches!(iam::evaluate(p, req), Outcome::Denied(_)) {
        return false;
    }
    let arn = c.key.arn.value();
    let (role, account) = match &c.role {
        Caller::Role { arn, account } => (arn.clone(), account.clone()),
        _ => (None, None),
    };
    // The role itself (its ARN, or `*`): a statement for the account's root only lets IAM
    // policies grant the key's use, it grants nothing by itself.
    let mut as_role = Request {
        caller: Caller::Role {
            arn: role,
            account: None,
        },
        ..req.clone()
    };
    as_role.condition_keys.push(("kms:CallerAccount", account));
    c.key_policies
        .iter()
        .filter(|(k, _)| k.is_none() || k.as_deref() == arn)
        .any(|(_, kp)| matches!(iam::evaluate(kp, &as_role), Outcome::Allowed(_)))
}

pub(super) const VIA: &str = "kms:ViaService";
pub(super) const CTX: &str = "kms:EncryptionContext:aws:s3:arn";

fn kms_request(
    c: &KmsCheck,
    encryption_context: Option<String>,
    ignore_via: bool,
    ignore_ctx: bool,
) -> Request {
    let via = if ignore_via {
        None
    } else {
        c.region.value().map(|r| format!("s3.{r}.amazonaws.com"))
    };
    Request {
        action: c.action,
        resource: c.key.arn.value().map(str::to_string),
        resource_shape: c.key.shape.clone(),
        condition_keys: vec![
            (VIA, via),
            (CTX, if ignore_ctx { None } else { encryption_context }),
        ],
        caller: c.caller.clone(),
    }
}

pub(super) fn kms_check(sink: &mut Sink, p: &Policy, c: KmsCheck) {
    let key_shown = c.key.arn.text().to_string();
    let variants: Vec<(bool, Option<String>)> = match c.bucket_keys {
        Some(true) => vec![(true, c.bucket.clone())],
        Some(false) => vec![(false, c.object.clone())],
        None => vec![(false, c.object.clone()), (true, c.bucket.clone())],
    };
    let results: Vec<(bool, Option<String>, Outcome)> = variants
        .into_iter()
        .map(|(is_bucket, ctx)| {
            let o = iam::evaluate(p, &kms_request(&c, ctx.clone(), false, false));
            (is_bucket, ctx, o)
        })
        .collect();
    let ok: Vec<bool> = results
        .iter()
        .map(|(_, ctx, o)| {
            matches!(o, Outcome::Allowed(_))
                || by_key_policy(&c, p, &kms_request(&c, ctx.clone(), false, false))
        })
        .collect();
    if ok.iter().all(|b| *b) {
        return;
    }
    if ok.iter().any(|b| *b) {
        // Bucket Keys unknown and only one form allowed.
        let works_for_bucket = results
            .iter()
            .any(|(b, _, o)| *b && matches!(o, Outcome::Allowed(_)));
        if let Some(Outcome::Allowed(i)) = results
            .iter()
            .map(|(_, _, o)| *o)
            .find(|o| matches!(o, Outcome::Allowed(_)))
        {
            let s = &p.statements[i];
            let (span, path) = cond_span(s, CTX).unwrap_or((s.span, s.path.clone()));
            let d = sink.report(
                &r::KMS_CONTEXT,
                span,
                &path,
                format!(
                    "{} allows {} only for the {} encryption context: replication breaks if the bucket {} S3 Bucket Keys (unknown here)",
                    stmt_name(s),
                    key_shown,
                    if works_for_bucket { "bucket-ARN" } else { "object-ARN" },
                    if works_for_bucket { "does not use" } else { "uses" }
                ),
            );
            d.severity = Severity::Warning;
            *d = d.clone().with_help("List both the object ARN pattern and the bucket ARN in kms:EncryptionContext:aws:s3:arn, or set the bucket's Bucket Keys setting in the deployment context.");
        }
        return;
    }
    let (is_bucket, ctx, first) = results[0].clone();
    if let Outcome::Denied(_) = first {
        let req = kms_request(&c, ctx, false, false);
        report_missing(sink, p, c.missing, &req, &key_shown, &c.consequence);
        return;
    }
    let via_only = iam::evaluate(p, &kms_request(&c, ctx.clone(), true, false));
    let ctx_only = iam::evaluate(p, &kms_request(&c, ctx.clone(), false, true));
    let both = iam::evaluate(p, &kms_request(&c, ctx.clone(), true, true));
    let via_wrong = matches!(via_only, Outcome::Allowed(_))
        || (!matches!(ctx_only, Outcome::Allowed(_)) && matches!(both, Outcome::Allowed(_)));
    let ctx_wrong = matches!(ctx_only, Outcome::Allowed(_))
        || (!matches!(via_only, Outcome::Allowed(_)) && matches!(both, Outcome::Allowed(_)));
    let stmt_of = |o: Outcome| match o {
        Outcome::Allowed(i) => p.statements.get(i),
        _ => None,
    };
    if via_wrong {
        if let Some(s) = stmt_of(via_only).or(stmt_of(both)) {
            let expected = format!("s3.{}.amazonaws.com", c.region.text());
            let (span, path) = cond_span(s, VIA).unwrap_or((s.span, s.path.clone()));
            let d = sink.report(
                &r::KMS_VIA_SERVICE,
                span,
                &path,
                format!(
                    "kms:ViaService in {} does not match {expected}: S3 calls KMS for {} through the S3 endpoint of the key's Region ({}), so this statement never applies",
                    stmt_name(s),
                    key_shown,
                    c.region.text(),
                ),
            );
            *d = d
                .clone()
                .with_help(format!("Use \"kms:ViaService\": \"{expected}\"."));
        }
    }
    if ctx_wrong {
        if let Some(s) = stmt_of(ctx_only).or(stmt_of(both)) {
            let (span, path) = cond_span(s, CTX).unwrap_or((s.span, s.path.clone()));
            let what = if is_bucket {
                format!(
                    "the bucket uses S3 Bucket Keys, so S3 sends the bucket ARN ({}) as the encryption context, not object ARNs",
                    ctx.as_deref().unwrap_or("?")
                )
            } else {
                "S3 sends the object ARN as the encryption context, and this condition does not cover the rule's objects".to_string()
            };
            sink.report(
                &r::KMS_CONTEXT,
                span,
                &path,
                format!("kms:EncryptionContext:aws:s3:arn in {} does not match what S3 sends for {key_shown}: {what}", stmt_name(s)),
            );
        }
    }
    if !via_wrong && !ctx_wrong {
        let req = kms_request(&c, ctx, false, false);
        report_missing(sink, p, c.missing, &req, &key_shown, &c.consequence);
    }
}
