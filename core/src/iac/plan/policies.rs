//! The role, key and bucket policies a plan holds for a configuration, for the S3R7xx audit:
//! the role the configuration names (by ARN or name, or through the plan's `configuration`
//! references when the apply creates it), its trust policy, inline and attached policies,
//! the key policies of the KMS keys the configuration uses and the destination buckets'
//! policies. Each is JSON text inside a JSON string of the plan; findings point into that
//! string in the plan file. A policy the plan knows only after apply, or a managed policy it
//! does not hold, is named as not verified.

use super::facts::{target_of, Plan, Planned};
use super::{block, get, items, text};
use crate::iac::eval;
use crate::iac::policies::{External, FoundPolicies, FoundPolicy, Syntax};
use crate::iac::Extracted;
use crate::policy::PolicyRole;
use crate::source::Span;
use crate::syntax::{Content, Node};

impl Plan<'_> {
    /// The policies of configuration `c`, written by resource `address`.
    pub fn policies(&self, c: &Extracted<'static>, address: &str) -> FoundPolicies {
        let mut found = FoundPolicies::default();
        let doc = &c.root.value;
        // What the policies must name but the plan knows only after apply (the role's own
        // ARN is not among it: the audit reads the role's policies, not its name).
        found.configuration_unknown = c
            .unknowns
            .iter()
            .map(|u| u.expression.as_str())
            .find(|e| !e.ends_with(": role)"))
            .map(|e| format!("`{e}`"))
            .or_else(|| {
                c.context
                    .source_bucket
                    .is_none()
                    .then(|| "the source bucket".to_string())
            });
        let role_arn = get(doc, "Role")
            .and_then(text)
            .filter(|r| !r.starts_with("${"));
        let role_name = role_arn
            .as_deref()
            .and_then(|a| a.rsplit('/').next())
            .map(str::to_string);
        let role_refs = self.references(
            address,
            &[&["role"], &["replication_configuration", "role"]],
        );
        let roles: Vec<&Planned<'_>> = self
            .of_type("aws_iam_role")
            .filter(|r| {
                let arn = get(r.values, "arn").and_then(text);
                let name = get(r.values, "name").and_then(text);
                (role_arn.is_some() && arn == role_arn)
                    || (role_name.is_some() && name == role_name)
                    || role_refs.iter().any(|t| self.is(r, address, t))
            })
            .collect();
        let names: Vec<String> = roles
            .iter()
            .filter_map(|r| get(r.values, "name").and_then(text))
            .collect();
        let mut s = Sink {
            plan: self,
            found: &mut found,
        };
        for r in &roles {
            s.policy(PolicyRole::Trust, r, "assume_role_policy");
            for (i, p) in items(get(r.values, "inline_policy")).iter().enumerate() {
                s.text(
                    PolicyRole::Permissions,
                    r,
                    p,
                    "policy",
                    &format!("inline_policy[{i}].policy"),
                );
            }
            for (i, arn) in items(get(r.values, "managed_policy_arns"))
                .iter()
                .enumerate()
            {
                s.attached(r, arn, &format!("managed_policy_arns[{i}]"), None);
            }
        }
        let of_role = |r: &Planned<'_>, attribute: &str| {
            get(r.values, attribute)
                .and_then(text)
                .is_some_and(|n| names.contains(&n))
                || self
                    .references(&r.address, &[&[attribute]])
                    .iter()
                    .any(|t| roles.iter().any(|role| self.is(role, &r.address, t)))
        };
        for r in self
            .of_type("aws_iam_role_policy")
            .filter(|r| of_role(r, "role"))
        {
            s.policy(PolicyRole::Permissions, r, "policy");
        }
        for r in self
            .of_type("aws_iam_role_policy_attachment")
            .filter(|r| of_role(r, "role"))
        {
            if let Some(arn) = get(r.values, "policy_arn") {
                s.attached(r, arn, "policy_arn", Some(&r.address));
            }
        }
        for r in self.of_type("aws_iam_policy_attachment").filter(|r| {
            items(get(r.values, "roles"))
                .iter()
                .filter_map(text)
                .any(|n| names.contains(&n))
        }) {
            if let Some(arn) = get(r.values, "policy_arn") {
                s.attached(r, arn, "policy_arn", Some(&r.address));
            }
        }
        // The keys: those the configuration names (the replica keys) and the source
        // bucket's, by ARN or key ID, or through the configuration's references.
        let mut keys: Vec<String> = Vec::new();
        collect_member_texts(doc, "ReplicaKmsKeyID", &mut keys);
        keys.extend(c.context.source_kms_keys.iter().cloned());
        let key_refs = self.all_references(address);
        for r in self
            .of_type("aws_kms_key")
            .chain(self.of_type("aws_kms_replica_key"))
        {
            let arn = get(r.values, "arn").and_then(text);
            let id = get(r.values, "key_id").and_then(text);
            let named = keys.iter().any(|k| {
                Some(k) == arn.as_ref()
                    || id
                        .as_ref()
                        .is_some_and(|i| k.ends_with(&format!("key/{i}")))
            });
            if named || key_refs.iter().any(|t| self.is(r, address, t)) {
                s.policy(PolicyRole::KeyPolicy, r, "policy");
                if let Some(a) = arn {
                    keys.push(a);
                }
            }
        }
        for r in self.of_type("aws_kms_key_policy") {
            let key = get(r.values, "key_id").and_then(text).unwrap_or_default();
            if !key.is_empty()
                && keys
                    .iter()
                    .any(|k| *k == key || k.ends_with(&format!("key/{key}")))
            {
                s.policy(PolicyRole::KeyPolicy, r, "policy");
            }
        }
        // The destination buckets' policies.
        let mut buckets = Vec::new();
        eval::collect_buckets(doc, &mut buckets);
        let names: Vec<String> = buckets
            .iter()
            .filter(|(b, _)| b.starts_with("arn:"))
            .map(|(b, _)| crate::arn::bucket_name(b).to_string())
            .collect();
        for r in self.of_type("aws_s3_bucket_policy") {
            let bucket = get(r.values, "bucket").and_then(text).or_else(|| {
                self.referenced_bucket(&r.address, "bucket")
                    .map(|(n, ..)| n)
            });
            if bucket.is_some_and(|b| names.contains(&b)) {
                s.policy(PolicyRole::BucketPolicy, r, "policy");
            }
        }
        found
    }

    /// The `after_unknown` tree of resource `address`'s change.
    fn after_unknown(&self, address: &str) -> Option<&Node<'static>> {
        self.changes
            .iter()
            .find(|c| get(c, "address").and_then(text).as_deref() == Some(address))
            .and_then(|c| get(c, "change"))
            .and_then(|c| get(c, "after_unknown"))
    }

    fn of_type<'s>(&'s self, ty: &'s str) -> impl Iterator<Item = &'s Planned<'s>> + 's {
        self.resources.iter().filter(move |r| r.ty == ty)
    }

    /// Whether reference target `t` (`aws_iam_role.r`, written in the module of `from`) is
    /// planned resource `r` (any instance of it).
    fn is(&self, r: &Planned<'_>, from: &str, t: &str) -> bool {
        let (prefix, _) = super::facts::split_module(from);
        let want = format!("{prefix}{t}");
        r.address == want
            || r.address
                .strip_prefix(&want)
                .is_some_and(|rest| rest.starts_with('['))
    }

    /// The `type.name` targets of the references of one attribute of resource `address`'s
    /// configuration, at the first of `paths` (block names, then the attribute) it has: the
    /// resource's own, then the legacy inline block's form.
    fn references(&self, address: &str, paths: &[&[&str]]) -> Vec<String> {
        let e = self
            .configuration_of(address)
            .and_then(|r| get(r, "expressions"));
        let at = |path: &[&str]| {
            let (attribute, blocks) = path.split_last()?;
            let owner = blocks.iter().try_fold(e?, |n, b| block(n, b))?;
            get(owner, attribute)
        };
        let mut out = Vec::new();
        if let Some(n) = paths.iter().find_map(|p| at(p)) {
            targets(n, &mut out, 0);
        }
        out
    }

    /// Every reference target in resource `address`'s configuration.
    fn all_references(&self, address: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(e) = self
            .configuration_of(address)
            .and_then(|r| get(r, "expressions"))
        {
            targets(e, &mut out, 0);
        }
        out
    }
}

