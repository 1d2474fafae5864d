//! What the policies depend on, gathered once from the document and the deployment context.
//! Both the generator and the audit read this plan, so they always agree on what is needed.

use super::{Note, Placeholder};
use crate::arn::{self, Arn, KmsKeyRef};
use crate::context::Resolved;
use crate::diagnostic::Severity;
use crate::fx::{Fx, FxMap};
use crate::model::{Document, Rule, SchemaVersion};
use std::hash::{Hash, Hasher};

/// A hash of a replica key's identity (equal keys hash equally).
fn key_hash(arn: &Known, dest: Option<usize>) -> u64 {
    let mut h = Fx::default();
    arn.hash(&mut h);
    dest.hash(&mut h);
    h.finish()
}

/// A fact that is either known or stands in the policy as a marked placeholder.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Known {
    Value(String),
    Missing {
        token: String,
        what: String,
        how_to_fill: String,
    },
}

impl Known {
    pub fn missing(
        token: impl Into<String>,
        what: impl Into<String>,
        how: impl Into<String>,
    ) -> Known {
        Known::Missing {
            token: token.into(),
            what: what.into(),
            how_to_fill: how.into(),
        }
    }

    /// The value, or the placeholder token (e.g. `${SOURCE_BUCKET}`).
    pub fn text(&self) -> &str {
        match self {
            Known::Value(v) => v,
            Known::Missing { token, .. } => token,
        }
    }

    pub fn value(&self) -> Option<&str> {
        match self {
            Known::Value(v) => Some(v),
            Known::Missing { .. } => None,
        }
    }

    pub fn placeholder(&self) -> Option<Placeholder> {
        match self {
            Known::Value(_) => None,
            Known::Missing {
                token,
                what,
                how_to_fill,
            } => Some(Placeholder {
                token: token.clone(),
                what: what.clone(),
                how_to_fill: how_to_fill.clone(),
            }),
        }
    }
}

