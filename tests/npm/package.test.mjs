// Packaging test: installs dist/s3-replication-lint-<version>.tgz (from `make pkg`) into an
// empty temporary folder, as a user would, and exercises the CLI, `import`, `require`, an
// esbuild bundle, the ES module in headless Chromium, and a typed consumer under
// `tsc --strict`. Run: `node --test tests/npm/` (make test does, after make pkg).
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync, copyFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve, extname, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:http";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const FIX = join(ROOT, "tests/npm/fixtures");
const BIN = join(ROOT, "node_modules/.bin");
const version = JSON.parse(readFileSync(join(ROOT, "dist/npm/package.json"), "utf8")).version;
const TGZ = join(ROOT, `dist/s3-replication-lint-${version}.tgz`);

let dir;

function run(cmd, args, { input, cwd = dir, env = {} } = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...env },
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return r;
}

const cli = (...args) => run(join(dir, "node_modules/.bin/s3-replication-lint"), args);
const cliIn = (input, ...args) => run(join(dir, "node_modules/.bin/s3-replication-lint"), args, { input });
const show = (r) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

before(() => {
  assert.ok(existsSync(TGZ), `missing ${TGZ}: run \`make pkg\` first`);
  dir = mkdtempSync(join(tmpdir(), "s3rl-pkg-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  const r = run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", TGZ]);
  assert.equal(r.status, 0, show(r));
});

after(() => {
  if (dir && !process.env.KEEP_TMP) rmSync(dir, { recursive: true, force: true });
});

