//! The typed, spanned ReplicationConfiguration. Field names follow the SDK members.
//!
//! Positions are metadata: two models are equal when their content is equal, whatever their
//! spans (that is what `parse(serialize(x)) == x` means).

use crate::source::Span;

/// A text value of the model. Most values (IDs, statuses, prefixes, tags, storage classes,
/// accounts) are short: up to 23 bytes are stored inline, without an allocation, which a
/// 1000-rule document would otherwise pay about 8,000 times.
pub type Str = smol_str::SmolStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "DocumentFormat"))]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xml => "xml",
            Format::Json => "json",
        }
    }
}

/// Where a node came from. Always compares equal (see the module docs).
#[derive(Clone, Copy, Debug, Default)]
pub struct Meta {
    /// The whole member: `<Filter>..</Filter>` or `"Filter": {..}`.
    pub span: Span,
    /// The element name in the start tag, or the JSON key.
    pub name_span: Span,
    /// The value: XML content between the tags, or the JSON value.
    pub value_span: Span,
}

impl PartialEq for Meta {
    fn eq(&self, _: &Meta) -> bool {
        true
    }
}

/// A scalar value with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Val<T> {
    pub value: T,
    pub meta: Meta,
}

impl<T> Val<T> {
    pub fn new(value: impl Into<T>) -> Val<T> {
        Val {
            value: value.into(),
            meta: Meta::default(),
        }
    }
    /// The span of the value itself (what a diagnostic about the value underlines).
    #[allow(clippy::misnamed_getters)] // `span` of a value means its value span, by design.
    pub fn span(&self) -> Span {
        self.meta.value_span
    }
}

impl Val<Str> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Document {
    pub format: Option<Format>,
    pub meta: Meta,
    /// XML only: the `xmlns` attribute of the root, if any.
    pub namespace: Option<Val<Str>>,
    pub role: Option<Val<Str>>,
    pub rules: Vec<Rule>,
    /// JSON: the `"Rules"` member; XML: unset (rules are flattened).
    pub rules_meta: Option<Meta>,
}

/// Members in the schema's order (`schema::RULE`, botocore's), as in every shape below.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Rule {
    pub meta: Meta,
    pub id: Option<Val<Str>>,
    pub priority: Option<Val<i64>>,
    /// Deprecated V1 rule-level prefix.
    pub prefix: Option<Val<Str>>,
    pub filter: Option<Filter>,
    pub status: Option<Val<Str>>,
    pub source_selection_criteria: Option<SourceSelectionCriteria>,
    pub existing_object_replication: Option<StatusBlock>,
    pub destination: Option<Destination>,
    pub delete_marker_replication: Option<StatusBlock>,
}

