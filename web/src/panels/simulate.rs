//! The Simulate tab: describe one object (key, tags, encryption, delete marker, replica) and
//! see, per destination bucket, whether S3 replicates it, which rule governs and why the
//! other rules lost or did not match. The answer is recomputed by the app on every edit of
//! the document or of the object.

use super::event_value;
use crate::analysis::Simulated;
use crate::{markdown, Shared};
use s3_replication_lint::simulate::{
    DestinationOutcome, Encryption, ObjectSpec, Reason, RuleOutcome, Simulation,
};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Rules that did not match are listed up to this many until the user asks for all.
const UNMATCHED_SHOWN: usize = 25;

/// The object as typed in the form (tag rows may be blank while being filled in).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SimInput {
    pub key: String,
    pub tags: Vec<(String, String)>,
    pub encryption: Encryption,
    pub delete_marker: bool,
    pub is_replica: bool,
}

impl SimInput {
    /// The object to simulate: tag rows with an empty key are still being typed and count
    /// as absent.
    pub fn spec(&self) -> ObjectSpec {
        ObjectSpec {
            key: self.key.clone(),
            tags: self
                .tags
                .iter()
                .filter(|(k, _)| !k.is_empty())
                .cloned()
                .collect(),
            encryption: self.encryption,
            delete_marker: self.delete_marker,
            is_replica: self.is_replica,
        }
    }
}

impl From<ObjectSpec> for SimInput {
    /// The form for an object from a share link or the saved state.
    fn from(o: ObjectSpec) -> SimInput {
        SimInput {
            key: o.key,
            tags: o.tags,
            encryption: o.encryption,
            delete_marker: o.delete_marker,
            is_replica: o.is_replica,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SimEdit {
    Key(String),
    TagKey(usize, String),
    TagValue(usize, String),
    AddTag,
    RemoveTag(usize),
    Encryption(Encryption),
    DeleteMarker(bool),
    Replica(bool),
}

pub fn apply(input: &mut SimInput, edit: SimEdit) {
    match edit {
        SimEdit::Key(k) => input.key = k,
        SimEdit::TagKey(i, k) => {
            if let Some(t) = input.tags.get_mut(i) {
                t.0 = k;
            }
        }
        SimEdit::TagValue(i, v) => {
            if let Some(t) = input.tags.get_mut(i) {
                t.1 = v;
            }
        }
        SimEdit::AddTag => input.tags.push((String::new(), String::new())),
        SimEdit::RemoveTag(i) => {
            if i < input.tags.len() {
                input.tags.remove(i);
            }
        }
        SimEdit::Encryption(e) => input.encryption = e,
        SimEdit::DeleteMarker(b) => input.delete_marker = b,
        SimEdit::Replica(b) => input.is_replica = b,
    }
}

/// A stable identifier of a reason (used as a `data-reason` attribute).
pub fn reason_id(r: Reason) -> &'static str {
    match r {
        Reason::Replicates => "replicates",
        Reason::LowerPriority => "lower-priority",
        Reason::RuleDisabled => "disabled",
        Reason::PrefixMismatch => "prefix",
        Reason::TagMismatch => "tags",
        Reason::ExcludedByNot => "excluded",
        Reason::KmsNotSelected => "kms-not-selected",
        Reason::DeleteMarkerNotReplicated => "delete-marker",
        Reason::ReplicaNotReplicated => "replica",
        Reason::InvalidRule => "invalid",
    }
}

/// The reason in a few words.
pub fn reason_words(r: Reason) -> &'static str {
    match r {
        Reason::Replicates => "Governs and replicates",
        Reason::LowerPriority => "Matches, but a higher-priority rule wins",
        Reason::RuleDisabled => "Disabled",
        Reason::PrefixMismatch => "Key prefix does not match",
        Reason::TagMismatch => "Required tags do not match",
        Reason::ExcludedByNot => "Excluded by the filter",
        Reason::KmsNotSelected => "Does not opt in KMS-encrypted objects",
        Reason::DeleteMarkerNotReplicated => "Does not replicate this delete marker",
        Reason::ReplicaNotReplicated => "The object is a replica",
        Reason::InvalidRule => "Invalid rule",
    }
}

fn rule_name(id: &Option<String>, index: usize) -> String {
    match id {
        Some(id) if !id.is_empty() => id.clone(),
        _ => format!("rule at /Rules/{index}"),
    }
}

fn priority_text(p: Option<i64>) -> String {
    p.map_or_else(|| "none".to_string(), |p| p.to_string())
}

#[derive(Properties, PartialEq)]
pub struct SimProps {
    pub input: Shared<SimInput>,
    /// `None` when the document cannot be read.
    pub result: Option<Shared<Simulated>>,
    pub onedit: Callback<SimEdit>,
}

pub struct SimulatePanel {
    show_all_rules: bool,
}

pub enum Msg {
    ShowAll(bool),
}

impl Component for SimulatePanel {
    type Message = Msg;
    type Properties = SimProps;

