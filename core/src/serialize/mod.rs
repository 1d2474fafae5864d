//! Serializers from the typed model back to text: canonical S3 XML (the PutBucketReplication
//! body) and AWS CLI JSON (`--replication-configuration`), so a document converts either way.
//!
//! Both writers walk the same format-neutral tree built here, so member order is defined in
//! one place. The order is the one botocore produces for the reference examples (caller order
//! of the AWS CLI documents in `spec/examples`): `ID, Status, Priority, Prefix, Filter,
//! DeleteMarkerReplication, SourceSelectionCriteria, ExistingObjectReplication, Destination`
//! in a rule, `Bucket, Account, AccessControlTranslation, StorageClass,
//! EncryptionConfiguration, ReplicationTime, Metrics` in a destination.
//!
//! Absent members (`None`) are omitted; present-but-empty structures are written as `<X/>` and
//! `"X": {}`; empty strings as `<X/>` and `"X": ""`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{
    And, Destination, Document, Filter, Format, Minutes, Not, Or, Rule, StatusBlock, Str, Tag, Val,
};

pub mod json;
pub mod xml;

pub use json::to_json;
pub use xml::to_xml;

/// The S3 XML namespace botocore always puts on the root element.
pub const S3_NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// Serialize `doc` in `format` ([`to_xml`] or [`to_json`]).
pub fn to_format(doc: &Document, format: Format) -> String {
    match format {
        Format::Xml => to_xml(doc),
        Format::Json => to_json(doc),
    }
}

/// Parse `text` (format detected) and serialize it as `to`.
///
/// Refuses (returning the offending diagnostics) when the parser reported an error: a document
/// with unknown, repeated or mistyped members would lose information in the conversion.
/// Semantic problems (rules S3R1xx and up) do not block a conversion.
pub fn convert(text: &str, to: Format) -> Result<String, Vec<Diagnostic>> {
    let parsed = crate::parse(text, None);
    let blocking: Vec<Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && is_parser_code(d.code))
        .cloned()
        .collect();
    if !blocking.is_empty() {
        return Err(blocking);
    }
    match parsed.document {
        Some(doc) => Ok(to_format(&doc, to)),
        None => {
            // The parser gave no model but no error either: never convert silently to nothing.
            let mut d = Diagnostic::new(
                "S3R001",
                Severity::Error,
                crate::source::Span::empty(0),
                "",
                "The document could not be read as a ReplicationConfiguration, so it cannot be converted.",
            );
            d.resolve(text, &crate::source::LineIndex::new(text));
            Err(vec![d])
        }
    }
}

/// Codes the parsers emit: `S3R000`..`S3R099`.
fn is_parser_code(code: &str) -> bool {
    code.strip_prefix("S3R")
        .is_some_and(|n| n.len() == 3 && n.starts_with('0'))
}

/// A format-neutral value: what both writers print.
#[derive(Debug)]
pub(crate) enum Value<'a> {
    Str(&'a str),
    Int(i64),
    Struct(Vec<Field<'a>>),
    /// A list: JSON writes an array under the field's name; XML repeats an element named
    /// `item` (S3's lists are flattened).
    List {
        item: &'static str,
        items: Vec<Value<'a>>,
    },
}

#[derive(Debug)]
pub(crate) struct Field<'a> {
    /// The JSON member name (also the XML element name, except for lists).
    pub name: &'static str,
    pub value: Value<'a>,
}

struct Fields<'a>(Vec<Field<'a>>);

impl<'a> Fields<'a> {
    fn new() -> Self {
        Fields(Vec::new())
    }
    fn push(&mut self, name: &'static str, value: Value<'a>) {
        self.0.push(Field { name, value });
    }
    fn str(&mut self, name: &'static str, v: &'a Option<Val<Str>>) {
        if let Some(v) = v {
            self.push(name, Value::Str(&v.value));
        }
    }
    fn int(&mut self, name: &'static str, v: &Option<Val<i64>>) {
        if let Some(v) = v {
            self.push(name, Value::Int(v.value));
        }
    }
    fn opt<T>(&mut self, name: &'static str, v: &'a Option<T>, f: impl Fn(&'a T) -> Value<'a>) {
        if let Some(v) = v {
            self.push(name, f(v));
        }
    }
    fn done(self) -> Value<'a> {
        Value::Struct(self.0)
    }
}

/// The root's members (`Role`, `Rules`). `Rules` is always written in JSON (it is required),
/// and never produces an element in XML when empty.
pub(crate) fn document_fields(doc: &Document) -> Vec<Field<'_>> {
    let mut f = Fields::new();
    f.str("Role", &doc.role);
    f.push(
        "Rules",
        Value::List {
            item: "Rule",
            items: doc.rules.iter().map(rule).collect(),
        },
    );
    f.0
}

