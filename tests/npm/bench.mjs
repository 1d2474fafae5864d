#!/usr/bin/env node
// Benchmark (not a test) of the npm package against its targets; `make bench` runs it right
// after criterion so that every ratio divides by native figures of the same run.
//  1. `check` and `check` with policies, in-process through the package's Node entry, on the
//     generated 1/10/100/1000-rule documents (the same bytes as criterion's `parse` bench),
//     beside criterion's median of the same work: the ratio Node / native.
//  2. The JavaScript side of a call: encoding the text, the size of the result's JSON and
//     what `JSON.parse` of it costs.
//  3. The core `.wasm` gzipped, and the CLI's cold start against `node -e 0`.
//  4. Templates and modules through `checkFiles` (the second module), beside criterion's iac.
// Ends with one table: each figure beside its target, met or not met.
// Alone: node tests/npm/bench.mjs --docs DIR [--criterion DIR] [--pkg DIR] [--quick]
import { readFileSync, existsSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { cpus } from "node:os";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const HOME = process.env.HOME ?? "";
const DOCS = opt("docs", join(HOME, ".cache/s3rl/bench-docs"));
const CRITERION = opt("criterion", join(process.env.CARGO_TARGET_DIR ?? join(HOME, ".cache/s3rl/target"), "criterion"));
const PKG = opt("pkg", join(ROOT, "dist/npm"));
const QUICK = args.includes("--quick");
const SIZES = [1, 10, 100, 1000];
const KB = 1000;

// The targets (the package's README and BENCHMARKS.md state them).
const TARGET = {
  wasmGzKb: 260,
  check: 2.5,
  checkPolicies: 3,
  coldStartMs: 40,
};

if (!existsSync(join(PKG, "node/index.cjs"))) {
  console.error(`no package in ${PKG}: run \`make pkg\` first`);
  process.exit(2);
}
const api = createRequire(import.meta.url)(join(PKG, "node/index.cjs"));
// The wasm-bindgen glue under the wrapper: its calls return the JSON text the module sends.
const glue = createRequire(import.meta.url)(join(PKG, "node/s3_replication_lint.js"));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Milliseconds per call: median and best of 10 batches of about 200 ms each (3 with --quick). */
function time(f) {
  f();
  let t = performance.now();
  f();
  const once = Math.max(performance.now() - t, 0.001);
  const iters = Math.max(1, Math.min(100_000, Math.round((QUICK ? 100 : 200) / once)));
  const batches = [];
  for (let b = 0; b < (QUICK ? 3 : 10); b++) {
    t = performance.now();
    for (let i = 0; i < iters; i++) f();
    batches.push((performance.now() - t) / iters);
  }
  return { median: median(batches), best: Math.min(...batches) };
}

/** Criterion's median for <group>/<bench>/<rules> in ms, if `cargo bench` has run. */
function nativeMs(group, bench, rules) {
  const file = join(CRITERION, group, bench, String(rules), "new", "estimates.json");
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")).median.point_estimate / 1e6;
}

function readDoc(rules, format) {
  const file = join(DOCS, `rules-${rules}.${format}`);
  if (!existsSync(file)) {
    console.error(`missing ${file}: run \`cargo run --release -p s3-replication-lint --example bench_docs -- ${DOCS}\``);
    process.exit(2);
  }
  return readFileSync(file, "utf8");
}

const ms = (x) => (x === undefined ? "n/a" : x < 0.1 ? `${(x * 1000).toFixed(1)} us` : `${x.toFixed(2)} ms`);
const row = (cells, widths) =>
  cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ").trimEnd();
const verdict = (ok) => (ok === undefined ? "n/a" : ok ? "met" : "NOT MET");

console.log(`s3-replication-lint ${api.version}, Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "?"}, ${new Date().toISOString().slice(0, 16)}Z`);

// 1. check and check + policies, Node / native.
console.log("\ncheck through the package (Node, in-process) / native check (criterion median, same run)");
const W = [15, 5, 6, 9, 10, 10, 10, 7, 8];
console.log(row(["op", "fmt", "rules", "bytes", "node med", "node best", "native", "ratio", "target"], W));
const OPS = [
  ["check", {}, TARGET.check],
  ["check+policies", { policies: true }, TARGET.checkPolicies],
];
const worst = { check: undefined, "check+policies": undefined };
let missingNative = false;
for (const format of ["xml", "json"]) {
  for (const rules of SIZES) {
    const text = readDoc(rules, format);
    for (const [op, extra, target] of OPS) {
      const options = { format, ...extra };
      const result = api.check(text, options);
      if (result.diagnostics.some((d) => d.code === api.INTERNAL_ERROR_CODE)) {
        console.error(`${format}, ${rules} rules: the engine failed on the document`);
        process.exit(1);
      }
      if (extra.policies && !result.policies) {
        console.error(`${format}, ${rules} rules: no policies in the result`);
        process.exit(1);
      }
      const node = time(() => api.check(text, options));
      const native = nativeMs(format, op, rules);
      if (native === undefined) missingNative = true;
      const ratio = native === undefined ? undefined : node.median / native;
      // The targets are stated for the 1000-rule documents; smaller ones show the fixed cost.
      const targeted = rules === 1000;
      if (targeted && ratio !== undefined) worst[op] = Math.max(worst[op] ?? 0, ratio);
      console.log(
        row(
          [op, format, rules, text.length, ms(node.median), ms(node.best), ms(native), ratio === undefined ? "n/a" : `${ratio.toFixed(2)}x`, targeted ? `<= ${target}x` : ""],
          W,
        ),
      );
    }
  }
}
if (missingNative) console.log("(n/a: no criterion figure; run `cargo bench -p s3-replication-lint --bench parse`)");

// 2. The JavaScript side of a call, on the 1000-rule documents.
console.log("\nthe JavaScript side of check, 1000 rules");
const encoder = new TextEncoder();
const memory = new WebAssembly.Memory({ initial: 64 });
const resultKb = {};
for (const format of ["xml", "json"]) {
  const text = readDoc(1000, format);
  const heap = new Uint8Array(memory.buffer);
  // What the wrapper does (encode, then the glue copies into the module's memory) against
  // encoding straight into the module's memory (what `encodeInto` would allow).
  const copy = time(() => heap.set(encoder.encode(text), 0));
  const into = time(() => encoder.encodeInto(text, heap).written);
  // What crosses the boundary: the module's own JSON text (the wrapper derives the rest on
  // access, so JSON.stringify of its result would count derived fields too).
  const bytesOf = (policies) => glue.check(encoder.encode(text), format, undefined, policies, undefined, undefined);
  const json = bytesOf(true);
  const bytes = Buffer.byteLength(json);
  resultKb[format] = bytes / KB;
  const parse = time(() => JSON.parse(json));
  const plain = bytesOf(false);
  console.log(
    `${format}: encode + copy ${ms(copy.median)}, encodeInto memory ${ms(into.median)}; ` +
      `result JSON ${(Buffer.byteLength(plain) / KB).toFixed(0)} KB (check), ${(bytes / KB).toFixed(0)} KB (with policies); ` +
      `JSON.parse ${ms(parse.median)} = ${(parse.median / (bytes / 1e6)).toFixed(2)} ms per MB`,
  );
}

// 3. Size and cold start.
const wasmFile = join(PKG, "node/s3_replication_lint_bg.wasm");
const wasmGzKb = gzipSync(readFileSync(wasmFile), { level: 9 }).length / KB;

/** Wall-clock ms of one process; spawned alternately with `node -e 0`, 20 each. */
function coldStart() {
  const bin = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8")).bin["s3-replication-lint"];
  const cli = join(PKG, bin);
  const doc = join(DOCS, "rules-1.xml");
  // A CLI that fails to start would time its own error: it must check the document first.
  const probe = spawnSync(process.execPath, [cli, "check", doc], { encoding: "utf8" });
  if (![0, 1].includes(probe.status) || !probe.stdout.includes("rules-1.xml")) {
    throw new Error(`the CLI did not check ${doc}: status ${probe.status}\n${probe.stdout}${probe.stderr}`);
  }
  const run = (argv) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, argv, { stdio: "ignore" });
    if (r.error) throw r.error;
    return performance.now() - t;
  };
  const check = [];
  const bare = [];
  for (let i = 0; i < 20; i++) {
    bare.push(run(["-e", "0"]));
    check.push(run([cli, "check", doc]));
  }
  return { check: median(check), bare: median(bare) };
}
const cold = coldStart();
console.log(
  `\nCLI cold start, \`s3-replication-lint check\` on the 1-rule XML, 20 runs alternating with \`node -e 0\`: ` +
    `median ${cold.check.toFixed(0)} ms against ${cold.bare.toFixed(0)} ms`,
);

