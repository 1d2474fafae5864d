//! Object ARNs for IAM: prefixes escaped and reduced.

/// `<bucket ARN>/<prefix>*`, the prefix's IAM wildcards escaped.
pub(crate) fn object_arn(bucket_arn: &str, prefix: &str) -> String {
    let mut arn = String::with_capacity(bucket_arn.len() + prefix.len() + 2);
    arn.push_str(bucket_arn);
    arn.push('/');
    push_escaped_iam(&mut arn, prefix);
    arn.push('*');
    arn
}

/// Holds `*`, `?` or `$` (all ASCII: a byte scan, no char decoding).
pub(super) fn has_iam_special(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b'*' | b'?' | b'$'))
}

/// Write `*`, `?` and `$` as IAM's literal special-character variables.
pub(super) fn push_escaped_iam(out: &mut String, s: &str) {
    if !has_iam_special(s) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '*' => out.push_str("${*}"),
            '?' => out.push_str("${?}"),
            '$' => out.push_str("${$}"),
            c => out.push(c),
        }
    }
}

/// Drop prefixes covered by a shorter one; "" covers everything. Sorted, deduplicated.
pub(crate) fn reduce_prefixes<'a>(prefixes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut all: Vec<&str> = prefixes.into_iter().collect();
    crate::sort::sort_dedup(&mut all);
    // Sorted, a prefix that extends a kept one comes after it with only extensions of it in
    // between, none of which is kept: checking the last kept prefix is enough.
    let mut out: Vec<String> = Vec::new();
    for p in all {
        if !out.last().is_some_and(|kept| p.starts_with(kept.as_str())) {
            out.push(p.to_string());
        }
    }
    out
}
