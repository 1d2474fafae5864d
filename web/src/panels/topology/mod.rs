//! The Topology tab: an SVG picture of the configuration, drawn with Yew's own SVG elements
//! (no library, no markup strings). The source bucket is a tall node on the left, each
//! destination bucket a node on the right, and each rule an arrow between them labelled
//! with its filter, priority, storage class, KMS key and RTC. Rules are grouped per
//! destination and at most [`SHOWN`] are drawn per destination until the user expands it,
//! so 20 destinations and 1000 rules stay legible; the drawing grows in height with the
//! number of destinations and scrolls inside its container.
//!
//! The drawing is as wide as its container (measured after rendering and on resize), so
//! nothing hides to the side on a phone: labels and node texts wrap (on `-`, `.`, `/`, `_`
//! and spaces) into as many lines as they need, and rows and nodes grow to hold them. Each
//! arrow is a Tab stop; focusing or tapping it shows its full sentence under the drawing.

mod labels;

use crate::analysis::Explained;
use crate::Shared;
use gloo::events::EventListener;
use s3_replication_lint::explain::{DestinationGroup, RuleEdge};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use labels::{edge_state, label_filter, label_name, label_settings, rule_name, sentence, Names};

/// Rule arrows drawn per destination before "+ K more rules".
pub const SHOWN: usize = 5;

/// The drawing's width before its container is measured, and its limits.
const W0: i64 = 540;
const MIN_W: i64 = 300;
const MAX_W: i64 = 760;
const TOP: i64 = 8;
const SRC_X: i64 = 4;
const MORE_H: i64 = 30;
const GAP: i64 = 14;
/// Line height of the arrow labels; a row is its lines plus room for the arrow.
const LINE: i64 = 13;
/// Average character widths in hundredths of a pixel (system-ui at the sizes style.css
/// gives, on the wide side); `rendered` squeezes a line that still overflows its room.
const LABEL_PX: i64 = 640;
const NAME_PX: i64 = 740;
const FACT_PX: i64 = 630;
const TEXT_PAD: i64 = 8;

/// Where things go in a drawing `w` pixels wide.
struct Geo {
    w: i64,
    src_w: i64,
    jx: i64,
    label_x: i64,
    dest_x: i64,
    dest_w: i64,
}

impl Geo {
    fn new(w: i64) -> Geo {
        let w = w.clamp(MIN_W, MAX_W);
        let src_w = (w / 5).clamp(96, 130);
        let dest_w = (w * 3 / 10).clamp(104, 180);
        let jx = SRC_X + src_w + 18;
        Geo {
            w,
            src_w,
            jx,
            label_x: jx + 14,
            dest_x: w - dest_w - 4,
            dest_w,
        }
    }
}

/// Characters of `per` hundredths of a pixel that fit in `px`.
fn fit(px: i64, per: i64) -> usize {
    (px * 100 / per).max(6) as usize
}

/// A line of text that must stay within `room` pixels from `x` (see `Topology::squeeze`).
fn text(class: &'static str, x: i64, y: i64, room: i64, s: String) -> Html {
    html! { <text class={class} x={x.to_string()} y={y.to_string()} data-room={room.to_string()}>{s}</text> }
}

/// `s` in lines of at most `n` characters, preferably broken after `-`, `.`, `/`, `_` or a
/// space: nothing is cut off, a long name takes more lines.
fn wrap(s: &str, n: usize) -> Vec<String> {
    let n = n.max(2);
    let mut rest: Vec<char> = s.chars().collect();
    let mut lines = Vec::new();
    while rest.len() > n {
        let cut = rest[..n]
            .iter()
            .rposition(|c| matches!(c, '-' | '.' | '/' | '_' | ' '))
            .map(|i| i + 1)
            .filter(|&i| i >= n / 2)
            .unwrap_or(n);
        lines.push(rest.drain(..cut).collect());
    }
    if !rest.is_empty() {
        lines.push(rest.into_iter().collect());
    }
    lines
}

#[derive(Properties, PartialEq)]
pub struct TopologyProps {
    /// `None` when the document cannot be read.
    pub explained: Option<Shared<Explained>>,
}

pub enum Msg {
    Toggle(String),
    /// Re-measure the container (rendered, window resized).
    Measure,
    /// Show the sentence of rule `.0` under the drawing (its arrow was focused or tapped).
    Show(usize),
}

