//! The placeholders the documents actually use, in first-use order.

use super::BATCH_BUCKET;
use crate::fx::FxMap;
use crate::policy::plan::{Known, Plan};
use crate::policy::{Placeholder, PolicyDocument};

/// Each placeholder whose token appears in some document, once, in first-use order.
pub(super) fn used_placeholders(plan: &Plan, documents: &[PolicyDocument]) -> Vec<Placeholder> {
    let mut candidates: Vec<Placeholder> = plan
        .all_known()
        .into_iter()
        .filter_map(Known::placeholder)
        .collect();
    candidates.push(Placeholder {
        token: BATCH_BUCKET.to_string(),
        what: "bucket for the Batch Replication manifest and completion report".to_string(),
        how_to_fill:
            "Replace it with the bucket the Batch Operations job uses for its manifest and report."
                .to_string(),
    });
    let mut placeholders: Vec<Placeholder> = Vec::new();
    // A string can hold a token only if it holds the token's first byte: most strings hold
    // none of them and are skipped with one scan (an empty token disables the shortcut).
    let mut firsts: Vec<u8> = candidates
        .iter()
        .filter_map(|c| c.token.bytes().next())
        .collect();
    crate::sort::sort_dedup(&mut firsts);
    let mut is_first = [false; 256];
    for &b in &firsts {
        is_first[usize::from(b)] = true;
    }
    let may_hold_token = |s: &str| match firsts.as_slice() {
        // Tokens all start with `$`: one vectorized byte search.
        [only] => memchr::memchr(*only, s.as_bytes()).is_some(),
        _ => s.bytes().any(|b| is_first[usize::from(b)]),
    };
    let no_empty_token = candidates.iter().all(|c| !c.token.is_empty());
    // The pretty text holds every string of its policy, and JSON escaping keeps every byte
    // but control characters: without a first byte in its text, a document is skipped whole.
    let skip_by_text = no_empty_token && firsts.iter().all(|&b| b >= 0x20);
    // Each token is listed once, for its first candidate: `found` is kept per first
    // candidate, so a found token is not searched for again.
    let mut first: FxMap<&str, usize> = FxMap::default();
    let first_of: Vec<usize> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| *first.entry(c.token.as_str()).or_insert(i))
        .collect();
    let distinct_tokens = first.len();
    let mut found = vec![false; candidates.len()];
    let mut strings = Vec::new();
    'docs: for doc in documents {
        if skip_by_text && !may_hold_token(&doc.text) && !may_hold_token(&doc.attach_to) {
            continue;
        }
        strings.clear();
        doc.policy.strings(&mut strings);
        strings.push(&doc.attach_to);
        for s in &strings {
            if no_empty_token && !may_hold_token(s) {
                continue;
            }
            for (c, &f) in candidates.iter().zip(&first_of) {
                if !found[f] && s.contains(&c.token) {
                    found[f] = true;
                    placeholders.push(c.clone());
                    if placeholders.len() == distinct_tokens {
                        break 'docs;
                    }
                }
            }
        }
    }
    placeholders
}
