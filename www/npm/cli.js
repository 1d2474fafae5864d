#!/usr/bin/env node
// The `s3-replication-lint` command. It reads files, calls the package API and prints what
// the core renders; it decides nothing about documents itself.
//
// Exit codes: 0 = no errors, 1 = errors found (or the document could not be read),
// 2 = usage or I/O problem (the message says which).
import { readFileSync, writeFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { createRequire } from "node:module";

// The module (its compile is most of a cold start) loads on the first use of the API, so
// `--help` and `--version` do not pay for it.
let loaded = null;
const VERSION = createRequire(import.meta.url)("./package.json").version;
const api = new Proxy({}, { get: (_, name) => (loaded ??= createRequire(import.meta.url)("./node/index.cjs"))[name] });
const PROG = "s3-replication-lint";

class UsageError extends Error {}

const HELP = {
  main: `${PROG} ${VERSION}: lint Amazon S3 replication configurations and generate the
IAM, KMS and bucket policies they need.

Usage: ${PROG} <command> [options] [FILE...]

Commands:
  check      check configurations (XML, AWS CLI JSON, CloudFormation, Terraform, plans)
  policies   generate the policies a configuration needs
  audit      compare your policies with what a configuration needs
  simulate   follow one object through the rules: replicated where, how, by which rule
  explain    describe what a configuration replicates, in plain language
  convert    convert between XML and AWS CLI JSON, or a template/module to either
  rules      list the rules, or show the documentation of one

Options:
  -h, --help      show help (also after a command: ${PROG} check --help)
  -V, --version   print the version

A FILE of "-" reads standard input. Exit codes: 0 no errors, 1 errors found,
2 usage or I/O problem.`,
  check: `Usage: ${PROG} check [--context FILE] [--format text|json|sarif] [--input KIND] FILE|DIR...

Check each FILE: an XML PutBucketReplication body, AWS CLI JSON, a CloudFormation template
(YAML or JSON, also cdk.out/*.template.json), a Terraform file or a Terraform plan
(terraform show -json). A DIR is a Terraform module (all its .tf files) plus each template
in it. "-" = stdin. Facts the code states (Regions, versioning, Bucket Keys, ...) are read
from it; --context overrides them.

Options:
  --context FILE    deployment context (JSON: Regions, accounts, keys, ...)
  --format FORMAT   text (code frames, default), json (array of diagnostics, each with
                    "file", and "configuration" for templates and modules), sarif
                    (SARIF 2.1.0 for GitHub code scanning)
  --input KIND      read every FILE as xml, json, cloudformation, terraform or
                    terraform-plan instead of detecting it
  -h, --help        show this help

Exit codes: 0 no errors (warnings allowed), 1 at least one error, 2 usage or I/O problem.`,
  policies: `Usage: ${PROG} policies [--context FILE] [--as json|terraform|cloudformation]
                              [--out DIR] FILE|DIR

Generate the role permissions, trust, KMS key and destination bucket policies FILE needs.
Prints the policy set as JSON, or with --out writes one <kind>.json per document to DIR.
With --as terraform or cloudformation: the same policies as code (policies.tf, or the
template policies.yaml, with --out), with variables or parameters for what is unknown.
For a template, Terraform module (DIR) or plan: one policy set per configuration, from the
facts the code states (--context overrides them); with several, JSON is one object keyed by
configuration and --out writes one subdirectory per configuration.

Options:
  --context FILE    deployment context (fills in what the document does not say)
  --as FORMAT       json (default), terraform or cloudformation
  --out DIR         write the documents to DIR (created if missing)
  -h, --help        show this help`,
  audit: `Usage: ${PROG} audit [--context FILE] [--role FILE] [--trust FILE]
                            [--key-policy FILE]... [--bucket-policy FILE]
                            [--format text|json|sarif] FILE

Compare your existing policies (JSON files) with what the configuration FILE needs.

Options:
  --role FILE            permissions policy of the replication role
  --trust FILE           trust policy of the replication role
  --key-policy FILE      key policy of a source or replica KMS key (repeatable)
  --bucket-policy FILE   bucket policy of the destination bucket
  --context FILE         deployment context
  --format FORMAT        text (default), json or sarif
  -h, --help             show this help

Exit codes: 0 no errors, 1 errors found (or FILE unreadable as a configuration), 2 usage.`,
  convert: `Usage: ${PROG} convert --to xml|json [--input KIND] FILE|DIR

Convert FILE to canonical S3 XML or to AWS CLI JSON and print it. A CloudFormation template,
Terraform file or directory (module) or plan is written as the document each of its
configurations deploys; values the code does not fix appear as \${expression}. With several
configurations, XML documents follow one another, each after a comment naming it, and JSON is
one object keyed by configuration.

Options:
  --to FORMAT   xml or json (required)
  --input KIND  read FILE as cloudformation, terraform or terraform-plan
  -h, --help    show this help

Exit codes: 0 converted, 1 the document has errors that block conversion, 2 usage.`,
  simulate: `Usage: ${PROG} simulate --key KEY [--tag KEY=VALUE]... [--encryption ENC]
                               [--delete-marker] [--replica] [--context FILE]
                               [--format text|json] [--configuration ADDRESS] FILE|DIR

Follow one object through the rules of the configuration FILE ("-" = stdin; a template,
Terraform module DIR or plan is read as the configuration it deploys): for each
destination bucket, whether the object is replicated, by which rule (and which other rules
also matched and lost), with what storage class, replica key, owner and RTC; for each rule,
whether it matched and why (not).

Options:
  --key KEY           the object key (required)
  --tag KEY=VALUE     a tag the object had when it was uploaded (repeatable)
  --encryption ENC    none (default), SSE-S3, SSE-KMS, DSSE-KMS or SSE-C
  --delete-marker     the version is a delete marker
  --replica           the object was itself written by replication
  --context FILE      deployment context (Regions and accounts of the buckets, ...)
  --format FORMAT     text (default) or json (the API's Simulation object)
  --configuration ADDRESS  which configuration of a template or module (when several)
  -h, --help          show this help

Exit codes: 0 simulated (whatever the answer), 1 FILE is not a readable configuration,
2 usage or I/O problem.`,
  explain: `Usage: ${PROG} explain [--context FILE] [--format text|json] [--configuration ADDRESS] FILE|DIR

Describe the configuration FILE ("-" = stdin; a template, Terraform module DIR or plan is
read as the configuration it deploys) in plain language: one sentence per rule, destination
by destination, then what no rule replicates.

Options:
  --context FILE      deployment context (Regions and accounts of the buckets, ...)
  --format FORMAT     text (default) or json (the API's Explanation object)
  --configuration ADDRESS  which configuration of a template or module (when several)
  -h, --help          show this help

Exit codes: 0 explained, 1 FILE is not a readable configuration, 2 usage or I/O problem.`,
  rules: `Usage: ${PROG} rules [--format text|json] [CODE]

List every rule (code, severity, name, summary), or print the documentation of CODE
(a code such as S3R201 or a rule name).

Options:
  --format FORMAT   text (default) or json
  -h, --help        show this help`,
};

/** Parse `argv` against `spec` ({ name: "value" | "flag" | "list" }). */
function parseArgs(argv, spec) {
  const opts = {};
  const files = [];
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyFiles || arg === "-" || !arg.startsWith("-")) {
      files.push(arg);
      continue;
    }
    if (arg === "--") {
      onlyFiles = true;
      continue;
    }
    if (arg === "-h" || arg === "--help") {
      opts.help = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") ? arg.slice(2, eq === -1 ? undefined : eq) : null;
    const kind = name === null ? undefined : spec[name];
    if (kind === undefined) throw new UsageError(`unknown option '${arg}'`);
    if (kind === "flag") {
      if (eq !== -1) throw new UsageError(`option '--${name}' takes no value`);
      opts[name] = true;
      continue;
    }
    let value;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new UsageError(`option '--${name}' needs a value`);
    if (kind === "list") (opts[name] ??= []).push(value);
    else if (name in opts) throw new UsageError(`option '--${name}' given twice`);
    else opts[name] = value;
  }
  return { opts, files };
}

