//! The ReplicationConfiguration element tree, declared once as data. Both parsers' lowering
//! walks it (unknown members, "did you mean", repeats, required members, types) and the
//! serializers follow its order (botocore's member order).

/// What a member holds.
#[derive(Debug)]
pub enum Kind {
    String,
    /// A string restricted to these values (checked by rules, so fixes can be offered).
    Enum(&'static [&'static str]),
    Integer,
    Struct(&'static Shape),
}

#[derive(Debug)]
pub struct Field {
    /// Element name in XML.
    pub xml: &'static str,
    /// Member name in JSON (the SDK name; differs from `xml` only for lists).
    pub json: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Flattened list in XML (repeated element), array in JSON.
    pub list: bool,
    /// The property name in CloudFormation's `AWS::S3::Bucket` (`""`: not available there).
    pub cfn: &'static str,
    /// The argument or block name in Terraform's `aws_s3_bucket_replication_configuration`
    /// (`""`: not available there).
    pub tf: &'static str,
}

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

const fn f(xml: &'static str, json: &'static str, kind: Kind, required: bool, list: bool) -> Field {
    Field {
        xml,
        json,
        kind,
        required,
        list,
        cfn: json,
        tf: "",
    }
}

impl Field {
    /// The CloudFormation and Terraform spellings (`""` where the language lacks the member).
    const fn iac(self, cfn: &'static str, tf: &'static str) -> Field {
        Field { cfn, tf, ..self }
    }
}
const fn one(name: &'static str, kind: Kind) -> Field {
    f(name, name, kind, false, false)
}
const fn req(name: &'static str, kind: Kind) -> Field {
    f(name, name, kind, true, false)
}
const STATUS: Kind = Kind::Enum(STATUS_VALUES);

pub static ROOT: Shape = Shape {
    name: "ReplicationConfiguration",
    fields: &[
        req("Role", Kind::String).iac("Role", "role"),
        f("Rule", "Rules", Kind::Struct(&RULE), true, true).iac("Rules", "rule"),
    ],
};

pub static RULE: Shape = Shape {
    name: "Rule",
    fields: &[
        one("ID", Kind::String).iac("Id", "id"),
        one("Priority", Kind::Integer).iac("Priority", "priority"),
        one("Prefix", Kind::String).iac("Prefix", "prefix"),
        one("Filter", Kind::Struct(&FILTER)).iac("Filter", "filter"),
        req("Status", STATUS).iac("Status", "status"),
        one(
            "SourceSelectionCriteria",
            Kind::Struct(&SOURCE_SELECTION_CRITERIA),
        )
        .iac("SourceSelectionCriteria", "source_selection_criteria"),
        one("ExistingObjectReplication", Kind::Struct(&STATUS_BLOCK))
            .iac("", "existing_object_replication"),
        req("Destination", Kind::Struct(&DESTINATION)).iac("Destination", "destination"),
        one(
            "DeleteMarkerReplication",
            Kind::Struct(&OPTIONAL_STATUS_BLOCK),
        )
        .iac("DeleteMarkerReplication", "delete_marker_replication"),
    ],
};

pub static FILTER: Shape = Shape {
    name: "Filter",
    fields: &[
        one("Prefix", Kind::String).iac("Prefix", "prefix"),
        one("Tag", Kind::Struct(&TAG)).iac("TagFilter", "tag"),
        one("And", Kind::Struct(&AND)).iac("And", "and"),
        one("Not", Kind::Struct(&NOT)).iac("", ""),
    ],
};

pub static TAG: Shape = Shape {
    name: "Tag",
    fields: &[
        req("Key", Kind::String).iac("Key", "key"),
        req("Value", Kind::String).iac("Value", "value"),
    ],
};

pub static AND: Shape = Shape {
    name: "And",
    fields: &[
        one("Prefix", Kind::String).iac("Prefix", "prefix"),
        f("Tag", "Tags", Kind::Struct(&TAG), false, true).iac("TagFilters", "tags"),
        one("Not", Kind::Struct(&NOT)).iac("", ""),
    ],
};

pub static NOT: Shape = Shape {
    name: "Not",
    fields: &[
        one("Prefix", Kind::String).iac("", ""),
        one("Tag", Kind::Struct(&TAG)).iac("", ""),
        one("Or", Kind::Struct(&OR)).iac("", ""),
    ],
};

