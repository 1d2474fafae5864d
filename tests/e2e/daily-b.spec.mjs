// Daily trial, part B: copy and download of the policies, the topology on a phone and by
// keyboard or touch, the embedded editor (narrow, without its context panel, in a form,
// read-only), keyboard use of the Simulate tab and the problem list, and text contrast.
import { test, expect, openEditor } from './fixtures.mjs';
import fs from 'node:fs';

const diagnostics = (page) => page.getByRole('list', { name: 'Diagnostics' });

/** Replace the whole document (one input event, like a paste) and wait for the analysis. */
async function setDocument(page, text) {
  const before = Number(await page.locator('.app').getAttribute('data-rev'));
  await page.getByRole('textbox', { name: 'Replication configuration' }).fill(text);
  await expect.poll(async () => Number(await page.locator('.app').getAttribute('data-rev'))).toBeGreaterThan(before);
}

async function loadExample(page, id) {
  const before = Number(await page.locator('.app').getAttribute('data-rev'));
  await page.getByLabel('Load an example').selectOption(id);
  await expect.poll(async () => Number(await page.locator('.app').getAttribute('data-rev'))).toBeGreaterThan(before);
}

// ---------------------------------------------------------------------------------------
// 10. Copy and download

test('Copy says "Copied" on the button itself (text and name) for about two seconds, then reverts', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openEditor(page);
  const doc = page.locator('.policy-doc[data-kind="role-permissions"]').first();
  const copy = doc.locator('.actions button').first();
  await expect(copy).toHaveText('Copy');
  const name = await copy.getAttribute('aria-label');
  expect(name).toMatch(/^Copy /);
  await copy.click();
  await expect(copy).toHaveText('Copied');
  await expect(copy).toHaveAccessibleName(name.replace(/^Copy /, 'Copied '));
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await doc.locator('pre').textContent());
  // The button says it; no notice elsewhere.
  await expect(page.locator('.notice')).not.toContainText('Copied');
  const t0 = Date.now();
  await expect(copy).toHaveText('Copy', { timeout: 4_000 });
  expect(Date.now() - t0).toBeGreaterThan(1_000);
  await expect(copy).toHaveAccessibleName(name);
});

test('the KMS tab copies the statement it tells you to add, not a whole policy', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openEditor(page);
  await page.getByRole('tab', { name: 'KMS key policies' }).click();
  const docs = page.getByRole('tabpanel').locator('.policy-doc[data-kind="kms-key-policy"]');
  await expect(docs.first()).toBeVisible();
  expect(await docs.count()).toBeGreaterThan(0);
  for (const doc of await docs.all()) {
    await expect(doc.locator('.how')).toContainText(/add this statement/i);
    const policy = JSON.parse(await doc.locator('pre').textContent());
    expect(policy.Statement).toHaveLength(1);
    await doc.getByRole('button', { name: /^Copy / }).click();
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    expect(copied.Version).toBeUndefined();
    expect(copied.Statement).toBeUndefined();
    expect(copied).toEqual(policy.Statement[0]);
  }
});

/** The file name the brief asks for: the key ID or alias, or the bucket, in safe characters. */
function expectedName(kind, attachTo) {
  let tail = attachTo.slice(attachTo.lastIndexOf(':') + 1);
  if (kind === 'kms-key-policy') tail = tail.replace(/^key\//, '');
  tail = tail.replace(/\//g, '-').replace(/[^A-Za-z0-9._-]/g, '');
  return `${kind === 'kms-key-policy' ? 'key-policy' : 'bucket-policy'}-${tail}.json`;
}

test('downloads of key and bucket policies are named after their key or bucket', async ({ page }) => {
  await openEditor(page);
  const seen = [];
  for (const [example, tab, kind] of [
    ['kms-2018', 'KMS key policies', 'kms-key-policy'],
    ['cross-account-kms', 'KMS key policies', 'kms-key-policy'],
    ['cross-account-kms', 'Destination bucket policy', 'destination-bucket-policy'],
  ]) {
    await loadExample(page, example);
    await page.getByRole('tab', { name: tab }).click();
    const docs = page.getByRole('tabpanel').locator(`.policy-doc[data-kind="${kind}"]`);
    await expect(docs.first()).toBeVisible();
    for (const doc of await docs.all()) {
      const attachTo = (await doc.locator('.attach code').textContent()).trim();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        doc.getByRole('button', { name: /^Download / }).click(),
      ]);
      const name = download.suggestedFilename();
      expect(name).toBe(expectedName(kind, attachTo));
      expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(JSON.parse(fs.readFileSync(await download.path(), 'utf8'))).toEqual(JSON.parse(await doc.locator('pre').textContent()));
      seen.push(name);
    }
  }
  expect(seen.some((n) => n.startsWith('key-policy-'))).toBe(true);
  expect(seen.some((n) => n.startsWith('bucket-policy-'))).toBe(true);
});

