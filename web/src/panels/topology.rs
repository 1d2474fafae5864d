//! The Topology tab: an SVG picture of the configuration, drawn with Yew's own SVG elements
//! (no library, no markup strings). The source bucket is a tall node on the left, each
//! destination bucket a node on the right, and each rule an arrow between them labelled
//! with its filter, priority, storage class, KMS key and RTC. Rules are grouped per
//! destination and at most [`SHOWN`] are drawn per destination until the user expands it,
//! so 20 destinations and 1000 rules stay legible; the drawing grows in height with the
//! number of destinations and scrolls inside its container.

use crate::analysis::Explained;
use crate::Shared;
use s3_replication_lint::explain::{DestinationGroup, RuleEdge};
use std::collections::{BTreeSet, HashMap};
use yew::prelude::*;

/// Rule arrows drawn per destination before "+ K more rules".
pub const SHOWN: usize = 5;

const W: i64 = 540;
const TOP: i64 = 8;
const SRC_X: i64 = 4;
const SRC_W: i64 = 118;
const JX: i64 = 142;
const LABEL_X: i64 = 158;
const DEST_W: i64 = 150;
const DEST_X: i64 = W - DEST_W - 4;
const ROW_H: i64 = 50;
const MORE_H: i64 = 30;
const NODE_MIN_H: i64 = 64;
const GAP: i64 = 14;
/// Characters that fit on a label line between the junction and the destination node.
const LABEL_CHARS: usize = 37;
const SRC_CHARS: usize = 15;
const DEST_CHARS: usize = 21;

/// `s` cut to `n` characters, with an ellipsis when cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `s` in lines of at most `n` characters, preferably broken after `-`, `.` or `/`; at
/// most `max` lines (the last one clipped).
fn wrap(s: &str, n: usize, max: usize) -> Vec<String> {
    let n = n.max(2);
    let mut rest: Vec<char> = s.chars().collect();
    let mut lines = Vec::new();
    while !rest.is_empty() {
        if lines.len() + 1 == max.max(1) || rest.len() <= n {
            lines.push(clip(&rest.iter().collect::<String>(), n));
            break;
        }
        let cut = rest[..n]
            .iter()
            .rposition(|c| matches!(c, '-' | '.' | '/' | '_'))
            .map(|i| i + 1)
            .filter(|&i| i >= n / 2)
            .unwrap_or(n);
        lines.push(rest[..cut].iter().collect());
        rest.drain(..cut);
    }
    lines
}

/// Inline-code markers are for HTML; in the drawing they are noise.
fn plain(s: &str) -> String {
    s.replace('`', "")
}

fn rule_name(r: &RuleEdge) -> String {
    match &r.id {
        Some(id) if !id.is_empty() => id.clone(),
        _ => format!("rule {}", r.index),
    }
}

/// The last part of a KMS key ARN or ID, enough to tell keys apart.
fn short_key(k: &str) -> String {
    let tail = k.rsplit(['/', ':']).next().unwrap_or(k);
    if tail.chars().count() > 12 {
        let skip = tail.chars().count() - 8;
        format!("…{}", tail.chars().skip(skip).collect::<String>())
    } else {
        tail.to_string()
    }
}

/// First label line: name and priority.
fn label_name(r: &RuleEdge) -> String {
    let prio = r.priority.map_or(String::new(), |p| format!(" · P{p}"));
    format!("{}{prio}", rule_name(r))
}

/// Second label line: the filter.
fn label_filter(r: &RuleEdge) -> String {
    r.filter
        .as_deref()
        .map_or("unreadable filter".to_string(), short_filter)
}

