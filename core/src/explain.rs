//! A plain-language account of a whole configuration: one sentence per rule (grouped by
//! destination bucket), the objects no enabled rule covers, and per-destination data that a
//! topology picture can draw (filters, priorities, storage class, keys, RTC, shadowed rules).

use crate::analysis::filter_set::{rule_object_set, ObjectSet};
use crate::context::{Fact, Resolved};
use crate::model::{Document, Rule, SchemaVersion};
use crate::simulate::{
    describe_unanalyzable, destination_facts, destination_keys, docs, precedence, rule_id,
};
use serde::Serialize;

/// The answer of [`explain`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Explanation {
    /// An opening sentence, then one sentence per rule (destination by destination, highest
    /// priority first), then one per rule that cannot be read.
    pub summary: Vec<String>,
    /// What is not replicated: uncovered keys and tags, disabled rules, skipped KMS objects.
    pub gaps: Vec<String>,
    /// The rules grouped by destination bucket, in document order.
    pub destinations: Vec<DestinationGroup>,
}

/// One destination bucket and the rules that send objects to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DestinationGroup {
    /// As written in the first rule naming the bucket.
    pub bucket: String,
    pub name: String,
    pub region: Option<Fact>,
    pub account: Option<Fact>,
    /// Highest priority first.
    pub rules: Vec<RuleEdge>,
}

/// One rule as an edge from the source bucket to its destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleEdge {
    pub id: Option<String>,
    pub index: usize,
    pub priority: Option<i64>,
    pub enabled: bool,
    /// Short description of the objects the filter selects; `None` if it cannot be read.
    pub filter: Option<String>,
    /// `None` = the source object's class.
    pub storage_class: Option<String>,
    /// The rule opts SSE-KMS/DSSE-KMS objects in.
    pub kms_objects: bool,
    pub replica_kms_key_id: Option<String>,
    pub use_source_multi_region_key: bool,
    pub delete_markers: bool,
    pub replica_modifications: bool,
    pub owner_override: bool,
    pub rtc: bool,
    pub metrics: bool,
    /// Index of a higher-priority enabled rule to the same bucket that selects every object
    /// this one does: this rule never applies.
    pub shadowed_by: Option<usize>,
    /// Indexes of higher-priority enabled rules to the same bucket that select some of the
    /// same objects (they win there).
    pub overlapped_by: Vec<usize>,
    pub sentence: String,
}

fn join_list(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}

/// "objects under `logs/` tagged `env=prod` except those under `logs/tmp/`" (lower case).
fn subject(set: &ObjectSet) -> String {
    let mut s = match (set.prefix.is_empty(), set.tags.is_empty()) {
        (true, true) => "all objects".to_string(),
        (true, false) => "objects".to_string(),
        (false, _) => format!("objects under `{}`", set.prefix),
    };
    if !set.tags.is_empty() {
        let tags: Vec<String> = set.tags.iter().map(|(k, v)| format!("`{k}={v}`")).collect();
        s.push_str(" tagged ");
        s.push_str(&join_list(&tags, "and"));
    }
    let mut except: Vec<String> = set
        .excluded_prefixes
        .iter()
        .map(|p| format!("under `{p}`"))
        .collect();
    except.extend(
        set.excluded_tags
            .iter()
            .map(|(k, v)| format!("tagged `{k}={v}`")),
    );
    if !except.is_empty() {
        s.push_str(" except those ");
        s.push_str(&join_list(&except, "or"));
    }
    s
}

/// "`acme-backup` (us-west-2, account 444455556666)".
fn place(name: &str, region: &Option<Fact>, account: &Option<Fact>) -> String {
    let region = region
        .as_ref()
        .map_or("Region unknown".to_string(), |r| r.value.clone());
    match account {
        Some(a) => format!("`{name}` ({region}, account {})", a.value),
        None => format!("`{name}` ({region})"),
    }
}

fn heading(rule: &Rule, index: usize) -> String {
    let label = capitalize(&rule.label(index));
    match rule.priority_value() {
        Some(p) => format!("{label} (priority {p})"),
        None => label,
    }
}

