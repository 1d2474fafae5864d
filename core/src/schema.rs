//! The ReplicationConfiguration element tree, declared once as data: every shape, its members
//! in botocore's order (`s3/2006-03-01/service-2.json`: the members of `ReplicationRule`,
//! `Destination`, ...), and each member's spelling in every input language side by side (S3
//! XML, AWS CLI JSON, CloudFormation, Terraform). Lowering walks it for both formats (unknown
//! members, "did you mean", repeats, required members, types), the serializers write members
//! in its order, and the CloudFormation and Terraform front ends read their names from its
//! columns. A new input language is one more column.
//!
//! Each shape also gets a module of named positions (`rule::FILTER`): code that reads one
//! member says which, and the positions cannot drift from the declaration.

/// What a member holds.
#[derive(Debug)]
pub enum Kind {
    String,
    /// A string restricted to these values (checked by rules, so fixes can be offered).
    Enum(&'static [&'static str]),
    Integer,
    Struct(&'static Shape),
}

/// One member of a shape, spelled in every input language.
#[derive(Debug)]
pub struct Field {
    /// Element name in S3's XML.
    pub xml: &'static str,
    /// Member name in the AWS CLI's JSON (the SDK name; differs from `xml` only for lists).
    pub json: &'static str,
    /// The property name in CloudFormation's `AWS::S3::Bucket` ([`ABSENT`]: not available).
    pub cfn: &'static str,
    /// The argument or block name in Terraform's `aws_s3_bucket_replication_configuration`
    /// ([`ABSENT`]: not available).
    pub tf: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Flattened list in XML (repeated element), array in JSON.
    pub list: bool,
}

/// The spelling of a member an input language does not have.
pub const ABSENT: &str = "";

#[derive(Debug)]
pub struct Shape {
    pub name: &'static str,
    pub fields: &'static [Field],
}

impl Shape {
    pub fn field(&self, name: &str, json: bool) -> Option<(usize, &'static Field)> {
        // Hot in lowering: compare length and first byte before the bytes.
        let first = name.as_bytes().first();
        self.fields.iter().enumerate().find(|(_, f)| {
            let candidate = if json { f.json } else { f.xml };
            candidate.len() == name.len()
                && candidate.as_bytes().first() == first
                && same_name(candidate, name)
        })
    }

    /// [`Shape::field`], trying field `hint` first (names are unique within a shape).
    #[inline]
    pub fn field_from(
        &self,
        name: &str,
        json: bool,
        hint: usize,
    ) -> Option<(usize, &'static Field)> {
        match self.fields.get(hint) {
            Some(f) if same_name(if json { f.json } else { f.xml }, name) => Some((hint, f)),
            _ => self.field(name, json),
        }
    }

    pub fn names(&self, json: bool) -> Vec<&'static str> {
        self.fields
            .iter()
            .map(|f| if json { f.json } else { f.xml })
            .collect()
    }
}

/// `a == b` without a call to `memcmp`, which costs more than comparing a short name (and
/// lowering matches every member's name): 8 bytes at a time, the last word overlapping.
#[inline]
fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let word = |s: &[u8], i: usize| {
        s.get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map(u64::from_le_bytes)
    };
    let mut i = 0;
    while i + 8 < n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

pub const STATUS_VALUES: &[&str] = &["Enabled", "Disabled"];
pub const OWNER_VALUES: &[&str] = &["Destination"];
/// Every value of botocore's shared StorageClass enum (replication accepts a subset).
pub const STORAGE_CLASS_VALUES: &[&str] = &[
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "DEEP_ARCHIVE",
    "OUTPOSTS",
    "GLACIER_IR",
    "SNOW",
    "EXPRESS_ONEZONE",
    "FSX_OPENZFS",
    "FSX_ONTAP",
    "AWS_BACKUP_WARM",
    "AWS_BACKUP_LOW_COST_WARM",
];

