//! Replica keys named through KMS data sources: `data "aws_kms_key"` (`key_id` a key ID,
//! key ARN, alias name or alias ARN) and `data "aws_kms_alias"` (`name`). Terraform reads
//! them at plan time, but the code already says which key and in which Region: the
//! provider's, or the one in an ARN. So the Region check runs on them, and the AWS managed
//! key `alias/aws/s3` is recognized (it cannot serve cross-account replication).
use super::attr;
use super::Builder;
use crate::arn::Arn;
use crate::iac::eval::{self, Keep, Value};
use crate::iac::hcl;
use crate::rules::kms::{replica_key, replica_key_region};
use hcl_edit::expr::Expression;

/// What stands on the AWS managed key read through a data source: its Region and its being
/// aws/s3.
const AWS_MANAGED_CHECKS: &[&str] = &[
    replica_key_region::REGION.meta.code,
    replica_key::AWS_MANAGED.meta.code,
];
/// What stands on a customer key's alias read through `data "aws_kms_alias"`'s `arn`.
const ALIAS_CHECKS: &[&str] = &[
    replica_key_region::REGION.meta.code,
    replica_key::ALIAS_ARN.meta.code,
];

impl Builder<'_, '_> {
    /// The key a KMS data source's attribute stands for (see the module docs); `None` for
    /// any other expression, or when its Region is not known.
    pub(super) fn key_of_data(&mut self, e: &Expression) -> Option<Value> {
        let p = hcl::traversal_path(e)?;
        let [data, ty, name, field] = p.as_slice() else {
            return None;
        };
        let (reference, key_arn) = match (data.as_str(), ty.as_str(), field.as_str()) {
            ("data", "aws_kms_key", "arn") => ("key_id", true),
            ("data", "aws_kms_alias", "target_key_arn") => ("name", true),
            ("data", "aws_kms_alias", "arn") => ("name", false),
            _ => return None,
        };
        let module = self.module;
        let (_, _, d) = module.data.iter().find(|(t, n, _)| t == ty && n == name)?;
        // `data.aws_kms_key.k[0].arn`: that instance, its `key_id` read with its own
        // `count.index` or `each`.
        let instance = match module
            .in_frame(self.file, e, || hcl::resolved_reference(e, module))
            .as_deref()
        {
            Some([_, _, _, i, ..]) if i.starts_with('[') => module.instance_of(*d, i, 0)?,
            _ => None,
        };
        let read = || attr(d.item, reference).and_then(|x| module.eval_in(d.file, x, 0).text());
        let given = match &instance {
            Some(k) => module.with_instance(*d, k, read),
            None => read(),
        }?;
        let arn = Arn::parse(&given).ok().filter(|a| a.service == "kms");
        // A key ARN given as the key: that is the data source's ARN.
        if key_arn && arn.as_ref().is_some_and(|a| a.resource.starts_with("key/")) {
            return Some(Value::Str(given));
        }
        let alias = match &arn {
            Some(a) => a.resource.strip_prefix("alias/"),
            None => given.strip_prefix("alias/"),
        };
        // An alias's own ARN needs an alias.
        if alias.is_none() && !key_arn {
            return None;
        }
        let region = match arn.as_ref().filter(|a| !a.region.is_empty()) {
            Some(a) => a.region.to_string(),
            None => {
                let (region, file, s, from) = module.region_of(*d)?;
                self.fact_at(
                    &format!("region of data.{ty}.{name}"),
                    &region,
                    file,
                    s,
                    from,
                );
                region
            }
        };
        let partition = module.partition().unwrap_or_else(|| "aws".into());
        let account = arn
            .as_ref()
            .map(|a| a.account.to_string())
            .or_else(|| module.account_of(*d).map(|a| a.0));
        let expr = p.join(".");
        let alias_arn = |alias: &str, keep: &'static [&'static str]| {
            let account = account
                .as_deref()
                .unwrap_or(crate::arn::PLACEHOLDER_ACCOUNT);
            Value::Partial {
                text: format!("arn:{partition}:kms:{region}:{account}:alias/{alias}"),
                expr: expr.clone(),
                keep: Keep::Only(keep),
            }
        };
        Some(match alias {
            Some("aws/s3") => alias_arn("aws/s3", AWS_MANAGED_CHECKS),
            Some(alias) if !key_arn => alias_arn(alias, ALIAS_CHECKS),
            // A key ID, or the key an alias points to: a key in that Region.
            _ => eval::key_stand_in(
                expr.clone(),
                &format!("{}data.{ty}.{name}", module.prefix),
                &partition,
                &region,
                account.as_deref(),
            ),
        })
    }
}
