//! Where the state comes from and goes: the first state (share link, autosave or the default
//! example), the hash routes, share links and the autosave.

use super::{App, Msg};
use crate::panels::policies::Tab;
use crate::panels::simulate::SimInput;
use crate::share::{self, SharedState};
use crate::{dom, examples, Shared};
use gloo::timers::callback::Timeout;
use s3_replication_lint::simulate::ObjectSpec;
use yew::prelude::*;

/// localStorage key of the last state.
pub(super) const STORAGE_KEY: &str = "s3-replication-lint:last";
/// Save the state this long after the last change.
pub(super) const SAVE_DELAY_MS: u32 = 400;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Route {
    Editor,
    Rules,
    Rule(String),
}

pub(super) fn route_of(hash: &str) -> Route {
    let h = hash.trim_start_matches('#');
    if h == "rules" {
        Route::Rules
    } else if let Some(code) = h.strip_prefix("rule/") {
        Route::Rule(code.to_string())
    } else {
        Route::Editor
    }
}

/// Where the first state came from.
pub(super) enum Start {
    Link(Option<Tab>),
    /// A `#s=` fragment that does not decode: kept in the address bar, and said.
    BrokenLink(usize),
    Saved,
    Example,
}

pub(super) fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// A share fragment `#s=<state>[&tab=<id>]`: the state and the tab it was made on.
pub(super) fn read_link(hash: &str) -> Option<Result<(SharedState, Option<Tab>), usize>> {
    let rest = hash.strip_prefix("#s=")?;
    let (enc, tab) = match rest.split_once('&') {
        Some((enc, params)) => (enc, params.strip_prefix("tab=").and_then(Tab::from_id)),
        None => (rest, None),
    };
    Some(share::decode(enc).map(|s| (s, tab)).ok_or(rest.len()))
}

pub(super) fn initial_state() -> (SharedState, Start) {
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

impl App {
    pub(super) fn state(&self) -> SharedState {
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
    pub(super) fn restore_object(&mut self, object: Option<ObjectSpec>) {
        if let Some(o) = object {
            self.sim_input = Shared::new(SimInput::from(o));
            self.sim_key_auto = false;
            self.tab = Tab::Simulate;
        }
    }

    pub(super) fn schedule_save(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.save_timer = Some(Timeout::new(SAVE_DELAY_MS, move || {
            link.send_message(Msg::Save)
        }));
    }

    pub(super) fn load(&mut self, ctx: &Context<Self>, state: SharedState) {
        self.keys_raw = AttrValue::from(state.context.source_kms_keys.join("\n"));
        self.restore_object(state.object);
        self.ctx = Shared::new(state.context);
        self.replace_document(ctx, normalize(&state.text));
        if self.tab == Tab::Simulate && self.sim_key_auto {
            self.suggest_key();
            self.refresh_views(ctx);
        }
    }

    /// Put the document, its context and the tab in the address bar, and copy the link.
    pub(super) fn share(&mut self) -> bool {
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

    /// A share link was opened, or the route changed.
    pub(super) fn hash_changed(&mut self, ctx: &Context<Self>) -> bool {
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

    pub(super) fn save(&mut self) -> bool {
        self.save_timer = None;
        dom::local_set(STORAGE_KEY, &share::encode(&self.state()));
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn routes() {
        assert_eq!(route_of("#rule/S3R001"), Route::Rule("S3R001".into()));
        assert_eq!(route_of("#rules"), Route::Rules);
        assert_eq!(route_of(""), Route::Editor);
    }
}
