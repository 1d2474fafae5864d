//! The house stays tidy: no import cycle among core's top-level modules, and no rule family
//! imports another family (shared helpers live in `rules/support/` or on the model).
//!
//! Reads `src/**/*.rs`, resolves every `crate::`/`super::` path (in `use` trees and in code)
//! to the module it names, and leaves test code out (`tests.rs` files and a trailing
//! `#[cfg(test)] mod tests`), since a test may read any module.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// One source file: its module path (`rules/kms/pairing.rs` is `[rules, kms, pairing]`) and
/// its non-test text without comments.
struct Source {
    file: String,
    module: Vec<String>,
    text: String,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .expect("readable src dir")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Drops `//` comments (doc links are not dependencies) and `#[cfg(test)] mod x { .. }`
/// blocks (a test may read any module).
fn code_only(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut skip_depth: Option<i64> = None;
    for (i, line) in lines.iter().enumerate() {
        let code = match line.find("//") {
            // A `//` inside a string (a URL) only shortens the string; paths are not there.
            Some(at) => &line[..at],
            None => line,
        };
        if let Some(depth) = skip_depth.as_mut() {
            *depth += code.matches('{').count() as i64 - code.matches('}').count() as i64;
            if *depth <= 0 {
                skip_depth = None;
            }
            continue;
        }
        let test_mod = line.trim() == "#[cfg(test)]"
            && lines.get(i + 1).is_some_and(|n| {
                let n = n.trim();
                n.contains("mod ") && n.ends_with('{')
            });
        if test_mod {
            skip_depth = Some(0);
            continue;
        }
        out.push_str(code);
        out.push('\n');
    }
    out
}

fn sources() -> Vec<Source> {
    let root = src_dir();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(&root).expect("under src").to_path_buf();
            let mut module: Vec<String> = rel
                .iter()
                .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if module.last().is_some_and(|m| m == "mod" || m == "lib") {
                module.pop();
            }
            if module.iter().any(|m| m == "tests") {
                return None;
            }
            let text = fs::read_to_string(&p).expect("readable source");
            Some(Source {
                file: rel.to_string_lossy().replace('\\', "/"),
                module,
                text: code_only(&text),
            })
        })
        .collect()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path of a `use` tree (`a::{b, c::{d, e}}` gives `a::b`, `a::c::d`, `a::c::e`).
fn expand_use(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    match tree.find('{') {
        None => {
            let path = squeeze(tree.split(" as ").next().unwrap_or(""));
            if !path.is_empty() {
                out.push(format!("{prefix}{path}"));
            }
        }
        Some(open) => {
            let head = squeeze(&tree[..open]);
            let close = tree.rfind('}').filter(|&c| c > open).unwrap_or(tree.len());
            let inner = &tree[open + 1..close];
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand_use(&inner[start..i], &format!("{prefix}{head}"), out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            if start < inner.len() {
                expand_use(&inner[start..], &format!("{prefix}{head}"), out);
            }
        }
    }
}

/// Where the first `use` statement starts (at `use`).
fn use_start(s: &str) -> Option<usize> {
    let mut line_start = 0;
    for line in s.split_inclusive('\n') {
        let t = line.trim_start();
        let t = match t.strip_prefix("pub") {
            Some(r) if r.starts_with('(') => r.find(')').map_or(t, |c| r[c + 1..].trim_start()),
            Some(r) => r.trim_start(),
            None => t,
        };
        if t.starts_with("use ") {
            return Some(line_start + (line.len() - t.len()));
        }
        line_start += line.len();
    }
    None
}

/// The `crate::`/`super::` paths a file names: `use` trees expanded, and paths in code.
fn paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = String::with_capacity(text.len());
    let mut s = text;
    // `use` statements first (they may span lines and hold braces): a line that starts with
    // `use` or `pub(..) use`; prose in strings says "use" too.
    while let Some(at) = use_start(s) {
        let Some(end) = s[at..].find(';').map(|e| at + e) else {
            break;
        };
        rest.push_str(&s[..at]);
        expand_use(&s[at + 4..end], "", &mut out);
        s = &s[end + 1..];
    }
    rest.push_str(s);
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = rest[from..].find(start).map(|a| a + from) {
            from = at + start.len();
            if at > 0 && rest[..at].ends_with(|c: char| is_ident(c) || c == '$' || c == ':') {
                continue;
            }
            let len = rest[at..]
                .find(|c: char| !(is_ident(c) || c == ':'))
                .unwrap_or(rest.len() - at);
            out.push(rest[at..at + len].trim_end_matches(':').to_string());
        }
    }
    out.retain(|p| p.starts_with("crate::") || p.starts_with("super::"));
    out
}

/// The absolute module path a path names, from the file's module.
fn resolve(path: &str, module: &[String]) -> Vec<String> {
    let mut segs = path.split("::").filter(|s| !s.is_empty());
    let mut abs: Vec<String> = Vec::new();
    match segs.next() {
        Some("crate") => {}
        Some("super") => {
            // `a/b.rs` and `a/b/mod.rs` are both module `a::b`: `super` is `a`.
            abs = module.to_vec();
            abs.pop();
        }
        _ => return abs,
    }
    for seg in segs {
        if seg == "super" {
            abs.pop();
        } else {
            abs.push(seg.to_string());
        }
    }
    abs
}

