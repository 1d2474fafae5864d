//! Who owns the replicas: `AccessControlTranslation` without an account (S3R309), its
//! `Owner` value (S3R310), an override within one account (S3R311), a cross-account
//! destination without one (S3R312), and rules that mix both (S3R313).

use super::dest;
use crate::rules::support::edit::{format_of, string_literal, Node};
use crate::rules::support::facts::{known_owner, source_account};
use crate::rules::support::fixes::{insert_after, remove_member, set_fix, set_value_fix};
use crate::rules::support::labels::{fact, rule_label};
use crate::rules::{CheckContext, RulePath};
use crate::source::Span;

declare_rule! {
    pub static OVERRIDE_WITHOUT_ACCOUNT {
        code: "S3R309",
        name: "owner-override-without-account",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidRequest: The <Owner> in <AccessControlTranslation> has a value, so the <Account> element must be specified.",
        summary: "AccessControlTranslation requires Destination/Account",
        check: check_override_without_account,
        docs: r#"## What it does
Reports `AccessControlTranslation` in a destination that has no `Account`. When the owner is
known (deployment context or an account-regional bucket name) a fix adds the element.

## Why it matters
S3 needs to know which account takes ownership of the replicas and refuses the request.

## Example
```xml
<Destination>
  <Bucket>arn:aws:s3:::acme-replica</Bucket>
  <AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>
</Destination>
```

## Fix
Add `<Account>` with the destination bucket owner's account ID.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ReplicationErrorCodeList
"#,
    }
}

declare_rule! {
    pub static OWNER_VALUE {
        code: "S3R310",
        name: "owner-override-value",
        severity: Error,
        confidence: Documented,
        summary: "AccessControlTranslation/Owner accepts only `Destination`",
        check: check_owner_value,
        docs: r#"## What it does
Checks that `AccessControlTranslation/Owner` is exactly `Destination`, the only value the API
defines; a fix writes it.

## Why it matters
Other values (including `destination` in lowercase) do not validate against S3's schema.

## Example
```xml
<AccessControlTranslation><Owner>BucketOwner</Owner></AccessControlTranslation>
```

## Fix
`<Owner>Destination</Owner>`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_AccessControlTranslation.html
"#,
    }
}

declare_rule! {
    pub static OVERRIDE_SAME_ACCOUNT {
        code: "S3R311",
        name: "owner-override-same-account",
        severity: Warning,
        confidence: Documented,
        summary: "Owner override in a same-account setup",
        check: check_override_same_account,
        docs: r#"## What it does
Reports `AccessControlTranslation` when the destination owner is the source account (from the
context or the Role ARN).

## Why it matters
S3 applies the override without checking whether the accounts differ. In a same-account setup
it changes nothing about ownership but stops object ACL changes from being replicated.

## Example
```xml
<Role>arn:aws:iam::111122223333:role/replication</Role>
<!-- ... -->
<Destination>
  <Bucket>arn:aws:s3:::acme-replica</Bucket>
  <Account>111122223333</Account>
  <AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>
</Destination>
```

## Fix
Remove `AccessControlTranslation` (and `Account` if nothing else needs it).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
"#,
    }
}

declare_rule! {
    pub static CROSS_ACCOUNT_NO_OVERRIDE {
        code: "S3R312",
        name: "cross-account-without-owner-override",
        severity: Info,
        confidence: Documented,
        summary: "Cross-account replication without owner override keeps the source owner on replicas",
        check: check_cross_account_no_override,
        docs: r#"## What it does
Notes a destination owned by another account (known from `Account`, the context or the bucket
name) whose rule has no `AccessControlTranslation`.

## Why it matters
Replicas then belong to the source object's owner, and the destination account may be unable
to read them, unless the destination bucket uses Object Ownership *Bucket owner enforced*,
which has the same effect as the owner override.

## Example
```xml
<Role>arn:aws:iam::111122223333:role/replication</Role>
<!-- ... -->
<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket><Account>444455556666</Account></Destination>
```

## Fix
Add `<AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>`, or set
the destination bucket's Object Ownership to *Bucket owner enforced*.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
"#,
    }
}

declare_rule! {
    pub static MIXED_OWNERSHIP {
        code: "S3R313",
        name: "mixed-ownership",
        severity: Warning,
        confidence: Inferred,
        summary: "Some rules to a bucket override the owner and others do not",
        check: check_mixed_ownership,
        docs: r#"## What it does
Groups enabled rules by destination bucket and reports a bucket reached by some rules with
`AccessControlTranslation` and some without.

## Why it matters
Replicas in one bucket end up with different owners and ACL behaviour depending on which
rule copied them.

## Example
```xml
<Rule>
  <ID>finance</ID><Priority>1</Priority><Status>Enabled</Status>
  <Filter><Prefix>finance/</Prefix></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination>
    <Bucket>arn:aws:s3:::acme-replica</Bucket>
    <Account>444455556666</Account>
    <AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>
  </Destination>
</Rule>
<Rule>
  <ID>logs</ID><Priority>2</Priority><Status>Enabled</Status>
  <Filter><Prefix>logs/</Prefix></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination>
</Rule>
```

## Fix
Use the owner override in all or none of the rules that target the bucket.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
"#,
    }
}
fn check_override_without_account(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(d) = dest(rule) else { continue };
        let Some(act) = &d.access_control_translation else {
            continue;
        };
        if d.account.is_some() {
            continue;
        }
        let owner = d.bucket.as_ref().and_then(|_| known_owner(cx, i));
        // Same account: adding Account would only trade this finding for S3R311 (remove the
        // override). The one fix that settles both removes the override.
        let same_account = match (&owner, source_account(cx)) {
            (Some(o), Some(src)) => o.value == src.value,
            _ => false,
        };
        let format = format_of(doc, cx.text);
        let fix = match (&owner, &d.bucket) {
            (Some(_), _) if same_account => remove_member(doc, cx.text, &act.meta)
                .map(|e| ("Remove AccessControlTranslation".to_string(), e)),
            (Some(o), Some(b)) => insert_after(
                doc,
                cx.text,
                &b.meta,
                Node::Leaf("Account", string_literal(&o.value, format)),
            )
            .map(|e| (format!("Add Account {}", o.value), e)),
            _ => None,
        };
        let diag = cx.report(
            &OVERRIDE_WITHOUT_ACCOUNT,
            act.meta.name_span,
            RulePath::new(i, "/Destination/AccessControlTranslation"),
            "AccessControlTranslation (owner override) needs the destination owner's account ID in Destination/Account",
        );
        diag.help = Some(match &owner {
            Some(o) if same_account => format!(
                "The destination owner is {}, the source account too: the override changes no ownership here and stops ACL changes from replicating. Remove it rather than adding Account.",
                fact(o)
            ),
            Some(o) => format!("The destination owner is {}.", fact(o)),
            None => "Add <Account> with the destination bucket owner's 12-digit account ID.".into(),
        });
        if let Some((title, e)) = fix {
            set_fix(diag, title, vec![e]);
        }
    }
}

