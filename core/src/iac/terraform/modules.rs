//! The module tree of the input files. Each directory is a module (as in Terraform); a
//! `module` block whose `source` is a local path (`./…`, `../…`) is read as a child module
//! made of the input files in that directory: its `var.*` are the block's arguments evaluated
//! in the caller, its providers those the caller passes (`providers = { aws = aws.west }`, or
//! the caller's default `aws`). A remote source is read from where `terraform init` installed
//! it when its manifest and files are among the inputs (`installed.rs`); otherwise it is only
//! named (S3R014).
//!
//! Directories no other input directory calls are root modules, the top one first, so a
//! module whose files all sit in one directory reads exactly as before. Depth and the number
//! of module instances are bounded, and a module calling one of its callers is not read again.

use super::installed::{self, Installed};
use super::{attr, label, span, At, Module};
use crate::catalogue::parse as codes;
use crate::context::DeploymentContext;
use crate::diagnostic::{Diagnostic, Severity};
use crate::iac::hcl;
use crate::iac::{Extracted, SourceFile};
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body};
use hcl_edit::Span as _;
use std::collections::{HashMap, HashSet};

/// Child modules nested deeper than this are named, not read.
const MAX_DEPTH: usize = 8;
/// Module instances read in all (a module called twice is read twice): hostile input cannot
/// multiply the work by fanning out at every level.
const MAX_INSTANCES: usize = 64;

/// The module block that called a child module, and the module it is written in.
pub(super) struct Caller<'m> {
    pub module: &'m Module<'m>,
    pub block: At<'m, Block>,
}

/// `base` joined with `rel`, `.` and `..` resolved lexically (`a/b` + `../c` -> `a/c`); a
/// leading `..` that cannot be resolved is kept.
pub(super) fn join(base: &str, rel: &str) -> String {
    let absolute = base.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for c in base.split('/').chain(rel.split('/')) {
        match c {
            "" | "." => {}
            ".." if out.last().is_some_and(|l| *l != "..") => {
                out.pop();
            }
            ".." if absolute => {}
            c => out.push(c),
        }
    }
    let joined = out.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The normalized directory of a file path (`""`: the top).
pub(super) fn dir_of(path: &str) -> String {
    join(&path.replace('\\', "/"), "..")
}

/// A local module source: Terraform reads only these from disk; anything else (registry,
/// git, http, `s3::`...) is fetched.
fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// The literal `source` of a module block.
fn source_of(b: &Block) -> Option<String> {
    match attr(b, "source")? {
        Expression::String(s) => Some(s.value().to_string()),
        _ => None,
    }
}

/// Read every module of the input files, roots first, and return their configurations.
pub(super) fn walk(
    files: &[SourceFile],
    bodies: &[Option<Body>],
    installed: &[Installed],
    given: &DeploymentContext,
    file_diagnostics: &mut [Vec<Diagnostic>],
) -> Vec<Extracted<'static>> {
    let dirs: Vec<String> = files.iter().map(|f| dir_of(&f.path)).collect();
    let is_tfvars = |i: usize| super::is_tfvars(&files[i].path);
    // Installed modules are read through their callers only.
    let mut module_dirs: Vec<&String> = (0..files.len())
        .filter(|&i| !is_tfvars(i) && !installed::is_manifest(&files[i].path))
        .filter(|&i| !installed::is_inside_dot_terraform(&dirs[i]))
        .map(|i| &dirs[i])
        .collect();
    module_dirs.sort_by_key(|d| (d.split('/').filter(|c| !c.is_empty()).count(), d.as_str()));
    module_dirs.dedup();
    // The static call graph: directories another directory calls are children, not roots.
    let mut calls: HashMap<&str, Vec<String>> = HashMap::new();
    for (i, body) in bodies.iter().enumerate() {
        let Some(body) = body.as_ref().filter(|_| !is_tfvars(i)) else {
            continue;
        };
        for b in body.blocks().filter(|b| b.ident.as_str() == "module") {
            if let Some(s) = source_of(b).filter(|s| is_local(s)) {
                let to = join(&dirs[i], &s);
                if to != dirs[i] {
                    calls.entry(dirs[i].as_str()).or_default().push(to);
                }
            }
        }
    }
    let called: HashSet<&str> = calls.values().flatten().map(String::as_str).collect();
    // Roots: directories nobody calls, then (only calls in a cycle reach them) the first
    // directory of each cycle no root reaches. What a root reaches is never a root itself,
    // even where the walk stops (depth, instances).
    let mut reached: HashSet<&str> = HashSet::new();
    let mut roots: Vec<&String> = Vec::new();
    let order = module_dirs
        .iter()
        .filter(|d| !called.contains(d.as_str()))
        .chain(module_dirs.iter().filter(|d| called.contains(d.as_str())));
    for &d in order {
        if reached.contains(d.as_str()) {
            continue;
        }
        roots.push(d);
        let mut todo = vec![d.as_str()];
        while let Some(x) = todo.pop() {
            if reached.insert(x) {
                todo.extend(calls.get(x).into_iter().flatten().map(String::as_str));
            }
        }
    }
    let mut w = Walk {
        files,
        bodies,
        installed,
        given,
        dirs: &dirs,
        instances: 0,
        configurations: Vec::new(),
        file_diagnostics,
    };
    let first = roots.first().map(|d| d.to_string());
    for root in roots {
        // Variable values files go to the root in their directory, else to the top one.
        let mut members = w.members(root);
        members.extend((0..files.len()).filter(|&i| {
            is_tfvars(i)
                && (dirs[i] == *root
                    || (Some(root) == first.as_ref() && !module_dirs.contains(&&dirs[i])))
        }));
        members.sort_unstable();
        let m = Module::new(files, bodies, given, members, root.clone(), None);
        w.module(&m);
    }
    w.configurations
}