function oneOf(value, allowed, option) {
  if (value === undefined) return undefined;
  if (!allowed.includes(value)) {
    throw new UsageError(`invalid value '${value}' for --${option}: expected ${allowed.join(", ")}`);
  }
  return value;
}

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

/** Wrap API errors caused by bad arguments (invalid context fields, ...) as usage errors. */
function usageOnError(fn) {
  try {
    return fn();
  } catch (error) {
    if (error instanceof api.DocumentError || error instanceof api.InternalError) throw error;
    throw new UsageError(error.message);
  }
}

const color = () => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const out = (s) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`);
const hasErrors = (diagnostics) => diagnostics.some((d) => d.severity === "error");

/** Print diagnostics grouped by file: reports = [{ file, text, diagnostics }]. */
function printReports(reports, format) {
  const all = reports.flatMap((r) => r.diagnostics);
  if (format === "json") {
    out(JSON.stringify(reports.flatMap((r) => r.diagnostics.map((d) => ({ file: r.file, ...d }))), null, 2));
  } else if (format === "sarif") {
    out(api.renderSarif(reports));
  } else {
    for (const r of reports) {
      if (r.diagnostics.length > 0) out(api.renderText(r.text, r.file, r.diagnostics, color()));
    }
    const files = reports.length === 1 ? reports[0].file : `${reports.length} files`;
    out(all.length === 0 ? `${files}: no problems found` : `${files}: ${api.renderSummary(all)}`);
  }
  return hasErrors(all) ? 1 : 0;
}

const TEMPLATE = /\.(ya?ml|json|template)$/i;
const MODULE_OPEN = /^\s*module\s+"[^"]*"\s*\{/gm;
const LOCAL_SOURCE = /^\s*source\s*=\s*"(\.\.?\/[^"]*)"/m;

/** The local `source` of each `module "x" { ... }` block (remote sources are not on disk):
 * only the block's own lines count, wherever `source` stands among nested blocks, maps,
 * strings and comments. */
function localModuleSources(text) {
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

/** The .tf files of the local child modules that module DIR's files (`tf`, names) call,
 * recursively (depth-limited, each directory once, inside DIR's parent), as paths joined onto
 * DIR so the checker resolves each `source` against its caller's directory. */
function childModuleFiles(dir, tf) {
  const top = resolve(dir);
  const fence = dirname(top);
  const seen = new Set([top]);
  const out = [];
  const visit = (at, names, depth) => {
    if (depth >= MAX_MODULE_DEPTH) return;
    for (const n of names.filter((x) => x.endsWith(".tf"))) {
      let text;
      try {
        text = readFileSync(join(at, n), "utf8");
      } catch {
        continue; // readInput reports it for DIR's own files.
      }
      for (const source of localModuleSources(text)) {
        const child = resolve(at, source);
        if (seen.has(child) || !(child === fence || child.startsWith(fence + sep))) continue;
        seen.add(child);
        let files;
        try {
          files = readdirSync(child).filter((x) => x.endsWith(".tf")).sort();
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

/** FILE and DIR arguments -> groups checked together: a directory's .tf files are one module,
 * read with the local child modules it calls. */
function gatherInputs(args) {
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
    const names = readdirSync(arg).sort();
    // A module: its .tf files, and the variable values `terraform plan` reads by itself.
    const tf = names.filter((n) => n.endsWith(".tf") || n === "terraform.tfvars" || n.endsWith(".auto.tfvars"));
    const templates = names.filter((n) => TEMPLATE.test(n) && !n.endsWith(".tf.json") && n !== "manifest.json" && n !== "tree.json");
    if (tf.length === 0 && templates.length === 0) {
      throw new UsageError(`'${arg}' holds no .tf file and no template (.yaml, .yml, .json, .template)`);
    }
    if (tf.some((n) => n.endsWith(".tf"))) {
      const paths = [...tf.map((n) => join(arg, n)), ...childModuleFiles(arg, tf)];
      groups.push({ kind: "terraform", inputs: paths.map((p) => readInput(p)) });
    }
    // `cdk synth` output: manifest.json gives each stack template its Region and account.
    const manifest = names.includes("manifest.json") ? readInput(join(arg, "manifest.json")) : null;
    for (const n of templates) {
      groups.push({ inputs: manifest ? [readInput(join(arg, n)), manifest] : [readInput(join(arg, n))] });
    }
  }
  return groups;
}

/** Merge SARIF logs into one run: results concatenated, rule descriptors once each. */
function mergeSarif(logs) {
  const [first, ...rest] = logs.map((l) => JSON.parse(l));
  const run = first.runs[0];
  const ids = new Set((run.tool.driver.rules ?? []).map((r) => r.id));
  for (const log of rest) {
    const other = log.runs[0];
    for (const r of other.tool.driver.rules ?? []) {
      if (!ids.has(r.id)) {
        ids.add(r.id);
        run.tool.driver.rules.push(r);
      }
    }
    run.results.push(...(other.results ?? []));
    if (other.artifacts) run.artifacts = [...(run.artifacts ?? []), ...other.artifacts];
  }
  return JSON.stringify(first, null, 2);
}

function cmdCheck(argv) {
  const { opts, files } = parseArgs(argv, { context: "value", format: "value", input: "value" });
  if (opts.help) return out(HELP.check), 0;
  const format = oneOf(opts.format, ["text", "json", "sarif"], "format") ?? "text";
  const input = oneOf(opts.input, ["xml", "json", "cloudformation", "terraform", "terraform-plan"], "input");
  if (files.length === 0) throw new UsageError("check needs at least one FILE (or - for stdin)");
  const context = readContext(opts.context);
  const reports = [];
  const rendered = [];
  let errors = false;
  for (const group of gatherInputs(files)) {
    const first = group.inputs[0];
    const kind =
      input === "xml" || input === "json" ? "api" : (input ?? group.kind ?? api.detectInput(first.name, first.text));
    if (kind === "api") {
      const result = usageOnError(() => api.check(first.text, { format: input ?? "auto", context }));
      reports.push({ file: first.name, text: first.text, diagnostics: result.diagnostics });
      continue;
    }
    const render = format === "text" ? (color() ? "text-color" : "text") : format;
    const result = usageOnError(() =>
      api.checkFiles(
        group.inputs.map(({ name, text }) => ({ path: name, text })),
        { format: kind, context, render },
      ),
    );
    const all = [
      ...result.configurations.flatMap((c) => [...c.diagnostics, ...c.audits.flatMap((a) => a.diagnostics)]),
      ...result.files.flatMap((f) => f.diagnostics),
    ];
    errors ||= hasErrors(all);
    rendered.push(result.rendered);
  }
  if (rendered.length === 0) return printReports(reports, format);
  if (format === "json") {
    const api_ = reports.flatMap((r) => r.diagnostics.map((d) => ({ file: r.file, ...d })));
    out(JSON.stringify([...api_, ...rendered.flatMap((r) => JSON.parse(r))], null, 2));
  } else if (format === "sarif") {
    const logs = reports.length > 0 ? [api.renderSarif(reports), ...rendered] : rendered;
    out(logs.length === 1 ? logs[0] : mergeSarif(logs));
  } else {
    if (reports.length > 0) errors = printReports(reports, format) === 1 || errors;
    for (const r of rendered) out(r);
  }
  return errors || reports.some((r) => hasErrors(r.diagnostics)) ? 1 : 0;
}

function onlyFile(files, command) {
  if (files.length !== 1) {
    throw new UsageError(`${command} needs exactly one FILE, got ${files.length}`);
  }
  return readInput(files[0]);
}

/** A DocumentError: show why the configuration could not be read; exit 1. */
function documentFailed(error, input) {
  process.stderr.write(`${api.renderText(input.text, input.name, error.diagnostics, Boolean(process.stderr.isTTY) && !process.env.NO_COLOR)}\n`);
  process.stderr.write(`${input.name}: ${error.message}\n`);
  return 1;
}

/** Print a policy set, or write its documents to `dir`; then its placeholders and notes. */
function emitPolicies(set, dir) {
  if (dir === undefined) {
    out(JSON.stringify(set, null, 2));
  } else {
    try {
      mkdirSync(dir, { recursive: true });
      const seen = new Map();
      for (const doc of set.documents) {
        const n = (seen.get(doc.kind) ?? 0) + 1;
        seen.set(doc.kind, n);
        const path = join(dir, `${doc.kind}${n > 1 ? `-${n}` : ""}.json`);
        writeFileSync(path, doc.text.endsWith("\n") ? doc.text : `${doc.text}\n`);
        out(`${path}: ${doc.title}`);
      }
    } catch (error) {
      throw new UsageError(`cannot write to '${dir}': ${error.code ?? error.message}`);
    }
  }
  for (const p of set.placeholders) {
    process.stderr.write(`note: ${p.token} stands for ${p.what}; ${p.howToFill}\n`);
  }
  for (const n of set.notes) process.stderr.write(`${n.severity}: ${n.message}\n`);
}

/** Print policies as code, or write them to `dir` as policies.tf / policies.yaml. */
function emitCode(code, as, dir) {
  if (dir === undefined) return out(code);
  const path = join(dir, as === "terraform" ? "policies.tf" : "policies.yaml");
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, code);
  } catch (error) {
    throw new UsageError(`cannot write to '${dir}': ${error.code ?? error.message}`);
  }
  out(path);
}

/**
 * Templates, modules and plans as code: each configuration's deployed document, with the
 * context its code states and the bindings to its resources when the check names them.
 */
function emitConfigurations(files, kind, sets, as, dir) {
  const converted = usageOnError(() => api.convertFiles(files, { format: kind, to: "json" }));
  let failed = 0;
  const codes = [];
  for (const c of sets) {
    const doc = converted.configurations.find((d) => d.address === c.address && d.file === c.file);
    if (!doc || doc.text === undefined) {
      process.stderr.write(`${c.file}: ${c.address}: cannot be converted to a document, so no code is emitted\n`);
      failed++;
      continue;
    }
    const bindings = Array.isArray(c.bindings) ? c.bindings : undefined;
    codes.push([c, usageOnError(() => api.emitPolicies(doc.text, { to: as, context: c.context, bindings }))]);
  }
  for (const [c, code] of codes) {
    if (codes.length === 1 && sets.length === 1) emitCode(code, as, dir);
    // Both languages comment with `#`: one file per configuration would be clearer; --out does that.
    else if (dir === undefined) out(`# ${c.address} (${c.file})\n${code}`);
    else emitCode(code, as, join(dir, c.address.replace(/[^A-Za-z0-9._-]/g, "_")));
  }
  return failed ? 1 : 0;
}

