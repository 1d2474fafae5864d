//! The editor: a native `<textarea>` (so typing, IME, selection and undo are the browser's)
//! over a highlighted layer that draws tokens and squiggles. Only the lines in view (plus a
//! margin) are rendered, so a 20 000-line document costs the same as a 20-line one.

pub mod format;
pub mod highlight;

use crate::analysis::{drawn_span, Analysis};
use crate::dom;
use crate::Shared;
use s3_replication_lint::Severity;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Must match `--line-height` in style.css.
pub const LINE_HEIGHT: f64 = 20.0;
/// Lines rendered above and below the viewport.
const MARGIN: usize = 40;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub analysis: Shared<Analysis>,
    pub textarea: NodeRef,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub readonly: bool,
    /// 0-based line ranges `(first, last)` drawn as a highlight band (the rules that govern
    /// the simulated object).
    #[prop_or_default]
    pub bands: Vec<(usize, usize)>,
}

pub enum Msg {
    Input,
    Scroll,
    Caret,
    Hover(i32, i32),
    Leave,
}

pub struct Editor {
    /// Rendered lines `[first, last)`.
    window: (usize, usize),
    /// Caret as a UTF-16 offset into the textarea.
    caret: Option<u32>,
    hover: Option<Hover>,
    hl_inner: NodeRef,
    gutter_inner: NodeRef,
    tooltip: NodeRef,
    code: NodeRef,
}

struct Hover {
    x: i32,
    y: i32,
    diags: Vec<usize>,
}

pub fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "Info",
    }
}

fn severity_glyph(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✖",
        Severity::Warning => "▲",
        Severity::Info => "●",
    }
}

impl Editor {
    fn textarea(&self, ctx: &Context<Self>) -> Option<HtmlTextAreaElement> {
        ctx.props().textarea.cast::<HtmlTextAreaElement>()
    }

    /// Lines that must be rendered for the current scroll position.
    fn needed(&self, ctx: &Context<Self>) -> (usize, usize) {
        let (top, height) = self.textarea(ctx).map_or((0.0, 800.0), |t| {
            (
                f64::from(t.scroll_top()),
                f64::from(t.client_height().max(400)),
            )
        });
        let first = (top / LINE_HEIGHT).floor().max(0.0) as usize;
        let last = ((top + height) / LINE_HEIGHT).ceil() as usize + 1;
        (first, last)
    }

    /// Move the highlight layer and the gutter with the textarea's scroll position.
    fn sync_scroll(&self, ctx: &Context<Self>) {
        let Some(t) = self.textarea(ctx) else { return };
        let top = f64::from(t.scroll_top());
        let left = f64::from(t.scroll_left());
        let y = self.window.0 as f64 * LINE_HEIGHT - top;
        dom::set_style(
            &self.hl_inner,
            "transform",
            &format!("translate({}px,{}px)", -left, y),
        );
        dom::set_style(
            &self.gutter_inner,
            "transform",
            &format!("translateY({y}px)"),
        );
    }