pub struct Topology {
    /// Destination bucket names whose every rule is drawn.
    expanded: Vec<String>,
    /// The container's width, the drawing's.
    width: i64,
    shown: Option<usize>,
    scroll: NodeRef,
    _resize: Option<EventListener>,
}

impl Component for Topology {
    type Message = Msg;
    type Properties = TopologyProps;

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        Topology {
            expanded: Vec::new(),
            width: W0,
            shown: None,
            scroll: NodeRef::default(),
            _resize: crate::dom::window().map(|w| {
                EventListener::new(&w, "resize", move |_| link.send_message(Msg::Measure))
            }),
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Toggle(name) => {
                match self.expanded.iter().position(|e| *e == name) {
                    Some(i) => drop(self.expanded.remove(i)),
                    None => self.expanded.push(name),
                }
                true
            }
            Msg::Measure => {
                let w = self
                    .scroll
                    .cast::<web_sys::Element>()
                    .map_or(0, |e| i64::from(e.client_width()));
                let changed = w > 0 && w != self.width;
                if changed {
                    self.width = w;
                }
                changed
            }
            Msg::Show(i) => self.shown.replace(i) != Some(i),
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first: bool) {
        self.squeeze();
        // The container's width does not depend on the drawing (its scrollbar has a
        // reserved gutter): measure it once, then on resize.
        if first {
            ctx.link().send_message(Msg::Measure);
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
        let geo = Geo::new(self.width);
        let edges = || groups.iter().flat_map(|g| g.rules.iter());
        let names: &Names = groups;
        let total = edges().count();
        let shadowed = edges().filter(|r| edge_state(r) == "shadowed").count();
        let disabled = edges().filter(|r| !r.enabled).count();

        let mut y = TOP;
        let mut bands: Vec<Html> = Vec::with_capacity(groups.len());
        for g in groups {
            let (html, h) = self.band(ctx, &geo, g, y, names);
            bands.push(html);
            y += h + GAP;
        }
        let source = ex.source.clone().unwrap_or_else(|| "source bucket".into());
        let room = geo.src_w - 2 * TEXT_PAD;
        let tx = SRC_X + TEXT_PAD;
        let mut src_lines = vec![text("topo-kind", tx, TOP + 16, room, "Source".into())];
        let mut ty = TOP + 32;
        for l in wrap(&source, fit(room, NAME_PX)) {
            src_lines.push(text("topo-name", tx, ty, room, l));
            ty += 15;
        }
        for fact in [&ex.source_region, &ex.source_account]
            .into_iter()
            .flatten()
        {
            for l in wrap(fact, fit(room, FACT_PX)) {
                src_lines.push(text("topo-fact", tx, ty, room, l));
                ty += 14;
            }
        }
        let height = (y - GAP + TOP).max(ty - 8 + TOP);
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut summary = format!(
            "{source} → {} destination{}, {total} rule{}",
            groups.len(),
            plural(groups.len()),
            plural(total)
        );
        for (n, what) in [(shadowed, "shadowed"), (disabled, "disabled")] {
            if n > 0 {
                summary.push_str(&format!(", {n} {what}"));
            }
        }
        let caption = self
            .shown
            .and_then(|i| edges().find(|r| r.index == i))
            .map(|r| sentence(r, names));
        let (w, h) = (geo.w.to_string(), height.to_string());
        html! {
            <div class="topology">
                <p class="topo-summary">{summary.clone()}</p>
                <div class="topo-scroll" tabindex="0" role="region" aria-label="Topology drawing" ref={self.scroll.clone()}>
                    <svg class="topo-svg" role="group" aria-label={format!("Replication topology: {summary}")}
                        width={w.clone()} height={h.clone()}
                        viewBox={format!("0 0 {w} {h}")} xmlns="http://www.w3.org/2000/svg">
                        <g class="topo-node topo-source" data-bucket={source.clone()}>
                            <title>{format!("Source bucket {source}")}</title>
                            <rect x={SRC_X.to_string()} y={TOP.to_string()} width={geo.src_w.to_string()}
                                height={(height - 2 * TOP).to_string()} rx="6" />
                            { for src_lines }
                        </g>
                        { for bands }
                    </svg>
                </div>
                <p class="topo-caption">{caption}</p>
                <ul class="topo-legend" aria-label="Legend">
                    <li><span class="swatch swatch-active" aria-hidden="true"></span>
                        <strong>{"Solid arrow: "}</strong>{"an enabled rule; it copies the objects its filter selects."}</li>
                    <li><span class="swatch swatch-shadowed" aria-hidden="true"></span>
                        <strong>{"Dashed arrow, struck-through name: "}</strong>{"shadowed; a higher-priority rule to the same bucket selects every object this rule selects, so it never applies."}</li>
                    <li><span class="swatch swatch-disabled" aria-hidden="true"></span>
                        <strong>{"Dotted grey arrow: "}</strong>{"a disabled rule; it replicates nothing."}</li>
                    <li><strong>{"Labels: "}</strong>{"rule ID and priority (P3); filter; storage class of the replicas (\"same class\" keeps the source's), replica KMS key of SSE-KMS objects, RTC (Replication Time Control), owner→dest (replicas owned by the destination account). Hover, tap or focus an arrow for its full sentence."}</li>
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
        geo: &Geo,
        g: &DestinationGroup,
        y0: i64,
        names: &Names,
    ) -> (Html, i64) {
        let Geo {
            jx,
            label_x,
            dest_x,
            dest_w,
            ..
        } = *geo;
        let n = g.rules.len();
        let expanded = self.expanded.contains(&g.name);
        let shown = if expanded { n } else { n.min(SHOWN) };
        let more = n > SHOWN;
        // Each row: its label lines (wrapped to the room left of the node), then the arrow.
        let room = dest_x - 10 - label_x;
        let chars = fit(room, LABEL_PX);
        let rows: Vec<(Vec<(&'static str, String)>, &RuleEdge)> = g
            .rules
            .iter()
            .take(shown)
            .map(|r| {
                let mut lines = Vec::new();
                for (class, s) in [
                    ("topo-label topo-label1", label_name(r)),
                    ("topo-label topo-label1 topo-filter", label_filter(r)),
                    ("topo-label topo-label2", label_settings(r, names)),
                ] {
                    lines.extend(wrap(&s, chars).into_iter().map(|l| (class, l)));
                }
                (lines, r)
            })
            .collect();
        let row_h = |lines: usize| LINE * lines as i64 + 11;
        let content: i64 =
            rows.iter().map(|(l, _)| row_h(l.len())).sum::<i64>() + if more { MORE_H } else { 0 };
        // The node's text: name, Region, account, rule count.
        let node_room = dest_w - 2 * TEXT_PAD;
        let mut node_lines: Vec<(&'static str, String)> = wrap(&g.name, fit(node_room, NAME_PX))
            .into_iter()
            .map(|l| ("topo-name", l))
            .collect();
        let place = [
            g.region.as_ref().map(|r| r.value.clone()),
            g.account.as_ref().map(|a| format!("account {}", a.value)),
            Some(format!("{n} rule{}", if n == 1 { "" } else { "s" })),
        ];
        for p in place.into_iter().flatten() {
            node_lines.extend(
                wrap(&p, fit(node_room, FACT_PX))
                    .into_iter()
                    .map(|l| ("topo-fact", l)),
            );
        }
        let node_h = node_lines
            .iter()
            .map(|(c, _)| if *c == "topo-name" { 15 } else { 14 })
            .sum::<i64>()
            + 10;
        let band_h = content.max(node_h).max(64);
        // The rows, centred in the band when the node is taller.
        let mut top = y0 + (band_h - content) / 2;
        let mut arrows = Vec::with_capacity(rows.len());
        let mut ends = Vec::with_capacity(rows.len());
        for (lines, _) in &rows {
            ends.push(top + LINE * lines.len() as i64 + 3);
            top += row_h(lines.len());
        }
        let jy = match (ends.first(), ends.last()) {
            (Some(a), Some(b)) => (a + b) / 2,
            _ => y0 + band_h / 2,
        };
        for ((lines, r), ey) in rows.into_iter().zip(ends) {
            let state = edge_state(r);
            let d = format!(
                "M{jx},{jy} C{},{jy} {},{ey} {},{ey} L{},{ey}",
                jx + 8,
                jx + 6,
                jx + 14,
                dest_x - 7
            );
            let head = format!(
                "{},{} {dest_x},{ey} {},{}",
                dest_x - 8,
                ey - 4,
                dest_x - 8,
                ey + 4
            );
            let tip = sentence(r, names);
            let first = ey - 4 - LINE * (lines.len() as i64 - 1);
            let labels = lines
                .into_iter()
                .enumerate()
                .map(|(k, (class, l))| text(class, label_x, first + LINE * k as i64, room, l));
            let i = r.index;
            // A click or tap focuses the arrow too.
            let onfocus = ctx.link().callback(move |_: FocusEvent| Msg::Show(i));
            arrows.push(html! {
                <g class={classes!("topo-edge", format!("topo-{state}"))} key={r.index}
                    data-rule={rule_name(r)} data-state={state}
                    tabindex="0" role="button" {onfocus}>
                    <title>{tip}</title>
                    <path class="topo-line" d={d} />
                    <polygon class="topo-head" points={head} />
                    { for labels }
                </g>
            });
        }
        let toggle = more.then(|| {
            let ty = top + 4;
            let hidden = n - shown;
            let (label, aria) = if expanded {
                ("Show fewer rules".to_string(), format!("Show fewer rules to {}", g.name))
            } else {
                (format!("+ {hidden} more rules"), format!("Show {hidden} more rules to {}", g.name))
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
                    <rect x={label_x.to_string()} y={ty.to_string()} width="150" height="22" rx="4" />
                    { text("", label_x + 8, ty + 15, 134, label) }
                </g>
            }
        });
        let mut ty = y0 + 17;
        let node_text = node_lines.into_iter().map(|(class, l)| {
            let y = ty;
            ty += if class == "topo-name" { 15 } else { 14 };
            text(class, dest_x + TEXT_PAD, y, node_room, l)
        });
        let html = html! {
            <g class="topo-dest" key={g.name.clone()} data-bucket={g.name.clone()}>
                <line class={classes!("topo-trunk", (!g.rules.iter().any(|r| edge_state(r) == "active")).then_some("topo-trunk-inactive"))}
                    x1={(SRC_X + geo.src_w).to_string()} y1={jy.to_string()}
                    x2={jx.to_string()} y2={jy.to_string()} />
                { for arrows }
                { toggle.unwrap_or_default() }
                <g class="topo-node">
                    <title>{format!("Destination bucket {}", g.bucket)}</title>
                    <rect x={dest_x.to_string()} y={y0.to_string()} width={dest_w.to_string()}
                        height={band_h.to_string()} rx="6" />
                    { for node_text }
                </g>
            </g>
        };
        (html, band_h)
    }

    /// Fonts differ: a line still wider than its room (`data-room`) is squeezed to fit it
    /// (`textLength`). All lines are reset first, then measured in one layout (the drawing
    /// is not scaled: its pixels are the page's).
    fn squeeze(&self) {
        let Some(all) = self
            .scroll
            .cast::<web_sys::Element>()
            .and_then(|e| e.query_selector_all("text[data-room]").ok())
        else {
            return;
        };
        let texts: Vec<web_sys::Element> = (0..all.length())
            .filter_map(|i| all.item(i)?.dyn_into().ok())
            .collect();
        for t in &texts {
            let _ = t.remove_attribute("textLength");
        }
        for t in &texts {
            // Integers only: float parsing and printing would cost the wasm kilobytes.
            let Some(room) = t.get_attribute("data-room") else {
                continue;
            };
            let px = room.parse::<usize>().unwrap_or(usize::MAX);
            if t.get_bounding_client_rect().width() > px as f64 {
                let _ = t.set_attribute("textLength", &room);
                let _ = t.set_attribute("lengthAdjust", "spacingAndGlyphs");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::labels::{short_filter, short_key};
    use super::*;

    #[test]
    fn wrapping_keeps_every_character() {
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("abcdef", 3), vec!["abc", "def"]);
        assert_eq!(wrap("", 3), Vec::<String>::new());
        assert_eq!(wrap("media-main-use1", 14), vec!["media-main-", "use1"]);
        assert_eq!(
            wrap("account 111122223333", 14),
            vec!["account ", "111122223333"]
        );
        assert_eq!(wrap("ééééé", 2), vec!["éé", "éé", "é"]);
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