/// A V2 filter: at most one of the four children may be set (rules check that).
/// `And` and `Not` are boxed: most filters are a prefix or a tag, and inline they would make
/// every `Rule` 2 KB (half of it these two), which a 1000-rule document pays in copies.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Filter {
    pub meta: Meta,
    pub prefix: Option<Val<Str>>,
    pub tag: Option<Tag>,
    pub and: Option<Box<And>>,
    pub not: Option<Box<Not>>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Tag {
    pub meta: Meta,
    pub key: Option<Val<Str>>,
    pub value: Option<Val<Str>>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct And {
    pub meta: Meta,
    pub prefix: Option<Val<Str>>,
    pub tags: Vec<Tag>,
    pub not: Option<Box<Not>>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Not {
    pub meta: Meta,
    pub prefix: Option<Val<Str>>,
    pub tag: Option<Tag>,
    pub or: Option<Or>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Or {
    pub meta: Meta,
    pub prefixes: Vec<Val<Str>>,
    pub tags: Vec<Tag>,
}

/// Any `{ Status: Enabled|Disabled }` block.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StatusBlock {
    pub meta: Meta,
    pub status: Option<Val<Str>>,
}

impl StatusBlock {
    pub fn is_enabled(&self) -> bool {
        self.status.as_ref().is_some_and(|s| s.value == "Enabled")
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct SourceSelectionCriteria {
    pub meta: Meta,
    pub sse_kms_encrypted_objects: Option<StatusBlock>,
    pub replica_modifications: Option<StatusBlock>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Destination {
    pub meta: Meta,
    pub bucket: Option<Val<Str>>,
    pub account: Option<Val<Str>>,
    pub storage_class: Option<Val<Str>>,
    pub access_control_translation: Option<AccessControlTranslation>,
    pub encryption_configuration: Option<EncryptionConfiguration>,
    pub replication_time: Option<ReplicationTime>,
    pub metrics: Option<Metrics>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct AccessControlTranslation {
    pub meta: Meta,
    pub owner: Option<Val<Str>>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct EncryptionConfiguration {
    pub meta: Meta,
    pub replica_kms_key_id: Option<Val<Str>>,
    pub use_source_multi_region_key: Option<StatusBlock>,
}

/// `{ Minutes: 15 }`, used by `ReplicationTime/Time` and `Metrics/EventThreshold`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Minutes {
    pub meta: Meta,
    pub minutes: Option<Val<i64>>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct ReplicationTime {
    pub meta: Meta,
    pub status: Option<Val<Str>>,
    pub time: Option<Minutes>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Metrics {
    pub meta: Meta,
    pub status: Option<Val<Str>>,
    pub event_threshold: Option<Minutes>,
}

/// Appends `n` in decimal. Document paths are built for every rule and list item, so this
/// avoids the formatting machinery.
pub fn push_index(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

fn enabled(s: &Option<Val<Str>>) -> bool {
    s.as_ref().is_some_and(|s| s.value == "Enabled")
}

impl Rule {
    /// `/Rules/<i>` — the path prefix of this rule's members.
    pub fn path(index: usize) -> String {
        let mut path = String::with_capacity(7 + 20 + 16);
        path.push_str("/Rules/");
        push_index(&mut path, index);
        path
    }

    /// V2 when the rule has a `Filter`, V1 when it has a rule-level `Prefix`.
    pub fn schema_version(&self) -> Option<SchemaVersion> {
        match (&self.filter, &self.prefix) {
            (Some(_), None) => Some(SchemaVersion::V2),
            (None, Some(_)) => Some(SchemaVersion::V1),
            _ => None,
        }
    }

    pub fn is_enabled(&self) -> bool {
        enabled(&self.status)
    }

    pub fn destination_bucket(&self) -> Option<&str> {
        self.destination
            .as_ref()?
            .bucket
            .as_ref()
            .map(|b| b.as_str())
    }

    pub fn sse_kms_enabled(&self) -> bool {
        self.source_selection_criteria
            .as_ref()
            .and_then(|s| s.sse_kms_encrypted_objects.as_ref())
            .is_some_and(StatusBlock::is_enabled)
    }

    pub fn delete_markers_enabled(&self) -> bool {
        self.delete_marker_replication
            .as_ref()
            .is_some_and(StatusBlock::is_enabled)
    }

    /// "rule `ID`", or "rule #4" (counted from 1) when it has no ID: how every message, the
    /// simulation and the explanation name a rule.
    pub fn label(&self, index: usize) -> String {
        match &self.id {
            Some(id) if !id.value.is_empty() => {
                // Built by hand: policy planning labels every rule of large documents.
                let mut label = String::with_capacity(id.value.len() + 7);
                label.push_str("rule `");
                label.push_str(&id.value);
                label.push('`');
                label
            }
            _ => format!("rule #{}", index + 1),
        }
    }

    pub fn priority_value(&self) -> Option<i64> {
        self.priority.as_ref().map(|p| p.value)
    }

    /// A filter that mentions a tag anywhere (including `Not`/`Or`): S3 never replicates delete
    /// markers for such a rule.
    pub fn is_tag_based(&self) -> bool {
        !self.filter_tags().is_empty()
    }

    /// Does the rule copy delete markers (V1: yes; V2: when Enabled and not tag-based)?
    pub fn copies_delete_markers(&self) -> bool {
        match self.schema_version() {
            Some(SchemaVersion::V1) => true,
            Some(SchemaVersion::V2) => self.delete_markers_enabled() && !self.is_tag_based(),
            None => false,
        }
    }

    /// Replicas are owned by the destination account (`AccessControlTranslation/Owner` is
    /// `Destination`).
    pub fn owner_override(&self) -> bool {
        self.destination
            .as_ref()
            .and_then(|d| d.access_control_translation.as_ref())
            .and_then(|a| a.owner.as_ref())
            .is_some_and(|o| o.value == "Destination")
    }

    pub fn rtc_enabled(&self) -> bool {
        self.destination
            .as_ref()
            .and_then(|d| d.replication_time.as_ref())
            .is_some_and(|r| r.is_enabled())
    }

    pub fn metrics_enabled(&self) -> bool {
        self.destination
            .as_ref()
            .and_then(|d| d.metrics.as_ref())
            .is_some_and(|m| m.is_enabled())
    }

    pub fn storage_class(&self) -> Option<&str> {
        self.destination
            .as_ref()?
            .storage_class
            .as_ref()
            .map(|s| s.as_str())
    }

    pub fn replica_kms_key(&self) -> Option<&str> {
        self.destination
            .as_ref()?
            .encryption_configuration
            .as_ref()?
            .replica_kms_key_id
            .as_ref()
            .map(|k| k.as_str())
    }

    /// `Destination/EncryptionConfiguration/UseSourceMultiRegionKey`.
    pub fn source_mrk(&self) -> Option<&StatusBlock> {
        self.destination
            .as_ref()?
            .encryption_configuration
            .as_ref()?
            .use_source_multi_region_key
            .as_ref()
    }

    /// Replicates with the source's multi-Region key (`UseSourceMultiRegionKey` `Enabled`).
    pub fn use_source_mrk(&self) -> bool {
        self.source_mrk().is_some_and(StatusBlock::is_enabled)
    }

    pub fn replica_modifications(&self) -> bool {
        self.source_selection_criteria
            .as_ref()
            .and_then(|s| s.replica_modifications.as_ref())
            .is_some_and(|s| s.is_enabled())
    }

    /// `Destination/Account` as written.
    pub fn account_element(&self) -> Option<&str> {
        self.destination
            .as_ref()?
            .account
            .as_ref()
            .map(|a| a.as_str())
    }

    /// Every tag anywhere in the filter (Tag, And/Tag, Not/Tag, Not/Or/Tag).
    pub fn filter_tags(&self) -> Vec<&Tag> {
        let mut out = Vec::new();
        if let Some(f) = &self.filter {
            out.extend(f.tag.iter());
            if let Some(a) = &f.and {
                out.extend(a.tags.iter());
                if let Some(n) = &a.not {
                    n.collect_tags(&mut out);
                }
            }
            if let Some(n) = &f.not {
                n.collect_tags(&mut out);
            }
        }
        out
    }

    /// The key prefix the rule selects (V1 rule prefix, Filter/Prefix or And/Prefix); "" = all.
    pub fn key_prefix(&self) -> &str {
        if let Some(p) = &self.prefix {
            return p.as_str();
        }
        let Some(f) = &self.filter else { return "" };
        if let Some(p) = &f.prefix {
            return p.as_str();
        }
        f.and
            .as_ref()
            .and_then(|a| a.prefix.as_ref())
            .map_or("", |p| p.as_str())
    }
}

impl Not {
    fn collect_tags<'a>(&'a self, out: &mut Vec<&'a Tag>) {
        out.extend(self.tag.iter());
        if let Some(or) = &self.or {
            out.extend(or.tags.iter());
        }
    }
}

impl ReplicationTime {
    pub fn is_enabled(&self) -> bool {
        enabled(&self.status)
    }
}

impl Metrics {
    pub fn is_enabled(&self) -> bool {
        enabled(&self.status)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaVersion {
    V1,
    V2,
}