describe("CLI", () => {
  const IAC = join(ROOT, "tests/fixtures/iac");
  const lineOf = (file, needle) => readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(needle)) + 1;

  test("check DIR: a Terraform module, positioned in its .tf files, with the facts it states", () => {
    const mod = join(IAC, "terraform-cross-account");
    let r = cli("check", mod);
    assert.equal(r.status, 1, show(r));
    assert.match(r.stdout, /aws_s3_bucket_replication_configuration\.main \(.*main\.tf, terraform\)/);
    assert.match(r.stdout, /read from the code: sourceRegion = eu-west-1 \(.*providers\.tf:12/);
    assert.match(r.stdout, /S3R405/);
    r = cli("check", "--format", "json", mod);
    assert.equal(r.status, 1, show(r));
    const d = JSON.parse(r.stdout).find((x) => x.code === "S3R405");
    assert.ok(d, r.stdout);
    assert.equal(d.configuration, "aws_s3_bucket_replication_configuration.main");
    assert.match(d.file, /main\.tf$/);
    assert.equal(d.range.start.line, lineOf(join(mod, "main.tf"), "replica_kms_key_id"));
    assert.equal(d.path, "aws_s3_bucket_replication_configuration.main.rule[0].destination.encryption_configuration.replica_kms_key_id");
  });

  test("check DIR: a module in Terraform's JSON syntax, and cdktf synth output, positioned in the JSON", () => {
    const mod = join(IAC, "terraform-json");
    let r = cli("check", "--format", "json", mod);
    assert.equal(r.status, 1, show(r));
    const d = JSON.parse(r.stdout).find((x) => x.code === "S3R405");
    assert.ok(d, r.stdout);
    assert.match(d.file, /main\.tf\.json$/);
    assert.equal(d.range.start.line, lineOf(join(mod, "main.tf.json"), '"replica_kms_key_id"'));
    assert.equal(d.path, "aws_s3_bucket_replication_configuration.main.rule[0].destination.encryption_configuration.replica_kms_key_id");
    r = cli("check", join(IAC, "cdktf-synth/cdk.tf.json"));
    assert.equal(r.status, 1, show(r));
    assert.match(r.stdout, /aws_s3_bucket_replication_configuration\.Replication \(.*cdk\.tf\.json, terraform\)/);
    assert.match(r.stdout, /S3R211/);
  });

  test("check DIR: a local child module is read through its module block, findings at its lines", () => {
    const root = join(IAC, "terraform-child-module");
    const child = join(root, "modules/replication/main.tf");
    const r = cli("check", "--format", "json", root);
    assert.equal(r.status, 1, show(r));
    const d = JSON.parse(r.stdout).find((x) => x.code === "S3R405");
    assert.ok(d, r.stdout);
    assert.match(d.file, /modules\/replication\/main\.tf$/);
    assert.equal(d.range.start.line, lineOf(child, "replica_kms_key_id"));
  });

  test("check DIR: environments/prod calling ../../modules/replication reads the module, within the repository", () => {
    const repo = join(dir, "layout");
    const env = join(repo, "environments", "prod");
    mkdirSync(env, { recursive: true });
    mkdirSync(join(repo, "modules", "replication"), { recursive: true });
    mkdirSync(join(repo, ".git"), { recursive: true });
    const fixture = join(IAC, "terraform-child-module");
    copyFileSync(join(fixture, "modules/replication/main.tf"), join(repo, "modules/replication/main.tf"));
    const root = readFileSync(join(fixture, "main.tf"), "utf8");
    assert.match(root, /"\.\/modules\/replication"/);
    writeFileSync(join(env, "main.tf"), root.replace('"./modules/replication"', '"../../modules/replication"'));
    const found = (r) => JSON.parse(r.stdout).find((x) => x.code === "S3R405");
    let r = cli("check", "--format", "json", env);
    assert.ok(found(r), r.stdout);
    assert.match(found(r).file, /layout[\\/]modules[\\/]replication[\\/]main\.tf$/);
    // The same call from the module's own directory.
    r = run(join(dir, "node_modules/.bin/s3-replication-lint"), ["check", "--format", "json", "."], { cwd: env });
    assert.ok(found(r), r.stdout);
    // A source that leads out of the repository is named, not read.
    writeFileSync(join(env, "main.tf"), root.replace('"./modules/replication"', '"../../../modules/replication"'));
    mkdirSync(join(dir, "modules", "replication"), { recursive: true });
    copyFileSync(join(fixture, "modules/replication/main.tf"), join(dir, "modules/replication/main.tf"));
    r = cli("check", "--format", "json", env);
    assert.ok(!found(r), r.stdout);
    assert.ok(JSON.parse(r.stdout).some((x) => x.code === "S3R014" && x.message.includes("../../../modules/replication")), r.stdout);
  });

  test("check --fail-on warning: exit 1 on warnings too, for documents and templates", () => {
    const doc = join(dir, "glacier.xml");
    writeFileSync(
      doc,
      "<ReplicationConfiguration><Role>arn:aws:iam::111122223333:role/r</Role><Rule><ID>a</ID><Status>Enabled</Status><Priority>1</Priority><Filter/><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication><Destination><Bucket>arn:aws:s3:::dst</Bucket><StorageClass>GLACIER</StorageClass></Destination></Rule></ReplicationConfiguration>\n",
    );
    const template = join(IAC, "policies/cloudformation/good.yaml");
    for (const file of [doc, template]) {
      const plain = cli("check", "--format", "json", file);
      assert.equal(plain.status, 0, show(plain));
      const found = JSON.parse(plain.stdout);
      assert.ok(found.some((d) => d.severity === "warning") && !found.some((d) => d.severity === "error"), plain.stdout);
      assert.equal(cli("check", "--fail-on", "warning", file).status, 1);
      assert.equal(cli("check", "--fail-on", "error", file).status, 0);
    }
    const bad = cli("check", "--fail-on", "info", doc);
    assert.equal(bad.status, 2, show(bad));
    assert.match(bad.stderr, /--fail-on/);
  });

  test("check --recursive: root modules with the modules they call, templates and cdk.out; not node_modules", () => {
    const repo = join(dir, "monorepo");
    const fixture = join(IAC, "terraform-child-module");
    const put = (path, text) => {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), text);
    };
    const good = readFileSync(join(IAC, "policies/cloudformation/good.yaml"), "utf8");
    mkdirSync(join(repo, ".git"), { recursive: true });
    put("package.json", JSON.stringify({ name: "infra" }));
    put("environments/prod/main.tf", readFileSync(join(fixture, "main.tf"), "utf8").replace('"./modules/replication"', '"../../modules/replication"'));
    put("modules/replication/main.tf", readFileSync(join(fixture, "modules/replication/main.tf"), "utf8"));
    put("stacks/logs.yaml", good);
    put("node_modules/some-package/template.yaml", good);
    put(".github/workflows/ci.yml", "on: push\njobs: {}\n");
    put("cdk.out/Logs.template.yaml", good);
    put("cdk.out/manifest.json", JSON.stringify({ version: "36.0.0", artifacts: { Logs: { type: "aws:cloudformation:stack", environment: "aws://111122223333/us-east-1", properties: { templateFile: "Logs.template.yaml" } } } }));
    put("cdk.out/asset.abc123/template.yaml", good);
    const r = cli("check", "--recursive", "--format", "json", repo);
    assert.equal(r.status, 1, show(r));
    const seen = [...new Set(JSON.parse(r.stdout).filter((d) => d.configuration).map((d) => `${d.file.slice(repo.length + 1).replaceAll(sep, "/")} ${d.configuration}`))].sort();
    // The shared module once, through its caller (its S3R405 needs the caller's Regions).
    assert.deepEqual(seen, [
      "cdk.out/Logs.template.yaml Resources.Source",
      "modules/replication/main.tf module.replication.aws_s3_bucket_replication_configuration.main",
      "stacks/logs.yaml Resources.Source",
    ]);
    assert.ok(JSON.parse(r.stdout).some((d) => d.code === "S3R405"), r.stdout);
    // Without --recursive the top holds nothing to check.
    assert.equal(cli("check", repo).status, 2);
  });

  test("check DIR: modules terraform init installed are read through their calls, findings in their files", () => {
    const root = join(IAC, "terraform-installed-module");
    const r = cli("check", "--format", "json", root);
    assert.equal(r.status, 1, show(r));
    const all = JSON.parse(r.stdout);
    const d = all.find((x) => x.code === "S3R211");
    assert.ok(d, r.stdout);
    assert.equal(d.configuration, "module.logs.aws_s3_bucket_replication_configuration.this[0]");
    assert.match(d.file, /\.terraform\/modules\/logs\/main\.tf$/);
    assert.ok(!all.some((x) => x.code === "S3R014" || x.code === "S3R001"), r.stdout);
    // Without the manifest's directory the registry modules are named, not read.
    const bare = join(dir, "not-initialized");
    mkdirSync(bare, { recursive: true });
    copyFileSync(join(root, "main.tf"), join(bare, "main.tf"));
    const plain = cli("check", "--format", "json", bare);
    const named = JSON.parse(plain.stdout).filter((x) => x.code === "S3R014");
    assert.equal(named.length, 2, plain.stdout);
    assert.ok(!JSON.parse(plain.stdout).some((x) => x.code === "S3R211"), plain.stdout);
  });

  test("check DIR: the module's own role policy is audited at its line; its corrected twin passes", () => {
    const bad = join(IAC, "policies/terraform/get-object-version");
    let r = cli("check", bad);
    assert.equal(r.status, 1, show(r));
    assert.match(r.stdout, /permissions policy data\.aws_iam_policy_document\.replication/);
    assert.match(r.stdout, /error\[S3R703\]/);
    r = cli("check", "--format", "json", bad);
    const d = JSON.parse(r.stdout).find((x) => x.code === "S3R703");
    assert.ok(d, r.stdout);
    assert.equal(d.range.start.line, lineOf(join(bad, "main.tf"), "# expect: S3R703"));
    assert.match(d.path, /^data\.aws_iam_policy_document\.replication\/Statement\/1\/Action\/0$/);
    r = cli("check", "--format", "json", join(IAC, "policies/terraform/good"));
    const policyFindings = JSON.parse(r.stdout).filter((x) => x.code.startsWith("S3R7") && x.severity !== "info");
    assert.deepEqual(policyFindings, []);
  });

  test("check cdk.out: manifest.json gives each stack template its Region and account", () => {
    const out = join(dir, "cdk.out");
    mkdirSync(out, { recursive: true });
    copyFileSync(join(IAC, "policies/cloudformation/good.yaml"), join(out, "Logs.template.yaml"));
    writeFileSync(
      join(out, "manifest.json"),
      JSON.stringify({
        version: "36.0.0",
        artifacts: {
          Logs: { type: "aws:cloudformation:stack", environment: "aws://111122223333/us-east-1", properties: { templateFile: "Logs.template.yaml" } },
        },
      }, null, 2),
    );
    const r = cli("check", out);
    assert.match(r.stdout, /read from the code: sourceRegion = us-east-1 \(.*manifest\.json:\d+, manifest\.json: artifacts\.Logs\.environment\)/);
    assert.doesNotMatch(r.stdout, /No replication configuration found/);
  });

  test("check cdk.out: asset manifests and tree.json are skipped; nested Stages are read with their own environments", () => {
    const out = join(dir, "cdk-stages.out");
    const stage = join(out, "assembly-Prod");
    mkdirSync(stage, { recursive: true });
    copyFileSync(join(IAC, "policies/cloudformation/good.yaml"), join(out, "Logs.template.yaml"));
    copyFileSync(join(IAC, "policies/cloudformation/good.yaml"), join(stage, "ProdLogs.template.yaml"));
    const stack = (file, env) => ({ type: "aws:cloudformation:stack", environment: env, properties: { templateFile: file } });
    writeFileSync(
      join(out, "manifest.json"),
      JSON.stringify({
        version: "36.0.0",
        artifacts: {
          "Logs.assets": { type: "cdk:asset-manifest", properties: { file: "Logs.assets.json" } },
          Logs: stack("Logs.template.yaml", "aws://111122223333/us-east-1"),
          "assembly-Prod": { type: "cdk:cloud-assembly", properties: { directoryName: "assembly-Prod", displayName: "Prod" } },
          "assembly-Gone": { type: "cdk:cloud-assembly", properties: { directoryName: "assembly-Gone" } },
          "assembly-Outside": { type: "cdk:cloud-assembly", properties: { directoryName: "../elsewhere" } },
        },
      }),
    );
    writeFileSync(
      join(out, "Logs.assets.json"),
      JSON.stringify({ version: "36.0.0", files: { abc: { source: { path: "Logs.template.yaml", packaging: "file" }, destinations: {} } }, dockerImages: {} }),
    );
    writeFileSync(join(out, "tree.json"), JSON.stringify({ version: "tree-0.1", tree: { id: "App", path: "" } }));
    writeFileSync(join(stage, "manifest.json"), JSON.stringify({ version: "36.0.0", artifacts: { ProdLogs: stack("ProdLogs.template.yaml", "aws://111122223333/us-east-1") } }));
    const r = cli("check", "--format", "json", out);
    const all = JSON.parse(r.stdout);
    assert.deepEqual([...new Set(all.map((d) => d.file.slice(out.length + 1)))].sort(), ["Logs.template.yaml", "assembly-Prod/ProdLogs.template.yaml"].map((f) => f.replaceAll("/", sep)));
    assert.ok(!all.some((d) => d.severity === "error"), r.stdout);
    const text = cli("check", out).stdout;
    // The stage's stacks take their environment from the stage's own manifest.
    assert.match(text, /sourceRegion = us-east-1 \(.*assembly-Prod.manifest\.json:\d+, manifest\.json: artifacts\.ProdLogs\.environment\)/);
    // A project directory: package.json and cdk.json are not taken for templates.
    const project = join(dir, "cdk-project");
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", dependencies: {} }));
    writeFileSync(join(project, "cdk.json"), JSON.stringify({ app: "npx ts-node bin/app.ts" }));
    const none = cli("check", project);
    assert.equal(none.status, 2, show(none));
    assert.match(none.stderr, /holds no \.tf or \.tf\.json file, template/);
    copyFileSync(join(IAC, "policies/cloudformation/good.yaml"), join(project, "template.yaml"));
    const one = cli("check", "--format", "json", project);
    assert.deepEqual([...new Set(JSON.parse(one.stdout).map((d) => d.file.slice(project.length + 1)))], ["template.yaml"]);
  });

  test("check: a CloudFormation template next to an API document, SARIF pointing into both", () => {
    const tpl = join(IAC, "cloudformation/cross-region.yaml");
    let r = cli("check", tpl);
    assert.equal(r.status, 1, show(r));
    assert.match(r.stdout, /Resources\.Source/);
    assert.match(r.stdout, /S3R002/);
    r = cli("check", "--format", "sarif", tpl, join(FIX, "broken.xml"));
    assert.equal(r.status, 1, show(r));
    const log = JSON.parse(r.stdout);
    const uris = new Set(log.runs[0].results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri));
    assert.ok([...uris].some((u) => u.endsWith("cross-region.yaml")), [...uris].join(" "));
    assert.ok([...uris].some((u) => u.endsWith("broken.xml")), [...uris].join(" "));
    const ids = log.runs[0].tool.driver.rules.map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, "each rule described once");
  });

  test("convert: a Terraform module and a template become the documents they deploy", () => {
    const mod = join(IAC, "terraform-cross-account");
    let r = cli("convert", "--to", "json", mod);
    assert.equal(r.status, 0, show(r));
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.Rules.length, 2);
    assert.equal(doc.Rules[0].Priority, 0);
    assert.match(r.stdout, /\$\{aws_kms_key\.replica\.arn\}/);
    assert.match(r.stderr, /not known until deployment/);
    r = cli("convert", "--to", "xml", mod);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /^<\?xml|<ReplicationConfiguration/);
    // The template's API-spelled `ID` blocks its conversion, with the position.
    r = cli("convert", "--to", "xml", join(IAC, "cloudformation/cross-region.yaml"));
    assert.equal(r.status, 1, show(r));
    assert.match(r.stderr, /cross-region\.yaml:\d+:\d+: Resources\.Source: S3R002/);
  });

  test("policies DIR: the policies a Terraform module's configuration needs, from its own facts", () => {
    const r = cli("policies", join(IAC, "terraform-cross-account"));
    assert.equal(r.status, 0, show(r));
    const set = JSON.parse(r.stdout);
    assert.ok(set.documents.some((d) => d.kind === "role-permissions" || d.kind === "rolePermissions" || /role/i.test(d.kind)), r.stdout.slice(0, 400));
    // The source bucket name is read from the module; nothing made up stands for the key.
    assert.match(r.stdout, /acme-logs-source/);
    assert.doesNotMatch(r.stdout, /000000000000/);
  });

  test("simulate and explain a Terraform module's configuration, with the facts its code states", () => {
    const mod = join(IAC, "terraform-cross-account");
    let r = cli("simulate", "--key", "logs/app.log", "--format", "json", mod);
    assert.equal(r.status, 0, show(r));
    const sim = JSON.parse(r.stdout);
    // Rule "logs" (prefix logs/) and rule "everything" both match; both have priority 0.
    assert.ok(sim.destinations.length >= 1, r.stdout);
    assert.ok(sim.rules.some((x) => x.id === "logs" && x.matched), r.stdout);
    assert.match(r.stderr, /not known until deployment/);
    r = cli("explain", mod);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /acme-logs-replica|everything|logs/);
    // A template with a blocking error: exit 1 with its position.
    r = cli("explain", join(IAC, "cloudformation/cross-region.yaml"));
    assert.equal(r.status, 1, show(r));
    assert.match(r.stderr, /cross-region\.yaml:\d+:\d+: S3R002/);
    // An address that is not there: a usage error naming what is.
    r = cli("explain", "--configuration", "nope", mod);
    assert.equal(r.status, 2, show(r));
    assert.match(r.stderr, /aws_s3_bucket_replication_configuration\.main/);
  });

  test("check: a template without replication says so and passes; --input forces the kind", () => {
    writeFileSync(join(dir, "logs.yaml"), "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n");
    let r = cli("check", join(dir, "logs.yaml"));
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /No replication configuration found/);
    writeFileSync(join(dir, "main.txt"), 'resource "aws_s3_bucket_replication_configuration" "r" {\n  bucket = "src-bucket"\n  role = "arn:aws:iam::111122223333:role/r"\n  rule {\n    status = "Enabled"\n    destination { bucket = "arn:aws:s3:::dst-bucket" }\n  }\n}\n');
    r = cli("check", "--input", "terraform", "--format", "json", join(dir, "main.txt"));
    assert.equal(r.status, 0, show(r));
    assert.ok(Array.isArray(JSON.parse(r.stdout)));
    r = cli("check", "--input", "yaml", join(dir, "main.txt"));
    assert.equal(r.status, 2, show(r));
  });

  test("--help and --version", () => {
    let r = cli("--help");
    assert.equal(r.status, 0, show(r));
    const commands = ["check", "policies", "audit", "simulate", "explain", "convert", "rules"];
    for (const c of commands) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
    for (const c of commands) {
      r = cli(c, "--help");
      assert.equal(r.status, 0, show(r));
      assert.match(r.stdout, new RegExp(`Usage: s3-replication-lint ${c}`));
    }
    r = cli("--version");
    assert.equal(r.stdout.trim(), version);
  });

  test("check: a valid document exits 0, text has no colour off a TTY", () => {
    for (const f of ["valid.xml", "valid.json"]) {
      const r = cli("check", join(FIX, f));
      assert.equal(r.status, 0, show(r));
      assert.doesNotMatch(r.stdout, /\x1b\[/);
    }
  });

  test("check: a broken document exits 1 with a code frame and a caret", () => {
    const r = cli("check", join(FIX, "broken.xml"));
    assert.equal(r.status, 1, show(r));
    assert.match(r.stdout, /error\[S3R0\d\d\]/);
    assert.match(r.stdout, /broken\.xml:\d+:\d+/);
    assert.match(r.stdout, /\|\s*\^/);
    assert.match(r.stdout, /\d+ errors?/);
  });

  test("check --format json: one array, each diagnostic with file and the API fields", () => {
    const r = cli("check", "--format", "json", join(FIX, "broken.xml"), join(FIX, "valid.json"));
    assert.equal(r.status, 1, show(r));
    const items = JSON.parse(r.stdout);
    assert.ok(Array.isArray(items) && items.length > 0);
    for (const d of items) {
      assert.equal(typeof d.file, "string");
      for (const k of ["code", "severity", "message", "path", "range"]) assert.ok(k in d, `missing ${k}`);
      assert.ok(d.range.start.line >= 1 && d.range.start.column >= 1 && d.range.start.offset >= 0);
    }
    assert.ok(items.some((d) => d.file.endsWith("broken.xml") && d.severity === "error"));
  });

  test("check --format sarif: SARIF 2.1.0 with rules and regions", () => {
    const r = cli("check", "--format=sarif", join(FIX, "broken.xml"));
    assert.equal(r.status, 1, show(r));
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, "2.1.0");
    const run0 = log.runs[0];
    assert.ok(run0.tool.driver.rules.length > 0);
    assert.ok(run0.results.length > 0);
    const region = run0.results[0].locations[0].physicalLocation.region;
    assert.ok(region.startLine >= 1 && region.startColumn >= 1);
  });

  test("check - reads stdin", () => {
    const r = cliIn(readFileSync(join(FIX, "broken.xml"), "utf8"), "check", "--format", "json", "-");
    assert.equal(r.status, 1, show(r));
    assert.equal(JSON.parse(r.stdout)[0].file, "<stdin>");
  });

  test("usage errors exit 2 with a clear message and no stack trace", () => {
    const cases = [
      [["check", "--bogus", join(FIX, "valid.xml")], /unknown option '--bogus'/],
      [["check", join(FIX, "does-not-exist.xml")], /cannot read '.*does-not-exist\.xml': ENOENT/],
      [["check"], /at least one FILE/],
      [["check", "--format", "yaml", join(FIX, "valid.xml")], /invalid value 'yaml' for --format/],
      [["check", "--context", join(FIX, "valid.xml"), join(FIX, "valid.xml")], /not valid JSON/],
      [["frobnicate"], /unknown command 'frobnicate'/],
      [["convert", join(FIX, "valid.xml")], /--to xml or --to json/],
      [["rules", "S3R998"], /no rule 'S3R998'/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      assert.equal(r.status, 2, `${args.join(" ")}\n${show(r)}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
  });

  test("an unknown context field is a usage error naming it", () => {
    const bad = join(dir, "bad-context.json");
    writeFileSync(bad, JSON.stringify({ sourceRegoin: "us-east-1" }));
    const r = cli("check", "--context", bad, join(FIX, "valid.xml"));
    assert.equal(r.status, 2, show(r));
    assert.match(r.stderr, /sourceRegoin/);
  });

  test("convert both ways round-trips to a clean document", () => {
    const toXml = cli("convert", "--to", "xml", join(FIX, "valid.json"));
    assert.equal(toXml.status, 0, show(toXml));
    assert.match(toXml.stdout, /<ReplicationConfiguration/);
    const back = cliIn(toXml.stdout, "convert", "--to", "json", "-");
    assert.equal(back.status, 0, show(back));
    assert.deepEqual(JSON.parse(back.stdout), JSON.parse(readFileSync(join(FIX, "valid.json"), "utf8")));
    const broken = cli("convert", "--to", "json", join(FIX, "broken.xml"));
    assert.equal(broken.status, 1, show(broken));
    assert.match(broken.stderr, /could not be read/);
  });

  test("rules lists every code; rules CODE prints its docs", () => {
    let r = cli("rules");
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /^S3R001 /m);
    r = cli("rules", "--format", "json");
    const all = JSON.parse(r.stdout);
    assert.ok(all.length > 5 && all.every((x) => /^S3R\d{3}$/.test(x.code)));
    r = cli("rules", "S3R001");
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /## What it does/);
  });

  test("policies prints JSON, or writes one file per document with --out", () => {
    let r = cli("policies", "--context", join(FIX, "context.json"), join(FIX, "valid.xml"));
    assert.equal(r.status, 0, show(r));
    const set = JSON.parse(r.stdout);
    assert.ok(set.documents.some((d) => d.kind === "role-permissions"));
    assert.ok(set.documents.some((d) => d.kind === "trust"));
    const outDir = join(dir, "policies-out");
    r = cli("policies", "--context", join(FIX, "context.json"), "--out", outDir, join(FIX, "valid.xml"));
    assert.equal(r.status, 0, show(r));
    const files = readdirSync(outDir);
    assert.ok(files.includes("role-permissions.json") && files.includes("trust.json"), files.join(","));
    const role = JSON.parse(readFileSync(join(outDir, "role-permissions.json"), "utf8"));
    assert.equal(role.Version, "2012-10-17");
  });

  test("policies --as terraform|cloudformation: the same policies as code, printed or written to --out", () => {
    const ctx = join(FIX, "context.json");
    let r = cli("policies", "--context", ctx, "--as", "terraform", join(FIX, "valid.xml"));
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /^data "aws_iam_policy_document" "replication_permissions" \{$/m);
    assert.match(r.stdout, /^resource "aws_iam_role" "replication" \{$/m);
    assert.match(r.stdout, /assume_role_policy = data\.aws_iam_policy_document\.replication_trust\.json/);
    // Every action of the JSON policies, and no other.
    const set = JSON.parse(cli("policies", "--context", ctx, join(FIX, "valid.xml")).stdout);
    const actions = (text) => [...text.matchAll(/"((?:s3|kms|iam|sts):[A-Za-z*]+)"/g)].map((m) => m[1]).sort();
    assert.deepEqual(actions(r.stdout), set.documents.flatMap((d) => actions(d.text)).sort());
    const outDir = join(dir, "policies-cfn");
    r = cli("policies", "--context", ctx, "--as", "cloudformation", "--out", outDir, join(FIX, "valid.xml"));
    assert.equal(r.status, 0, show(r));
    const yaml = readFileSync(join(outDir, "policies.yaml"), "utf8");
    assert.match(yaml, /^AWSTemplateFormatVersion: "2010-09-09"$/m);
    assert.match(yaml, /Type: AWS::IAM::Role/);
    r = cli("policies", "--as", "hcl", join(FIX, "valid.xml"));
    assert.equal(r.status, 2, show(r));
    assert.match(r.stderr, /invalid value 'hcl' for --as: expected json, terraform, cloudformation/);
    r = cli("policies", "--as", "terraform", join(FIX, "broken.xml"));
    assert.equal(r.status, 1, show(r));
    // A Terraform module: its configuration's policies as code, from the facts it states.
    const mod = join(ROOT, "tests/fixtures/iac/terraform-cross-account");
    r = cli("policies", "--as", "terraform", "--out", join(dir, "policies-tf"), mod);
    assert.equal(r.status, 0, show(r));
    const tf = readFileSync(join(dir, "policies-tf", "policies.tf"), "utf8");
    // Wired to the module's own resources: its bucket and its role, not literals or a new role.
    assert.match(tf, /resources = \[aws_s3_bucket\.source\.arn\]/);
    assert.match(tf, /^resource "aws_iam_role_policy" "replication_permissions" \{$/m);
    assert.doesNotMatch(tf, /^resource "aws_iam_role" /m);
  });

  test("simulate: the governing rule per destination, and every rule's verdict (text)", () => {
    const two = join(FIX, "two-destinations.xml");
    // photos/raw/ matches all three rules; at photos-dr-replica priority 3 beats 2.
    let r = cli("simulate", "--key", "photos/raw/a.cr2", "--tag", "env=prod", "--context", join(FIX, "context.json"), two);
    assert.equal(r.status, 0, show(r));
    assert.equal(r.stderr, "", "a clean document: no warning");
    assert.match(r.stdout, /^Object `photos\/raw\/a\.cr2` \(tags env=prod; not encrypted\)/);
    assert.match(r.stdout, /^photos-archive: REPLICATED by rule `everything-to-archive` \(priority 1\)/m);
    assert.match(r.stdout, /^photos-dr-replica \(Region us-west-2 from the deployment context; account 123456789012 from the deployment context\): REPLICATED by rule `raw-photos-to-dr` \(priority 3\)/m);
    assert.match(r.stdout, /also matched: rule `prod-photos-to-dr` \(priority 2\)/);
    assert.match(r.stdout, /^ {2}\+ rule `prod-photos-to-dr` \(priority 2\) -> photos-dr-replica: matches, but a higher-priority rule governs$/m);
    // SSE-KMS: only the rule that opts KMS objects in; the others say why not.
    r = cli("simulate", "--key", "photos/raw/a.cr2", "--tag", "env=prod", "--encryption", "SSE-KMS", two);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /^photos-archive: NOT REPLICATED$/m);
    assert.match(r.stdout, /^photos-dr-replica: REPLICATED by rule `prod-photos-to-dr` \(priority 2\)/m);
    assert.match(r.stdout, /- rule `raw-photos-to-dr` \(priority 3\) -> photos-dr-replica: KMS-encrypted objects not selected/);
    // A delete marker: the tag rule never copies it, the others do; stdin works.
    r = cliIn(readFileSync(two, "utf8"), "simulate", "--key", "photos/x.jpg", "--tag", "env=prod", "--delete-marker", "-");
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /^Delete marker `photos\/x\.jpg`/);
    assert.match(r.stdout, /rule `prod-photos-to-dr` \(priority 2\) -> photos-dr-replica: does not replicate this delete marker/);
  });

  test("simulate --format json: the Simulation object", () => {
    const r = cli("simulate", "--format", "json", "--key", "photos/cat.jpg", "--tag", "env=prod", "--tag", "team=a=b", "--encryption", "SSE-KMS", "--context", join(FIX, "context.json"), join(FIX, "two-destinations.xml"));
    assert.equal(r.status, 0, show(r));
    const sim = JSON.parse(r.stdout);
    assert.deepEqual(sim.destinations.map((d) => [d.name, d.replicated, d.rule, d.priority]), [
      ["photos-archive", false, null, null],
      ["photos-dr-replica", true, "prod-photos-to-dr", 2],
    ]);
    const dr = sim.destinations[1];
    assert.equal(dr.bucket, "arn:aws:s3:::photos-dr-replica");
    assert.equal(dr.storageClass, "STANDARD_IA");
    assert.match(dr.replicaKmsKeyId, /^arn:aws:kms:us-west-2:123456789012:key\//);
    assert.equal(dr.rtc, true);
    assert.deepEqual(dr.region, { value: "us-west-2", source: "context" });
    assert.deepEqual(sim.rules.map((x) => [x.id, x.matched, x.reason]), [
      ["everything-to-archive", false, "kmsNotSelected"],
      ["prod-photos-to-dr", true, "replicates"],
      ["raw-photos-to-dr", false, "prefixMismatch"],
    ]);
    assert.ok(sim.rules.every((x) => typeof x.detail === "string" && x.detail.length > 0));
    assert.ok(Array.isArray(sim.notes));
  });

  test("simulate and explain: usage errors exit 2, unreadable documents 1", () => {
    const valid = join(FIX, "valid.xml");
    const cases = [
      [["simulate", valid], /simulate needs --key KEY/],
      [["simulate", "--key", "a", "--tag", "env", valid], /invalid --tag 'env': expected KEY=VALUE/],
      [["simulate", "--key", "a", "--tag", "=x", valid], /invalid --tag '=x'/],
      [["simulate", "--key", "a", "--encryption", "AES256", valid], /invalid value 'AES256' for --encryption/],
      [["simulate", "--key", "a", "--delete-marker=yes", valid], /'--delete-marker' takes no value/],
      [["simulate", "--key", "a", "--format", "sarif", valid], /invalid value 'sarif' for --format/],
      [["simulate", "--key", "a", "--key", "b", valid], /given twice/],
      [["simulate", "--key", "a", valid, valid], /exactly one FILE, got 2/],
      [["simulate", "--key", "a", join(FIX, "nope.xml")], /cannot read/],
      [["explain"], /exactly one FILE, got 0/],
      [["explain", "--format", "yaml", valid], /invalid value 'yaml'/],
      [["explain", "--context", valid, valid], /not valid JSON/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      assert.equal(r.status, 2, `${args.join(" ")}\n${show(r)}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
    for (const args of [["simulate", "--key", "a"], ["explain"]]) {
      const r = cli(...args, join(FIX, "broken.xml"));
      assert.equal(r.status, 1, show(r));
      assert.match(r.stderr, /could not be read/);
      assert.match(r.stderr, /error\[S3R0\d\d\]/);
    }
  });

  test("simulate and explain warn (stderr) when S3 would reject the document", () => {
    const rejected = join(dir, "no-priority.xml");
    writeFileSync(rejected, readFileSync(join(FIX, "two-destinations.xml"), "utf8").replace("<Priority>3</Priority>", ""));
    for (const args of [["simulate", "--key", "photos/raw/x"], ["explain"]]) {
      const r = cli(...args, rejected);
      assert.equal(r.status, 0, show(r));
      assert.match(r.stderr, /^warning: .*no-priority\.xml has \d+ errors? \(run 's3-replication-lint check'\)/);
    }
  });

  test("explain: a sentence per rule and the gaps (text and json)", () => {
    let r = cli("explain", "--context", join(FIX, "context.json"), join(FIX, "two-destinations.xml"));
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /^Replication from `photos-primary` \(us-east-1/);
    for (const id of ["everything-to-archive", "prod-photos-to-dr", "raw-photos-to-dr"]) {
      assert.match(r.stdout, new RegExp(`^- Rule \`${id}\``, "m"));
    }
    assert.match(r.stdout, /^Not replicated:$/m);
    r = cli("explain", "--format", "json", join(FIX, "two-destinations.xml"));
    assert.equal(r.status, 0, show(r));
    const ex = JSON.parse(r.stdout);
    assert.equal(ex.summary.length, 4);
    assert.deepEqual(ex.destinations.map((d) => [d.name, d.rules.map((e) => e.id)]), [
      ["photos-archive", ["everything-to-archive"]],
      ["photos-dr-replica", ["raw-photos-to-dr", "prod-photos-to-dr"]],
    ]);
    const prod = ex.destinations[1].rules[1];
    assert.equal(prod.kmsObjects, true);
    assert.equal(prod.rtc, true);
    assert.deepEqual(prod.overlappedBy, [2]);
    assert.ok(ex.gaps.length > 0);
  });

  test("audit reports what an incomplete role policy lacks", () => {
    const r = cli("audit", "--context", join(FIX, "context.json"), "--role", join(FIX, "role-policy.json"), "--format", "json", join(FIX, "valid.xml"));
    assert.ok(r.status === 0 || r.status === 1, show(r));
    const items = JSON.parse(r.stdout);
    assert.ok(items.length > 0, "the role policy lacks the object and replicate actions");
    assert.ok(items.every((d) => /^S3R7\d\d$/.test(d.code)), JSON.stringify(items.map((d) => d.code)));
    assert.ok(items.some((d) => d.file.endsWith("role-policy.json")));
    const none = cli("audit", join(FIX, "valid.xml"));
    assert.equal(none.status, 2, show(none));
  });
});

// A real trap in the real module, with no test hook in the package: the glue's export is
// swapped (CommonJS exports are writable) for a call of another export with a length no
// document can have, so the module's allocator aborts ("unreachable").
const TRAP = `
const req = typeof require === "function" ? require : process.getBuiltinModule("node:module").createRequire(process.cwd() + "/");
const glue = req(req.resolve("s3-replication-lint").replace(/index\\.cjs$/, "s3_replication_lint.js"));
const realCheck = glue.check;
function trap(name, fn) {
  const real = glue[name];
  glue[name] = () => realCheck({ length: 2 ** 32 - 1 });
  try { return fn(); } finally { glue[name] = real; }
}`;

const API_SCRIPT = (importLine) => `
${importLine}
const text = ${JSON.stringify(readFileSync(join(FIX, "valid.xml"), "utf8"))};
const broken = ${JSON.stringify(readFileSync(join(FIX, "broken.xml"), "utf8"))};
const out = {};
out.version = api.version;
const ok = api.check(text);
out.format = ok.format;
out.errors = ok.diagnostics.filter((d) => d.severity === "error").length;
const bad = api.check(broken, { format: "xml", policies: true });
out.brokenCodes = bad.diagnostics.map((d) => d.code);
out.brokenRange = bad.diagnostics[0].range;
out.withPolicies = Array.isArray(api.check(text, { policies: true }).policies.documents);
out.json = JSON.parse(api.convert(text, "json")).Rules.length;
try { api.convert(broken, "json"); } catch (e) { out.convertError = [e.name, e instanceof api.DocumentError, e.diagnostics.length > 0]; }
try { api.check(text, { format: "yaml" }); } catch (e) { out.badOption = e.message; }
out.rules = api.rules().length;
const sim = api.simulate(text, { key: "photos/cat.jpg", tags: [{ Key: "env", Value: "prod" }], encryption: "SSE-S3" });
out.sim = sim.destinations.map((d) => [d.name, d.replicated, d.rule, d.storageClass]);
out.simMiss = api.simulate(text, { key: "docs/a.txt", tags: { env: "prod" } }).rules.map((r) => r.reason);
out.simMarker = api.simulate(text, { key: "photos/a", deleteMarker: true, tags: [["k", "v"]] }).destinations[0].replicated;
for (const [name, object] of [["badEncryption", { key: "a", encryption: "AES256" }], ["unknownField", { key: "a", colour: "red" }], ["noKey", { tags: {} }], ["badTag", { key: "a", tags: [["k"]] }], ["badFlag", { key: "a", isReplica: "yes" }]]) {
  try { api.simulate(text, object); out[name] = "no error"; } catch (e) { out[name] = \`\${e.name}: \${e.message}\`; }
}
try { api.simulate(broken, { key: "a" }); } catch (e) { out.simBroken = [e.name, e.diagnostics.length > 0]; }
try { api.explain(broken); } catch (e) { out.explainBroken = e.name; }
const ex = api.explain(text, { sourceBucket: "photos-primary" });
out.explain = [ex.summary.length, ex.destinations[0].rules[0].id, ex.summary[0].includes("photos-primary")];
out.frame = api.check(broken, { render: "text", file: "broken.xml" }).rendered.includes("^");
out.simText = api.simulate(text, { key: "photos/cat.jpg" }, undefined, { render: "text", file: "f.xml" }).startsWith("Object \`photos/cat.jpg\`");
out.policyText = api.generatePolicies(text).documents.every((d) => d.text === JSON.stringify(d.policy, null, 2) && d.statements.length === d.policy.Statement.length);
// A trap must not kill the host: it becomes S3R099 and the next call works.
${TRAP}
trap("explain", () => { try { api.explain(text); } catch (e) { out.panic = [e.name, e.code]; } });
out.afterPanic = api.check(broken).diagnostics[0].code === out.brokenCodes[0];
console.log(JSON.stringify(out));
`;

function checkApiOutput(r) {
  assert.equal(r.status, 0, show(r));
  const out = JSON.parse(r.stdout);
  assert.equal(out.version, version);
  assert.equal(out.format, "xml");
  assert.equal(out.errors, 0);
  assert.ok(out.brokenCodes.length > 0 && /^S3R0\d\d$/.test(out.brokenCodes[0]));
  assert.ok(out.brokenRange.start.line >= 1);
  assert.equal(out.withPolicies, true);
  assert.equal(out.json, 1);
  assert.deepEqual(out.convertError, ["DocumentError", true, true]);
  assert.match(out.badOption, /invalid check options/);
  assert.ok(out.rules > 5);
  assert.deepEqual(out.sim, [["photos-dr-replica", true, "photos-to-dr", "STANDARD_IA"]]);
  assert.deepEqual(out.simMiss, ["prefixMismatch"]);
  assert.equal(out.simMarker, true);
  assert.match(out.badEncryption, /^TypeError: invalid object: encryption must be one of/);
  assert.match(out.unknownField, /^TypeError: .*unknown field `colour`/);
  assert.match(out.noKey, /^TypeError: invalid object: key must be a string/);
  assert.match(out.badTag, /^TypeError: invalid object: tags\[0\]/);
  assert.match(out.badFlag, /^TypeError: invalid object: isReplica must be a boolean/);
  assert.deepEqual(out.simBroken, ["DocumentError", true]);
  assert.equal(out.explainBroken, "DocumentError");
  assert.deepEqual(out.explain, [2, "photos-to-dr", true]);
  assert.equal(out.frame, true);
  assert.equal(out.simText, true);
  assert.equal(out.policyText, true);
  assert.deepEqual(out.panic, ["InternalError", "S3R099"]);
  assert.equal(out.afterPanic, true);
}

describe("library", () => {
  test("checkFiles and detectInput (Node): a module's configurations, facts and unknowns; the second module loads on first use", () => {
    const mod = join(ROOT, "tests/fixtures/iac/terraform-cross-account");
    const files = ["main.tf", "providers.tf"].map((f) => ({ path: f, text: readFileSync(join(mod, f), "utf8") }));
    writeFileSync(
      join(dir, "iac.cjs"),
      `const api = require("s3-replication-lint");
const files = ${JSON.stringify(files)};
const out = {};
out.before = Object.keys(require.cache).some((k) => k.includes("/iac/node/"));
out.kinds = [api.detectInput("main.tf", ""), api.detectInput("t.yaml", "Resources:\\n"), api.detectInput("r.xml", "<ReplicationConfiguration/>")];
const r = api.checkFiles(files, { policies: true });
out.after = Object.keys(require.cache).some((k) => k.includes("/iac/node/"));
const c = r.configurations[0];
out.address = c.address;
out.codes = c.diagnostics.map((d) => d.code);
out.region = c.context.sourceRegion;
out.fact = c.facts.find((f) => f.field === "sourceRegion");
out.unknown = c.unknowns.some((u) => u.expression === "var.replica_account");
out.policies = Array.isArray(c.policies.documents);
out.audits = c.audits.map((a) => [a.kind, a.address, a.file, a.diagnostics.map((d) => d.code)]);
// The deployed document goes on to the API document's functions with the context it states.
out.explained = api.explain(c.document, c.context).destinations.length;
out.simulated = api.simulate(c.document, { key: "reports/a.csv" }, c.context).destinations.length;
try { api.checkFiles(files, { format: "yaml" }); } catch (e) { out.badFormat = e.message; }
try { api.checkFiles("main.tf"); } catch (e) { out.badFiles = e.message; }
console.log(JSON.stringify(out));
`,
    );
    const r = run("node", ["iac.cjs"]);
    assert.equal(r.status, 0, show(r));
    const out = JSON.parse(r.stdout);
    assert.equal(out.before, false, "the template/module module is not loaded until needed");
    assert.equal(out.after, true);
    assert.deepEqual(out.kinds, ["terraform", "cloudformation", "api"]);
    assert.equal(out.address, "aws_s3_bucket_replication_configuration.main");
    assert.ok(out.codes.includes("S3R405") && out.codes.includes("S3R211"), out.codes.join(" "));
    assert.equal(out.region, "eu-west-1");
    assert.equal(out.fact.file, "providers.tf");
    assert.equal(out.fact.line, 12);
    assert.equal(out.unknown, true);
    assert.equal(out.policies, true);
    assert.ok(out.explained >= 1 && out.simulated >= 1, `explain ${out.explained}, simulate ${out.simulated}`);
    // Its role's trust policy is the literal "{}": audited where it is written.
    assert.deepEqual(out.audits, [["trust", "aws_iam_role.replication.assume_role_policy", "main.tf", ["S3R700", "S3R701"]]]);
    assert.match(out.badFormat, /invalid check options: format "yaml"/);
    assert.match(out.badFiles, /invalid files/);
  });

  test("emitPolicies (Node): Terraform and CloudFormation, bindings as references, errors", () => {
    const text = readFileSync(join(FIX, "valid.xml"), "utf8");
    const context = JSON.parse(readFileSync(join(FIX, "context.json"), "utf8"));
    writeFileSync(
      join(dir, "emit.cjs"),
      `const api = require("s3-replication-lint");
const text = ${JSON.stringify(text)};
const context = ${JSON.stringify(context)};
const out = {};
const bindings = [{ value: "arn:aws:s3:::photos-primary", terraform: "aws_s3_bucket.photos.arn", cloudformation: ["Photos", "Arn"] }];
out.tf = api.emitPolicies(text, { to: "terraform", context, bindings });
out.cfn = api.emitPolicies(text, { to: "cloudformation", context, bindings });
out.plain = api.emitPolicies(text, { to: "terraform", context });
try { api.emitPolicies(text, { to: "pulumi" }); } catch (e) { out.badTo = [e.name, e.message]; }
try { api.emitPolicies(text, { to: "terraform", bindings: [{ value: 3 }] }); } catch (e) { out.badBindings = e.message; }
try { api.emitPolicies("<nope", { to: "terraform" }); } catch (e) { out.unreadable = [e.name, e instanceof api.DocumentError, e.diagnostics.length > 0]; }
console.log(JSON.stringify(out));
`,
    );
    const r = run("node", ["emit.cjs"]);
    assert.equal(r.status, 0, show(r));
    const out = JSON.parse(r.stdout);
    assert.match(out.tf, /resources = \[aws_s3_bucket\.photos\.arn\]/);
    assert.match(out.tf, /"\$\{aws_s3_bucket\.photos\.arn\}\//);
    assert.match(out.cfn, /!GetAtt Photos\.Arn/);
    assert.match(out.plain, /arn:aws:s3:::photos-primary/);
    assert.doesNotMatch(out.plain, /aws_s3_bucket\.photos/);
    assert.deepEqual(out.badTo, ["TypeError", 'invalid emit options: to "pulumi" is not one of "terraform", "cloudformation"']);
    assert.match(out.badBindings, /invalid bindings/);
    assert.deepEqual(out.unreadable, ["DocumentError", true, true]);
  });

  test("results cross once: derived ranges, help and policy text equal the core's full forms", () => {
    // Every rule fixture, plus text with multi-byte characters before the ranges: the ranges
    // the wrapper derives from byte offsets must equal the core's (its JSON output), and each
    // policy's text must be the core's pretty text (the CLI's policies --out writes it).
    const docs = [];
    for (const code of readdirSync(join(ROOT, "tests/fixtures/rules"))) {
      for (const f of readdirSync(join(ROOT, "tests/fixtures/rules", code))) {
        docs.push(readFileSync(join(ROOT, "tests/fixtures/rules", code, f), "utf8"));
      }
    }
    docs.push("<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n  <Role>arn:aws:iam::123456789012:role/\u{1F600}é</Role><Bogus/>\n\t<Rule><ID>\u{1F600}</ID></Rule>\n</ReplicationConfiguration>");
    writeFileSync(join(dir, "docs.json"), JSON.stringify(docs));
    writeFileSync(
      join(dir, "lean.cjs"),
      `const api = require("s3-replication-lint");
const docs = require("./docs.json");
let compared = 0;
const results = docs.map((text) => [text, api.check(text, { render: "json", file: "f", policies: true })]);
// Ranges are read only now, after later calls have reused the wrapper's encoding buffer.
for (const [text, r] of results) {
  const full = JSON.parse(r.rendered).map(({ file, ...d }) => d);
  const mine = JSON.parse(JSON.stringify(r.diagnostics));
  if (JSON.stringify(mine) !== JSON.stringify(full)) throw new Error("diagnostics differ for " + text.slice(0, 200) + "\\n" + JSON.stringify(mine) + "\\n" + JSON.stringify(full));
  for (const d of r.policies?.documents ?? []) {
    if (d.statements.length !== d.policy.Statement.length || d.statements.some((s, i) => s.sid !== d.policy.Statement[i].Sid || typeof s.reason !== "string")) throw new Error("statements");
  }
  compared += r.diagnostics.length;
}
console.log(String(compared));`,
    );
    const r = run("node", ["lean.cjs"]);
    assert.equal(r.status, 0, show(r));
    assert.ok(Number(r.stdout) > 200, r.stdout);
  });

  test("import (Node ESM)", () => {
    writeFileSync(join(dir, "esm.mjs"), API_SCRIPT(`import * as api from "s3-replication-lint";`));
    checkApiOutput(run("node", ["esm.mjs"]));
  });

  test("require (Node CommonJS)", () => {
    writeFileSync(join(dir, "cjs.cjs"), API_SCRIPT(`const api = require("s3-replication-lint");`));
    checkApiOutput(run("node", ["cjs.cjs"]));
  });

  test("check in Node returns S3R099 (not a crash) after a trap, then recovers", () => {
    writeFileSync(
      join(dir, "trap.mjs"),
      `import * as api from "s3-replication-lint";
       ${TRAP}
       const trapped = trap("check", () => Array.from({ length: 50 }, () => api.check("<a/>").diagnostics.map((d) => d.code)));
       if (!trapped.every((codes) => codes.join() === "S3R099")) throw new Error(JSON.stringify(trapped));
       console.log(JSON.stringify(api.check("<ReplicationConfiguration").diagnostics.map((d) => d.code)));`,
    );
    const r = run("node", ["trap.mjs"]);
    assert.equal(r.status, 0, show(r));
    assert.ok(JSON.parse(r.stdout).length > 0);
  });

  test("esbuild bundle of the web entry runs (Node, initSync)", () => {
    writeFileSync(
      join(dir, "bundle-src.mjs"),
      `import { initSync, check, version } from "s3-replication-lint/web";
       import { readFileSync } from "node:fs";
       initSync(readFileSync(new URL("./s3_replication_lint_bg.wasm", import.meta.url)));
       const r = check("<ReplicationConfiguration");
       console.log(JSON.stringify({ version, codes: r.diagnostics.map((d) => d.code) }));`,
    );
    const b = run(join(BIN, "esbuild"), ["bundle-src.mjs", "--bundle", "--format=esm", "--platform=node", "--outfile=out/bundle.mjs", "--log-level=warning"]);
    assert.equal(b.status, 0, show(b));
    copyFileSync(join(dir, "node_modules/s3-replication-lint/web/s3_replication_lint_bg.wasm"), join(dir, "out/s3_replication_lint_bg.wasm"));
    const r = run("node", ["out/bundle.mjs"]);
    assert.equal(r.status, 0, show(r));
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, version);
    assert.ok(out.codes.length > 0);
  });

  test("typed consumer compiles with tsc --strict (ESM, CommonJS, web entry)", () => {
    writeFileSync(join(dir, "consumer.mts"), TYPED_CONSUMER(`import * as lint from "s3-replication-lint";`));
    writeFileSync(join(dir, "consumer.cts"), TYPED_CONSUMER(`import lint = require("s3-replication-lint");`));
    writeFileSync(
      join(dir, "web-consumer.mts"),
      `import init, { initSync, check, type CheckResult, type InitInput } from "s3-replication-lint/web";
       const input: InitInput = new URL("https://example.invalid/x.wasm");
       export async function load(): Promise<CheckResult> { await init(input); return check("<a/>"); }
       export function loadSync(bytes: Uint8Array): void { initSync(bytes); }
       export async function wrong(): Promise<void> {
         // @ts-expect-error init resolves to nothing
         const loaded: string = await init(input);
         void loaded;
       }`,
    );
    writeFileSync(
      join(dir, "editor-consumer.mts"),
      `import { mount, S3ReplicationEditor, type EditorChangeDetail, type EditorHandle } from "s3-replication-lint/editor";
       const el = document.createElement("s3-replication-editor");
       const same: S3ReplicationEditor = el;
       el.addEventListener("change", (e) => {
         const d: EditorChangeDetail = e.detail;
         const n: number = d.diagnostics.length + (d.policies?.documents.length ?? 0);
         const ok: boolean = d.valid;
         void [n, ok, d.format === "json"];
       });
       el.setValue("<x/>");
       el.setContext({ sourceRegion: "us-east-1" });
       el.context = '{"sourceRegion":"us-east-1"}';
       el.readOnly = true;
       const v: string = el.getValue() + el.value;
       export async function m(target: HTMLElement): Promise<EditorHandle> {
         const h = await mount(target, { value: v, panels: ["diagnostics", "policies"], onChange: (d) => void d.text });
         h.setReadonly(true);
         const snap: EditorChangeDetail = JSON.parse(h.snapshot());
         void snap;
         return h;
       }
       void same;
       // @ts-expect-error panels are diagnostics, policies and context
       void mount(el, { panels: ["topology"] });
       // @ts-expect-error the detail is typed
       el.addEventListener("ready", (e) => { const t: number = e.detail.text; void t; });`,
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
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
          noUncheckedIndexedAccess: true,
        },
        files: ["consumer.mts", "consumer.cts", "web-consumer.mts", "editor-consumer.mts"],
      }),
    );
    const r = run(join(BIN, "tsc"), ["-p", "tsconfig.json"]);
    assert.equal(r.status, 0, show(r));
    // The declarations themselves: no `any` on the public surface.
    for (const f of ["index.d.ts", "web/index.d.ts", "editor/index.d.ts"]) {
      const dts = readFileSync(join(dir, "node_modules/s3-replication-lint", f), "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
      assert.doesNotMatch(dts, /\bany\b/, `${f} uses any`);
    }
  });
});

