//! Schema-driven lowering: syntax tree -> typed model. One implementation for both formats:
//! unknown members ("did you mean"), repeated singletons, missing required members and wrong
//! value types are all reported here, with the SDK member path.
//!
//! `elements.rs` has one method per element of the schema (what goes where in the model);
//! `members.rs` groups an object's members by field and reports unknown, repeated and missing
//! ones; `values.rs` reads fields: singletons, lists and typed scalars.

mod elements;
mod members;
mod values;

use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::schema::{self, root, Field, Shape};
use crate::source::Span;
/// Kept here too: the public path callers (the template front ends) already use.
pub use crate::suggest::did_you_mean;
use crate::syntax::{Children, Member, Node};

pub struct Lowerer {
    format: Format,
    pub diagnostics: Vec<Diagnostic>,
    /// The SDK path of the node being lowered, e.g. `/Rules/0/Destination`.
    path: String,
}

/// A member or a JSON array item: what every lowering function receives (borrowed, no copies).
#[derive(Clone, Copy)]
struct Item<'n, 'a> {
    name: &'n str,
    name_span: Span,
    span: Span,
    value: &'n Node<'a>,
    /// The slice the member is in, and where: an XML [`Content::Subtree`]'s members follow it.
    arena: &'n [Member<'a>],
    at: usize,
}

impl<'n, 'a> Item<'n, 'a> {
    /// `arena[at]` (`at` is in bounds: it comes from iterating `arena`).
    fn at(arena: &'n [Member<'a>], at: usize) -> Option<Item<'n, 'a>> {
        let m = arena.get(at)?;
        Some(Item {
            name: &m.name,
            name_span: m.name_span,
            span: m.span,
            value: &m.value,
            arena,
            at,
        })
    }

    fn children(&self) -> Children<'n, 'a> {
        Children::of(self.value, self.arena, self.at)
    }
}

/// Upper bound on the fields of one shape (the largest, `Rule`, has 9; a schema test checks).
pub(crate) const MAX_FIELDS: usize = 9;
/// No member for this field.
const NONE: u32 = u32::MAX;
/// Members that were lowered as they were parsed (none left to visit).
const STREAMED: u32 = u32::MAX - 1;

/// The children of one object, by field: where each field's kept members are (no allocation).
struct Fields<'n, 'a> {
    shape: &'static Shape,
    members: &'n [Member<'a>],
    /// Per field, the index in `members` of its first and last kept member (`NONE` if none).
    /// Only list fields keep more than one member in XML; in JSON, duplicates all count and
    /// the last one wins.
    first: [u32; MAX_FIELDS],
    last: [u32; MAX_FIELDS],
    /// The parent's member (for "missing member" positions); `None` at the root.
    owner_span: Span,
}

impl<'n, 'a> Fields<'n, 'a> {
    /// Empty, to be filled in place by [`Lowerer::group`] (copying the arrays right after
    /// their narrow stores would stall).
    fn new(owner: Item<'n, 'a>, shape: &'static Shape) -> Fields<'n, 'a> {
        Fields {
            shape,
            members: &[],
            first: [NONE; MAX_FIELDS],
            last: [NONE; MAX_FIELDS],
            owner_span: owner.name_span,
        }
    }

    fn present(&self, i: usize) -> bool {
        self.first.get(i).is_some_and(|&k| k != NONE)
    }

    fn item(&self, k: u32) -> Option<Item<'n, 'a>> {
        Item::at(self.members, k as usize)
    }
}

impl Lowerer {
    pub fn new(format: Format) -> Lowerer {
        Lowerer {
            format,
            diagnostics: Vec::new(),
            path: String::new(),
        }
    }

    fn json(&self) -> bool {
        self.format == Format::Json
    }

    fn err(
        &mut self,
        code: &'static crate::catalogue::RuleMeta,
        span: Span,
        msg: String,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::new(
            code.code,
            code.severity,
            span,
            self.path.clone(),
            msg,
        ));
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn enter(&mut self, segment: &str) -> usize {
        let len = self.path.len();
        self.path.push('/');
        self.path.push_str(segment);
        len
    }

