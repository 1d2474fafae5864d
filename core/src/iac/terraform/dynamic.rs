//! `dynamic "X" { for_each = ... content { ... } }` blocks. When the code fixes the
//! collection (a literal list, a caller's argument, a `locals` value...), the blocks are
//! made as Terraform makes them, one per element in Terraform's order, each read with its
//! iterator bound (`X.key`, `X.value`, or the name `iterator` gives): values the element
//! does not fix stay unknown. When the collection is not known, the content is read once
//! with the iterator's values unknown and every finding in it is only "not verified"; when
//! only the defaults of root variables fix it (`-var` may change them), the blocks are made
//! from those defaults, their findings not verified either.

use super::builder::MAX_EXPANDED;
use super::{attr, label, makes_nothing, span, Builder, Module, ROOT_DEFAULT_USED};
use crate::iac::eval::Value;
use crate::iac::hcl::TfVal;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;
use hcl_edit::Span as _;

/// An iterator in scope: its name, the element's key and value.
pub(super) type Binding = (String, TfVal, TfVal);

/// The blocks a block of a body stands for.
pub(super) struct Blocks<'b> {
    /// The block type made (`rule`, `filter`...).
    pub label: &'b str,
    /// Each block: the body to read and the iterator binding it is read with (`None`: not a
    /// `dynamic` block, or one whose elements are not known).
    pub each: Vec<(&'b Block, Option<Binding>)>,
    /// Whether the code fixes how many blocks there are.
    pub sure: bool,
}

/// The name a `dynamic` block's iterator goes by: `iterator = r` (a bare name), else the
/// block type.
fn iterator_name(b: &Block, what: &str) -> String {
    match attr(b, "iterator") {
        Some(Expression::Variable(v)) => v.as_str().to_string(),
        Some(e) => crate::iac::hcl::traversal_path(e)
            .and_then(|p| p.into_iter().next())
            .unwrap_or_else(|| what.to_string()),
        None => what.to_string(),
    }
}

/// The elements `for_each` iterates, in Terraform's order (a map by key), as (key, value).
fn elements(v: TfVal) -> Option<Vec<(TfVal, TfVal)>> {
    match v {
        TfVal::List(l) => Some(
            l.into_iter()
                .enumerate()
                .map(|(i, v)| (TfVal::Scalar(Value::Num(i.to_string())), v))
                .collect(),
        ),
        TfVal::Map(mut m) => {
            m.sort_by(|a, b| a.0.cmp(&b.0));
            Some(
                m.into_iter()
                    .map(|(k, v)| (TfVal::Scalar(Value::Str(k)), v))
                    .collect(),
            )
        }
        _ => None,
    }
}

