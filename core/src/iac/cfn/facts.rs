//! The deployment facts a template states about the buckets of one configuration (Region,
//! account, versioning, encryption, Object Lock of its source and destination buckets).
use super::{get, Template};
use crate::context::{DeploymentContext, DestinationContext};
use crate::iac::eval;
use crate::iac::InferredFact;
use crate::source::{LineIndex, Span};
use crate::syntax::{Content, Member, Node};

/// Facts the template states about the buckets of one configuration.
pub(super) struct Facts<'i> {
    pub(super) context: DeploymentContext,
    pub(super) facts: Vec<InferredFact>,
    pub(super) file: String,
    pub(super) index: &'i LineIndex,
    pub(super) text: &'i str,
}

impl Facts<'_> {
    fn note(&mut self, field: &str, value: &str, span: Span, from: String) {
        let line = self.index.position(self.text, span.start).line;
        self.facts.push(InferredFact {
            field: field.to_string(),
            value: value.to_string(),
            file: self.file.clone(),
            line,
            from,
        });
    }

    /// Versioning, encryption and Object Lock of a bucket resource; `source` for the bucket
    /// that carries the configuration.
    pub(super) fn bucket(
        &mut self,
        t: &Template<'_>,
        id: &str,
        props: &Member<'static>,
        source: bool,
    ) {
        let p = &props.value;
        let string_at = |path: &[&str]| -> Option<(String, Span)> {
            let mut node = p;
            for seg in path {
                node = &get(node, seg)?.value;
            }
            Some((t.string(node, 0)?, node.span))
        };
        let name = string_at(&["BucketName"]);
        let versioning = string_at(&["VersioningConfiguration", "Status"]);
        // The first server-side encryption rule is the bucket's default.
        let sse = get(p, "BucketEncryption")
            .and_then(|m| get(&m.value, "ServerSideEncryptionConfiguration"))
            .and_then(|m| match &m.value.content {
                Content::Array(items) => items.first(),
                _ => None,
            });
        let algorithm = sse
            .and_then(|r| get(r, "ServerSideEncryptionByDefault"))
            .and_then(|d| get(&d.value, "SSEAlgorithm"))
            .and_then(|a| t.string(&a.value, 0).map(|v| (v, a.value.span)));
        let bucket_keys = sse
            .and_then(|r| get(r, "BucketKeyEnabled"))
            .and_then(|b| t.string(&b.value, 0).map(|v| (v == "true", b.value.span)));
        let object_lock = object_lock(t, p);
        let from = |what: &str| format!("Resources.{id}.Properties.{what}");
        if source {
            if let Some((n, span)) = name {
                self.note("sourceBucket", &n, span, from("BucketName"));
                self.context.source_bucket = Some(n);
                self.context.inferred.push("source_bucket");
            }
            // CloudFormation's default versioning is `Suspended` only when the block exists.
            if let Some((v, span)) = versioning {
                self.note(
                    "sourceVersioning",
                    &v,
                    span,
                    from("VersioningConfiguration.Status"),
                );
                self.context.source_versioning = Some(v);
                self.context.inferred.push("source_versioning");
            } else if let Some((true, span)) = object_lock {
                // S3 enables versioning on a bucket created with Object Lock.
                self.note(
                    "sourceVersioning",
                    "Enabled",
                    span,
                    from("ObjectLockEnabled (S3 enables versioning with Object Lock)"),
                );
                self.context.source_versioning = Some("Enabled".into());
                self.context.inferred.push("source_versioning");
            } else if get(p, "VersioningConfiguration").is_none() && !names_other_bucket(t, id, p) {
                self.note(
                    "sourceVersioning",
                    "Disabled",
                    props.name_span,
                    format!("Resources.{id}: no VersioningConfiguration"),
                );
                self.context.source_versioning = Some("Disabled".into());
                self.context.inferred.push("source_versioning");
            }
            if let Some((b, span)) = bucket_keys {
                self.note(
                    "sourceBucketKeys",
                    &b.to_string(),
                    span,
                    from("BucketEncryption...BucketKeyEnabled"),
                );
                self.context.source_bucket_keys = Some(b);
                self.context.inferred.push("source_bucket_keys");
            } else if sse.is_some() {
                self.context.source_bucket_keys = Some(false);
                self.context.inferred.push("source_bucket_keys");
            }
            if let Some((l, span)) = object_lock {
                self.note(
                    "objectLock",
                    &l.to_string(),
                    span,
                    from("ObjectLockEnabled"),
                );
                self.context.object_lock = Some(l);
                self.context.inferred.push("object_lock");
            } else {
                self.context.object_lock = Some(false);
                self.context.inferred.push("object_lock");
            }
            if let Some(r) = t.pseudo.get("AWS::Region") {
                self.context.source_region = Some(r.clone());
            }
            if let Some((a, span)) = &algorithm {
                let encryption = crate::context::encryption_of_algorithm(a);
                self.note(
                    "sourceDefaultEncryption",
                    encryption,
                    *span,
                    from("BucketEncryption...SSEAlgorithm"),
                );
                self.context.source_default_encryption = Some(encryption.to_string());
                self.context.inferred.push("source_default_encryption");
            }
            let kms = algorithm
                .as_ref()
                .is_some_and(|(a, _)| a.starts_with("aws:kms"));
            let key = sse
                .and_then(|r| get(r, "ServerSideEncryptionByDefault"))
                .and_then(|d| get(&d.value, "KMSMasterKeyID"))
                .and_then(|k| t.string(&k.value, 0).map(|v| (v, k.value.span)));
            if let Some((k, span)) = key.filter(|(k, _)| kms && k.starts_with("arn:")) {
                self.note(
                    "sourceKmsKeys",
                    &k,
                    span,
                    from("BucketEncryption...KMSMasterKeyID"),
                );
                self.context.source_kms_keys.push(k);
            }
        }
    }

    /// Destination buckets declared in the same template: their versioning and encryption.
    pub(super) fn destinations(&mut self, t: &Template<'_>, root: &Member<'static>) {
        let mut names = Vec::new();
        eval::collect_buckets(&root.value, &mut names);
        for (bucket, _) in names {
            let name = crate::arn::bucket_name(&bucket).to_string();
            // The resource that makes the bucket (a name of its own before one that names
            // another bucket's, `!Ref Other`), the first by logical ID: the same every run.
            let mut candidates: Vec<(bool, String, Option<&Node<'static>>)> = t
                .resources
                .iter()
                .filter_map(|(id, (ty, props))| {
                    let literal = t.bucket_name(*props, 0);
                    let borrowed =
                        literal.is_some() && props.is_some_and(|p| names_other_bucket(t, id, p));
                    let same = match literal {
                        Some(l) => l == name,
                        None => eval::generated_bucket_name(id) == name,
                    };
                    (ty == "AWS::S3::Bucket" && same).then(|| (borrowed, id.clone(), *props))
                })
                .collect();
            candidates.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
            let Some((_, id, props)) = candidates.into_iter().next() else {
                continue;
            };
            // A bucket without properties: no versioning, no default encryption settings.
            let empty = Node {
                content: Content::Object(Vec::new()),
                span: Span::empty(0),
            };
            let p = props.unwrap_or(&empty);
            let mut d = DestinationContext::default();
            if let Some(v) = get(p, "VersioningConfiguration")
                .and_then(|m| get(&m.value, "Status"))
                .and_then(|m| t.string(&m.value, 0).map(|s| (s, m.value.span)))
            {
                self.note(
                    &format!("destinations.{name}.versioning"),
                    &v.0,
                    v.1,
                    format!("Resources.{id}.Properties.VersioningConfiguration.Status"),
                );
                d.versioning = Some(v.0);
            } else if let Some((true, lock)) = object_lock(t, p) {
                // S3 enables versioning on a bucket created with Object Lock.
                d.versioning = Some("Enabled".into());
                self.note(
                    &format!("destinations.{name}.versioning"),
                    "Enabled",
                    lock,
                    format!("Resources.{id}.Properties.ObjectLockEnabled (S3 enables versioning with Object Lock)"),
                );
            } else if get(p, "VersioningConfiguration").is_none() {
                d.versioning = Some("Disabled".into());
                self.note(
                    &format!("destinations.{name}.versioning"),
                    "Disabled",
                    p.span,
                    format!("Resources.{id}: no VersioningConfiguration"),
                );
            }
            let sse = get(p, "BucketEncryption")
                .and_then(|m| get(&m.value, "ServerSideEncryptionConfiguration"))
                .and_then(|m| match &m.value.content {
                    Content::Array(items) => items.first(),
                    _ => None,
                });
            if let Some(r) = sse {
                d.bucket_keys = Some(
                    get(r, "BucketKeyEnabled")
                        .and_then(|b| t.string(&b.value, 0))
                        .as_deref()
                        == Some("true"),
                );
                if let Some(a) = get(r, "ServerSideEncryptionByDefault")
                    .and_then(|x| get(&x.value, "SSEAlgorithm"))
                    .and_then(|a| t.string(&a.value, 0))
                {
                    d.default_encryption =
                        Some(crate::context::encryption_of_algorithm(&a).to_string());
                }
            } else if get(p, "BucketEncryption").is_none() {
                // S3's default encryption (SSE-S3 for every bucket since January 2023; a
                // template bucket has no other way to get one), Bucket Keys off (as for the
                // source bucket).
                d.bucket_keys = Some(false);
                d.default_encryption = Some("SSE-S3".into());
            }
            if let Some(r) = t.pseudo.get("AWS::Region") {
                d.region = Some(r.clone());
            }
            for (field, set) in [
                ("versioning", d.versioning.is_some()),
                ("bucket_keys", d.bucket_keys.is_some()),
                ("default_encryption", d.default_encryption.is_some()),
            ] {
                if set {
                    self.context
                        .inferred_destinations
                        .push((name.clone(), field));
                }
            }
            self.context.destinations.insert(name, d);
        }
    }
}

/// A bucket's `ObjectLockEnabled`, where the template fixes it, and where it is written.
fn object_lock(t: &Template<'_>, props: &Node<'static>) -> Option<(bool, Span)> {
    get(props, "ObjectLockEnabled")
        .and_then(|o| t.string(&o.value, 0).map(|v| (v == "true", o.value.span)))
}

/// A bucket whose `BucketName` is another bucket resource's name (`!Ref Other`): the same
/// bucket declared twice, whose versioning is not this resource's alone to say.
fn names_other_bucket(t: &Template<'_>, id: &str, props: &Node<'static>) -> bool {
    t.bucket_name(Some(props), 0).is_some_and(|n| {
        t.resources.iter().any(|(other, (ty, _))| {
            other != id && ty == "AWS::S3::Bucket" && eval::generated_bucket_name(other) == n
        })
    })
}