struct Walk<'w, 'd> {
    files: &'w [SourceFile],
    bodies: &'w [Option<Body>],
    installed: &'w [Installed],
    given: &'w DeploymentContext,
    dirs: &'w [String],
    instances: usize,
    configurations: Vec<Extracted<'static>>,
    file_diagnostics: &'d mut [Vec<Diagnostic>],
}

impl<'w> Walk<'w, '_> {
    /// The module files (not variable values) in `dir`.
    fn members(&self, dir: &str) -> Vec<usize> {
        (0..self.files.len())
            .filter(|&i| {
                let path = &self.files[i].path;
                self.dirs[i] == dir && !super::is_tfvars(path) && !installed::is_manifest(path)
            })
            .collect()
    }

    fn module(&mut self, m: &Module<'_>) {
        let mut notes = Vec::new();
        self.configurations
            .extend(super::configurations(m, &mut notes));
        for (file, d) in notes {
            self.say(file, d);
        }
        for &file in &m.members {
            let Some(Some(body)) = self.bodies.get(file) else {
                continue;
            };
            for b in body.blocks().filter(|b| b.ident.as_str() == "module") {
                self.call(m, At { file, item: b });
            }
        }
    }

    /// Say once, at the module block, why it is not read (or read only once).
    fn say(&mut self, file: usize, d: Diagnostic) {
        let list = &mut self.file_diagnostics[file];
        if !list
            .iter()
            .any(|x| x.code == d.code && x.span == d.span && x.message == d.message)
        {
            list.push(d);
        }
    }

    fn call<'a>(&mut self, m: &'a Module<'a>, b: At<'a, Block>) {
        let name = label(b.item, 0).unwrap_or("");
        let at = span(b.item.ident.span());
        let not_read = |why: String| {
            Diagnostic::new(
                codes::UNSUPPORTED_CONSTRUCT.code,
                Severity::Info,
                at,
                "",
                format!("Module \"{name}\" is not read: {why}"),
            )
        };
        let source = source_of(b.item);
        let chain: Vec<&Module<'_>> =
            std::iter::successors(Some(m), |x| x.caller.as_ref().map(|c| c.module)).collect();
        let (source, dir) = match source {
            Some(s) if is_local(&s) => {
                let dir = join(&m.dir, &s);
                (s, dir)
            }
            // Where `terraform init` put it: the manifest of this call's root module names
            // the call by the module names from the root (`a.b`).
            other => {
                let root = chain.last().map_or("", |r| r.dir.as_str());
                let key: Vec<&str> = chain
                    .iter()
                    .rev()
                    .filter_map(|x| x.caller.as_ref().and_then(|c| label(c.block.item, 0)))
                    .chain([name])
                    .collect();
                let key = key.join(".");
                let manifest = self.installed.iter().find(|i| i.root == root);
                let Some(dir) = manifest.and_then(|i| i.dir(&key)) else {
                    let why = match (other, manifest) {
                        (None, _) => "its `source` is not a literal string".to_string(),
                        (Some(_), Some(_)) => format!("`terraform init` has not installed it (`{key}` is not in .terraform/modules/modules.json); run it again, or check the plan (`terraform show -json`)"),
                        (Some(_), None) => "only local child modules (`./…`, `../…`) are, and modules `terraform init` installed when its .terraform/modules/modules.json and their files are among the inputs; check its directory, or the plan (`terraform show -json`)".to_string(),
                    };
                    return self.say(b.file, not_read(why));
                };
                (other.unwrap_or_default(), dir.to_string())
            }
        };
        let members = self.members(&dir);
        let why = if members.is_empty() {
            Some(format!("the files of `{source}` are not among the inputs; give them too, or check the plan (`terraform show -json`)"))
        } else if chain.iter().any(|x| x.dir == dir) {
            Some(format!(
                "`{source}` is a module that is already being read (a cycle)"
            ))
        } else if chain.len() > MAX_DEPTH {
            Some(format!(
                "it is nested more than {MAX_DEPTH} modules deep; check the plan"
            ))
        } else if self.instances >= MAX_INSTANCES {
            Some(format!(
                "more than {MAX_INSTANCES} module instances are read; check the plan"
            ))
        } else {
            None
        };
        if let Some(why) = why {
            return self.say(b.file, not_read(why));
        }
        let optional = match super::not_created(m, b) {
            Some((at, why, false)) => {
                let d = Diagnostic::new(
                    codes::UNSUPPORTED_CONSTRUCT.code,
                    Severity::Info,
                    at,
                    "",
                    format!("{why} with the values this code gives: module \"{name}\" is not created, so it is not read"),
                );
                return self.say(b.file, d);
            }
            // Only the defaults of the root's variables leave it out: `-var` may create it.
            Some((at, why, true)) => Some(Diagnostic::new(
                codes::UNSUPPORTED_CONSTRUCT.code,
                Severity::Info,
                at,
                "",
                format!("{why} with the defaults of the root module's variables: module \"{name}\" is created only when they are set otherwise (`-var`, a `.tfvars` file); it is read as if it were, and every finding in it is only \"not verified\""),
            )),
            None => None,
        };
        // `for_each` or `count` the code fixes: one instance per key, each read with its
        // `each` or `count.index`.
        let keys =
            super::instances(m, b).filter(|(k, _)| self.instances + k.len() <= MAX_INSTANCES);
        if let Some((keys, overridable)) = keys {
            let before = self.configurations.len();
            for k in keys {
                self.instances += 1;
                let caller = Caller {
                    module: m,
                    block: b,
                };
                let mut child = Module::new(
                    self.files,
                    self.bodies,
                    self.given,
                    members.clone(),
                    dir.clone(),
                    Some(caller),
                );
                child.prefix = format!("{}module.{name}{}.", m.prefix, k.address());
                m.with_instance(b, &k, || self.module(&child));
            }
            let said = optional.is_some();
            if let Some(d) = optional {
                self.say(b.file, d);
            }
            if overridable || said {
                if overridable {
                    if let Some(a) = b.item.body.get_attribute("for_each") {
                        let d = Diagnostic::new(
                            codes::UNSUPPORTED_CONSTRUCT.code,
                            Severity::Info,
                            span(a.key.span()),
                            "",
                            format!("`for_each` is expanded with the defaults of the root module's variables: the command line (`-var`, a `.tfvars` file) may make other instances of module \"{name}\", so every finding in them is only \"not verified\""),
                        );
                        self.say(b.file, d);
                    }
                }
                for c in &mut self.configurations[before..] {
                    c.tainted.push(c.root.span);
                    c.tainted.push(c.root.value.span);
                }
            }
            return;
        }
        for meta in ["count", "for_each"] {
            if let Some(a) = b.item.body.get_attribute(meta) {
                let d = Diagnostic::new(
                    codes::UNSUPPORTED_CONSTRUCT.code,
                    Severity::Info,
                    span(a.key.span()),
                    "",
                    format!("`{meta}` is not expanded: module \"{name}\" is read once, with `count.index`/`each` values unknown"),
                );
                self.say(b.file, d);
            }
        }
        self.instances += 1;
        let caller = Caller {
            module: m,
            block: b,
        };
        let child = Module::new(
            self.files,
            self.bodies,
            self.given,
            members,
            dir,
            Some(caller),
        );
        let before = self.configurations.len();
        self.module(&child);
        if let Some(d) = optional {
            self.say(b.file, d);
            for c in &mut self.configurations[before..] {
                c.tainted.push(c.root.span);
                c.tainted.push(c.root.value.span);
            }
        }
    }
}