/// What an enabled rule does, as one sentence (without the heading).
fn action(rule: &Rule, set: &ObjectSet, dest: &str, name: &str) -> String {
    let mut s = subject(set);
    if rule.sse_kms_enabled() {
        s.push_str(", including SSE-KMS and DSSE-KMS encrypted ones,");
    }
    s.push_str(" are copied to ");
    s.push_str(dest);
    match rule.storage_class() {
        Some(c) => s.push_str(&format!(" as {c}")),
        None => s.push_str(" in the source object's storage class"),
    }
    if rule.rtc_enabled() {
        s.push_str(" within 15 minutes (S3 RTC)");
    } else if rule.metrics_enabled() {
        s.push_str(" with replication metrics");
    }
    if rule.owner_override() {
        s.push_str(", owned by the destination account");
    }
    if rule.sse_kms_enabled() {
        if rule.use_source_mrk() {
            s.push_str(
                ", KMS-encrypted objects using the multi-Region replica of their source key",
            );
        } else if let Some(k) = rule.replica_kms_key() {
            s.push_str(&format!(
                ", KMS-encrypted objects re-encrypted with key `{k}`"
            ));
        } else {
            s.push_str(", but no replica KMS key is named (S3 rejects that)");
        }
    }
    let dm = match rule.schema_version() {
        Some(SchemaVersion::V1) => {
            "; delete markers from user deletes are copied too (V1 rules always do)"
        }
        _ if rule.copies_delete_markers() => "; delete markers are copied too",
        _ if rule.is_tag_based() => {
            "; delete markers are not copied (tag-based rules never copy them)"
        }
        _ => "; delete markers are not copied",
    };
    s.push_str(dm);
    if rule.replica_modifications() {
        s.push_str(&format!(
            "; metadata changes made to replicas held in the source bucket are copied back to `{name}` (ReplicaModifications)"
        ));
    }
    s
}

struct Item<'a> {
    index: usize,
    rule: &'a Rule,
    set: ObjectSet<'a>,
}

/// Does any enabled rule's filter select this (unencrypted) object?
fn covered(items: &[Item], key: &str, tags: &[(&str, &str)]) -> bool {
    items
        .iter()
        .any(|it| it.rule.is_enabled() && it.set.matches(key, tags))
}

/// A key starting with none of `prefixes` (none of which is empty).
fn key_outside(prefixes: &[&str]) -> Option<String> {
    let candidates = ('a'..='z')
        .chain('0'..='9')
        .chain((0x00C0u32..0x2000).filter_map(char::from_u32));
    candidates
        .take(prefixes.len() + 1)
        .map(|c| c.to_string())
        .find(|k| !prefixes.iter().any(|p| k.starts_with(p)))
}

fn gaps(doc: &Document, items: &[Item]) -> Vec<String> {
    let mut out = Vec::new();
    let enabled: Vec<&Item> = items.iter().filter(|it| it.rule.is_enabled()).collect();
    if enabled.is_empty() {
        out.push("No rule is enabled, so nothing is replicated.".to_string());
    } else {
        // Keys that no enabled rule's prefix reaches.
        let mut prefixes: Vec<&str> = enabled.iter().map(|it| it.set.prefix).collect();
        crate::sort::sort_dedup(&mut prefixes);
        let minimal: Vec<&str> = prefixes
            .iter()
            .copied()
            .filter(|p| !prefixes.iter().any(|q| q != p && p.starts_with(q)))
            .collect();
        if !minimal.contains(&"") && key_outside(&minimal).is_some() {
            let listed: Vec<String> = minimal.iter().map(|p| format!("`{p}`")).collect();
            out.push(format!(
                "Objects outside {} are not replicated.",
                join_list(&listed, "and")
            ));
        }
        // Objects a rule leaves out (missing tags, exclusions) that no other rule takes.
        let mut said: Vec<String> = Vec::new();
        let mut push = |s: String, out: &mut Vec<String>| {
            if !said.contains(&s) {
                said.push(s.clone());
                out.push(s);
            }
        };
        for it in &enabled {
            let set = &it.set;
            let base_key = if set.prefix.is_empty() {
                key_outside(&set.excluded_prefixes)
            } else {
                Some(set.prefix.to_string())
            };
            let Some(base_key) = base_key else { continue };
            let under = if set.prefix.is_empty() {
                "Objects".to_string()
            } else {
                format!("Objects under `{}`", set.prefix)
            };
            if !set.tags.is_empty() && !covered(items, &base_key, &[]) {
                let tags: Vec<String> =
                    set.tags.iter().map(|(k, v)| format!("`{k}={v}`")).collect();
                let lacking = if tags.len() == 1 {
                    format!("without the tag {}", tags.join(""))
                } else {
                    format!("missing any of the tags {}", join_list(&tags, "or"))
                };
                push(format!("{under} {lacking} are not replicated."), &mut out);
            }
            for e in &set.excluded_prefixes {
                if e.starts_with(set.prefix) && !covered(items, e, &set.tags) {
                    push(
                        format!(
                            "Objects under `{e}` are not replicated ({} excludes them).",
                            it.rule.label(it.index)
                        ),
                        &mut out,
                    );
                }
            }
            for t in &set.excluded_tags {
                let mut tags = set.tags.clone();
                tags.push(*t);
                if !covered(items, &base_key, &tags) {
                    push(
                        format!(
                            "{under} tagged `{}={}` are not replicated ({} excludes them).",
                            t.0,
                            t.1,
                            it.rule.label(it.index)
                        ),
                        &mut out,
                    );
                }
            }
        }
        // KMS-encrypted objects.
        let opted: Vec<String> = enabled
            .iter()
            .filter(|it| it.rule.sse_kms_enabled())
            .map(|it| it.rule.label(it.index))
            .collect();
        if opted.is_empty() {
            out.push(format!(
                "SSE-KMS and DSSE-KMS encrypted objects are not replicated: no enabled rule sets `SseKmsEncryptedObjects` to Enabled ({}).",
                docs::KMS
            ));
        } else if opted.len() < enabled.len() {
            let skip: Vec<String> = enabled
                .iter()
                .filter(|it| !it.rule.sse_kms_enabled())
                .map(|it| it.rule.label(it.index))
                .collect();
            out.push(format!(
                "SSE-KMS and DSSE-KMS encrypted objects are skipped by {} (only {} {} them in with `SseKmsEncryptedObjects`; {}).",
                join_list(&skip, "and"),
                join_list(&opted, "and"),
                if opted.len() == 1 { "opts" } else { "opt" },
                docs::KMS
            ));
        }
        // Tags only count at upload time.
        let tagged: Vec<String> = enabled
            .iter()
            .filter(|it| !it.set.tags.is_empty())
            .map(|it| it.rule.label(it.index))
            .collect();
        if !tagged.is_empty() {
            out.push(format!(
                "{} {} by tag: only tags present when an object is uploaded count, so tagging an existing object does not replicate it (use S3 Batch Replication; {}).",
                capitalize(&join_list(&tagged, "and")),
                if tagged.len() == 1 { "selects" } else { "select" },
                docs::BATCH
            ));
        }
    }
    for (i, rule) in doc.rules.iter().enumerate() {
        if !rule.is_enabled() && items.iter().any(|it| it.index == i) {
            out.push(format!(
                "{} is disabled and replicates nothing.",
                capitalize(&rule.label(i))
            ));
        }
    }
    out
}