// ---------------------------------------------------------------------------------------
// 12. Topology

/** Long names, a 12-digit account, a long KMS key, every label part: the worst case to draw. */
const LONG = `<?xml version="1.0" encoding="UTF-8"?>
<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>arn:aws:iam::111122223333:role/service-role/replication-role-with-a-rather-long-name</Role>
  <Rule>
    <ID>replicate-finance-reports-under-the-long-prefix-to-the-archive</ID>
    <Priority>2</Priority>
    <Filter><And><Prefix>projects/2024/quarterly-reports/finance/</Prefix><Tag><Key>classification</Key><Value>confidential-internal</Value></Tag></And></Filter>
    <Status>Enabled</Status>
    <SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>
    <Destination>
      <Bucket>arn:aws:s3:::a-very-long-destination-bucket-name-for-the-replicas-euw1</Bucket>
      <Account>444455556666</Account>
      <StorageClass>DEEP_ARCHIVE</StorageClass>
      <AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>
      <EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:eu-west-1:444455556666:key/0f1e2d3c-4b5a-4697-8877-665544332211</ReplicaKmsKeyID></EncryptionConfiguration>
      <ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>
      <Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>
    </Destination>
    <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  </Rule>
  <Rule>
    <ID>everything-else</ID>
    <Priority>1</Priority>
    <Filter/>
    <Status>Enabled</Status>
    <Destination>
      <Bucket>arn:aws:s3:::short-copy</Bucket>
      <Account>777788889999</Account>
      <StorageClass>GLACIER_IR</StorageClass>
    </Destination>
    <DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>
  </Rule>
</ReplicationConfiguration>
`;

/** Every text of the drawing that leaves the drawing, its node or its room (label texts end
 *  before their destination node), or is cut off with an ellipsis; and the page's and the
 *  drawing container's hidden horizontal overflow. */
function topologyProblems() {
  const out = [];
  const svg = document.querySelector('svg.topo-svg');
  const scroll = document.querySelector('.topo-scroll');
  const width = svg.viewBox.baseVal.width;
  const view = scroll.getBoundingClientRect();
  const se = document.scrollingElement;
  if (se.scrollWidth > se.clientWidth) out.push(`page scrolls sideways: ${se.scrollWidth} > ${se.clientWidth}`);
  if (scroll.scrollWidth > scroll.clientWidth) out.push(`drawing hidden to the side: ${scroll.scrollWidth} > ${scroll.clientWidth}`);
  for (const t of svg.querySelectorAll('text')) {
    const b = t.getBBox();
    const what = `"${t.textContent}"`;
    if (b.x < 0 || b.x + b.width > width + 0.5) out.push(`${what} outside the viewBox: ${b.x}..${b.x + b.width} of ${width}`);
    const r = t.getBoundingClientRect();
    if (r.left < view.left - 0.5 || r.right > view.right + 0.5) out.push(`${what} outside the visible container`);
    if (t.textContent.endsWith('…')) out.push(`${what} is clipped`);
    const node = t.closest('.topo-node');
    const rect = node ? node.querySelector('rect').getBBox() : null;
    if (rect && (b.x < rect.x || b.x + b.width > rect.x + rect.width + 0.5 || b.y < rect.y || b.y + b.height > rect.y + rect.height + 0.5)) {
      out.push(`${what} outside its node`);
    }
    if (t.classList.contains('topo-label')) {
      const dest = t.closest('.topo-dest').querySelector('.topo-node rect').getBBox();
      if (b.x + b.width > dest.x) out.push(`${what} runs into the destination node`);
    }
  }
  return out;
}

