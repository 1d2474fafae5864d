//! The objects no enabled rule covers, found by sampling keys and tags the filters name.

use super::wording::{capitalize, join_list};
use super::Item;
use crate::model::Document;
use crate::simulate::docs;

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

pub(super) fn gaps(doc: &Document, items: &[Item]) -> Vec<String> {
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