impl<'m> Module<'m> {
    /// The provider configuration `key` (`aws`, `aws.<alias>`) names in this module, the
    /// module that declares it, and how to name it: a child's own, or the one its caller
    /// passes (`providers = { aws = aws.west }`; without `providers`, the caller's default
    /// configurations are inherited).
    pub(super) fn provider(&self, key: &str) -> Option<(&Module<'m>, At<'m, Block>, String)> {
        if let Some(p) = self.providers.get(key) {
            return Some((self, *p, format!("provider \"{key}\"")));
        }
        let c = self.caller.as_ref()?;
        let outer = match attr(c.block.item, "providers") {
            Some(Expression::Object(o)) => o.iter().find_map(|(k, v)| {
                let inner = match k {
                    ObjectKey::Ident(i) => i.as_str().to_string(),
                    ObjectKey::Expression(e) => hcl::traversal_path(e)?.join("."),
                };
                (inner == key).then(|| hcl::traversal_path(v.expr()).map(|p| p.join(".")))?
            })?,
            Some(_) => return None,
            None if !key.contains('.') => key.to_string(),
            None => return None,
        };
        let (owner, p, what) = c.module.provider(&outer)?;
        let to = self.prefix.trim_end_matches('.');
        Some((owner, p, format!("{what} (passed to {to} as `{key}`)")))
    }

