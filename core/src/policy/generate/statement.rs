//! One statement under construction, a document from statements, and the small builders
//! (ARNs, conditions, phrases) the documents share.

use super::POLICY_VERSION;
use crate::fx::{Fx, FxMap};
use crate::policy::json::Json;
use crate::policy::plan::{object_arn, Known};
use crate::policy::{DocumentKind, PolicyDocument, StatementInfo};
use std::fmt::Write as _;
use std::hash::{BuildHasher, BuildHasherDefault};

/// One statement under construction.
pub(super) struct Stmt {
    pub(super) sid: String,
    pub(super) reason: String,
    pub(super) principal: Option<Json>,
    pub(super) actions: Json,
    /// A string, or an array of them (one element is written as the string alone).
    pub(super) resource: Json,
    pub(super) condition: Option<Json>,
}

impl Stmt {
    pub(super) fn new(
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
    pub(super) fn principal(mut self, p: Json) -> Stmt {
        self.principal = Some(p);
        self
    }
    pub(super) fn condition(mut self, c: Json) -> Stmt {
        self.condition = Some(c);
        self
    }
    pub(super) fn into_json(self) -> Json {
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

pub(super) fn document(
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
pub(super) fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// `AcmeBackupUsw2` from `acme-backup-usw2` (Sids allow only ASCII letters and digits).
pub(super) fn camel(s: &str) -> String {
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

pub(super) fn via_service(region: &Known) -> String {
    cat(&["s3.", region.text(), ".amazonaws.com"])
}

/// The `aws:s3:arn` encryption-context values S3 uses for a bucket: object ARNs normally,
/// the bucket ARN with S3 Bucket Keys; both when unknown.
pub(super) fn context_values(
    bucket_arn: &str,
    prefixes: &[&str],
    bucket_keys: Option<bool>,
) -> Json {
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
pub(super) fn object_arns(bucket_arn: &str, prefixes: &[&str]) -> Vec<Json> {
    prefixes
        .iter()
        .map(|p| Json::str(object_arn(bucket_arn, p)))
        .collect()
}

pub(super) fn bucket_keys_phrase(bucket_keys: Option<bool>, which: &str) -> String {
    match bucket_keys {
        Some(true) => format!("{which} uses S3 Bucket Keys, so the encryption context is the bucket ARN"),
        Some(false) => format!("{which} does not use S3 Bucket Keys, so the encryption context is the object ARN"),
        None => format!("whether {which} uses S3 Bucket Keys is unknown, so both the object ARNs and the bucket ARN are listed"),
    }
}

pub(super) fn kms_condition(op: &'static str, region: &Known, context: Option<Json>) -> Json {
    let mut inner = Vec::with_capacity(2);
    inner.push(("kms:ViaService", Json::str(via_service(region))));
    if let Some(ctx) = context {
        inner.push(("kms:EncryptionContext:aws:s3:arn", ctx));
    }
    Json::obj(vec![(op, Json::obj(inner))])
}