/// `aws_iam_role.r` from each `references` entry below `n` (`aws_iam_role.r.arn`).
fn targets(n: &Node<'static>, out: &mut Vec<String>, depth: usize) {
    if depth > 32 {
        return;
    }
    match &n.content {
        Content::Object(ms) => {
            for m in ms {
                if m.name == "references" {
                    for r in items(Some(&m.value)).iter().filter_map(text) {
                        if let Some((ty, name)) =
                            target_of(&r).filter(|(ty, _)| ty.starts_with("aws_"))
                        {
                            let name = name.split('[').next().unwrap_or(name);
                            let t = format!("{ty}.{name}");
                            if !out.contains(&t) {
                                out.push(t);
                            }
                        }
                    }
                } else {
                    targets(&m.value, out, depth + 1);
                }
            }
        }
        Content::Array(items) => items.iter().for_each(|i| targets(i, out, depth + 1)),
        _ => {}
    }
}

/// Collects the policies into `found`.
struct Sink<'s, 'p> {
    plan: &'s Plan<'p>,
    found: &'s mut FoundPolicies,
}

impl Sink<'_, '_> {
    /// The policy in attribute `attribute` of resource `r`.
    fn policy(&mut self, role: PolicyRole, r: &Planned<'_>, attribute: &str) {
        self.text(role, r, r.values, attribute, attribute);
    }

