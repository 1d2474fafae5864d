//! What the documents ask of the plan, computed once: rules grouped per destination, prefix
//! reduction over any subset of rules, the replica-key facts per destination.

use super::statement::camel;
use crate::fx::FxSet;
use crate::policy::plan::{DestPlan, Plan, RulePlan};
use std::cell::OnceCell;
use std::fmt::Write as _;

/// What a replica key must allow for one destination: Encrypt, plus GenerateDataKey unless
/// the destination defaults to SSE-S3, plus Decrypt unless Bucket Keys are known to be off.
pub(super) struct ReplicaFacts {
    pub(super) actions: Vec<&'static str>,
    /// `; <why>` for each action beyond Encrypt.
    pub(super) why: String,
}

impl ReplicaFacts {
    pub(super) fn new(dest: Option<&DestPlan>) -> ReplicaFacts {
        let mut actions = vec!["kms:Encrypt"];
        let mut why = String::new();
        let default_enc = dest.and_then(|d| d.default_encryption.as_deref());
        let bucket_keys = dest.and_then(|d| d.bucket_keys);
        if !default_enc.is_some_and(|e| e.eq_ignore_ascii_case("SSE-S3")) {
            actions.push("kms:GenerateDataKey");
            why.push_str("; ");
            match default_enc {
                Some(e) => {
                    let _ = write!(why, "kms:GenerateDataKey because the destination's default encryption is {e}: source objects stored unencrypted are encrypted with a new data key (SSE-S3 and KMS-encrypted ones keep their own encryption)");
                }
                None => why.push_str("kms:GenerateDataKey because the destination's default encryption is unknown (needed when it is SSE-KMS or DSSE-KMS)"),
            }
        }
        if bucket_keys != Some(false) {
            actions.push("kms:Decrypt");
            why.push_str("; ");
            why.push_str(match bucket_keys {
                Some(true) => "kms:Decrypt because the destination uses S3 Bucket Keys",
                _ => "kms:Decrypt because the destination may use S3 Bucket Keys (unknown)",
            });
        }
        ReplicaFacts { actions, why }
    }
}

/// Items bucketed by a small key, each bucket in input order (counted, then filled: no per-
/// bucket allocation, and no scan of every item per bucket).
pub(super) struct Groups {
    start: Vec<usize>,
    items: Vec<usize>,
}

impl Groups {
    /// `pairs` yields (group, item); groups at or past `n` are dropped.
    pub(super) fn new(n: usize, pairs: impl Iterator<Item = (usize, usize)> + Clone) -> Groups {
        let mut start = vec![0usize; n + 1];
        for (g, _) in pairs.clone().filter(|&(g, _)| g < n) {
            start[g + 1] += 1;
        }
        for g in 0..n {
            start[g + 1] += start[g];
        }
        let mut fill = start.clone();
        let mut items = vec![0; start[n]];
        for (g, item) in pairs.filter(|&(g, _)| g < n) {
            items[fill[g]] = item;
            fill[g] += 1;
        }
        Groups { start, items }
    }

    pub(super) fn get(&self, g: usize) -> &[usize] {
        match (self.start.get(g), self.start.get(g + 1)) {
            (Some(&a), Some(&b)) => &self.items[a..b],
            _ => &[],
        }
    }
}

/// Every distinct rule prefix, sorted once: a subset's sorted, deduplicated prefixes are
/// then its ranks in order, found without comparing strings.
pub(super) struct PrefixIndex<'p> {
    sorted: Vec<&'p str>,
    /// Position in `sorted` of each rule's prefix (0 for empty ones, which are not indexed).
    rank: Vec<usize>,
}

