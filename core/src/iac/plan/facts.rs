//! The deployment facts a plan states about the buckets of a configuration: versioning,
//! default encryption, Bucket Keys, Object Lock and Region, read from the planned values of
//! the resources that name each bucket (`aws_s3_bucket_versioning`,
//! `aws_s3_bucket_server_side_encryption_configuration`, the bucket itself, whose
//! refreshed attributes are S3's own for a bucket that exists) and from the provider
//! configuration. A value the plan leaves unknown (`null` in the planned values) states
//! nothing.

use super::{block, get, items, text};
use crate::context::DestinationContext;
use crate::iac::bucket_facts::BucketFacts;
use crate::iac::{eval, Extracted, InferredFact, SourceFile};
use crate::source::{LineIndex, Span};
use crate::syntax::{Content, Node};

/// One managed resource of the plan's `planned_values`.
pub(super) struct Planned<'p> {
    pub ty: String,
    pub address: String,
    pub values: &'p Node<'static>,
}

/// What the facts are read from: the plan's resources, its `configuration` and its file.
pub(super) struct Plan<'p> {
    pub resources: Vec<Planned<'p>>,
    pub root: &'p Node<'static>,
    pub file: &'p SourceFile,
    pub file_index: usize,
    /// `resource_changes`: what each resource's `after_unknown` marks.
    pub changes: &'p [Node<'static>],
    pub index: LineIndex,
}

impl<'p> Plan<'p> {
    /// Fill `c`'s context with what the plan says about its source and destination buckets.
    pub fn facts(&self, c: &mut Extracted<'static>, replication: &str) {
        // A source bucket created by the same apply: its name, from the bucket the
        // configuration's `bucket` refers to.
        if c.context.source_bucket.is_none() {
            if let Some((name, r, at)) = self.referenced_bucket(replication, "bucket") {
                self.fact(
                    c,
                    "sourceBucket",
                    &name,
                    at,
                    format!("{}: bucket", r.address),
                );
                c.context.source_bucket = Some(name);
                c.context.inferred.push("source_bucket");
            }
        }
        if let Some(name) = c.context.source_bucket.clone() {
            let (f, region) = self.bucket_facts(c, &name, "source");
            f.set_source(&mut c.context);
            if let Some(r) = region {
                c.context.source_region = Some(r);
                c.context.inferred.push("source_region");
            }
        }
        self.resolve_destinations(c, replication);
        let mut buckets = Vec::new();
        eval::collect_buckets(&c.root.value, &mut buckets);
        for (arn, _) in buckets {
            let name = crate::arn::bucket_name(&arn).to_string();
            if !arn.starts_with("arn:")
                || name.is_empty()
                || c.context.destinations.contains_key(&name)
            {
                continue;
            }
            let field = format!("destinations.{name}");
            let (f, region) = self.bucket_facts(c, &name, &field);
            let d = DestinationContext {
                region,
                account: None,
                bucket_keys: f.bucket_keys,
                default_encryption: f.default_encryption,
                versioning: f.versioning,
            };
            for (set, what) in [
                (d.region.is_some(), "region"),
                (d.bucket_keys.is_some(), "bucket_keys"),
                (d.default_encryption.is_some(), "default_encryption"),
                (d.versioning.is_some(), "versioning"),
            ] {
                if set {
                    c.context.inferred_destinations.push((name.clone(), what));
                }
            }
            if d != DestinationContext::default() {
                c.context.destinations.insert(name, d);
            }
        }
    }