fn check_owner_value(cx: &mut CheckContext) {
    let src = cx.text;
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(o) = dest(rule)
            .and_then(|d| d.access_control_translation.as_ref())
            .and_then(|a| a.owner.as_ref())
        else {
            continue;
        };
        if o.as_str() == "Destination" {
            continue;
        }
        let shown: String = o.value.chars().take(40).collect();
        let d = cx.report(
            &OWNER_VALUE,
            o.span(),
            RulePath::new(i, "/Destination/AccessControlTranslation/Owner"),
            format!("Owner `{shown}` is not valid; the only value is `Destination`"),
        );
        set_value_fix(d, src, o.span(), "Destination", "Write `Destination`");
    }
}

fn check_override_same_account(cx: &mut CheckContext) {
    let doc = cx.doc;
    let Some(src) = source_account(cx) else {
        return;
    };
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(d) = dest(rule) else { continue };
        let Some(act) = &d.access_control_translation else {
            continue;
        };
        let Some(owner) = crate::rules::support::facts::destination_owner(cx, rule, i) else {
            continue;
        };
        if owner.value == src.value {
            let diag = cx.report(
                &OVERRIDE_SAME_ACCOUNT,
                act.meta.name_span,
                RulePath::new(i, "/Destination/AccessControlTranslation"),
                format!(
                    "Owner override in a same-account setup: the destination owner {} is also the source account",
                    fact(&owner)
                ),
            );
            diag.help = Some("S3 applies it anyway; it changes no ownership here but stops ACL changes from replicating. Remove AccessControlTranslation.".into());
        }
    }
}

fn check_cross_account_no_override(cx: &mut CheckContext) {
    let doc = cx.doc;
    let Some(src) = source_account(cx) else {
        return;
    };
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(d) = dest(rule) else { continue };
        if d.access_control_translation.is_some() || !rule.is_enabled() {
            continue;
        }
        let Some(b) = &d.bucket else { continue };
        let Some(owner) = crate::rules::support::facts::destination_owner(cx, rule, i) else {
            continue;
        };
        if owner.value != src.value {
            let diag = cx.report(
                &CROSS_ACCOUNT_NO_OVERRIDE,
                b.span(),
                RulePath::new(i, "/Destination/Bucket"),
                format!(
                    "Cross-account replication to {} without owner override: replicas stay owned by the source object's owner (source account {})",
                    fact(&owner),
                    src.value
                ),
            );
            diag.help = Some("Add AccessControlTranslation (Owner Destination), or give the destination bucket Object Ownership 'Bucket owner enforced'.".into());
        }
    }
}

fn check_mixed_ownership(cx: &mut CheckContext) {
    let doc = cx.doc;
    // bucket name -> (first rule with override, first rule without)
    let mut seen: Vec<(&str, Option<usize>, Option<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut last: Option<(&str, usize)> = None;
    for (i, rule) in doc.rules.iter().enumerate() {
        if !rule.is_enabled() {
            continue;
        }
        let Some(name) = cx.bucket(i) else {
            continue;
        };
        let k = match last.filter(|(n, _)| *n == name) {
            Some((_, k)) => k,
            None => *index.entry(name).or_insert_with(|| {
                seen.push((name, None, None));
                seen.len() - 1
            }),
        };
        last = Some((name, k));
        let has = dest(rule).is_some_and(|d| d.access_control_translation.is_some());
        let slot = if has { &mut seen[k].1 } else { &mut seen[k].2 };
        slot.get_or_insert(i);
    }
    for (name, with, without) in seen {
        let (Some(w), Some(wo)) = (with, without) else {
            continue;
        };
        let rule = &doc.rules[wo];
        let Some(b) = dest(rule).and_then(|d| d.bucket.as_ref()) else {
            continue;
        };
        let other_span = dest(&doc.rules[w])
            .and_then(|d| d.access_control_translation.as_ref())
            .map_or(Span::default(), |a| a.meta.name_span);
        let d = cx.report(
            &MIXED_OWNERSHIP,
            b.span(),
            RulePath::new(wo, "/Destination/Bucket"),
            format!(
                "{} replicates to `{name}` without owner override, but {} overrides the owner for the same bucket; replicas will have mixed owners",
                rule_label(rule, wo),
                rule_label(&doc.rules[w], w)
            ),
        );
        *d = d.clone().with_related(other_span, "owner override here");
    }
}
