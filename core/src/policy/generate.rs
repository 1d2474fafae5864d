//! Builds the policy documents from a [`Plan`].

use super::json::Json;
use super::plan::{object_arn, DestPlan, Known, Plan, RulePlan};
use super::{DocumentKind, Note, Placeholder, PolicyDocument, PolicySet, StatementInfo};
use crate::diagnostic::Severity;
use crate::fx::{Fx, FxMap, FxSet};
use std::cell::OnceCell;
use std::fmt::Write as _;
use std::hash::{BuildHasher, BuildHasherDefault};

pub(crate) const POLICY_VERSION: &str = "2012-10-17";
pub(crate) const S3_SERVICE: &str = "s3.amazonaws.com";
pub(crate) const BATCH_SERVICE: &str = "batchoperations.s3.amazonaws.com";
const BATCH_BUCKET: &str = "${BATCH_REPORT_BUCKET}";

/// One statement under construction.
struct Stmt {
    sid: String,
    reason: String,
    principal: Option<Json>,
    actions: Json,
    /// A string, or an array of them (one element is written as the string alone).
    resource: Json,
    condition: Option<Json>,
}

impl Stmt {
    fn new(
        sid: impl Into<String>,
        reason: impl Into<String>,
        actions: &[&'static str],
        resource: Json,
    ) -> Stmt {
        Stmt {
            sid: sid.into(),
            reason: reason.into(),
            principal: None,
            actions: Json::lits(actions),
            resource,
            condition: None,
        }
    }
    fn principal(mut self, p: Json) -> Stmt {
        self.principal = Some(p);
        self
    }
    fn condition(mut self, c: Json) -> Stmt {
        self.condition = Some(c);
        self
    }
    fn into_json(self) -> Json {
        let mut m: Vec<(&'static str, Json)> = Vec::with_capacity(6);
        m.push(("Sid", Json::str(self.sid)));
        m.push(("Effect", Json::lit("Allow")));
        if let Some(p) = self.principal {
            m.push(("Principal", p));
        }
        m.push(("Action", self.actions));
        // IAM accepts a single resource as a string or a one-element array: the string reads
        // better.
        let resource = match self.resource {
            Json::Arr(mut items) if items.len() == 1 => {
                items.pop().unwrap_or(Json::Arr(Vec::new()))
            }
            r => r,
        };
        m.push(("Resource", resource));
        if let Some(c) = self.condition {
            m.push(("Condition", c));
        }
        Json::obj(m)
    }
}

fn document(
    kind: DocumentKind,
    title: String,
    attach_to: String,
    how_to_apply: String,
    id: Option<&str>,
    stmts: impl IntoIterator<Item = Stmt, IntoIter: ExactSizeIterator>,
) -> PolicyDocument {
    let stmts = stmts.into_iter();
    let track = stmts.len() > 1;
    let mut infos: Vec<StatementInfo> = Vec::with_capacity(stmts.len());
    let mut json_stmts = Vec::with_capacity(stmts.len());
    // Sids must be unique: the second `X` becomes `X2`, the next free `X<n>` after that. Per
    // base Sid, the last number tried is remembered (every smaller one is taken for good).
    // The Sids taken are those in `infos`, found through a hash of each (no copies); a lone
    // statement needs none of this.
    let hasher = BuildHasherDefault::<Fx>::default();
    let mut taken: FxMap<u64, usize> = FxMap::default();
    let mut next: FxMap<String, usize> = FxMap::default();
    let is_taken = |taken: &FxMap<u64, usize>, infos: &[StatementInfo], sid: &str| {
        match taken.get(&hasher.hash_one(sid)) {
            None => false,
            Some(&i) if infos[i].sid == sid => true,
            // Two Sids with one hash (rare): compare them all.
            Some(_) => infos.iter().any(|info| info.sid == sid),
        }
    };
    for mut s in stmts {
        if track && is_taken(&taken, &infos, &s.sid) {
            // The number goes after the base in the same string.
            let base = s.sid.len();
            let mut n = next.get(s.sid.as_str()).copied().unwrap_or(2);
            loop {
                s.sid.truncate(base);
                // Writing to a String cannot fail.
                let _ = write!(s.sid, "{n}");
                n += 1;
                if !is_taken(&taken, &infos, &s.sid) {
                    break;
                }
            }
            let base = s.sid.get(..base).unwrap_or_default();
            match next.get_mut(base) {
                Some(slot) => *slot = n,
                None => {
                    next.insert(base.to_string(), n);
                }
            }
        }
        if track {
            taken.entry(hasher.hash_one(&s.sid)).or_insert(infos.len());
        }
        infos.push(StatementInfo {
            sid: s.sid.clone(),
            reason: std::mem::take(&mut s.reason),
        });
        json_stmts.push(s.into_json());
    }
    let mut top: Vec<(&'static str, Json)> = Vec::with_capacity(3);
    top.push(("Version", Json::lit(POLICY_VERSION)));
    if let Some(id) = id {
        top.push(("Id", Json::str(id)));
    }
    top.push(("Statement", Json::Arr(json_stmts)));
    let policy = Json::obj(top);
    let text = policy.to_pretty();
    PolicyDocument {
        kind,
        title,
        attach_to,
        how_to_apply,
        policy,
        text,
        statements: infos,
    }
}

/// The strings joined, allocated once.
fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// `AcmeBackupUsw2` from `acme-backup-usw2` (Sids allow only ASCII letters and digits).
pub(crate) fn camel(s: &str) -> String {
    let mut out = String::new();
    for part in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = part.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    out.truncate(48);
    out
}

fn via_service(region: &Known) -> String {
    cat(&["s3.", region.text(), ".amazonaws.com"])
}

/// The `aws:s3:arn` encryption-context values S3 uses for a bucket: object ARNs normally,
/// the bucket ARN with S3 Bucket Keys; both when unknown.
fn context_values(bucket_arn: &str, prefixes: &[&str], bucket_keys: Option<bool>) -> Json {
    let mut v = Vec::new();
    if bucket_keys != Some(true) {
        v = object_arns(bucket_arn, prefixes);
    }
    if bucket_keys != Some(false) {
        v.push(Json::str(bucket_arn));
    }
    Json::Arr(v)
}

/// `<bucket ARN>/<prefix>*` for each prefix (already reduced).
fn object_arns(bucket_arn: &str, prefixes: &[&str]) -> Vec<Json> {
    prefixes
        .iter()
        .map(|p| Json::str(object_arn(bucket_arn, p)))
        .collect()
}

fn bucket_keys_phrase(bucket_keys: Option<bool>, which: &str) -> String {
    match bucket_keys {
        Some(true) => format!("{which} uses S3 Bucket Keys, so the encryption context is the bucket ARN"),
        Some(false) => format!("{which} does not use S3 Bucket Keys, so the encryption context is the object ARN"),
        None => format!("whether {which} uses S3 Bucket Keys is unknown, so both the object ARNs and the bucket ARN are listed"),
    }
}

fn kms_condition(op: &'static str, region: &Known, context: Option<Json>) -> Json {
    let mut inner = Vec::with_capacity(2);
    inner.push(("kms:ViaService", Json::str(via_service(region))));
    if let Some(ctx) = context {
        inner.push(("kms:EncryptionContext:aws:s3:arn", ctx));
    }
    Json::obj(vec![(op, Json::obj(inner))])
}

/// What a replica key must allow for one destination: Encrypt, plus GenerateDataKey unless
/// the destination defaults to SSE-S3, plus Decrypt unless Bucket Keys are known to be off.
struct ReplicaFacts {
    actions: Vec<&'static str>,
    /// `; <why>` for each action beyond Encrypt.
    why: String,
}

impl ReplicaFacts {
    fn new(dest: Option<&DestPlan>) -> ReplicaFacts {
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
struct Groups {
    start: Vec<usize>,
    items: Vec<usize>,
}

impl Groups {
    /// `pairs` yields (group, item); groups at or past `n` are dropped.
    fn new(n: usize, pairs: impl Iterator<Item = (usize, usize)> + Clone) -> Groups {
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

    fn get(&self, g: usize) -> &[usize] {
        match (self.start.get(g), self.start.get(g + 1)) {
            (Some(&a), Some(&b)) => &self.items[a..b],
            _ => &[],
        }
    }
}

/// Every distinct rule prefix, sorted once: a subset's sorted, deduplicated prefixes are
/// then its ranks in order, found without comparing strings.
struct PrefixIndex<'p> {
    sorted: Vec<&'p str>,
    /// Position in `sorted` of each rule's prefix (0 for empty ones, which are not indexed).
    rank: Vec<usize>,
}

impl<'p> PrefixIndex<'p> {
    fn new(rules: &'p [RulePlan]) -> PrefixIndex<'p> {
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
enum Prefixes<'p> {
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
struct Gen<'p> {
    plan: &'p Plan,
    /// No two rules share a label, so joining labels needs no deduplication.
    labels_unique: bool,
    prefixes: OnceCell<PrefixIndex<'p>>,
    /// Per destination: its bucket ARN, its Sid suffix, what its replica keys must allow.
    dest_arns: Vec<String>,
    dest_camel: Vec<String>,
    replica: Vec<OnceCell<ReplicaFacts>>,
}

impl<'p> Gen<'p> {
    fn new(plan: &'p Plan) -> Gen<'p> {
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

    fn rule(&self, r: usize) -> &'p RulePlan {
        &self.plan.rules[r]
    }

    /// The rules' labels ("rule `a`, rule `b`"), then `tail`, in one allocation.
    fn reason(&self, rules: &[usize], tail: &[&str]) -> String {
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
    fn push_labels(&self, out: &mut String, rules: &[usize]) {
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
    fn reduce(&self, rules: &[usize]) -> Prefixes<'p> {
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

    fn replica(&self, d: usize) -> &ReplicaFacts {
        self.replica[d].get_or_init(|| ReplicaFacts::new(self.plan.destinations.get(d)))
    }
}

/// Of sorted, distinct prefixes, those no shorter one covers. Sorted, a prefix that extends a
/// kept one comes after it with only extensions of it in between, none of which is kept:
/// checking the last kept prefix is enough.
fn drop_covered<'a>(sorted: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for p in sorted {
        if !out.last().is_some_and(|kept| p.starts_with(kept)) {
            out.push(p);
        }
    }
    out
}

pub(crate) fn generate(mut plan: Plan) -> PolicySet {
    let mut notes: Vec<Note> = std::mem::take(&mut plan.notes);
    let plan = &plan;
    let g = Gen::new(plan);
    // At most: role, trust, one per key and per destination, batch.
    let mut documents = Vec::with_capacity(
        3 + plan.source_keys.len() + plan.replica_keys.len() + plan.destinations.len(),
    );
    let role = plan.role_arn.text();
    let src_arn = plan.source_bucket_arn();
    let all_rules: Vec<usize> = (0..plan.rules.len()).collect();
    let all_prefixes = g.reduce(&all_rules);
    let by_dest = Groups::new(
        plan.destinations.len(),
        plan.rules.iter().enumerate().map(|(i, r)| (r.dest, i)),
    );

    // Role permissions.
    // At most: three source statements, four per destination, one per key.
    let mut role_stmts =
        Vec::with_capacity(4 + 4 * plan.destinations.len() + plan.replica_keys.len());
    if !plan.rules.is_empty() {
        let all_labels = g.reason(&all_rules, &[]);
        role_stmts.push(Stmt::new(
            "SourceBucketConfig",
            cat(&[&all_labels, ": S3 reads the replication configuration and lists the source bucket's versions (ListBucket is needed for delete markers)"]),
            &["s3:GetReplicationConfiguration", "s3:ListBucket"],
            Json::str(src_arn.as_str()),
        ));
        let src_objects = Json::Arr(object_arns(&src_arn, &all_prefixes));
        let lock_objects = (plan.object_lock == Some(true)).then(|| src_objects.clone());
        role_stmts.push(Stmt::new(
            "SourceObjectVersions",
            cat(&[&all_labels, ": read each object version to replicate, its ACL and its tags (GetObjectVersionForReplication also covers SSE-KMS objects, GetObjectVersion does not)"]),
            &["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            src_objects,
        ));
        if let Some(objects) = lock_objects {
            role_stmts.push(Stmt::new(
                "SourceObjectLock",
                "the source bucket uses Object Lock (deployment context): S3 reads retention and legal hold to copy them to the replicas",
                &["s3:GetObjectRetention", "s3:GetObjectLegalHold"],
                objects,
            ));
        }
    }
    for (d, dest) in plan.destinations.iter().enumerate() {
        // Group this destination's rules by the action set they need.
        let mut groups: Vec<((bool, bool), Vec<usize>)> = Vec::new();
        for &r in by_dest.get(d) {
            let rule = g.rule(r);
            let key = (rule.delete_markers, rule.owner_override);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(r),
                None => groups.push((key, vec![r])),
            }
        }
        let several = groups.len() > 1;
        for ((dm, oo), rules) in groups {
            let mut actions = vec!["s3:ReplicateObject"];
            let mut reason = g.reason(
                &rules,
                &[
                    " replicate to `",
                    &dest.bucket,
                    "`: write replicas and their tags",
                ],
            );
            if dm {
                actions.push("s3:ReplicateDelete");
                reason.push_str("; replicate delete markers (V1 rules always do; V2 rules with DeleteMarkerReplication Enabled)");
            }
            actions.push("s3:ReplicateTags");
            if oo {
                actions.push("s3:ObjectOwnerOverrideToBucketOwner");
                reason.push_str(
                    "; make the destination owner own the replicas (AccessControlTranslation)",
                );
            }
            role_stmts.push(Stmt::new(
                cat(&[
                    "ReplicateTo",
                    &g.dest_camel[d],
                    if several && dm { "WithDeletes" } else { "" },
                    if several && oo {
                        "WithOwnerOverride"
                    } else {
                        ""
                    },
                ]),
                reason,
                &actions,
                Json::Arr(object_arns(&g.dest_arns[d], &g.reduce(&rules))),
            ));
        }
    }
    let kms_rules: Vec<usize> = all_rules
        .iter()
        .copied()
        .filter(|&r| g.rule(r).kms)
        .collect();
    if !kms_rules.is_empty() {
        let prefixes = g.reduce(&kms_rules);
        let keys: Vec<Json> = plan
            .source_keys
            .iter()
            .map(|k| Json::str(k.arn.text()))
            .collect();
        role_stmts.push(
            Stmt::new(
                "DecryptSourceObjects",
                g.reason(&kms_rules, &[
                    " replicate SSE-KMS objects (SseKmsEncryptedObjects): S3 decrypts them with the source key, called through S3 in ",
                    plan.source_region.text(),
                    "; ",
                    &bucket_keys_phrase(plan.source_bucket_keys, "the source bucket"),
                ]),
                &["kms:Decrypt"],
                Json::Arr(keys),
            )
            .condition(kms_condition(
                "StringLike",
                &plan.source_region,
                Some(context_values(&src_arn, &prefixes, plan.source_bucket_keys)),
            )),
        );
        let by_key = Groups::new(
            plan.replica_keys.len(),
            kms_rules
                .iter()
                .filter_map(|&r| g.rule(r).replica_key.map(|k| (k, r))),
        );
        let mut phrases: Vec<Option<String>> = vec![None; plan.destinations.len()];
        for (k, key) in plan.replica_keys.iter().enumerate() {
            let rules = by_key.get(k);
            if rules.is_empty() {
                continue;
            }
            let Some((d, dest)) = key
                .dest
                .and_then(|d| plan.destinations.get(d).map(|dest| (d, dest)))
            else {
                continue;
            };
            let facts = g.replica(d);
            let phrase = phrases[d]
                .get_or_insert_with(|| bucket_keys_phrase(dest.bucket_keys, "the destination"));
            role_stmts.push(
                Stmt::new(
                    cat(&["EncryptReplicasIn", &g.dest_camel[d]]),
                    g.reason(
                        rules,
                        &[
                            " encrypt replicas in `",
                            &dest.bucket,
                            "` with this key, called through S3 in ",
                            dest.region.text(),
                            "; ",
                            phrase,
                            &facts.why,
                        ],
                    ),
                    &facts.actions,
                    Json::str(key.arn.text()),
                )
                .condition(kms_condition(
                    "StringLike",
                    plan.replica_key_region(key),
                    Some(context_values(
                        &g.dest_arns[d],
                        &g.reduce(rules),
                        dest.bucket_keys,
                    )),
                )),
            );
        }
    }
    if !role_stmts.is_empty() {
        documents.push(document(
            DocumentKind::RolePermissions,
            "Replication role permissions".to_string(),
            role.to_string(),
            "Attach as an inline or customer managed policy to the replication role.".to_string(),
            None,
            role_stmts,
        ));
    }

    // Trust policy.
    let (principal, reason) = if plan.batch {
        (
            Json::obj(vec![("Service", Json::lits(&[S3_SERVICE, BATCH_SERVICE]))]),
            "S3 assumes the role for live replication; S3 Batch Operations assumes it for Batch Replication (deployment context)",
        )
    } else {
        (
            Json::obj(vec![("Service", Json::lit(S3_SERVICE))]),
            "S3 assumes the role to replicate objects (without this every object fails with AssumeRoleNotPermitted)",
        )
    };
    let trust_stmt = Stmt::new(
        "AllowS3ToAssumeRole",
        reason,
        &["sts:AssumeRole"],
        Json::Arr(Vec::new()),
    )
    .principal(principal);
    documents.push(trust_document(role, trust_stmt));
    if plan.partition.value() == Some("aws-cn") {
        notes.push(Note::new(
            Severity::Info,
            "aws-cn: the trust principal is written as s3.amazonaws.com; no source confirms whether the China Regions need another form.",
        ));
    }

    // KMS key policies: every source key, and replica keys owned by another account.
    for key in &plan.source_keys {
        let reason = if key.cross_account {
            format!(
                "the key belongs to account {}, not the role's: its owner must let the role decrypt source objects",
                key.account.as_deref().unwrap_or("?")
            )
        } else {
            "needed only if this key's policy does not delegate to IAM (no statement for the account root); then the role's own kms:Decrypt permission is not enough".to_string()
        };
        let stmt = Stmt::new(
            "AllowReplicationRoleToDecrypt",
            reason,
            &["kms:Decrypt"],
            Json::lit("*"),
        )
        .principal(Json::obj(vec![("AWS", Json::str(role))]))
        .condition(kms_condition("StringEquals", &key.region, None));
        documents.push(document(
            DocumentKind::KmsKeyPolicy,
            cat(&["Key policy statement for the source key ", key.arn.text()]),
            key.arn.text().to_string(),
            "Add this statement to the key's existing key policy (do not replace the policy: that would remove the key administrators).".to_string(),
            None,
            [stmt],
        ));
    }
    let mut seen: FxSet<&str> = FxSet::default();
    for key in plan.replica_keys.iter().filter(|k| k.cross_account) {
        if !seen.insert(key.arn.text()) {
            continue;
        }
        let uncached;
        let facts = match key.dest.filter(|&d| d < plan.destinations.len()) {
            Some(d) => g.replica(d),
            None => {
                uncached = ReplicaFacts::new(None);
                &uncached
            }
        };
        let account = key.account.as_deref().unwrap_or("?");
        let stmt = Stmt::new(
            "AllowSourceReplicationRole",
            cat(&[
                "the replica key belongs to account ",
                account,
                ": its owner must let the source role use it (the role's own policy is needed too)",
                &facts.why,
            ]),
            &facts.actions,
            Json::lit("*"),
        )
        .principal(Json::obj(vec![("AWS", Json::str(role))]))
        .condition(kms_condition(
            "StringEquals",
            plan.replica_key_region(key),
            None,
        ));
        documents.push(document(
            DocumentKind::KmsKeyPolicy,
            cat(&["Key policy statement for the replica key ", key.arn.text()]),
            key.arn.text().to_string(),
            cat(&[
                "In account ",
                account,
                ", add this statement to the key's existing key policy (a customer managed key: AWS managed keys cannot be used across accounts).",
            ]),
            None,
            [stmt],
        ));
    }

    // Destination bucket policies (cross-account).
    for (d, dest) in plan.destinations.iter().enumerate() {
        if !dest.cross_account {
            continue;
        }
        let rules = by_dest.get(d);
        let role_principal = Json::obj(vec![("AWS", Json::str(role))]);
        let mut actions = vec!["s3:ReplicateObject"];
        let dm: Vec<usize> = rules
            .iter()
            .copied()
            .filter(|&r| g.rule(r).delete_markers)
            .collect();
        let mut reason = g.reason(
            rules,
            &[
                " replicate into this bucket from account ",
                plan.source_account.as_deref().unwrap_or("?"),
            ],
        );
        if !dm.is_empty() {
            actions.push("s3:ReplicateDelete");
            reason.push_str("; ");
            g.push_labels(&mut reason, &dm);
            reason.push_str(" replicate delete markers");
        }
        actions.push("s3:ReplicateTags");
        reason.push_str("; object tags replicate");
        let dest_arn = &g.dest_arns[d];
        let mut stmts = vec![
            Stmt::new("ReplicationRoleObjects", reason, &actions, Json::Arr(object_arns(dest_arn, &g.reduce(rules)))).principal(role_principal.clone()),
            Stmt::new(
                "ReplicationRoleBucket",
                "bucket-level reads for the replication role (S3 checks the destination's versioning). AWS's example also grants s3:List* and s3:PutBucketVersioning: replication needs neither, List* names actions that do not apply to buckets, and PutBucketVersioning would let the source account suspend versioning here",
                &["s3:ListBucket", "s3:GetBucketVersioning"],
                Json::str(dest_arn.as_str()),
            )
            .principal(role_principal),
        ];
        let oo: Vec<usize> = rules
            .iter()
            .copied()
            .filter(|&r| g.rule(r).owner_override)
            .collect();
        if !oo.is_empty() {
            if let Some(acct) = &plan.source_account {
                stmts.push(
                    Stmt::new(
                        "AllowReplicaOwnershipChange",
                        g.reason(&oo, &[" set AccessControlTranslation Owner=Destination: the source account may hand replica ownership to this bucket's owner"]),
                        &["s3:ObjectOwnerOverrideToBucketOwner"],
                        Json::Arr(object_arns(dest_arn, &g.reduce(&oo))),
                    )
                    .principal(Json::obj(vec![("AWS", Json::str(acct))])),
                );
            }
        }
        documents.push(document(
            DocumentKind::DestinationBucketPolicy,
            cat(&["Bucket policy for the destination bucket ", &dest.bucket]),
            dest_arn.clone(),
            cat(&[
                "In account ",
                dest.account.as_deref().unwrap_or("?"),
                ", merge these statements into the bucket policy of `",
                &dest.bucket,
                "`. IAM stores the role's unique ID: if the role is deleted and re-created, save the bucket policy again.",
            ]),
            Some("PolicyForDestinationBucket"),
            stmts,
        ));
    }

    // Batch Replication additions.
    if plan.batch && !plan.rules.is_empty() {
        let stmts = vec![
            Stmt::new(
                "BatchInitiateReplication",
                "Batch Replication (deployment context): the job replicates existing objects under the rules' prefixes",
                &["s3:InitiateReplication"],
                Json::Arr(object_arns(&src_arn, &all_prefixes)),
            ),
            Stmt::new(
                "BatchGenerateManifest",
                "Batch Replication with an S3-generated manifest: the job reads the replication configuration and creates an inventory configuration on the source bucket",
                &["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"],
                Json::str(src_arn.as_str()),
            ),
            Stmt::new(
                "BatchManifestAndReport",
                "Batch Replication: the job reads its manifest and writes the generated manifest and the completion report",
                &["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
                Json::str(format!("{}/*", plan.bucket_arn(BATCH_BUCKET))),
            ),
        ];
        documents.push(document(
            DocumentKind::BatchReplication,
            "Batch Replication additions for the replication role".to_string(),
            role.to_string(),
            "Attach as a second policy to the replication role (the trust policy above already names Batch Operations).".to_string(),
            None,
            stmts,
        ));
    }

    // Whoever applies the configuration (a CI role, an operator) needs the bucket permission
    // and iam:PassRole on the role. Not limited with iam:PassedToService: whether S3 sets that
    // key when it takes the role is not confirmed, and a wrong guess would deny the call.
    documents.push(document(
        DocumentKind::Deployer,
        "Permissions to apply this configuration".to_string(),
        "the IAM user or role that calls PutBucketReplication (for example a CI role)".to_string(),
        "Attach to the principal that runs put-bucket-replication (or your infrastructure tool); it is not the replication role.".to_string(),
        None,
        [
            Stmt::new(
                "ApplyReplicationConfiguration",
                "PutBucketReplication stores the configuration on the source bucket; GetBucketReplication reads it back",
                &["s3:PutReplicationConfiguration", "s3:GetReplicationConfiguration"],
                Json::str(src_arn.as_str()),
            ),
            Stmt::new(
                "PassReplicationRole",
                "S3 accepts the configuration only if the caller may pass its Role (iam:PassRole)",
                &["iam:PassRole"],
                Json::str(role),
            ),
        ],
    ));

    // Placeholders actually used, in first-use order.
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
    'docs: for doc in &documents {
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
    if plan.rules.is_empty() {
        notes.push(Note::new(
            Severity::Warning,
            "The configuration has no usable rule, so there is nothing to grant.",
        ));
    }
    PolicySet {
        complete: placeholders.is_empty() && !plan.rules.is_empty() && !plan.contradicted,
        documents,
        placeholders,
        notes,
    }
}

fn trust_document(role: &str, stmt: Stmt) -> PolicyDocument {
    // The trust statement has no Resource: build it by hand.
    let json = Json::obj(vec![
        ("Sid", Json::str(&stmt.sid)),
        ("Effect", Json::str("Allow")),
        (
            "Principal",
            stmt.principal.clone().unwrap_or_else(|| Json::Obj(vec![])),
        ),
        ("Action", Json::str("sts:AssumeRole")),
    ]);
    let policy = Json::obj(vec![
        ("Version", Json::str(POLICY_VERSION)),
        ("Statement", Json::Arr(vec![json])),
    ]);
    PolicyDocument {
        kind: DocumentKind::Trust,
        title: "Replication role trust policy".to_string(),
        attach_to: role.to_string(),
        how_to_apply: "Set as the role's trust (assume role) policy.".to_string(),
        text: policy.to_pretty(),
        policy,
        statements: vec![StatementInfo {
            sid: stmt.sid,
            reason: stmt.reason,
        }],
    }
}

#[cfg(test)]
mod tests {
    use crate::context::{DeploymentContext, Resolved};
    use crate::policy::{DocumentKind, Json, PolicySet};

    const KEY: &str = "arn:aws:kms:eu-west-1:444455556666:key/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

    fn generate(bucket: &str, context: &str) -> PolicySet {
        let config = format!(
            r#"{{"Role": "arn:aws:iam::111122223333:role/replication",
  "Rules": [{{"ID": "kms", "Status": "Enabled", "Priority": 1, "Filter": {{}},
    "DeleteMarkerReplication": {{"Status": "Disabled"}},
    "SourceSelectionCriteria": {{"SseKmsEncryptedObjects": {{"Status": "Enabled"}}}},
    "Destination": {{"Bucket": "arn:aws:s3:::{bucket}", "Account": "444455556666",
      "EncryptionConfiguration": {{"ReplicaKmsKeyID": "{KEY}"}}}}}}]}}"#
        );
        let doc = crate::parse(&config, None)
            .document
            .expect("the test configuration parses");
        let ctx = DeploymentContext::from_json(context).expect("valid context");
        crate::policy::generate(&doc, &Resolved::new(&ctx, &doc))
    }

    /// `kms:ViaService` of every statement whose Sid starts with `sid`, in `kind` documents.
    /// The replica key statements of the role and of the key policy both name `service` as
    /// `kms:ViaService`.
    fn assert_replica_key_via(set: &PolicySet, service: &str) {
        let want = vec![service.to_string()];
        assert_eq!(
            via_services(set, DocumentKind::RolePermissions, "EncryptReplicasIn"),
            want
        );
        assert_eq!(
            via_services(
                set,
                DocumentKind::KmsKeyPolicy,
                "AllowSourceReplicationRole"
            ),
            want
        );
    }

    fn via_services(set: &PolicySet, kind: DocumentKind, sid: &str) -> Vec<String> {
        let mut out = Vec::new();
        for d in set.documents.iter().filter(|d| d.kind == kind) {
            let Some(Json::Arr(stmts)) = d.policy.get("Statement") else {
                continue;
            };
            for s in stmts {
                if !s
                    .get("Sid")
                    .and_then(Json::as_str)
                    .is_some_and(|v| v.starts_with(sid))
                {
                    continue;
                }
                let Some(Json::Obj(ops)) = s.get("Condition") else {
                    continue;
                };
                for (_, cond) in ops {
                    if let Some(v) = cond.get("kms:ViaService").and_then(Json::as_str) {
                        out.push(v.to_string());
                    }
                }
            }
        }
        out
    }

    #[test]
    fn replica_key_via_service_uses_the_destination_region_when_known() {
        // The key ARN says eu-west-1, the context says the destination is in us-west-2: S3
        // calls KMS for the replica key from the destination's Region.
        let set = generate(
            "acme-replica",
            r#"{"sourceRegion": "us-east-1",
                "destinations": {"acme-replica": {"region": "us-west-2"}}}"#,
        );
        assert_replica_key_via(&set, "s3.us-west-2.amazonaws.com");
        // The source key statement keeps the source Region.
        assert_eq!(
            via_services(&set, DocumentKind::RolePermissions, "DecryptSourceObjects"),
            vec!["s3.us-east-1.amazonaws.com".to_string()]
        );
    }

    #[test]
    fn replica_key_via_service_uses_an_inferred_destination_region() {
        // An account-regional bucket name carries its Region.
        let set = generate(
            "acme-444455556666-us-west-2-an",
            r#"{"sourceRegion": "us-east-1"}"#,
        );
        assert_eq!(
            via_services(&set, DocumentKind::RolePermissions, "EncryptReplicasIn"),
            vec!["s3.us-west-2.amazonaws.com".to_string()]
        );
    }

    #[test]
    fn replica_key_via_service_falls_back_to_the_key_region() {
        let set = generate("acme-replica", r#"{"sourceRegion": "us-east-1"}"#);
        assert_replica_key_via(&set, "s3.eu-west-1.amazonaws.com");
    }

    /// The generator's prefix reduction (direct, through the ranks, with and without an empty
    /// prefix) gives exactly what `reduce_prefixes` gives, on pseudo-random rule subsets.
    #[test]
    fn reduce_matches_reduce_prefixes() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for round in 0..6 {
            let count = [3, 9, 40, 120, 300, 40][round];
            let rules: Vec<String> = (0..count)
                .map(|i| {
                    let len = next(5) + u64::from(round != 5);
                    let prefix: String =
                        (0..len).map(|_| ["a", "b", "/", "é"][next(4) as usize]).collect();
                    format!(
                        r#"{{"ID": "r{i}", "Status": "Enabled", "Priority": {}, "Filter": {{"Prefix": "{prefix}"}},
                        "DeleteMarkerReplication": {{"Status": "Disabled"}},
                        "Destination": {{"Bucket": "arn:aws:s3:::dst"}}}}"#,
                        i + 1
                    )
                })
                .collect();
            let config = format!(
                r#"{{"Role": "arn:aws:iam::111122223333:role/r", "Rules": [{}]}}"#,
                rules.join(",")
            );
            let doc = crate::parse(&config, None)
                .document
                .expect("the test configuration parses");
            let ctx = DeploymentContext::default();
            let plan = super::Plan::new(&doc, &Resolved::new(&ctx, &doc));
            assert_eq!(plan.rules.len(), count);
            let g = super::Gen::new(&plan);
            for _ in 0..200 {
                let size = 1 + next(count as u64) as usize;
                let subset: Vec<usize> = (0..size).map(|_| next(count as u64) as usize).collect();
                let want = crate::policy::plan::reduce_prefixes(
                    subset.iter().map(|&r| plan.rules[r].prefix.as_str()),
                );
                let got: Vec<String> = g.reduce(&subset).iter().map(|p| p.to_string()).collect();
                assert_eq!(got, want, "subset {subset:?}");
            }
        }
    }
}