impl<'m> Builder<'m, '_> {
    /// What block `b` of a body stands for; `None` when it makes no block at all.
    pub(super) fn blocks<'b>(&mut self, b: &'b Block) -> Option<Blocks<'b>> {
        if b.ident.as_str() != "dynamic" {
            return Some(Blocks {
                label: b.ident.as_str(),
                each: vec![(b, None)],
                sure: true,
            });
        }
        let what = label(b, 0).unwrap_or("");
        let s = span(b.span());
        let file = self.file;
        let for_each = attr(b, "for_each");
        if for_each.is_some_and(|e| makes_nothing(self.module, file, e) == Some(false)) {
            return None;
        }
        let content = b.body.blocks().find(|x| x.ident.as_str() == "content");
        let (Some(content), false) = (content, what.is_empty()) else {
            self.unsupported(
                s,
                format!("`dynamic \"{what}\"` is not evaluated; its content is not checked"),
            );
            return None;
        };
        // Inside another dynamic block read once: already said, already not verified.
        let nested = self
            .tainted
            .iter()
            .any(|t| t.start <= s.start && s.end <= t.end);
        ROOT_DEFAULT_USED.with(|u| u.set(false));
        let value = for_each.map(|e| self.eval(e));
        let overridable = ROOT_DEFAULT_USED.with(|u| u.replace(false));
        let elements = value
            .and_then(elements)
            // An empty collection only root defaults make: the block may well be there.
            .filter(|e| !(e.is_empty() && overridable));
        let too_many = elements
            .as_ref()
            .is_some_and(|e| self.expanded + e.len() > MAX_EXPANDED);
        let Some(elements) = elements.filter(|_| !too_many) else {
            if too_many {
                self.unsupported(
                    s,
                    format!("`dynamic \"{what}\"` is not expanded: with the blocks before it, it would make more than {MAX_EXPANDED}; its content is checked once, and every finding in it is only \"not verified\""),
                );
            } else if !nested {
                self.unsupported(
                    s,
                    format!("`dynamic \"{what}\"` is not expanded: its content is checked once, with the iterator's values unknown, and every finding in it is only \"not verified\" (check the plan for the blocks it makes)"),
                );
            }
            return Some(Blocks {
                label: what,
                each: vec![(content, None)],
                sure: false,
            });
        };
        if overridable && !nested {
            self.unsupported(
                s,
                format!("`dynamic \"{what}\"` is expanded with the defaults of this module's variables: the command line (`-var`, a `.tfvars` file) may make other blocks, so every finding in them is only \"not verified\""),
            );
        }
        self.expanded += elements.len();
        let iterator = iterator_name(b, what);
        Some(Blocks {
            label: what,
            each: elements
                .into_iter()
                .map(|(k, v)| (content, Some((iterator.clone(), k, v))))
                .collect(),
            sure: !overridable,
        })
    }

    /// Runs `f` with `binding` in scope (with the outer ones).
    pub(super) fn bound<T>(
        &mut self,
        binding: &Option<Binding>,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        if let Some(b) = binding {
            self.module.iterators.borrow_mut().push(b.clone());
        }
        let out = f(self);
        if binding.is_some() {
            self.module.iterators.borrow_mut().pop();
        }
        out
    }

    /// The iterators in scope now, to read a block later as it would be read here.
    pub(super) fn scope_now(&self) -> Vec<Binding> {
        self.module.iterators.borrow().clone()
    }

    /// Runs `f` with exactly `scope`'s iterators in scope.
    pub(super) fn in_scope<T>(&mut self, scope: Vec<Binding>, f: impl FnOnce(&mut Self) -> T) -> T {
        let before = self.module.iterators.replace(scope);
        let out = f(self);
        *self.module.iterators.borrow_mut() = before;
        out
    }
}

/// The one block a `dynamic` block of a single-block type makes (`dynamic
/// "replication_configuration"` in a bucket), bound to its iterator, when the code fixes its
/// one element (not only through the defaults of root variables).
pub(super) fn single(module: &Module<'_>, file: usize, b: &Block) -> Option<Binding> {
    let what = label(b, 0)?;
    ROOT_DEFAULT_USED.with(|u| u.set(false));
    let value = module.eval_in(file, attr(b, "for_each")?, 0);
    if ROOT_DEFAULT_USED.with(|u| u.replace(false)) {
        return None;
    }
    let mut elements = elements(value)?;
    if elements.len() != 1 {
        return None;
    }
    let (k, v) = elements.pop()?;
    let iterator = iterator_name(b, what);
    Some((iterator, k, v))
}

/// For a policy document's `dynamic` block (`statement`, `principals`, `condition`): the
/// binding of each block it makes when the code fixes its collection (none for an empty one);
/// `Err(iterator)` when the collection is not known, or is empty only by the defaults of root
/// variables (the blocks may well be there, as the configuration's own dynamic blocks are then
/// read).
pub(super) fn dynamic_bindings(
    module: &Module<'_>,
    file: usize,
    b: &Block,
) -> Result<Vec<Binding>, String> {
    let what = label(b, 0).unwrap_or("statement");
    let iterator = iterator_name(b, what);
    let Some(for_each) = attr(b, "for_each") else {
        return Err(iterator);
    };
    ROOT_DEFAULT_USED.with(|u| u.set(false));
    let value = module.eval_in(file, for_each, 0);
    let overridable = ROOT_DEFAULT_USED.with(|u| u.replace(false));
    match elements(value) {
        Some(e) if !(e.is_empty() && overridable) && e.len() <= MAX_EXPANDED => Ok(e
            .into_iter()
            .map(|(k, v)| (iterator.clone(), k, v))
            .collect()),
        _ => Err(iterator),
    }
}