/// `keys starting with "logs/" with tag env=prod` → `prefix logs/ + tag env=prod`.
fn short_filter(f: &str) -> String {
    const LEAD: &str = "keys starting with \"";
    let mut out = String::new();
    let mut rest = f;
    while let Some(at) = rest.find(LEAD) {
        out.push_str(&rest[..at]);
        let after = &rest[at + LEAD.len()..];
        match after.find('"') {
            Some(end) => {
                out.push_str("prefix ");
                out.push_str(&after[..end]);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace(" with tag ", " + tag ")
}

/// Second label line: state (shadowed/disabled), storage class, KMS key, RTC, owner.
fn label_settings(r: &RuleEdge, names: &HashMap<usize, String>) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !r.enabled {
        parts.push("disabled".into());
    } else if let Some(by) = r.shadowed_by {
        let by = names
            .get(&by)
            .cloned()
            .unwrap_or_else(|| format!("rule {by}"));
        parts.push(format!("shadowed by {by}"));
    }
    parts.push(format!(
        "→ {}",
        r.storage_class.as_deref().unwrap_or("same class")
    ));
    if r.kms_objects {
        parts.push(if r.use_source_multi_region_key {
            "KMS: source MRK".to_string()
        } else {
            match &r.replica_kms_key_id {
                Some(k) => format!("KMS {}", short_key(k)),
                None => "KMS: no key".to_string(),
            }
        });
    }
    if r.rtc {
        parts.push("RTC".into());
    }
    if r.owner_override {
        parts.push("owner→dest".into());
    }
    parts.join(" · ")
}

fn edge_state(r: &RuleEdge) -> &'static str {
    if !r.enabled {
        "disabled"
    } else if r.shadowed_by.is_some() {
        "shadowed"
    } else {
        "active"
    }
}

#[derive(Properties, PartialEq)]
pub struct TopologyProps {
    /// `None` when the document cannot be read.
    pub explained: Option<Shared<Explained>>,
}

pub enum Msg {
    Toggle(String),
}

pub struct Topology {
    /// Destination bucket names whose every rule is drawn.
    expanded: BTreeSet<String>,
}

impl Component for Topology {
    type Message = Msg;
    type Properties = TopologyProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Topology {
            expanded: BTreeSet::new(),
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Toggle(name) => {
                if !self.expanded.remove(&name) {
                    self.expanded.insert(name);
                }
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let Some(ex) = &ctx.props().explained else {
            return html! { <p class="empty">{"Fix the syntax errors to see the topology."}</p> };
        };
        let groups = &ex.explanation.destinations;
        if groups.is_empty() {
            return html! { <p class="empty">{"No rule names a destination bucket, so there is nothing to draw."}</p> };
        }
        let names: HashMap<usize, String> = groups
            .iter()
            .flat_map(|g| g.rules.iter())
            .map(|r| (r.index, rule_name(r)))
            .collect();
        let total: usize = groups.iter().map(|g| g.rules.len()).sum();
        let shadowed = groups
            .iter()
            .flat_map(|g| g.rules.iter())
            .filter(|r| r.enabled && r.shadowed_by.is_some())
            .count();
        let disabled = groups
            .iter()
            .flat_map(|g| g.rules.iter())
            .filter(|r| !r.enabled)
            .count();

        let mut y = TOP;
        let mut bands: Vec<Html> = Vec::with_capacity(groups.len());
        for g in groups {
            let (html, h) = self.band(ctx, g, y, &names);
            bands.push(html);
            y += h + GAP;
        }
        let height = (y - GAP + TOP).max(NODE_MIN_H + 2 * TOP);
        let source = ex.source.clone().unwrap_or_else(|| "source bucket".into());
        let mut src_lines = vec![
            html! { <text class="topo-kind" x={(SRC_X + 8).to_string()} y={(TOP + 16).to_string()}>{"Source"}</text> },
        ];
        let mut ty = TOP + 32;
        for l in wrap(&source, SRC_CHARS, 3) {
            src_lines.push(html! { <text class="topo-name" x={(SRC_X + 8).to_string()} y={ty.to_string()}>{l}</text> });
            ty += 15;
        }
        for fact in [ex.source_region.as_ref(), ex.source_account.as_ref()]
            .into_iter()
            .flatten()
        {
            src_lines.push(html! { <text class="topo-fact" x={(SRC_X + 8).to_string()} y={ty.to_string()}>{clip(fact, SRC_CHARS + 2)}</text> });
            ty += 14;
        }
        let summary = format!(
            "{} → {} destination{}, {} rule{}{}{}",
            source,
            groups.len(),
            if groups.len() == 1 { "" } else { "s" },
            total,
            if total == 1 { "" } else { "s" },
            if shadowed > 0 {
                format!(", {shadowed} shadowed")
            } else {
                String::new()
            },
            if disabled > 0 {
                format!(", {disabled} disabled")
            } else {
                String::new()
            },
        );
        html! {
            <div class="topology">
                <p class="topo-summary">{summary.clone()}</p>
                <div class="topo-scroll" tabindex="0" role="region" aria-label="Topology drawing">
                    <svg class="topo-svg" role="group" aria-label={format!("Replication topology: {summary}")}
                        width={W.to_string()} height={height.to_string()}
                        viewBox={format!("0 0 {W} {height}")} xmlns="http://www.w3.org/2000/svg">
                        <g class="topo-node topo-source" data-bucket={source.clone()}>
                            <title>{format!("Source bucket {source}")}</title>
                            <rect x={SRC_X.to_string()} y={TOP.to_string()} width={SRC_W.to_string()}
                                height={(height - 2 * TOP).to_string()} rx="6" />
                            { for src_lines }
                        </g>
                        { for bands }
                    </svg>
                </div>
                <ul class="topo-legend" aria-label="Legend">
                    <li><span class="swatch swatch-active" aria-hidden="true"></span>
                        <strong>{"Solid arrow: "}</strong>{"an enabled rule; it copies the objects its filter selects."}</li>
                    <li><span class="swatch swatch-shadowed" aria-hidden="true"></span>
                        <strong>{"Dashed arrow, struck-through name: "}</strong>{"shadowed; a higher-priority rule to the same bucket selects every object this rule selects, so it never applies."}</li>
                    <li><span class="swatch swatch-disabled" aria-hidden="true"></span>
                        <strong>{"Dotted grey arrow: "}</strong>{"a disabled rule; it replicates nothing."}</li>
                    <li><strong>{"Labels: "}</strong>{"rule ID and priority (P3); filter; storage class of the replicas (\"same class\" keeps the source's), replica KMS key of SSE-KMS objects, RTC (Replication Time Control), owner→dest (replicas owned by the destination account). Hover an arrow for the full sentence."}</li>
                </ul>
            </div>
        }
    }
}

impl Topology {
    /// One destination: its node and its rule arrows, from `y0`; returns the band height.
    fn band(
        &self,
        ctx: &Context<Self>,
        g: &DestinationGroup,
        y0: i64,
        names: &HashMap<usize, String>,
    ) -> (Html, i64) {
        let n = g.rules.len();
        let expanded = self.expanded.contains(&g.name);
        let shown = if expanded { n } else { n.min(SHOWN) };
        let more = n > SHOWN;
        let content = shown as i64 * ROW_H + if more { MORE_H } else { 0 };
        let band_h = content.max(NODE_MIN_H);
        // Edge lines of the rows, centred in the band when the node is taller.
        let offset = y0 + (band_h - content) / 2;
        let edge_y = |i: usize| offset + i as i64 * ROW_H + 42;
        let jy = if shown > 0 {
            (edge_y(0) + edge_y(shown - 1)) / 2
        } else {
            y0 + band_h / 2
        };
        let any_active = g.rules.iter().any(|r| edge_state(r) == "active");
        let trunk_class = classes!("topo-trunk", (!any_active).then_some("topo-trunk-inactive"));
        let rows = g.rules.iter().take(shown).enumerate().map(|(i, r)| {
            let ey = edge_y(i);
            let state = edge_state(r);
            let d = format!(
                "M{JX},{jy} C{},{jy} {},{ey} {},{ey} L{},{ey}",
                JX + 8,
                JX + 6,
                JX + 14,
                DEST_X - 7
            );
            let head = format!(
                "{},{} {},{} {},{}",
                DEST_X - 8,
                ey - 4,
                DEST_X,
                ey,
                DEST_X - 8,
                ey + 4
            );
            let mut tip = plain(&r.sentence);
            if let Some(by) = r.shadowed_by {
                if r.enabled {
                    tip.push_str(&format!(
                        " It never applies: {} (higher priority) selects every object it does.",
                        names
                            .get(&by)
                            .cloned()
                            .unwrap_or_else(|| format!("rule {by}"))
                    ));
                }
            }
            html! {
                <g class={classes!("topo-edge", format!("topo-{state}"))} key={r.index}
                    data-rule={rule_name(r)} data-state={state}>
                    <title>{tip}</title>
                    <path class="topo-line" d={d} />
                    <polygon class="topo-head" points={head} />
                    <text class="topo-label topo-label1" x={LABEL_X.to_string()} y={(ey - 30).to_string()}>{clip(&label_name(r), LABEL_CHARS)}</text>
                    <text class="topo-label topo-label1 topo-filter" x={LABEL_X.to_string()} y={(ey - 17).to_string()}>{clip(&label_filter(r), LABEL_CHARS)}</text>
                    <text class="topo-label topo-label2" x={LABEL_X.to_string()} y={(ey - 4).to_string()}>{clip(&label_settings(r, names), LABEL_CHARS)}</text>
                </g>
            }
        });
        let toggle = more.then(|| {
            let ty = offset + shown as i64 * ROW_H + 4;
            let hidden = n - shown;
            let label = if expanded {
                "Show fewer rules".to_string()
            } else {
                format!("+ {hidden} more rules")
            };
            let aria = if expanded {
                format!("Show fewer rules to {}", g.name)
            } else {
                format!("Show {hidden} more rules to {}", g.name)
            };
            let name = g.name.clone();
            let onclick = ctx.link().callback(move |_: MouseEvent| Msg::Toggle(name.clone()));
            let name = g.name.clone();
            let onkeydown = ctx.link().batch_callback(move |e: KeyboardEvent| {
                let k = e.key();
                (k == "Enter" || k == " ").then(|| {
                    e.prevent_default();
                    Msg::Toggle(name.clone())
                })
            });
            html! {
                <g class="topo-more" role="button" tabindex="0" aria-label={aria}
                    aria-expanded={expanded.to_string()} {onclick} {onkeydown}>
                    <rect x={LABEL_X.to_string()} y={ty.to_string()} width="150" height="22" rx="4" />
                    <text x={(LABEL_X + 8).to_string()} y={(ty + 15).to_string()}>{label}</text>
                </g>
            }
        });
        let place = [
            g.region.as_ref().map(|r| r.value.clone()),
            g.account.as_ref().map(|a| format!("account {}", a.value)),
        ];
        let mut node_text = Vec::new();
        let mut ty = y0 + 17;
        for l in wrap(&g.name, DEST_CHARS, 2) {
            node_text.push(html! { <text class="topo-name" x={(DEST_X + 8).to_string()} y={ty.to_string()}>{l}</text> });
            ty += 15;
        }
        for p in place.into_iter().flatten() {
            node_text.push(html! { <text class="topo-fact" x={(DEST_X + 8).to_string()} y={ty.to_string()}>{clip(&p, DEST_CHARS + 2)}</text> });
            ty += 14;
        }
        node_text.push(html! {
            <text class="topo-fact" x={(DEST_X + 8).to_string()} y={ty.to_string()}>
                {format!("{n} rule{}", if n == 1 { "" } else { "s" })}
            </text>
        });
        let html = html! {
            <g class="topo-dest" key={g.name.clone()} data-bucket={g.name.clone()}>
                <line class={trunk_class} x1={(SRC_X + SRC_W).to_string()} y1={jy.to_string()}
                    x2={JX.to_string()} y2={jy.to_string()} />
                { for rows }
                { toggle.unwrap_or_default() }
                <g class="topo-node">
                    <title>{format!("Destination bucket {}", g.bucket)}</title>
                    <rect x={DEST_X.to_string()} y={y0.to_string()} width={DEST_W.to_string()}
                        height={band_h.to_string()} rx="6" />
                    { for node_text }
                </g>
            </g>
        };
        (html, band_h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_and_wrapping_respect_characters() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("ééééé", 3), "éé…");
        assert_eq!(wrap("abcdefgh", 3, 2), vec!["abc", "de…"]);
        assert_eq!(wrap("abcdef", 3, 2), vec!["abc", "def"]);
        assert_eq!(wrap("", 3, 2), Vec::<String>::new());
        assert_eq!(wrap("media-main-use1", 14, 3), vec!["media-main-", "use1"]);
        assert_eq!(
            wrap("abcdefghijklmnop", 5, 9),
            vec!["abcde", "fghij", "klmno", "p"]
        );
        assert_eq!(
            short_key("arn:aws:kms:us-west-2:1:key/0f1e2d3c-4b5a-4697-8877-665544332211"),
            "…44332211"
        );
        assert_eq!(short_key("alias/backup"), "backup");
        assert_eq!(
            short_filter("keys starting with \"logs/\" with tag env=prod, except keys starting with \"logs/tmp/\""),
            "prefix logs/ + tag env=prod, except prefix logs/tmp/"
        );
        assert_eq!(short_filter("all keys"), "all keys");
        assert_eq!(
            short_filter("keys starting with \"unterminated"),
            "keys starting with \"unterminated"
        );
    }
}