for (const width of [1280, 390]) {
  test(`Topology at ${width} px: no clipped account numbers or labels, no hidden sideways scroll`, async ({ browser }) => {
    const ctx = await browser.newContext({ viewport: { width, height: width > 500 ? 900 : 844 } });
    const page = await ctx.newPage();
    await openEditor(page);
    for (const example of ['multi-destination', 'cross-account-kms']) {
      await loadExample(page, example);
      await page.getByRole('tab', { name: 'Topology' }).click();
      await expect(page.locator('svg.topo-svg')).toBeVisible();
      await expect.poll(() => page.evaluate(topologyProblems), { message: example }).toEqual([]);
    }
    await setDocument(page, LONG);
    await expect(page.locator('.topo-dest')).toHaveCount(2);
    await expect.poll(() => page.evaluate(topologyProblems)).toEqual([]);
    // Account numbers in full, in their nodes.
    await expect(page.locator('.topo-dest[data-bucket="a-very-long-destination-bucket-name-for-the-replicas-euw1"] .topo-node')).toContainText('444455556666');
    await expect(page.locator('.topo-dest[data-bucket="short-copy"] .topo-node')).toContainText('777788889999');
    await page.locator('.topology').screenshot({ path: `tests/e2e/test-results/topology-long-${width}.png` });
    await ctx.close();
  });
}

test('Topology: the full sentence of an arrow is reachable by keyboard and by touch', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await ctx.newPage();
  await openEditor(page);
  await loadExample(page, 'multi-destination');
  await page.getByRole('tab', { name: 'Topology' }).click();
  const edges = page.locator('.topo-edge');
  await expect(edges).toHaveCount(2);
  const caption = page.locator('.topo-caption');
  const sentence = async (i) => (await edges.nth(i).locator('title').textContent()).trim();
  // Keyboard: Tab from the drawing reaches the first arrow, then the second.
  await page.locator('.topo-scroll').focus();
  await page.keyboard.press('Tab');
  await expect(edges.nth(0)).toBeFocused();
  await expect(caption).toHaveText(await sentence(0));
  await expect(edges.nth(0)).toHaveAccessibleName(await sentence(0));
  await page.keyboard.press('Tab');
  await expect(edges.nth(1)).toBeFocused();
  await expect(caption).toHaveText(await sentence(1));
  // Touch: tapping an arrow's label shows its sentence.
  await edges.nth(0).locator('text').first().tap();
  await expect(caption).toHaveText(await sentence(0));
  expect((await sentence(0)).length).toBeGreaterThan(40);
  await ctx.close();
});

// ---------------------------------------------------------------------------------------
// 13. Embedded editor

async function openPortal(page) {
  await page.goto('/embed.html');
  for (const id of ['primary', 'secondary', 'reference']) {
    await expect(page.locator(`#${id}`).getByRole('textbox', { name: 'Replication configuration' })).toHaveValue(/portal/);
  }
  await expect(page.locator('#primary .app[data-rev]')).toBeVisible();
}

test('embedded at 390 px: nothing overflows sideways, long URLs and ARNs wrap', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await openPortal(page);
  const overflow = () => page.evaluate(() => {
    const out = [];
    const se = document.scrollingElement;
    if (se.scrollWidth > se.clientWidth) out.push(`page ${se.scrollWidth} > ${se.clientWidth}`);
    for (const el of document.querySelectorAll('s3-replication-editor')) {
      const app = el.shadowRoot.querySelector('.app');
      if (app.scrollWidth > app.clientWidth) out.push(`${el.id} ${app.scrollWidth} > ${app.clientWidth}`);
    }
    return out;
  });
  await expect.poll(overflow).toEqual([]);
  // Every tab of the primary editor, the Topology too.
  for (const tab of ['Trust policy', 'KMS key policies', 'Destination bucket policy', 'Simulate', 'Topology', 'Audit']) {
    await page.locator('#primary').getByRole('tab', { name: tab }).click();
    await expect.poll(overflow, { message: tab }).toEqual([]);
  }
  await ctx.close();
});