    /// The policy JSON in `owner`'s member `attribute`, named `r.address` + `shown`.
    fn text(
        &mut self,
        role: PolicyRole,
        r: &Planned<'_>,
        owner: &Node<'static>,
        attribute: &str,
        shown: &str,
    ) {
        let address = format!("{}.{shown}", r.address);
        if self.found.policies.iter().any(|p| p.address == address) {
            return;
        }
        let value = get(owner, attribute);
        let known =
            value.filter(|v| matches!(&v.content, Content::Text(t) if !t.trim().is_empty()));
        let Some(v) = known else {
            // Known after apply (a document built from what the apply creates): not read.
            let later = self
                .plan
                .after_unknown(&r.address)
                .is_some_and(|u| unknown_within(u, shown));
            if later {
                self.found.external.push(External {
                    role,
                    address: address.clone(),
                    file: self.plan.file_index,
                    span: value.map_or(r.values.span, |v| v.span),
                    what: format!("the policy `{address}`, known only after apply"),
                });
            }
            return;
        };
        let Some(root) = policy_tree(&self.plan.file.text, v) else {
            return;
        };
        self.found.policies.push(FoundPolicy {
            role,
            file: self.plan.file_index,
            address,
            root,
            unknowns: Vec::new(),
            syntax: Syntax::PlanJson,
        });
    }

    /// A policy ARN attached to the role: a policy of the plan (by ARN, or through the
    /// attachment's references), else one the plan does not hold.
    fn attached(&mut self, r: &Planned<'_>, arn: &Node<'static>, shown: &str, from: Option<&str>) {
        let value = text(arn).filter(|a| !a.is_empty());
        let plan = self.plan;
        let refs = from
            .map(|a| plan.references(a, &[&["policy_arn"]]))
            .unwrap_or_default();
        let policy = plan.of_type("aws_iam_policy").find(|p| {
            (value.is_some() && get(p.values, "arn").and_then(text) == value)
                || refs.iter().any(|t| plan.is(p, &r.address, t))
        });
        if let Some(p) = policy {
            return self.policy(PolicyRole::Permissions, p, "policy");
        }
        let address = format!("{}.{shown}", r.address);
        self.found.external.push(External {
            role: PolicyRole::Permissions,
            address,
            file: plan.file_index,
            span: arn.span,
            what: match value {
                Some(a) => format!("the managed policy `{a}`"),
                None => "a policy known only after apply".to_string(),
            },
        });
    }
}

