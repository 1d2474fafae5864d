//! `Destination/Account` and `AccessControlTranslation` (owner override), S3R306-S3R313.

use crate::arn::is_account_id;
use crate::model::{Destination, Rule};
use crate::rules::support::edit::{format_of, string_literal, Node};
use crate::rules::support::facts::{known_owner, source_account};
use crate::rules::support::fixes::{insert_after, remove_member, set_fix, set_value_fix};
use crate::rules::support::labels::{fact, rule_label};
use crate::rules::{RuleContext, RulePath};
use crate::source::Span;

declare_rule! {
    pub static ACCOUNT_INVALID {
        code: "S3R306",
        name: "destination-account-invalid",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidArgument: The <Account> element is empty. It must contain a valid account ID.",
        summary: "Destination/Account must be a 12-digit AWS account ID",
        check: check_account_format,
        docs: r#"## What it does
Checks that `Destination/Account`, when present, is exactly 12 digits. A value with dashes or
spaces (`1111-2222-3333`) gets a fix that removes them.

## Why it matters
S3 refuses an empty or malformed account ID.

## Example
```xml
<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket><Account>4444-5555-6666</Account></Destination>
```

## Fix
Write the destination bucket owner's account ID as 12 digits.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_Destination.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ReplicationErrorCodeList
"#,
    }
}

declare_rule! {
    pub static ACCOUNT_NOT_OWNER {
        code: "S3R307",
        name: "destination-account-not-owner",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidArgument: The AWS account specified in the <Account> element must match the destination bucket owner.",
        summary: "Destination/Account differs from the destination bucket owner",
        check: check_account_owner,
        docs: r#"## What it does
Compares `Destination/Account` with the destination bucket's owner: the deployment context's
`destinations.<bucket>.account`, or the account in an account-regional bucket name
(`<prefix>-<account>-<region>-an`). Without either it says once that this was not verified.

## Why it matters
S3 checks the `Account` element against the real owner and rejects a mismatch.

## Example
<!-- context: {"destinations": {"acme-replica": {"account": "444455556666"}}} -->
```xml
<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket><Account>111122223333</Account></Destination>
```

## Fix
Put the destination bucket owner's account ID in `Account`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ReplicationErrorCodeList
"#,
    }
}

declare_rule! {
    pub static ACCOUNT_CONFLICT {
        code: "S3R308",
        name: "destination-account-conflict",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidArgument: The AWS account specified in the <Account> element must match the destination bucket owner.",
        summary: "Rules name the same destination bucket with different Account values",
        check: check_account_conflict,
        docs: r#"## What it does
Groups rules by destination bucket and reports a rule whose `Account` differs from the
`Account` of an earlier rule with the same bucket.

## Why it matters
A bucket has one owner, and S3 checks every `Account` element against it, so at least one of
the rules is rejected.

## Example
```xml
<Rule><ID>a</ID>...<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket><Account>444455556666</Account></Destination></Rule>
<Rule><ID>b</ID>...<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket><Account>777788889999</Account></Destination></Rule>
```

## Fix
Use the owner's account ID in every rule that targets the bucket.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ReplicationErrorCodeList
"#,
    }
}

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

fn dest(rule: &Rule) -> Option<&Destination> {
    rule.destination.as_ref()
}

fn check_account_format(cx: &mut RuleContext) {
    let src = cx.text;
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(a) = dest(rule).and_then(|d| d.account.as_ref()) else {
            continue;
        };
        if is_account_id(a.as_str()) {
            continue;
        }
        let shown: String = a.value.chars().take(40).collect();
        let msg = if a.value.trim().is_empty() {
            "The <Account> element is empty; it must contain the destination owner's account ID"
                .to_string()
        } else {
            format!("`{shown}` is not a 12-digit AWS account ID")
        };
        let d = cx.report(
            &ACCOUNT_INVALID,
            a.span(),
            RulePath::new(i, "/Destination/Account"),
            msg,
        );
        let digits: String = a
            .value
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .collect();
        if is_account_id(&digits) {
            set_value_fix(d, src, a.span(), &digits, format!("Write `{digits}`"));
        }
    }
}

fn check_account_owner(cx: &mut RuleContext) {
    let src = cx.text;
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(d) = dest(rule) else { continue };
        let (Some(_), Some(a)) = (&d.bucket, &d.account) else {
            continue;
        };
        if !is_account_id(a.as_str()) {
            continue;
        }
        let path = RulePath::new(i, "/Destination/Account");
        match known_owner(cx, i) {
            Some(owner) if owner.value != a.value => {
                let name = cx.bucket(i).unwrap_or_default();
                let diag = cx.report(
                    &ACCOUNT_NOT_OWNER,
                    a.span(),
                    path,
                    format!(
                        "Account {} is not the owner of `{}`, which is {}",
                        a.value,
                        name,
                        fact(&owner)
                    ),
                );
                set_value_fix(
                    diag,
                    src,
                    a.span(),
                    &owner.value,
                    format!("Use the owner's account {}", owner.value),
                );
            }
            Some(_) => {}
            None => {
                let name = cx.bucket(i).unwrap_or_default();
                cx.unverified_destination(
                    &ACCOUNT_NOT_OWNER,
                    name,
                    "account",
                    "whether Account is the destination bucket owner",
                    a.span(),
                    path,
                );
            }
        }
    }
}

fn check_account_conflict(cx: &mut RuleContext) {
    let doc = cx.doc;
    // (bucket name, account, rule index, span) of the first rule per bucket with an Account.
    let mut firsts: Vec<(&str, &str, usize, Span)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    // The last bucket seen and its entry: rules mostly come in runs or cycles of a few.
    let mut last: Option<(&str, usize)> = None;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(d) = dest(rule) else { continue };
        let (Some(_), Some(a)) = (&d.bucket, &d.account) else {
            continue;
        };
        if !is_account_id(a.as_str()) {
            continue;
        }
        let Some(name) = cx.bucket(i) else { continue };
        let k = match last.filter(|(n, _)| *n == name) {
            Some((_, k)) => k,
            None => match index.get(name) {
                Some(&k) => k,
                None => {
                    index.insert(name, firsts.len());
                    firsts.push((name, a.as_str(), i, a.span()));
                    last = Some((name, firsts.len() - 1));
                    continue;
                }
            },
        };
        last = Some((name, k));
        let (_, first_account, fi, fspan) = firsts[k];
        if first_account != a.as_str() {
            let label = rule_label(&doc.rules[fi], fi);
            let diag = cx.report(
                &ACCOUNT_CONFLICT,
                a.span(),
                RulePath::new(i, "/Destination/Account"),
                format!(
                    "`{name}` has Account {} here but {first_account} in {label}; a bucket has one owner, so S3 rejects at least one of these rules",
                    a.value
                ),
            );
            *diag = diag.clone().with_related(fspan, "the other Account");
        }
    }
}

fn check_override_without_account(cx: &mut RuleContext) {
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

fn check_owner_value(cx: &mut RuleContext) {
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

fn check_override_same_account(cx: &mut RuleContext) {
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

fn check_cross_account_no_override(cx: &mut RuleContext) {
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

fn check_mixed_ownership(cx: &mut RuleContext) {
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