    /// Facts about bucket `name`, each recorded under `field` (`source` for the source
    /// bucket's own fields), and its Region.
    fn bucket_facts(
        &self,
        c: &mut Extracted<'static>,
        name: &str,
        field: &str,
    ) -> (BucketFacts, Option<String>) {
        let key = |what: &str, source: &str| {
            if field == "source" {
                source.to_string()
            } else {
                format!("{field}.{what}")
            }
        };
        let mut out = BucketFacts::default();
        let mut region = None;
        let bucket = self.named("aws_s3_bucket", name);
        // Versioning: the separate resource, else the bucket's own (refreshed) block.
        if let Some(r) = self.named("aws_s3_bucket_versioning", name) {
            let status = block(r.values, "versioning_configuration")
                .and_then(|v| get(v, "status"))
                .filter(|s| matches!(&s.content, Content::Text(t) if !t.is_empty()));
            if let Some(s) = status {
                let v = text(s).unwrap_or_default();
                let from = format!("{}: versioning_configuration.status", r.address);
                self.fact(c, &key("versioning", "sourceVersioning"), &v, s.span, from);
                out.versioning = Some(v);
            }
        } else if let Some(r) = bucket {
            if let Some(enabled) = block(r.values, "versioning").and_then(|v| get(v, "enabled")) {
                if let Content::Bool(on) = enabled.content {
                    let v = if on { "Enabled" } else { "Disabled" };
                    let from = format!("{}: versioning.enabled", r.address);
                    self.fact(
                        c,
                        &key("versioning", "sourceVersioning"),
                        v,
                        enabled.span,
                        from,
                    );
                    out.versioning = Some(v.to_string());
                }
            }
        }
        // Default encryption: the separate resource, else the bucket's own block.
        let sse = self
            .named("aws_s3_bucket_server_side_encryption_configuration", name)
            .map(|r| (r, block(r.values, "rule")))
            .or_else(|| {
                bucket.map(|r| {
                    let rule = block(r.values, "server_side_encryption_configuration")
                        .and_then(|s| block(s, "rule"));
                    (r, rule)
                })
            });
        if let Some((r, Some(rule))) = sse {
            let by_default = block(rule, "apply_server_side_encryption_by_default");
            if let Some(a) = by_default.and_then(|d| get(d, "sse_algorithm")) {
                if let Some(e) = text(a)
                    .filter(|t| !t.is_empty())
                    .map(|t| crate::context::encryption_of_algorithm(&t))
                {
                    let from = format!("{}: sse_algorithm", r.address);
                    let f = key("defaultEncryption", "sourceDefaultEncryption");
                    self.fact(c, &f, e, a.span, from);
                    out.default_encryption = Some(e.to_string());
                }
            }
            out.kms_key = by_default
                .and_then(|d| get(d, "kms_master_key_id"))
                .and_then(text)
                .filter(|k| !k.is_empty());
            if let Some(k) = get(rule, "bucket_key_enabled") {
                if let Content::Bool(on) = k.content {
                    let from = format!("{}: bucket_key_enabled", r.address);
                    let f = key("bucketKeys", "sourceBucketKeys");
                    self.fact(c, &f, &on.to_string(), k.span, from);
                    out.bucket_keys = Some(on);
                }
            }
        }
        if let Some(r) = bucket {
            // v4+: `object_lock_enabled`; v3: `object_lock_configuration.object_lock_enabled`.
            let lock = get(r.values, "object_lock_enabled")
                .and_then(|v| match v.content {
                    Content::Bool(b) => Some((b, v.span)),
                    _ => None,
                })
                .or_else(|| {
                    let v = block(r.values, "object_lock_configuration")
                        .and_then(|l| get(l, "object_lock_enabled"))?;
                    Some((text(v)? == "Enabled", v.span))
                });
            if let Some((on, at)) = lock {
                if field == "source" {
                    let from = format!("{}: object_lock_enabled", r.address);
                    self.fact(c, "objectLock", &on.to_string(), at, from);
                    out.object_lock = Some(on);
                }
            }
            if let Some((r, at, from)) = self.region_of(r) {
                self.fact(c, &key("region", "sourceRegion"), &r, at, from);
                region = Some(r);
            }
        }
        (out, region)
    }

