//! The page: header and toolbar, the editor and its problems, the context and the outputs.

use super::outputs::audit_keys;
use super::start::Route;
use super::{App, Msg, Panels};
use crate::editor::Editor;
use crate::examples;
use crate::panels::audit::AuditPanel;
use crate::panels::context::{self, ContextPanel};
use crate::panels::diagnostics::Diagnostics;
use crate::panels::explain::ExplainPanel;
use crate::panels::policies::{PolicyPanel, Tab, TabList};
use crate::panels::rules::RulePage;
use crate::panels::simulate::SimulatePanel;
use crate::panels::topology::Topology;
use s3_replication_lint::Format;
use yew::prelude::*;

impl App {
    pub(super) fn page(&self, ctx: &Context<Self>) -> Html {
        let a = self.analysis.clone();
        let subject = self.subject().0;
        let stale = self.outputs_stale();
        let example_fields = self
            .example
            .as_ref()
            .map(|(_, e)| context::example_fields(&mut (*self.ctx).clone(), e, false))
            .unwrap_or_default();
        let cb = &self.cb;
        let (on_edit, on_select, on_fix) = (cb.edit.clone(), cb.select.clone(), cb.fix.clone());
        let (on_ctx, on_tab, on_notice) = (cb.ctx.clone(), cb.tab.clone(), cb.notice.clone());
        let on_audit = cb.audit.clone();
        let in_editor = self.route == Route::Editor;
        let rule_page = match &self.route {
            Route::Editor => Html::default(),
            Route::Rules => html! { <RulePage code={None::<AttrValue>} /> },
            Route::Rule(code) => html! { <RulePage code={Some(AttrValue::from(code.clone()))} /> },
        };
        let share = self.share_link.as_ref().map(|url| {
            html! {
                <div class="share-row">
                    <label for="share-link">{"Share link"}</label>
                    <input id="share-link" type="text" readonly=true value={url.clone()} />
                </div>
            }
        });
        let panel = match self.tab {
            Tab::Audit => html! {
                <AuditPanel texts={self.audit.clone()} results={self.audit_results.clone()}
                    keys={audit_keys(&subject)} onedit={on_audit} />
            },
            Tab::Simulate => html! {
                <SimulatePanel input={self.sim_input.clone()}
                    result={self.simulated.clone()}
                    onedit={cb.sim.clone()} />
            },
            Tab::Topology => html! { <Topology explained={self.explained.clone()} /> },
            tab => html! {
                <PolicyPanel analysis={subject.clone()} {tab} onnotice={on_notice}
                    code={self.code} oncode={cb.code.clone()} emitted={self.emitted.clone()} />
            },
        };
        let status = subject.policies.as_ref().map(|p| {
            if p.complete {
                "Policies complete"
            } else if !p.placeholders.is_empty() {
                "Policies have placeholders"
            } else {
                // Nothing to grant, or facts that contradict each other (a note says which).
                "Policies incomplete: see the notes"
            }
        });
        let panels = self
            .embed
            .as_ref()
            .map_or_else(Panels::default, |e| e.panels);
        let embedded = self.embed.is_some();
        let template_active = self.template_shown();
        let outputs = html! {
            <>
                <ExplainPanel explained={self.explained.clone()} open={self.explain_open}
                    ontoggle={cb.explain_toggle.clone()}
                    stale={self.explained.is_some() && self.explained_rev != self.rev} />
                <section class={classes!("panel", "outputs", stale.then_some("stale"))} aria-labelledby="outputs-heading">
                    <h2 id="outputs-heading">{"Outputs"}
                        <span class="summary">{ status.unwrap_or("") }</span></h2>
                    if stale {
                        <p class="stale-note" role="status">{"The document cannot be read just now: these are the outputs of its last readable version. They update when it parses again."}</p>
                    }
                    <TabList current={self.tab} onselect={on_tab} />
                    <div class="tabpanel" role="tabpanel" id={format!("panel-{}", self.tab.id())}
                        aria-labelledby={format!("tab-{}", self.tab.id())} tabindex="0">
                        { panel }
                    </div>
                </section>
            </>
        };
        let right = (panels.context || panels.policies).then(|| {
            if template_active {
                // A template states its own facts (listed above the editor); the outputs speak
                // for the selected configuration as it deploys.
                let about = match &self.deployed {
                    Some(d) => format!("The outputs below are for {} as it deploys, with the facts read from the code (above the editor); the deployment context of this page is not used. Values the code does not fix appear as ${{expression}}.", d.address),
                    None if self.iac_pending => "Reading the template…".to_string(),
                    None => "Policies, simulation and the plain-language summary appear once the configuration can be translated (fix the structural errors listed under Problems).".to_string(),
                };
                return html! {
                    <div class="col-right">
                        <section class="panel template-note" aria-label="About templates">
                            <h2>{"Templates and modules"}</h2>
                            <p>{ about }</p>
                        </section>
                        if panels.policies && self.deployed.is_some() { { outputs } }
                    </div>
                };
            }
            html! {
                <div class="col-right">
                    if panels.context {
                        <ContextPanel context={self.ctx.clone()} keys_raw={self.keys_raw.clone()}
                            destinations={subject.destinations.clone()} onedit={on_ctx}
                            example={self.example.as_ref().map(|(t, _)| t.clone())}
                            example_fields={example_fields} />
                    }
                    if panels.policies { { outputs } }
                </div>
            }
        });
        let single = right.is_none();
        // The rules that govern the simulated object, banded in the editor.
        let bands = match (&self.simulated, self.tab) {
            (Some(s), Tab::Simulate) if !template_active => s.bands.clone(),
            _ => Vec::new(),
        };
        html! {
            <div class={classes!("app", embedded.then_some("embedded"))}
                data-rev={self.rev.to_string()} data-ms={format!("{:.2}", a.millis)}
                data-template={self.iac_pending.then_some("pending").or(self.iac.as_ref().map(|_| "ready"))}
                data-sim-ms={self.simulated.as_ref().map(|s| format!("{:.2}", s.millis))}
                data-explain-ms={self.explained.as_ref().map(|e| format!("{:.2}", e.millis))}>
                if !embedded {
                    <a class="skip" href="#diagnostics-heading">{"Skip to the problems"}</a>
                }
                { self.header(ctx) }
                { share.unwrap_or_default() }
                <p class="notice" role="status" aria-live="polite">
                    { self.notice.clone().unwrap_or_default() }
                    { self.notice_button(ctx) }
                </p>
                <main class={classes!("workspace", single.then_some("single"))} hidden={!in_editor}>
                    <div class="col-left">
                        { self.example_label() }
                        { self.template_bar(ctx) }
                        <Editor analysis={a.clone()} textarea={self.textarea.clone()} oninput={on_edit}
                            readonly={self.readonly} bands={bands} />
                        if panels.diagnostics {
                            <Diagnostics analysis={a.clone()} onselect={on_select} onfix={on_fix}
                                can_fix={!self.readonly} rule_links={!embedded} />
                        }
                    </div>
                    { right.unwrap_or_default() }
                </main>
                { rule_page }
                if !embedded {
                    <footer class="footer">
                        <span>{format!("s3-replication-lint {}", s3_replication_lint::VERSION)}</span>
                        <span class="timing">{format!("Checked in {:.1} ms", a.millis)}</span>
                        <span>{"Runs entirely in your browser; nothing is sent anywhere."}</span>
                    </footer>
                }
            </div>
        }
    }