test('embedded without the context panel, help texts name the context the page passes, not a panel', async ({ page }) => {
  await openPortal(page);
  const secondary = page.locator('#secondary');
  const notVerified = secondary.locator('li[data-code="S3R600"]');
  await expect(notVerified.first()).toBeVisible();
  const shown = (loc) => loc.evaluate((el) => el.shadowRoot.querySelector('.app').innerText);
  // No context panel here: nothing may send the user to it.
  expect(await shown(secondary)).not.toContain('deployment context');
  await expect(notVerified.first().locator('.help')).toContainText('context the embedding page passes');
  // The same help where the panel is shown still points to it.
  const primary = page.locator('#primary');
  await primary.evaluate((el) => el.setContext({}));
  await expect(primary.locator('li[data-code="S3R600"]').first()).toBeVisible();
  expect(await shown(primary)).toContain('Deployment context');
  expect(await primary.locator('li[data-code="S3R600"] .help').first().innerText()).toContain('to the deployment context');
  // A policies-only embed without the panel: placeholders say the same.
  await page.evaluate(() => {
    const el = document.createElement('s3-replication-editor');
    el.id = 'policies-only';
    el.setAttribute('panels', 'diagnostics policies');
    el.setValue('{ "Role": "arn:aws:iam::111122223333:role/r", "Rules": [ { "Status": "Enabled", "Priority": 1, "Filter": {}, "DeleteMarkerReplication": { "Status": "Disabled" }, "Destination": { "Bucket": "arn:aws:s3:::dst" } } ] }');
    document.querySelector('.portal-form').append(el);
  });
  const only = page.locator('#policies-only');
  await expect(only.locator('.placeholders')).toBeVisible();
  expect(await shown(only)).not.toContain('deployment context');
  await expect(only.locator('.placeholders')).toContainText('context the embedding page passes');
});

test('the embedded editor is a form control: its text is submitted under its name, reset and disabled work', async ({ page }) => {
  await openPortal(page);
  const primary = page.locator('#primary');
  const initial = await primary.evaluate((el) => el.getValue());
  const formValue = () => page.evaluate(() => new FormData(document.getElementById('request-form')).get('replication'));
  expect(await primary.evaluate((el) => el.constructor.formAssociated)).toBe(true);
  expect(await primary.evaluate((el) => el.form && el.form.id)).toBe('request-form');
  expect(await formValue()).toBe(initial);
  // Every change reaches the form.
  const box = primary.getByRole('textbox', { name: 'Replication configuration' });
  await box.evaluate((t) => { t.focus(); t.setSelectionRange(0, 0); });
  await page.keyboard.type('<!-- edited -->');
  await expect.poll(formValue).toBe('<!-- edited -->' + initial);
  await primary.evaluate((el) => el.setValue('{ "Role": "x", "Rules": [] }'));
  await expect.poll(formValue).toBe('{ "Role": "x", "Rules": [] }');
  // A reset brings back the text the editor started with.
  await page.evaluate(() => document.getElementById('request-form').reset());
  await expect(box).toHaveValue(initial);
  expect(await formValue()).toBe(initial);
  // A disabled fieldset: read-only, and left out of the submission.
  await page.evaluate(() => { document.querySelector('fieldset').disabled = true; });
  await expect(box).not.toBeEditable();
  expect(await page.evaluate(() => new FormData(document.getElementById('request-form')).has('replication'))).toBe(false);
  await page.evaluate(() => { document.querySelector('fieldset').disabled = false; });
  await expect(box).toBeEditable();
  expect(await formValue()).toBe(initial);
});