impl<'p> PrefixIndex<'p> {
    pub(super) fn new(rules: &'p [RulePlan]) -> PrefixIndex<'p> {
        // The first 16 bytes (zero-padded, big-endian) order prefixes as strings do unless
        // they are equal; only then are the strings compared.
        let head = |p: &str| {
            let mut a = [0u8; 16];
            let n = p.len().min(16);
            a[..n].copy_from_slice(&p.as_bytes()[..n]);
            u128::from_be_bytes(a)
        };
        let prefix = |i: usize| rules[i].prefix.as_str();
        // Subsets with an empty prefix never get here (it covers the rest): leave them out.
        let mut order: Vec<(u128, usize)> = (0..rules.len())
            .filter(|&i| !prefix(i).is_empty())
            .map(|i| (head(prefix(i)), i))
            .collect();
        crate::sort::sort_by(&mut order, |a, b| {
            a.0.cmp(&b.0).then_with(|| prefix(a.1).cmp(prefix(b.1)))
        });
        let mut sorted: Vec<&str> = Vec::with_capacity(rules.len());
        let mut rank = vec![0; rules.len()];
        let mut last: Option<(u128, &str)> = None;
        for (h, i) in order {
            let p = prefix(i);
            if !last.is_some_and(|(lh, lp)| lh == h && lp == p) {
                sorted.push(p);
                last = Some((h, p));
            }
            rank[i] = sorted.len() - 1;
        }
        PrefixIndex { sorted, rank }
    }
}

/// Reduced prefixes; a single one (the common case) needs no allocation.
pub(super) enum Prefixes<'p> {
    One(&'p str),
    Many(Vec<&'p str>),
}

impl<'p> std::ops::Deref for Prefixes<'p> {
    type Target = [&'p str];

    fn deref(&self) -> &[&'p str] {
        match self {
            Prefixes::One(p) => std::slice::from_ref(p),
            Prefixes::Many(v) => v,
        }
    }
}

/// What the generator looks up again and again, worked out once per call.
pub(super) struct Gen<'p> {
    plan: &'p Plan,
    /// No two rules share a label, so joining labels needs no deduplication.
    labels_unique: bool,
    prefixes: OnceCell<PrefixIndex<'p>>,
    /// Per destination: its bucket ARN, its Sid suffix, what its replica keys must allow.
    pub(super) dest_arns: Vec<String>,
    pub(super) dest_camel: Vec<String>,
    replica: Vec<OnceCell<ReplicaFacts>>,
}

impl<'p> Gen<'p> {
    pub(super) fn new(plan: &'p Plan) -> Gen<'p> {
        let labels_unique = plan.rules.len() < 2 || {
            let mut seen: FxSet<&str> = FxSet::default();
            seen.reserve(plan.rules.len());
            plan.rules.iter().all(|r| seen.insert(r.label.as_str()))
        };
        Gen {
            plan,
            labels_unique,
            prefixes: OnceCell::new(),
            dest_arns: plan
                .destinations
                .iter()
                .map(|d| plan.bucket_arn(&d.bucket))
                .collect(),
            dest_camel: plan.destinations.iter().map(|d| camel(&d.bucket)).collect(),
            replica: plan.destinations.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    pub(super) fn rule(&self, r: usize) -> &'p RulePlan {
        &self.plan.rules[r]
    }

    /// The rules' labels ("rule `a`, rule `b`"), then `tail`, in one allocation.
    pub(super) fn reason(&self, rules: &[usize], tail: &[&str]) -> String {
        let len = rules
            .iter()
            .map(|&r| self.rule(r).label.len() + 2)
            .sum::<usize>()
            + tail.iter().map(|t| t.len()).sum::<usize>();
        let mut out = String::with_capacity(len);
        self.push_labels(&mut out, rules);
        for t in tail {
            out.push_str(t);
        }
        out
    }

    /// "rule `a`, rule `b`" from the rules' labels, each label once.
    pub(super) fn push_labels(&self, out: &mut String, rules: &[usize]) {
        let mut seen: FxSet<&str> = FxSet::default();
        let mut first = true;
        for &r in rules {
            let label = self.rule(r).label.as_str();
            if self.labels_unique || seen.insert(label) {
                if !first {
                    out.push_str(", ");
                }
                first = false;
                out.push_str(label);
            }
        }
    }

    /// The rules' prefixes as [`reduce_prefixes`](super::plan::reduce_prefixes) gives them:
    /// sorted, deduplicated, without those a shorter one covers.
    pub(super) fn reduce(&self, rules: &[usize]) -> Prefixes<'p> {
        let prefix = |r: usize| self.rule(r).prefix.as_str();
        // "" covers every key.
        if rules.iter().any(|&r| prefix(r).is_empty()) {
            return Prefixes::One("");
        }
        if let [one] = rules {
            return Prefixes::One(prefix(*one));
        }
        // A few prefixes are sorted directly; more go through the ranks of all of them.
        if rules.len() <= 8 {
            let mut few: Vec<&str> = rules.iter().map(|&r| prefix(r)).collect();
            crate::sort::sort_dedup(&mut few);
            return Prefixes::Many(drop_covered(few));
        }
        let index = self
            .prefixes
            .get_or_init(|| PrefixIndex::new(&self.plan.rules));
        let mut ranks: Vec<usize> = Vec::with_capacity(rules.len());
        if rules.len() * 8 >= index.sorted.len() {
            let mut member = vec![false; index.sorted.len()];
            for &r in rules {
                if let Some(m) = index.rank.get(r).and_then(|&i| member.get_mut(i)) {
                    *m = true;
                }
            }
            ranks.extend((0..member.len()).filter(|&i| member[i]));
        } else {
            ranks.extend(rules.iter().filter_map(|&r| index.rank.get(r)));
            crate::sort::sort_dedup(&mut ranks);
        }
        Prefixes::Many(drop_covered(
            ranks
                .into_iter()
                .filter_map(|i| index.sorted.get(i).copied()),
        ))
    }

    pub(super) fn replica(&self, d: usize) -> &ReplicaFacts {
        self.replica[d].get_or_init(|| ReplicaFacts::new(self.plan.destinations.get(d)))
    }
}

/// Of sorted, distinct prefixes, those no shorter one covers. Sorted, a prefix that extends a
/// kept one comes after it with only extensions of it in between, none of which is kept:
/// checking the last kept prefix is enough.
pub(super) fn drop_covered<'a>(sorted: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for p in sorted {
        if !out.last().is_some_and(|kept| p.starts_with(kept)) {
            out.push(p);
        }
    }
    out
}