    fn caret_diagnostics(&self, a: &Analysis) -> (Option<(u32, u32)>, Vec<usize>) {
        let Some(c16) = self.caret else {
            return (None, Vec::new());
        };
        let text = &a.text;
        let c = a.lines.to_byte(text, c16);
        let line = a.lines.line_of(c);
        let (ls, _) = a.lines.span(text, line);
        let col = c16 - a.lines.to_utf16(text, ls) + 1;
        let diags = a
            .report
            .diagnostics
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                let (s, e) = drawn_span(text, d);
                s <= c && c <= e
            })
            .map(|(i, _)| i)
            .collect();
        (Some((line as u32 + 1, col)), diags)
    }

    fn render_line(a: &Analysis, line: usize, band: bool) -> Html {
        let class = classes!("hl-line", band.then_some("hl-band"));
        let text: &str = &a.text;
        let (ls, le) = a.lines.span(text, line);
        // Diagnostics touching this line, with their drawn spans.
        let mut diags: Vec<(u32, u32, usize, Severity)> = Vec::new();
        for (i, d) in a.report.diagnostics.iter().enumerate() {
            let (s, e) = drawn_span(text, d);
            let touches = if s == e {
                s >= ls && s <= le
            } else {
                s < le.max(ls + 1) && e > ls
            };
            if touches {
                diags.push((s, e, i, d.severity));
            }
        }
        if le == ls && diags.is_empty() {
            return html! { <div {class} key={line}>{"\u{200b}"}</div> };
        }
        let mut cuts: Vec<u32> = vec![ls, le];
        let first_tok = a.tokens.partition_point(|t| t.end <= ls);
        for t in a.tokens[first_tok..].iter().take_while(|t| t.start < le) {
            cuts.push(t.start.clamp(ls, le));
            cuts.push(t.end.clamp(ls, le));
        }
        for &(s, e, _, _) in &diags {
            cuts.push(s.clamp(ls, le));
            cuts.push(e.clamp(ls, le));
        }
        for c in cuts.iter_mut() {
            while *c > ls && !text.is_char_boundary(*c as usize) {
                *c -= 1;
            }
        }
        s3_replication_lint::sort::sort(&mut cuts);
        cuts.dedup();
        let mut parts: Vec<Html> = Vec::new();
        let mut tok = first_tok;
        for w in cuts.windows(2) {
            let (s, e) = (w[0], w[1]);
            // Point markers (empty spans) sit before the segment that starts there.
            for &(ds, de, i, sev) in &diags {
                if ds == de && ds == s {
                    parts.push(point_marker(i, sev));
                }
            }
            while tok < a.tokens.len() && a.tokens[tok].end <= s {
                tok += 1;
            }
            let kind = a
                .tokens
                .get(tok)
                .filter(|t| t.start <= s)
                .map(|t| t.kind.class());
            let mut sev: Option<Severity> = None;
            let mut ids: Vec<usize> = Vec::new();
            for &(ds, de, i, dsev) in &diags {
                if ds < e && de > s {
                    ids.push(i);
                    sev = Some(sev.map_or(dsev, |x: Severity| x.min(dsev)));
                }
            }
            let seg = &text[s as usize..e as usize];
            if ids.is_empty() {
                match kind {
                    Some(k) => parts.push(html! { <span class={k}>{seg}</span> }),
                    None => parts.push(html! { {seg} }),
                }
            } else {
                let sq = match sev {
                    Some(Severity::Error) => "sq sq-error",
                    Some(Severity::Warning) => "sq sq-warning",
                    _ => "sq sq-info",
                };
                let data = ids
                    .iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(" ");
                parts.push(html! { <span class={classes!(kind, sq)} data-d={data}>{seg}</span> });
            }
        }
        for &(ds, de, i, sev) in &diags {
            if ds == de && ds == le {
                parts.push(point_marker(i, sev));
            }
        }
        html! { <div {class} key={line}>{ for parts }</div> }
    }
}

fn point_marker(i: usize, sev: Severity) -> Html {
    let class = match sev {
        Severity::Error => "sq-point sq-error",
        Severity::Warning => "sq-point sq-warning",
        Severity::Info => "sq-point sq-info",
    };
    html! { <span class={class} data-d={i.to_string()}></span> }
}