// 4. Templates and modules through the second module (`checkFiles`), beside criterion's
// iac/<kind>-check/1000 (`cargo bench -p s3-replication-lint --bench iac`); the same
// generated texts as core/benches/iac.rs.
function cfnTemplate(n) {
  let t = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Source:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: acme-source\n      VersioningConfiguration:\n        Status: Enabled\n      ReplicationConfiguration:\n        Role: arn:aws:iam::111122223333:role/replication\n        Rules:\n';
  for (let i = 0; i < n; i++) {
    t += `          - Id: rule-${i}\n            Status: Enabled\n            Priority: ${i}\n            Filter:\n              Prefix: logs/${i}/\n            DeleteMarkerReplication:\n              Status: Disabled\n            Destination:\n              Bucket: arn:aws:s3:::acme-replica\n              StorageClass: STANDARD_IA\n`;
  }
  return t;
}
function tfModule(n) {
  let t = 'resource "aws_s3_bucket_replication_configuration" "main" {\n  bucket = "acme-source"\n  role   = "arn:aws:iam::111122223333:role/replication"\n';
  for (let i = 0; i < n; i++) {
    t += `  rule {\n    id       = "rule-${i}"\n    status   = "Enabled"\n    priority = ${i}\n    filter {\n      prefix = "logs/${i}/"\n    }\n    delete_marker_replication {\n      status = "Disabled"\n    }\n    destination {\n      bucket        = "arn:aws:s3:::acme-replica"\n      storage_class = "STANDARD_IA"\n    }\n  }\n`;
  }
  return `${t}}\n`;
}
if (typeof api.checkFiles === "function") {
  console.log("\ntemplates and modules through checkFiles (the second module), 1000 rules");
  for (const [kind, path, text] of [
    ["cloudformation", "t.yaml", cfnTemplate(1000)],
    ["terraform", "main.tf", tfModule(1000)],
  ]) {
    const files = [{ path, text }];
    const first = api.checkFiles(files, { format: kind });
    if (first.configurations.length !== 1) {
      console.error(`${kind}: expected one configuration`);
      process.exit(1);
    }
    const node = time(() => api.checkFiles(files, { format: kind }));
    const native = nativeMs("iac", `${kind}-check`, 1000);
    console.log(
      `${kind}: node ${ms(node.median)} (best ${ms(node.best)}), native ${ms(native)}` +
        (native === undefined ? "" : `, ${(node.median / native).toFixed(2)}x`),
    );
  }
}