    fn create(_ctx: &Context<Self>) -> Self {
        SimulatePanel {
            show_all_rules: false,
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::ShowAll(b) => {
                let changed = self.show_all_rules != b;
                self.show_all_rules = b;
                changed
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let result = match &p.result {
            Some(sim) => self.result_view(ctx, &sim.simulation),
            None => html! {
                <p class="empty">{"Fix the syntax errors to simulate this configuration."}</p>
            },
        };
        html! {
            <div class="simulate">
                { object_form(&p.input, &p.onedit) }
                <section class="sim-result" aria-label="Simulation result">
                    { result }
                </section>
            </div>
        }
    }
}

fn object_form(input: &SimInput, onedit: &Callback<SimEdit>) -> Html {
    let cb = onedit.clone();
    let onkey = Callback::from(move |e: InputEvent| cb.emit(SimEdit::Key(event_value(&e))));
    let tag_rows = input.tags.iter().enumerate().map(|(i, (k, v))| {
        let n = i + 1;
        let cb = onedit.clone();
        let onk = Callback::from(move |e: InputEvent| cb.emit(SimEdit::TagKey(i, event_value(&e))));
        let cb = onedit.clone();
        let onv =
            Callback::from(move |e: InputEvent| cb.emit(SimEdit::TagValue(i, event_value(&e))));
        let cb = onedit.clone();
        let remove = Callback::from(move |_: MouseEvent| cb.emit(SimEdit::RemoveTag(i)));
        html! {
            <li class="tag-row" key={i}>
                <input type="text" aria-label={format!("Tag {n} key")} placeholder="key"
                    value={k.clone()} oninput={onk} spellcheck="false" autocomplete="off" />
                <span aria-hidden="true">{"="}</span>
                <input type="text" aria-label={format!("Tag {n} value")} placeholder="value"
                    value={v.clone()} oninput={onv} spellcheck="false" autocomplete="off" />
                <button type="button" aria-label={format!("Remove tag {n}")} onclick={remove}>{"Remove"}</button>
            </li>
        }
    });
    let cb = onedit.clone();
    let add = Callback::from(move |e: MouseEvent| {
        cb.emit(SimEdit::AddTag);
        // Once the new row is drawn, its key field takes the focus.
        if let Some(field) = e
            .target()
            .and_then(|b| b.dyn_into::<web_sys::Element>().ok()?.parent_element())
        {
            gloo::timers::callback::Timeout::new(0, move || {
                if let Some(i) = field
                    .query_selector(".tag-row:last-child input")
                    .ok()
                    .flatten()
                    .and_then(|i| i.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = i.focus();
                }
            })
            .forget();
        }
    });
    let cb = onedit.clone();
    let onenc = Callback::from(move |e: Event| {
        if let Some(enc) = Encryption::parse(&event_value(&e)) {
            cb.emit(SimEdit::Encryption(enc));
        }
    });
    let options = Encryption::ALL.iter().map(|e| {
        let label = match e {
            Encryption::None => "None (unencrypted)",
            Encryption::SseS3 => "SSE-S3",
            Encryption::SseKms => "SSE-KMS",
            Encryption::DsseKms => "DSSE-KMS",
            Encryption::SseC => "SSE-C",
        };
        html! { <option value={e.as_str()} selected={*e == input.encryption}>{label}</option> }
    });
    let cb = onedit.clone();
    let ondm = Callback::from(move |e: Event| cb.emit(SimEdit::DeleteMarker(checked(&e))));
    let cb = onedit.clone();
    let onrep = Callback::from(move |e: Event| cb.emit(SimEdit::Replica(checked(&e))));
    html! {
        <fieldset class="sim-object">
            <legend>{"The object"}</legend>
            <div class="field wide">
                <label for="sim-key">{"Object key"}</label>
                <input id="sim-key" type="text" value={input.key.clone()} oninput={onkey}
                    placeholder="e.g. logs/2024/app.log" spellcheck="false" autocomplete="off" />
            </div>
            <div class="field wide">
                <span class="label" id="sim-tags-label">{"Tags"}</span>
                <ul class="tag-rows" aria-labelledby="sim-tags-label">{ for tag_rows }</ul>
                <button type="button" class="add-tag" onclick={add}>{"Add tag"}</button>
            </div>
            <div class="field">
                <label for="sim-encryption">{"Object encryption"}</label>
                <select id="sim-encryption" onchange={onenc}>{ for options }</select>
            </div>
            <div class="checks">
                <label><input type="checkbox" checked={input.delete_marker} onchange={ondm} />{" Delete marker"}</label>
                <label><input type="checkbox" checked={input.is_replica} onchange={onrep} />{" Is a replica"}</label>
            </div>
        </fieldset>
    }
}

fn checked(e: &Event) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

fn fact_row(label: &str, value: Option<String>) -> Html {
    match value {
        Some(v) => html! { <><dt>{label}</dt><dd>{markdown::inline(&v)}</dd></> },
        None => Html::default(),
    }
}

fn destination_view(d: &DestinationOutcome) -> Html {
    let verdict = if d.replicated {
        "Replicated"
    } else {
        "Not replicated"
    };
    let place = match (&d.region, &d.account) {
        (Some(r), Some(a)) => format!("{}, account {}", r.value, a.value),
        (Some(r), None) => r.value.clone(),
        (None, Some(a)) => format!("account {}", a.value),
        (None, None) => String::new(),
    };
    let governing = d.rule_index.map(|i| {
        format!(
            "{} (priority {})",
            rule_name(&d.rule, i),
            priority_text(d.priority)
        )
    });
    let kms = if d.use_source_multi_region_key {
        Some("the source key's multi-Region replica".to_string())
    } else {
        d.replica_kms_key_id.clone()
    };
    let settings = d.replicated.then(|| {
        html! {
            <>
                { fact_row("Storage class", d.storage_class.clone()) }
                { fact_row("Replica encryption", d.replica_encryption.clone()) }
                { fact_row("Replica KMS key", kms) }
                <dt>{"Owner override"}</dt>
                <dd>{ if d.owner_override { "Yes: the destination account owns the replica" } else { "No: the source account keeps ownership" } }</dd>
                <dt>{"RTC"}</dt>
                <dd>{ if d.rtc { "Yes: 15-minute replication time control" } else { "No" } }</dd>
            </>
        }
    });
    let also = (!d.also_matched.is_empty()).then(|| {
        let items = d.also_matched.iter().map(|m| {
            html! {
                <li data-rule={rule_name(&m.id, m.index)}>
                    <strong>{rule_name(&m.id, m.index)}</strong>
                    {format!(" (priority {}): ", priority_text(m.priority))}
                    {markdown::inline(&m.detail)}
                </li>
            }
        });
        html! {
            <div class="also-matched">
                <span class="label">{"Also matched, but did not govern:"}</span>
                <ul>{ for items }</ul>
            </div>
        }
    });
    html! {
        <li class={classes!("sim-dest", if d.replicated { "replicated" } else { "not-replicated" })}
            data-bucket={d.name.clone()} data-replicated={d.replicated.to_string()}>
            <h3>
                <span class="verdict">{verdict}</span>{" to "}<code>{&d.name}</code>
                if !place.is_empty() { <span class="place">{format!(" ({place})")}</span> }
            </h3>
            <dl class="sim-facts">
                <dt>{"Governing rule"}</dt>
                <dd class="governing">{ governing.unwrap_or_else(|| "none: no enabled rule for this bucket selects the object".into()) }</dd>
                { settings.unwrap_or_default() }
            </dl>
            <p class="detail">{markdown::inline(&d.detail)}</p>
            { also.unwrap_or_default() }
        </li>
    }
}

fn rule_row(r: &RuleOutcome) -> Html {
    let name = rule_name(&r.id, r.index);
    html! {
        <tr class={classes!("sim-rule", r.matched.then_some("matched"))} data-rule={name.clone()}
            data-reason={reason_id(r.reason)}>
            <th scope="row">{name}</th>
            <td>{priority_text(r.priority)}</td>
            <td>{r.destination.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{ if r.matched { "Yes" } else { "No" } }</td>
            <td class="reason">
                <strong>{reason_words(r.reason)}</strong>
                if !r.detail.is_empty() { {": "}{markdown::inline(&r.detail)} }
            </td>
        </tr>
    }
}

impl SimulatePanel {
    fn result_view(&self, ctx: &Context<Self>, sim: &Simulation) -> Html {
        let replicated = sim.destinations.iter().filter(|d| d.replicated).count();
        let headline = if sim.destinations.is_empty() {
            "No rule names a destination bucket.".to_string()
        } else {
            format!(
                "Replicated to {replicated} of {} destination{}.",
                sim.destinations.len(),
                if sim.destinations.len() == 1 { "" } else { "s" }
            )
        };
        let dests = sim.destinations.iter().map(destination_view);
        let notes = (!sim.notes.is_empty()).then(|| {
            let items = sim
                .notes
                .iter()
                .map(|n| html! { <li>{markdown::inline(n)}</li> });
            html! { <ul class="sim-notes">{ for items }</ul> }
        });
        // Matched rules first, then the others (capped until asked).
        let matched = sim.rules.iter().filter(|r| r.matched);
        let unmatched: Vec<&RuleOutcome> = sim.rules.iter().filter(|r| !r.matched).collect();
        let cap = if self.show_all_rules {
            unmatched.len()
        } else {
            UNMATCHED_SHOWN
        };
        let hidden = unmatched.len().saturating_sub(cap);
        let rows = matched
            .chain(unmatched.iter().copied().take(cap))
            .map(rule_row);
        let link = ctx.link();
        let toggle = if hidden > 0 || (self.show_all_rules && unmatched.len() > UNMATCHED_SHOWN) {
            let more = hidden > 0;
            let label = if more {
                format!("Show {hidden} more rules")
            } else {
                "Show fewer rules".to_string()
            };
            html! { <button type="button" onclick={link.callback(move |_| Msg::ShowAll(more))}>{label}</button> }
        } else {
            Html::default()
        };
        html! {
            <>
                <p class="sim-headline" role="status">{headline}</p>
                <ul class="sim-dests" aria-label="Destinations">{ for dests }</ul>
                { notes.unwrap_or_default() }
                <h3 class="sim-rules-heading">{format!("Every rule ({})", sim.rules.len())}</h3>
                <div class="sim-rules-wrap">
                    <table class="sim-rules" aria-label="Rules">
                        <thead><tr>
                            <th scope="col">{"Rule"}</th><th scope="col">{"Priority"}</th>
                            <th scope="col">{"Destination"}</th><th scope="col">{"Matched"}</th>
                            <th scope="col">{"Reason"}</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                { toggle }
            </>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_and_spec() {
        let mut s = SimInput::default();
        apply(&mut s, SimEdit::Key("logs/a".into()));
        apply(&mut s, SimEdit::AddTag);
        apply(&mut s, SimEdit::AddTag);
        apply(&mut s, SimEdit::TagKey(0, "env".into()));
        apply(&mut s, SimEdit::TagValue(0, "prod".into()));
        apply(&mut s, SimEdit::TagValue(1, "orphan".into()));
        // Out-of-range rows are ignored, never a panic.
        apply(&mut s, SimEdit::TagKey(9, "x".into()));
        apply(&mut s, SimEdit::RemoveTag(9));
        apply(&mut s, SimEdit::Encryption(Encryption::SseKms));
        let spec = s.spec();
        assert_eq!(spec.key, "logs/a");
        assert_eq!(spec.tags, vec![("env".to_string(), "prod".to_string())]);
        assert_eq!(spec.encryption, Encryption::SseKms);
        apply(&mut s, SimEdit::RemoveTag(0));
        assert_eq!(s.tags, vec![(String::new(), "orphan".to_string())]);
        assert!(s.spec().tags.is_empty());
        apply(&mut s, SimEdit::DeleteMarker(true));
        apply(&mut s, SimEdit::Replica(true));
        assert!(s.spec().delete_marker && s.spec().is_replica);
    }

    #[test]
    fn every_reason_has_words() {
        for r in [
            Reason::Replicates,
            Reason::LowerPriority,
            Reason::RuleDisabled,
            Reason::PrefixMismatch,
            Reason::TagMismatch,
            Reason::ExcludedByNot,
            Reason::KmsNotSelected,
            Reason::DeleteMarkerNotReplicated,
            Reason::ReplicaNotReplicated,
            Reason::InvalidRule,
        ] {
            assert!(!reason_id(r).is_empty() && !reason_words(r).is_empty());
        }
    }
}
