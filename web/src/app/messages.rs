//! What the application is told: messages from its own views, timers and the second module,
//! and calls from a host page when embedded.

use crate::panels::audit::AuditField;
use crate::panels::context::CtxEdit;
use crate::panels::policies::{Code, Tab};
use crate::panels::simulate::SimEdit;
use crate::Shared;
use s3_replication_lint::{DeploymentContext, Format};
use yew::prelude::*;

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
    // Boxed: a context is ten times the size of the other messages.
    SetContext(Box<DeploymentContext>),
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
