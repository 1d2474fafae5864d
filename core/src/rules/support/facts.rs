//! What the checks know about accounts, owners, buckets and partitions, from the context
//! and the document.

use crate::context::Fact;
use crate::model::{Rule, Str, Val};
use crate::rules::CheckContext;

/// The source bucket owner (context, else the Role ARN's account).
pub fn source_account(cx: &CheckContext) -> Option<Fact> {
    cx.ctx
        .source_account
        .clone()
        .filter(|f| crate::arn::is_account_id(&f.value))
}

/// The destination owner of rule `i` from the context or an account-regional bucket name
/// (never from the rule's own `Account`, which is what some checks verify).
pub fn known_owner(cx: &CheckContext, i: usize) -> Option<Fact> {
    cx.destination_account(i, None)
        .filter(|f| crate::arn::is_account_id(&f.value))
}

/// The destination owner of rule `i` as best known: context, the rule's `Account`, the
/// bucket name.
pub fn destination_owner(cx: &CheckContext, rule: &Rule, i: usize) -> Option<Fact> {
    rule.destination_bucket()?;
    let account = rule
        .destination
        .as_ref()
        .and_then(|d| d.account.as_ref())
        .map(|a| a.as_str())
        .filter(|a| crate::arn::is_account_id(a));
    cx.destination_account(i, account)
        .filter(|f| crate::arn::is_account_id(&f.value))
}

/// Each destination bucket once: the first rule that names it among the rules `keep` accepts,
/// as (rule index, its `Destination/Bucket` value, the bucket name).
pub fn first_rule_per_bucket<'a>(
    cx: &CheckContext<'a>,
    keep: impl Fn(&Rule) -> bool,
) -> Vec<(usize, &'a Val<Str>, &'a str)> {
    let mut out: Vec<(usize, &'a Val<Str>, &'a str)> = Vec::new();
    for (i, rule) in cx.doc.rules.iter().enumerate() {
        if !keep(rule) {
            continue;
        }
        let Some(b) = rule.destination.as_ref().and_then(|d| d.bucket.as_ref()) else {
            continue;
        };
        let Some(name) = cx.bucket(i) else { continue };
        if out.iter().all(|&(_, _, seen)| seen != name) {
            out.push((i, b, name));
        }
    }
    out
}

/// The partition a Region code belongs to, from its well-known prefixes (`aws` for any other).
pub fn region_partition(region: &str) -> &'static str {
    for (prefix, partition) in [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-iso-", "aws-iso"),
        ("eusc-", "aws-eusc"),
    ] {
        if region.starts_with(prefix) {
            return partition;
        }
    }
    "aws"
}
