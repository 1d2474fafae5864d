//! The outputs beside the editor: the visible tab (policies, audit, simulation, topology)
//! and the plain-language summary, recomputed only while shown.

use super::{App, Msg};
use crate::analysis::Analysis;
use crate::panels::audit::{AuditField, AuditKey};
use crate::panels::policies::Tab;
use crate::panels::simulate::{self, SimEdit};
use crate::Shared;
use gloo::timers::callback::Timeout;
use s3_replication_lint::context::Resolved;
use s3_replication_lint::policy::{self, DocumentKind, UserPolicies};
use yew::prelude::*;

/// Up to this many rules `explain` runs on every keystroke; above, it runs once typing pauses
/// for [`EXPLAIN_DELAY_MS`] (the previous explanation stays on screen, marked as updating).
pub(super) const EXPLAIN_SYNC_RULES: usize = 200;
pub(super) const EXPLAIN_DELAY_MS: u32 = 150;

impl App {
    /// Recompute what the visible tab and the open summary show (and only that).
    pub(super) fn refresh_views(&mut self, ctx: &Context<Self>) {
        let (analysis, context) = self.subject();
        self.simulated = if self.tab == Tab::Simulate {
            analysis
                .simulate(&context, &self.sim_input.spec())
                .map(Shared::new)
        } else {
            None
        };
        self.refresh_explain(ctx);
    }

    pub(super) fn refresh_explain(&mut self, ctx: &Context<Self>) {
        let wanted = self.explain_open || self.tab == Tab::Topology;
        if !wanted || self.explained_rev == self.rev {
            return;
        }
        let rules = self
            .subject()
            .0
            .report
            .document
            .as_ref()
            .map_or(0, |d| d.rules.len());
        if rules > EXPLAIN_SYNC_RULES && self.explained.is_some() {
            let link = ctx.link().clone();
            self.explain_timer = Some(Timeout::new(EXPLAIN_DELAY_MS, move || {
                link.send_message(Msg::ExplainNow)
            }));
        } else {
            self.explain_now();
        }
    }

    pub(super) fn explain_now(&mut self) {
        self.explain_timer = None;
        let (analysis, context) = self.subject();
        self.explained = analysis.explain(&context).map(Shared::new);
        self.explained_rev = self.rev;
    }

    /// A key the first enabled rule selects, so the Simulate tab opens with a useful answer.
    pub(super) fn suggest_key(&mut self) {
        if !self.sim_key_auto {
            return;
        }
        let prefix = self.subject().0.report.document.as_ref().and_then(|d| {
            d.rules
                .iter()
                .find(|r| r.is_enabled())
                .map(|r| r.key_prefix().to_string())
        });
        let key = match prefix.as_deref() {
            None | Some("") => "example.txt".to_string(),
            Some(p) if p.ends_with('/') => format!("{p}example.txt"),
            Some(p) => format!("{p}/example.txt"),
        };
        if key != self.sim_input.key {
            let mut input = (*self.sim_input).clone();
            input.key = key;
            self.sim_input = Shared::new(input);
        }
    }

    pub(super) fn run_audit(&mut self) {
        let t = &*self.audit;
        if t.is_empty() {
            self.audit_results = None;
            return;
        }
        let (analysis, context) = self.subject();
        let Some(doc) = &analysis.report.document else {
            self.audit_results = None;
            return;
        };
        let some = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
        let (role, trust, bucket) = (some(&t.role), some(&t.trust), some(&t.bucket));
        // Each box is its key's (the box for "" is any key's).
        let keys: Vec<&(String, String)> = t
            .keys
            .iter()
            .filter(|(_, p)| !p.trim().is_empty())
            .collect();
        let user = UserPolicies {
            role: role.as_deref(),
            trust: trust.as_deref(),
            key_policies: keys.iter().map(|(_, p)| p.as_str()).collect(),
            key_policy_keys: keys.iter().map(|(k, _)| k.as_str()).collect(),
            bucket_policy: bucket.as_deref(),
        };
        let resolved = Resolved::new(&context, doc);
        self.audit_results = Some(Shared::new(policy::audit(doc, &resolved, &user)));
    }

    pub(super) fn pick_tab(&mut self, ctx: &Context<Self>, tab: Tab) -> bool {
        if tab == self.tab {
            return false;
        }
        self.tab = tab;
        if tab == Tab::Simulate && self.sim_input.key.is_empty() {
            self.suggest_key();
        }
        self.refresh_views(ctx);
        if self.emitted.is_none() {
            self.emit_code(ctx);
        }
        true
    }

    pub(super) fn edit_simulation(&mut self, ctx: &Context<Self>, edit: SimEdit) -> bool {
        if matches!(edit, SimEdit::Key(_)) {
            self.sim_key_auto = false;
        }
        let mut input = (*self.sim_input).clone();
        simulate::apply(&mut input, edit);
        if input == *self.sim_input {
            return false;
        }
        self.sim_input = Shared::new(input);
        self.refresh_views(ctx);
        true
    }

    pub(super) fn toggle_explain(&mut self, ctx: &Context<Self>, open: bool) -> bool {
        if open == self.explain_open {
            return false;
        }
        self.explain_open = open;
        self.refresh_explain(ctx);
        true
    }

    pub(super) fn edit_audit(&mut self, field: AuditField, value: String) -> bool {
        let mut t = (*self.audit).clone();
        t.set(field, value);
        self.audit = Shared::new(t);
        self.run_audit();
        true
    }
}

/// The KMS keys whose key policies the configuration needs, one Audit box each.
pub(super) fn audit_keys(a: &Analysis) -> Vec<AuditKey> {
    let mut out: Vec<AuditKey> = Vec::new();
    for d in a.policies.iter().flat_map(|p| &p.documents) {
        if d.kind != DocumentKind::KmsKeyPolicy || out.iter().any(|k| k.arn == d.attach_to) {
            continue;
        }
        let title = if d.title.contains("source key") {
            "source key"
        } else {
            "replica key"
        };
        out.push(AuditKey {
            arn: d.attach_to.clone(),
            title: title.to_string(),
        });
    }
    out
}