for (const width of [1280, 390]) {
  test(`a read-only embed at ${width} px shows its last line`, async ({ browser }) => {
    const ctx = await browser.newContext({ viewport: { width, height: 844 } });
    const page = await ctx.newPage();
    await openPortal(page);
    const reference = page.locator('#reference');
    const box = reference.getByRole('textbox', { name: 'Replication configuration' });
    await expect.poll(() => box.evaluate((t) => t.scrollHeight - t.clientHeight)).toBeLessThanOrEqual(0);
    const last = await reference.evaluate((el) => {
      const lines = [...el.shadowRoot.querySelectorAll('.hl-line')].filter((l) => l.textContent.replace(/\u200b/g, '').trim());
      const line = lines.at(-1).getBoundingClientRect();
      const t = el.shadowRoot.querySelector('textarea');
      const view = t.getBoundingClientRect();
      return { text: lines.at(-1).textContent, bottom: line.bottom, visible: view.top + t.clientHeight };
    });
    expect(last.text).toContain('</ReplicationConfiguration>');
    expect(last.bottom).toBeLessThanOrEqual(last.visible);
    await ctx.close();
  });
}

// ---------------------------------------------------------------------------------------
// 14. Keyboard and contrast

test('Simulate: "Add tag" moves the focus to the new tag field', async ({ page }) => {
  await openEditor(page);
  await page.getByRole('tab', { name: 'Simulate' }).click();
  const add = page.getByRole('button', { name: 'Add tag' });
  await add.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Tag 1 key')).toBeFocused();
  await page.keyboard.type('env');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Tag 1 value')).toBeFocused();
  await add.click();
  await expect(page.getByLabel('Tag 2 key')).toBeFocused();
  await expect(page.getByLabel('Tag 1 key')).toHaveValue('env');
});