    /// The resource of type `ty` whose `bucket` is `name`, or (the bucket created by the same
    /// apply, its `id` unknown) refers to the planned bucket of that name.
    fn named(&self, ty: &str, name: &str) -> Option<&Planned<'p>> {
        let of = |r: &&Planned<'p>| r.ty == ty;
        self.resources
            .iter()
            .filter(of)
            .find(|r| get(r.values, "bucket").and_then(text).as_deref() == Some(name))
            .or_else(|| {
                if ty == "aws_s3_bucket" {
                    return None;
                }
                self.resources.iter().filter(of).find(|r| {
                    self.referenced_bucket(&r.address, "bucket")
                        .is_some_and(|(n, ..)| n == name)
                })
            })
    }

    /// Destinations the plan knows only after apply (`bucket = aws_s3_bucket.dst.arn`, the
    /// bucket created by the same apply) whose bucket's name it knows: their ARN, in the
    /// partition of the source Region or of the role.
    fn resolve_destinations(&self, c: &mut Extracted<'static>, address: &str) {
        let Some(config) = self
            .configuration_of(address)
            .and_then(|r| get(r, "expressions"))
        else {
            return;
        };
        let rules = match get(config, "rule") {
            Some(r) => items(Some(r)),
            None => items(block(config, "replication_configuration").and_then(|r| get(r, "rules"))),
        };
        // The partition from the source Region, else from the role's ARN; neither known, the
        // destinations stay unknown rather than guessed into `aws`.
        let role_partition = get(&c.root.value, "Role")
            .and_then(text)
            .filter(|r| r.starts_with("arn:"))
            .and_then(|r| r.split(':').nth(1).map(str::to_string));
        let Some(partition) = c
            .context
            .source_region
            .as_deref()
            .map(|r| crate::rules::support::facts::region_partition(r).to_string())
            .or(role_partition)
        else {
            return;
        };
        let Content::Object(members) = &mut c.root.value.content else {
            return;
        };
        let Some(Content::Array(planned)) = members
            .iter_mut()
            .find(|m| m.name == "Rules")
            .map(|m| &mut m.value.content)
        else {
            return;
        };
        // Dynamic blocks are not in the configuration's expressions: no index to match.
        if planned.len() != rules.len() {
            return;
        }
        for (rule, written) in planned.iter_mut().zip(rules) {
            let Some(refs) = block(written, "destination")
                .and_then(|d| get(d, "bucket"))
                .and_then(|b| get(b, "references"))
            else {
                continue;
            };
            let Some(bucket) =
                member_mut(rule, "Destination").and_then(|d| member_mut(d, "Bucket"))
            else {
                continue;
            };
            if !matches!(&bucket.content, Content::Text(t) if t.starts_with("${")) {
                continue;
            }
            let Some((name, ..)) = self.bucket_referenced(items(Some(refs)), address) else {
                continue;
            };
            let at = bucket.span;
            bucket.content = Content::Text(format!("arn:{partition}:s3:::{name}").into());
            c.unknowns.retain(|u| u.span != at);
        }
    }

    /// A bucket's Region: its own `region` (S3's answer for a bucket that exists, or the v6
    /// argument), else the literal `region` of the provider configuration it uses.
    fn region_of(&self, r: &Planned<'_>) -> Option<(String, Span, String)> {
        if let Some(v) = get(r.values, "region").filter(|v| text(v).is_some_and(|t| !t.is_empty()))
        {
            return Some((text(v)?, v.span, format!("{}: region", r.address)));
        }
        let key = self
            .configuration_of(&r.address)
            .and_then(|c| get(c, "provider_config_key"))?;
        let key = text(key)?;
        let provider = get(
            get(get(self.root, "configuration")?, "provider_config")?,
            &key,
        )?;
        let region = get(
            get(get(provider, "expressions")?, "region")?,
            "constant_value",
        )?;
        let shown = match key.split_once('.') {
            Some((_, alias)) => format!("provider \"aws\" (alias {alias}): region"),
            None => format!("provider \"{key}\": region"),
        };
        Some((text(region)?, region.span, shown))
    }

    /// The planned bucket that resource `address`'s `attribute` refers to (`bucket =
    /// aws_s3_bucket.src.id`), and its name when the plan knows it.
    pub(super) fn referenced_bucket(
        &self,
        address: &str,
        attribute: &str,
    ) -> Option<(String, &Planned<'p>, Span)> {
        let config = self.configuration_of(address)?;
        let refs = items(get(
            get(get(config, "expressions")?, attribute)?,
            "references",
        ));
        self.bucket_referenced(refs, address)
    }

    /// The planned bucket one of `refs` (written in the module of resource `address`) names.
    fn bucket_referenced(
        &self,
        refs: &[Node<'static>],
        address: &str,
    ) -> Option<(String, &Planned<'p>, Span)> {
        let target = refs
            .iter()
            .filter_map(text)
            .find_map(|r| match target_of(&r) {
                Some(("aws_s3_bucket", name)) => Some(format!("aws_s3_bucket.{name}")),
                _ => None,
            })?;
        // The same module and (for a counted configuration) the same instance key.
        let (prefix, own) = split_module(address);
        let instance = own.find('[').map_or("", |i| &own[i..]);
        let wanted = [
            format!("{prefix}{target}{instance}"),
            format!("{prefix}{target}"),
        ];
        let r = wanted
            .iter()
            .find_map(|w| self.resources.iter().find(|r| &r.address == w))?;
        let name = get(r.values, "bucket")?;
        Some((text(name).filter(|n| !n.is_empty())?, r, name.span))
    }

    /// The `configuration` entry of the resource at plan address `address`.
    pub(super) fn configuration_of(&self, address: &str) -> Option<&'p Node<'static>> {
        let mut module = get(get(self.root, "configuration")?, "root_module")?;
        let (prefix, own) = split_module(address);
        for call in prefix.split("module.").filter(|s| !s.is_empty()) {
            let name = call.trim_end_matches('.');
            let name = name.split('[').next().unwrap_or(name);
            module = get(get(get(module, "module_calls")?, name)?, "module")?;
        }
        let own = own.split('[').next().unwrap_or(own);
        items(get(module, "resources"))
            .iter()
            .find(|r| get(r, "address").and_then(text).as_deref() == Some(own))
    }

    fn fact(&self, c: &mut Extracted<'static>, field: &str, value: &str, at: Span, from: String) {
        let line = self.index.position(&self.file.text, at.start).line;
        c.facts.push(InferredFact {
            field: field.to_string(),
            value: value.to_string(),
            file: self.file.path.clone(),
            line,
            from,
        });
    }
}

