//! The application state: the document, the deployment context and everything derived from
//! them. Every edit recomputes the analysis synchronously (check + policies), then the
//! panels whose inputs changed re-render.
//!
//! `update` only routes a message to its handler; the handlers live with what they change:
//! `document` (edits, fixes, formatting, conversion), `example`, `template` (the second
//! module), `outputs` (tabs, simulation, summary, audit), `start` (first state, links,
//! autosave), `embed_api` (a host page); `view` draws it all.

mod document;
mod embed_api;
mod example;
mod messages;
mod outputs;
mod start;
mod template;
mod view;

pub(crate) use embed_api::change_detail;
pub use messages::{AppProps, EmbedOptions, External, Msg, Panels};

use crate::analysis::{Analysis, Explained, Simulated};
use crate::panels::audit::{AuditField, AuditTexts};
use crate::panels::context::CtxEdit;
use crate::panels::policies::{Code, Tab};
use crate::panels::simulate::{SimEdit, SimInput};
use crate::share::{self, SharedState};
use crate::{dom, Shared};
use example::example_of;
use example::{NoticeAction, Snapshot};
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use s3_replication_lint::{DeploymentContext, Diagnostic, Format};
use start::{initial_state, normalize, route_of, Route, Start, STORAGE_KEY};
use std::rc::Rc;
use template::Deployed;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

pub struct App {
    text: Rc<str>,
    ctx: Shared<DeploymentContext>,
    /// The source key field as typed.
    keys_raw: AttrValue,
    analysis: Shared<Analysis>,
    tab: Tab,
    audit: Shared<AuditTexts>,
    audit_results: Option<Shared<Vec<Diagnostic>>>,
    route: Route,
    share_link: Option<String>,
    notice: Option<String>,
    textarea: NodeRef,
    example_select: NodeRef,
    rev: u64,
    save_timer: Option<Timeout>,
    _hash_listener: Option<EventListener>,
    cb: Callbacks,
    embed: Option<Shared<EmbedOptions>>,
    format: Option<Format>,
    readonly: bool,
    /// The Simulate tab's object, its answer (only while the tab is shown) and whether the
    /// key is still the one the app suggested.
    sim_input: Shared<SimInput>,
    simulated: Option<Shared<Simulated>>,
    sim_key_auto: bool,
    /// The `explain` answer, computed while the summary is open or the Topology tab shown;
    /// `explained_rev` is the analysis revision it describes.
    explained: Option<Shared<Explained>>,
    explained_rev: u64,
    explain_open: bool,
    explain_timer: Option<Timeout>,
    /// A template, Terraform file or plan: what the template reader found (`None` while it
    /// runs, and for API documents), which configuration is shown, and whether it is running.
    iac: Option<Shared<crate::iac::IacView>>,
    iac_selected: usize,
    iac_pending: bool,
    /// The language of the policy tabs, and the policies in it (`None` while it is written;
    /// the second module writes Terraform and CloudFormation).
    code: Code,
    emitted: Option<Shared<Result<String, String>>>,
    /// The selected configuration of a template as it deploys: what the outputs speak for
    /// while a template is shown (`None` for API documents, and while it cannot be derived).
    deployed: Option<Deployed>,
    /// The example the context was filled from (title, its context), while some of its values
    /// remain: they are labelled, and cleared when another document is pasted.
    example: Option<(AttrValue, DeploymentContext)>,
    /// What picking an example replaced, for Undo (the button, or Ctrl+Z back to that text).
    undo: Option<Box<Snapshot>>,
    /// What the notice offers to do.
    notice_action: Option<NoticeAction>,
    /// The last analysis whose document could be read: while a syntax error is being typed
    /// through, the outputs keep showing it (marked as stale) instead of collapsing.
    last_good: Option<Shared<Analysis>>,
}