// The summary: every target beside its figure.
console.log("\ntargets");
const S = [44, 16, 10, 8];
console.log(row(["figure", "measured", "target", ""], S));
const ratioCell = (x) => (x === undefined ? "n/a" : `${x.toFixed(2)}x`);
const lines = [
  ["core .wasm, gzipped -9", `${wasmGzKb.toFixed(1)} KB`, `<= ${TARGET.wasmGzKb} KB`, verdict(wasmGzKb <= TARGET.wasmGzKb)],
  ["check, Node / native, 1000 rules (worse fmt)", ratioCell(worst.check), `<= ${TARGET.check}x`, verdict(worst.check === undefined ? undefined : worst.check <= TARGET.check)],
  [
    "check+policies, Node / native, 1000 rules",
    ratioCell(worst["check+policies"]),
    `<= ${TARGET.checkPolicies}x`,
    verdict(worst["check+policies"] === undefined ? undefined : worst["check+policies"] <= TARGET.checkPolicies),
  ],
  ["CLI cold start - node -e 0", `${(cold.check - cold.bare).toFixed(0)} ms`, `<= ${TARGET.coldStartMs} ms`, verdict(cold.check - cold.bare <= TARGET.coldStartMs)],
  ["check({policies: true}) JSON, 1000 rules", `${resultKb.xml.toFixed(0)} / ${resultKb.json.toFixed(0)} KB`, "xml / json", ""],
];
for (const l of lines) console.log(row(l, S));