/// One enabled rule, reduced to what the policies need.
#[derive(Clone, Debug)]
pub(crate) struct RulePlan {
    /// "rule `ID`" or "rule #2 (no ID)".
    pub label: String,
    /// The key prefix the rule selects ("" = every key).
    pub prefix: String,
    pub delete_markers: bool,
    pub kms: bool,
    pub owner_override: bool,
    /// Index into `Plan::destinations`.
    pub dest: usize,
    /// Index into `Plan::replica_keys` (KMS rules only).
    pub replica_key: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct DestPlan {
    /// Bucket name.
    pub bucket: String,
    pub region: Known,
    /// `region` is the destination bucket's own Region (from the context or inferred from
    /// the bucket name), not borrowed from a replica key ARN.
    pub region_from_destination: bool,
    /// Owner account, when known.
    pub account: Option<String>,
    /// Owner differs from the source account (both known).
    pub cross_account: bool,
    pub bucket_keys: Option<bool>,
    pub default_encryption: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct KeyPlan {
    pub arn: Known,
    /// Account that owns the key, when known.
    pub account: Option<String>,
    /// Region used for `kms:ViaService`.
    pub region: Known,
    /// Key owned by another account than the role's.
    pub cross_account: bool,
    /// Destination this key encrypts replicas for (replica keys only).
    pub dest: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub partition: Known,
    pub role_arn: Known,
    pub source_account: Option<String>,
    pub source_bucket: Known,
    pub source_region: Known,
    pub source_keys: Vec<KeyPlan>,
    pub source_bucket_keys: Option<bool>,
    pub object_lock: Option<bool>,
    pub batch: bool,
    pub rules: Vec<RulePlan>,
    pub destinations: Vec<DestPlan>,
    pub replica_keys: Vec<KeyPlan>,
    pub notes: Vec<Note>,
    /// Facts the policies rest on contradict each other (each has a note): the policies
    /// cannot be complete.
    pub contradicted: bool,
}

const CTX_HOW: &str = "in the deployment context";
/// Ends the note of a contradicted fact.
const CONTRADICTED: &str =
    ". The policies are not complete until the deployment context is corrected.";

fn upper_token(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// As the model labels a rule, saying when a rule has no ID (policy reasons list many rules).
pub(crate) fn rule_label(rule: &Rule, index: usize) -> String {
    let mut label = rule.label(index);
    if rule.id.as_ref().is_none_or(|i| i.as_str().is_empty()) {
        label.push_str(" (no ID)");
    }
    label
}

impl Plan {
    /// The Region S3 calls KMS from for a replica key (its `kms:ViaService`): the destination
    /// bucket's Region when it is known (context or inferred from the bucket name), else the
    /// key ARN's Region.
    pub fn replica_key_region<'p>(&'p self, key: &'p KeyPlan) -> &'p Known {
        match key.dest.and_then(|d| self.destinations.get(d)) {
            Some(dest) if dest.region_from_destination => &dest.region,
            _ => &key.region,
        }
    }

    pub fn new(doc: &Document, ctx: &Resolved) -> Plan {
        let mut notes = Vec::new();
        let role = doc.role.as_ref().map(|r| r.as_str().trim()).unwrap_or("");
        let role_parsed = Arn::parse(role)
            .ok()
            .filter(|a| a.service == "iam" && a.resource.starts_with("role/"));
        let role_arn = match role_parsed {
            Some(_) => Known::Value(role.to_string()),
            None => Known::missing(
                "${ROLE_ARN}",
                "ARN of the IAM role S3 assumes for replication",
                "Set a valid `Role` (arn:<partition>:iam::<account>:role/<name>) in the replication configuration.",
            ),
        };
        let partition = match &ctx.partition {
            Some(p) if !p.value.is_empty() => Known::Value(p.value.clone()),
            _ => Known::missing(
                "${PARTITION}",
                "AWS partition (aws, aws-cn, aws-us-gov, ...)",
                "Set a valid Role ARN, or `partition` in the deployment context.",
            ),
        };
        let source_account = ctx.source_account.as_ref().map(|f| f.value.clone());
        let source_bucket = match &ctx.source_bucket {
            Some(b) if !b.is_empty() => Known::Value(b.clone()),
            _ => Known::missing(
                "${SOURCE_BUCKET}",
                "name of the source bucket (the bucket that holds this replication configuration)",
                format!("Replace it, or set `sourceBucket` {CTX_HOW}."),
            ),
        };
        let p = partition.text().to_string();

        // Source keys (context), with the Region they imply.
        let mut source_keys = Vec::new();
        for k in &ctx.raw.source_kms_keys {
            source_keys.push(key_plan(
                k,
                &p,
                None,
                source_account.as_deref(),
                None,
                &mut notes,
                "source",
            ));
        }
        let source_region = match &ctx.source_region {
            Some(r) => Known::Value(r.value.clone()),
            None => match source_keys
                .iter()
                .find_map(|k| k.region.value().map(str::to_string))
            {
                Some(r) => Known::Value(r),
                None => Known::missing(
                    "${SOURCE_REGION}",
                    "Region of the source bucket",
                    format!("Replace it, or set `sourceRegion` {CTX_HOW}."),
                ),
            },
        };
        for k in &mut source_keys {
            if k.region.value().is_none() {
                k.region = source_region.clone();
            }
        }

        // With no rule enabled, every rule is covered as if it were.
        let none_enabled = !doc.rules.is_empty() && !doc.rules.iter().any(|r| r.is_enabled());
        if none_enabled {
            notes.push(Note::new(
                Severity::Warning,
                "No rule is enabled, so S3 replicates nothing; the policies cover every rule as if it were enabled.",
            ));
        } else {
            for (i, r) in doc.rules.iter().enumerate() {
                if !r.is_enabled() {
                    notes.push(Note::new(
                        Severity::Info,
                        format!(
                            "{} is not enabled: its permissions are left out.",
                            rule_label(r, i)
                        ),
                    ));
                }
            }
        }
        let chosen = doc
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| none_enabled || r.is_enabled());

        let mut destinations: Vec<DestPlan> = Vec::new();
        // Sized up front: growing these large vectors would copy them again and again.
        let mut replica_keys: Vec<KeyPlan> =
            Vec::with_capacity(doc.rules.iter().filter(|r| r.sse_kms_enabled()).count());
        // First replica key with each identity hash, and destination by bucket name: one
        // lookup per rule instead of a scan of all keys or destinations.
        let mut key_index: FxMap<u64, usize> = FxMap::default();
        let mut dest_index: FxMap<&str, usize> = FxMap::default();
        // Rules usually spell a destination the same way: skip parsing the ARN again. The
        // first few spellings are compared directly, cheaper than hashing them.
        let mut raw_index: FxMap<&str, usize> = FxMap::default();
        let mut raw_few: Vec<(&str, usize)> = Vec::with_capacity(4);
        let mut rules = Vec::with_capacity(doc.rules.len());
        for (i, rule) in chosen {
            let label = rule_label(rule, i);
            let Some(dest_raw) = rule
                .destination_bucket()
                .map(str::trim)
                .filter(|b| !b.is_empty())
            else {
                notes.push(Note::new(
                    Severity::Warning,
                    format!("{label} has no destination bucket: it adds no permissions."),
                ));
                continue;
            };
            let destination = rule.destination.as_ref();
            let account_element = destination
                .and_then(|d| d.account.as_ref())
                .map(|a| a.as_str());
            let enc = destination.and_then(|d| d.encryption_configuration.as_ref());
            let replica_key_text = enc
                .and_then(|e| e.replica_kms_key_id.as_ref())
                .map(|k| k.as_str().trim())
                .filter(|k| !k.is_empty());
            let use_mrk = enc
                .and_then(|e| e.use_source_multi_region_key.as_ref())
                .is_some_and(|s| s.is_enabled());
            let seen = match raw_few.iter().find(|(raw, _)| *raw == dest_raw) {
                Some(&(_, d)) => Some(d),
                None => raw_index.get(dest_raw).copied(),
            };
            let dest = match seen {
                Some(d) => d,
                None => {
                    let bucket = arn::bucket_name(dest_raw);
                    let d = match dest_index.get(bucket) {
                        Some(&d) => d,
                        None => {
                            dest_index.insert(bucket, destinations.len());
                            destinations.push(dest_plan(
                                ctx,
                                dest_raw,
                                bucket,
                                account_element,
                                replica_key_text,
                                source_account.as_deref(),
                                &mut notes,
                            ));
                            destinations.len() - 1
                        }
                    };
                    if raw_few.len() < 4 {
                        raw_few.push((dest_raw, d));
                    } else {
                        raw_index.insert(dest_raw, d);
                    }
                    d
                }
            };
            let kms = rule.sse_kms_enabled();
            let mut replica_key = None;
            if kms {
                let d = &destinations[dest];
                let bucket = d.bucket.as_str();
                // Usually one key (no Vec needed); MRK candidates go to `new_keys`.
                let mut new_keys: Vec<KeyPlan> = Vec::new();
                let one = match replica_key_text {
                    Some(k) => Some(key_plan(k, &p, Some(&d.region), source_account.as_deref(), Some(dest), &mut notes, "replica")),
                    None if use_mrk => {
                        for sk in &ctx.raw.source_kms_keys {
                            if let KmsKeyRef::KeyArn { arn, key_id } = KmsKeyRef::parse(sk) {
                                if key_id.starts_with("mrk-") {
                                    let text = format!("arn:{}:kms:{}:{}:key/{}", arn.partition, d.region.text(), arn.account, key_id);
                                    new_keys.push(KeyPlan {
                                        arn: Known::Value(text),
                                        account: Some(arn.account.to_string()),
                                        region: d.region.clone(),
                                        cross_account: source_account.as_deref().is_some_and(|s| s != arn.account),
                                        dest: Some(dest),
                                    });
                                }
                            }
                        }
                        if new_keys.is_empty() {
                            new_keys.push(KeyPlan {
                                arn: Known::missing(
                                    format!("${{{}_MRK_REPLICA_ARN}}", upper_token(bucket)),
                                    format!("ARN of the source multi-Region key's replica in the Region of `{bucket}`"),
                                    format!("Replace it, or list the source multi-Region key (mrk-...) in `sourceKmsKeys` {CTX_HOW}."),
                                ),
                                account: None,
                                region: d.region.clone(),
                                cross_account: false,
                                dest: Some(dest),
                            });
                        }
                        None
                    }
                    None => Some(KeyPlan {
                        arn: Known::missing(
                            format!("${{{}_REPLICA_KEY_ARN}}", upper_token(bucket)),
                            format!("ARN of the KMS key that encrypts replicas in `{bucket}`"),
                            "Set `Destination.EncryptionConfiguration.ReplicaKmsKeyID` (S3 requires it with SseKmsEncryptedObjects).",
                        ),
                        account: None,
                        region: d.region.clone(),
                        cross_account: false,
                        dest: Some(dest),
                    }),
                };
                for k in one.into_iter().chain(new_keys) {
                    // Keys by (ARN, destination), found through a hash of both.
                    let hash = key_hash(&k.arn, k.dest);
                    let same = |e: &KeyPlan| e.arn == k.arn && e.dest == k.dest;
                    let found = match key_index.get(&hash) {
                        Some(&e) if same(&replica_keys[e]) => Some(e),
                        // A hash collision (rare): search every key.
                        Some(_) => replica_keys.iter().position(same),
                        None => None,
                    };
                    let idx = match found {
                        Some(e) => e,
                        None => {
                            key_index.entry(hash).or_insert(replica_keys.len());
                            replica_keys.push(k);
                            replica_keys.len() - 1
                        }
                    };
                    // A rule has one replica key; with several MRK candidates keep the first.
                    replica_key.get_or_insert(idx);
                }
            }
            let owner_override = rule.owner_override();
            let delete_markers = match rule.schema_version() {
                Some(SchemaVersion::V1) => true,
                _ => rule.delete_markers_enabled(),
            };
            rules.push(RulePlan {
                label,
                prefix: rule.key_prefix().to_string(),
                delete_markers,
                kms,
                owner_override,
                dest,
                replica_key,
            });
        }

        let any_kms = rules.iter().any(|r| r.kms);
        if any_kms && source_keys.is_empty() {
            source_keys.push(KeyPlan {
                arn: Known::missing(
                    "${SOURCE_KMS_KEY_ARN}",
                    "ARN of the KMS key(s) that encrypt the source objects",
                    format!("Replace it (add one ARN per key), or list them in `sourceKmsKeys` {CTX_HOW}."),
                ),
                account: source_account.clone(),
                region: source_region.clone(),
                cross_account: false,
                dest: None,
            });
        }
        for r in &rules {
            if has_iam_special(&r.prefix) {
                notes.push(Note::new(
                    Severity::Warning,
                    format!(
                        "{} filters on the prefix `{}`, whose `*`, `?` or `$` IAM would read as a wildcard or variable. The policies write these characters as IAM's literal forms `${{*}}`, `${{?}}` and `${{$}}` (policy version 2012-10-17); tools that template `${{...}}` themselves (Terraform, CloudFormation Fn::Sub) need them escaped again.",
                        r.label, r.prefix
                    ),
                ));
            }
        }
        if doc.rules.iter().any(|r| {
            r.source_selection_criteria
                .as_ref()
                .and_then(|s| s.replica_modifications.as_ref())
                .is_some_and(|m| m.is_enabled())
        }) {
            notes.push(Note::new(
                Severity::Info,
                "ReplicaModifications is enabled: for two-way replication configure the mirror rule on the other bucket and generate its policies from that configuration.",
            ));
        }
        if ctx.raw.object_lock.is_none() {
            notes.push(Note::new(
                Severity::Info,
                "Object Lock on the source bucket is unknown: if it is enabled, the role also needs s3:GetObjectRetention and s3:GetObjectLegalHold (set `objectLock` in the deployment context).",
            ));
        }

        // Contradicted facts: the keys' Regions, and bucket names against the context.
        let mut contradicted = false;
        for m in crate::rules::kms::source_key_region::mismatches(ctx) {
            let severity = if any_kms {
                Severity::Error
            } else {
                Severity::Warning
            };
            notes.push(Note::new(severity, m + CONTRADICTED));
            contradicted = true;
        }
        for c in ctx.conflicts() {
            if c.source_bucket || destinations.iter().any(|d| d.bucket == c.bucket) {
                notes.push(Note::new(Severity::Warning, c.message() + CONTRADICTED));
                contradicted = true;
            }
        }

        Plan {
            partition,
            role_arn,
            source_account,
            source_bucket,
            source_region,
            source_keys,
            source_bucket_keys: ctx.raw.source_bucket_keys,
            object_lock: ctx.raw.object_lock,
            batch: ctx.raw.batch_replication == Some(true),
            rules,
            destinations,
            replica_keys,
            notes,
            contradicted,
        }
    }

    pub fn any_kms(&self) -> bool {
        self.rules.iter().any(|r| r.kms)
    }

    pub fn bucket_arn(&self, bucket: &str) -> String {
        format!("arn:{}:s3:::{}", self.partition.text(), bucket)
    }

    pub fn source_bucket_arn(&self) -> String {
        self.bucket_arn(self.source_bucket.text())
    }

    /// Every placeholder used anywhere in the plan's known facts.
    pub fn all_known(&self) -> Vec<&Known> {
        let mut v = vec![
            &self.partition,
            &self.role_arn,
            &self.source_bucket,
            &self.source_region,
        ];
        v.extend(self.source_keys.iter().flat_map(|k| [&k.arn, &k.region]));
        v.extend(self.replica_keys.iter().flat_map(|k| [&k.arn, &k.region]));
        v.extend(self.destinations.iter().map(|d| &d.region));
        v
    }
}

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
fn has_iam_special(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b'*' | b'?' | b'$'))
}

