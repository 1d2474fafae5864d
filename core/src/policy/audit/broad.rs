//! Grants broader than replication needs: actions (`s3:*`, `NotAction`), resources (`*`,
//! every bucket) and principals (`*` without a condition).

use super::missing::stmt_name;
use super::Sink;
use crate::catalogue::audit as r;
use crate::policy::iam::Policy;

/// Allow statements broader than replication needs.
pub(super) fn broad(p: &Policy, sink: &mut Sink, resource_policy: bool) {
    for s in p.statements.iter().filter(|s| s.allow) {
        if s.not_action {
            sink.report(
                &r::BROAD_ACTION,
                s.action_span.unwrap_or(s.span),
                &s.path,
                format!("{} allows every action except the listed ones (NotAction with Allow); grant the replication actions by name", stmt_name(s)),
            );
        }
        if !s.not_action {
            for a in &s.actions {
                let v = a.value.to_ascii_lowercase();
                if v == "*"
                    || v == "*:*"
                    || v == "s3:*"
                    || v == "kms:*"
                    || v == "sts:*"
                    || v == "s3:put*"
                    || v == "s3:get*"
                {
                    sink.report(
                        &r::BROAD_ACTION,
                        a.span,
                        &a.path,
                        format!("`{}` grants far more than replication needs; list the replication actions instead", a.value),
                    );
                }
            }
        }
        let touches_data = s.not_action
            || s.actions.iter().any(|a| {
                a.value == "*"
                    || a.value.to_ascii_lowercase().starts_with("s3:")
                    || a.value.to_ascii_lowercase().starts_with("kms:")
            });
        if !resource_policy && touches_data {
            for res in &s.resources {
                let every_bucket = res
                    .value
                    .strip_prefix("arn:")
                    .and_then(|rest| rest.split_once(":s3:::"))
                    .is_some_and(|(_, b)| b.starts_with('*'));
                if res.value == "*" || every_bucket {
                    sink.report(
                        &r::BROAD_RESOURCE,
                        res.span,
                        &res.path,
                        format!(
                            "`{}` applies {} to every {}; scope it to the source and destination buckets (and key ARNs)",
                            res.value,
                            stmt_name(s),
                            if every_bucket { "bucket" } else { "resource" }
                        ),
                    );
                }
            }
        }
        if resource_policy && s.conditions.is_empty() {
            if let Some(pr) = &s.principal {
                let star = pr.any || pr.entries.iter().any(|(k, v)| k == "AWS" && v.value == "*");
                if star && !s.not_principal {
                    sink.report(
                        &r::BROAD_RESOURCE,
                        s.span,
                        &s.path,
                        format!("{} grants to every principal (`*`) without a condition; name the replication role instead", stmt_name(s)),
                    );
                }
            }
        }
    }
}