/// Names the crate root re-exports, mapped to the module they come from (`crate::check` is
/// `engine`'s).
fn root_reexports() -> BTreeMap<String, String> {
    let lib = code_only(&fs::read_to_string(src_dir().join("lib.rs")).expect("lib.rs"));
    let mut map = BTreeMap::new();
    for stmt in lib.split(';') {
        let Some(at) = stmt.find("pub use ") else {
            continue;
        };
        let mut expanded = Vec::new();
        expand_use(&stmt[at + 8..], "", &mut expanded);
        for p in expanded {
            let segs: Vec<&str> = p.split("::").collect();
            if let (Some(first), Some(last)) = (segs.first(), segs.last()) {
                map.insert((*last).to_string(), (*first).to_string());
            }
        }
    }
    map
}

struct Edge {
    file: String,
    path: String,
}

type Graph = BTreeMap<String, BTreeMap<String, Vec<Edge>>>;

fn top_level_graph(sources: &[Source]) -> Graph {
    let reexports = root_reexports();
    let top: BTreeSet<String> = sources
        .iter()
        .filter_map(|s| s.module.first().cloned())
        .collect();
    let mut graph = Graph::new();
    for s in sources {
        let Some(from) = s.module.first() else {
            continue;
        };
        for p in paths(&s.text) {
            let abs = resolve(&p, &s.module);
            let Some(first) = abs.first() else { continue };
            // `crate::parse::x` is the module; `crate::parse(..)` the engine's re-export.
            let target = match reexports.get(first) {
                Some(module) if abs.len() == 1 || !top.contains(first) => module.clone(),
                _ => first.clone(),
            };
            if &target != from && top.contains(&target) {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(target)
                    .or_default()
                    .push(Edge {
                        file: s.file.clone(),
                        path: p,
                    });
            }
        }
    }
    graph
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(st: &mut State<'g>, v: &'g str) {
        let i = st.index.len();
        st.index.insert(v, i);
        st.low.insert(v, i);
        st.stack.push(v);
        st.on_stack.insert(v);
        if let Some(next) = st.graph.get(v) {
            for w in next.keys() {
                let w = w.as_str();
                if !st.index.contains_key(w) {
                    visit(st, w);
                    let lw = st.low[w];
                    let lv = st.low[v];
                    st.low.insert(v, lv.min(lw));
                } else if st.on_stack.contains(w) {
                    let iw = st.index[w];
                    let lv = st.low[v];
                    st.low.insert(v, lv.min(iw));
                }
            }
        }
        if st.low[v] == st.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = st.stack.pop() {
                st.on_stack.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                st.out.push(comp);
            }
        }
    }
    let mut st = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    let nodes: Vec<&str> = graph.keys().map(String::as_str).collect();
    for v in nodes {
        if !st.index.contains_key(v) {
            visit(&mut st, v);
        }
    }
    st.out
}

#[test]
fn no_import_cycle_among_top_level_modules() {
    let sources = sources();
    let graph = top_level_graph(&sources);
    let found = cycles(&graph);
    let mut report = String::new();
    for comp in &found {
        report.push_str(&format!("cycle among {comp:?}:\n"));
        for from in comp {
            for (to, edges) in graph.get(from).into_iter().flatten() {
                if comp.contains(to) {
                    let e = &edges[0];
                    report.push_str(&format!(
                        "  {from} -> {to} ({} uses, e.g. {} in {})\n",
                        edges.len(),
                        e.path,
                        e.file
                    ));
                }
            }
        }
    }
    assert!(found.is_empty(), "{report}");
}

#[test]
fn no_rule_family_imports_another() {
    let sources = sources();
    // A family is a child of `rules/` (a folder or a one-file family) that declares codes;
    // the registry's own modules (`mod.rs`, the reference, what a check receives) declare
    // none and may read every family; `support` is shared by all and reads none.
    let families: BTreeSet<String> = sources
        .iter()
        .filter(|s| s.module.len() >= 2 && s.module[0] == "rules")
        .filter(|s| s.text.contains("declare_rule!"))
        .map(|s| s.module[1].clone())
        .filter(|f| f != "support")
        .collect();
    for expected in ["kms", "destination", "rule_level", "versioning"] {
        assert!(families.contains(expected), "{expected} is a rule family");
    }
    let mut bad = Vec::new();
    for s in &sources {
        if s.module.first().map(String::as_str) != Some("rules") {
            continue;
        }
        let Some(own) = s.module.get(1) else { continue };
        let in_support = own == "support";
        if !in_support && !families.contains(own) {
            continue;
        }
        for p in paths(&s.text) {
            let abs = resolve(&p, &s.module);
            if abs.first().map(String::as_str) != Some("rules") {
                continue;
            }
            let Some(target) = abs.get(1) else { continue };
            if families.contains(target) && (in_support || target != own) {
                bad.push(format!("{} uses {p}", s.file));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "rule families must not import each other (move shared code to rules/support/):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_scanner_sees_use_trees_and_paths() {
    let mut out = Vec::new();
    expand_use("crate::{a::{b, c as d}, base}", "", &mut out);
    assert_eq!(out, ["crate::a::b", "crate::a::c", "crate::base"]);
    let found = paths("use super::x::Y;\nfn f() { crate::lower::did_you_mean(); }\n");
    assert_eq!(found, ["super::x::Y", "crate::lower::did_you_mean"]);
    let module = [
        "rules".to_string(),
        "kms".to_string(),
        "pairing".to_string(),
    ];
    assert_eq!(
        resolve("super::super::destination::util", &module),
        ["rules", "destination", "util"]
    );
}