/// Write `*`, `?` and `$` as IAM's literal special-character variables.
fn push_escaped_iam(out: &mut String, s: &str) {
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

/// A destination's facts, from the first rule that names it.
fn dest_plan(
    ctx: &Resolved,
    dest_raw: &str,
    bucket: &str,
    account_element: Option<&str>,
    replica_key_text: Option<&str>,
    source_account: Option<&str>,
    notes: &mut Vec<Note>,
) -> DestPlan {
    let account = ctx
        .destination_account(dest_raw, account_element)
        .map(|f| f.value);
    let key_region = replica_key_text
        .and_then(|k| KmsKeyRef::parse(k).arn().map(|a| a.region.to_string()))
        .filter(|r| !r.is_empty());
    let dest_region = ctx.destination_region(dest_raw).map(|f| f.value);
    let region_from_destination = dest_region.is_some();
    let region = match dest_region.or(key_region) {
        Some(r) => Known::Value(r),
        None => Known::missing(
            format!("${{{}_REGION}}", upper_token(bucket)),
            format!("Region of the destination bucket `{bucket}`"),
            format!("Replace it, or set `destinations.{bucket}.region` {CTX_HOW}."),
        ),
    };
    let cross_account = matches!((&account, source_account), (Some(a), Some(s)) if a != s);
    if account.is_none() {
        notes.push(Note::new(
            Severity::Info,
            format!("The owner of `{bucket}` is unknown, so no destination bucket policy is generated. If another account owns it, set `destinations.{bucket}.account` {CTX_HOW} (or the rule's `Account`)."),
        ));
    }
    let dctx = ctx.destination(dest_raw);
    DestPlan {
        bucket: bucket.to_string(),
        region,
        region_from_destination,
        account,
        cross_account,
        bucket_keys: ctx.destination_bucket_keys(dest_raw),
        default_encryption: dctx.and_then(|d| d.default_encryption.clone()),
    }
}

fn key_plan(
    text: &str,
    partition: &str,
    dest_region: Option<&Known>,
    source_account: Option<&str>,
    dest: Option<usize>,
    notes: &mut Vec<Note>,
    role: &str,
) -> KeyPlan {
    let cross = |acct: &str| source_account.is_some_and(|s| s != acct);
    let short = text.rsplit(['/', ':']).next().unwrap_or(text);
    // Only keys without a usable ARN need a token: build it on demand.
    // A value a template leaves to deployment is written `${expression}`: it is its own token
    // (and names what fills it).
    let token = || match dest {
        _ if text.starts_with("${") && text.ends_with('}') => text.to_string(),
        Some(_) => format!("${{REPLICA_KEY_ARN_{}}}", upper_token(short)),
        None => format!("${{SOURCE_KEY_ARN_{}}}", upper_token(short)),
    };
    let unknown_region = || match dest_region {
        Some(r) => r.clone(),
        None => Known::missing(
            "${SOURCE_REGION}",
            "Region of the source bucket",
            format!("Replace it, or set `sourceRegion` {CTX_HOW}."),
        ),
    };
    if text.starts_with("${") && text.ends_with('}') {
        // Named by the template or module that creates the key; nothing else is known of it.
        return KeyPlan {
            arn: Known::missing(
                token(),
                format!("ARN of the {role} key the code names `{text}`"),
                "It is the key's ARN once deployed; write the code's reference to the key there.",
            ),
            account: None,
            region: unknown_region(),
            cross_account: false,
            dest,
        };
    }
    match KmsKeyRef::parse(text) {
        KmsKeyRef::KeyArn { arn, .. } => KeyPlan {
            arn: Known::Value(text.to_string()),
            account: Some(arn.account.to_string()).filter(|a| !a.is_empty()),
            region: if arn.region.is_empty() {
                unknown_region()
            } else {
                Known::Value(arn.region.to_string())
            },
            cross_account: cross(arn.account),
            dest,
        },
        KmsKeyRef::AliasArn { arn, alias } => {
            notes.push(Note::new(
                Severity::Warning,
                format!("The {role} key is given as the alias `{alias}`: IAM and key policies grant key use on key ARNs, not alias ARNs, so the policies need the ARN of the key behind it."),
            ));
            KeyPlan {
                arn: Known::missing(
                    token(),
                    format!("ARN of the key behind the alias `{text}`"),
                    format!(
                        "Look it up with `aws kms describe-key --key-id {text}` and replace it."
                    ),
                ),
                account: Some(arn.account.to_string()).filter(|a| !a.is_empty()),
                region: if arn.region.is_empty() {
                    unknown_region()
                } else {
                    Known::Value(arn.region.to_string())
                },
                cross_account: cross(arn.account),
                dest,
            }
        }
        KmsKeyRef::BareKeyId(id) => {
            // KMS resolves bare key IDs in the caller's (the role's) account.
            let region = unknown_region();
            let arn = match (region.value(), source_account) {
                (Some(r), Some(a)) => Known::Value(format!("arn:{partition}:kms:{r}:{a}:key/{id}")),
                _ => Known::missing(
                    token(),
                    format!("full ARN of the key `{id}`"),
                    "Use the full key ARN (arn:<partition>:kms:<region>:<account>:key/<id>).",
                ),
            };
            KeyPlan {
                arn,
                account: source_account.map(str::to_string),
                region,
                cross_account: false,
                dest,
            }
        }
        KmsKeyRef::BareAlias(_) | KmsKeyRef::Invalid(_) => KeyPlan {
            arn: Known::missing(
                token(),
                format!("ARN of the {role} key `{text}`"),
                "Use the full key ARN (arn:<partition>:kms:<region>:<account>:key/<id>).",
            ),
            account: None,
            region: unknown_region(),
            cross_account: false,
            dest,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_reduce() {
        assert_eq!(
            reduce_prefixes(["a/", "a/b", "c"]),
            vec!["a/".to_string(), "c".to_string()]
        );
        assert_eq!(reduce_prefixes(["a/", ""]), vec![String::new()]);
        let mut out = String::from("p/");
        push_escaped_iam(&mut out, "x*y?$");
        push_escaped_iam(&mut out, "/plain");
        assert_eq!(out, "p/x${*}y${?}${$}/plain");
    }
}
