//! The application state: the document, the deployment context and everything derived from
//! them. Every edit recomputes the analysis synchronously (check + policies), then the
//! panels whose inputs changed re-render.

use crate::analysis::{drawn_span, Analysis, Explained, Simulated};
use crate::editor::{Editor, LINE_HEIGHT};
use crate::panels::audit::{AuditField, AuditPanel, AuditTexts};
use crate::panels::context::{self, ContextPanel, CtxEdit};
use crate::panels::diagnostics::Diagnostics;
use crate::panels::explain::ExplainPanel;
use crate::panels::policies::{Code, PolicyPanel, Tab, TabList};
use crate::panels::rules::RulePage;
use crate::panels::simulate::{self, SimEdit, SimInput, SimulatePanel};
use crate::panels::topology::Topology;
use crate::share::{self, Shared as SharedState};
use crate::{dom, examples, Shared};
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use s3_replication_lint::context::Resolved;
use s3_replication_lint::diagnostic::apply_edits;
use s3_replication_lint::input::InputKind;
use s3_replication_lint::policy::{self, UserPolicies};
use s3_replication_lint::simulate::ObjectSpec;
use s3_replication_lint::{serialize, DeploymentContext, Diagnostic, Format};
use std::rc::Rc;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// localStorage key of the last state.
const STORAGE_KEY: &str = "s3-replication-lint:last";
/// Save the state this long after the last change.
const SAVE_DELAY_MS: u32 = 400;
/// Up to this many rules `explain` runs on every keystroke; above, it runs once typing pauses
/// for [`EXPLAIN_DELAY_MS`] (the previous explanation stays on screen, marked as updating).
const EXPLAIN_SYNC_RULES: usize = 200;
const EXPLAIN_DELAY_MS: u32 = 150;

pub enum Msg {
    Edited(String),
    Select(usize),
    Fix(usize),
    Ctx(CtxEdit),
    Example(String),
    Convert(Format),
    Pretty,
    Tab(Tab),
    Notice(String),
    Share,
    Audit(AuditField, String),
    Hash,
    Save,
    Sim(SimEdit),
    ExplainToggle(bool),
    ExplainNow,
    /// Calls from the embedding API (`embed.rs`).
    External(External),
    /// The template reader's answer for analysis revision `.0`.
    Iac(u64, Result<crate::iac::IacView, String>),
    /// Show configuration `.0` of the template.
    IacSelect(usize),
    /// Show the policies as JSON, Terraform or CloudFormation.
    Code(Code),
    /// Bring back the document and context an example replaced.
    Undo,
    /// Convert, knowing what the conversion drops.
    ConvertAnyway(Format),
    /// The code writer's answer for analysis revision `.0` in language `.1`.
    Emitted(u64, Code, Result<String, String>),
}

/// What a host page can ask of an embedded editor.
pub enum External {
    SetValue(String),
    SetContext(DeploymentContext),
    SetReadonly(bool),
    Focus,
}

/// Which panels an embedded editor shows (the editor itself is always there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panels {
    pub diagnostics: bool,
    pub policies: bool,
    pub context: bool,
}

impl Default for Panels {
    fn default() -> Self {
        Panels {
            diagnostics: true,
            policies: true,
            context: true,
        }
    }
}

/// Settings of an editor embedded in a host page (`<s3-replication-editor>` / `mount()`):
/// no routing, no localStorage, no share links; every analysis is reported to `on_change`.
pub struct EmbedOptions {
    pub value: String,
    pub context: DeploymentContext,
    pub format: Option<Format>,
    pub readonly: bool,
    pub panels: Panels,
    /// Called with the JSON of `{ text, format, diagnostics, policies, valid }`.
    pub on_change: Option<js_sys::Function>,
    /// The latest change detail (JSON), for `snapshot()`.
    pub latest: std::cell::RefCell<String>,
}

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// `None` = the full-page playground.
    #[prop_or_default]
    pub embed: Option<Shared<EmbedOptions>>,
}

#[derive(Clone, Debug, PartialEq)]
enum Route {
    Editor,
    Rules,
    Rule(String),
}

fn route_of(hash: &str) -> Route {
    let h = hash.trim_start_matches('#');
    if h == "rules" {
        Route::Rules
    } else if let Some(code) = h.strip_prefix("rule/") {
        Route::Rule(code.to_string())
    } else {
        Route::Editor
    }
}

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

