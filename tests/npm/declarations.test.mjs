// The package's TypeScript declarations against what it really returns. Installs
// dist/s3-replication-lint-<version>.tgz (from `make pkg`) into an empty folder, runs every
// exported function on the repository's fixtures (documents of every rule, explain and
// simulate cases, templates, modules and plans), writes each real argument list and result as
// a literal typed by the function's own declaration (`Parameters<typeof f>`,
// `ReturnType<typeof f>`), and compiles that with `tsc --strict`: a field the declarations
// lack fails the excess-property check, a field they require that is not sent fails as
// missing, a wrong type or enum value fails as such. A mutated copy of the declarations must
// fail, so the check is known to bite. Also: no `any` in what ships, and the README's API
// reference names exactly the declared functions and options.
// Run: `node --test tests/npm/` (make test does, after make pkg).
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = join(ROOT, "node_modules/.bin");
const FIXTURES = join(ROOT, "tests/fixtures");
const version = JSON.parse(readFileSync(join(ROOT, "dist/npm/package.json"), "utf8")).version;
const TGZ = join(ROOT, `dist/s3-replication-lint-${version}.tgz`);
const ts = createRequire(join(ROOT, "package.json"))("typescript");

let dir;
let pkg;
let api;

function run(cmd, args, cwd = dir) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return r;
}
const show = (r) => `exit ${r.status}\n--- stdout\n${r.stdout.slice(0, 20_000)}\n--- stderr\n${r.stderr.slice(0, 4_000)}`;

// ---------------------------------------------------------------------------------------------
// Fixtures

const read = (f) => readFileSync(f, "utf8");
const readJson = (f) => JSON.parse(read(f));

/** Every file under `root`, as `{ path, text }` with paths relative to it (a module's files). */
function sourceFiles(root) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(tf|ya?ml|json|template)$/.test(name) && name !== "case.txt") out.push({ path: relative(root, p), text: read(p) });
    }
  };
  walk(root);
  return out;
}

/** The configuration documents of the rule fixtures and the explain cases, with their contexts. */
function documents() {
  const docs = [];
  const rulesDir = join(FIXTURES, "rules");
  for (const code of readdirSync(rulesDir).sort()) {
    const d = join(rulesDir, code);
    const files = readdirSync(d).sort();
    const context = files.includes("context.json") ? readJson(join(d, "context.json")) : undefined;
    for (const f of files) {
      if (f.startsWith("context") || !/\.(xml|json)$/.test(f)) continue;
      // The 1,000-rule documents of S3R105 add size, not shapes.
      if (statSync(join(d, f)).size > 50_000) continue;
      docs.push({ name: `rules/${code}/${f}`, text: read(join(d, f)), context });
    }
  }
  const explainDir = join(FIXTURES, "explain");
  for (const f of readdirSync(explainDir).sort()) {
    if (!/\.(xml|json)$/.test(f) || f.includes(".context.")) continue;
    const ctx = join(explainDir, f.replace(/\.(xml|json)$/, ".context.json"));
    docs.push({ name: `explain/${f}`, text: read(join(explainDir, f)), context: existsSync(ctx) ? readJson(ctx) : undefined });
  }
  return docs;
}