    /// Keys stand for themselves while policies are read, in this module and in its callers
    /// (a key the caller passes is named in the child's policy through `var.*`).
    pub(super) fn set_stand_ins(&self, on: bool) {
        let mut m = Some(self);
        while let Some(x) = m {
            x.stand_ins.set(on);
            m = x.caller.as_ref().map(|c| c.module);
        }
    }

    /// The KMS key resource `e` names, and the module declaring it: `aws_kms_key.k.arn` of
    /// this module, or a `var.*` its caller sets to one of its own keys.
    pub(super) fn key_resource(
        &self,
        e: &Expression,
    ) -> Option<(&Module<'m>, String, At<'m, Block>)> {
        let p = hcl::traversal_path(e)?;
        match p.as_slice() {
            [ty, k, arn] if ty == "aws_kms_key" && arn == "arn" => {
                Some((self, k.clone(), self.resource("aws_kms_key", k)?))
            }
            [var, name] if var == "var" => {
                let c = self.caller.as_ref()?;
                c.module.key_resource(attr(c.block.item, name)?)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_lexically() {
        assert_eq!(dir_of("main.tf"), "");
        assert_eq!(dir_of("modules/replication/main.tf"), "modules/replication");
        assert_eq!(dir_of("./a/../b/x.tf"), "b");
        assert_eq!(dir_of("/abs/dir/main.tf"), "/abs/dir");
        assert_eq!(dir_of("a\\b\\main.tf"), "a/b");
        assert_eq!(join("", "./modules/replication"), "modules/replication");
        assert_eq!(join("modules/a", "../b"), "modules/b");
        assert_eq!(join("", "../shared"), "../shared");
        assert_eq!(join("/x", "../../y"), "/y");
        assert_eq!(join("a", "."), "a");
        assert!(is_local("./m") && is_local("../m") && !is_local("git::https://x"));
        assert!(!is_local("hashicorp/consul/aws") && !is_local("s3::https://b/k.zip"));
    }
}