    fn leave(&mut self, len: usize) {
        self.path.truncate(len);
    }

    /// Lower the root object (`ReplicationConfiguration`'s content).
    pub fn document(&mut self, root: &Member<'_>) -> Document {
        self.document_with(std::slice::from_ref(root), Vec::new())
    }

    /// Lower the XML `<Rule>` `arena[at]`, a child of the root, as [`Lowerer::document`]
    /// would, into `rules` (the XML parser hands each over as soon as it is closed).
    pub fn root_rule(&mut self, arena: &[Member<'_>], at: usize, rules: &mut Vec<Rule>) {
        let Some(m) = Item::at(arena, at) else {
            return;
        };
        let len = self.enter(schema::ROOT.fields[root::RULES].json);
        self.path.push('/');
        push_index(&mut self.path, rules.len());
        rules.push(Rule::default());
        if let Some(r) = rules.last_mut() {
            self.rule(m, r);
        }
        self.leave(len);
    }

    /// [`Lowerer::document`] of the root `arena[0]`, whose `<Rule>`s were lowered by
    /// [`Lowerer::root_rule`] into `rules` (and are no longer among its members).
    pub fn document_with(&mut self, arena: &[Member<'_>], rules: Vec<Rule>) -> Document {
        let Some(root) = Item::at(arena, 0) else {
            return Document {
                format: Some(self.format),
                rules,
                ..Document::default()
            };
        };
        let streamed = !rules.is_empty();
        let mut doc = Document {
            format: Some(self.format),
            meta: meta(root),
            rules,
            ..Document::default()
        };
        let mut fields = Fields::new(root, &schema::ROOT);
        if !self.group(root, &mut fields) {
            return doc;
        }
        if streamed && !fields.present(root::RULES) {
            // The streamed rules are the `Rule` members `require` looks for.
            fields.first[root::RULES] = STREAMED;
            fields.last[root::RULES] = STREAMED;
        }
        doc.role = self.string(&fields, root::ROLE);
        if self.json() {
            if let Some(m) = self.pick(&fields, root::RULES) {
                doc.rules_meta = Some(meta(m));
            }
        }
        // Rules are large: each is lowered in its place in the vector, not moved there.
        self.each(&fields, root::RULES, &mut doc.rules, |l, m, rules| {
            rules.push(Rule::default());
            if let Some(r) = rules.last_mut() {
                l.rule(m, r);
            }
        });
        self.require(&fields);
        doc
    }
}

impl Diagnostic {
    fn with_related_mut(&mut self, span: Span, message: &str) {
        *self = self.clone().with_related(span, message);
    }
}

fn meta(m: Item<'_, '_>) -> Meta {
    Meta {
        span: m.span,
        name_span: m.name_span,
        value_span: m.value.span,
    }
}

fn field_name(f: &Field, json: bool) -> &'static str {
    if json {
        f.json
    } else {
        f.xml
    }
}

/// The name users see for a shape: its own, or for the status blocks several members share
/// (`DeleteMarkerReplication`, `ExistingObjectReplication`, ...) the member's name.
fn shape_label<'p>(shape: &'static Shape, path: &'p str) -> &'p str {
    if !std::ptr::eq(shape, &crate::schema::STATUS_BLOCK) {
        return shape.name;
    }
    path.rsplit('/')
        .find(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or(shape.name)
}

fn xml_name_for(shape: &Shape, json_name: &'static str) -> &'static str {
    shape
        .fields
        .iter()
        .find(|f| f.json == json_name)
        .map_or(json_name, |f| f.xml)
}

/// `/Rules/0/Filter` -> `ReplicationConfiguration.Rules[0].Filter` (the AWS CLI's spelling).
pub fn cli_path(path: &str) -> String {
    let mut out = String::from("ReplicationConfiguration");
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        if seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(seg);
            out.push(']');
        } else {
            out.push('.');
            out.push_str(seg);
        }
    }
    out
}