/** The template, module and plan folders: each is one `checkFiles` call. */
function fileSets() {
  const iac = join(FIXTURES, "iac");
  const sets = [];
  for (const group of ["cloudformation", "terraform-cross-account", "terraform-child-module"]) {
    sets.push({ name: `iac/${group}`, files: sourceFiles(join(iac, group)) });
  }
  for (const sub of ["real-world", "policies/terraform", "policies/cloudformation"]) {
    const d = join(iac, sub);
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d).sort()) {
      if (statSync(join(d, name)).isDirectory()) sets.push({ name: `iac/${sub}/${name}`, files: sourceFiles(join(d, name)) });
    }
  }
  return sets.filter((s) => s.files.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Real calls

/**
 * Calls `name` with `args`; records the arguments and the result (or the error's typed
 * payload) as a case: `{ fn, name, args, result }` or `{ fn, name, args, error: [class, member, value] }`.
 */
function call(cases, fn, name, ...args) {
  // A function the package no longer exports has no case (the first test still requires a
  // case for every function it does export).
  if (typeof api[fn] !== "function") return;
  try {
    cases.push({ fn, name, args, result: api[fn](...args) });
  } catch (e) {
    if (e instanceof api.DocumentError) cases.push({ fn, name, args, error: ["DocumentError", "diagnostics", e.diagnostics] });
    else if (e instanceof api.InternalError) cases.push({ fn, name, args, error: ["InternalError", "diagnostic", e.diagnostic] });
    else throw new Error(`${fn} on ${name}: ${e.stack}`);
  }
}

const OBJECTS = [
  { key: "photos/cat.jpg" },
  { key: "logs/2024/01.txt", tags: { env: "prod" }, encryption: "SSE-KMS" },
  { key: "a", tags: [["env", "prod"], { key: "k", value: "v" }, { Key: "K", Value: "V" }], encryption: "DSSE-KMS", deleteMarker: true },
  { key: "replica.bin", encryption: "SSE-C", isReplica: true },
];

function realCases() {
  const cases = [];
  const docs = documents();
  for (const d of docs) {
    const options = d.context ? { context: d.context, policies: true } : { policies: true };
    call(cases, "check", d.name, d.text, options);
  }
  // One of each format option, and a check without options.
  call(cases, "check", "format xml", read(join(FIXTURES, "explain/01-v1-legacy-prefix.xml")), { format: "xml" });
  call(cases, "check", "format json, no policies", read(join(FIXTURES, "explain/02-v2-whole-bucket.json")), { format: "json" });
  call(cases, "check", "no options", "<ReplicationConfiguration");
  // The functions that need a readable document: on every document (broken ones throw).
  const policies = {
    role: read(join(ROOT, "tests/npm/fixtures/role-policy.json")),
    trust: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    keyPolicies: ['{"Version":"2012-10-17","Statement":[]}'],
    bucketPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}',
  };
  for (const d of docs) {
    const ctx = d.context;
    call(cases, "generatePolicies", d.name, d.text, ...(ctx ? [ctx] : []));
    call(cases, "auditPolicies", d.name, d.text, policies, ...(ctx ? [ctx] : []));
    call(cases, "explain", d.name, d.text, ...(ctx ? [ctx] : []));
    call(cases, "convert", d.name, d.text, d.name.endsWith(".xml") ? "json" : "xml");
  }
  for (const d of docs.filter((x) => x.name.startsWith("explain/"))) {
    for (const o of OBJECTS) call(cases, "simulate", `${d.name} ${o.key}`, d.text, o, ...(d.context ? [d.context] : []));
  }
  call(cases, "simulate", "broken", "<ReplicationConfiguration", { key: "a" });
  call(cases, "rules", "all");
  const sample = docs.find((d) => d.name === "rules/S3R201/bad.xml") ?? docs[0];
  // Outputs rendered in the call that produces them.
  for (const render of ["none", "text", "text-color", "json", "sarif"]) {
    call(cases, "check", `${sample.name} render ${render}`, sample.text, { render, file: sample.name });
    if (render !== "none") {
      call(cases, "checkDocuments", `${sample.name} render ${render}`, [{ file: sample.name, text: sample.text }, { file: "broken.xml", text: "<ReplicationConfiguration" }], { render });
      call(cases, "auditPolicies", `${sample.name} render ${render}`, sample.text, policies, {}, { render, files: { configuration: sample.name, role: "role.json", trust: "trust.json", bucketPolicy: "bucket.json", keyPolicies: ["key.json"] } });
    }
  }
  const explained = docs.find((d) => d.name.startsWith("explain/")) ?? sample;
  call(cases, "simulate", `${explained.name} render text`, explained.text, OBJECTS[0], explained.context ?? {}, { render: "text", file: explained.name });
  call(cases, "explain", `${explained.name} render text`, explained.text, explained.context ?? {}, { render: "text" });
  call(cases, "renderUnreadable", "broken", "<ReplicationConfiguration", "broken.xml", { color: false });
  call(cases, "renderUnreadable", "broken convert", "<ReplicationConfiguration", "broken.xml", { color: true, to: "json" });
  for (const [path, text] of [["main.tf", ""], ["t.yaml", "Resources:\n"], ["plan.json", '{"format_version":"1.2"}'], ["r.xml", "<x/>"]]) {
    call(cases, "detectInput", path, path, text);
  }
  // Templates, modules and plans (the second module).
  const sets = fileSets();
  for (const s of sets) {
    call(cases, "checkFiles", s.name, s.files, { policies: true });
    call(cases, "convertFiles", s.name, s.files, { to: "json" });
  }
  const tf = sets.find((s) => s.name === "iac/terraform-cross-account");
  for (const render of ["none", "text", "text-color", "json", "sarif"]) {
    call(cases, "checkFiles", `${tf.name} render ${render}`, tf.files, { format: "terraform", context: { sourceAccount: "111122223333" }, render });
  }
  call(cases, "convertFiles", `${tf.name} to xml`, tf.files, { format: "auto", to: "xml" });
  // emitPolicies with the bindings a module names.
  const conf = api.checkFiles(tf.files).configurations.find((c) => c.document);
  for (const to of ["terraform", "cloudformation"]) {
    call(cases, "emitPolicies", `${tf.name} ${to}`, conf.document, { to, context: conf.context, bindings: conf.bindings });
    call(cases, "emitPolicies", `${sample.name} ${to}`, sample.text, { to });
  }
  call(cases, "emitPolicies", "broken", "<ReplicationConfiguration", { to: "terraform" });
  return cases;
}