function cmdPolicies(argv) {
  const { opts, files } = parseArgs(argv, { context: "value", out: "value", as: "value" });
  if (opts.help) return out(HELP.policies), 0;
  const as = oneOf(opts.as, ["json", "terraform", "cloudformation"], "as") ?? "json";
  const context = readContext(opts.context);
  if (files.length !== 1) throw new UsageError(`policies needs exactly one FILE, got ${files.length}`);
  const groups = gatherInputs(files);
  const group = groups.find((g) => g.kind === "terraform") ?? groups[0];
  const input = group.inputs[0];
  const kind = group.kind ?? api.detectInput(input.name, input.text);
  if (kind !== "api") {
    const result = usageOnError(() =>
      api.checkFiles(group.inputs.map(({ name, text }) => ({ path: name, text })), { format: kind, context, policies: true }),
    );
    const sets = result.configurations.filter((c) => c.policies);
    if (sets.length === 0) {
      process.stderr.write(`${input.name}: no replication configuration to derive policies from\n`);
      return 1;
    }
    if (as !== "json") {
      return emitConfigurations(group.inputs.map(({ name, text }) => ({ path: name, text })), kind, sets, as, opts.out);
    }
    if (sets.length === 1) {
      emitPolicies(sets[0].policies, opts.out);
    } else if (opts.out === undefined) {
      out(JSON.stringify(Object.fromEntries(sets.map((c) => [c.address, c.policies])), null, 2));
    } else {
      for (const c of sets) emitPolicies(c.policies, join(opts.out, c.address.replace(/[^A-Za-z0-9._-]/g, "_")));
    }
    return 0;
  }
  let set;
  try {
    if (as !== "json") {
      emitCode(usageOnError(() => api.emitPolicies(input.text, { to: as, context })), as, opts.out);
      return 0;
    }
    set = usageOnError(() => api.generatePolicies(input.text, context));
  } catch (error) {
    if (error instanceof api.DocumentError) return documentFailed(error, input);
    throw error;
  }
  emitPolicies(set, opts.out);
  return 0;
}

