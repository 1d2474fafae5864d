//! Templates, Terraform files and plans: the second module reads them (loaded on first use);
//! the picked configuration's deployed document is what the outputs speak for.

use super::{App, Msg};
use crate::analysis::Analysis;
use crate::panels::policies::Code;
use crate::Shared;
use s3_replication_lint::{DeploymentContext, Format};
use std::rc::Rc;
use yew::prelude::*;

/// A template's configuration as the API document it deploys, checked with the context its
/// code states, and how the code names its resources (JSON bindings for the policy code).
pub(super) struct Deployed {
    pub(super) analysis: Shared<Analysis>,
    pub(super) context: Shared<DeploymentContext>,
    pub(super) bindings: String,
    pub(super) address: String,
}

impl App {
    /// A template, Terraform file or plan goes to the template reader (loaded on first use);
    /// its answer replaces the API check's "this is a template" finding. The deployment
    /// context is left out on purpose: it describes the API document, and the template
    /// states its own facts.
    pub(super) fn check_template(&mut self, ctx: &Context<Self>) {
        let kind = s3_replication_lint::input::detect("", &self.text);
        if kind == s3_replication_lint::input::InputKind::Api || self.format.is_some() {
            self.iac = None;
            self.iac_pending = false;
            self.deployed = None;
            return;
        }
        self.iac_pending = true;
        let (rev, text, link) = (self.rev, self.text.clone(), ctx.link().clone());
        wasm_bindgen_futures::spawn_local(async move {
            let answer = crate::iac::check(&text, kind, None).await;
            link.send_message(Msg::Iac(rev, answer));
        });
    }

    /// Write the policies in the chosen language (Terraform, CloudFormation) with the second
    /// module; the answer arrives as [`Msg::Emitted`] for this revision.
    /// Only while a policy tab shows it: this runs on every keystroke.
    pub(super) fn emit_code(&mut self, ctx: &Context<Self>) {
        self.emitted = None;
        let Some(to) = self.code.target() else { return };
        if !self.tab.shows_policies() {
            return;
        }
        let (analysis, context) = self.subject();
        if analysis.policies.is_none() || (self.template_shown() && self.deployed.is_none()) {
            return;
        }
        let context = serde_json::to_string(&*context).ok();
        let bindings = self.deployed.as_ref().map(|d| d.bindings.clone());
        let text = analysis.text.clone();
        let (rev, code, link) = (self.rev, self.code, ctx.link().clone());
        wasm_bindgen_futures::spawn_local(async move {
            let answer = crate::iac::emit(&text, context, to, bindings).await;
            link.send_message(Msg::Emitted(rev, code, answer));
        });
    }

    /// Show the template's configuration `selected`: its findings in the editor, and the
    /// document it deploys in the outputs.
    pub(super) fn show_template(&mut self, ctx: &Context<Self>, selected: usize) {
        let Some(view) = self.iac.clone() else { return };
        self.iac_selected = selected.min(view.configurations.len().saturating_sub(1));
        let millis = self.analysis.millis;
        self.analysis = Shared::new(Analysis::of_template(
            self.text.clone(),
            view.diagnostics(self.iac_selected),
            millis,
        ));
        self.deployed = view.configurations.get(self.iac_selected).and_then(|c| {
            let document = c.document.as_deref()?;
            let context = DeploymentContext::from_json(&c.context).unwrap_or_default();
            Some(Deployed {
                analysis: Shared::new(Analysis::new(
                    Rc::from(document),
                    Some(Format::Json),
                    &context,
                )),
                context: Shared::new(context),
                bindings: c.bindings.clone(),
                address: c.address.clone(),
            })
        });
        // Every output now speaks for another document.
        self.explained = None;
        self.explained_rev = u64::MAX;
        self.simulated = None;
        self.run_audit();
        self.refresh_views(ctx);
        self.emit_code(ctx);
    }

    pub(super) fn template_bar(&self, ctx: &Context<Self>) -> Html {
        let Some(v) = &self.iac else {
            return Html::default();
        };
        let n = v.configurations.len();
        let onchange = ctx.link().callback(|e: Event| {
            Msg::IacSelect(crate::panels::event_value(&e).parse().unwrap_or(0))
        });
        let picker = if n > 1 {
            let options = v.configurations.iter().enumerate().map(|(i, c)| {
                html! { <option value={i.to_string()} selected={i == self.iac_selected}>{ c.address.clone() }</option> }
            });
            html! {
                <label class="iac-picker">{"Configuration "}
                    <select aria-label="Configuration" {onchange}>{ for options }</select>
                </label>
            }
        } else if let Some(c) = v.configurations.first() {
            html! { <p class="iac-address">{ c.address.clone() }</p> }
        } else {
            Html::default()
        };
        let facts = v
            .configurations
            .get(self.iac_selected)
            .filter(|c| !c.facts.is_empty())
            .map(|c| {
                let items = c.facts.iter().map(|f| {
                    html! { <li>{ format!("{} = {} (line {}: {})", f.field, f.value, f.line, f.from) }</li> }
                });
                html! {
                    <details class="iac-facts" open=true>
                        <summary>{"Read from the code"}</summary>
                        <ul aria-label="Facts read from the code">{ for items }</ul>
                    </details>
                }
            })
            .unwrap_or_default();
        let plural = if n == 1 { "" } else { "s" };
        html! {
            <section class="panel iac" aria-label="Template">
                <p class="iac-language">{ format!("{}: {n} replication configuration{plural}", v.language) }</p>
                { picker }
                { facts }
            </section>
        }
    }

    /// The template reader's answer for revision `rev`.
    pub(super) fn template_read(
        &mut self,
        ctx: &Context<Self>,
        rev: u64,
        answer: Result<crate::iac::IacView, String>,
    ) -> bool {
        if rev != self.rev {
            return false; // the text changed since
        }
        self.iac_pending = false;
        match answer {
            Ok(view) => {
                self.iac = Some(Shared::new(view));
                self.show_template(ctx, self.iac_selected);
                self.announce();
            }
            Err(e) => {
                self.notice = Some(format!("The template reader could not be loaded: {e}"));
            }
        }
        true
    }

    /// Show the policies as JSON, Terraform or CloudFormation.
    pub(super) fn pick_code(&mut self, ctx: &Context<Self>, code: Code) -> bool {
        if code == self.code {
            return false;
        }
        self.code = code;
        self.emit_code(ctx);
        true
    }

    /// The code writer's answer for revision `rev` in language `code`.
    pub(super) fn code_written(
        &mut self,
        rev: u64,
        code: Code,
        answer: Result<String, String>,
    ) -> bool {
        if rev != self.rev || code != self.code {
            return false;
        }
        self.emitted = Some(Shared::new(answer));
        true
    }
}