/// Whether an `after_unknown` tree marks `path` (`policy`, `inline_policy[0].policy`) unknown.
fn unknown_within(u: &Node<'static>, path: &str) -> bool {
    let mut at = Some(u);
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, i)) => (n, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        at = at.and_then(|n| get(n, name));
        if let Some(i) = index {
            at = at.and_then(|n| items(Some(n)).get(i));
        }
    }
    matches!(at.map(|n| &n.content), Some(Content::Bool(true)))
}

/// Every text of a member `name` below `node`.
fn collect_member_texts(node: &Node<'static>, name: &str, out: &mut Vec<String>) {
    match &node.content {
        Content::Object(ms) => {
            for m in ms {
                match (&m.value.content, m.name == name) {
                    (Content::Text(t), true) if !t.starts_with("${") => out.push(t.to_string()),
                    _ => collect_member_texts(&m.value, name, out),
                }
            }
        }
        Content::Array(items) => items
            .iter()
            .for_each(|i| collect_member_texts(i, name, out)),
        _ => {}
    }
}

/// The policy document in the JSON string `value` of the plan file `file_text`, its spans
/// in the file (inside the string, where each of its characters is written).
fn policy_tree(file_text: &str, value: &Node<'static>) -> Option<Node<'static>> {
    let Content::Text(unescaped) = &value.content else {
        return None;
    };
    let literal = file_text.get(value.span.start as usize..value.span.end as usize)?;
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    let base = value.span.start as usize + 1;
    let map = escape_map(inner)?;
    if map.len() != unescaped.len() + 1 {
        return None;
    }
    let mut diagnostics = Vec::new();
    let tree = crate::parse::json::parse_tree_into(unescaped, &mut diagnostics)?;
    let mut root = eval::own(tree);
    respan(&mut root, &map, base, 0);
    Some(root)
}

/// For each byte of a JSON string's unescaped text, the offset in its escaped form where the
/// character is written (an escape's backslash); one more entry for the end.
fn escape_map(raw: &str) -> Option<Vec<usize>> {
    let bytes = raw.as_bytes();
    let mut map = Vec::with_capacity(raw.len() + 1);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            map.push(i);
            i += 1;
            continue;
        }
        let (len, width) = match bytes.get(i + 1)? {
            b'u' => {
                let hi = u32::from_str_radix(raw.get(i + 2..i + 6)?, 16).ok()?;
                if (0xD800..0xDC00).contains(&hi) {
                    (12, 4)
                } else {
                    (6, char::from_u32(hi)?.len_utf8())
                }
            }
            _ => (2, 1),
        };
        map.extend(std::iter::repeat_n(i, width));
        i += len;
    }
    map.push(raw.len());
    Some(map)
}

fn respan(node: &mut Node<'static>, map: &[usize], base: usize, depth: usize) {
    let at = |s: Span| {
        let start = map.get(s.start as usize).copied().unwrap_or(0);
        let end = map.get(s.end as usize).copied().unwrap_or(start);
        Span::new(base + start, base + end.max(start))
    };
    node.span = at(node.span);
    if depth > 64 {
        return;
    }
    match &mut node.content {
        Content::Object(ms) => {
            for m in ms {
                m.name_span = at(m.name_span);
                m.span = at(m.span);
                respan(&mut m.value, map, base, depth + 1);
            }
        }
        Content::Array(items) => items
            .iter_mut()
            .for_each(|i| respan(i, map, base, depth + 1)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::escape_map;

    #[test]
    fn maps_each_unescaped_byte_to_where_it_is_written() {
        // {"a":"é\n"} written with escapes.
        let raw = r#"{\"a\":\"\u00e9\n\"}"#;
        let map = escape_map(raw).unwrap();
        let text = "{\"a\":\"\u{e9}\n\"}";
        assert_eq!(map.len(), text.len() + 1);
        assert_eq!(map[1], 1); // the backslash of \"
        assert_eq!(map[6], 9); // é (two bytes) at \u00e9
        assert_eq!(map[7], 9);
        assert_eq!(*map.last().unwrap(), raw.len());
        assert_eq!(escape_map(r"\ud83d\ude00").unwrap().len(), 5);
        assert!(escape_map("\\").is_none());
    }
}