function cmdAudit(argv) {
  const { opts, files } = parseArgs(argv, {
    context: "value",
    role: "value",
    trust: "value",
    "key-policy": "list",
    "bucket-policy": "value",
    format: "value",
  });
  if (opts.help) return out(HELP.audit), 0;
  const format = oneOf(opts.format, ["text", "json", "sarif"], "format") ?? "text";
  const context = readContext(opts.context);
  const input = onlyFile(files, "audit");
  const given = [];
  const policy = (file, path) => {
    if (file === undefined) return undefined;
    const read = readInput(file);
    given.push({ path, ...read });
    return read.text;
  };
  const policies = {
    role: policy(opts.role, "/role"),
    trust: policy(opts.trust, "/trust"),
    keyPolicies: (opts["key-policy"] ?? []).map((f, i) => policy(f, `/keyPolicies/${i}`)),
    bucketPolicy: policy(opts["bucket-policy"], "/bucketPolicy"),
  };
  if (given.length === 0) {
    throw new UsageError("audit needs at least one of --role, --trust, --key-policy, --bucket-policy");
  }
  let diagnostics;
  try {
    diagnostics = usageOnError(() => api.auditPolicies(input.text, policies, context));
  } catch (error) {
    if (error instanceof api.DocumentError) return documentFailed(error, input);
    throw error;
  }
  // Each diagnostic points into the policy its path names.
  const owner = (d) =>
    given.find((g) => d.path === g.path || d.path.startsWith(`${g.path}/`)) ?? { name: input.name, text: input.text };
  const reports = [];
  for (const d of diagnostics) {
    const { name, text } = owner(d);
    let r = reports.find((x) => x.file === name);
    if (!r) reports.push((r = { file: name, text, diagnostics: [] }));
    r.diagnostics.push(d);
  }
  if (reports.length === 0) reports.push({ file: input.name, text: input.text, diagnostics: [] });
  return printReports(reports, format);
}