/// Explain the whole configuration in plain language.
pub fn explain(doc: &Document, ctx: &Resolved) -> Explanation {
    let mut summary = Vec::new();
    let mut invalid: Vec<(usize, String)> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    for (i, rule) in doc.rules.iter().enumerate() {
        match (rule_object_set(rule), rule.destination_bucket()) {
            (Ok(set), Some(_)) => items.push(Item {
                index: i,
                rule,
                set,
            }),
            (Err(u), _) => invalid.push((
                i,
                format!(
                    "{} cannot be interpreted because {}; S3 rejects it.",
                    capitalize(&rule.label(i)),
                    describe_unanalyzable(u)
                ),
            )),
            (Ok(_), None) => invalid.push((
                i,
                format!(
                    "{} names no destination bucket; S3 rejects it.",
                    capitalize(&rule.label(i))
                ),
            )),
        }
    }
    let keys = destination_keys(doc);
    let enabled_count = items.iter().filter(|it| it.rule.is_enabled()).count();

    // Opening sentence.
    let source = match &ctx.source_bucket {
        Some(b) => place(b, &ctx.source_region, &ctx.source_account),
        None => {
            let region = ctx
                .source_region
                .as_ref()
                .map_or("Region unknown".to_string(), |r| r.value.clone());
            match &ctx.source_account {
                Some(a) => format!("this bucket ({region}, account {})", a.value),
                None => format!("this bucket ({region})"),
            }
        }
    };
    let role = doc.role.as_ref().map(|r| r.as_str()).unwrap_or("");
    let version = match doc.rules.first().and_then(Rule::schema_version) {
        Some(SchemaVersion::V1) => " (legacy V1 schema)",
        _ => "",
    };
    let role_text = if role.is_empty() {
        "no role".to_string()
    } else {
        format!("role `{role}`")
    };
    summary.push(format!(
        "Replication from {source} uses {role_text}{version}: {enabled_count} of {} {} enabled, sending objects to {} destination {}.",
        doc.rules.len(),
        if doc.rules.len() == 1 { "rule is" } else { "rules are" },
        keys.len(),
        if keys.len() == 1 { "bucket" } else { "buckets" },
    ));

    let mut destinations = Vec::new();
    for key in &keys {
        let (region, account) = destination_facts(doc, key, ctx);
        let dest = place(key.name, &region, &account);
        let mut group: Vec<&Item> = items
            .iter()
            .filter(|it| key.rules.contains(&it.index))
            .collect();
        crate::sort::sort_by(&mut group, |a, b| {
            precedence((a.index, a.rule), (b.index, b.rule))
        }); // total order
        let mut edges = Vec::new();
        for (pos, it) in group.iter().enumerate() {
            let rule = it.rule;
            let head = heading(rule, it.index);
            let higher: Vec<&&Item> = group[..pos]
                .iter()
                .filter(|h| h.rule.is_enabled())
                .collect();
            let shadowed_by = higher
                .iter()
                .find(|h| {
                    !it.set.is_empty()
                        && it.set.is_subset_of(&h.set)
                        && (h.rule.sse_kms_enabled() || !rule.sse_kms_enabled())
                        && h.rule.priority_value() != rule.priority_value()
                })
                .map(|h| h.index);
            let overlapped_by: Vec<usize> = higher
                .iter()
                .filter(|h| h.set.overlaps(&it.set))
                .map(|h| h.index)
                .collect();
            let sentence = if !rule.is_enabled() {
                format!(
                    "{head} is disabled; if enabled, it would copy {} to {dest}.",
                    subject(&it.set)
                )
            } else if it.set.is_empty() {
                format!(
                    "{head} never applies: its filter ({}) excludes every object it selects.",
                    it.set.describe()
                )
            } else if let Some(s) = shadowed_by.and_then(|s| doc.rules.get(s).map(|r| (s, r))) {
                format!(
                    "{head} never applies: {} has a higher priority, goes to the same bucket and selects every object this rule would copy ({}).",
                    s.1.label(s.0),
                    subject(&it.set)
                )
            } else {
                let mut s = format!(
                    "{head}: {}",
                    capitalize(&action(rule, &it.set, &dest, key.name))
                );
                let over: Vec<String> = overlapped_by
                    .iter()
                    .filter_map(|&o| doc.rules.get(o).map(|r| (o, r)))
                    .map(|(o, r)| {
                        if r.priority_value() == rule.priority_value() {
                            format!("{} (same priority: S3 rejects duplicates)", r.label(o))
                        } else {
                            r.label(o)
                        }
                    })
                    .collect();
                if !over.is_empty() {
                    s.push_str(&format!(
                        "; where {} also {} an object, {} settings apply instead",
                        join_list(&over, "or"),
                        if over.len() == 1 { "selects" } else { "select" },
                        if over.len() == 1 {
                            "that rule's"
                        } else {
                            "the higher-priority rule's"
                        },
                    ));
                }
                s.push('.');
                s
            };
            summary.push(sentence.clone());
            edges.push(RuleEdge {
                id: rule_id(rule),
                index: it.index,
                priority: rule.priority_value(),
                enabled: rule.is_enabled(),
                filter: Some(it.set.describe()),
                storage_class: rule.storage_class().map(str::to_string),
                kms_objects: rule.sse_kms_enabled(),
                replica_kms_key_id: rule.replica_kms_key().map(str::to_string),
                use_source_multi_region_key: rule.use_source_mrk(),
                delete_markers: rule.copies_delete_markers(),
                replica_modifications: rule.replica_modifications(),
                owner_override: rule.owner_override(),
                rtc: rule.rtc_enabled(),
                metrics: rule.metrics_enabled(),
                shadowed_by,
                overlapped_by,
                sentence,
            });
        }
        // Rules to this bucket whose filter cannot be read still appear as edges.
        for &i in &key.rules {
            let Some((_, sentence)) = invalid.iter().find(|(j, _)| *j == i) else {
                continue;
            };
            let Some(rule) = doc.rules.get(i) else {
                continue;
            };
            edges.push(RuleEdge {
                id: rule_id(rule),
                index: i,
                priority: rule.priority_value(),
                enabled: rule.is_enabled(),
                filter: None,
                storage_class: rule.storage_class().map(str::to_string),
                kms_objects: rule.sse_kms_enabled(),
                replica_kms_key_id: rule.replica_kms_key().map(str::to_string),
                use_source_multi_region_key: rule.use_source_mrk(),
                delete_markers: false,
                replica_modifications: rule.replica_modifications(),
                owner_override: rule.owner_override(),
                rtc: rule.rtc_enabled(),
                metrics: rule.metrics_enabled(),
                shadowed_by: None,
                overlapped_by: Vec::new(),
                sentence: sentence.clone(),
            });
        }
        destinations.push(DestinationGroup {
            bucket: key.written.to_string(),
            name: key.name.to_string(),
            region,
            account,
            rules: edges,
        });
    }
    summary.extend(invalid.into_iter().map(|(_, s)| s));
    Explanation {
        summary,
        gaps: gaps(doc, &items),
        destinations,
    }
}

/// Parse `text` (XML or JSON, detected unless `format` is given) and explain it; `None` when
/// the text does not yield a document.
pub fn explain_text(
    text: &str,
    format: Option<crate::model::Format>,
    context: &crate::context::DeploymentContext,
) -> Option<Explanation> {
    let doc = crate::parse(text, format).document?;
    let ctx = Resolved::new(context, &doc);
    Some(explain(&doc, &ctx))
}
