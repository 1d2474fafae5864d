//! Document paths in the user's language: the lowering's SDK path
//! (`/Rules/0/Destination/Bucket`) becomes
//! `Resources.Source.Properties.ReplicationConfiguration.Rules[0].Destination.Bucket` or
//! `aws_s3_bucket_replication_configuration.main.rule[0].destination.bucket`.

use super::eval::{name_of, Names};
use crate::schema::{self, Kind, Shape};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    CloudFormation,
    Terraform,
}

impl Dialect {
    fn names(self) -> Names {
        match self {
            Dialect::CloudFormation => Names::CloudFormation,
            Dialect::Terraform => Names::Terraform,
        }
    }
}

/// Translate `api_path` for the configuration at `address`. Segments the schema does not know
/// are kept as written.
pub fn translate(api_path: &str, dialect: Dialect, address: &str) -> String {
    let mut out = String::from(address);
    if dialect == Dialect::CloudFormation {
        out.push_str(".Properties.ReplicationConfiguration");
    }
    let mut shape: Option<&'static Shape> = Some(&schema::ROOT);
    for seg in api_path.split('/').filter(|s| !s.is_empty()) {
        if seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(seg);
            out.push(']');
            continue;
        }
        let field = shape.and_then(|s| s.fields.iter().find(|f| f.json == seg || f.xml == seg));
        out.push('.');
        match field {
            Some(f) => {
                let n = name_of(f, dialect.names());
                out.push_str(if n.is_empty() { seg } else { n });
                shape = match f.kind {
                    Kind::Struct(s) => Some(s),
                    _ => None,
                };
            }
            None => {
                out.push_str(seg);
                shape = None;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_each_language() {
        assert_eq!(
            translate("/Rules/0/Destination/EncryptionConfiguration/ReplicaKmsKeyID", Dialect::Terraform, "aws_s3_bucket_replication_configuration.main"),
            "aws_s3_bucket_replication_configuration.main.rule[0].destination.encryption_configuration.replica_kms_key_id"
        );
        assert_eq!(
            translate("/Rules/1/Filter/And/Tags/0/Key", Dialect::CloudFormation, "Resources.Src"),
            "Resources.Src.Properties.ReplicationConfiguration.Rules[1].Filter.And.TagFilters[0].Key"
        );
        assert_eq!(
            translate("", Dialect::CloudFormation, "Resources.Src"),
            "Resources.Src.Properties.ReplicationConfiguration"
        );
    }
}
