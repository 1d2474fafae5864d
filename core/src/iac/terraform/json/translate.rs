//! The translation of one `.tf.json` file into the native syntax, with its byte map.

use super::blocks::{self, Mode, Table};
use super::map::{LineMap, SpanMap};
use super::strings::{
    decode, flatten, interpolation_end, is_identifier, push_char, quote, reference,
    sole_interpolation, text_of, Ch, Part,
};
use super::{is_tfvars_json, Translated};
use crate::catalogue::parse as codes;
use crate::diagnostic::Diagnostic;
use crate::iac::SourceFile;
use crate::source::Span;
use crate::syntax::{Content, Member, Node};

/// Translate one file. `None` when it is not valid JSON (the reason is in `diagnostics`,
/// positioned in the JSON).
pub(super) fn translate(
    file: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Translated> {
    let json = file.text.as_str();
    let mut parsed = Vec::new();
    let root = crate::parse::json::parse_tree_into(json, &mut parsed);
    // Repeated properties are how Terraform's JSON repeats blocks; they are no mistake.
    parsed.retain(|d| d.code != codes::DUPLICATE_KEY.code);
    diagnostics.append(&mut parsed);
    let root = root?;
    let mut t = Tr {
        json,
        out: String::with_capacity(json.len()),
        map: SpanMap::new(json.len()),
        diagnostics,
    };
    let tfvars = is_tfvars_json(&file.path);
    let bodies = t.bodies(&root, "the file");
    for ms in bodies {
        if tfvars {
            for m in ms {
                t.attribute(m, Mode::Literal);
            }
        } else {
            t.body(ms, &blocks::ROOT);
        }
    }
    let lines = LineMap::new(&t.out, json, &t.map);
    Some(Translated {
        text: t.out,
        spans: t.map,
        lines,
    })
}

/// Which table a block's body is read with.
#[derive(Clone, Copy)]
enum Sel {
    Fixed(&'static Table),
    /// `resource`/`data`: by the type (the first label).
    ByType(&'static str),
    /// `dynamic "X"`: its `content` is an `X` of this body.
    Dynamic(&'static Table),
}

struct Tr<'t> {
    json: &'t str,
    out: String,
    map: SpanMap,
    diagnostics: &'t mut Vec<Diagnostic>,
}

impl<'t> Tr<'t> {
    /// Text standing for nothing in the JSON (spaces, `=`, separators).
    fn gap(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Text standing for JSON bytes `at`; byte for byte the same when `exact`.
    fn emit(&mut self, s: &str, at: Span, exact: bool) {
        let start = self.out.len();
        self.out.push_str(s);
        self.map.push((start, self.out.len()), at, exact);
    }

    fn wrong(&mut self, at: Span, message: String) {
        self.diagnostics.push(Diagnostic::new(
            codes::MALFORMED.code,
            codes::MALFORMED.severity,
            at,
            "",
            message,
        ));
    }

    /// A body is an object, or an array of objects read one after the other.
    fn bodies<'n>(&mut self, v: &'n Node<'t>, what: &str) -> Vec<&'n [Member<'t>]> {
        match &v.content {
            Content::Object(ms) => vec![ms.as_slice()],
            Content::Array(items) => items
                .iter()
                .filter_map(|it| match &it.content {
                    Content::Object(ms) => Some(ms.as_slice()),
                    other => {
                        let kind = other.kind();
                        self.wrong(it.span, format!("Invalid Terraform JSON: {what} is written as JSON objects, and this is {kind}"));
                        None
                    }
                })
                .collect(),
            Content::Null => Vec::new(),
            other => {
                let kind = other.kind();
                self.wrong(
                    v.span,
                    format!("Invalid Terraform JSON: {what} is written as a JSON object (or an array of them), and this is {kind}"),
                );
                Vec::new()
            }
        }
    }

    fn body(&mut self, ms: &[Member<'t>], table: &'static Table) {
        for m in ms {
            if m.name == "//" {
                continue;
            }
            if table.dynamic && m.name == "dynamic" {
                self.level(m, "dynamic", 1, &mut Vec::new(), Sel::Dynamic(table));
            } else if let Some(b) = table.block(&m.name) {
                let sel = match b.name {
                    "resource" | "data" | "ephemeral" if std::ptr::eq(table, &blocks::ROOT) => {
                        Sel::ByType(b.name)
                    }
                    _ => Sel::Fixed(b.body),
                };
                self.level(m, b.name, b.labels, &mut Vec::new(), sel);
            } else {
                self.attribute(m, table.mode(&m.name));
            }
        }
    }

    /// The blocks property `m` defines: one nested object per label still needed, then a
    /// body or an array of bodies.
    fn level(
        &mut self,
        m: &Member<'t>,
        name: &'static str,
        need: usize,
        labels: &mut Vec<(String, Span)>,
        sel: Sel,
    ) {
        let v = &m.value;
        if labels.len() == need {
            match &v.content {
                Content::Object(ms) => self.block(name, labels, m.name_span, v, ms, sel),
                Content::Array(items) => {
                    for it in items {
                        match &it.content {
                            Content::Object(ms) => {
                                let at =
                                    Span::new(it.span.start as usize, it.span.start as usize + 1);
                                self.block(name, labels, at, it, ms, sel);
                            }
                            other => {
                                let kind = other.kind();
                                self.wrong(it.span, format!("Invalid Terraform JSON: a `{name}` block is written as a JSON object, and this is {kind}"));
                            }
                        }
                    }
                }
                Content::Null => {}
                other => {
                    let kind = other.kind();
                    self.wrong(v.span, format!("Invalid Terraform JSON: `{name}` is a block, written as a JSON object (or an array of them), and this is {kind}"));
                }
            }
            return;
        }
        let what = format!("the labels of `{name}`");
        for ms in self.bodies(v, &what) {
            for inner in ms {
                if inner.name == "//" {
                    continue;
                }
                labels.push((inner.name.to_string(), inner.name_span));
                self.level(inner, name, need, labels, sel);
                labels.pop();
            }
        }
    }

    /// One block: `name "label"... {` body `}`. Its name stands for `anchor` (the innermost
    /// label's key, the block's key, or the `{` of an array item), its end for the body's.
    fn block(
        &mut self,
        name: &str,
        labels: &[(String, Span)],
        anchor: Span,
        body: &Node<'t>,
        ms: &[Member<'t>],
        sel: Sel,
    ) {
        self.emit(name, anchor, false);
        for (l, at) in labels {
            self.gap(" ");
            let quoted = quote(l);
            self.emit(&quoted, *at, false);
        }
        self.gap(" {\n");
        match sel {
            Sel::Fixed(t) => self.body(ms, t),
            Sel::ByType(kind) => {
                let ty = labels.first().map_or("", |l| l.0.as_str());
                self.body(ms, blocks::resource(kind, ty));
            }
            Sel::Dynamic(parent) => {
                let generated = labels.first().map_or("", |l| l.0.as_str());
                let content = parent.block(generated).map_or(&blocks::LEAF, |b| b.body);
                for m in ms {
                    match m.name.as_ref() {
                        "//" => {}
                        "content" => {
                            self.level(m, "content", 0, &mut Vec::new(), Sel::Fixed(content))
                        }
                        _ => self.attribute(m, Mode::Template),
                    }
                }
            }
        }
        let end = body.span.end as usize;
        self.emit("}", Span::new(end.saturating_sub(1), end), false);
        self.gap("\n");
    }

    fn attribute(&mut self, m: &Member<'t>, mode: Mode) {
        // Terraform's argument names are identifiers; anything else is no argument.
        if !is_identifier(&m.name) {
            return;
        }
        self.emit(&m.name, m.name_span, false);
        self.gap(" = ");
        self.value(&m.value, mode);
        self.gap("\n");
    }

    fn value(&mut self, v: &Node<'t>, mode: Mode) {
        let (start, end) = (v.span.start as usize, v.span.end as usize);
        match &v.content {
            Content::Text(_) => self.string(v, mode),
            Content::Number(n) => {
                if n.parse::<f64>().is_ok_and(f64::is_finite) {
                    self.emit(n, v.span, true);
                } else {
                    // Beyond a double: Terraform keeps it exactly; here it stays text.
                    self.emit(&quote(n), v.span, false);
                }
            }
            Content::Bool(b) => self.emit(if *b { "true" } else { "false" }, v.span, true),
            Content::Null => self.emit("null", v.span, true),
            Content::Array(items) => {
                self.emit("[", Span::new(start, start + 1), true);
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        self.gap(", ");
                    }
                    self.value(it, mode);
                }
                self.emit("]", Span::new(end.saturating_sub(1), end), true);
            }
            Content::Object(ms) => {
                self.emit("{", Span::new(start, start + 1), true);
                for (i, m) in ms.iter().enumerate() {
                    if i > 0 {
                        self.gap(", ");
                    }
                    self.key(m, mode);
                    self.gap(" = ");
                    self.value(&m.value, mode);
                }
                self.emit("}", Span::new(end.saturating_sub(1), end), true);
            }
            Content::Subtree { .. } => self.emit("null", v.span, false),
        }
    }

    /// An object key: a template (a literal in literal mode, a reference in a module's
    /// `providers`).
    fn key(&mut self, m: &Member<'t>, mode: Mode) {
        if mode != Mode::Reference && self.plain(m.name_span) {
            return;
        }
        let cs = decode(self.json, m.name_span);
        match mode {
            Mode::Reference if reference(&text_of(&cs)) => self.chars(&cs, Part::Bare),
            Mode::Template => {
                if !self.template(&cs, m.name_span) {
                    self.emit("\"\"", m.name_span, false);
                }
            }
            _ => self.quoted(&cs, m.name_span, Part::Literal),
        }
    }

    fn string(&mut self, v: &Node<'t>, mode: Mode) {
        if mode != Mode::Reference && self.plain(v.span) {
            return;
        }
        let cs = decode(self.json, v.span);
        match mode {
            Mode::Literal => self.quoted(&cs, v.span, Part::Literal),
            Mode::Reference => {
                let inner = sole_interpolation(&cs).unwrap_or(&cs);
                if reference(&text_of(inner)) {
                    let from = self.out.len();
                    self.chars(inner, Part::Bare);
                    self.map.wrap(from, v.span);
                } else {
                    self.quoted(&cs, v.span, Part::Literal);
                }
            }
            Mode::Template => {
                // `"${x}"` is `x` itself, with its type (HCL's interpolation unwrapping).
                if let Some(inner) = sole_interpolation(&cs) {
                    let inner = &flatten(inner);
                    let bare = text_of(inner);
                    if hcl_edit::parser::parse_expr(&bare).is_ok() {
                        let from = self.out.len();
                        self.chars(inner, Part::Bare);
                        self.map.wrap(from, v.span);
                        return;
                    }
                }
                if !self.template(&cs, v.span) {
                    self.emit("null", v.span, false);
                }
            }
        }
    }

    /// Most strings are written the same in both syntaxes (no escape, no `${`/`%{`): the
    /// JSON string as it is. `false` when it is not one of them.
    fn plain(&mut self, at: Span) -> bool {
        let Some(token) = self.json.get(at.start as usize..at.end as usize) else {
            return false;
        };
        let plain = token.len() >= 2
            && !token[1..token.len() - 1]
                .bytes()
                .any(|b| matches!(b, b'\\' | b'$' | b'%' | b'"') || b < 0x20 || b == 0x7f);
        if plain {
            self.emit(token, at, true);
        }
        plain
    }

    /// A quoted template; `false` (and a finding) when it is not a valid one.
    fn template(&mut self, cs: &[Ch], at: Span) -> bool {
        if !cs
            .windows(2)
            .any(|w| matches!((w[0].0, w[1].0), ('$' | '%', '{')))
        {
            self.quoted(cs, at, Part::Template);
            return true;
        }
        let mut text = String::from("\"");
        let mut parts = Vec::new();
        let mut i = 0;
        while i < cs.len() {
            let c = cs[i].0;
            let next = cs.get(i + 1).map(|c| c.0);
            let escaped = (c == '$' || c == '%')
                && next == Some(c)
                && cs.get(i + 2).map(|c| c.0) == Some('{');
            if escaped {
                parts.push((i, i + 3, Part::Template));
                i += 3;
            } else if (c == '$' || c == '%') && next == Some('{') {
                let end = interpolation_end(cs, i).unwrap_or(cs.len());
                parts.push((i, end, Part::Bare));
                i = end;
            } else {
                parts.push((i, i + 1, Part::Template));
                i += 1;
            }
        }
        // An interpolation's inside, flattened as an expression of its own.
        let runs: Vec<(Vec<Ch>, Part)> = parts
            .iter()
            .map(|&(a, b, p)| {
                let mut run = cs[a..b].to_vec();
                let closed = run.len() >= 3 && run.last().is_some_and(|c| c.0 == '}');
                if p == Part::Bare && closed {
                    let n = run.len();
                    let inner = flatten(&run[2..n - 1]);
                    run.splice(2..n - 1, inner);
                }
                (run, p)
            })
            .collect();
        for (run, p) in &runs {
            for c in run {
                push_char(&mut text, c.0, *p, false);
            }
        }
        text.push('"');
        if let Err(e) = hcl_edit::parser::parse_expr(&text) {
            let message = e.message().to_string();
            self.wrong(
                at,
                format!("Invalid template in a Terraform JSON string: {message}"),
            );
            return false;
        }
        let open = Span::new(at.start as usize, at.start as usize + 1);
        self.emit("\"", open, true);
        for (run, p) in &runs {
            self.chars(run, *p);
        }
        let close = Span::new(at.end as usize - 1, at.end as usize);
        self.emit("\"", close, true);
        true
    }

    fn quoted(&mut self, cs: &[Ch], at: Span, part: Part) {
        let open = Span::new(at.start as usize, at.start as usize + 1);
        self.emit("\"", open, true);
        self.chars(cs, part);
        let close = Span::new((at.end as usize).saturating_sub(1), at.end as usize);
        self.emit("\"", close, true);
    }

    /// Characters of a JSON string, each mapped onto the JSON bytes it was written as.
    fn chars(&mut self, cs: &[Ch], part: Part) {
        let mut buf = String::new();
        for (k, c) in cs.iter().enumerate() {
            buf.clear();
            let brace_next = cs.get(k + 1).is_some_and(|n| n.0 == '{');
            push_char(&mut buf, c.0, part, brace_next);
            let raw = self.json.get(c.1 as usize..c.2 as usize).unwrap_or("");
            let exact = raw == buf;
            self.emit(&buf, Span::new(c.1 as usize, c.2 as usize), exact);
        }
    }
}