test('Problems: the list is one Tab stop; arrows, Home and End move; Enter selects; Tab reaches the fix', async ({ page }) => {
  const editor = await openEditor(page);
  await loadExample(page, 'broken');
  const list = diagnostics(page);
  const problems = list.locator('li.diag');
  const n = await problems.count();
  expect(n).toBeGreaterThan(3);
  const stops = () => list.evaluate((ul) => [...ul.querySelectorAll('a, button')].filter((e) => e.tabIndex >= 0)
    .map((e) => [...ul.children].indexOf(e.closest('li'))));
  // Only the current problem's controls are in the Tab order.
  expect(new Set(await stops())).toEqual(new Set([0]));
  const goto = (i) => problems.nth(i).locator('button.goto');
  await goto(0).focus();
  await page.keyboard.press('ArrowDown');
  await expect(goto(1)).toBeFocused();
  expect(new Set(await stops())).toEqual(new Set([1]));
  await page.keyboard.press('End');
  await expect(goto(n - 1)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(goto(n - 1)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(goto(0)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(goto(0)).toBeFocused();
  // Tab from a problem with a fix goes to its fix, the next Tab leaves the list.
  const withFix = await problems.evaluateAll((lis) => lis.findIndex((li) => li.querySelector('button.fix')));
  expect(withFix).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < withFix; i++) await page.keyboard.press('ArrowDown');
  await expect(goto(withFix)).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(problems.nth(withFix).locator('button.fix')).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await list.evaluate((ul) => ul.contains(document.activeElement))).toBe(false);
  // Enter on a problem selects its range in the editor, as a click does.
  await goto(withFix).focus();
  const line = Number(await problems.nth(withFix).getAttribute('data-line'));
  await page.keyboard.press('Enter');
  await expect(editor).toBeFocused();
  const caretLine = await editor.evaluate((t) => t.value.slice(0, t.selectionStart).split('\n').length);
  expect(caretLine).toBe(line);
});

/** WCAG 2 contrast of every visible text (and placeholder) under `selector` (light DOM and
 *  open shadow roots): its colour (fill for SVG) composited over its effective background
 *  (ancestor backgrounds, alpha and opacity included). Returns the texts under 4.5:1. */
function lowContrast(selector) {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (m) {
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    const s = c.match(/srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?/);
    if (s) return [s[1] * 255, s[2] * 255, s[3] * 255, s[4] === undefined ? 1 : Number(s[4])];
    return null;
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const parentOf = (el) => el.parentElement || (el.parentNode && el.parentNode.host) || null;
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  const canvas = dark ? [18, 18, 18, 1] : [255, 255, 255, 1];
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = parentOf(e)) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let bg = canvas;
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = parentOf(e)) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const out = [];
  let checked = 0;
  const check = (el, color, text) => {
    const fg = parse(color);
    if (!fg || fg[3] === 0) return;
    checked++;
    const bg = background(el);
    const r = ratio(over([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg), bg);
    if (r < 4.5) out.push(`${r.toFixed(2)}:1 "${text.trim().slice(0, 40)}" ${color} on rgb(${bg.slice(0, 3).map(Math.round).join(', ')}) <${el.tagName.toLowerCase()} class="${el.getAttribute('class') || ''}">`);
  };
  const seen = new Set();
  const visit = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n = walker.currentNode; n; n = walker.nextNode()) {
      if (n.nodeType === 1) {
        if (n.shadowRoot) visit(n.shadowRoot);
        if ((n.tagName === 'INPUT' || n.tagName === 'TEXTAREA') && n.placeholder && !n.value && n.getClientRects().length) {
          check(n, getComputedStyle(n, '::placeholder').color, n.placeholder);
        }
        if (n.tagName === 'SELECT' && !n.disabled && n.getClientRects().length) {
          check(n, getComputedStyle(n).color, n.selectedOptions[0] ? n.selectedOptions[0].text : '');
        }
        continue;
      }
      const el = n.parentElement;
      if (!el || seen.has(el) || !n.textContent.trim()) continue;
      // Disabled controls are exempt (WCAG 1.4.3); hidden text and tooltips are not drawn.
      if (el.closest('button:disabled, select, title, script, style, textarea')) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      if (![...range.getClientRects()].some((r) => r.width > 0 && r.height > 0)) continue;
      const s = getComputedStyle(el);
      if (s.visibility !== 'visible') continue;
      seen.add(el);
      check(el, el instanceof SVGElement ? s.fill : s.color, n.textContent);
    }
  };
  for (const root of document.querySelectorAll(selector)) visit(root.shadowRoot || root);
  return { checked, out: [...new Set(out)] };
}

for (const scheme of ['light', 'dark']) {
  test(`every text of the editor meets 4.5:1 in the ${scheme} scheme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openEditor(page);
    const failures = [];
    for (const example of ['kms-2018', 'broken', 'cross-account-kms']) {
      await loadExample(page, example);
      for (const tab of ['Role permissions policy', 'KMS key policies', 'Destination bucket policy', 'Simulate', 'Topology', 'Audit']) {
        await page.getByRole('tab', { name: tab }).click();
        if (tab === 'Simulate') {
          // Placeholders of an empty tag row; the highlighted band of the governing rule.
          await page.getByRole('button', { name: 'Add tag' }).click();
        }
        const { checked, out } = await page.evaluate(lowContrast, 'body');
        expect(checked).toBeGreaterThan(100);
        failures.push(...out.map((o) => `${example} / ${tab}: ${o}`));
      }
    }
    await page.goto('/#rules');
    await expect(page.locator('.rule-index')).toBeVisible();
    failures.push(...(await page.evaluate(lowContrast, 'body')).out.map((o) => `rules: ${o}`));
    expect([...new Set(failures)]).toEqual([]);
  });

  test(`every text of the embedded editors meets 4.5:1 in the ${scheme} scheme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openPortal(page);
    const failures = [];
    for (const tab of ['Role permissions policy', 'Simulate', 'Topology']) {
      await page.locator('#primary').getByRole('tab', { name: tab }).click();
      const { checked, out } = await page.evaluate(lowContrast, 's3-replication-editor');
      expect(checked).toBeGreaterThan(100);
      failures.push(...out.map((o) => `${tab}: ${o}`));
    }
    expect([...new Set(failures)]).toEqual([]);
  });
}