const ENCRYPTIONS = ["none", "SSE-S3", "SSE-KMS", "DSSE-KMS", "SSE-C"];

/** `KEY=VALUE` (the value may be empty or contain `=`) -> [KEY, VALUE]. */
function tagOption(spec) {
  const eq = spec.indexOf("=");
  if (eq <= 0) throw new UsageError(`invalid --tag '${spec}': expected KEY=VALUE`);
  return [spec.slice(0, eq), spec.slice(eq + 1)];
}

/** Says on stderr when S3 would reject the document: the answer assumes it was accepted. */
function warnIfRejected(input, context) {
  const { diagnostics } = usageOnError(() => api.check(input.text, { context }));
  const n = diagnostics.filter((d) => d.severity === "error").length;
  if (n > 0) {
    process.stderr.write(
      `warning: ${input.name} has ${n} error${n === 1 ? "" : "s"} (run '${PROG} check'); the answer assumes S3 accepted it as written\n`,
    );
  }
}

/** Run `fn` (an API call needing a readable document); a DocumentError exits 1. */
function withDocument(input, fn) {
  try {
    return { value: usageOnError(fn) };
  } catch (error) {
    if (error instanceof api.DocumentError) return { status: documentFailed(error, input) };
    throw error;
  }
}

const upperFirst = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const ruleName = (r) => (r.id ? `rule \`${r.id}\`` : `rule #${r.index + 1}`);
const priorityOf = (r) => (r.priority === null ? "no priority" : `priority ${r.priority}`);
const FACT_SOURCES = {
  context: "from the deployment context",
  roleArn: "inferred from the Role ARN",
  accountElement: "inferred from the Destination's Account element",
  bucketArn: "inferred from the bucket ARN",
  bucketName: "inferred from the account-regional bucket name",
  keyArn: "inferred from the KMS key ARN",
};
const REASONS = {
  replicates: "replicates the object",
  lowerPriority: "matches, but a higher-priority rule governs",
  ruleDisabled: "disabled",
  prefixMismatch: "prefix does not match",
  tagMismatch: "tags do not match",
  excludedByNot: "excluded by Not",
  kmsNotSelected: "KMS-encrypted objects not selected",
  deleteMarkerNotReplicated: "does not replicate this delete marker",
  replicaNotReplicated: "matches, but replicas are not replicated again",
  invalidRule: "invalid rule",
};

