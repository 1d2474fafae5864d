//! Schema-driven lowering: syntax tree -> typed model. One implementation for both formats:
//! unknown members ("did you mean"), repeated singletons, missing required members and wrong
//! value types are all reported here, with the SDK member path.

use crate::catalogue::parse as codes;
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::schema::{
    self, access_control_translation as act, and, destination, encryption_configuration as enc,
    filter, metrics, minutes, not, or, replication_time as rtc, root, rule,
    source_selection_criteria as ssc, status_block, tag, Field, Shape,
};
use crate::source::Span;
/// Kept here too: the public path callers (the template front ends) already use.
pub use crate::suggest::did_you_mean;
use crate::syntax::{Children, Content, Member, Node};

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

    /// Lower a rule into `r` (a default rule).
    fn rule(&mut self, m: Item<'_, '_>, r: &mut Rule) {
        r.meta = meta(m);
        let mut f = Fields::new(m, &schema::RULE);
        if !self.group(m, &mut f) {
            return;
        }
        r.id = self.string(&f, rule::ID);
        r.priority = self.int(&f, rule::PRIORITY);
        r.prefix = self.string(&f, rule::PREFIX);
        if let Some(fm) = self.pick(&f, rule::FILTER) {
            let len = self.enter(field_name(&f.shape.fields[rule::FILTER], self.json()));
            let filter = r.filter.insert(Filter::default());
            self.filter(fm, filter);
            self.leave(len);
        }
        r.status = self.string(&f, rule::STATUS);
        r.source_selection_criteria = self
            .child(&f, rule::SOURCE_SELECTION_CRITERIA, |l, m| {
                let mut g = Fields::new(m, &schema::SOURCE_SELECTION_CRITERIA);
                l.group(m, &mut g).then(|| SourceSelectionCriteria {
                    meta: meta(m),
                    sse_kms_encrypted_objects: l.child(
                        &g,
                        ssc::SSE_KMS_ENCRYPTED_OBJECTS,
                        |l, m| l.status_block(m, &schema::STATUS_BLOCK),
                    ),
                    replica_modifications: l.child(&g, ssc::REPLICA_MODIFICATIONS, |l, m| {
                        l.status_block(m, &schema::STATUS_BLOCK)
                    }),
                })
            })
            .flatten();
        r.existing_object_replication =
            self.child(&f, rule::EXISTING_OBJECT_REPLICATION, |l, m| {
                l.status_block(m, &schema::STATUS_BLOCK)
            });
        if let Some(dm) = self.pick(&f, rule::DESTINATION) {
            let len = self.enter(field_name(&f.shape.fields[rule::DESTINATION], self.json()));
            self.destination(dm, &mut r.destination);
            self.leave(len);
        }
        r.delete_marker_replication = self.child(&f, rule::DELETE_MARKER_REPLICATION, |l, m| {
            l.status_block(m, &schema::OPTIONAL_STATUS_BLOCK)
        });
        self.require(&f);
    }

    /// Lower a filter into `out` (a default filter).
    fn filter(&mut self, m: Item<'_, '_>, out: &mut Filter) {
        out.meta = meta(m);
        let mut f = Fields::new(m, &schema::FILTER);
        if self.group(m, &mut f) {
            out.prefix = self.string(&f, filter::PREFIX);
            out.tag = self.child(&f, filter::TAG, |l, m| l.tag(m));
            out.and = self.child(&f, filter::AND, |l, m| {
                let mut a = And {
                    meta: meta(m),
                    ..And::default()
                };
                let mut g = Fields::new(m, &schema::AND);
                if l.group(m, &mut g) {
                    a.prefix = l.string(&g, and::PREFIX);
                    a.tags = l.list(&g, and::TAGS, |l, m| l.tag(m));
                    a.not = l.child(&g, and::NOT, |l, m| l.not(m)).map(Box::new);
                }
                Box::new(a)
            });
            out.not = self.child(&f, filter::NOT, |l, m| l.not(m)).map(Box::new);
        }
    }

    fn not(&mut self, m: Item<'_, '_>) -> Not {
        let mut n = Not {
            meta: meta(m),
            ..Not::default()
        };
        let mut f = Fields::new(m, &schema::NOT);
        if self.group(m, &mut f) {
            n.prefix = self.string(&f, not::PREFIX);
            n.tag = self.child(&f, not::TAG, |l, m| l.tag(m));
            n.or = self.child(&f, not::OR, |l, m| {
                let mut o = Or {
                    meta: meta(m),
                    ..Or::default()
                };
                let mut g = Fields::new(m, &schema::OR);
                if l.group(m, &mut g) {
                    o.prefixes = l.list(&g, or::PREFIXES, |l, m| {
                        l.scalar_string(m).unwrap_or_else(|| Val {
                            value: Str::default(),
                            meta: meta(m),
                        })
                    });
                    o.tags = l.list(&g, or::TAGS, |l, m| l.tag(m));
                }
                o
            });
        }
        n
    }

    fn tag(&mut self, m: Item<'_, '_>) -> Tag {
        let mut t = Tag {
            meta: meta(m),
            ..Tag::default()
        };
        let mut f = Fields::new(m, &schema::TAG);
        if self.group(m, &mut f) {
            t.key = self.string(&f, tag::KEY);
            t.value = self.string(&f, tag::VALUE);
            self.require(&f);
        }
        t
    }

    fn status_block(&mut self, m: Item<'_, '_>, shape: &'static Shape) -> StatusBlock {
        let mut s = StatusBlock {
            meta: meta(m),
            status: None,
        };
        let mut f = Fields::new(m, shape);
        if self.group(m, &mut f) {
            // Both status shapes hold `Status` first.
            s.status = self.string(&f, status_block::STATUS);
            self.require(&f);
        }
        s
    }

    fn minutes(&mut self, m: Item<'_, '_>) -> Minutes {
        let mut out = Minutes {
            meta: meta(m),
            minutes: None,
        };
        let mut f = Fields::new(m, &schema::MINUTES);
        if self.group(m, &mut f) {
            out.minutes = self.int(&f, minutes::MINUTES);
        }
        out
    }

    /// Lower a destination into `slot` (left `None` when it is not an object).
    fn destination(&mut self, m: Item<'_, '_>, slot: &mut Option<Destination>) {
        let mut f = Fields::new(m, &schema::DESTINATION);
        if !self.group(m, &mut f) {
            return;
        }
        let d = slot.insert(Destination::default());
        d.meta = meta(m);
        d.bucket = self.string(&f, destination::BUCKET);
        d.account = self.string(&f, destination::ACCOUNT);
        d.storage_class = self.string(&f, destination::STORAGE_CLASS);
        d.access_control_translation =
            self.child(&f, destination::ACCESS_CONTROL_TRANSLATION, |l, m| {
                let mut a = AccessControlTranslation {
                    meta: meta(m),
                    owner: None,
                };
                let mut g = Fields::new(m, &schema::ACCESS_CONTROL_TRANSLATION);
                if l.group(m, &mut g) {
                    a.owner = l.string(&g, act::OWNER);
                    l.require(&g);
                }
                a
            });
        d.encryption_configuration =
            self.child(&f, destination::ENCRYPTION_CONFIGURATION, |l, m| {
                let mut e = EncryptionConfiguration {
                    meta: meta(m),
                    ..EncryptionConfiguration::default()
                };
                let mut g = Fields::new(m, &schema::ENCRYPTION_CONFIGURATION);
                if l.group(m, &mut g) {
                    e.replica_kms_key_id = l.string(&g, enc::REPLICA_KMS_KEY_ID);
                    e.use_source_multi_region_key =
                        l.child(&g, enc::USE_SOURCE_MULTI_REGION_KEY, |l, m| {
                            l.status_block(m, &schema::STATUS_BLOCK)
                        });
                }
                e
            });
        d.replication_time = self.child(&f, destination::REPLICATION_TIME, |l, m| {
            let mut r = ReplicationTime {
                meta: meta(m),
                ..ReplicationTime::default()
            };
            let mut g = Fields::new(m, &schema::REPLICATION_TIME);
            if l.group(m, &mut g) {
                r.status = l.string(&g, rtc::STATUS);
                r.time = l.child(&g, rtc::TIME, |l, m| l.minutes(m));
                l.require(&g);
            }
            r
        });
        d.metrics = self.child(&f, destination::METRICS, |l, m| {
            let mut r = Metrics {
                meta: meta(m),
                ..Metrics::default()
            };
            let mut g = Fields::new(m, &schema::METRICS);
            if l.group(m, &mut g) {
                r.status = l.string(&g, metrics::STATUS);
                r.event_threshold = l.child(&g, metrics::EVENT_THRESHOLD, |l, m| l.minutes(m));
                l.require(&g);
            }
            r
        });
        self.require(&f);
    }

    // ---- generic machinery -------------------------------------------------------------

    /// Group an object's members into `out` (made by [`Fields::new`]); report unknown and
    /// repeated members. `false` when `owner` is not an object.
    fn group<'n, 'a>(&mut self, owner: Item<'n, 'a>, out: &mut Fields<'n, 'a>) -> bool {
        let shape = out.shape;
        let members: &'n [Member<'a>] = match &owner.value.content {
            Content::Object(ms) => ms,
            Content::Subtree { .. } => owner.arena,
            // `<Filter/>` or whitespace-only content: an empty object.
            Content::Text(t) if !self.json() && t.trim().is_empty() => &[],
            Content::Text(_) if !self.json() => {
                let span = owner.value.span;
                self.err(
                    &codes::UNEXPECTED_TEXT,
                    span,
                    format!("`{}` contains text, but it only holds elements", owner.name),
                )
                .help = Some(format!(
                    "Allowed inside <{}>: {}",
                    owner.name,
                    shape.names(false).join(", ")
                ));
                // Checked as an empty element, so missing required members are reported.
                &[]
            }
            other => {
                let kind = other.kind();
                let span = owner.value.span;
                let cli = cli_path(&self.path);
                self.err(
                    &codes::WRONG_TYPE,
                    span,
                    format!("`{}` must be an object, found {kind}", owner.name),
                )
                .help = Some(format!(
                    "AWS CLI: Invalid type for parameter {cli}, valid types: <class 'dict'>"
                ));
                return false;
            }
        };
        let json = self.json();
        out.members = members;
        // Members mostly come in schema order: try the field after the last one found first.
        let mut next = 0;
        // Whitespace-only text has no children.
        for (k, m) in owner.children() {
            match shape
                .field_from(&m.name, json, next)
                .filter(|(i, _)| *i < MAX_FIELDS)
            {
                Some((i, field)) => {
                    next = i + usize::from(!field.list);
                    // XML repeats list elements; a repeated singleton is an error (the first
                    // is kept). JSON duplicates were reported by the parser (the last wins).
                    if !json && !field.list {
                        if let Some(first) = members.get(out.first[i] as usize) {
                            let first = first.name_span;
                            let len = self.enter(field.json);
                            self.err(
                                &codes::REPEATED_MEMBER,
                                m.name_span,
                                format!(
                                    "<{}> may appear only once in <{}>",
                                    m.name,
                                    shape_label(shape, &self.path)
                                ),
                            )
                            .with_related_mut(first, "first occurrence, which is the one checked");
                            self.leave(len);
                            continue;
                        }
                    }
                    let k = k as u32;
                    if out.first[i] == NONE {
                        out.first[i] = k;
                    }
                    out.last[i] = k;
                }
                None => {
                    if let Some(m) = Item::at(members, k) {
                        self.unknown(m, shape);
                    }
                }
            }
        }
        true
    }

    fn unknown(&mut self, m: Item<'_, '_>, shape: &'static Shape) {
        let json = self.json();
        let allowed = shape.names(json);
        let name: &str = m.name;
        let len = self.enter(name);
        let cli = cli_path(&self.path[..len]);
        let (message, help) = if let Some((s3, tool)) = schema::foreign_name(name) {
            let s3 = if json { s3 } else { xml_name_for(shape, s3) };
            (
                format!("`{name}` is {tool}'s name; the S3 API calls it `{s3}`"),
                format!("Rename `{name}` to `{s3}`."),
            )
        } else if !json && name == "Rules" && shape.name == "ReplicationConfiguration" {
            (
                "In XML, rules are not wrapped: repeat <Rule> directly under <ReplicationConfiguration>".to_string(),
                "Remove the <Rules> wrapper; `Rules` is the JSON (SDK) name.".to_string(),
            )
        } else if let Some(f) = shape.fields.iter().find(|f| {
            if json {
                f.xml == name && f.json != name
            } else {
                f.json == name && f.xml != name
            }
        }) {
            let right = if json { f.json } else { f.xml };
            let why = if json {
                format!("In JSON the list is named `{right}` (an array); `{name}` is the XML element name")
            } else {
                format!("In XML each item is its own <{right}> element; `{name}` is the JSON (SDK) list name")
            };
            (why, format!("Use `{right}`."))
        } else {
            let mut msg = if json {
                format!(
                    "Unknown parameter in {cli}: \"{name}\", must be one of: {}",
                    allowed.join(", ")
                )
            } else {
                format!(
                    "<{name}> is not allowed in <{}>",
                    shape_label(shape, &self.path)
                )
            };
            if let Some(s) = did_you_mean(name, &allowed) {
                msg.push_str(&format!(" (did you mean `{s}`?)"));
            }
            (msg, format!("Allowed here: {}", allowed.join(", ")))
        };
        let fix = did_you_mean(name, &allowed)
            .filter(|_| {
                !json || !matches!(m.value.content, Content::Array(_)) || name.ends_with('s')
            })
            .map(|s| s.to_string());
        let span = m.name_span;
        let d = self.err(&codes::UNKNOWN_MEMBER, span, message);
        d.help = Some(help);
        if let Some(right) = fix {
            let new_text = if json {
                format!("\"{right}\"")
            } else {
                right.clone()
            };
            let edits = vec![(span, new_text)];
            *d = d.clone().with_fix(format!("Rename to `{right}`"), edits);
        }
        self.leave(len);
    }

    fn require(&mut self, f: &Fields<'_, '_>) {
        let json = self.json();
        for (i, field) in f.shape.fields.iter().enumerate() {
            if field.required && !f.present(i) {
                let name = if json { field.json } else { field.xml };
                let cli = cli_path(&self.path);
                let span = f.owner_span;
                let len = self.enter(field.json);
                let parent = shape_label(f.shape, &self.path);
                self.err(
                    &codes::MISSING_MEMBER,
                    span,
                    format!("`{parent}` is missing the required member `{name}`"),
                )
                .help = Some(format!(
                    "AWS CLI: Missing required parameter in {cli}: \"{name}\""
                ));
                self.leave(len);
            }
        }
    }

    /// The member of a singleton field: JSON keeps the last duplicate (as the AWS CLI does).
    fn pick<'n, 'a>(&self, f: &Fields<'n, 'a>, i: usize) -> Option<Item<'n, 'a>> {
        let at = if self.json() { &f.last } else { &f.first };
        f.item(*at.get(i)?)
    }

    fn child<T>(
        &mut self,
        f: &Fields<'_, '_>,
        i: usize,
        build: impl FnOnce(&mut Self, Item<'_, '_>) -> T,
    ) -> Option<T> {
        let m = self.pick(f, i)?;
        let len = self.enter(field_name(&f.shape.fields[i], self.json()));
        let out = build(self, m);
        self.leave(len);
        Some(out)
    }

    fn list<T>(
        &mut self,
        f: &Fields<'_, '_>,
        i: usize,
        mut build: impl FnMut(&mut Self, Item<'_, '_>) -> T,
    ) -> Vec<T> {
        let mut out = Vec::new();
        self.each(f, i, &mut out, |l, m, out| out.push(build(l, m)));
        out
    }

    /// Visit the items of list field `i` (with the item path entered); for a JSON array,
    /// after reserving room for them in `out` (XML items are only known by walking them).
    fn each<T>(
        &mut self,
        f: &Fields<'_, '_>,
        i: usize,
        out: &mut Vec<T>,
        mut visit: impl FnMut(&mut Self, Item<'_, '_>, &mut Vec<T>),
    ) {
        let field: &Field = &f.shape.fields[i];
        let seg = field.json;
        if self.json() {
            let Some(m) = self.pick(f, i) else {
                return;
            };
            match &m.value.content {
                Content::Array(items) => {
                    out.reserve(items.len());
                    for (k, item) in items.iter().enumerate() {
                        let len = self.enter(seg);
                        self.path.push('/');
                        push_index(&mut self.path, k);
                        // Items carry their own span; name them like the field for messages.
                        let item = Item {
                            name: field.xml,
                            name_span: item.span,
                            span: item.span,
                            value: item,
                            // JSON: objects own their members.
                            arena: &[],
                            at: 0,
                        };
                        visit(self, item, out);
                        self.leave(len);
                    }
                }
                other => {
                    let kind = other.kind();
                    let len = self.enter(seg);
                    let cli = cli_path(&self.path);
                    self.err(&codes::WRONG_TYPE, m.value.span, format!("`{seg}` must be a list, found {kind}"))
                        .help = Some(format!(
                        "AWS CLI: Invalid type for parameter {cli}, valid types: <class 'list'>, <class 'tuple'>"
                    ));
                    self.leave(len);
                }
            }
        } else {
            // A list field keeps every member with its name, between its first and last.
            let (Some(&from), Some(&to)) = (f.first.get(i), f.last.get(i)) else {
                return;
            };
            if from >= STREAMED {
                // `NONE` (no member) or `STREAMED` (lowered as they were parsed).
                return;
            }
            // `u32` indices: `to + 1` must not overflow a 32-bit `usize` (wasm32).
            let items = Children::within(f.members, from as usize, (to as usize).saturating_add(1))
                .filter(|(_, m)| f.shape.field(&m.name, false).is_some_and(|(k, _)| k == i));
            for (k, (at, _)) in items.enumerate() {
                let len = self.enter(seg);
                self.path.push('/');
                push_index(&mut self.path, k);
                if let Some(m) = Item::at(f.members, at) {
                    visit(self, m, out);
                }
                self.leave(len);
            }
        }
    }

    // Inlined so that the value is written straight into the model: copying a returned
    // struct right after its writes stalls.
    #[inline(always)]
    fn string(&mut self, f: &Fields<'_, '_>, i: usize) -> Option<Val<Str>> {
        let m = self.pick(f, i)?;
        if let Content::Text(t) = &m.value.content {
            // The common case reports nothing, so it needs no path.
            return Some(Val {
                value: Str::new(t),
                meta: meta(m),
            });
        }
        self.string_slow(f, i)
    }

    #[inline(never)]
    fn string_slow(&mut self, f: &Fields<'_, '_>, i: usize) -> Option<Val<Str>> {
        self.child(f, i, |l, m| l.scalar_string(m)).flatten()
    }

    fn scalar_string(&mut self, m: Item<'_, '_>) -> Option<Val<Str>> {
        match &m.value.content {
            Content::Text(t) => Some(Val {
                value: Str::new(t),
                meta: meta(m),
            }),
            other => {
                let kind = other.kind();
                let cli = cli_path(&self.path);
                let d = self.err(
                    &codes::WRONG_TYPE,
                    m.value.span,
                    format!("`{}` must be text, found {kind}", m.name),
                );
                d.help = Some(format!(
                    "AWS CLI: Invalid type for parameter {cli}, valid types: <class 'str'>"
                ));
                None
            }
        }
    }

    #[inline(always)]
    fn int(&mut self, f: &Fields<'_, '_>, i: usize) -> Option<Val<i64>> {
        let m = self.pick(f, i)?;
        // The common case (a valid integer) reports nothing, so it needs no path.
        let valid = match &m.value.content {
            Content::Number(n) => n.parse::<i64>().ok(),
            Content::Text(t) if !self.json() => t.trim().parse::<i64>().ok(),
            _ => None,
        };
        if let Some(value) = valid {
            return Some(Val {
                value,
                meta: meta(m),
            });
        }
        self.int_slow(f, i)
    }

    #[inline(never)]
    fn int_slow(&mut self, f: &Fields<'_, '_>, i: usize) -> Option<Val<i64>> {
        self.child(f, i, |l, m| l.scalar_int(m)).flatten()
    }

    fn scalar_int(&mut self, m: Item<'_, '_>) -> Option<Val<i64>> {
        let (raw, problem): (&str, Option<String>) = match &m.value.content {
            Content::Number(n) => (n, None),
            Content::Text(t) if !self.json() => (t.trim(), None),
            Content::Text(t) => (
                t,
                Some(format!(
                    "AWS CLI: Invalid type for parameter {}, value: {t}, type: <class 'str'>, valid types: <class 'int'>",
                    cli_path(&self.path)
                )),
            ),
            other => (
                "",
                Some(format!(
                    "AWS CLI: Invalid type for parameter {}, type: {}, valid types: <class 'int'>",
                    cli_path(&self.path),
                    other.kind()
                )),
            ),
        };
        if let Some(help) = problem {
            let d = self.err(
                &codes::WRONG_TYPE,
                m.value.span,
                format!(
                    "`{}` must be an integer, found {}",
                    m.name,
                    m.value.content.kind()
                ),
            );
            d.help = Some(help);
            if let Content::Text(t) = &m.value.content {
                if t.trim().parse::<i64>().is_ok() {
                    let edits = vec![(m.value.span, t.trim().to_string())];
                    *d = d.clone().with_fix("Write the number without quotes", edits);
                }
            }
            return None;
        }
        match raw.parse::<i64>() {
            Ok(v) => Some(Val {
                value: v,
                meta: meta(m),
            }),
            Err(_) => {
                let shown: String = raw.chars().take(40).collect();
                let why = if !raw.is_empty()
                    && raw
                        .trim_start_matches('-')
                        .bytes()
                        .all(|b| b.is_ascii_digit())
                {
                    "is too large"
                } else {
                    "is not an integer"
                };
                self.err(
                    &codes::WRONG_TYPE,
                    m.value.span,
                    format!("`{}` value `{shown}` {why}", m.name),
                )
                .help = Some("Use a whole number such as 1.".to_string());
                None
            }
        }
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
