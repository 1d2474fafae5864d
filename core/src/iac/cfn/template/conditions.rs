//! A template's conditions: deciding them where parameters fix them, and the `Fn::If`s
//! whose condition the template leaves to deployment (or decides only by parameter defaults).

use super::{text_of, Eval, Template, MAX_EVAL_DEPTH};
use crate::syntax::{Content, Node};

impl<'t> Template<'t> {
    /// An `Fn::If` whose condition the template leaves to deployment: the condition's name
    /// and the two branches.
    pub(in crate::iac::cfn) fn undecided_if<'n>(
        &self,
        node: &'n Node<'static>,
    ) -> Option<(String, &'n Node<'static>, &'n Node<'static>)> {
        let (cond, a, b) = Self::if_parts(node)?;
        self.condition_named(&cond, 0)
            .is_none()
            .then_some((cond, a, b))
    }

    /// An `Fn::If`'s condition name and its two branches.
    fn if_parts<'n>(
        node: &'n Node<'static>,
    ) -> Option<(String, &'n Node<'static>, &'n Node<'static>)> {
        let (name, arg) = Self::intrinsic(node)?;
        let Content::Array(items) = &arg.content else {
            return None;
        };
        if name != "Fn::If" || items.len() != 3 {
            return None;
        }
        Some((text_of(&items[0])?, &items[1], &items[2]))
    }

    /// Condition `name` is false only because of parameter defaults, which a deployment
    /// can override (`--parameter-overrides`, a StackSet's parameters).
    pub(in crate::iac::cfn) fn off_by_default(&self, name: &str) -> bool {
        self.defaults_used.set(false);
        let value = self.condition_named(name, 0);
        value == Some(false) && self.defaults_used.replace(false)
    }

    /// `Fn::If` whose condition is false only by parameter defaults: the condition's name
    /// and the branches.
    pub(in crate::iac::cfn) fn if_off_by_default<'n>(
        &self,
        node: &'n Node<'static>,
    ) -> Option<(String, &'n Node<'static>, &'n Node<'static>)> {
        let (cond, a, b) = Self::if_parts(node)?;
        self.off_by_default(&cond).then_some((cond, a, b))
    }

    /// `Ref: AWS::NoValue` (also through a decided `Fn::If`).
    pub(in crate::iac::cfn) fn is_no_value(&self, node: &'t Node<'static>) -> bool {
        matches!(self.eval(node, 0), Eval::NoValue)
    }

    pub(in crate::iac::cfn) fn condition_named(&self, name: &str, depth: usize) -> Option<bool> {
        if depth > MAX_EVAL_DEPTH {
            return None;
        }
        self.condition(self.conditions.get(name)?, depth + 1)
    }

    fn condition(&self, node: &'t Node<'static>, depth: usize) -> Option<bool> {
        if depth > MAX_EVAL_DEPTH {
            return None;
        }
        let (name, arg) = Self::intrinsic(node)?;
        let items = match &arg.content {
            Content::Array(items) => items.as_slice(),
            _ => std::slice::from_ref(arg),
        };
        match name {
            "Condition" => self.condition_named(&text_of(arg)?, depth),
            // Only what the template fixes decides a condition, never a stand-in.
            "Fn::Equals" if items.len() == 2 => {
                let known = |n: &'t Node<'static>| match self.eval(n, depth + 1) {
                    Eval::Scalar(v) => v.as_text(),
                    _ => None,
                };
                Some(known(&items[0])? == known(&items[1])?)
            }
            "Fn::Not" => Some(!self.condition(items.first()?, depth + 1)?),
            "Fn::And" => {
                let vals: Vec<Option<bool>> =
                    items.iter().map(|c| self.condition(c, depth + 1)).collect();
                if vals.contains(&Some(false)) {
                    Some(false)
                } else {
                    vals.into_iter().collect::<Option<Vec<_>>>().map(|_| true)
                }
            }
            "Fn::Or" => {
                let vals: Vec<Option<bool>> =
                    items.iter().map(|c| self.condition(c, depth + 1)).collect();
                if vals.contains(&Some(true)) {
                    Some(true)
                } else {
                    vals.into_iter().collect::<Option<Vec<_>>>().map(|_| false)
                }
            }
            _ => None,
        }
    }
}