pub static OR: Shape = Shape {
    name: "Or",
    fields: &[
        f("Prefix", "Prefixes", Kind::String, false, true).iac("", ""),
        f("Tag", "Tags", Kind::Struct(&TAG), false, true).iac("", ""),
    ],
};

pub static STATUS_BLOCK: Shape = Shape {
    name: "StatusBlock",
    fields: &[req("Status", STATUS).iac("Status", "status")],
};

/// `DeleteMarkerReplication/Status` is optional in the model.
pub static OPTIONAL_STATUS_BLOCK: Shape = Shape {
    name: "DeleteMarkerReplication",
    fields: &[one("Status", STATUS).iac("Status", "status")],
};

pub static SOURCE_SELECTION_CRITERIA: Shape = Shape {
    name: "SourceSelectionCriteria",
    fields: &[
        one("SseKmsEncryptedObjects", Kind::Struct(&STATUS_BLOCK))
            .iac("SseKmsEncryptedObjects", "sse_kms_encrypted_objects"),
        one("ReplicaModifications", Kind::Struct(&STATUS_BLOCK))
            .iac("ReplicaModifications", "replica_modifications"),
    ],
};

pub static DESTINATION: Shape = Shape {
    name: "Destination",
    fields: &[
        req("Bucket", Kind::String).iac("Bucket", "bucket"),
        one("Account", Kind::String).iac("Account", "account"),
        one("StorageClass", Kind::Enum(STORAGE_CLASS_VALUES)).iac("StorageClass", "storage_class"),
        one(
            "AccessControlTranslation",
            Kind::Struct(&ACCESS_CONTROL_TRANSLATION),
        )
        .iac("AccessControlTranslation", "access_control_translation"),
        one(
            "EncryptionConfiguration",
            Kind::Struct(&ENCRYPTION_CONFIGURATION),
        )
        .iac("EncryptionConfiguration", "encryption_configuration"),
        one("ReplicationTime", Kind::Struct(&REPLICATION_TIME))
            .iac("ReplicationTime", "replication_time"),
        one("Metrics", Kind::Struct(&METRICS)).iac("Metrics", "metrics"),
    ],
};

pub static ACCESS_CONTROL_TRANSLATION: Shape = Shape {
    name: "AccessControlTranslation",
    fields: &[req("Owner", Kind::Enum(OWNER_VALUES)).iac("Owner", "owner")],
};

pub static ENCRYPTION_CONFIGURATION: Shape = Shape {
    name: "EncryptionConfiguration",
    fields: &[
        one("ReplicaKmsKeyID", Kind::String).iac("ReplicaKmsKeyID", "replica_kms_key_id"),
        one("UseSourceMultiRegionKey", Kind::Struct(&STATUS_BLOCK)).iac("", ""),
    ],
};

pub static REPLICATION_TIME: Shape = Shape {
    name: "ReplicationTime",
    fields: &[
        req("Status", STATUS).iac("Status", "status"),
        req("Time", Kind::Struct(&MINUTES)).iac("Time", "time"),
    ],
};

pub static METRICS: Shape = Shape {
    name: "Metrics",
    fields: &[
        req("Status", STATUS).iac("Status", "status"),
        one("EventThreshold", Kind::Struct(&MINUTES)).iac("EventThreshold", "event_threshold"),
    ],
};

pub static MINUTES: Shape = Shape {
    name: "ReplicationTimeValue",
    fields: &[one("Minutes", Kind::Integer).iac("Minutes", "minutes")],
};

/// Names other tools use for the same members, with the S3 name to use instead.
pub const FOREIGN_NAMES: &[(&str, &str, &str)] = &[
    ("Id", "ID", "CloudFormation"),
    ("TagFilter", "Tag", "CloudFormation"),
    ("TagFilters", "Tags", "CloudFormation"),
    ("ReplicationRules", "Rules", "CloudFormation"),
    ("KmsKeyId", "ReplicaKmsKeyID", "the KMS API"),
    ("ReplicaKmsKeyId", "ReplicaKmsKeyID", "Terraform/CDK"),
];

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