impl Component for Editor {
    type Message = Msg;
    type Properties = EditorProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Editor {
            window: (0, 80),
            caret: None,
            hover: None,
            hl_inner: NodeRef::default(),
            gutter_inner: NodeRef::default(),
            tooltip: NodeRef::default(),
            code: NodeRef::default(),
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Input => {
                if let Some(t) = self.textarea(ctx) {
                    self.caret = t.selection_start().ok().flatten();
                    ctx.props().oninput.emit(t.value());
                }
                false
            }
            Msg::Scroll => {
                self.sync_scroll(ctx);
                let (first, last) = self.needed(ctx);
                if first < self.window.0 || last > self.window.1 {
                    self.window = (first.saturating_sub(MARGIN), last + MARGIN);
                    true
                } else {
                    false
                }
            }
            Msg::Caret => {
                let caret = self
                    .textarea(ctx)
                    .and_then(|t| t.selection_start().ok().flatten());
                if caret != self.caret {
                    self.caret = caret;
                    true
                } else {
                    false
                }
            }
            Msg::Hover(x, y) => {
                let diags = match self.textarea(ctx) {
                    Some(t) => dom::diagnostics_at(&t, x, y),
                    None => Vec::new(),
                };
                let same = self.hover.as_ref().map(|h| &h.diags) == Some(&diags);
                if diags.is_empty() {
                    self.hover.take().is_some()
                } else if same {
                    false
                } else {
                    self.hover = Some(Hover { x, y, diags });
                    true
                }
            }
            Msg::Leave => self.hover.take().is_some(),
        }
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &EditorProps) -> bool {
        // A new document: the caret may have moved (fix, example, convert).
        self.caret = self
            .textarea(ctx)
            .and_then(|t| t.selection_start().ok().flatten());
        self.hover = None;
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let a = &*ctx.props().analysis.0;
        let link = ctx.link();
        let count = a.lines.count();
        let first = self.window.0.min(count);
        let last = self.window.1.min(count);
        let bands = &ctx.props().bands;
        let in_band = |l: usize| bands.iter().any(|&(s, e)| s <= l && l <= e);
        let lines = (first..last).map(|l| Editor::render_line(a, l, in_band(l)));
        let gutter = (first..last).map(|l| {
            let mark = a.line_marks.get(l).copied().flatten();
            let (class, glyph) = match mark {
                Some(s) => (
                    classes!("gl", format!("gl-{}", s.as_str())),
                    severity_glyph(s),
                ),
                None => (classes!("gl"), ""),
            };
            let class = classes!(class, in_band(l).then_some("gl-band"));
            html! {
                <div class={class} key={l}>
                    <span class="gl-mark">{glyph}</span>
                    <span class="gl-num">{l + 1}</span>
                </div>
            }
        });
        let (pos, here) = self.caret_diagnostics(a);
        let status = match here.first().and_then(|&i| a.report.diagnostics.get(i)) {
            Some(d) => format!(
                "{} {}: {}{}",
                severity_word(d.severity),
                d.code,
                d.message,
                if here.len() > 1 {
                    format!(" (+{} more)", here.len() - 1)
                } else {
                    String::new()
                }
            ),
            None => String::new(),
        };
        let tooltip = self.hover.as_ref().map(|h| {
            let items = h.diags.iter().filter_map(|&i| a.report.diagnostics.get(i)).map(|d| {
                html! {
                    <div class={classes!("tip-item", format!("tip-{}", d.severity.as_str()))}>
                        <strong>{severity_word(d.severity)}{" "}{d.code}</strong>{": "}{crate::markdown::inline(&d.message)}
                    </div>
                }
            });
            html! { <div class="tooltip" role="tooltip" ref={self.tooltip.clone()}>{ for items }</div> }
        });
        let oninput = link.callback(|_: InputEvent| Msg::Input);
        let onscroll = link.callback(|_: Event| Msg::Scroll);
        let onkeyup = link.callback(|_: KeyboardEvent| Msg::Caret);
        let onclick = link.callback(|_: MouseEvent| Msg::Caret);
        let onselect = link.callback(|_: Event| Msg::Caret);
        let onfocus = link.callback(|_: FocusEvent| Msg::Caret);
        let onmousemove = link.callback(|e: MouseEvent| Msg::Hover(e.client_x(), e.client_y()));
        let onmouseleave = link.callback(|_: MouseEvent| Msg::Leave);
        html! {
            <div class="editor-wrap">
                <div class="editor">
                    <div class="gutter" aria-hidden="true">
                        <div class="gutter-inner" ref={self.gutter_inner.clone()}>{ for gutter }</div>
                    </div>
                    <div class="code" ref={self.code.clone()}>
                        <div class="hl" aria-hidden="true">
                            <div class="hl-inner" ref={self.hl_inner.clone()}>{ for lines }</div>
                        </div>
                        <textarea
                            id="document"
                            ref={ctx.props().textarea.clone()}
                            aria-label="Replication configuration"
                            aria-describedby="caret-diagnostic"
                            spellcheck="false"
                            autocomplete="off"
                            autocapitalize="off"
                            autocorrect="off"
                            wrap="off"
                            readonly={ctx.props().readonly}
                            {oninput} {onscroll} {onkeyup} {onclick} {onselect} {onfocus}
                            {onmousemove} {onmouseleave}
                        />
                        { tooltip }
                    </div>
                </div>
                <div class="caret-bar">
                    <span class="caret-pos">{ pos.map(|(l, c)| format!("Ln {l}, Col {c}")).unwrap_or_default() }</span>
                    <span id="caret-diagnostic" class="caret-diagnostic" role="status">{status}</span>
                </div>
            </div>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        self.sync_scroll(ctx);
        if first_render {
            // The real viewport height is known only now.
            let (first, last) = self.needed(ctx);
            if last > self.window.1 {
                self.window = (first.saturating_sub(MARGIN), last + MARGIN);
                ctx.link().send_message(Msg::Scroll);
            }
        }
        if let (Some(h), Some(code)) = (&self.hover, self.code.cast::<web_sys::Element>()) {
            let r = code.get_bounding_client_rect();
            let x = (f64::from(h.x) - r.left() + 12.0)
                .min(r.width() - 260.0)
                .max(0.0);
            let y = f64::from(h.y) - r.top() + 18.0;
            dom::set_style(&self.tooltip, "left", &format!("{x}px"));
            dom::set_style(&self.tooltip, "top", &format!("{y}px"));
        }
    }
}
