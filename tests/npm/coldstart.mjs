#!/usr/bin/env node
// Benchmark (not a test): the CLI's cold start, `s3-replication-lint check` on a one-rule file
// as a whole process, against `node -e 0` on the same machine: each is spawned 20 times,
// alternately (so drift in the machine's load hits both), and the medians are compared.
// node tests/npm/coldstart.mjs [--pkg DIR] [--runs N]
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const PKG = opt("pkg", join(ROOT, "dist/npm"));
const RUNS = Number(opt("runs", "20"));
const FILE = join(ROOT, "tests/npm/fixtures/valid.xml");
if (!existsSync(join(PKG, "package.json"))) {
  console.error(`no package in ${PKG}: run \`make pkg\` first`);
  process.exit(2);
}
const BIN = join(PKG, JSON.parse(readFileSync(join(PKG, "package.json"), "utf8")).bin["s3-replication-lint"]);

function ms(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { encoding: "utf8" });
  const t = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(" ")}: exit ${r.status}\n${r.stderr}`);
  return t;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const cli = [];
const bare = [];
// One warm-up of each fills the OS file cache.
ms([BIN, "check", FILE]);
ms(["-e", "0"]);
for (let i = 0; i < RUNS; i++) {
  cli.push(ms([BIN, "check", FILE]));
  bare.push(ms(["-e", "0"]));
}
const [c, b] = [median(cli), median(bare)];
console.log(`cold start (median of ${RUNS}): check ${c.toFixed(1)} ms, node -e 0 ${b.toFixed(1)} ms, difference ${(c - b).toFixed(1)} ms`);
