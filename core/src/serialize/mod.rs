//! Serializers from the typed model back to text: canonical S3 XML (the PutBucketReplication
//! body) and AWS CLI JSON (`--replication-configuration`), so a document converts either way.
//!
//! Both writers walk the same format-neutral tree built here, and it is built by walking the
//! schema ([`crate::schema`]): members come out in its order (botocore's), and each model type
//! only says which of its fields is the member at a position.
//!
//! Absent members (`None`) are omitted; present-but-empty structures are written as `<X/>` and
//! `"X": {}`; empty strings as `<X/>` and `"X": ""`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{
    AccessControlTranslation, And, Destination, Document, EncryptionConfiguration, Filter, Format,
    Metrics, Minutes, Not, Or, ReplicationTime, Rule, SourceSelectionCriteria, StatusBlock, Str,
    Tag, Val,
};
use crate::schema::{
    self, access_control_translation as act, and, destination, encryption_configuration as enc,
    filter, metrics, minutes, not, or, replication_time as rtc, root, rule,
    source_selection_criteria as ssc, status_block, tag, Shape,
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
            let malformed = &crate::catalogue::parse::MALFORMED;
            let mut d = Diagnostic::new(
                malformed.code,
                malformed.severity,
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
pub(crate) fn is_parser_code(code: &str) -> bool {
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

/// A model type that is one of the schema's shapes: its members by position in `SHAPE`.
/// The writers ask for every position in order, so the order is the schema's; a member a
/// type forgets is missing from the output, which `every_member_in_schema_order` catches.
trait Shaped {
    const SHAPE: &'static Shape;
    /// Member `at` (a position in `SHAPE`), `None` when absent. Lists are built by [`list`].
    fn member(&self, at: usize) -> Option<Value<'_>>;
}

/// `x` as a structure: its present members in schema order, named as the schema names them.
fn structure<T: Shaped>(x: &T) -> Value<'_> {
    Value::Struct(fields_of(x))
}

fn fields_of<T: Shaped>(x: &T) -> Vec<Field<'_>> {
    T::SHAPE
        .fields
        .iter()
        .enumerate()
        .filter_map(|(at, f)| {
            let mut value = x.member(at)?;
            if let Value::List { item, .. } = &mut value {
                *item = f.xml;
            }
            Some(Field {
                name: f.json,
                value,
            })
        })
        .collect()
}

fn text(v: &Option<Val<Str>>) -> Option<Value<'_>> {
    v.as_ref().map(|v| Value::Str(&v.value))
}

fn int(v: &Option<Val<i64>>) -> Option<Value<'_>> {
    v.as_ref().map(|v| Value::Int(v.value))
}

fn opt<T: Shaped>(v: &Option<T>) -> Option<Value<'_>> {
    v.as_ref().map(structure)
}

/// A list of items (the XML item name is filled in from the schema by [`fields_of`]).
fn list<'a>(items: impl Iterator<Item = Value<'a>>) -> Value<'a> {
    Value::List {
        item: "",
        items: items.collect(),
    }
}

/// A list that is omitted when empty (every list but the root's `Rules`).
fn nonempty<'a, T>(items: &'a [T], each: impl Fn(&'a T) -> Value<'a>) -> Option<Value<'a>> {
    (!items.is_empty()).then(|| list(items.iter().map(each)))
}

/// The root's members (`Role`, `Rules`). `Rules` is always written in JSON (it is required),
/// and never produces an element in XML when empty.
pub(crate) fn document_fields(doc: &Document) -> Vec<Field<'_>> {
    fields_of(doc)
}

impl Shaped for Document {
    const SHAPE: &'static Shape = &schema::ROOT;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            root::ROLE => text(&self.role),
            root::RULES => Some(list(self.rules.iter().map(structure))),
            _ => None,
        }
    }
}

impl Shaped for Rule {
    const SHAPE: &'static Shape = &schema::RULE;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            rule::ID => text(&self.id),
            rule::PRIORITY => int(&self.priority),
            rule::PREFIX => text(&self.prefix),
            rule::FILTER => opt(&self.filter),
            rule::STATUS => text(&self.status),
            rule::SOURCE_SELECTION_CRITERIA => opt(&self.source_selection_criteria),
            rule::EXISTING_OBJECT_REPLICATION => opt(&self.existing_object_replication),
            rule::DESTINATION => opt(&self.destination),
            rule::DELETE_MARKER_REPLICATION => opt(&self.delete_marker_replication),
            _ => None,
        }
    }
}

impl Shaped for Filter {
    const SHAPE: &'static Shape = &schema::FILTER;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            filter::PREFIX => text(&self.prefix),
            filter::TAG => opt(&self.tag),
            filter::AND => self.and.as_deref().map(structure),
            filter::NOT => self.not.as_deref().map(structure),
            _ => None,
        }
    }
}

impl Shaped for Tag {
    const SHAPE: &'static Shape = &schema::TAG;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            tag::KEY => text(&self.key),
            tag::VALUE => text(&self.value),
            _ => None,
        }
    }
}

impl Shaped for And {
    const SHAPE: &'static Shape = &schema::AND;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            and::PREFIX => text(&self.prefix),
            and::TAGS => nonempty(&self.tags, structure),
            and::NOT => self.not.as_deref().map(structure),
            _ => None,
        }
    }
}

impl Shaped for Not {
    const SHAPE: &'static Shape = &schema::NOT;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            not::PREFIX => text(&self.prefix),
            not::TAG => opt(&self.tag),
            not::OR => opt(&self.or),
            _ => None,
        }
    }
}