/// The resource a plan reference names: `aws_s3_bucket.dst[1].arn` -> (`aws_s3_bucket`,
/// `dst[1]`).
pub(super) fn target_of(reference: &str) -> Option<(&str, &str)> {
    let mut parts = reference.splitn(3, '.');
    Some((parts.next()?, parts.next()?))
}

/// The member `name` of an object node.
fn member_mut<'n>(node: &'n mut Node<'static>, name: &str) -> Option<&'n mut Node<'static>> {
    match &mut node.content {
        Content::Object(ms) => ms
            .iter_mut()
            .rev()
            .find(|m| m.name == name)
            .map(|m| &mut m.value),
        _ => None,
    }
}

/// `module.a["x"].module.b.aws_s3_bucket.c[0]` -> (`module.a["x"].module.b.`, `aws_s3_bucket.c[0]`).
pub(super) fn split_module(address: &str) -> (&str, &str) {
    let mut depth = 0usize;
    let mut starts = vec![0];
    for (i, ch) in address.char_indices() {
        match ch {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => starts.push(i + 1),
            _ => {}
        }
    }
    // The resource is the last two dot-separated parts.
    let cut = if starts.len() >= 2 {
        starts[starts.len() - 2]
    } else {
        0
    };
    address.split_at(cut)
}

#[cfg(test)]
mod tests {
    use super::split_module;

    #[test]
    fn splits_the_module_path_from_the_resource() {
        assert_eq!(split_module("aws_s3_bucket.a"), ("", "aws_s3_bucket.a"));
        assert_eq!(
            split_module("module.a[\"x.y\"].module.b.aws_s3_bucket.c[0]"),
            ("module.a[\"x.y\"].module.b.", "aws_s3_bucket.c[0]")
        );
    }
}
