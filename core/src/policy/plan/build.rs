//! Building the plan: the role, partition and source facts, each rule's destination and
//! keys, and what the context contradicts.

use super::arns::has_iam_special;
use super::rule_label;
use super::{DestPlan, KeyPlan, Known, Plan, RulePlan};
use crate::arn::{self, Arn, KmsKeyRef};
use crate::context::Resolved;
use crate::diagnostic::Severity;
use crate::fx::{Fx, FxMap};
use crate::model::{Document, SchemaVersion};
use crate::policy::Note;
use std::hash::{Hash, Hasher};

/// A hash of a replica key's identity (equal keys hash equally).
fn key_hash(arn: &Known, dest: Option<usize>) -> u64 {
    let mut h = Fx::default();
    arn.hash(&mut h);
    dest.hash(&mut h);
    h.finish()
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

impl Plan {
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
                                        shape: None,
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
                                shape: None,
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
                        shape: None,
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
                shape: None,
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
        .filter(|r| !r.is_empty() && r != crate::arn::PLACEHOLDER_REGION);
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
    let cross = |acct: &str| {
        source_account.is_some_and(|s| s != acct && crate::arn::is_known_account(acct))
    };
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
            shape: None,
        };
    }
    match KmsKeyRef::parse(text) {
        KmsKeyRef::KeyArn { arn, .. } => KeyPlan {
            arn: Known::Value(text.to_string()),
            account: Some(arn.account.to_string()).filter(|a| crate::arn::is_known_account(a)),
            region: if arn.region.is_empty() || arn.region == crate::arn::PLACEHOLDER_REGION {
                unknown_region()
            } else {
                Known::Value(arn.region.to_string())
            },
            cross_account: cross(arn.account),
            dest,
            shape: None,
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
                account: Some(arn.account.to_string()).filter(|a| crate::arn::is_known_account(a)),
                region: if arn.region.is_empty() || arn.region == crate::arn::PLACEHOLDER_REGION {
                    unknown_region()
                } else {
                    Known::Value(arn.region.to_string())
                },
                cross_account: cross(arn.account),
                dest,
                // KMS authorizes the key behind the alias: a policy grants its use on that
                // key's ARN (or `*`), never on the alias ARN.
                shape: Some(format!(
                    "arn:{}:kms:{}:{}:key/*",
                    if arn.partition.is_empty() {
                        "*"
                    } else {
                        arn.partition
                    },
                    if arn.region.is_empty() || arn.region == crate::arn::PLACEHOLDER_REGION {
                        "*"
                    } else {
                        arn.region
                    },
                    if !crate::arn::is_known_account(arn.account) {
                        "*"
                    } else {
                        arn.account
                    },
                )),
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
                shape: None,
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
            shape: None,
        },
    }
}