impl Shaped for Or {
    const SHAPE: &'static Shape = &schema::OR;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            or::PREFIXES => nonempty(&self.prefixes, |p| Value::Str(&p.value)),
            or::TAGS => nonempty(&self.tags, structure),
            _ => None,
        }
    }
}

/// Also `DeleteMarkerReplication` (`OPTIONAL_STATUS_BLOCK`): the same single member.
impl Shaped for StatusBlock {
    const SHAPE: &'static Shape = &schema::STATUS_BLOCK;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            status_block::STATUS => text(&self.status),
            _ => None,
        }
    }
}

impl Shaped for SourceSelectionCriteria {
    const SHAPE: &'static Shape = &schema::SOURCE_SELECTION_CRITERIA;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            ssc::SSE_KMS_ENCRYPTED_OBJECTS => opt(&self.sse_kms_encrypted_objects),
            ssc::REPLICA_MODIFICATIONS => opt(&self.replica_modifications),
            _ => None,
        }
    }
}

impl Shaped for Destination {
    const SHAPE: &'static Shape = &schema::DESTINATION;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            destination::BUCKET => text(&self.bucket),
            destination::ACCOUNT => text(&self.account),
            destination::STORAGE_CLASS => text(&self.storage_class),
            destination::ACCESS_CONTROL_TRANSLATION => opt(&self.access_control_translation),
            destination::ENCRYPTION_CONFIGURATION => opt(&self.encryption_configuration),
            destination::REPLICATION_TIME => opt(&self.replication_time),
            destination::METRICS => opt(&self.metrics),
            _ => None,
        }
    }
}

impl Shaped for AccessControlTranslation {
    const SHAPE: &'static Shape = &schema::ACCESS_CONTROL_TRANSLATION;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            act::OWNER => text(&self.owner),
            _ => None,
        }
    }
}

impl Shaped for EncryptionConfiguration {
    const SHAPE: &'static Shape = &schema::ENCRYPTION_CONFIGURATION;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            enc::REPLICA_KMS_KEY_ID => text(&self.replica_kms_key_id),
            enc::USE_SOURCE_MULTI_REGION_KEY => opt(&self.use_source_multi_region_key),
            _ => None,
        }
    }
}

impl Shaped for ReplicationTime {
    const SHAPE: &'static Shape = &schema::REPLICATION_TIME;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            rtc::STATUS => text(&self.status),
            rtc::TIME => opt(&self.time),
            _ => None,
        }
    }
}

impl Shaped for Metrics {
    const SHAPE: &'static Shape = &schema::METRICS;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            metrics::STATUS => text(&self.status),
            metrics::EVENT_THRESHOLD => opt(&self.event_threshold),
            _ => None,
        }
    }
}

impl Shaped for Minutes {
    const SHAPE: &'static Shape = &schema::MINUTES;
    fn member(&self, at: usize) -> Option<Value<'_>> {
        match at {
            minutes::MINUTES => int(&self.minutes),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Kind;
    use crate::syntax::{Content, Node};

    /// The member names of `node` must be `shape`'s, all of them, in the schema's order
    /// (`every_member` has every member; XML repeats a list's element per item).
    fn assert_schema_order(node: &Node<'_>, shape: &Shape, json: bool, path: &str) {
        let Content::Object(members) = &node.content else {
            panic!("{path}: not an object: {node:?}");
        };
        let names: Vec<&str> = members.iter().map(|m| m.name.as_ref()).collect();
        let mut expected = Vec::new();
        for f in shape.fields {
            let repeat = if f.list && !json { 2 } else { 1 };
            expected.extend(std::iter::repeat_n(
                if json { f.json } else { f.xml },
                repeat,
            ));
        }
        assert_eq!(names, expected, "{path}: members out of the schema's order");
        for m in members {
            let Some((_, f)) = shape.field(&m.name, json) else {
                continue;
            };
            let Kind::Struct(inner) = f.kind else {
                continue;
            };
            let path = format!("{path}/{}", m.name);
            match &m.value.content {
                Content::Array(items) => {
                    assert_eq!(items.len(), 2, "{path}");
                    for item in items {
                        assert_schema_order(item, inner, json, &path);
                    }
                }
                _ => assert_schema_order(&m.value, inner, json, &path),
            }
        }
    }

    #[test]
    fn every_member_in_schema_order() {
        let parsed = crate::parse(&crate::testgen::every_member(), Some(Format::Json));
        let errors: Vec<_> = parsed
            .diagnostics
            .iter()
            .filter(|d| is_parser_code(d.code))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let doc = parsed.document.expect("a document");

        let xml = to_xml(&doc);
        let mut diagnostics = Vec::new();
        let root = crate::parse::xml::parse_tree(&xml, &mut diagnostics).expect("XML parses");
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        assert_schema_order(&root.value, &schema::ROOT, false, "");

        let json = to_json(&doc);
        let (root, diagnostics) = crate::parse::json::parse_tree(&json);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        assert_schema_order(&root.expect("JSON parses"), &schema::ROOT, true, "");
    }

    #[test]
    fn parser_codes() {
        assert!(is_parser_code("S3R001"));
        assert!(is_parser_code("S3R012"));
        assert!(is_parser_code("S3R099"));
        assert!(!is_parser_code("S3R201"));
        assert!(!is_parser_code("S3R0"));
    }
}
