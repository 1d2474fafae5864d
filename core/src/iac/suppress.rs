//! Inline suppressions in templates and modules: a comment `s3-replication-lint: ignore
//! S3R408, S3R321` (after `#`, `//` or in `<!-- -->`) on a finding's first line, or alone on
//! the line above it, turns those findings off; without codes, every finding there. A code
//! may be a beginning (`S3R7`: S3R700-S3R799). A "not verified" finding (S3R600) goes with
//! the checks it names. As tflint's `# tflint-ignore:` and ruff's `# noqa:`.

use super::{IacReport, SourceFile};
use crate::catalogue::engine::UNVERIFIED;
use crate::diagnostic::Diagnostic;

/// The directive, matched case-insensitively.
const DIRECTIVE: &str = "s3-replication-lint: ignore";

/// What one line's directive turns off: every code (`None`) or these codes and beginnings.
fn directive(line: &str) -> Option<Option<Vec<String>>> {
    let lower = line.to_ascii_lowercase();
    let at = lower.find(DIRECTIVE)?;
    let rest = &line[at + DIRECTIVE.len()..];
    let codes: Vec<String> = rest
        .split(|c: char| !c.is_ascii_alphanumeric())
        .take_while(|t| t.is_empty() || t.to_ascii_uppercase().starts_with("S3R"))
        .filter(|t| t.len() > 3)
        .map(|t| t.to_ascii_uppercase())
        .collect();
    Some((!codes.is_empty()).then_some(codes))
}

/// Whether a directive turning off `codes` (`None`: all) covers `d`.
fn covers(codes: &Option<Vec<String>>, d: &Diagnostic) -> bool {
    let Some(codes) = codes else {
        return true;
    };
    let matches = |code: &str| codes.iter().any(|c| code.starts_with(c.as_str()));
    if matches(d.code) {
        return true;
    }
    if d.code != UNVERIFIED.code {
        return false;
    }
    let named = codes_in(&d.message);
    !named.is_empty() && named.iter().all(|c| matches(c))
}

/// The codes a message names as `(S3Rnnn` (a "not verified" finding's checks).
fn codes_in(message: &str) -> Vec<&str> {
    message
        .match_indices("(S3R")
        .filter_map(|(i, _)| {
            let code = message.get(i + 1..i + 7)?;
            code[3..]
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then_some(code)
        })
        .collect()
}

/// Whether `d`, a finding in `text`, is turned off by a directive on its line or alone on
/// the line above. Found from the finding's byte offset: only those two lines are read.
fn suppressed(text: &str, d: &Diagnostic) -> bool {
    let at = (d.span.start as usize).min(text.len());
    let Some(before) = text.get(..at) else {
        return false;
    };
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let own = &text[start..end];
    let above = start
        .checked_sub(1)
        .map(|nl| &text[text[..nl].rfind('\n').map_or(0, |i| i + 1)..nl]);
    let alone = |l: &str| {
        let t = l.trim_start();
        t.starts_with('#') || t.starts_with("//") || t.starts_with("<!--")
    };
    directive(own).is_some_and(|c| covers(&c, d))
        || above
            .filter(|l| alone(l))
            .and_then(directive)
            .is_some_and(|c| covers(&c, d))
}

/// Whether `text` holds `needle` (lower case ASCII) in any case, without copying it.
fn mentions(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Remove the findings the files' directives turn off.
pub(super) fn apply(report: &mut IacReport, files: &[SourceFile]) {
    // Most files have none: nothing else is read then (this runs on every keystroke).
    if !files.iter().any(|f| mentions(&f.text, DIRECTIVE)) {
        return;
    }
    let text_of = |path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.text.as_str())
    };
    let keep = |path: &str, ds: &mut Vec<Diagnostic>| {
        if let Some(text) = text_of(path) {
            ds.retain(|d| !suppressed(text, d));
        }
    };
    for c in &mut report.configurations {
        keep(&c.file, &mut c.diagnostics);
        for a in &mut c.audits {
            keep(&a.file, &mut a.diagnostics);
        }
    }
    for f in &mut report.files {
        keep(&f.file, &mut f.diagnostics);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_codes_of_a_directive() {
        assert_eq!(directive("x = 1 # nothing"), None);
        assert_eq!(directive("# s3-replication-lint: ignore"), Some(None));
        assert_eq!(
            directive("  storage_class = \"GLACIER\" # S3-Replication-Lint: ignore s3r315, S3R7 -- cold copy"),
            Some(Some(vec!["S3R315".to_string(), "S3R7".to_string()]))
        );
        assert_eq!(
            directive("<!-- s3-replication-lint: ignore S3R408 -->"),
            Some(Some(vec!["S3R408".to_string()]))
        );
    }
}