fn rule(r: &Rule) -> Value<'_> {
    let mut f = Fields::new();
    f.str("ID", &r.id);
    f.str("Status", &r.status);
    f.int("Priority", &r.priority);
    f.str("Prefix", &r.prefix);
    f.opt("Filter", &r.filter, filter);
    f.opt(
        "DeleteMarkerReplication",
        &r.delete_marker_replication,
        status_block,
    );
    if let Some(ssc) = &r.source_selection_criteria {
        let mut s = Fields::new();
        s.opt(
            "SseKmsEncryptedObjects",
            &ssc.sse_kms_encrypted_objects,
            status_block,
        );
        s.opt(
            "ReplicaModifications",
            &ssc.replica_modifications,
            status_block,
        );
        f.push("SourceSelectionCriteria", s.done());
    }
    f.opt(
        "ExistingObjectReplication",
        &r.existing_object_replication,
        status_block,
    );
    f.opt("Destination", &r.destination, destination);
    f.done()
}

fn status_block(s: &StatusBlock) -> Value<'_> {
    let mut f = Fields::new();
    f.str("Status", &s.status);
    f.done()
}

fn tag(t: &Tag) -> Value<'_> {
    let mut f = Fields::new();
    f.str("Key", &t.key);
    f.str("Value", &t.value);
    f.done()
}

fn tags(list: &[Tag]) -> Value<'_> {
    Value::List {
        item: "Tag",
        items: list.iter().map(tag).collect(),
    }
}

fn filter(x: &Filter) -> Value<'_> {
    let mut f = Fields::new();
    f.str("Prefix", &x.prefix);
    f.opt("Tag", &x.tag, tag);
    f.opt("And", &x.and, |a| and(a));
    f.opt("Not", &x.not, |n| not(n));
    f.done()
}

fn and(a: &And) -> Value<'_> {
    let mut f = Fields::new();
    f.str("Prefix", &a.prefix);
    if !a.tags.is_empty() {
        f.push("Tags", tags(&a.tags));
    }
    f.opt("Not", &a.not, |n| not(n));
    f.done()
}

fn not(n: &Not) -> Value<'_> {
    let mut f = Fields::new();
    f.str("Prefix", &n.prefix);
    f.opt("Tag", &n.tag, tag);
    f.opt("Or", &n.or, or);
    f.done()
}

fn or(o: &Or) -> Value<'_> {
    let mut f = Fields::new();
    if !o.prefixes.is_empty() {
        f.push(
            "Prefixes",
            Value::List {
                item: "Prefix",
                items: o.prefixes.iter().map(|p| Value::Str(&p.value)).collect(),
            },
        );
    }
    if !o.tags.is_empty() {
        f.push("Tags", tags(&o.tags));
    }
    f.done()
}

fn minutes(m: &Minutes) -> Value<'_> {
    let mut f = Fields::new();
    f.int("Minutes", &m.minutes);
    f.done()
}

fn destination(d: &Destination) -> Value<'_> {
    let mut f = Fields::new();
    f.str("Bucket", &d.bucket);
    f.str("Account", &d.account);
    if let Some(act) = &d.access_control_translation {
        let mut a = Fields::new();
        a.str("Owner", &act.owner);
        f.push("AccessControlTranslation", a.done());
    }
    f.str("StorageClass", &d.storage_class);
    if let Some(enc) = &d.encryption_configuration {
        let mut e = Fields::new();
        e.str("ReplicaKmsKeyID", &enc.replica_kms_key_id);
        e.opt(
            "UseSourceMultiRegionKey",
            &enc.use_source_multi_region_key,
            status_block,
        );
        f.push("EncryptionConfiguration", e.done());
    }
    if let Some(rt) = &d.replication_time {
        let mut r = Fields::new();
        r.str("Status", &rt.status);
        r.opt("Time", &rt.time, minutes);
        f.push("ReplicationTime", r.done());
    }
    if let Some(m) = &d.metrics {
        let mut r = Fields::new();
        r.str("Status", &m.status);
        r.opt("EventThreshold", &m.event_threshold, minutes);
        f.push("Metrics", r.done());
    }
    f.done()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_codes() {
        assert!(is_parser_code("S3R001"));
        assert!(is_parser_code("S3R012"));
        assert!(is_parser_code("S3R099"));
        assert!(!is_parser_code("S3R201"));
        assert!(!is_parser_code("S3R0"));
    }
}