const TYPED_CONSUMER = (importLine) => `
${importLine}
const ctx: lint.DeploymentContext = {
  sourceRegion: "us-east-1",
  destinations: { "photos-dr-replica": { region: "us-west-2", defaultEncryption: "SSE-KMS" } },
};
const result: lint.CheckResult = lint.check("<ReplicationConfiguration/>", { format: "auto", context: ctx, policies: true });
const first: lint.Diagnostic | undefined = result.diagnostics[0];
if (first) {
  const sev: lint.Severity = first.severity;
  const line: number = first.range.start.line;
  const edits: lint.TextEdit[] = first.fix?.edits ?? [];
  const text: string = edits.map((e) => e.newText).join("") + sev + String(line) + (first.help ?? "");
  void text;
}
const set: lint.PolicySet = lint.generatePolicies("<ReplicationConfiguration/>", ctx);
const kinds: lint.PolicyKind[] = set.documents.map((d) => d.kind);
const actions = set.documents.flatMap((d) => d.policy.Statement.map((s) => s.Action));
const audit: lint.Diagnostic[] = lint.auditPolicies("<x/>", { role: "{}", keyPolicies: ["{}"] });
const xml: string = lint.convert("{}", "xml");
const rules: lint.RuleInfo[] = lint.rules();
const conf: lint.Confidence = rules[0]!.confidence;
const frame: string | undefined = lint.check("", { render: "text-color", file: "f.xml" }).rendered;
const many: lint.RenderedCheck = lint.checkDocuments([{ file: "f.xml", text: "" }], { render: "sarif", context: ctx });
const audited: lint.RenderedCheck = lint.auditPolicies("<x/>", { role: "{}" }, ctx, { render: "json", files: { configuration: "f.xml", role: "role.json" } });
const simText: string = lint.simulate("<x/>", { key: "a" }, ctx, { render: "text", file: "f.xml" });
const exText: string = lint.explain("<x/>", ctx, { render: "text" });
const why: string = lint.renderUnreadable("<x", "f.xml", { color: false, to: "json" });
void frame; void many; void audited; void simText; void exText; void why; void audit;
const v: string = lint.version;
const kind: lint.InputKind = lint.detectInput("main.tf", "");
const tf: lint.CheckFilesResult = lint.checkFiles([{ path: "main.tf", text: "" }], { format: "terraform", context: ctx, policies: true, render: "json" });
const conf0: lint.ConfigurationResult | undefined = tf.configurations[0];
const facts: lint.InferredFact[] = conf0?.facts ?? [];
const fileDiags: lint.Diagnostic[] = tf.files.flatMap((f) => f.diagnostics);
void kind; void facts; void fileDiags;
const hcl: string = lint.emitPolicies("<x/>", { to: "terraform", context: ctx, bindings: [{ value: "arn:aws:s3:::b", terraform: "aws_s3_bucket.b.arn", cloudformation: ["B", null] }] });
// @ts-expect-error the target is terraform or cloudformation
lint.emitPolicies("<x/>", { to: "pulumi" });
void hcl;
try { lint.convert("", "json"); } catch (e) {
  if (e instanceof lint.DocumentError) { const n: number = e.diagnostics.length; void n; }
  if (e instanceof lint.InternalError) { const c: "S3R099" = e.code; void c; }
}
const sim: lint.Simulation = lint.simulate("<x/>", { key: "a", tags: { env: "prod" }, encryption: "SSE-KMS", deleteMarker: false, isReplica: false }, ctx);
const sim2: lint.Simulation = lint.simulate("<x/>", { key: "a", tags: [["env", "prod"], { key: "k", value: "v" }, { Key: "K", Value: "V" }] });
const dest: lint.DestinationOutcome | undefined = sim.destinations[0];
const replicated: boolean | undefined = dest?.replicated;
const replicaKey: string | null | undefined = dest?.replicaKmsKeyId;
const region: string | undefined = dest?.region?.value;
const source: lint.FactSource | undefined = dest?.account?.source;
const loser: lint.AlsoMatched | undefined = dest?.alsoMatched[0];
const reason: lint.SimulationReason | undefined = sim2.rules[0]?.reason;
const ex: lint.Explanation = lint.explain("<x/>", ctx);
const shadowed: number | null | undefined = ex.destinations[0]?.rules[0]?.shadowedBy;
const sentences: string[] = [...ex.summary, ...ex.gaps, ...sim.notes];
void [kinds, actions, xml, conf, frame, v, replicated, replicaKey, region, source, loser, reason, shadowed, sentences];
// @ts-expect-error encryption names are exact
lint.simulate("", { key: "a", encryption: "AES256" });
// @ts-expect-error the key is required
lint.simulate("", { tags: { env: "prod" } });
// @ts-expect-error tag values are strings
lint.simulate("", { key: "a", tags: { n: 1 } });
// @ts-expect-error the storage class may be null
const sc: string = sim.destinations[0]!.storageClass;
// @ts-expect-error reasons are a closed set
const r2: lint.SimulationReason = "noMatch";
void [sc, r2];
// The declarations are precise: each of these must be a type error.
// @ts-expect-error "yaml" is not a format
lint.check("", { format: "yaml" });
// @ts-expect-error unknown option
lint.check("", { strict: true });
// @ts-expect-error convert targets xml or json only
lint.convert("", "yaml");
// @ts-expect-error severity is a union of three strings
const s: lint.Severity = "fatal";
// @ts-expect-error context fields are typed
lint.generatePolicies("", { sourceBucketKeys: "yes" });
// @ts-expect-error diagnostics are not any
const nope: number = result.diagnostics[0]!.message;
void [s, nope];
`;

