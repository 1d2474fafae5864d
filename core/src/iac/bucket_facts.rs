//! What a front end read about one bucket's settings, and how they fill the context's
//! source-bucket fields.

use crate::context::DeploymentContext;

#[derive(Default)]
pub(crate) struct BucketFacts {
    pub versioning: Option<String>,
    pub bucket_keys: Option<bool>,
    pub object_lock: Option<bool>,
    pub default_encryption: Option<String>,
    pub kms_key: Option<String>,
}

impl BucketFacts {
    /// Set the source bucket's fields of `context`, each marked as read from the code; the
    /// default-encryption key only when it is an ARN (an alias or key ID names no Region).
    pub fn set_source(self, context: &mut DeploymentContext) {
        if let Some(v) = self.versioning {
            context.source_versioning = Some(v);
            context.inferred.push("source_versioning");
        }
        if let Some(k) = self.bucket_keys {
            context.source_bucket_keys = Some(k);
            context.inferred.push("source_bucket_keys");
        }
        if let Some(l) = self.object_lock {
            context.object_lock = Some(l);
            context.inferred.push("object_lock");
        }
        if let Some(e) = self.default_encryption {
            context.source_default_encryption = Some(e);
            context.inferred.push("source_default_encryption");
        }
        if let Some(k) = self.kms_key.filter(|k| k.starts_with("arn:")) {
            context.source_kms_keys.push(k);
        }
    }
}
