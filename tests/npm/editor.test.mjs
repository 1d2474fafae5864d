// Packaging test of `s3-replication-lint/editor` (the <s3-replication-editor> element and
// `mount`): installs dist/s3-replication-lint-<version>.tgz (from `make pkg`) into an empty
// temporary folder and loads the subpath in headless Chromium, from a plain
// `<script type="module">` and from an esbuild bundle. Run: `node --test tests/npm/`.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync, copyFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:http";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const FIX = join(ROOT, "tests/npm/fixtures");
const BIN = join(ROOT, "node_modules/.bin");
const version = JSON.parse(readFileSync(join(ROOT, "dist/npm/package.json"), "utf8")).version;
const TGZ = join(ROOT, `dist/s3-replication-lint-${version}.tgz`);
const VALID = readFileSync(join(FIX, "valid.xml"), "utf8");
const BROKEN = readFileSync(join(FIX, "broken.xml"), "utf8");
const PKG = "node_modules/s3-replication-lint";

let dir;
let server;
let base;
let chromium;
let browser;
/** Requests the static server answered, by path. */
const served = [];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: "utf8", timeout: 120_000 });
  if (r.error) throw r.error;
  return r;
}
const show = (r) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

before(async () => {
  assert.ok(existsSync(TGZ), `missing ${TGZ}: run \`make pkg\` first`);
  dir = mkdtempSync(join(tmpdir(), "s3rl-editor-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "portal", private: true, type: "module" }));
  const r = run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", TGZ]);
  assert.equal(r.status, 0, show(r));
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm" };
  server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    served.push(pathname);
    const path = join(dir, pathname);
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
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
  if (dir && !process.env.KEEP_TMP) rmSync(dir, { recursive: true, force: true });
});

/**
 * The host page: clashing styles, a `#app` element of its own (a common root id), two
 * editors and a log of their events in `window.log`.
 */
const PORTAL = (script) => `<!doctype html>
<html><head><meta charset="utf-8">
<style>
  * { font-family: "Comic Sans MS", cursive !important; color: rgb(255, 0, 0) !important; }
  textarea { display: none !important; }
  div { border: 9px solid lime !important; }
  /* Theming: the documented custom properties, set on the element, reach the shadow root. */
  #a { --s3rl-accent: rgb(1, 2, 3); }
</style></head>
<body>
  <div id="app">the portal's own app</div>
  <s3-replication-editor id="a" panels="diagnostics policies" theme="light"></s3-replication-editor>
  <s3-replication-editor id="b" panels="diagnostics" theme="dark" format="json" readonly></s3-replication-editor>
  <script>
    window.log = [];
    for (const type of ["ready", "change"]) {
      document.addEventListener(type, (e) => {
        if (!e.target.id) return;
        const d = e.detail;
        window.log.push({ type, id: e.target.id, valid: d.valid, format: d.format, text: d.text,
          codes: d.diagnostics.map((x) => x.code), errors: d.diagnostics.filter((x) => x.severity === "error").length,
          policies: d.policies ? d.policies.documents.map((p) => p.kind) : null });
      });
    }
  </script>
  ${script}
</body></html>`;

async function open(html) {
  const name = `page-${Math.random().toString(36).slice(2)}.html`;
  writeFileSync(join(dir, name), html);
  const page = await browser.newPage();
  const errors = [];
  const requests = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => requests.push(r.url()));
  served.length = 0;
  await page.goto(`${base}/${name}`);
  return { page, errors, requests };
}

const log = (page) => page.evaluate(() => window.log);

async function waitReady(page, errors, count = 2) {
  try {
    await page.waitForFunction((n) => window.log.filter((e) => e.type === "ready").length >= n, count, { timeout: 30_000 });
  } catch (e) {
    throw new Error(`the editors did not get ready: ${e.message}\npage errors: ${errors.join("\n")}`);
  }
}

/** The editors render, load the wasm once, stay independent and keep the host CSS out. */
async function checkPortal(page, errors, requests) {
  await waitReady(page, errors);
  assert.deepEqual(errors, []);
  // Both editors rendered their textarea inside their shadow root.
  const shadow = await page.evaluate(() =>
    ["a", "b"].map((id) => {
      const t = document.getElementById(id).shadowRoot.querySelector("textarea");
      const style = t && getComputedStyle(t);
      return t && { display: style.display, color: style.color, font: style.fontFamily, readOnly: t.readOnly, value: t.value,
        accent: style.getPropertyValue("--s3rl-accent").trim() };
    }),
  );
  for (const s of shadow) {
    assert.ok(s, "a textarea in the shadow root");
    assert.notEqual(s.display, "none", "host CSS must not hide the editor");
    assert.notEqual(s.color, "rgb(255, 0, 0)", "host CSS must not colour the editor");
    assert.doesNotMatch(s.font, /Comic Sans/);
  }
  assert.equal(shadow[0].accent, "rgb(1, 2, 3)", "the host's --s3rl-accent wins over the built-in palette");
  assert.notEqual(shadow[1].accent, "rgb(1, 2, 3)");
  assert.equal(shadow[0].readOnly, false);
  assert.equal(shadow[1].readOnly, true, "readonly attribute");
  // The host's own #app is left alone (the editor's module must not mount the playground there).
  assert.equal(await page.evaluate(() => document.getElementById("app").textContent), "the portal's own app");
  // One instantiation for the page: the editor's wasm was fetched once.
  const wasm = requests.filter((u) => u.endsWith(".wasm"));
  assert.equal(wasm.length, 1, wasm.join("\n"));
  assert.ok(wasm[0].endsWith("s3_replication_lint_web_bg.wasm"));
  // Nothing left 127.0.0.1.
  assert.deepEqual(requests.filter((u) => !u.startsWith(base) && !u.startsWith("data:")), []);

  // Typing in one editor fires change there only, with the diagnostics of the new text.
  const before = (await log(page)).filter((e) => e.id === "b").length;
  await page.evaluate((text) => document.getElementById("a").setValue(text), VALID);
  await page.waitForFunction(() => window.log.some((e) => e.id === "a" && e.type === "change" && e.text.includes("photos-to-dr")));
  const box = page.locator("#a textarea");
  await box.evaluate((t) => {
    const at = t.value.indexOf("<Status>Enabled</Status>");
    t.focus();
    t.setSelectionRange(at, at);
  });
  await page.keyboard.type("<Colour>x</Colour>");
  await page.waitForFunction(() => window.log.some((e) => e.id === "a" && e.type === "change" && e.text.includes("<Colour>x</Colour>")));
  const last = (await log(page)).filter((e) => e.id === "a").at(-1);
  assert.equal(last.valid, false);
  assert.equal(last.format, "xml");
  assert.ok(last.errors > 0, JSON.stringify(last));
  assert.ok(last.policies.includes("role-permissions"), JSON.stringify(last.policies));
  assert.equal((await log(page)).filter((e) => e.id === "b").length, before, "the other editor did not change");
  assert.match(await page.evaluate(() => document.getElementById("a").getValue()), /<Colour>x<\/Colour>/);

  // A readonly editor ignores typing; setValue still works and reports the new diagnostics.
  const b = page.locator("#b textarea");
  const value = await b.inputValue();
  await b.click();
  await page.keyboard.type("hello");
  assert.equal(await b.inputValue(), value);
  await page.evaluate(() => document.getElementById("b").setValue('{ "Rules": [ { "Status": "Enabled" } ] }'));
  await page.waitForFunction(() => window.log.some((e) => e.id === "b" && e.type === "change" && e.errors > 0));
  assert.equal((await log(page)).filter((e) => e.id === "b").at(-1).format, "json");
}

describe("s3-replication-lint/editor", () => {
  test("declared: subpath export, side effects and types", () => {
    const pj = JSON.parse(readFileSync(join(dir, PKG, "package.json"), "utf8"));
    assert.deepEqual(pj.exports["./editor"], { types: "./editor/index.d.ts", default: "./editor/index.js" });
    for (const f of ["editor/index.js", "editor/index.d.ts", "editor/s3-replication-editor.js", "editor/style.css", "editor/pkg/s3_replication_lint_web.js", "editor/pkg/s3_replication_lint_web_bg.wasm"]) {
      assert.ok(existsSync(join(dir, PKG, f)), `the package lacks ${f}`);
    }
    // A bare `import "s3-replication-lint/editor"` must survive tree shaking.
    assert.ok(pj.sideEffects.includes("./editor/index.js") && pj.sideEffects.includes("./editor/s3-replication-editor.js"));
    const dts = readFileSync(join(dir, PKG, "editor/index.d.ts"), "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
    assert.doesNotMatch(dts, /\bany\b/);
  });

  test("plain <script type=module>: two editors, one wasm load, independent, host CSS kept out", async () => {
    const { page, errors, requests } = await open(
      PORTAL(`<script type="module">
        import { mount, S3ReplicationEditor } from "/${PKG}/editor/index.js";
        window.defined = customElements.get("s3-replication-editor") === S3ReplicationEditor && typeof mount === "function";
      </script>`),
    );
    try {
      await checkPortal(page, errors, requests);
      assert.equal(await page.evaluate(() => window.defined), true);
    } finally {
      await page.close();
    }
  });

  test("mount(element, options) renders an editor and reports changes", async () => {
    const { page, errors } = await open(`<!doctype html><html><body>
      <link rel="stylesheet" href="/${PKG}/editor/style.css">
      <div id="host"></div>
      <script type="module">
        import { mount } from "/${PKG}/editor/index.js";
        window.changes = [];
        try {
          const handle = await mount(document.getElementById("host"), {
            value: ${JSON.stringify(BROKEN)},
            panels: ["diagnostics"],
            onChange: (d) => window.changes.push({ valid: d.valid, text: d.text }),
          });
          window.handle = handle;
          window.first = JSON.parse(handle.snapshot());
        } catch (e) { window.failure = String(e && e.stack || e); }
      </script></body></html>`);
    try {
      await page.waitForFunction(() => window.first !== undefined || window.failure !== undefined, null, { timeout: 30_000 });
      assert.equal(await page.evaluate(() => window.failure), undefined, errors.join("\n"));
      const first = await page.evaluate(() => window.first);
      assert.equal(first.valid, false);
      assert.ok(first.diagnostics.some((d) => d.severity === "error"));
      await page.waitForSelector("#host textarea");
      await page.evaluate((text) => window.handle.setValue(text), VALID);
      await page.waitForFunction(() => window.changes.some((c) => c.valid && c.text.includes("photos-to-dr")));
      assert.match(await page.evaluate(() => window.handle.getValue()), /photos-to-dr/);
      await page.evaluate(() => window.handle.destroy());
      assert.equal(await page.evaluate(() => document.querySelector("#host textarea")), null);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test("esbuild bundle of a page importing the subpath (assets copied beside it)", async () => {
    writeFileSync(
      join(dir, "portal-src.mjs"),
      // A bare import: defining the element is the module's side effect.
      `import "s3-replication-lint/editor";
       window.defined = customElements.get("s3-replication-editor") !== undefined;`,
    );
    const b = run(join(BIN, "esbuild"), ["portal-src.mjs", "--bundle", "--format=esm", "--platform=browser", "--outfile=portal-out/portal.js", "--log-level=warning"]);
    assert.equal(b.status, 0, show(b));
    assert.equal(b.stderr, "", "esbuild warns about nothing (e.g. an import dropped as side-effect free)");
    // What the README tells esbuild users to copy: the stylesheet and the module, same layout.
    mkdirSync(join(dir, "portal-out/pkg"), { recursive: true });
    copyFileSync(join(dir, PKG, "editor/style.css"), join(dir, "portal-out/style.css"));
    copyFileSync(join(dir, PKG, "editor/pkg/s3_replication_lint_web_bg.wasm"), join(dir, "portal-out/pkg/s3_replication_lint_web_bg.wasm"));
    const { page, errors, requests } = await open(PORTAL(`<script type="module" src="/portal-out/portal.js"></script>`));
    try {
      await checkPortal(page, errors, requests);
      assert.equal(await page.evaluate(() => window.defined), true);
      assert.ok(served.every((p) => !p.startsWith(`/${PKG}/`)), `the bundle is self-contained: ${served.join(", ")}`);
    } finally {
      await page.close();
    }
  });
});
