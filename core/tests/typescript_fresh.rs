//! The npm package's TypeScript declarations of the values that cross the JS boundary are
//! generated from the Rust types (`derive(TS)` behind feature `ts`, on for native tests) and
//! committed as `www/npm/types.d.ts`; `www/npm/index.d.ts` holds the function signatures and
//! the options objects by hand and re-exports them. This test keeps the file fresh.
//!
//! Regenerate with `UPDATE_TYPES=1 cargo test -p s3-replication-lint --test typescript_fresh`.
#![cfg(feature = "iac")]

mod support;

use s3_replication_lint::simulate;
use s3_replication_lint::{context, diagnostic, explain, iac, input, model, policy};
use std::any::TypeId;
use std::path::PathBuf;
use ts_rs::{Config, TypeVisitor, TS};

const REGENERATE: &str = "UPDATE_TYPES=1 cargo test -p s3-replication-lint --test typescript_fresh";

const HEADER: &str = "\
// Generated from the Rust types that cross the JavaScript boundary (ts-rs, feature `ts`):
// do not edit. Regenerate with `UPDATE_TYPES=1 cargo test -p s3-replication-lint --test
// typescript_fresh`. The functions and their options are declared in index.d.ts.
";

/// The JSON a policy document holds: the core builds it as free JSON (`policy::Json`), so its
/// shape is written here rather than derived.
const POLICY_JSON: &str = "\
/** A JSON value, as in a policy document. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One statement of an IAM, KMS key or bucket policy. */
export interface IamStatement {
  Sid?: string;
  Effect: \"Allow\" | \"Deny\";
  Principal?: JsonValue;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: { [operator: string]: { [key: string]: JsonValue } };
  [key: string]: JsonValue | undefined;
}

/** A policy document as AWS takes it. */
export interface IamPolicyDocument {
  Version: string;
  Id?: string;
  Statement: IamStatement[];
}
";

/// Collects the declaration of every derived type reachable from the roots, once each, with
/// its name (ts-rs visits dependencies in an order that changes between builds: the file is
/// sorted by name).
struct Collect<'a> {
    cfg: &'a Config,
    seen: Vec<TypeId>,
    decls: Vec<(String, String)>,
}

impl TypeVisitor for Collect<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Primitives, containers and `#[ts(type)]` overrides have nothing to declare.
        if T::output_path().is_none() || self.seen.contains(&TypeId::of::<T>()) {
            return;
        }
        self.seen.push(TypeId::of::<T>());
        let mut decl = String::new();
        if let Some(docs) = T::docs() {
            decl.push_str(&doc_comment(&docs, ""));
        }
        decl.push_str("export ");
        decl.push_str(&layout(&T::decl(self.cfg)));
        self.decls.push((T::ident(self.cfg), decl));
        T::visit_dependencies(self);
    }
}

/// ts-rs writes a declaration on one line (`type T = { a: A, /** doc */ b?: B, };`): one
/// member per line, each after its doc comment, reads better in the shipped file.
fn layout(decl: &str) -> String {
    let decl = decl.trim().trim_end_matches(';');
    let Some((head, body)) = decl.split_once(" = ") else {
        return format!("{decl};\n");
    };
    let Some(inner) = body
        .strip_prefix('{')
        .and_then(|b| b.strip_suffix('}'))
        .filter(|_| body.starts_with("{ "))
    else {
        return format!("{decl};\n");
    };
    let mut out = format!("{head} = {{\n");
    for member in split_top_level(inner) {
        let member = member.trim();
        if member.is_empty() {
            continue;
        }
        let (docs, field) = match member.rfind("*/") {
            Some(end) if member.starts_with("/**") => {
                (&member[..end + 2], member[end + 2..].trim())
            }
            _ => ("", member),
        };
        out.push_str(&doc_comment(docs, "  "));
        out.push_str(&format!("  {field};\n"));
    }
    out.push_str("};\n");
    out
}

/// Splits at the commas outside brackets, string literals and doc comments (between the
/// members of an object type).
fn split_top_level(s: &str) -> Vec<&str> {
    let (mut depth, mut in_string, mut start, mut parts) = (0i32, false, 0, Vec::new());
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            _ if in_string => {}
            b'/' if s[i..].starts_with("/*") => {
                i += s[i..].find("*/").map_or(s.len() - i, |end| end + 1);
            }
            b'{' | b'[' | b'(' | b'<' => depth += 1,
            b'}' | b']' | b')' | b'>' => depth -= 1,
            b',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&s[start..]);
    parts
}

/// A `/** ... */` block (as ts-rs writes it) re-indented, on one line when it is one line,
/// with the Rust-only notation of the doc comments turned into the JavaScript one.
fn doc_comment(docs: &str, indent: &str) -> String {
    let lines: Vec<String> = docs
        .trim()
        .trim_start_matches("/**")
        .trim_end_matches("*/")
        .lines()
        .map(|l| l.trim().trim_start_matches('*').trim_start().to_string())
        .map(|l| js_notation(&l))
        .collect();
    let lines: Vec<&str> = {
        let first = lines.iter().position(|l| !l.is_empty());
        let last = lines.iter().rposition(|l| !l.is_empty());
        match (first, last) {
            (Some(a), Some(b)) => lines[a..=b].iter().map(String::as_str).collect(),
            _ => return String::new(),
        }
    };
    if let [one] = lines[..] {
        return format!("{indent}/** {one} */\n");
    }
    let mut out = format!("{indent}/**\n");
    for l in lines {
        if l.is_empty() {
            out.push_str(&format!("{indent} *\n"));
        } else {
            out.push_str(&format!("{indent} * {l}\n"));
        }
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

/// `None` is `null` on the JS side; intra-doc links (`[`simulate`]`) are plain code there.
fn js_notation(line: &str) -> String {
    line.replace("`None`", "`null`")
        .replace("[`", "`")
        .replace("`]", "`")
}

fn declarations() -> String {
    // Every integer the API sends (positions, indexes, priorities) fits a JS number.
    let cfg = Config::new().with_large_int("number");
    let mut c = Collect {
        cfg: &cfg,
        seen: Vec::new(),
        decls: Vec::new(),
    };
    // The roots: what the functions return and take (their dependencies follow). The
    // envelopes the wasm exports build (`check`'s, `checkFiles`', `convertFiles`') are
    // composed from these in index.d.ts.
    c.visit::<diagnostic::Diagnostic>();
    c.visit::<model::Format>();
    c.visit::<context::DeploymentContext>();
    c.visit::<policy::PolicySet>();
    c.visit::<policy::emit::Binding>();
    c.visit::<simulate::Simulation>();
    c.visit::<simulate::Encryption>();
    c.visit::<explain::Explanation>();
    c.visit::<s3_replication_lint::catalogue::RuleMeta>();
    c.visit::<input::InputKind>();
    c.visit::<iac::ConfigurationReport>();
    c.visit::<iac::FileReport>();
    c.decls.sort();
    let mut out = String::from(HEADER);
    for (_, decl) in &c.decls {
        out.push('\n');
        out.push_str(decl);
    }
    out.push('\n');
    out.push_str(POLICY_JSON);
    out
}

fn declarations_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../www/npm/types.d.ts")
}

#[test]
fn committed_declarations_are_fresh() {
    let generated = declarations();
    support::assert_fresh(&declarations_path(), &generated, "UPDATE_TYPES", REGENERATE);
}
