//! Edits of the document: typing, quick fixes, undo of an example, formatting and
//! conversion. Whole-document changes go through the textarea, so the browser's undo works.

use super::example::NoticeAction;
use super::App;
use crate::analysis::drawn_span;
use crate::dom;
use crate::editor::LINE_HEIGHT;
use s3_replication_lint::diagnostic::apply_edits;
use s3_replication_lint::{serialize, Diagnostic, Format};
use std::rc::Rc;
use yew::prelude::*;

/// The change replaced most of the text: a new document was pasted or loaded, not edited.
pub(super) fn replaced_document(old: &str, new: &str) -> bool {
    let (start, end_old, end_new) = changed_middle(old, new);
    new.len() >= 16 && (end_old - start) * 2 >= old.len() && (end_new - start) * 2 >= new.len()
}

/// Byte ranges `[start, end_old)` of `old` and `[start, end_new)` of `new` that differ,
/// on char boundaries.
pub(super) fn changed_middle(old: &str, new: &str) -> (usize, usize, usize) {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while start > 0 && !(old.is_char_boundary(start) && new.is_char_boundary(start)) {
        start -= 1;
    }
    let max_suffix = a.len().min(b.len()) - start;
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    while suffix > 0
        && !(old.is_char_boundary(a.len() - suffix) && new.is_char_boundary(b.len() - suffix))
    {
        suffix -= 1;
    }
    (start, a.len() - suffix, b.len() - suffix)
}

impl App {
    /// The textarea's text changed (typing, paste, the browser's undo).
    pub(super) fn edited(&mut self, ctx: &Context<Self>, text: String) -> bool {
        if *text == *self.text {
            return false;
        }
        self.notice_action = None;
        if self.undo.as_ref().is_some_and(|u| *u.text == *text) {
            // Ctrl+Z took the text back to before the example: its context comes too.
            let u = self.undo.take().expect("checked");
            self.ctx = u.ctx;
            self.keys_raw = u.keys_raw;
            self.example = u.example;
            self.notice = Some("Restored the previous document and its context.".into());
        } else if self.example.is_some() && replaced_document(&self.text, &text) {
            // Only while example values remain: the comparison reads the whole text,
            // and this runs on every keystroke.
            let cleared = self.clear_example();
            if !cleared.is_empty() {
                self.notice = Some(format!(
                    "New document: cleared the context values that came from the example ({}).",
                    cleared.join(", ")
                ));
            }
        }
        self.text = Rc::from(text.as_str());
        self.reanalyze(ctx);
        true
    }

    /// Bring back the document and context an example replaced.
    pub(super) fn undo(&mut self, ctx: &Context<Self>) -> bool {
        let Some(u) = self.undo.take() else {
            return false;
        };
        self.notice_action = None;
        self.ctx = u.ctx;
        self.keys_raw = u.keys_raw;
        self.example = u.example;
        self.replace_document(ctx, u.text.to_string());
        self.notice = Some("Restored the previous document and its context.".into());
        true
    }

    /// Select a finding's span in the editor.
    pub(super) fn select(&mut self, i: usize) -> bool {
        let a = self.analysis.clone();
        if let (Some(d), Some(t)) = (a.report.diagnostics.get(i), self.textarea()) {
            let (s, e) = drawn_span(&a.text, d);
            let s16 = a.lines.to_utf16(&a.text, s);
            let e16 = a.lines.to_utf16(&a.text, e);
            dom::select_range(&t, s16, e16, d.range.start.line, LINE_HEIGHT);
        }
        false
    }

    /// Apply finding `i`'s quick fix.
    pub(super) fn fix(&mut self, ctx: &Context<Self>, i: usize) -> bool {
        let fixed = self
            .analysis
            .report
            .diagnostics
            .get(i)
            .and_then(|d| d.fix.as_ref())
            .map(|f| (f.title.clone(), apply_edits(&self.text, &f.edits)));
        match fixed {
            Some((title, text)) if *text != *self.text => {
                self.replace_document(ctx, text);
                self.notice = Some(format!("Applied: {title}"));
                true
            }
            _ => false,
        }
    }