/// A button beside the notice.
#[derive(Clone, Copy, Debug, PartialEq)]
enum NoticeAction {
    Undo,
    /// Convert although the conversion drops something (said in the notice).
    Convert(Format),
}

/// The document and context before an example replaced them.
struct Snapshot {
    text: Rc<str>,
    ctx: Shared<DeploymentContext>,
    keys_raw: AttrValue,
    example: Option<(AttrValue, DeploymentContext)>,
}

/// Where the first state came from.
enum Start {
    Link(Option<Tab>),
    /// A `#s=` fragment that does not decode: kept in the address bar, and said.
    BrokenLink(usize),
    Saved,
    Example,
}

/// A template's configuration as the API document it deploys, checked with the context its
/// code states, and how the code names its resources (JSON bindings for the policy code).
struct Deployed {
    analysis: Shared<Analysis>,
    context: Shared<DeploymentContext>,
    bindings: String,
    address: String,
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

fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// A share fragment `#s=<state>[&tab=<id>]`: the state and the tab it was made on.
fn read_link(hash: &str) -> Option<Result<(SharedState, Option<Tab>), usize>> {
    let rest = hash.strip_prefix("#s=")?;
    let (enc, tab) = match rest.split_once('&') {
        Some((enc, params)) => (enc, params.strip_prefix("tab=").and_then(Tab::from_id)),
        None => (rest, None),
    };
    Some(share::decode(enc).map(|s| (s, tab)).ok_or(rest.len()))
}

fn initial_state() -> (SharedState, Start) {
    let link = read_link(&dom::location_hash());
    if let Some(Ok((s, tab))) = link {
        return (s, Start::Link(tab));
    }
    let start = |saved| match link {
        Some(Err(len)) => Start::BrokenLink(len),
        _ if saved => Start::Saved,
        _ => Start::Example,
    };
    if let Some(s) = dom::local_get(STORAGE_KEY).and_then(|v| share::decode(&v)) {
        return (s, start(true));
    }
    let e = examples::default_example();
    let state = SharedState {
        text: e.text.to_string(),
        format: None,
        context: e.context(),
        object: None,
    };
    (state, start(false))
}

/// The example whose context `ctx` is, if any (an autosaved example keeps its label).
fn example_of(ctx: &DeploymentContext) -> Option<(AttrValue, DeploymentContext)> {
    if *ctx == DeploymentContext::default() {
        return None;
    }
    examples::all()
        .iter()
        .find(|e| e.context() == *ctx)
        .map(|e| (AttrValue::from(e.title), ctx.clone()))
}

/// The change replaced most of the text: a new document was pasted or loaded, not edited.
fn replaced_document(old: &str, new: &str) -> bool {
    let (start, end_old, end_new) = changed_middle(old, new);
    new.len() >= 16 && (end_old - start) * 2 >= old.len() && (end_new - start) * 2 >= new.len()
}

impl App {
    fn state(&self) -> SharedState {
        SharedState {
            text: self.text.to_string(),
            format: None,
            context: (*self.ctx).clone(),
            // The object travels only while it is on screen: a link made from the Simulate
            // tab opens on it, any other link opens on the policies.
            object: (self.tab == Tab::Simulate).then(|| self.sim_input.spec()),
        }
    }

    /// Show a shared or saved object in the Simulate tab.
    fn restore_object(&mut self, object: Option<ObjectSpec>) {
        if let Some(o) = object {
            self.sim_input = Shared::new(SimInput::from(o));
            self.sim_key_auto = false;
            self.tab = Tab::Simulate;
        }
    }

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