/// Created once, so child props compare equal between renders and unchanged panels skip
/// re-rendering (a fresh closure per render would never compare equal).
struct Callbacks {
    edit: Callback<String>,
    select: Callback<usize>,
    fix: Callback<usize>,
    ctx: Callback<CtxEdit>,
    tab: Callback<Tab>,
    notice: Callback<String>,
    audit: Callback<(AuditField, String)>,
    sim: Callback<SimEdit>,
    explain_toggle: Callback<bool>,
    code: Callback<Code>,
}

impl App {
    /// What the outputs (policies, audit, simulation, summary, topology) speak for: the
    /// document and the page's context, or a template's configuration as it deploys with the
    /// context its code states.
    fn subject(&self) -> (Shared<Analysis>, Shared<DeploymentContext>) {
        match (&self.deployed, &self.last_good) {
            (Some(d), _) => (d.analysis.clone(), d.context.clone()),
            (None, Some(good)) if self.outputs_stale() => (good.clone(), self.ctx.clone()),
            (None, _) => (self.analysis.clone(), self.ctx.clone()),
        }
    }

    /// The document cannot be read just now: the outputs are those of its last readable
    /// version.
    fn outputs_stale(&self) -> bool {
        self.deployed.is_none()
            && self.analysis.report.document.is_none()
            && self.last_good.is_some()
    }

    fn template_shown(&self) -> bool {
        self.iac.is_some() || self.iac_pending
    }

    fn textarea(&self) -> Option<HtmlTextAreaElement> {
        self.textarea.cast::<HtmlTextAreaElement>()
    }

