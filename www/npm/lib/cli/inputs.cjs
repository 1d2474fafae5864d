"use strict";
// Reading what the command names: files, standard input, the context file, and directories
// (a Terraform module with the local modules it calls, templates, `cdk synth` output).
const { existsSync, readFileSync, readdirSync, statSync } = require("node:fs");
const { dirname, join, relative, resolve, sep } = require("node:path");
const { UsageError } = require("./args.cjs");

let stdinText;
function readInput(file) {
  try {
    if (file === "-") {
      stdinText ??= readFileSync(0, "utf8");
      return { name: "<stdin>", text: stdinText };
    }
    return { name: file, text: readFileSync(file, "utf8") };
  } catch (error) {
    throw new UsageError(`cannot read '${file === "-" ? "standard input" : file}': ${error.code ?? error.message}`);
  }
}

function readContext(file) {
  if (file === undefined) return undefined;
  const { text } = readInput(file);
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the context file '${file}' is not valid JSON: ${error.message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(`the context file '${file}' must hold a JSON object`);
  }
  return value;
}

// What a directory may hold besides Terraform files: templates, plans, documents.
const INPUT = /\.(ya?ml|json|template|xml)$/i;
// A module's files: the native and the JSON syntax (`.tf.json`, `cdktf synth`'s `cdk.tf.json`).
const isTf = (n) => n.endsWith(".tf") || n.endsWith(".tf.json");
// The variable values `terraform plan` reads by itself.
const isTfvars = (n) => /^terraform\.tfvars(\.json)?$/.test(n) || /\.auto\.tfvars(\.json)?$/.test(n);
const MODULE_OPEN = /^\s*module\s+"[^"]*"\s*\{/gm;
const LOCAL_SOURCE = /^\s*source\s*=\s*"(\.\.?\/[^"]*)"/m;

/** The local `source` of each module a `.tf.json` file calls: `"module": {"x": {"source":
 * ...}}`, each level an object or an array of objects (Terraform's JSON syntax). */