// ---------------------------------------------------------------------------------------------
// The typed sample

const literal = (value) => JSON.stringify(value);

/** One statement per case, after a comment naming it (tsc's errors point at that line). */
function sample(cases, importLine) {
  const lines = [importLine, ""];
  cases.forEach((c, i) => {
    if (c.fn === "__panicForTests") {
      lines.push(`// ${c.fn} ${c.name}`, `const e${i}: lint.InternalError["diagnostic"] = ${literal(c.error[2])};`);
      return;
    }
    lines.push(`// ${c.fn} ${c.name.replaceAll("\n", " ")}`);
    lines.push(`const a${i}: Parameters<typeof lint.${c.fn}> = ${literal(c.args)};`);
    if (c.error) {
      const [cls, member, value] = c.error;
      lines.push(`const e${i}: lint.${cls}["${member}"] = ${literal(value)};`);
    } else {
      // A call with a render option returns the rendered form (the first overload; ReturnType
      // reads the last one, the structured result).
      const last = c.args[c.args.length - 1];
      const rendered = ["auditPolicies", "simulate", "explain"].includes(c.fn) && last && typeof last === "object" && "render" in last && last.render !== "none";
      const type = !rendered ? `ReturnType<typeof lint.${c.fn}>` : c.fn === "auditPolicies" ? "lint.RenderedCheck" : "string";
      lines.push(`const r${i}: ${type} = ${literal(c.result)};`);
    }
  });
  lines.push("export {};", "");
  return lines.join("\n");
}

function compile(where, files) {
  writeFileSync(
    join(where, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        lib: ["es2022", "dom"],
        types: [],
        skipLibCheck: false,
        exactOptionalPropertyTypes: true,
        noUnusedLocals: false,
      },
      files,
    }),
  );
  return run(join(BIN, "tsc"), ["-p", "tsconfig.json"], where);
}

/** tsc's errors, each with the case named on the comment line above it. */
function explainErrors(out, source) {
  const lines = source.split("\n");
  return out
    .split("\n")
    .filter((l) => /error TS/.test(l))
    .slice(0, 20)
    .map((l) => {
      const m = /\((\d+),\d+\)/.exec(l);
      const n = m ? Number(m[1]) - 1 : -1;
      let k = n;
      while (k > 0 && !lines[k].startsWith("//")) k--;
      return `${k >= 0 ? lines[k] : ""}\n  ${l.slice(0, 600)}`;
    })
    .join("\n");
}

