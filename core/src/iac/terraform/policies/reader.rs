//! Reading one policy written in HCL (`jsonencode(...)`, a policy document data source, JSON
//! text in a string or heredoc) into IAM's JSON tree, every node placed in the `.tf` file.

use super::super::dynamic::{dynamic_bindings, Binding};
use super::super::{attr, label, span, Module};
use super::template_map::{to_file, Piece};
use super::MAX_HOPS;
use crate::iac::eval;
use crate::iac::hcl::{self, span_of, TfVal};
use crate::iac::Unknown;
use crate::source::Span;
use crate::syntax::{Content, Member, Node};
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::Element;
use hcl_edit::Span as _;
use std::borrow::Cow;

/// Builds a policy tree from HCL, positions in one file.
pub(super) struct Reader<'a, 'm> {
    module: &'a Module<'m>,
    file: usize,
    pub(super) unknowns: Vec<Unknown>,
}

impl<'a, 'm> Reader<'a, 'm> {
    pub(super) fn new(module: &'a Module<'m>, file: usize) -> Self {
        Reader {
            module,
            file,
            unknowns: Vec::new(),
        }
    }

    fn text(&mut self, v: &TfVal, at: Span) -> Node<'static> {
        let content = match v {
            TfVal::Scalar(eval::Value::Bool(b)) => Content::Text(Cow::Owned(b.to_string())),
            TfVal::Scalar(s) => match s.as_text() {
                Some(t) => Content::Text(Cow::Owned(t)),
                None => {
                    let expression = match s {
                        eval::Value::Unknown(x) | eval::Value::Partial { expr: x, .. } => x.clone(),
                        _ => String::new(),
                    };
                    self.unknowns.push(Unknown {
                        span: at,
                        expression: expression.clone(),
                        keep: eval::Keep::NONE,
                    });
                    Content::Text(Cow::Owned(expression))
                }
            },
            TfVal::List(items) => Content::Array(items.iter().map(|i| self.text(i, at)).collect()),
            TfVal::Map(members) => Content::Object(
                members
                    .iter()
                    .map(|(k, v)| eval::member(k, at, at, self.text(v, at)))
                    .collect(),
            ),
            TfVal::Null => Content::Null,
        };
        Node { content, span: at }
    }

    /// An HCL value (the argument of `jsonencode`), objects and lists walked so that each
    /// member keeps its own position.
    pub(super) fn value(&mut self, e: &Expression, depth: usize) -> Node<'static> {
        let at = span_of(e);
        if depth > hcl::MAX_DEPTH {
            let v = TfVal::unknown(
                self.module
                    .in_file(self.file, || hcl::Scope::source(self.module, at)),
            );
            return self.text(&v, at);
        }
        match e {
            Expression::Object(o) => {
                let mut members = Vec::new();
                for (k, v) in o.iter() {
                    let (name, name_span) = match k {
                        ObjectKey::Ident(i) => (Some(i.as_str().to_string()), span(i.span())),
                        ObjectKey::Expression(x) => {
                            (self.module.eval_in(self.file, x, 0).text(), span_of(x))
                        }
                    };
                    let value = self.value(v.expr(), depth + 1);
                    let whole = name_span.cover(value.span);
                    match name {
                        Some(n) => members.push(eval::member(&n, name_span, whole, value)),
                        None => {
                            // A key only known at deployment: the member is unknown as a whole.
                            let v = TfVal::unknown(
                                self.module
                                    .in_file(self.file, || hcl::Scope::source(self.module, whole)),
                            );
                            let node = self.text(&v, whole);
                            members.push(eval::member("", name_span, whole, node));
                        }
                    }
                }
                Node {
                    content: Content::Object(members),
                    span: at,
                }
            }
            Expression::Array(items) => Node {
                content: Content::Array(items.iter().map(|i| self.value(i, depth + 1)).collect()),
                span: at,
            },
            Expression::Parenthesis(p) => self.value(p.inner(), depth + 1),
            // `concat([...], cond ? [...] : [])`: the lists the code fixes keep their items
            // (and positions); a list it does not fix is one unknown item among them.
            Expression::FuncCall(f)
                if f.name.name.as_str() == "concat" && f.name.namespace.is_empty() =>
            {
                let mut items = Vec::new();
                for a in f.args.iter() {
                    let v = self.value(a, depth + 1);
                    match v.content {
                        Content::Array(more) => items.extend(more),
                        _ => items.push(v),
                    }
                }
                Node {
                    content: Content::Array(items),
                    span: at,
                }
            }
            _ => {
                let (v, overridable) =
                    super::super::measured(|| self.module.eval_in(self.file, e, depth));
                // Unknown (or made of a root variable's default, which `-var` sets), but
                // written as the configuration may write a bucket (`"${var.dest_arn}/*"`):
                // the same text for the same expression, still not known.
                if matches!(&v, TfVal::Scalar(eval::Value::Unknown(_)))
                    || (overridable && matches!(&v, TfVal::Scalar(_)))
                {
                    if let Some(t) = self.module.expression_stand_in(self.file, e) {
                        if v.text().as_deref() != Some(t.as_str()) {
                            let expression = self
                                .module
                                .in_file(self.file, || hcl::Scope::source(self.module, at));
                            self.unknowns.push(Unknown {
                                span: at,
                                expression,
                                keep: eval::Keep::NONE,
                            });
                            return text_node(&t, at);
                        }
                    }
                }
                self.text(&v, at)
            }
        }
    }

    /// JSON written as a string or heredoc; `None` when its text is not known.
    pub(super) fn json_text(&mut self, e: &Expression) -> Option<Node<'static>> {
        let (text, map) = self.template_text(e)?;
        let mut diagnostics = Vec::new();
        let tree = crate::parse::json::parse_tree_into(&text, &mut diagnostics)?;
        let mut root = eval::own(tree);
        self.place(&mut root, &map);
        Some(root)
    }

    /// The text of a string or heredoc, with the pieces it is made of in the file.
    fn template_text(&self, e: &Expression) -> Option<(String, Vec<Piece>)> {
        let file_text = self
            .module
            .files
            .get(self.file)
            .map_or("", |f| f.text.as_str());
        let mut text = String::new();
        let mut map = Vec::new();
        let elements: Vec<&Element> = match e {
            Expression::String(s) => {
                let at = span_of(e);
                // Inside the quotes.
                let inner = Span::new(
                    at.start as usize + 1,
                    (at.end as usize)
                        .saturating_sub(1)
                        .max(at.start as usize + 1),
                );
                map.push(Piece::literal(0, s.value(), inner, file_text));
                return Some((s.value().to_string(), map));
            }
            Expression::StringTemplate(t) => t.iter().collect(),
            Expression::HeredocTemplate(h) => h.template.iter().collect(),
            _ => return None,
        };
        for el in elements {
            match el {
                Element::Literal(l) => {
                    map.push(Piece::literal(
                        text.len(),
                        l.value(),
                        span(l.span()),
                        file_text,
                    ));
                    text.push_str(l.value());
                }
                Element::Interpolation(i) => {
                    let at = span(i.span());
                    let (value, unknown) = match self.module.eval_in(self.file, &i.expr, 0).text() {
                        Some(v) => (v, None),
                        None => {
                            let shown = self
                                .module
                                .in_file(self.file, || hcl::Scope::source(self.module, at));
                            // Quotes would end the JSON string it sits in.
                            (shown.replace(['"', '\\'], ""), Some(shown))
                        }
                    };
                    map.push(Piece {
                        at: text.len(),
                        len: value.len(),
                        file: at,
                        unknown,
                        offsets: None,
                    });
                    text.push_str(&value);
                }
                Element::Directive(_) => return None,
            }
        }
        Some((text, map))
    }

    /// Move the spans of a tree parsed from a template's text into the file.
    fn place(&mut self, node: &mut Node<'static>, map: &[Piece]) {
        let (span, unknown) = to_file(node.span, map);
        node.span = span;
        if let (Some(expression), Content::Text(_)) = (unknown, &node.content) {
            self.unknowns.push(Unknown {
                span,
                expression,
                keep: eval::Keep::NONE,
            });
        }
        match &mut node.content {
            Content::Object(ms) => {
                for m in ms {
                    m.name_span = to_file(m.name_span, map).0;
                    m.span = to_file(m.span, map).0;
                    self.place(&mut m.value, map);
                }
            }
            Content::Array(items) => {
                for i in items {
                    self.place(i, map);
                }
            }
            _ => {}
        }
    }

    /// A `data "aws_iam_policy_document"` as the provider renders it to JSON.
    pub(super) fn document(&mut self, d: &Block, hops: usize) -> Node<'static> {
        let at = span(d.span());
        let mut members = Vec::new();
        let version = match attr(d, "version") {
            Some(e) => self.value(e, 0),
            None => text_node("2012-10-17", span(d.ident.span())),
        };
        members.push(eval::member("Version", version.span, version.span, version));
        let mut statements = Vec::new();
        // Source documents come first; this document's statements are added after them.
        for list in ["source_policy_documents", "override_policy_documents"] {
            if let Some(Expression::Array(items)) = attr(d, list) {
                for item in items.iter() {
                    statements.extend(self.included(item, hops));
                }
            }
        }
        for (b, binding) in self.blocks_of(&d.body, "statement") {
            let statement = self.bound(&binding, |r| r.statement(b));
            statements.push(statement);
        }
        members.push(eval::member(
            "Statement",
            at,
            at,
            eval::array(statements, at),
        ));
        eval::object(members, at)
    }

    /// The statements of a document listed in `source_policy_documents`: another data
    /// source of the module, else one statement that stands for what is not known.
    fn included(&mut self, e: &Expression, hops: usize) -> Vec<Node<'static>> {
        let path = hcl::traversal_path(e).unwrap_or_default();
        if hops < MAX_HOPS
            && path.len() == 4
            && path[0] == "data"
            && path[1] == "aws_iam_policy_document"
        {
            if let Some((_, _, d)) = self
                .module
                .data
                .iter()
                .find(|(t, n, _)| t == "aws_iam_policy_document" && *n == path[2])
            {
                let mut r = Reader::new(self.module, d.file);
                let doc = r.document(d.item, hops + 1);
                // Their spans are in another file maybe; findings there point at this item.
                let at = span_of(e);
                if d.file != self.file {
                    let mut doc = doc;
                    respan(&mut doc, at);
                    self.unknowns
                        .extend(r.unknowns.into_iter().map(|u| Unknown { span: at, ..u }));
                    return statements_of(doc);
                }
                self.unknowns.extend(r.unknowns);
                return statements_of(doc);
            }
        }
        let at = span_of(e);
        let v = TfVal::unknown(
            self.module
                .in_file(self.file, || hcl::Scope::source(self.module, at)),
        );
        let action = self.text(&v, at);
        let resource = self.text(&v, at);
        vec![eval::object(
            vec![
                eval::member("Effect", at, at, text_node("Allow", at)),
                eval::member("Action", at, at, action),
                eval::member("Resource", at, at, resource),
            ],
            at,
        )]
    }

    /// The `kind` blocks of `body`, each with the iterator binding it is read with: plain
    /// blocks, and the blocks a `dynamic "kind"` makes (one per element the code fixes; else
    /// its content once, the iterator's values unknown and what rests on it not verified).
    fn blocks_of<'b>(&mut self, body: &'b Body, kind: &str) -> Vec<(&'b Block, Option<Binding>)> {
        let mut out = Vec::new();
        for b in body.blocks() {
            if b.ident.as_str() == kind {
                out.push((b, None));
                continue;
            }
            if b.ident.as_str() != "dynamic" || label(b, 0) != Some(kind) {
                continue;
            }
            let Some(content) = b.body.blocks().find(|x| x.ident.as_str() == "content") else {
                continue;
            };
            match dynamic_bindings(self.module, self.file, b) {
                Ok(bindings) => out.extend(bindings.into_iter().map(|x| (content, Some(x)))),
                Err(iterator) => {
                    let at = span(b.span());
                    let expression = self
                        .module
                        .in_file(self.file, || hcl::Scope::source(self.module, at));
                    let unknown = TfVal::unknown(format!("{iterator} of {expression}"));
                    self.unknowns.push(Unknown {
                        span: at,
                        expression,
                        keep: eval::Keep::NONE,
                    });
                    out.push((content, Some((iterator, unknown.clone(), unknown))));
                }
            }
        }
        out
    }

    /// Runs `f` with `binding` in scope.
    fn bound<T>(&mut self, binding: &Option<Binding>, f: impl FnOnce(&mut Self) -> T) -> T {
        if let Some(x) = binding {
            self.module.iterators.borrow_mut().push(x.clone());
        }
        let out = f(self);
        if binding.is_some() {
            self.module.iterators.borrow_mut().pop();
        }
        out
    }

    fn statement(&mut self, b: &Block) -> Node<'static> {
        let at = span(b.span());
        let mut members = Vec::new();
        let mut effect = None;
        for a in b.body.attributes() {
            let name = match a.key.as_str() {
                "sid" => "Sid",
                "effect" => "Effect",
                "actions" => "Action",
                "not_actions" => "NotAction",
                "resources" => "Resource",
                "not_resources" => "NotResource",
                _ => continue,
            };
            let value = self.value(&a.value, 0);
            let key = span(a.key.span());
            if name == "Effect" {
                effect = Some(());
            }
            members.push(eval::member(name, key, key.cover(value.span), value));
        }
        if effect.is_none() {
            members.push(eval::member(
                "Effect",
                span(b.ident.span()),
                span(b.ident.span()),
                text_node("Allow", span(b.ident.span())),
            ));
        }
        for (kind, name) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let blocks = self.blocks_of(&b.body, kind);
            if blocks.is_empty() {
                continue;
            }
            let mut entries: Vec<Member<'static>> = Vec::new();
            let mut whole = span(blocks[0].0.span());
            for (p, binding) in &blocks {
                whole = whole.cover(span(p.span()));
                let (ty, ids) = self.bound(binding, |r| {
                    let ty = attr(p, "type")
                        .map(|e| (r.module.eval_in(r.file, e, 0).text(), span_of(e)));
                    (ty, attr(p, "identifiers").map(|e| r.value(e, 0)))
                });
                if let (Some((Some(ty), ty_span)), Some(ids)) = (ty, ids) {
                    entries.push(eval::member(&ty, ty_span, ty_span.cover(ids.span), ids));
                }
            }
            // `type = "*"` with `identifiers = ["*"]` is rendered as `"Principal": "*"`.
            let value = if entries.len() == 1 && entries[0].name == "*" {
                text_node("*", entries[0].value.span)
            } else {
                eval::object(entries, whole)
            };
            members.push(eval::member(name, whole, whole, value));
        }
        let conditions = self.blocks_of(&b.body, "condition");
        if !conditions.is_empty() {
            let mut ops: Vec<Member<'static>> = Vec::new();
            let mut whole = span(conditions[0].0.span());
            for (c, binding) in &conditions {
                whole = whole.cover(span(c.span()));
                let (test, variable, values) = self.bound(binding, |r| {
                    let text = |r: &mut Self, e: &Expression| {
                        (r.module.eval_in(r.file, e, 0).text(), span_of(e))
                    };
                    (
                        attr(c, "test").map(|e| text(r, e)),
                        attr(c, "variable").map(|e| text(r, e)),
                        attr(c, "values").map(|e| r.value(e, 0)),
                    )
                });
                let (Some((Some(test), test_span)), Some((Some(var), var_span)), Some(values)) =
                    (test, variable, values)
                else {
                    continue;
                };
                let entry = eval::member(&var, var_span, var_span.cover(values.span), values);
                match ops.iter_mut().find(|o| o.name == test.as_str()) {
                    Some(o) => {
                        if let Content::Object(ms) = &mut o.value.content {
                            ms.push(entry);
                        }
                    }
                    None => ops.push(eval::member(
                        &test,
                        test_span,
                        span(c.span()),
                        eval::object(vec![entry], span(c.span())),
                    )),
                }
            }
            members.push(eval::member(
                "Condition",
                whole,
                whole,
                eval::object(ops, whole),
            ));
        }
        eval::object(members, at)
    }
}

fn text_node(s: &str, at: Span) -> Node<'static> {
    Node {
        content: Content::Text(Cow::Owned(s.to_string())),
        span: at,
    }
}

fn statements_of(doc: Node<'static>) -> Vec<Node<'static>> {
    let Content::Object(ms) = doc.content else {
        return Vec::new();
    };
    ms.into_iter()
        .find(|m| m.name == "Statement")
        .and_then(|m| match m.value.content {
            Content::Array(items) => Some(items),
            _ => None,
        })
        .unwrap_or_default()
}

fn respan(node: &mut Node<'static>, at: Span) {
    node.span = at;
    match &mut node.content {
        Content::Object(ms) => {
            for m in ms {
                m.name_span = at;
                m.span = at;
                respan(&mut m.value, at);
            }
        }
        Content::Array(items) => items.iter_mut().for_each(|i| respan(i, at)),
        _ => {}
    }
}