/** `(us-west-2 from the deployment context, account 4444... inferred from ...)` or "". */
function where(d) {
  const parts = [];
  if (d.region) parts.push(`Region ${d.region.value} ${FACT_SOURCES[d.region.source] ?? ""}`.trim());
  if (d.account) parts.push(`account ${d.account.value} ${FACT_SOURCES[d.account.source] ?? ""}`.trim());
  return parts.length ? ` (${parts.join("; ")})` : "";
}

function describeObject(o) {
  const facts = [o.tags.length ? `tags ${o.tags.map(([k, v]) => `${k}=${v}`).join(", ")}` : "no tags"];
  facts.push(o.encryption === "none" ? "not encrypted" : `encrypted with ${o.encryption}`);
  if (o.isReplica) facts.push("itself a replica");
  return `${o.deleteMarker ? "Delete marker" : "Object"} \`${o.key}\` (${facts.join("; ")})`;
}

function simulationText(sim, object, file) {
  const lines = [`${describeObject(object)} in ${file}`, ""];
  if (sim.destinations.length === 0) lines.push("No rule names a destination bucket.", "");
  for (const d of sim.destinations) {
    const verdict = d.replicated ? "REPLICATED" : "NOT REPLICATED";
    const by = d.rule !== null || d.ruleIndex !== null ? ` by ${ruleName({ id: d.rule, index: d.ruleIndex })} (${priorityOf(d)})` : "";
    lines.push(`${d.name}${where(d)}: ${verdict}${d.replicated ? by : ""}`);
    lines.push(`  ${d.detail}`);
    for (const a of d.alsoMatched) lines.push(`  also matched: ${ruleName(a)} (${priorityOf(a)}): ${REASONS[a.reason] ?? a.reason}`);
    lines.push("");
  }
  lines.push("Rules:");
  for (const r of sim.rules) {
    const to = r.destination === null ? "" : ` -> ${r.destination}`;
    lines.push(`  ${r.matched ? "+" : "-"} ${ruleName(r)} (${priorityOf(r)})${to}: ${REASONS[r.reason] ?? r.reason}`);
    // The governing rule's detail is its destination's answer, printed above.
    if (r.reason !== "replicates") lines.push(`      ${upperFirst(r.detail)}`);
  }
  if (sim.notes.length) {
    lines.push("", "Notes:");
    for (const n of sim.notes) lines.push(`  - ${n}`);
  }
  return lines.join("\n");
}

