//! The outputs of a template/module check, rendered in the core (the CLI prints them as
//! they are): code frames per configuration with the facts read from the code, a flat JSON
//! array of diagnostics (each naming its file and configuration), and SARIF with locations in
//! the user's files.

use super::{IacReport, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::render;
use serde::Serialize;

/// Text: for each configuration its address, the facts read from the code, and code frames;
/// file-level findings; a summary line.
pub fn text(report: &IacReport, files: &[SourceFile], color: bool) -> String {
    let mut out = String::new();
    let text_of = |name: &str| {
        files
            .iter()
            .find(|f| f.path == name)
            .map_or("", |f| f.text.as_str())
    };
    for f in &report.files {
        if !f.diagnostics.is_empty() {
            out.push_str(&render::text::render(
                text_of(&f.file),
                &f.file,
                &f.diagnostics,
                color,
            ));
            out.push('\n');
        }
    }
    for c in &report.configurations {
        out.push_str(&format!(
            "{} ({}, {})\n",
            c.address,
            c.file,
            c.kind.as_str()
        ));
        for fact in &c.facts {
            out.push_str(&format!(
                "  read from the code: {} = {} ({}:{}, {})\n",
                fact.field, fact.value, fact.file, fact.line, fact.from
            ));
        }
        if c.diagnostics.is_empty() {
            out.push_str("  no problems found\n");
        } else {
            out.push_str(&render::text::render(
                text_of(&c.file),
                &c.file,
                &c.diagnostics,
                color,
            ));
            out.push('\n');
        }
        for p in &c.audits {
            out.push_str(&format!("  {} policy {} ({})\n", p.kind, p.address, p.file));
            if p.diagnostics.is_empty() {
                out.push_str("  audited: no problems found\n");
            } else {
                out.push_str(&render::text::render(
                    text_of(&p.file),
                    &p.file,
                    &p.diagnostics,
                    color,
                ));
                out.push('\n');
            }
        }
    }
    let all: Vec<Diagnostic> = all_diagnostics(report).map(|(_, _, d)| d.clone()).collect();
    let n = report.configurations.len();
    let head = match n {
        0 => "no replication configuration".to_string(),
        1 => "1 configuration".to_string(),
        n => format!("{n} configurations"),
    };
    if all.is_empty() {
        out.push_str(&format!("{head}: no problems found\n"));
    } else {
        out.push_str(&format!("{head}: {}\n", render::text::summary(&all)));
    }
    out
}

/// Every diagnostic with its file and configuration address (`""` for file-level ones).
pub fn all_diagnostics(report: &IacReport) -> impl Iterator<Item = (&str, &str, &Diagnostic)> {
    report
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(move |d| (f.file.as_str(), "", d)))
        .chain(report.configurations.iter().flat_map(|c| {
            let policies = c.audits.iter().flat_map(move |p| {
                p.diagnostics
                    .iter()
                    .map(move |d| (p.file.as_str(), c.address.as_str(), d))
            });
            c.diagnostics
                .iter()
                .map(move |d| (c.file.as_str(), c.address.as_str(), d))
                .chain(policies)
        }))
}

#[derive(Serialize)]
struct Flat<'a> {
    file: &'a str,
    configuration: &'a str,
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
}

/// The CLI's `--format json`: one flat array, each diagnostic with `file` and
/// `configuration`.
pub fn json(report: &IacReport) -> String {
    let flat: Vec<Flat<'_>> = all_diagnostics(report)
        .map(|(file, configuration, diagnostic)| Flat {
            file,
            configuration,
            diagnostic,
        })
        .collect();
    serde_json::to_string_pretty(&flat).unwrap_or_else(|_| "[]".into())
}

/// SARIF 2.1.0: locations point into the templates and `.tf` files.
pub fn sarif(report: &IacReport, files: &[SourceFile]) -> String {
    let mut per_file: Vec<(&str, &str, Vec<Diagnostic>)> = Vec::new();
    for (file, _, d) in all_diagnostics(report) {
        let text = files
            .iter()
            .find(|f| f.path == file)
            .map_or("", |f| f.text.as_str());
        match per_file.iter_mut().find(|(f, _, _)| *f == file) {
            Some((_, _, ds)) => ds.push(d.clone()),
            None => per_file.push((file, text, vec![d.clone()])),
        }
    }
    let borrowed: Vec<(&str, &str, &[Diagnostic])> = per_file
        .iter()
        .map(|(f, t, d)| (*f, *t, d.as_slice()))
        .collect();
    render::sarif::render(&borrowed)
}