    pub(super) fn header(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let format = self.analysis.report.format;
        let other = match format {
            Format::Xml => Format::Json,
            Format::Json => Format::Xml,
        };
        let convert_label = match other {
            Format::Xml => "Convert to XML",
            Format::Json => "Convert to JSON",
        };
        // Converting or formatting applies to API documents, not templates.
        let ro = self.readonly || self.iac.is_some() || self.iac_pending;
        let badge = match &self.iac {
            Some(v) => v.language.to_string(),
            None => format.as_str().to_uppercase(),
        };
        let actions = html! {
            <>
                <span class="format-badge" title="Detected format">{badge}</span>
                <button type="button" disabled={ro} onclick={link.callback(move |_| Msg::Convert(other))}>{convert_label}</button>
                <button type="button" disabled={ro} onclick={link.callback(|_| Msg::Pretty)}>{"Format document"}</button>
            </>
        };
        if self.embed.is_some() {
            return html! {
                <nav class="toolbar embedded-toolbar" aria-label="Document actions">{ actions }</nav>
            };
        }
        let options = examples::all().iter().map(|e| {
            html! { <option value={e.id}>{e.title}</option> }
        });
        let onexample = link.callback(|e: Event| Msg::Example(crate::panels::event_value(&e)));
        html! {
            <header class="topbar">
                <div class="title">
                    <h1>{"S3 replication lint"}</h1>
                    <p class="tagline">{"Checks Amazon S3 replication configurations (XML, JSON, CloudFormation, Terraform) and writes the policies they need. Runs entirely in your browser: nothing you type leaves this page."}</p>
                </div>
                <nav class="toolbar" aria-label="Document actions">
                    <select ref={self.example_select.clone()} aria-label="Load an example" onchange={onexample}>
                        <option value="" selected=true>{"Load an example…"}</option>
                        { for options }
                    </select>
                    { actions }
                    <button type="button" onclick={link.callback(|_| Msg::Share)}>{"Share link"}</button>
                    <a class="button-link" href="#rules">{"Rules"}</a>
                </nav>
            </header>
        }
    }
}