/**
 * The one document `simulate` and `explain` read: an API document as it is, or the single
 * configuration of a template, module or plan as it deploys (`--configuration` picks one of
 * several), with the context its code states (overridden field by field by --context).
 */
function oneDocument(files, command, context, address) {
  if (files.length !== 1) throw new UsageError(`${command} needs exactly one FILE, got ${files.length}`);
  const groups = gatherInputs(files);
  const group = groups.find((g) => g.kind === "terraform") ?? groups[0];
  const first = group.inputs[0];
  const kind = group.kind ?? api.detectInput(first.name, first.text);
  if (kind === "api") return { input: first, context };
  const src = group.inputs.map(({ name, text }) => ({ path: name, text }));
  const checked = usageOnError(() => api.checkFiles(src, { format: kind, context }));
  const converted = usageOnError(() => api.convertFiles(src, { format: kind, to: "json" }));
  const all = converted.configurations;
  const picked = all.filter((c) => address === undefined || c.address === address);
  if (picked.length === 0) {
    throw new UsageError(
      address === undefined
        ? `'${first.name}' holds no replication configuration`
        : `no configuration '${address}' in '${first.name}' (found: ${all.map((c) => c.address).join(", ") || "none"})`,
    );
  }
  if (picked.length > 1) {
    throw new UsageError(`'${first.name}' holds ${picked.length} configurations; pick one with --configuration ADDRESS (${picked.map((c) => c.address).join(", ")})`);
  }
  const c = picked[0];
  if (c.text === undefined) {
    for (const d of c.diagnostics) process.stderr.write(`${c.file}:${d.range.start.line}:${d.range.start.column}: ${d.code} ${d.message}\n`);
    return { status: 1 };
  }
  if (c.unknowns > 0) {
    process.stderr.write(`note: ${c.address}: ${c.unknowns} value(s) are not known until deployment; they are read as the text \${...}\n`);
  }
  const stated = checked.configurations.find((x) => x.address === c.address)?.context;
  return { input: { name: `${c.file} (${c.address})`, text: c.text }, context: stated ?? context };
}

function cmdSimulate(argv) {
  const { opts, files } = parseArgs(argv, {
    key: "value",
    tag: "list",
    encryption: "value",
    "delete-marker": "flag",
    replica: "flag",
    context: "value",
    format: "value",
    configuration: "value",
  });
  if (opts.help) return out(HELP.simulate), 0;
  const format = oneOf(opts.format, ["text", "json"], "format") ?? "text";
  const encryption = oneOf(opts.encryption, ENCRYPTIONS, "encryption") ?? "none";
  if (opts.key === undefined) throw new UsageError("simulate needs --key KEY (the object key)");
  const object = {
    key: opts.key,
    tags: (opts.tag ?? []).map(tagOption),
    encryption,
    deleteMarker: opts["delete-marker"] === true,
    isReplica: opts.replica === true,
  };
  const doc = oneDocument(files, "simulate", readContext(opts.context), opts.configuration);
  if (doc.status !== undefined) return doc.status;
  const { input, context } = doc;
  const { value: sim, status } = withDocument(input, () => api.simulate(input.text, object, context));
  if (sim === undefined) return status;
  warnIfRejected(input, context);
  out(format === "json" ? JSON.stringify(sim, null, 2) : simulationText(sim, object, input.name));
  return 0;
}

function explanationText(ex) {
  const lines = [];
  const [opening, ...rest] = ex.summary;
  if (opening !== undefined) lines.push(opening, "");
  for (const s of rest) lines.push(`- ${s}`);
  if (ex.gaps.length) {
    lines.push("", "Not replicated:");
    for (const g of ex.gaps) lines.push(`- ${g}`);
  }
  return lines.join("\n");
}

function cmdExplain(argv) {
  const { opts, files } = parseArgs(argv, { context: "value", format: "value", configuration: "value" });
  if (opts.help) return out(HELP.explain), 0;
  const format = oneOf(opts.format, ["text", "json"], "format") ?? "text";
  const doc = oneDocument(files, "explain", readContext(opts.context), opts.configuration);
  if (doc.status !== undefined) return doc.status;
  const { input, context } = doc;
  const { value: ex, status } = withDocument(input, () => api.explain(input.text, context));
  if (ex === undefined) return status;
  warnIfRejected(input, context);
  out(format === "json" ? JSON.stringify(ex, null, 2) : explanationText(ex));
  return 0;
}