describe("browser", () => {
  let server;
  let base;
  let chromium;

  before(async () => {
    // Static server over the consumer folder (node_modules included), as a web page would see it.
    const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
    server = createServer((req, res) => {
      const path = join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname));
      if (!path.startsWith(dir) || !existsSync(path)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
      res.end(readFileSync(path));
    });
    await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${server.address().port}`;
    ({ chromium } = await import(join(ROOT, "node_modules/playwright-core/index.mjs")));
  });

  after(() => server && server.close());

  async function page(html) {
    const name = `page-${Math.random().toString(36).slice(2)}.html`;
    writeFileSync(join(dir, name), html);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
    });
    try {
      const p = await browser.newPage();
      const errors = [];
      p.on("pageerror", (e) => errors.push(e.message));
      await p.goto(`${base}/${name}`);
      await p.waitForFunction(() => window.result !== undefined || window.failure !== undefined, null, { timeout: 30_000 });
      const failure = await p.evaluate(() => window.failure);
      assert.equal(failure, undefined, `${failure}\n${errors.join("\n")}`);
      return await p.evaluate(() => window.result);
    } finally {
      await browser.close();
    }
  }

  const PROBE = `
    try {
      const r = api.check("<ReplicationConfiguration");
      const sim = api.simulate(${JSON.stringify(readFileSync(join(FIX, "valid.xml"), "utf8"))}, { key: "photos/a.jpg" });
      window.result = { version: api.version, codes: r.diagnostics.map((d) => d.code), after: api.check("<a").diagnostics.length,
        simulated: sim.destinations.map((d) => [d.name, d.replicated]) };
    } catch (e) { window.failure = String(e && e.stack || e); }`;

  test("ES module (web entry, no bundler)", async () => {
    const r = await page(`<!doctype html><script type="module">
      import init, * as api from "/node_modules/s3-replication-lint/web/index.js";
      try { await init(); } catch (e) { window.failure = String(e); }
      ${PROBE}
    </script>`);
    assert.equal(r.version, version);
    assert.ok(r.codes.length > 0);
    assert.ok(r.after > 0);
    assert.deepEqual(r.simulated, [["photos-dr-replica", true]]);
  });

  test("package root through an import map (the bundler entry, top-level await)", async () => {
    const r = await page(`<!doctype html>
      <script type="importmap">{ "imports": { "s3-replication-lint": "/node_modules/s3-replication-lint/bundler/index.js" } }</script>
      <script type="module">
      import * as api from "s3-replication-lint";
      ${PROBE}
    </script>`);
    assert.equal(r.version, version);
    assert.ok(r.codes.length > 0);
  });

  test("esbuild browser bundle with the .wasm copied beside it", async () => {
    writeFileSync(
      join(dir, "browser-src.mjs"),
      `import init, * as api from "s3-replication-lint/web";
       try { await init(new URL("./s3_replication_lint_bg.wasm", import.meta.url)); } catch (e) { window.failure = String(e); }
       ${PROBE}`,
    );
    const b = run(join(BIN, "esbuild"), ["browser-src.mjs", "--bundle", "--format=esm", "--platform=browser", "--outfile=web-out/app.js", "--log-level=warning"]);
    assert.equal(b.status, 0, show(b));
    copyFileSync(join(dir, "node_modules/s3-replication-lint/web/s3_replication_lint_bg.wasm"), join(dir, "web-out/s3_replication_lint_bg.wasm"));
    const r = await page(`<!doctype html><script type="module" src="/web-out/app.js"></script>`);
    assert.ok(r.codes.length > 0);
  });
});
