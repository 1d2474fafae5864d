//! Which JSON properties are nested blocks. Terraform's JSON syntax writes blocks and
//! attributes alike as object properties; Terraform tells them apart by the provider's
//! schema. This is that schema for what the checker reads (the replication resources, the
//! buckets' versioning, encryption and Object Lock, IAM roles and policy documents,
//! providers, modules, variables) plus the meta blocks every resource has. Any other
//! property is read as an attribute, whose value the HCL reader then ignores or names.

/// How a string of an attribute is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A template: `"${var.x}"` is the expression `var.x`, `"a-${var.x}"` a template.
    Template,
    /// Literal text, `${` included (a variable's `default`, `.tfvars.json` values).
    Literal,
    /// A reference written as a string: `"aws.west"` is `aws.west` (`provider`,
    /// `depends_on`, a module's `providers`, a variable's `type`).
    Reference,
}

/// A block type: its name, how many labels it has, and its body.
pub struct Blk {
    pub name: &'static str,
    pub labels: usize,
    pub body: &'static Table,
}

/// A body: its nested block types and the attributes not read as templates.
pub struct Table {
    pub blocks: &'static [Blk],
    pub literal: &'static [&'static str],
    pub reference: &'static [&'static str],
    /// Every attribute is literal (the `terraform` block, `.tfvars.json`).
    pub all_literal: bool,
    /// `dynamic "X"` blocks may generate its nested blocks.
    pub dynamic: bool,
    /// Resources and data sources: the meta blocks and arguments of every resource.
    pub meta: bool,
}

impl Table {
    pub fn block(&self, name: &str) -> Option<&'static Blk> {
        self.blocks
            .iter()
            .chain(if self.meta { META.blocks } else { &[] })
            .find(|b| b.name == name)
    }

    pub fn mode(&self, name: &str) -> Mode {
        if self.all_literal || self.literal.contains(&name) {
            Mode::Literal
        } else if self.reference.contains(&name) || (self.meta && META.reference.contains(&name)) {
            Mode::Reference
        } else {
            Mode::Template
        }
    }
}

const BASE: Table = Table {
    blocks: &[],
    literal: &[],
    reference: &[],
    all_literal: false,
    dynamic: true,
    meta: false,
};

macro_rules! table {
    ($name:ident { $($b:literal $(/ $l:literal)? => $t:ident),* $(,)? } $($k:ident: $v:expr),* $(,)?) => {
        pub static $name: Table = Table {
            blocks: &[$(Blk { name: $b, labels: table!(@l $($l)?), body: &$t }),*],
            $($k: $v,)*
            ..BASE
        };
    };
    (@l) => { 0 };
    (@l $l:literal) => { $l };
}

table!(LEAF {});
table!(LITERAL {} all_literal: true);

table!(ROOT {
    "terraform" => TERRAFORM,
    "provider" / 1 => PROVIDER,
    "variable" / 1 => VARIABLE,
    "output" / 1 => OUTPUT,
    "locals" => LOCALS,
    "module" / 1 => MODULE,
    // The body of these depends on the first label (the type): see [`resource`].
    "resource" / 2 => META,
    "data" / 2 => META,
    "ephemeral" / 2 => META,
    "moved" => MOVED,
    "import" => MOVED,
    "removed" => MOVED,
    "check" => LEAF,
} dynamic: false);

table!(TERRAFORM {
    "backend" / 1 => LITERAL,
    "cloud" => LITERAL,
    "required_providers" => LITERAL,
    "provider_meta" / 1 => LITERAL,
} all_literal: true, dynamic: false);
table!(VARIABLE { "validation" => LEAF } literal: &["default", "description"], reference: &["type"], dynamic: false);
table!(OUTPUT { "precondition" => LEAF } reference: &["depends_on"], dynamic: false);
table!(LOCALS {} dynamic: false);
table!(MODULE {} literal: &["source", "version"], reference: &["providers", "depends_on"], dynamic: false);
table!(MOVED {} reference: &["from", "to"], dynamic: false);
table!(PROVIDER {
    "assume_role" => LEAF,
    "assume_role_with_web_identity" => LEAF,
    "default_tags" => LEAF,
    "ignore_tags" => LEAF,
    "endpoints" => LEAF,
});

