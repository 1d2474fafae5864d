//! Reading fields: the member of a singleton, the items of a list, typed scalar values.

use super::{cli_path, field_name, meta, Fields, Item, Lowerer, STREAMED};
use crate::catalogue::parse as codes;
use crate::model::*;
use crate::schema::Field;
use crate::syntax::{Children, Content};

impl Lowerer {
    /// The member of a singleton field: JSON keeps the last duplicate (as the AWS CLI does).
    pub(super) fn pick<'n, 'a>(&self, f: &Fields<'n, 'a>, i: usize) -> Option<Item<'n, 'a>> {
        let at = if self.json() { &f.last } else { &f.first };
        f.item(*at.get(i)?)
    }

    pub(super) fn child<T>(
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

    pub(super) fn list<T>(
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
    pub(super) fn each<T>(
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
    pub(super) fn string(&mut self, f: &Fields<'_, '_>, i: usize) -> Option<Val<Str>> {
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

    pub(super) fn scalar_string(&mut self, m: Item<'_, '_>) -> Option<Val<Str>> {
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
    pub(super) fn int(&mut self, f: &Fields<'_, '_>, i: usize) -> Option<Val<i64>> {
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