    /// Recompute everything from the current text and context.
    fn reanalyze(&mut self, ctx: &Context<Self>) {
        if self.share_link.take().is_some() && dom::location_hash().starts_with("#s=") {
            // The shared fragment no longer describes the document.
            dom::replace_hash("");
        }
        let previous = std::mem::replace(
            &mut self.analysis,
            Shared::new(Analysis::new(self.text.clone(), self.format, &self.ctx)),
        );
        if self.analysis.report.document.is_some() {
            self.last_good = None;
        } else if previous.report.document.is_some() {
            self.last_good = Some(previous);
        }
        self.rev += 1;
        self.check_template(ctx);
        self.run_audit();
        self.refresh_views(ctx);
        self.emit_code(ctx);
        if self.embed.is_none() {
            self.schedule_save(ctx);
        } else if !self.template_shown() {
            // A template's change is told once its reader has answered.
            self.announce();
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let embed = ctx.props().embed.clone();
        let (state, format, readonly, start) = match &embed {
            Some(e) => (
                SharedState {
                    text: e.value.clone(),
                    format: e.format,
                    context: e.context.clone(),
                    object: None,
                },
                e.format,
                e.readonly,
                Start::Saved,
            ),
            None => {
                let (state, start) = initial_state();
                (state, None, false, start)
            }
        };
        let example = match start {
            Start::Link(_) => None,
            _ if embed.is_some() => None,
            _ => example_of(&state.context),
        };
        let (notice, link_tab) = match start {
            Start::BrokenLink(len) => (
                Some(format!(
                    "This share link is damaged or incomplete ({len} characters after #s=) and was not loaded; it stays in the address bar. Showing {} instead.",
                    if example.is_some() { "an example" } else { "your last document" }
                )),
                None,
            ),
            Start::Link(tab) => (Some("Loaded the shared document.".to_string()), tab),
            _ => (None, None),
        };
        let text: Rc<str> = Rc::from(normalize(&state.text).as_str());
        let object = state.object.clone();
        let analysis = Shared::new(Analysis::new(text.clone(), format, &state.context));
        if let Some(e) = &embed {
            *e.latest.borrow_mut() = change_detail(&analysis, &analysis, None);
        }
        let link = ctx.link().clone();
        let listener = if embed.is_some() {
            None
        } else {
            dom::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| link.send_message(Msg::Hash))
            })
        };
        let hash = if embed.is_some() {
            String::new()
        } else {
            dom::location_hash()
        };
        if matches!(start, Start::Link(_)) {
            // Keep what the link carried (a reload must not lose it), then drop the fragment
            // so a reload after later edits does not bring the link's version back.
            dom::local_set(STORAGE_KEY, &share::encode(&state));
            dom::replace_hash("");
        }
        let mut app = App {
            keys_raw: AttrValue::from(state.context.source_kms_keys.join("\n")),
            text,
            ctx: Shared::new(state.context),
            analysis,
            tab: Tab::Role,
            audit: Shared::new(AuditTexts::default()),
            audit_results: None,
            route: route_of(&hash),
            share_link: None,
            notice,
            textarea: NodeRef::default(),
            example_select: NodeRef::default(),
            rev: 1,
            save_timer: None,
            _hash_listener: listener,
            cb: Callbacks {
                edit: ctx.link().callback(Msg::Edited),
                select: ctx.link().callback(Msg::Select),
                fix: ctx.link().callback(Msg::Fix),
                ctx: ctx.link().callback(Msg::Ctx),
                tab: ctx.link().callback(Msg::Tab),
                notice: ctx.link().callback(Msg::Notice),
                audit: ctx.link().callback(|(f, v)| Msg::Audit(f, v)),
                sim: ctx.link().callback(Msg::Sim),
                explain_toggle: ctx.link().callback(Msg::ExplainToggle),
                code: ctx.link().callback(Msg::Code),
            },
            embed,
            format,
            readonly,
            sim_input: Shared::new(SimInput::default()),
            simulated: None,
            sim_key_auto: true,
            explained: None,
            explained_rev: 0,
            explain_open: true,
            explain_timer: None,
            iac: None,
            iac_selected: 0,
            iac_pending: false,
            code: Code::Json,
            emitted: None,
            deployed: None,
            example,
            undo: None,
            notice_action: None,
            last_good: None,
        };
        if let Some(tab) = link_tab {
            app.tab = tab;
        }
        app.restore_object(object);
        app.refresh_views(ctx);
        app.check_template(ctx);
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Fix(_) | Msg::Convert(_) | Msg::Pretty | Msg::Example(_) if self.readonly => false,
            Msg::Edited(text) => self.edited(ctx, text),
            Msg::Undo => self.undo(ctx),
            Msg::Select(i) => self.select(i),
            Msg::Fix(i) => self.fix(ctx, i),
            Msg::Convert(to) => self.ask_convert(ctx, to),
            Msg::ConvertAnyway(to) => {
                self.notice_action = None;
                self.convert(ctx, to)
            }
            Msg::Pretty => self.format_document(ctx),
            Msg::Ctx(edit) => self.edit_context(ctx, edit),
            Msg::Example(id) => self.pick_example(ctx, &id),
            Msg::Iac(rev, answer) => self.template_read(ctx, rev, answer),
            Msg::IacSelect(i) => {
                self.show_template(ctx, i);
                self.announce();
                true
            }
            Msg::Code(code) => self.pick_code(ctx, code),
            Msg::Emitted(rev, code, answer) => self.code_written(rev, code, answer),
            Msg::Tab(tab) => self.pick_tab(ctx, tab),
            Msg::Sim(edit) => self.edit_simulation(ctx, edit),
            Msg::ExplainToggle(open) => self.toggle_explain(ctx, open),
            Msg::ExplainNow => {
                self.explain_now();
                true
            }
            Msg::Audit(field, value) => self.edit_audit(field, value),
            Msg::Notice(n) => {
                self.notice = Some(n);
                true
            }
            Msg::Share => self.share(),
            Msg::Hash => self.hash_changed(ctx),
            Msg::Save => self.save(),
            Msg::External(cmd) => self.external(ctx, cmd),
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        self.page(ctx)
    }

    fn rendered(&mut self, _ctx: &Context<Self>, first_render: bool) {
        if first_render {
            if let Some(t) = self.textarea() {
                t.set_value(&self.text);
            }
        }
        if self.route != Route::Editor {
            if let Some(h) = dom::document().and_then(|d| d.get_element_by_id("rule-title")) {
                if let Ok(h) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(h) {
                    let _ = h.focus();
                }
            }
        }
    }
}