function jsonModuleSources(text) {
  let root;
  try {
    root = JSON.parse(text);
  } catch {
    return []; // the checker reports it, positioned
  }
  const objects = (v) => (Array.isArray(v) ? v : [v]).filter((x) => x && typeof x === "object" && !Array.isArray(x));
  const out = [];
  for (const top of objects(root)) {
    for (const byName of objects(top.module)) {
      for (const [name, body] of Object.entries(byName)) {
        if (name === "//") continue;
        for (const b of objects(body)) {
          if (typeof b.source === "string" && /^\.\.?\//.test(b.source)) out.push(b.source);
        }
      }
    }
  }
  return out;
}

/** The local `source` of each `module "x" { ... }` block (remote sources are not on disk):
 * only the block's own lines count, wherever `source` stands among nested blocks, maps,
 * strings and comments. */
function localModuleSources(text, name = "") {
  if (name.endsWith(".json")) return jsonModuleSources(text);
  const out = [];
  for (const open of text.matchAll(MODULE_OPEN)) {
    let depth = 1;
    let own = "";
    let i = open.index + open[0].length;
    while (i < text.length && depth > 0) {
      const c = text[i];
      if (c === '"') {
        const end = skipString(text, i);
        if (depth === 1) own += text.slice(i, end);
        i = end;
        continue;
      }
      if (c === "#" || (c === "/" && text[i + 1] === "/")) {
        const nl = text.indexOf("\n", i);
        i = nl < 0 ? text.length : nl;
        continue;
      }
      if (c === "/" && text[i + 1] === "*") {
        const end = text.indexOf("*/", i + 2);
        i = end < 0 ? text.length : end + 2;
        continue;
      }
      if (c === "{" || c === "[" || c === "(") depth++;
      else if (c === "}" || c === "]" || c === ")") depth--;
      else if (depth === 1) own += c;
      i++;
    }
    const m = own.match(LOCAL_SOURCE);
    if (m) out.push(m[1]);
  }
  return out;
}

/** The index just after the string that opens at `i` (escapes and `${...}` kept inside). */
function skipString(text, i) {
  let j = i + 1;
  let nested = 0;
  while (j < text.length) {
    const c = text[j];
    if (c === "\\") j += 2;
    else if (c === "$" && text[j + 1] === "{") { nested++; j += 2; }
    else if (c === "}" && nested > 0) { nested--; j++; }
    else if (c === '"' && nested === 0) return j + 1;
    else if (c === "\n" && nested === 0) return j; // unterminated: stop at the line's end
    else j++;
  }
  return j;
}
const MAX_MODULE_DEPTH = 8;

/** How far up module sources may lead from module directory `top`: the repository it is in
 * (the nearest directory above with `.git`), else three directories up. `environments/prod`
 * calling `../../modules/replication` is the usual layout; a source leading out of the
 * repository is not read. */
function moduleFence(top) {
  for (let at = top; ; at = dirname(at)) {
    if (existsSync(join(at, ".git"))) return at;
    if (dirname(at) === at) break;
  }
  return dirname(dirname(dirname(top)));
}
const inside = (path, fence) => path === fence || path.startsWith(fence.endsWith(sep) ? fence : fence + sep);

/** The .tf files of the local child modules that module DIR's files (`tf`, names) call,
 * recursively (depth-limited, each directory once, inside `moduleFence`), as paths joined onto
 * DIR so the checker resolves each `source` against its caller's directory. */
function childModuleFiles(dir, tf) {
  const top = resolve(dir);
  const fence = moduleFence(top);
  const seen = new Set([top]);
  const out = [];
  const visit = (at, names, depth) => {
    if (depth >= MAX_MODULE_DEPTH) return;
    for (const n of names.filter(isTf)) {
      let text;
      try {
        text = readFileSync(join(at, n), "utf8");
      } catch {
        continue; // readInput reports it for DIR's own files.
      }
      for (const source of localModuleSources(text, n)) {
        const child = resolve(at, source);
        if (seen.has(child) || !inside(child, fence)) continue;
        seen.add(child);
        let files;
        try {
          files = readdirSync(child).filter(isTf).sort();
        } catch {
          continue; // not a directory: the checker names the module as not given.
        }
        out.push(...files.map((x) => join(dir, relative(top, child), x)));
        visit(child, files, depth + 1);
      }
    }
  };
  visit(top, tf, 0);
  return out;
}

/** `terraform init`'s manifest in DIR (`.terraform/modules/modules.json`) and the .tf files of
 * each module it installed there, as paths joined onto DIR (the checker reads a call's module
 * from the directory the manifest gives it); `[]` when DIR has none. `skip`: paths already
 * gathered. */
function installedModuleFiles(dir, skip) {
  const manifest = join(dir, ".terraform", "modules", "modules.json");
  let modules;
  try {
    modules = JSON.parse(readFileSync(manifest, "utf8")).Modules;
  } catch {
    // None (never initialized), or unreadable: the checker names the modules as not read.
    return [];
  }
  const top = resolve(dir);
  const fence = moduleFence(top);
  const out = [manifest];
  const seen = new Set(skip);
  for (const m of Array.isArray(modules) ? modules : []) {
    if (!m || typeof m.Key !== "string" || m.Key === "" || typeof m.Dir !== "string") continue;
    const at = resolve(top, m.Dir);
    if (!inside(at, fence)) continue;
    let files;
    try {
      files = readdirSync(at).filter(isTf).sort();
    } catch {
      continue; // gone since `terraform init`: the checker says its files are not given.
    }
    for (const x of files) {
      const path = join(dir, relative(top, at), x);
      if (!seen.has(path)) {
        seen.add(path);
        out.push(path);
      }
    }
  }
  return out;
}

/** Whether a file found in a directory is one the checker reads: a CloudFormation template
 * (also SAM and the Serverless Framework's `resources`), a Terraform plan or state, or a
 * replication document. The other JSON and YAML files of a project (package.json, cdk.json,
 * a cloud assembly's asset manifests, CI workflows, ...) are left alone; a file named on the
 * command line is always checked. */
function readsAsInput(text) {
  const head = text.slice(0, 64 * 1024).replace(/^\uFEFF/, "");
  const first = head.trimStart().charAt(0);
  if (first === "<") return /<ReplicationConfiguration[\s>]/.test(head);
  if (first === "{") {
    return (
      /"(AWSTemplateFormatVersion|Resources|ReplicationConfiguration)"\s*:/.test(head) ||
      (/"format_version"\s*:/.test(head) && /"(planned_values|resource_changes|values)"\s*:/.test(head)) ||
      (/"Rules"\s*:/.test(head) && /"Role"\s*:/.test(head))
    );
  }
  return /^[ \t]*["']?(AWSTemplateFormatVersion|Resources)["']?[ \t]*:/m.test(head);
}

/** Nested cloud assemblies a `cdk synth` manifest names (CDK Stages: `assembly-<stage>/`),
 * as directories inside `dir`. */
function nestedAssemblies(dir, manifest) {
  let artifacts;
  try {
    artifacts = JSON.parse(manifest.text).artifacts;
  } catch {
    return [];
  }
  const top = resolve(dir);
  const out = [];
  for (const a of Object.values(artifacts ?? {})) {
    const name = a?.type === "cdk:cloud-assembly" ? a.properties?.directoryName : undefined;
    if (typeof name !== "string") continue;
    const at = resolve(top, name);
    if (at.startsWith(top + sep)) out.push(join(dir, relative(top, at)));
  }
  return out;
}

/** The groups directory `dir` holds, appended to `groups`; nested cloud assemblies (`depth`
 * deep at most) included. `module: false` leaves out its Terraform files (a module another
 * directory calls, read through that call). Returns how many it added. */
function gatherDirectory(dir, groups, depth, { module = true } = {}) {
  const before = groups.length;
  const names = readdirSync(dir).sort();
  // A module: its .tf and .tf.json files, and the variable values `terraform plan` reads by itself.
  const tf = names.filter((n) => isTf(n) || isTfvars(n));
  if (module && tf.some(isTf)) {
    const paths = [...tf.map((n) => join(dir, n)), ...childModuleFiles(dir, tf)];
    paths.push(...installedModuleFiles(dir, paths));
    groups.push({ kind: "terraform", inputs: paths.map((p) => readInput(p)) });
  }
  // `cdk synth` output: manifest.json gives each stack template its Region and account.
  const manifest = names.includes("manifest.json") ? readInput(join(dir, "manifest.json")) : null;
  const candidates = names.filter((n) => INPUT.test(n) && !isTf(n) && !isTfvars(n) && n !== "manifest.json" && n !== "tree.json");
  for (const n of candidates) {
    let input;
    try {
      if (!statSync(join(dir, n)).isFile()) continue;
      input = readInput(join(dir, n));
    } catch {
      continue;
    }
    if (!readsAsInput(input.text)) continue;
    groups.push({ inputs: manifest ? [input, manifest] : [input] });
  }
  if (manifest && depth < MAX_ASSEMBLY_DEPTH) {
    for (const nested of nestedAssemblies(dir, manifest)) {
      try {
        gatherDirectory(nested, groups, depth + 1);
      } catch {
        // A stage directory missing or unreadable: the others are still checked.
      }
    }
  }
  return groups.length - before;
}
const MAX_ASSEMBLY_DEPTH = 4;

// Bounds of a recursive walk: a huge or looping tree ends with what was found so far.
const MAX_TREE_DEPTH = 16;
const MAX_TREE_DIRS = 5000;
/** Directories a recursive walk does not enter: dependencies, VCS data, Terraform's own
 * working data (installed modules are read through `.terraform/modules/modules.json`). */
const skipInTree = (name) => name.startsWith(".") || name === "node_modules";

/** `check -r DIR`: every directory below `dir` (skipping `skipInTree`). Each Terraform root
 * module (a directory no other directory of the tree calls) is one group with the modules it
 * calls; the modules it calls add only their templates; each template, plan or document is
 * one group; a cdk.out is read with its nested Stages and not walked further. */
function gatherTree(dir, groups) {
  const dirs = [];
  const walk = (at, depth) => {
    if (dirs.length >= MAX_TREE_DIRS) return;
    let entries;
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch {
      return;
    }
    const names = entries.map((e) => e.name);
    const tf = names.filter(isTf);
    const cdk = names.includes("manifest.json") && isCloudAssembly(join(at, "manifest.json"));
    dirs.push({ at, tf, cdk });
    if (cdk || depth >= MAX_TREE_DEPTH) return;
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory() && !skipInTree(e.name)) walk(join(at, e.name), depth + 1);
    }
  };
  walk(dir, 0);
  // The static call graph between the tree's module directories.
  const called = new Set();
  for (const { at, tf } of dirs) {
    for (const n of tf) {
      let text;
      try {
        text = readFileSync(join(at, n), "utf8");
      } catch {
        continue;
      }
      for (const source of localModuleSources(text, n)) {
        const child = resolve(at, source);
        if (child !== resolve(at)) called.add(child);
      }
    }
  }
  const before = groups.length;
  for (const { at } of dirs) gatherDirectory(at, groups, 0, { module: !called.has(resolve(at)) });
  return groups.length - before;
}

/** Whether `file` is a `cdk synth` cloud assembly manifest. */
function isCloudAssembly(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8")).artifacts !== undefined;
  } catch {
    return false;
  }
}

/** FILE and DIR arguments -> groups checked together: a directory's .tf and .tf.json files are one module,
 * read with the local child modules it calls and the modules `terraform init` installed; each
 * template, plan or document in it on its own (the other files of a project are skipped); a
 * cdk.out's stacks with their environments, nested Stages included. */
function gatherInputs(args, { recursive = false } = {}) {
  const groups = [];
  for (const arg of args) {
    let isDir = false;
    try {
      isDir = arg !== "-" && statSync(arg).isDirectory();
    } catch {
      // readInput reports a missing file.
    }
    if (!isDir) {
      groups.push({ inputs: [readInput(arg)] });
      continue;
    }
    if ((recursive ? gatherTree(arg, groups) : gatherDirectory(arg, groups, 0)) === 0) {
      throw new UsageError(
        `'${arg}' holds no .tf or .tf.json file, template (.yaml, .yml, .json, .template), plan or replication document`,
      );
    }
  }
  return groups;
}

module.exports = { readInput, readContext, gatherInputs };