    /// Convert, or first say what the conversion would drop.
    pub(super) fn ask_convert(&mut self, ctx: &Context<Self>, to: Format) -> bool {
        let comments = match self.analysis.report.format {
            Format::Xml if to == Format::Json => crate::editor::format::xml_comments(&self.text),
            _ => Vec::new(),
        };
        if comments.is_empty() {
            return self.convert(ctx, to);
        }
        let lines: Vec<String> = comments.iter().map(usize::to_string).collect();
        let n = comments.len();
        self.notice = Some(format!(
            "Converting to JSON drops {n} XML comment{} (line{} {}): JSON cannot hold comments.",
            if n == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" },
            lines.join(", ")
        ));
        self.notice_action = Some(NoticeAction::Convert(to));
        true
    }

    /// Replace the whole document through the textarea (keeps the browser's undo history),
    /// then analyse the new text right away.
    pub(super) fn replace_document(&mut self, ctx: &Context<Self>, new_text: String) {
        let old = self.text.clone();
        if let Some(t) = self.textarea() {
            // Only the changed middle goes through the edit, so the caret lands near it.
            let (start, end_old, end_new) = changed_middle(&old, &new_text);
            let lines = &self.analysis.lines;
            let s16 = lines.to_utf16(&old, start as u32);
            let e16 = lines.to_utf16(&old, end_old as u32);
            self.text = Rc::from(new_text.as_str());
            dom::replace_range(&t, s16, e16, &new_text[start..end_new]);
            // The browser may have normalised something: trust what the textarea holds.
            let actual = t.value();
            if *actual != *self.text {
                self.text = Rc::from(actual.as_str());
            }
        } else {
            self.text = Rc::from(new_text.as_str());
        }
        self.reanalyze(ctx);
    }

    /// Re-indent the document; order, comments and values stay (layout only).
    pub(super) fn format_document(&mut self, ctx: &Context<Self>) -> bool {
        let format = self.analysis.report.format;
        if let Err(diags) = serialize::convert(&self.text, format) {
            return self.refuse(&diags, "format");
        }
        let out = match format {
            Format::Xml => crate::editor::format::xml(&self.text),
            Format::Json => crate::editor::format::json(&self.text),
        };
        if *out != *self.text {
            self.replace_document(ctx, out);
        }
        self.notice =
            Some("Formatted the document: layout only; order, comments and values kept.".into());
        true
    }

    pub(super) fn refuse(&mut self, diags: &[Diagnostic], what: &str) -> bool {
        let first = diags
            .first()
            .map(|d| format!(" First: line {}: {}", d.range.start.line, d.message));
        self.notice = Some(format!(
            "Cannot {what} while the document has syntax errors.{}",
            first.unwrap_or_default()
        ));
        true
    }

    /// Convert to `to` through the model (members in the API's order).
    pub(super) fn convert(&mut self, ctx: &Context<Self>, to: Format) -> bool {
        match serialize::convert(&self.text, to) {
            Ok(out) => {
                let dropped = match self.analysis.report.format {
                    Format::Xml if to == Format::Json => {
                        crate::editor::format::xml_comments(&self.text).len()
                    }
                    _ => 0,
                };
                if *out != *self.text {
                    self.replace_document(ctx, out);
                }
                self.notice = Some(format!(
                    "Converted to {} (members in the API's order){}.",
                    to.as_str().to_uppercase(),
                    match dropped {
                        0 => String::new(),
                        1 => "; dropped 1 XML comment".into(),
                        n => format!("; dropped {n} XML comments"),
                    }
                ));
                true
            }
            Err(diags) => self.refuse(&diags, "convert"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn middle_of_a_change() {
        assert_eq!(changed_middle("abcdef", "abXdef"), (2, 3, 3));
        assert_eq!(changed_middle("abc", "abc"), (3, 3, 3));
        assert_eq!(changed_middle("aaa", "aaaa"), (3, 3, 4));
        assert_eq!(changed_middle("", "x"), (0, 0, 1));
        // Never splits a character.
        let (s, e, n) = changed_middle("xé", "xè");
        assert!("xé".is_char_boundary(s) && "xé".is_char_boundary(e) && "xè".is_char_boundary(n));
    }
}
