#!/usr/bin/env node
// Benchmark (not a test): `check`, without and with policies, on the generated 1000-rule
// documents, in-process through the npm package's Node entry (wasm + JS objects out), beside
// the native criterion figures of the same bytes (`cargo bench -p s3-replication-lint`, groups
// <format>/check/1000 and <format>/check+policies/1000).
// `make bench` runs it; alone: node tests/npm/bench.mjs --docs DIR [--criterion DIR] [--pkg DIR]
import { readFileSync, existsSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const DOCS = opt("docs", join(process.env.HOME ?? "", ".cache/s3rl/bench-docs"));
const CRITERION = opt("criterion", join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME ?? "", ".cache/s3rl/target"), "criterion"));
const PKG = opt("pkg", join(ROOT, "dist/npm"));
const RULES = Number(opt("rules", "1000"));

if (!existsSync(join(PKG, "node/index.cjs"))) {
  console.error(`no package in ${PKG}: run \`make pkg\` first`);
  process.exit(2);
}
const api = createRequire(import.meta.url)(join(PKG, "node/index.cjs"));

/** Milliseconds per call: mean and best of 10 batches of about 200 ms each. */
function time(f) {
  f();
  let t = performance.now();
  f();
  const once = Math.max(performance.now() - t, 0.001);
  const iters = Math.max(1, Math.min(100_000, Math.round(200 / once)));
  const batches = [];
  for (let b = 0; b < 10; b++) {
    t = performance.now();
    for (let i = 0; i < iters; i++) f();
    batches.push((performance.now() - t) / iters);
  }
  return { mean: batches.reduce((a, b) => a + b, 0) / batches.length, best: Math.min(...batches) };
}

/** Criterion's mean for <format>/<op>/<rules>, in ms, if `cargo bench` has run. */
function nativeMs(format, op) {
  const file = join(CRITERION, format, op, String(RULES), "new", "estimates.json");
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")).mean.point_estimate / 1e6;
}

console.log(`s3-replication-lint ${api.version}, Node ${process.version}: ${RULES}-rule documents`);
console.log("op              format  bytes     wasm mean   wasm best   native mean  ratio (wasm/native)");
// The package's operations beside the criterion benchmarks of the same work: `check`, and
// `check` with `policies: true` (criterion's check+policies). Parsing alone is not part of
// the JavaScript API.
const OPS = [
  ["check", {}],
  ["check+policies", { policies: true }],
];
let worst = 0;
for (const format of ["xml", "json"]) {
  const file = join(DOCS, `rules-${RULES}.${format}`);
  if (!existsSync(file)) {
    console.error(`missing ${file}: run \`cargo run --release -p s3-replication-lint --example bench_docs -- ${DOCS}\``);
    process.exit(2);
  }
  const text = readFileSync(file, "utf8");
  for (const [op, extra] of OPS) {
    const options = { format, ...extra };
    const result = api.check(text, options);
    if (result.diagnostics.some((d) => d.code === api.INTERNAL_ERROR_CODE)) {
      console.error(`${format}: the engine failed on the document`);
      process.exit(1);
    }
    if (extra.policies && !result.policies) {
      console.error(`${format}: no policies in the result`);
      process.exit(1);
    }
    const wasm = time(() => api.check(text, options));
    const native = nativeMs(format, op);
    const ratio = native === undefined ? undefined : wasm.mean / native;
    if (ratio !== undefined) worst = Math.max(worst, ratio);
    console.log(
      [
        op.padEnd(14),
        format.padEnd(6),
        String(text.length).padEnd(9),
        `${wasm.mean.toFixed(2)} ms`.padStart(10),
        `${wasm.best.toFixed(2)} ms`.padStart(11),
        (native === undefined ? "n/a" : `${native.toFixed(2)} ms`).padStart(12),
        ratio === undefined ? "  (run cargo bench for the native figure)" : `  ${ratio.toFixed(2)}x`,
      ].join("  "),
    );
  }
}
if (worst > 0) console.log(`worst ratio ${worst.toFixed(2)}x (target: at most 1.7x)`);

// Templates and modules through the second module (`checkFiles`), beside criterion's
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
  for (const [kind, path, text] of [
    ["cloudformation", "t.yaml", cfnTemplate(RULES)],
    ["terraform", "main.tf", tfModule(RULES)],
  ]) {
    const files = [{ path, text }];
    const first = api.checkFiles(files, { format: kind });
    if (first.configurations.length !== 1) {
      console.error(`${kind}: expected one configuration`);
      process.exit(1);
    }
    const wasm = time(() => api.checkFiles(files, { format: kind }));
    const file = join(CRITERION, "iac", `${kind}-check`, String(RULES), "new", "estimates.json");
    const native = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).mean.point_estimate / 1e6 : undefined;
    console.log(
      [
        "checkFiles".padEnd(14),
        kind.padEnd(6),
        String(text.length).padEnd(9),
        `${wasm.mean.toFixed(2)} ms`.padStart(10),
        `${wasm.best.toFixed(2)} ms`.padStart(11),
        (native === undefined ? "n/a" : `${native.toFixed(2)} ms`).padStart(12),
        native === undefined ? "  (run cargo bench --bench iac for the native figure)" : `  ${(wasm.mean / native).toFixed(2)}x`,
      ].join("  "),
    );
  }
}