/// An optional member: its XML, JSON, CloudFormation and Terraform spellings, then its kind.
const fn one(
    xml: &'static str,
    json: &'static str,
    cfn: &'static str,
    tf: &'static str,
    kind: Kind,
) -> Field {
    Field {
        xml,
        json,
        cfn,
        tf,
        kind,
        required: false,
        list: false,
    }
}
/// A required member (see [`one`]).
const fn req(
    xml: &'static str,
    json: &'static str,
    cfn: &'static str,
    tf: &'static str,
    kind: Kind,
) -> Field {
    Field {
        required: true,
        ..one(xml, json, cfn, tf, kind)
    }
}
/// An optional list (see [`one`]): repeated elements in XML, an array in JSON.
const fn list(
    xml: &'static str,
    json: &'static str,
    cfn: &'static str,
    tf: &'static str,
    kind: Kind,
) -> Field {
    Field {
        list: true,
        ..one(xml, json, cfn, tf, kind)
    }
}
const STATUS: Kind = Kind::Enum(STATUS_VALUES);
const TEXT: Kind = Kind::String;
const INT: Kind = Kind::Integer;
const NO: &str = ABSENT;

/// Declares a shape and, beside it, a module of its members' positions, from one list.
macro_rules! shape {
    ($(#[$doc:meta])* $NAME:ident, $module:ident, $name:literal { $($F:ident: $field:expr,)* }) => {
        $(#[$doc])*
        pub static $NAME: Shape = Shape { name: $name, fields: &[$($field,)*] };

        #[doc = concat!("Positions of [`", stringify!($NAME), "`]'s members.")]
        pub mod $module {
            #[allow(non_camel_case_types, dead_code, clippy::upper_case_acronyms)]
            #[repr(usize)]
            enum At { $($F,)* }
            $(pub const $F: usize = At::$F as usize;)*
        }
    };
}

// Members in botocore's order. Columns: S3 XML, AWS CLI JSON, CloudFormation, Terraform.
// Where a language's shape differs (not just its names), its front end maps it beside its
// use of these columns and says why: Terraform's `filter` precedence and `and.tags` map
// (`iac/terraform.rs`), and the legacy inline block of `aws_s3_bucket`.

shape! { ROOT, root, "ReplicationConfiguration" {
    ROLE:  req("Role", "Role",  "Role",  "role", TEXT),
    RULES: Field { required: true, ..list("Rule", "Rules", "Rules", "rule", Kind::Struct(&RULE)) },
}}

shape! { RULE, rule, "Rule" {
    ID:                          one("ID",                        "ID",                        "Id",                        "id",                          TEXT),
    PRIORITY:                    one("Priority",                  "Priority",                  "Priority",                  "priority",                    INT),
    PREFIX:                      one("Prefix",                    "Prefix",                    "Prefix",                    "prefix",                      TEXT),
    FILTER:                      one("Filter",                    "Filter",                    "Filter",                    "filter",                      Kind::Struct(&FILTER)),
    STATUS:                      req("Status",                    "Status",                    "Status",                    "status",                      STATUS),
    SOURCE_SELECTION_CRITERIA:   one("SourceSelectionCriteria",   "SourceSelectionCriteria",   "SourceSelectionCriteria",   "source_selection_criteria",   Kind::Struct(&SOURCE_SELECTION_CRITERIA)),
    EXISTING_OBJECT_REPLICATION: one("ExistingObjectReplication", "ExistingObjectReplication", NO,                          "existing_object_replication", Kind::Struct(&STATUS_BLOCK)),
    DESTINATION:                 req("Destination",               "Destination",               "Destination",               "destination",                 Kind::Struct(&DESTINATION)),
    DELETE_MARKER_REPLICATION:   one("DeleteMarkerReplication",   "DeleteMarkerReplication",   "DeleteMarkerReplication",   "delete_marker_replication",   Kind::Struct(&OPTIONAL_STATUS_BLOCK)),
}}

shape! { FILTER, filter, "Filter" {
    PREFIX: one("Prefix", "Prefix", "Prefix",    "prefix", TEXT),
    TAG:    one("Tag",    "Tag",    "TagFilter", "tag",    Kind::Struct(&TAG)),
    AND:    one("And",    "And",    "And",       "and",    Kind::Struct(&AND)),
    NOT:    one("Not",    "Not",    NO,          NO,       Kind::Struct(&NOT)),
}}

shape! { TAG, tag, "Tag" {
    KEY:   req("Key",   "Key",   "Key",   "key",   TEXT),
    VALUE: req("Value", "Value", "Value", "value", TEXT),
}}

shape! { AND, and, "And" {
    PREFIX: one("Prefix", "Prefix", "Prefix",     "prefix", TEXT),
    TAGS:   list("Tag",   "Tags",   "TagFilters", "tags",   Kind::Struct(&TAG)),
    NOT:    one("Not",    "Not",    NO,           NO,       Kind::Struct(&NOT)),
}}

shape! { NOT, not, "Not" {
    PREFIX: one("Prefix", "Prefix", NO, NO, TEXT),
    TAG:    one("Tag",    "Tag",    NO, NO, Kind::Struct(&TAG)),
    OR:     one("Or",     "Or",     NO, NO, Kind::Struct(&OR)),
}}

shape! { OR, or, "Or" {
    PREFIXES: list("Prefix", "Prefixes", NO, NO, TEXT),
    TAGS:     list("Tag",    "Tags",     NO, NO, Kind::Struct(&TAG)),
}}

shape! { STATUS_BLOCK, status_block, "StatusBlock" {
    STATUS: req("Status", "Status", "Status", "status", STATUS),
}}

shape! {
    /// `DeleteMarkerReplication/Status` is optional in the model.
    OPTIONAL_STATUS_BLOCK, optional_status_block, "DeleteMarkerReplication" {
    STATUS: one("Status", "Status", "Status", "status", STATUS),
}}

shape! { SOURCE_SELECTION_CRITERIA, source_selection_criteria, "SourceSelectionCriteria" {
    SSE_KMS_ENCRYPTED_OBJECTS: one("SseKmsEncryptedObjects", "SseKmsEncryptedObjects", "SseKmsEncryptedObjects", "sse_kms_encrypted_objects", Kind::Struct(&STATUS_BLOCK)),
    REPLICA_MODIFICATIONS:     one("ReplicaModifications",   "ReplicaModifications",   "ReplicaModifications",   "replica_modifications",     Kind::Struct(&STATUS_BLOCK)),
}}

shape! { DESTINATION, destination, "Destination" {
    BUCKET:                     req("Bucket",                   "Bucket",                   "Bucket",                   "bucket",                     TEXT),
    ACCOUNT:                    one("Account",                  "Account",                  "Account",                  "account",                    TEXT),
    STORAGE_CLASS:              one("StorageClass",             "StorageClass",             "StorageClass",             "storage_class",              Kind::Enum(STORAGE_CLASS_VALUES)),
    ACCESS_CONTROL_TRANSLATION: one("AccessControlTranslation", "AccessControlTranslation", "AccessControlTranslation", "access_control_translation", Kind::Struct(&ACCESS_CONTROL_TRANSLATION)),
    ENCRYPTION_CONFIGURATION:   one("EncryptionConfiguration",  "EncryptionConfiguration",  "EncryptionConfiguration",  "encryption_configuration",   Kind::Struct(&ENCRYPTION_CONFIGURATION)),
    REPLICATION_TIME:           one("ReplicationTime",          "ReplicationTime",          "ReplicationTime",          "replication_time",           Kind::Struct(&REPLICATION_TIME)),
    METRICS:                    one("Metrics",                  "Metrics",                  "Metrics",                  "metrics",                    Kind::Struct(&METRICS)),
}}

shape! { ACCESS_CONTROL_TRANSLATION, access_control_translation, "AccessControlTranslation" {
    OWNER: req("Owner", "Owner", "Owner", "owner", Kind::Enum(OWNER_VALUES)),
}}

shape! { ENCRYPTION_CONFIGURATION, encryption_configuration, "EncryptionConfiguration" {
    REPLICA_KMS_KEY_ID:          one("ReplicaKmsKeyID",         "ReplicaKmsKeyID",         "ReplicaKmsKeyID", "replica_kms_key_id", TEXT),
    USE_SOURCE_MULTI_REGION_KEY: one("UseSourceMultiRegionKey", "UseSourceMultiRegionKey", NO,                NO,                   Kind::Struct(&STATUS_BLOCK)),
}}

shape! { REPLICATION_TIME, replication_time, "ReplicationTime" {
    STATUS: req("Status", "Status", "Status", "status", STATUS),
    TIME:   req("Time",   "Time",   "Time",   "time",   Kind::Struct(&MINUTES)),
}}

shape! { METRICS, metrics, "Metrics" {
    STATUS:          req("Status",         "Status",         "Status",         "status",          STATUS),
    EVENT_THRESHOLD: one("EventThreshold", "EventThreshold", "EventThreshold", "event_threshold", Kind::Struct(&MINUTES)),
}}

shape! { MINUTES, minutes, "ReplicationTimeValue" {
    MINUTES: one("Minutes", "Minutes", "Minutes", "minutes", INT),
}}

/// Every shape, each once, parents before children (the order of a depth-first walk).
pub fn shapes() -> Vec<&'static Shape> {
    let mut out: Vec<&'static Shape> = Vec::new();
    let mut todo: Vec<&'static Shape> = vec![&ROOT];
    while let Some(shape) = todo.pop() {
        if out.iter().any(|s| std::ptr::eq(*s, shape)) {
            continue;
        }
        out.push(shape);
        // Reversed, so that children come off the stack in member order.
        for f in shape.fields.iter().rev() {
            if let Kind::Struct(s) = f.kind {
                todo.push(s);
            }
        }
    }
    out
}

/// Names other tools use for the same members that are not a column above, with the S3 name
/// to use instead.
const OTHER_NAMES: &[(&str, &str, &str)] = &[
    ("ReplicationRules", "Rules", "CloudFormation"),
    ("KmsKeyId", "ReplicaKmsKeyID", "the KMS API"),
    ("ReplicaKmsKeyId", "ReplicaKmsKeyID", "Terraform/CDK"),
];

/// When `name` is another tool's name for a member (a CloudFormation spelling that differs
/// from the API's, or one of [`OTHER_NAMES`]): the API's JSON name and the tool.
pub fn foreign_name(name: &str) -> Option<(&'static str, &'static str)> {
    let cfn = shapes().into_iter().find_map(|s| {
        s.fields
            .iter()
            .find(|f| f.cfn == name && f.cfn != f.json)
            .map(|f| (f.json, "CloudFormation"))
    });
    cfn.or_else(|| {
        OTHER_NAMES
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, s3, tool)| (*s3, *tool))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_name_is_equality() {
        let names = [
            "",
            "a",
            "ab",
            "ID",
            "Tag",
            "Status",
            "Prefix",
            "Priority",
            "Priorityy",
        ];
        let long = [
            "AccessControlTranslation",
            "AccessControlTranslatiom",
            "SseKmsEncryptedObjects",
        ];
        for a in names.iter().chain(&long) {
            for b in names.iter().chain(&long) {
                assert_eq!(same_name(a, b), a == b, "{a} {b}");
            }
        }
        // A difference at every position of names of every length up to 40.
        for n in 0..40 {
            let a = "x".repeat(n);
            assert!(same_name(&a, &a.clone()));
            for i in 0..n {
                let mut b = a.clone().into_bytes();
                b[i] = b'y';
                assert!(!same_name(&a, &String::from_utf8(b).unwrap_or_default()));
            }
        }
    }

    /// Members a language does not have, by shape and JSON name. A member added to the schema
    /// without a spelling in a column fails `every_member_is_spelled_in_every_language`
    /// unless it is listed here.
    const NOT_IN_CLOUDFORMATION: &[(&str, &str)] = &[
        // `AWS::S3::Bucket ReplicationRule` has no such property.
        ("Rule", "ExistingObjectReplication"),
        ("Filter", "Not"),
        ("And", "Not"),
        ("EncryptionConfiguration", "UseSourceMultiRegionKey"),
    ];
    const NOT_IN_TERRAFORM: &[(&str, &str)] = &[
        ("Filter", "Not"),
        ("And", "Not"),
        ("EncryptionConfiguration", "UseSourceMultiRegionKey"),
    ];

    /// Every member reachable in a language (through members it spells) has a spelling there,
    /// unless listed as absent; and no listed absence is spelled after all.
    #[test]
    fn every_member_is_spelled_in_every_language() {
        type Column = fn(&Field) -> &'static str;
        type Absent = &'static [(&'static str, &'static str)];
        let columns: [(&str, Column, Absent); 4] = [
            ("XML", |f| f.xml, &[]),
            ("JSON", |f| f.json, &[]),
            ("CloudFormation", |f| f.cfn, NOT_IN_CLOUDFORMATION),
            ("Terraform", |f| f.tf, NOT_IN_TERRAFORM),
        ];
        for (language, column, absent) in columns {
            let mut todo = vec![&ROOT];
            let mut seen: Vec<&Shape> = Vec::new();
            while let Some(shape) = todo.pop() {
                if seen.iter().any(|s| std::ptr::eq(*s, shape)) {
                    continue;
                }
                seen.push(shape);
                for f in shape.fields {
                    let listed = absent.contains(&(shape.name, f.json));
                    let spelled = column(f) != ABSENT;
                    assert!(
                        spelled != listed,
                        "{language}: {}/{} is {}",
                        shape.name,
                        f.json,
                        if spelled {
                            "spelled but listed as absent"
                        } else {
                            "not spelled"
                        }
                    );
                    if let (true, Kind::Struct(s)) = (spelled, &f.kind) {
                        todo.push(s);
                    }
                }
            }
        }
    }

    /// Positions the lowering and the serializers share between the two status shapes.
    #[test]
    fn status_shapes_agree() {
        assert_eq!(STATUS_BLOCK.fields.len(), 1);
        assert_eq!(OPTIONAL_STATUS_BLOCK.fields.len(), 1);
        assert_eq!(status_block::STATUS, optional_status_block::STATUS);
        assert_eq!(
            STATUS_BLOCK.fields[status_block::STATUS].json,
            OPTIONAL_STATUS_BLOCK.fields[optional_status_block::STATUS].json
        );
    }

    #[test]
    fn positions_name_their_members() {
        assert_eq!(RULE.fields[rule::ID].xml, "ID");
        assert_eq!(
            RULE.fields[rule::DELETE_MARKER_REPLICATION].tf,
            "delete_marker_replication"
        );
        assert_eq!(ROOT.fields[root::RULES].json, "Rules");
        assert_eq!(
            ENCRYPTION_CONFIGURATION.fields[encryption_configuration::REPLICA_KMS_KEY_ID].cfn,
            "ReplicaKmsKeyID"
        );
        assert_eq!(AND.fields[and::TAGS].cfn, "TagFilters");
        assert_eq!(shapes().len(), 16);
    }

    /// The CloudFormation names that differ from the API's are recognised as such.
    #[test]
    fn foreign_names() {
        assert_eq!(foreign_name("Id"), Some(("ID", "CloudFormation")));
        assert_eq!(foreign_name("TagFilter"), Some(("Tag", "CloudFormation")));
        assert_eq!(foreign_name("TagFilters"), Some(("Tags", "CloudFormation")));
        assert_eq!(
            foreign_name("ReplicationRules"),
            Some(("Rules", "CloudFormation"))
        );
        assert_eq!(
            foreign_name("ReplicaKmsKeyId"),
            Some(("ReplicaKmsKeyID", "Terraform/CDK"))
        );
        assert_eq!(foreign_name("ID"), None);
        assert_eq!(foreign_name("Status"), None);
    }

    /// `Shape::field_from` relies on it.
    #[test]
    fn member_names_are_unique_within_each_shape() {
        let mut todo = vec![&ROOT];
        let mut seen = 0;
        while let Some(shape) = todo.pop() {
            seen += 1;
            for json in [false, true] {
                let names = shape.names(json);
                assert!(names.len() <= crate::lower::MAX_FIELDS, "{}", shape.name);
                for (i, n) in names.iter().enumerate() {
                    assert!(!names[..i].contains(n), "{} repeats {n}", shape.name);
                    assert_eq!(shape.field(n, json).map(|(k, _)| k), Some(i));
                    for hint in 0..names.len() + 1 {
                        assert_eq!(shape.field_from(n, json, hint).map(|(k, _)| k), Some(i));
                    }
                }
            }
            for f in shape.fields {
                if let Kind::Struct(s) = f.kind {
                    todo.push(s);
                }
            }
        }
        assert!(seen > 10);
    }
}
