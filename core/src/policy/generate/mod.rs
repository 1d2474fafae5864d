//! Builds the policy documents from a [`Plan`].

mod batch;
mod bucket_policies;
mod deployer;
mod index;
mod key_policies;
mod placeholders;
mod role;
mod statement;
mod trust;

use super::plan::Plan;
use super::{Note, PolicySet};
use crate::diagnostic::Severity;
use index::{Gen, Groups, Prefixes};

pub(crate) const POLICY_VERSION: &str = "2012-10-17";
pub(crate) const S3_SERVICE: &str = "s3.amazonaws.com";
pub(crate) const BATCH_SERVICE: &str = "batchoperations.s3.amazonaws.com";
const BATCH_BUCKET: &str = "${BATCH_REPORT_BUCKET}";

/// What several documents read: the plan, its indexes, the role and the rules as a whole.
struct Common<'p> {
    plan: &'p Plan,
    g: Gen<'p>,
    role: &'p str,
    src_arn: String,
    all_rules: Vec<usize>,
    all_prefixes: Prefixes<'p>,
    by_dest: Groups,
}

/// The six kinds of document, in the order they are listed: role permissions, trust, key
/// policies, destination bucket policies, Batch Replication, deployer.
pub(crate) fn generate(mut plan: Plan) -> PolicySet {
    let mut notes: Vec<Note> = std::mem::take(&mut plan.notes);
    let plan = &plan;
    let g = Gen::new(plan);
    // At most: role, trust, one per key and per destination, batch.
    let mut documents = Vec::with_capacity(
        3 + plan.source_keys.len() + plan.replica_keys.len() + plan.destinations.len(),
    );
    let all_rules: Vec<usize> = (0..plan.rules.len()).collect();
    let all_prefixes = g.reduce(&all_rules);
    let by_dest = Groups::new(
        plan.destinations.len(),
        plan.rules.iter().enumerate().map(|(i, r)| (r.dest, i)),
    );
    let c = Common {
        plan,
        role: plan.role_arn.text(),
        src_arn: plan.source_bucket_arn(),
        all_rules,
        all_prefixes,
        by_dest,
        g,
    };
    documents.extend(role::role_permissions(&c));
    documents.push(trust::trust_policy(&c, &mut notes));
    key_policies::key_policies(&c, &mut documents);
    bucket_policies::destination_bucket_policies(&c, &mut documents);
    documents.extend(batch::batch_additions(&c));
    documents.push(deployer::deployer(&c));
    let placeholders = placeholders::used_placeholders(plan, &documents);
    if plan.rules.is_empty() {
        notes.push(Note::new(
            Severity::Warning,
            "The configuration has no usable rule, so there is nothing to grant.",
        ));
    }
    PolicySet {
        complete: placeholders.is_empty() && !plan.rules.is_empty() && !plan.contradicted,
        documents,
        placeholders,
        notes,
    }
}

#[cfg(test)]
mod tests;
