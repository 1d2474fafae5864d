//! The account a destination names: its format (S3R306), whether it owns the bucket
//! (S3R307), and rules that disagree about it (S3R308).

use super::dest;
use crate::arn::is_account_id;
use crate::rules::support::facts::known_owner;
use crate::rules::support::fixes::set_value_fix;
use crate::rules::support::labels::{fact, rule_label};
use crate::rules::{CheckContext, RulePath};
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
fn check_account_format(cx: &mut CheckContext) {
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

fn check_account_owner(cx: &mut CheckContext) {
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

fn check_account_conflict(cx: &mut CheckContext) {
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
