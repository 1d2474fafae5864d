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
                && candidate == name
        })
    }

    pub fn names(&self, json: bool) -> Vec<&'static str> {
        self.fields
            .iter()
            .map(|f| if json { f.json } else { f.xml })
            .collect()
    }
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
        req("Role", Kind::String),
        f("Rule", "Rules", Kind::Struct(&RULE), true, true),
    ],
};

pub static RULE: Shape = Shape {
    name: "Rule",
    fields: &[
        one("ID", Kind::String),
        one("Priority", Kind::Integer),
        one("Prefix", Kind::String),
        one("Filter", Kind::Struct(&FILTER)),
        req("Status", STATUS),
        one(
            "SourceSelectionCriteria",
            Kind::Struct(&SOURCE_SELECTION_CRITERIA),
        ),
        one("ExistingObjectReplication", Kind::Struct(&STATUS_BLOCK)),
        req("Destination", Kind::Struct(&DESTINATION)),
        one(
            "DeleteMarkerReplication",
            Kind::Struct(&OPTIONAL_STATUS_BLOCK),
        ),
    ],
};

pub static FILTER: Shape = Shape {
    name: "Filter",
    fields: &[
        one("Prefix", Kind::String),
        one("Tag", Kind::Struct(&TAG)),
        one("And", Kind::Struct(&AND)),
        one("Not", Kind::Struct(&NOT)),
    ],
};

pub static TAG: Shape = Shape {
    name: "Tag",
    fields: &[req("Key", Kind::String), req("Value", Kind::String)],
};

pub static AND: Shape = Shape {
    name: "And",
    fields: &[
        one("Prefix", Kind::String),
        f("Tag", "Tags", Kind::Struct(&TAG), false, true),
        one("Not", Kind::Struct(&NOT)),
    ],
};

pub static NOT: Shape = Shape {
    name: "Not",
    fields: &[
        one("Prefix", Kind::String),
        one("Tag", Kind::Struct(&TAG)),
        one("Or", Kind::Struct(&OR)),
    ],
};

pub static OR: Shape = Shape {
    name: "Or",
    fields: &[
        f("Prefix", "Prefixes", Kind::String, false, true),
        f("Tag", "Tags", Kind::Struct(&TAG), false, true),
    ],
};

pub static STATUS_BLOCK: Shape = Shape {
    name: "StatusBlock",
    fields: &[req("Status", STATUS)],
};

/// `DeleteMarkerReplication/Status` is optional in the model.
pub static OPTIONAL_STATUS_BLOCK: Shape = Shape {
    name: "DeleteMarkerReplication",
    fields: &[one("Status", STATUS)],
};

pub static SOURCE_SELECTION_CRITERIA: Shape = Shape {
    name: "SourceSelectionCriteria",
    fields: &[
        one("SseKmsEncryptedObjects", Kind::Struct(&STATUS_BLOCK)),
        one("ReplicaModifications", Kind::Struct(&STATUS_BLOCK)),
    ],
};

pub static DESTINATION: Shape = Shape {
    name: "Destination",
    fields: &[
        req("Bucket", Kind::String),
        one("Account", Kind::String),
        one("StorageClass", Kind::Enum(STORAGE_CLASS_VALUES)),
        one(
            "AccessControlTranslation",
            Kind::Struct(&ACCESS_CONTROL_TRANSLATION),
        ),
        one(
            "EncryptionConfiguration",
            Kind::Struct(&ENCRYPTION_CONFIGURATION),
        ),
        one("ReplicationTime", Kind::Struct(&REPLICATION_TIME)),
        one("Metrics", Kind::Struct(&METRICS)),
    ],
};

pub static ACCESS_CONTROL_TRANSLATION: Shape = Shape {
    name: "AccessControlTranslation",
    fields: &[req("Owner", Kind::Enum(OWNER_VALUES))],
};

pub static ENCRYPTION_CONFIGURATION: Shape = Shape {
    name: "EncryptionConfiguration",
    fields: &[
        one("ReplicaKmsKeyID", Kind::String),
        one("UseSourceMultiRegionKey", Kind::Struct(&STATUS_BLOCK)),
    ],
};

pub static REPLICATION_TIME: Shape = Shape {
    name: "ReplicationTime",
    fields: &[req("Status", STATUS), req("Time", Kind::Struct(&MINUTES))],
};

pub static METRICS: Shape = Shape {
    name: "Metrics",
    fields: &[
        req("Status", STATUS),
        one("EventThreshold", Kind::Struct(&MINUTES)),
    ],
};

pub static MINUTES: Shape = Shape {
    name: "ReplicationTimeValue",
    fields: &[one("Minutes", Kind::Integer)],
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