function cmdConvert(argv) {
  const { opts, files } = parseArgs(argv, { to: "value", input: "value" });
  if (opts.help) return out(HELP.convert), 0;
  const to = oneOf(opts.to, ["xml", "json"], "to");
  if (to === undefined) throw new UsageError("convert needs --to xml or --to json");
  const kindOption = oneOf(opts.input, ["cloudformation", "terraform", "terraform-plan"], "input");
  if (files.length !== 1) throw new UsageError(`convert needs exactly one FILE, got ${files.length}`);
  const groups = gatherInputs(files);
  const group = groups.find((g) => g.kind === "terraform") ?? groups[0];
  const first = group.inputs[0];
  const kind = kindOption ?? group.kind ?? api.detectInput(first.name, first.text);
  if (kind === "api") {
    try {
      out(api.convert(first.text, to));
      return 0;
    } catch (error) {
      if (error instanceof api.DocumentError) return documentFailed(error, first);
      throw error;
    }
  }
  const result = usageOnError(() =>
    api.convertFiles(group.inputs.map(({ name, text }) => ({ path: name, text })), { format: kind, to }),
  );
  const blocked = result.configurations.filter((c) => c.text === undefined);
  const fileErrors = result.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error").map((d) => ({ f, d })));
  for (const { f, d } of fileErrors) {
    process.stderr.write(`${f.file}:${d.range.start.line}:${d.range.start.column}: ${d.message}\n`);
  }
  for (const c of blocked) {
    for (const d of c.diagnostics) {
      process.stderr.write(`${c.file}:${d.range.start.line}:${d.range.start.column}: ${c.address}: ${d.code} ${d.message}\n`);
    }
  }
  const done = result.configurations.filter((c) => c.text !== undefined);
  for (const c of done) {
    if (c.unknowns > 0) {
      process.stderr.write(`${c.address}: ${c.unknowns} value(s) not known until deployment, written as \${...}\n`);
    }
  }
  if (done.length === 0) {
    if (fileErrors.length === 0 && blocked.length === 0) process.stderr.write(`${first.name}: no replication configuration found\n`);
    return 1;
  }
  if (done.length === 1) {
    out(done[0].text);
  } else if (to === "json") {
    out(JSON.stringify(Object.fromEntries(done.map((c) => [c.address, JSON.parse(c.text)])), null, 2));
  } else {
    out(done.map((c) => `<!-- ${c.address} (${c.file}) -->\n${c.text}`).join("\n"));
  }
  return blocked.length > 0 || fileErrors.length > 0 ? 1 : 0;
}

function cmdRules(argv) {
  const { opts, files } = parseArgs(argv, { format: "value" });
  if (opts.help) return out(HELP.rules), 0;
  const format = oneOf(opts.format, ["text", "json"], "format") ?? "text";
  const all = api.rules();
  if (files.length > 1) throw new UsageError("rules takes at most one CODE");
  if (files.length === 1) {
    const rule = all.find((r) => r.code === files[0].toUpperCase() || r.name === files[0]);
    if (!rule) throw new UsageError(`no rule '${files[0]}' (run '${PROG} rules' for the list)`);
    out(format === "json" ? JSON.stringify(rule, null, 2) : `# ${rule.code} ${rule.name} (${rule.severity})\n\n${rule.summary}\n\n${rule.docs}`);
    return 0;
  }
  if (format === "json") {
    out(JSON.stringify(all, null, 2));
  } else {
    const width = Math.max(...all.map((r) => r.name.length));
    for (const r of all) out(`${r.code}  ${r.severity.padEnd(7)}  ${r.name.padEnd(width)}  ${r.summary}`);
  }
  return 0;
}

const COMMANDS = {
  check: cmdCheck,
  policies: cmdPolicies,
  audit: cmdAudit,
  simulate: cmdSimulate,
  explain: cmdExplain,
  convert: cmdConvert,
  rules: cmdRules,
};

function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${HELP.main}\n`);
    return 2;
  }
  if (command === "-h" || command === "--help" || command === "help") {
    if (rest[0] && HELP[rest[0]]) return out(HELP[rest[0]]), 0;
    return out(HELP.main), 0;
  }
  if (command === "-V" || command === "--version") return out(VERSION), 0;
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command '${command}' (commands: ${Object.keys(COMMANDS).join(", ")})`);
  return run(rest);
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${PROG}: ${error.message}\nRun '${PROG} --help' for usage.\n`);
  } else {
    process.stderr.write(`${PROG}: internal error: ${error && error.message ? error.message : String(error)}\n`);
  }
  process.exitCode = 2;
}