table!(META {
    "lifecycle" => LIFECYCLE,
    "provisioner" / 1 => PROVISIONER,
    "connection" => LEAF,
    "timeouts" => LEAF,
} reference: &["provider", "depends_on"], dynamic: false);
table!(LIFECYCLE { "precondition" => LEAF, "postcondition" => LEAF } reference: &["ignore_changes", "replace_triggered_by"], dynamic: false);
table!(PROVISIONER { "connection" => LEAF });

// aws_s3_bucket_replication_configuration
table!(REPLICATION { "rule" => RULE } meta: true);
table!(RULE {
    "delete_marker_replication" => LEAF,
    "destination" => DESTINATION,
    "existing_object_replication" => LEAF,
    "filter" => FILTER,
    "source_selection_criteria" => SELECTION,
});
table!(DESTINATION {
    "access_control_translation" => LEAF,
    "encryption_configuration" => LEAF,
    "metrics" => METRICS,
    "replication_time" => REPLICATION_TIME,
});
table!(METRICS { "event_threshold" => LEAF });
table!(REPLICATION_TIME { "time" => LEAF });
table!(FILTER { "and" => LEAF, "tag" => LEAF });
table!(SELECTION { "replica_modifications" => LEAF, "sse_kms_encrypted_objects" => LEAF });

// aws_s3_bucket (provider v3 inline blocks)
table!(BUCKET {
    "replication_configuration" => LEGACY,
    "versioning" => LEAF,
    "server_side_encryption_configuration" => SSE,
    "object_lock_configuration" => OBJECT_LOCK,
    "lifecycle_rule" => LIFECYCLE_RULE,
    "logging" => LEAF,
    "website" => LEAF,
    "cors_rule" => LEAF,
    "grant" => LEAF,
} meta: true);
table!(LEGACY { "rules" => LEGACY_RULE });
table!(LEGACY_RULE {
    "destination" => LEGACY_DESTINATION,
    "filter" => LEAF,
    "source_selection_criteria" => LEGACY_SELECTION,
});
table!(LEGACY_DESTINATION {
    "access_control_translation" => LEAF,
    "replication_time" => LEAF,
    "metrics" => LEAF,
});
table!(LEGACY_SELECTION { "sse_kms_encrypted_objects" => LEAF });
table!(SSE { "rule" => SSE_RULE });
table!(SSE_RULE { "apply_server_side_encryption_by_default" => LEAF });
table!(OBJECT_LOCK { "rule" => OBJECT_LOCK_RULE });
table!(OBJECT_LOCK_RULE { "default_retention" => LEAF });
table!(LIFECYCLE_RULE {
    "expiration" => LEAF,
    "transition" => LEAF,
    "noncurrent_version_expiration" => LEAF,
    "noncurrent_version_transition" => LEAF,
});

table!(VERSIONING { "versioning_configuration" => LEAF } meta: true);
table!(SSE_RESOURCE { "rule" => SSE_RULE } meta: true);
table!(OBJECT_LOCK_RESOURCE { "rule" => OBJECT_LOCK_RULE } meta: true);
table!(IAM_ROLE { "inline_policy" => LEAF } meta: true);
table!(POLICY_DOCUMENT { "statement" => STATEMENT } meta: true);
table!(STATEMENT { "principals" => LEAF, "not_principals" => LEAF, "condition" => LEAF });
table!(ANY_RESOURCE {} meta: true);

/// The body of `resource "TYPE"` / `data "TYPE"` (`kind` is the block type).
pub fn resource(kind: &str, ty: &str) -> &'static Table {
    match (kind, ty) {
        ("resource", "aws_s3_bucket_replication_configuration") => &REPLICATION,
        ("resource", "aws_s3_bucket") => &BUCKET,
        ("resource", "aws_s3_bucket_versioning") => &VERSIONING,
        ("resource", "aws_s3_bucket_server_side_encryption_configuration") => &SSE_RESOURCE,
        ("resource", "aws_s3_bucket_object_lock_configuration") => &OBJECT_LOCK_RESOURCE,
        ("resource", "aws_iam_role") => &IAM_ROLE,
        ("data", "aws_iam_policy_document") => &POLICY_DOCUMENT,
        _ => &ANY_RESOURCE,
    }
}
