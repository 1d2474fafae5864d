//! An object's members by field: unknown members (with "did you mean"), repeated singletons
//! and missing required members.

use super::{cli_path, shape_label, xml_name_for, Fields, Item, Lowerer, MAX_FIELDS, NONE};
use crate::catalogue::parse as codes;
use crate::schema::{self, Shape};
use crate::suggest::did_you_mean;
use crate::syntax::{Content, Member};

impl Lowerer {
    /// Group an object's members into `out` (made by [`Fields::new`]); report unknown and
    /// repeated members. `false` when `owner` is not an object.
    pub(super) fn group<'n, 'a>(&mut self, owner: Item<'n, 'a>, out: &mut Fields<'n, 'a>) -> bool {
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

    pub(super) fn require(&mut self, f: &Fields<'_, '_>) {
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
}
