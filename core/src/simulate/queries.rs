//! Questions about one rule or the document that `simulate`, `explain` and policy planning
//! all ask.

use crate::analysis::filter_set::Unanalyzable;
use crate::arn;
use crate::context::{Fact, Resolved};
use crate::model::{Document, Rule};

pub(crate) fn rule_id(rule: &Rule) -> Option<String> {
    rule.id.as_ref().map(|v| v.value.to_string())
}

/// Orders rules for one destination: higher priority first, missing priority last, then
/// document order.
pub(crate) fn precedence(a: (usize, &Rule), b: (usize, &Rule)) -> std::cmp::Ordering {
    let pa = a.1.priority_value().map_or(i128::MIN, i128::from);
    let pb = b.1.priority_value().map_or(i128::MIN, i128::from);
    pb.cmp(&pa).then(a.0.cmp(&b.0))
}

pub(crate) fn describe_unanalyzable(u: Unanalyzable) -> &'static str {
    match u {
        Unanalyzable::NoFilter => "it has neither `Filter` nor a rule-level `Prefix`",
        Unanalyzable::FilterAndPrefix => "it has both `Filter` and a rule-level `Prefix`",
        Unanalyzable::Shape => {
            "its filter has more than one child, or an empty `And`, `Not` or `Or`"
        }
        Unanalyzable::IncompleteTag => "a tag in its filter lacks `Key` or `Value`",
    }
}

/// One destination bucket, as the rules name it.
pub(crate) struct DestinationKey<'a> {
    pub name: &'a str,
    pub written: &'a str,
    /// Indexes of the rules naming it, in document order.
    pub rules: Vec<usize>,
}

/// Distinct destination buckets (compared by bucket name), in document order.
pub(crate) fn destination_keys(doc: &Document) -> Vec<DestinationKey<'_>> {
    let mut out: Vec<DestinationKey> = Vec::new();
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(bucket) = rule.destination_bucket() else {
            continue;
        };
        let name = arn::bucket_name(bucket);
        match out.iter_mut().find(|d| d.name == name) {
            Some(d) => d.rules.push(i),
            None => out.push(DestinationKey {
                name,
                written: bucket,
                rules: vec![i],
            }),
        }
    }
    out
}

/// Destination Region and owner facts, the account taken from the first rule that names one.
pub(crate) fn destination_facts(
    doc: &Document,
    key: &DestinationKey,
    ctx: &Resolved,
) -> (Option<Fact>, Option<Fact>) {
    let account_el = key
        .rules
        .iter()
        .filter_map(|&i| doc.rules.get(i).and_then(Rule::account_element))
        .next();
    (
        ctx.destination_region(key.written),
        ctx.destination_account(key.written, account_el),
    )
}
