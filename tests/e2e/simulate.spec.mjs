// End-to-end tests of the Simulate and Topology tabs and of the `explain` summary.
import { test, expect, openEditor, rev, SHOTS } from './fixtures.mjs';
import path from 'node:path';

const dest = (page, bucket) => page.locator(`.sim-dest[data-bucket="${bucket}"]`);
const ruleRow = (page, id) => page.locator(`.sim-rule[data-rule="${id}"]`);

/** Replace the whole document with one input event, as a paste does (Playwright's `fill`
 * fires one per line in this Chromium, which a 1000-line document turns into seconds), and
 * wait for the analysis. */
async function setDocument(page, text) {
  const before = await rev(page);
  await page.getByRole('textbox', { name: 'Replication configuration' }).evaluate((t, text) => {
    t.focus();
    t.value = text;
    t.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, text);
  await expect.poll(() => rev(page)).toBeGreaterThan(before);
}

/** 0-based [first, last] line of the `n`-th `<Rule>` element of an XML document. */
function ruleLines(text, n = 0) {
  const lines = text.split('\n');
  const starts = lines.map((l, i) => (l.includes('<Rule>') ? i : -1)).filter((i) => i >= 0);
  const first = starts[n];
  const last = lines.findIndex((l, i) => i > first && l.includes('</Rule>'));
  return [first, last];
}

test('Simulate: the KMS example replicates a matching key; key, encryption and document edits change the reason', async ({ page }) => {
  const editor = await openEditor(page);
  await page.getByRole('tab', { name: 'Simulate' }).click();
  await expect(page.getByRole('tab', { name: 'Simulate' })).toHaveAttribute('aria-selected', 'true');
  const key = page.getByLabel('Object key');
  await expect(key).toBeVisible();

  await key.fill('prefix1/2024/report.csv');
  const d = dest(page, 'destination-bucket');
  await expect(d).toHaveAttribute('data-replicated', 'true');
  await expect(d.locator('.verdict')).toHaveText('Replicated');
  await expect(d.locator('.governing')).toContainText('encrypted-prefix1');
  await expect(d).toContainText('us-west-2');
  await expect(ruleRow(page, 'encrypted-prefix1')).toHaveAttribute('data-reason', 'replicates');

  // The governing rule is banded in the editor, exactly over its lines.
  const [first, last] = ruleLines(await editor.inputValue());
  await expect(page.locator('.hl-line.hl-band')).toHaveCount(last - first + 1);
  await expect(page.locator('.hl-line').nth(first)).toHaveClass(/hl-band/);
  await expect(page.locator('.hl-line').nth(last)).toHaveClass(/hl-band/);
  await expect(page.locator('.hl-line').nth(first - 1)).not.toHaveClass(/hl-band/);
  await page.screenshot({ path: path.join(SHOTS, 'simulate-kms.png'), fullPage: true });

  // Every keystroke of the key: a key outside the prefix is not replicated.
  await key.fill('');
  await key.pressSequentially('other/');
  await expect(d).toHaveAttribute('data-replicated', 'false');
  await expect(d.locator('.verdict')).toHaveText('Not replicated');
  await expect(ruleRow(page, 'encrypted-prefix1')).toHaveAttribute('data-reason', 'prefix');
  await expect(ruleRow(page, 'encrypted-prefix1')).toContainText('Key prefix does not match');
  await expect(page.locator('.hl-line.hl-band')).toHaveCount(0);

  // SSE-KMS objects: the rule opts them in and names a replica key.
  await key.fill('prefix1/secret.bin');
  await page.getByLabel('Object encryption').selectOption('SSE-KMS');
  await expect(d).toHaveAttribute('data-replicated', 'true');
  await expect(d).toContainText('665544332211');

  // Edit the document: turn the KMS opt-in off; the answer follows the document.
  const text = await editor.inputValue();
  const at = text.indexOf('<Status>Enabled</Status>', text.indexOf('<SseKmsEncryptedObjects>'));
  const from = at + '<Status>'.length;
  await editor.evaluate((t, [s, e]) => { t.focus(); t.setSelectionRange(s, e); }, [from, from + 'Enabled'.length]);
  await page.keyboard.type('Disabled');
  await expect(editor).toHaveValue(/<SseKmsEncryptedObjects>\s*<Status>Disabled<\/Status>/);
  await expect(d).toHaveAttribute('data-replicated', 'false');
  await expect(ruleRow(page, 'encrypted-prefix1')).toHaveAttribute('data-reason', 'kms-not-selected');

  // SSE-C objects need no opt-in.
  await page.getByLabel('Object encryption').selectOption('SSE-C');
  await expect(d).toHaveAttribute('data-replicated', 'true');
  await expect(page.locator('.sim-notes')).toContainText('SSE-C');

  // Replicas are not replicated again.
  await page.getByLabel('Is a replica').check();
  await expect(d).toHaveAttribute('data-replicated', 'false');
  await expect(ruleRow(page, 'encrypted-prefix1')).toHaveAttribute('data-reason', 'replica');
});

const TAGGED = `<?xml version="1.0" encoding="UTF-8"?>
<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>arn:aws:iam::111122223333:role/replication-role</Role>
  <Rule>
    <ID>all-logs</ID>
    <Priority>1</Priority>
    <Filter>
      <Prefix>logs/</Prefix>
    </Filter>
    <Status>Enabled</Status>
    <Destination>
      <Bucket>arn:aws:s3:::logs-copy</Bucket>
    </Destination>
    <DeleteMarkerReplication>
      <Status>Enabled</Status>
    </DeleteMarkerReplication>
  </Rule>
  <Rule>
    <ID>prod-logs-archive</ID>
    <Priority>5</Priority>
    <Filter>
      <And>
        <Prefix>logs/</Prefix>
        <Tag>
          <Key>env</Key>
          <Value>prod</Value>
        </Tag>
      </And>
    </Filter>
    <Status>Enabled</Status>
    <Destination>
      <Bucket>arn:aws:s3:::logs-copy</Bucket>
      <StorageClass>GLACIER</StorageClass>
    </Destination>
    <DeleteMarkerReplication>
      <Status>Disabled</Status>
    </DeleteMarkerReplication>
  </Rule>
</ReplicationConfiguration>
`;

test('Simulate: tags decide between overlapping rules; delete markers', async ({ page }) => {
  await openEditor(page);
  await setDocument(page, TAGGED);
  await page.getByRole('tab', { name: 'Simulate' }).click();
  await page.getByLabel('Object key').fill('logs/app.log');
  const d = dest(page, 'logs-copy');
  await expect(d.locator('.governing')).toContainText('all-logs');
  await expect(ruleRow(page, 'prod-logs-archive')).toHaveAttribute('data-reason', 'tags');
  await expect(ruleRow(page, 'prod-logs-archive')).toContainText('Required tags do not match');

  // Add the tag: the higher-priority tag rule governs, the prefix rule lost.
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByLabel('Tag 1 key').fill('env');
  await page.getByLabel('Tag 1 value').pressSequentially('prod');
  await expect(d.locator('.governing')).toContainText('prod-logs-archive (priority 5)');
  await expect(d).toContainText('GLACIER');
  await expect(d.locator('.also-matched')).toContainText('all-logs');
  await expect(ruleRow(page, 'all-logs')).toHaveAttribute('data-reason', 'lower-priority');
  const [first, last] = ruleLines(TAGGED, 1);
  await expect(page.locator('.hl-line.hl-band')).toHaveCount(last - first + 1);
  await expect(page.locator('.hl-line').nth(first)).toHaveClass(/hl-band/);
  await page.screenshot({ path: path.join(SHOTS, 'simulate-tags.png'), fullPage: true });

  // A wrong value, then removing the tag row.
  await page.getByLabel('Tag 1 value').fill('dev');
  await expect(d.locator('.governing')).toContainText('all-logs');
  await page.getByRole('button', { name: 'Remove tag 1' }).click();
  await expect(page.getByLabel('Tag 1 key')).toHaveCount(0);

  // A delete marker under the tag rule's prefix: the governing rule copies markers...
  await page.getByLabel('Delete marker').check();
  await expect(d).toHaveAttribute('data-replicated', 'true');
  // ...but not once the prefix rule stops copying them.
  const editor = page.getByRole('textbox', { name: 'Replication configuration' });
  await setDocument(page, TAGGED.replace('<Status>Enabled</Status>\n    </DeleteMarkerReplication>', '<Status>Disabled</Status>\n    </DeleteMarkerReplication>'));
  await expect(editor).toHaveValue(/all-logs/);
  await expect(d).toHaveAttribute('data-replicated', 'false');
  await expect(ruleRow(page, 'all-logs')).toHaveAttribute('data-reason', 'delete-marker');
});

test('Topology: the multi-destination example draws both destinations and labelled edges', async ({ page }) => {
  await openEditor(page);
  const before = await rev(page);
  await page.getByLabel('Load an example').selectOption('multi-destination');
  await expect.poll(() => rev(page)).toBeGreaterThan(before);
  await page.getByRole('tab', { name: 'Topology' }).click();
  const svg = page.locator('svg.topo-svg');
  await expect(svg).toBeVisible();
  await expect(page.locator('.topo-source')).toContainText('media-main-use1');
  await expect(page.locator('.topo-dest')).toHaveCount(2);
  const euw1 = page.locator('.topo-dest[data-bucket="media-copy-euw1"]');
  const usw2 = page.locator('.topo-dest[data-bucket="media-cold-usw2"]');
  await expect(euw1).toContainText('eu-west-1');
  await expect(usw2).toContainText('us-west-2');
  await expect(page.locator('.topo-edge')).toHaveCount(2);
  const cold = usw2.locator('.topo-edge[data-rule="masters-to-cold-storage"]');
  await expect(cold).toHaveAttribute('data-state', 'active');
  await expect(cold).toContainText('P2');
  await expect(cold).toContainText('prefix masters/');
  await expect(cold).toContainText('GLACIER');
  await expect(euw1.locator('.topo-edge[data-rule="thumbnails-to-europe"]')).toContainText('prefix thumbnails/');
  await expect(page.locator('.topo-legend')).toContainText('shadowed');
  // The explain summary sits above the outputs and is collapsible.
  const explain = page.locator('details.explain');
  await expect(explain).toContainText('What this configuration does');
  await expect(explain.locator('.explain-summary')).toContainText('thumbnails-to-europe');
  await expect(explain.locator('.explain-gaps')).toContainText('not replicated');
  const box = await explain.boundingBox();
  const outputs = await page.locator('section.outputs').boundingBox();
  expect(box.y).toBeLessThan(outputs.y);
  await page.locator('.topology').screenshot({ path: path.join(SHOTS, 'topology-multi-destination.png') });
  await explain.locator('summary').click();
  await expect(explain.locator('.explain-summary')).toHaveCount(0);
  await explain.locator('summary').click();
  await expect(explain.locator('.explain-summary')).toBeVisible();

  // Typing in the document updates the drawing.
  const editor = page.getByRole('textbox', { name: 'Replication configuration' });
  const text = await editor.inputValue();
  const at = text.indexOf('"GLACIER"') + 1;
  await editor.evaluate((t, [s, e]) => { t.focus(); t.setSelectionRange(s, e); }, [at, at + 'GLACIER'.length]);
  await page.keyboard.type('DEEP_ARCHIVE');
  await expect(cold).toContainText('DEEP_ARCHIVE');
});

/** 20 destinations x 50 rules: in each, a catch-all rule at the top priority shadows the rest. */
function bigDocument() {
  let s = '<?xml version="1.0" encoding="UTF-8"?>\n<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n';
  s += '  <Role>arn:aws:iam::111122223333:role/fanout</Role>\n';
  let p = 1000;
  for (let d = 0; d < 20; d++) {
    for (let r = 0; r < 50; r++) {
      const prefix = r === 0 ? `dest${d}/` : `dest${d}/part-${r}/`;
      s += `  <Rule><ID>d${d}-r${r}</ID><Priority>${p--}</Priority><Filter><Prefix>${prefix}</Prefix></Filter>` +
        `<Status>${r === 49 ? 'Disabled' : 'Enabled'}</Status><Destination><Bucket>arn:aws:s3:::fanout-destination-${d}</Bucket>` +
        `${r % 3 === 0 ? '<StorageClass>STANDARD_IA</StorageClass>' : ''}</Destination>` +
        '<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>\n';
    }
  }
  return s + '</ReplicationConfiguration>\n';
}

test('Topology: 20 destinations and 1000 rules stay legible (grouped, collapsed, scrollable)', async ({ page }) => {
  await openEditor(page);
  await setDocument(page, bigDocument());
  await page.getByRole('tab', { name: 'Topology' }).click();
  await expect(page.locator('.topo-dest')).toHaveCount(20);
  await expect(page.locator('.topo-edge')).toHaveCount(20 * 5);
  await expect(page.locator('.topo-summary')).toContainText('20 destinations, 1000 rules');
  const d3 = page.locator('.topo-dest[data-bucket="fanout-destination-3"]');
  await expect(d3.locator('.topo-edge[data-rule="d3-r0"]')).toHaveAttribute('data-state', 'active');
  await expect(d3.locator('.topo-edge[data-rule="d3-r1"]')).toHaveAttribute('data-state', 'shadowed');
  await expect(d3.locator('.topo-edge[data-rule="d3-r1"]')).toContainText('shadowed by d3-r0');
  // The drawing is taller than its container, which scrolls.
  const { scroll, client } = await page.locator('.topo-scroll').evaluate((e) => ({ scroll: e.scrollHeight, client: e.clientHeight }));
  expect(scroll).toBeGreaterThan(client);
  await page.locator('.topology').screenshot({ path: path.join(SHOTS, 'topology-1000-rules.png') });

  // Expand one destination, by keyboard, and collapse it again.
  const more = page.getByRole('button', { name: 'Show 45 more rules to fanout-destination-3' });
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(d3.locator('.topo-edge')).toHaveCount(50);
  await expect(d3.locator('.topo-edge[data-rule="d3-r49"]')).toHaveAttribute('data-state', 'disabled');
  await expect(page.locator('.topo-edge')).toHaveCount(19 * 5 + 50);
  await page.getByRole('button', { name: 'Show fewer rules to fanout-destination-3' }).click();
  await expect(d3.locator('.topo-edge')).toHaveCount(5);
  // The summary is capped too.
  await expect(page.locator('details.explain .explain-summary li')).toHaveCount(5);
  await page.getByRole('button', { name: /Show all \d+ sentences/ }).click();
  // An opening sentence and one per rule.
  await expect(page.locator('details.explain .explain-summary li')).toHaveCount(1001);
});

test('Simulate: a share link made on the Simulate tab opens on the same object', async ({ page, browser }) => {
  await openEditor(page);
  await page.getByRole('tab', { name: 'Simulate' }).click();
  await page.getByLabel('Object key').fill('prefix1/shared ü.csv');
  await page.getByLabel('Object encryption').selectOption('SSE-KMS');
  await expect(dest(page, 'destination-bucket')).toHaveAttribute('data-replicated', 'true');
  await page.getByRole('button', { name: 'Share link' }).click();
  const link = await page.getByLabel('Share link', { exact: true }).inputValue();

  // A fresh browser context: only the link.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(link);
  await expect(p2.getByRole('tab', { name: 'Simulate' })).toHaveAttribute('aria-selected', 'true');
  await expect(p2.getByLabel('Object key')).toHaveValue('prefix1/shared ü.csv');
  await expect(p2.getByLabel('Object encryption')).toHaveValue('SSE-KMS');
  await expect(dest(p2, 'destination-bucket')).toHaveAttribute('data-replicated', 'true');
  await other.close();
});