    /// Empty the context fields that still hold the example's values; their labels.
    fn clear_example(&mut self) -> Vec<String> {
        let Some((_, example)) = self.example.take() else {
            return Vec::new();
        };
        let mut c = (*self.ctx).clone();
        let cleared = context::example_fields(&mut c, &example, true);
        if !cleared.is_empty() {
            if c.source_kms_keys.is_empty() {
                self.keys_raw = AttrValue::default();
            }
            self.ctx = Shared::new(c);
        }
        cleared
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

    /// Tell an embedding page what the editor now holds (its `change` event).
    fn announce(&self) {
        let Some(embed) = &self.embed else { return };
        let template = self.iac.as_ref().map(|v| {
            let address = v.configurations.get(self.iac_selected).map(|c| &c.address);
            (v.kind, address.cloned())
        });
        let detail = change_detail(&self.analysis, &self.subject().0, template);
        if let Some(f) = &embed.on_change {
            let _ = f.call1(
                &wasm_bindgen::JsValue::NULL,
                &wasm_bindgen::JsValue::from_str(&detail),
            );
        }
        *embed.latest.borrow_mut() = detail;
    }

    /// A template, Terraform file or plan goes to the template reader (loaded on first use);
    /// its answer replaces the API check's "this is a template" finding. The deployment
    /// context is left out on purpose: it describes the API document, and the template
    /// states its own facts.
    fn check_template(&mut self, ctx: &Context<Self>) {
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
    fn emit_code(&mut self, ctx: &Context<Self>) {
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
    fn show_template(&mut self, ctx: &Context<Self>, selected: usize) {
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

    /// Says that the text is one of the built-in examples, until it is edited.
    fn example_label(&self) -> Html {
        if self.embed.is_some() {
            return Html::default();
        }
        match examples::all()
            .iter()
            .find(|e| e.text.len() == self.text.len() && *normalize(e.text) == *self.text)
        {
            Some(e) => html! {
                <p class="example-label">
                    <strong>{ format!("Example: {}.", e.title) }</strong>
                    {" Paste or type your own configuration to check it."}
                </p>
            },
            None => Html::default(),
        }
    }

    fn template_bar(&self, ctx: &Context<Self>) -> Html {
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

    /// Recompute what the visible tab and the open summary show (and only that).
    fn refresh_views(&mut self, ctx: &Context<Self>) {
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

    fn refresh_explain(&mut self, ctx: &Context<Self>) {
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

    fn explain_now(&mut self) {
        self.explain_timer = None;
        let (analysis, context) = self.subject();
        self.explained = analysis.explain(&context).map(Shared::new);
        self.explained_rev = self.rev;
    }

    /// A key the first enabled rule selects, so the Simulate tab opens with a useful answer.
    fn suggest_key(&mut self) {
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

    fn run_audit(&mut self) {
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

    fn schedule_save(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.save_timer = Some(Timeout::new(SAVE_DELAY_MS, move || {
            link.send_message(Msg::Save)
        }));
    }

    /// Replace the whole document through the textarea (keeps the browser's undo history),
    /// then analyse the new text right away.
    fn replace_document(&mut self, ctx: &Context<Self>, new_text: String) {
        let old = self.text.clone();
        if let Some(t) = self.textarea() {
            // Only the changed middle goes through the edit, so the caret lands near it.
            let (start, end_old, end_new) = changed_middle(&old, &new_text);
            let lines = &self.analysis.lines;
            let s16 = lines.to_utf16(&old, start as u32);
            let e16 = lines.to_utf16(&old, end_old as u32);
            self.text = Rc::from(new_text.as_str());
            dom::replace_range(&t, s16, e16, &new_text[start..end_new]);
            // The browser may have normalised something: trust what the textarea holds.
            let actual = t.value();
            if *actual != *self.text {
                self.text = Rc::from(actual.as_str());
            }
        } else {
            self.text = Rc::from(new_text.as_str());
        }
        self.reanalyze(ctx);
    }

    fn load(&mut self, ctx: &Context<Self>, state: SharedState) {
        self.keys_raw = AttrValue::from(state.context.source_kms_keys.join("\n"));
        self.restore_object(state.object);
        self.ctx = Shared::new(state.context);
        self.replace_document(ctx, normalize(&state.text));
        if self.tab == Tab::Simulate && self.sim_key_auto {
            self.suggest_key();
            self.refresh_views(ctx);
        }
    }

    fn header(&self, ctx: &Context<Self>) -> Html {
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

/// The KMS keys whose key policies the configuration needs, one Audit box each.
fn audit_keys(a: &Analysis) -> Vec<crate::panels::audit::AuditKey> {
    let mut out: Vec<crate::panels::audit::AuditKey> = Vec::new();
    for d in a.policies.iter().flat_map(|p| &p.documents) {
        if d.kind != s3_replication_lint::policy::DocumentKind::KmsKeyPolicy
            || out.iter().any(|k| k.arn == d.attach_to)
        {
            continue;
        }
        let title = if d.title.contains("source key") {
            "source key"
        } else {
            "replica key"
        };
        out.push(crate::panels::audit::AuditKey {
            arn: d.attach_to.clone(),
            title: title.to_string(),
        });
    }
    out
}

/// The `change` event detail of an embedded editor, as JSON: the text's findings, and the
/// policies of what it deploys (`outputs`: the text itself, or a template's selected
/// configuration, named by `template`).
pub(crate) fn change_detail(
    a: &Analysis,
    outputs: &Analysis,
    template: Option<(InputKind, Option<String>)>,
) -> String {
    let format = match &template {
        Some((kind, _)) => serde_json::json!(kind.as_str()),
        None => serde_json::json!(a.report.format),
    };
    let mut detail = serde_json::json!({
        "text": &*a.text,
        "format": format,
        "diagnostics": &a.report.diagnostics,
        "policies": &outputs.policies,
        "valid": !a.report.has_errors(),
    });
    if let Some((_, Some(address))) = template {
        detail["configuration"] = serde_json::json!(address);
    }
    detail.to_string()
}

/// Byte ranges `[start, end_old)` of `old` and `[start, end_new)` of `new` that differ,
/// on char boundaries.
fn changed_middle(old: &str, new: &str) -> (usize, usize, usize) {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while start > 0 && !(old.is_char_boundary(start) && new.is_char_boundary(start)) {
        start -= 1;
    }
    let max_suffix = a.len().min(b.len()) - start;
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    while suffix > 0
        && !(old.is_char_boundary(a.len() - suffix) && new.is_char_boundary(b.len() - suffix))
    {
        suffix -= 1;
    }
    (start, a.len() - suffix, b.len() - suffix)
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
            Msg::Edited(text) => {
                if *text == *self.text {
                    return false;
                }
                self.notice_action = None;
                if self.undo.as_ref().is_some_and(|u| *u.text == *text) {
                    // Ctrl+Z took the text back to before the example: its context comes too.
                    let u = self.undo.take().expect("checked");
                    self.ctx = u.ctx;
                    self.keys_raw = u.keys_raw;
                    self.example = u.example;
                    self.notice = Some("Restored the previous document and its context.".into());
                } else if self.example.is_some() && replaced_document(&self.text, &text) {
                    // Only while example values remain: the comparison reads the whole text,
                    // and this runs on every keystroke.
                    let cleared = self.clear_example();
                    if !cleared.is_empty() {
                        self.notice = Some(format!(
                            "New document: cleared the context values that came from the example ({}).",
                            cleared.join(", ")
                        ));
                    }
                }
                self.text = Rc::from(text.as_str());
                self.reanalyze(ctx);
                true
            }
            Msg::Undo => {
                let Some(u) = self.undo.take() else {
                    return false;
                };
                self.notice_action = None;
                self.ctx = u.ctx;
                self.keys_raw = u.keys_raw;
                self.example = u.example;
                self.replace_document(ctx, u.text.to_string());
                self.notice = Some("Restored the previous document and its context.".into());
                true
            }
            Msg::Select(i) => {
                let a = self.analysis.clone();
                if let (Some(d), Some(t)) = (a.report.diagnostics.get(i), self.textarea()) {
                    let (s, e) = drawn_span(&a.text, d);
                    let s16 = a.lines.to_utf16(&a.text, s);
                    let e16 = a.lines.to_utf16(&a.text, e);
                    dom::select_range(&t, s16, e16, d.range.start.line, LINE_HEIGHT);
                }
                false
            }
            Msg::Fix(_) | Msg::Convert(_) | Msg::Pretty | Msg::Example(_) if self.readonly => false,
            Msg::Fix(i) => {
                let fixed = self
                    .analysis
                    .report
                    .diagnostics
                    .get(i)
                    .and_then(|d| d.fix.as_ref())
                    .map(|f| (f.title.clone(), apply_edits(&self.text, &f.edits)));
                match fixed {
                    Some((title, text)) if *text != *self.text => {
                        self.replace_document(ctx, text);
                        self.notice = Some(format!("Applied: {title}"));
                        true
                    }
                    _ => false,
                }
            }
            Msg::Ctx(CtxEdit::ClearExample) => {
                let cleared = self.clear_example();
                self.notice = Some(format!(
                    "Cleared the example's values: {}.",
                    cleared.join(", ")
                ));
                self.reanalyze(ctx);
                true
            }
            Msg::Ctx(edit) => {
                if edit == CtxEdit::ClearAll {
                    self.example = None;
                }
                let mut c = (*self.ctx).clone();
                let mut raw = self.keys_raw.to_string();
                context::apply(&mut c, &mut raw, edit);
                self.keys_raw = AttrValue::from(raw);
                self.ctx = Shared::new(c);
                self.reanalyze(ctx);
                true
            }
            Msg::Iac(rev, answer) => {
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
            Msg::Code(code) => {
                if code == self.code {
                    return false;
                }
                self.code = code;
                self.emit_code(ctx);
                true
            }
            Msg::Emitted(rev, code, answer) => {
                if rev != self.rev || code != self.code {
                    return false;
                }
                self.emitted = Some(Shared::new(answer));
                true
            }
            Msg::IacSelect(i) => {
                self.show_template(ctx, i);
                self.announce();
                true
            }
            Msg::Example(id) => {
                if let Some(sel) = self.example_select.cast::<HtmlSelectElement>() {
                    sel.set_value("");
                }
                let Some(e) = examples::find(&id) else {
                    return false;
                };
                self.undo = Some(Box::new(Snapshot {
                    text: self.text.clone(),
                    ctx: self.ctx.clone(),
                    keys_raw: self.keys_raw.clone(),
                    example: self.example.take(),
                }));
                self.example = Some((AttrValue::from(e.title), e.context()));
                if self.route != Route::Editor {
                    // Picked from the Rules pages: back to the editor, where it was loaded.
                    self.route = Route::Editor;
                    dom::replace_hash("");
                }
                self.load(
                    ctx,
                    SharedState {
                        text: e.text.to_string(),
                        format: None,
                        context: e.context(),
                        object: None,
                    },
                );
                self.notice = Some(format!(
                    "Loaded the example “{}” and its deployment context.",
                    e.title
                ));
                self.notice_action = Some(NoticeAction::Undo);
                self.share_link = None;
                true
            }
            Msg::Convert(to) => {
                let comments = match self.analysis.report.format {
                    Format::Xml if to == Format::Json => {
                        crate::editor::format::xml_comments(&self.text)
                    }
                    _ => Vec::new(),
                };
                if comments.is_empty() {
                    return self.convert(ctx, to);
                }
                let lines: Vec<String> = comments.iter().map(usize::to_string).collect();
                let n = comments.len();
                self.notice = Some(format!(
                    "Converting to JSON drops {n} XML comment{} (line{} {}): JSON cannot hold comments.",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "" } else { "s" },
                    lines.join(", ")
                ));
                self.notice_action = Some(NoticeAction::Convert(to));
                true
            }
            Msg::ConvertAnyway(to) => {
                self.notice_action = None;
                self.convert(ctx, to)
            }
            Msg::Pretty => self.format_document(ctx),
            Msg::Tab(tab) => {
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
            Msg::Sim(edit) => {
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
            Msg::ExplainToggle(open) => {
                if open == self.explain_open {
                    return false;
                }
                self.explain_open = open;
                self.refresh_explain(ctx);
                true
            }
            Msg::ExplainNow => {
                self.explain_now();
                true
            }
            Msg::Notice(n) => {
                self.notice = Some(n);
                true
            }
            Msg::Share => {
                let encoded = share::encode(&self.state());
                let hash = format!("#s={encoded}&tab={}", self.tab.id());
                dom::replace_hash(&hash);
                let url = format!("{}{}", dom::base_url(), hash);
                let copied = dom::copy(&url);
                self.notice = Some(if copied {
                    format!("Share link copied ({} characters). The document travels in the link's fragment, which browsers never send to a server.", url.len())
                } else {
                    "Share link created below.".to_string()
                });
                self.share_link = Some(url);
                true
            }
            Msg::Audit(field, value) => {
                let mut t = (*self.audit).clone();
                t.set(field, value);
                self.audit = Shared::new(t);
                self.run_audit();
                true
            }
            Msg::Hash => {
                let hash = dom::location_hash();
                if let Some(link) = read_link(&hash) {
                    self.route = Route::Editor;
                    match link {
                        Ok((state, tab)) => {
                            self.example = None;
                            if let Some(tab) = tab {
                                self.tab = tab;
                            }
                            self.load(ctx, state);
                            self.notice = Some("Loaded the shared document.".into());
                            dom::replace_hash("");
                        }
                        // The fragment stays: the user may want to copy or repair it.
                        Err(len) => {
                            self.notice = Some(format!(
                                "This share link is damaged or incomplete ({len} characters after #s=) and was not loaded; your document is unchanged."
                            ))
                        }
                    }
                    return true;
                }
                let route = route_of(&hash);
                if route == self.route {
                    return false;
                }
                self.route = route;
                true
            }
            Msg::External(cmd) => match cmd {
                External::SetValue(text) => {
                    let text = normalize(&text);
                    if let Some(t) = self.textarea() {
                        t.set_value(&text);
                    }
                    if *text == *self.text {
                        return false;
                    }
                    self.text = Rc::from(text.as_str());
                    self.reanalyze(ctx);
                    true
                }
                External::SetContext(c) => {
                    self.keys_raw = AttrValue::from(c.source_kms_keys.join("\n"));
                    self.ctx = Shared::new(c);
                    self.reanalyze(ctx);
                    true
                }
                External::SetReadonly(r) => {
                    self.readonly = r;
                    true
                }
                External::Focus => {
                    if let Some(t) = self.textarea() {
                        let _ = t.focus();
                    }
                    false
                }
            },
            Msg::Save => {
                self.save_timer = None;
                dom::local_set(STORAGE_KEY, &share::encode(&self.state()));
                false
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
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

impl App {
    /// The button the notice offers, if any.
    fn notice_button(&self, ctx: &Context<Self>) -> Html {
        let action = self.notice_action;
        let label = match action {
            Some(NoticeAction::Undo) if self.undo.is_some() => "Undo",
            Some(NoticeAction::Convert(_)) => "Convert anyway",
            _ => return Html::default(),
        };
        let onclick = ctx.link().callback(move |_| match action {
            Some(NoticeAction::Convert(to)) => Msg::ConvertAnyway(to),
            _ => Msg::Undo,
        });
        html! { <>{" "}<button type="button" class="notice-action" {onclick}>{label}</button></> }
    }

    /// Re-indent the document; order, comments and values stay (layout only).
    fn format_document(&mut self, ctx: &Context<Self>) -> bool {
        let format = self.analysis.report.format;
        if let Err(diags) = serialize::convert(&self.text, format) {
            return self.refuse(&diags, "format");
        }
        let out = match format {
            Format::Xml => crate::editor::format::xml(&self.text),
            Format::Json => crate::editor::format::json(&self.text),
        };
        if *out != *self.text {
            self.replace_document(ctx, out);
        }
        self.notice =
            Some("Formatted the document: layout only; order, comments and values kept.".into());
        true
    }

    fn refuse(&mut self, diags: &[Diagnostic], what: &str) -> bool {
        let first = diags
            .first()
            .map(|d| format!(" First: line {}: {}", d.range.start.line, d.message));
        self.notice = Some(format!(
            "Cannot {what} while the document has syntax errors.{}",
            first.unwrap_or_default()
        ));
        true
    }

    /// Convert to `to` through the model (members in the API's order).
    fn convert(&mut self, ctx: &Context<Self>, to: Format) -> bool {
        match serialize::convert(&self.text, to) {
            Ok(out) => {
                let dropped = match self.analysis.report.format {
                    Format::Xml if to == Format::Json => {
                        crate::editor::format::xml_comments(&self.text).len()
                    }
                    _ => 0,
                };
                if *out != *self.text {
                    self.replace_document(ctx, out);
                }
                self.notice = Some(format!(
                    "Converted to {} (members in the API's order){}.",
                    to.as_str().to_uppercase(),
                    match dropped {
                        0 => String::new(),
                        1 => "; dropped 1 XML comment".into(),
                        n => format!("; dropped {n} XML comments"),
                    }
                ));
                true
            }
            Err(diags) => self.refuse(&diags, "convert"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn middle_of_a_change() {
        assert_eq!(changed_middle("abcdef", "abXdef"), (2, 3, 3));
        assert_eq!(changed_middle("abc", "abc"), (3, 3, 3));
        assert_eq!(changed_middle("aaa", "aaaa"), (3, 3, 4));
        assert_eq!(changed_middle("", "x"), (0, 0, 1));
        // Never splits a character.
        let (s, e, n) = changed_middle("xé", "xè");
        assert!("xé".is_char_boundary(s) && "xé".is_char_boundary(e) && "xè".is_char_boundary(n));
        assert_eq!(route_of("#rule/S3R001"), Route::Rule("S3R001".into()));
        assert_eq!(route_of("#rules"), Route::Rules);
        assert_eq!(route_of(""), Route::Editor);
    }
}