describe("declarations", () => {
  let cached;
  const realCasesOnce = () => (cached ??= realCases());

  before(async () => {
    assert.ok(existsSync(TGZ), `missing ${TGZ}: run \`make pkg\` first`);
    dir = mkdtempSync(join(tmpdir(), "s3rl-decl-"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    const r = run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", TGZ]);
    assert.equal(r.status, 0, show(r));
    pkg = join(dir, "node_modules/s3-replication-lint");
    api = await import(pathToFileURL(join(pkg, "node/index.mjs")).href);
  });

  after(() => {
    if (dir && !process.env.KEEP_TMP) rmSync(dir, { recursive: true, force: true });
  });

  test("every exported function is called with real inputs", () => {
    const cases = realCasesOnce();
    const exported = Object.keys(api).filter((k) => typeof api[k] === "function" && !/^[A-Z]/.test(k));
    const called = new Set(cases.map((c) => c.fn));
    assert.deepEqual(exported.filter((f) => !called.has(f)), [], "exported functions without a case");
    // Each kind of outcome was met: results, DocumentErrors, an InternalError.
    assert.ok(cases.some((c) => c.error?.[0] === "DocumentError"));
    if (typeof api.__panicForTests === "function") assert.ok(cases.some((c) => c.error?.[0] === "InternalError"));
    assert.ok(cases.filter((c) => c.fn === "checkFiles").length >= 10);
  });

  test("every real argument list and result compiles against the declarations (tsc --strict)", () => {
    const cases = realCasesOnce();
    const esm = sample(cases, `import * as lint from "s3-replication-lint";`);
    writeFileSync(join(dir, "real.mts"), esm);
    // CommonJS consumers read index.d.cts: the same types must resolve there.
    writeFileSync(
      join(dir, "real.cts"),
      sample(cases.filter((c) => c.fn === "checkFiles").slice(0, 3), `import lint = require("s3-replication-lint");`),
    );
    const r = compile(dir, ["real.mts", "real.cts"]);
    assert.equal(r.status, 0, `the declarations disagree with real outputs:\n${explainErrors(r.stdout, esm)}\n${show(r)}`);
  });

  test("a wrong declaration fails that compilation", () => {
    const cases = realCasesOnce();
    // A copy of the package whose generated declarations lie three ways.
    const mutant = join(dir, "mutant");
    mkdirSync(join(mutant, "node_modules"), { recursive: true });
    cpSync(pkg, join(mutant, "node_modules/s3-replication-lint"), {
      recursive: true,
      filter: (src) => !src.endsWith(".wasm"),
    });
    writeFileSync(join(mutant, "package.json"), JSON.stringify({ name: "mutant", private: true, type: "module" }));
    const typesFile = join(mutant, "node_modules/s3-replication-lint/types.d.ts");
    let types = read(typesFile);
    const mutate = (from, to) => {
      assert.ok(types.includes(from), `types.d.ts no longer has ${JSON.stringify(from)}: pick another mutation`);
      types = types.replace(from, to);
    };
    mutate("  help?: string;\n", ""); // a field sent but not declared
    mutate("  gaps: Array<string>;\n", "  gaps: Array<string>;\n  missing: string;\n"); // declared, never sent
    mutate("  rtc: boolean;\n  alsoMatched", "  rtc: string;\n  alsoMatched"); // the wrong type
    writeFileSync(typesFile, types);
    // The cases these mutations concern are enough (a quicker compilation).
    const concerned = cases.filter((c) => ["check", "simulate", "explain"].includes(c.fn));
    writeFileSync(join(mutant, "real.mts"), sample(concerned, `import * as lint from "s3-replication-lint";`));
    const r = compile(mutant, ["real.mts"]);
    assert.notEqual(r.status, 0, "tsc accepted the real outputs against wrong declarations");
    assert.match(r.stdout, /'"?help"?' does not exist in type 'Diagnostic'/);
    assert.match(r.stdout, /Property 'missing' is missing in type .* but required in type 'Explanation'/);
    assert.match(r.stdout, /Type 'boolean' is not assignable to type 'string'/);
  });

  test("what ships: types.d.ts is in the package; no `any` in any declaration file", () => {
    const strip = (s) => s.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    assert.ok(existsSync(join(pkg, "types.d.ts")), "types.d.ts is not in the package");
    assert.equal(read(join(pkg, "types.d.ts")), read(join(ROOT, "www/npm/types.d.ts")));
    for (const f of ["index.d.ts", "index.d.cts", "types.d.ts", "web/index.d.ts", "editor/index.d.ts"]) {
      assert.doesNotMatch(strip(read(join(pkg, f))), /\bany\b/, `${f} uses any`);
    }
    // Free JSON is typed as JsonValue, not `unknown`.
    assert.doesNotMatch(strip(read(join(pkg, "types.d.ts"))), /\bunknown\b/);
  });
});

// ---------------------------------------------------------------------------------------------
// README's API reference vs the declarations

/**
 * The declared functions and, per function, the members of its options objects (`options`:
 * the README must name each) and of every object it takes, in arrays too (`accepted`: the
 * README may name only these). The deployment context is documented in its own section.
 */
function declaredApi() {
  const src = (f) => ts.createSourceFile(f, read(join(ROOT, "www/npm", f)), ts.ScriptTarget.Latest, true);
  const index = src("index.d.ts");
  const types = src("types.d.ts");
  const objects = new Map(); // name -> member names (interfaces and object type aliases)
  for (const file of [index, types]) {
    for (const s of file.statements) {
      const members = ts.isInterfaceDeclaration(s) ? s.members : ts.isTypeAliasDeclaration(s) && ts.isTypeLiteralNode(s.type) ? s.type.members : null;
      if (members) objects.set(s.name.text, members.filter((m) => m.name).map((m) => m.name.getText(file)));
    }
  }
  const membersOf = (t) => {
    if (ts.isTypeLiteralNode(t)) return t.members.map((m) => m.name.getText(index));
    if (ts.isTypeReferenceNode(t)) {
      const name = t.typeName.getText(index);
      return name === "DeploymentContext" ? [] : objects.get(name) ?? [];
    }
    return [];
  };
  const functions = new Map();
  for (const s of index.statements) {
    if (!ts.isFunctionDeclaration(s) || !s.name) continue;
    const options = [];
    const accepted = [];
    for (const p of s.parameters) {
      let t = p.type;
      if (!t) continue;
      options.push(...membersOf(t));
      if (ts.isTypeOperatorNode(t)) t = t.type; // readonly T[]
      if (ts.isArrayTypeNode(t)) t = t.elementType;
      accepted.push(...membersOf(t));
    }
    functions.set(s.name.text, { options, accepted });
  }
  return { functions, objects };
}
/** The rows of README's API table: function name -> the row's text. */
function readmeRows() {
  const readme = read(join(ROOT, "www/npm/README.md"));
  const start = readme.indexOf("\n## API\n");
  assert.ok(start >= 0, "README has no `## API` section");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const rows = new Map();
  for (const line of section.split("\n")) {
    if (!line.startsWith("| `")) continue;
    const first = line.split(/(?<!\\)\|/)[1];
    for (const m of first.matchAll(/`(\w+)\(/g)) rows.set(m[1], line);
  }
  return { section, rows };
}

describe("README's API reference", () => {
  test("names every declared function, and only those", () => {
    const { functions } = declaredApi();
    const { rows } = readmeRows();
    const declared = [...functions.keys()].sort();
    assert.deepEqual([...rows.keys()].sort(), declared);
  });

  test("each function's row names its options, and only those", () => {
    const { functions } = declaredApi();
    const { rows } = readmeRows();
    // The member names of `{ a?, b?: "x" \| "y", c }` groups.
    const names = (text) =>
      [...text.matchAll(/\{ ([^{}]*) \}/g)].flatMap((g) => [...g[1].matchAll(/(?:^|,\s*)(\w+)\??(?=[:,]|$)/g)].map((m) => m[1]));
    for (const [fn, { options, accepted }] of functions) {
      const row = rows.get(fn);
      if (!row) continue; // reported by the test above
      const written = new Set(names(row));
      const missing = options.filter((o) => !written.has(o));
      assert.deepEqual(missing, [], `README's row of ${fn} does not name these options`);
      // In the function's own signature (`fn(text, { ... })`) and after "options": only what
      // it takes.
      const signature = new RegExp(`\`${fn}\\(([^\`]*)\\)\``).exec(row)?.[1] ?? "";
      const after = /options `(\{ [^`]* \})`/.exec(row)?.[1] ?? "";
      for (const name of [...names(signature), ...names(after)]) {
        assert.ok(accepted.includes(name), `README's row of ${fn} names \`${name}\`, which ${fn} does not take`);
      }
    }
  });
  test("the deployment context example has every field of the declared context, and only those", () => {
    const { objects } = declaredApi();
    const { section } = readmeRows();
    const block = /### The deployment context[\s\S]*?```json\n([\s\S]*?)```/.exec(section);
    assert.ok(block, "README's API section has no deployment context example");
    const example = JSON.parse(block[1]);
    assert.deepEqual(Object.keys(example).sort(), [...objects.get("DeploymentContext")].sort());
    for (const dest of Object.values(example.destinations)) {
      assert.deepEqual(Object.keys(dest).sort(), [...objects.get("DestinationContext")].sort());
    }
  });
});

