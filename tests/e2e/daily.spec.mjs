// The editor as a daily tool: no answer from stale state, no silent loss, a clear first
// minute. One test per item of that trial (the numbers are the trial's).
import { test, expect, openEditor, rev } from './fixtures.mjs';

const diagnostics = (page) => page.getByRole('list', { name: 'Diagnostics' });
const contextPanel = (page) => page.getByRole('region', { name: 'Deployment context' });

// Another team's document: another account, no KMS.
const OWN = `<ReplicationConfiguration>
  <Role>arn:aws:iam::444455556666:role/s3-replication</Role>
  <Rule>
    <ID>everything</ID>
    <Priority>1</Priority>
    <Status>Enabled</Status>
    <Filter/>
    <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
    <Destination><Bucket>arn:aws:s3:::team-backup</Bucket></Destination>
  </Rule>
</ReplicationConfiguration>
`;

async function paste(page, text) {
  const editor = page.getByRole('textbox', { name: 'Replication configuration' });
  const before = await rev(page);
  // One input event, as a paste fires.
  await editor.evaluate((t, text) => {
    t.focus();
    t.value = text;
    t.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, text);
  await expect.poll(() => rev(page)).toBeGreaterThan(before);
  return editor;
}

test('1. the example context is labelled, can be cleared, and does not speak for a pasted document', async ({ page }) => {
  await openEditor(page);
  const panel = contextPanel(page);
  await expect(panel.locator('.ctx-from-example')).toContainText('From the example');
  await expect(panel.locator('.ctx-from-example')).toContainText('source account');
  // A value the user types is theirs, not the example's.
  await page.getByLabel('Source Region').fill('eu-west-1');
  await expect(panel.locator('.ctx-from-example')).not.toContainText('source Region');
  await paste(page, OWN);
  // The example's account no longer contradicts the pasted role (S3R103), nor its key (S3R411).
  await expect(diagnostics(page).locator('li[data-code="S3R103"]')).toHaveCount(0);
  await expect(diagnostics(page).locator('li[data-code="S3R411"]')).toHaveCount(0);
  await expect(page.locator('.notice')).toContainText('cleared the context values that came from the example');
  await expect(page.getByLabel('Source account')).toHaveValue('');
  await expect(page.getByLabel('Source Region')).toHaveValue('eu-west-1');
  await expect(panel.locator('.ctx-from-example')).toHaveCount(0);
  // Clear all empties what the user typed too.
  await panel.getByRole('button', { name: 'Clear all' }).click();
  await expect(page.getByLabel('Source Region')).toHaveValue('');
  await expect(panel.getByRole('button', { name: 'Clear all' })).toBeDisabled();
});

test("1. the example's values can be cleared from the panel", async ({ page }) => {
  await openEditor(page);
  const panel = contextPanel(page);
  await page.getByLabel('Source Region').fill('eu-west-1');
  await panel.getByRole('button', { name: "Clear the example's values" }).click();
  await expect(page.getByLabel('Source account')).toHaveValue('');
  await expect(page.getByLabel('Source bucket')).toHaveValue('');
  await expect(page.getByLabel('Source Region')).toHaveValue('eu-west-1');
  await expect(page.locator('.notice')).toContainText("Cleared the example's values");
});

test('2. a source key in another Region is reported, beside its field and in Problems, and the policies are not complete', async ({ page }) => {
  await openEditor(page);
  await page.getByLabel('Source Region').fill('eu-west-1');
  await page.getByLabel('Source KMS key ARNs (one per line)').fill('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  await expect(page.locator('#ctx-source-keys-problem')).toContainText("bucket's own Region");
  await expect(diagnostics(page).locator('li[data-code="S3R415"]')).toHaveCount(1);
  await expect(page.locator('#outputs-heading .summary')).not.toHaveText('Policies complete');
  await expect(page.locator('#outputs-heading .summary')).toContainText('Policies');
  // In the key's own Region it is fine again.
  await page.getByLabel('Source KMS key ARNs (one per line)').fill('arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  await expect(diagnostics(page).locator('li[data-code="S3R415"]')).toHaveCount(0);
  await expect(page.locator('#ctx-source-keys-problem')).toHaveCount(0);
});

test('3. the audit names the part that is wrong, and each key policy box names its key', async ({ page }) => {
  await openEditor(page);
  await page.getByRole('tab', { name: 'Audit' }).click();
  await page.getByLabel('Existing trust policy').fill(JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  }));
  const findings = page.getByRole('list', { name: 'Audit findings' });
  await expect(findings).toContainText('Principal');
  await expect(findings).toContainText('ec2.amazonaws.com');
  await expect(findings).toContainText('s3.amazonaws.com');
  await expect(findings).not.toContainText('no statement allows sts:AssumeRole');
  // A cross-account replica key gets a key-policy box of its own, labelled with its ARN; a
  // policy pasted there is checked against that key, and its finding names it.
  await page.getByLabel('Load an example').selectOption('cross-account-kms');
  const key = 'arn:aws:kms:us-east-2:444455556666:key/7c6b5a49-3827-4165-9a0b-c1d2e3f4a5b6';
  const box = page.getByLabel(`Existing key policy of the replica key: ${key}`);
  await expect(box).toBeVisible();
  await expect(page.getByLabel('Existing KMS key policy')).toHaveCount(0);
  await box.fill(JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:*', Resource: '*' }],
  }));
  await expect(findings).toContainText(key);
});

test('4. invalid context values are said beside their field', async ({ page }) => {
  await openEditor(page);
  const region = page.getByLabel('Source Region');
  await region.fill('us-east-99');
  await expect(page.locator('#ctx-source-region-problem')).toContainText('not a Region this version knows');
  await region.fill('useast1');
  await expect(region).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#ctx-source-region-problem')).toContainText('Not a Region code');
  await region.fill('us-east-1');
  await expect(page.locator('#ctx-source-region-problem')).toHaveCount(0);
  await expect(region).not.toHaveAttribute('aria-invalid', 'true');

  const account = page.getByLabel('Source account');
  await account.fill('12345');
  await expect(account).toHaveAttribute('aria-describedby', 'ctx-source-account-problem');
  await expect(page.locator('#ctx-source-account-problem')).toContainText('12 digits');

  const keys = page.getByLabel('Source KMS key ARNs (one per line)');
  await keys.fill('alias/my-key');
  await expect(page.locator('#ctx-source-keys-problem')).toContainText('is an alias');
  await keys.fill('not-an-arn');
  await expect(page.locator('#ctx-source-keys-problem')).toContainText('not a key ARN');
  await keys.fill('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  await expect(page.locator('#ctx-source-keys-problem')).toHaveCount(0);

  const destAccount = page.getByLabel('Account of destination-bucket');
  await destAccount.fill('abc');
  await expect(page.locator('#ctx-dest-0-account-problem')).toContainText('12 digits');
});

test('5. Format keeps comments, order and values; Convert says what it drops before it does it', async ({ page }) => {
  const editor = await openEditor(page);
  const doc = `<ReplicationConfiguration><!-- owned by the data team -->
<Role>arn:aws:iam::111122223333:role/r</Role>
      <Rule><Status>Enabled</Status><ID>a</ID><Priority>1</Priority>
<!-- everything -->
<Filter><Prefix>logs/ </Prefix></Filter><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
<Destination><Bucket>arn:aws:s3:::d</Bucket></Destination></Rule></ReplicationConfiguration>
`;
  await paste(page, doc);
  await page.getByRole('button', { name: 'Format document' }).click();
  const formatted = await editor.inputValue();
  expect(formatted).toContain('  <!-- owned by the data team -->\n');
  expect(formatted).toContain('    <!-- everything -->\n');
  expect(formatted).toContain('<Prefix>logs/ </Prefix>');
  // Status before ID, as written.
  expect(formatted.indexOf('<Status>Enabled</Status>')).toBeLessThan(formatted.indexOf('<ID>a</ID>'));
  await expect(page.locator('.notice')).toContainText('comments');

  await page.getByRole('button', { name: 'Convert to JSON' }).click();
  await expect(page.locator('.notice')).toContainText('drops 2 XML comments (lines 2, 8)');
  expect(await editor.inputValue()).toBe(formatted);
  await page.locator('.notice').getByRole('button', { name: 'Convert anyway' }).click();
  await expect(editor).toHaveValue(/^\{/);
  await expect(page.locator('.notice')).toContainText('dropped 2 XML comments');
});

test('6. picking an example can be undone, document and context together', async ({ page }) => {
  const editor = await openEditor(page);
  await paste(page, OWN);
  await page.getByLabel('Source Region').fill('ap-south-1');
  await page.getByLabel('Load an example').selectOption('multi-destination');
  await expect(editor).not.toHaveValue(OWN);
  await expect(page.getByLabel('Source Region')).not.toHaveValue('ap-south-1');
  await page.locator('.notice').getByRole('button', { name: 'Undo' }).click();
  await expect(editor).toHaveValue(OWN);
  await expect(page.getByLabel('Source Region')).toHaveValue('ap-south-1');
  // Ctrl+Z in the editor takes the context back with the text.
  await page.getByLabel('Load an example').selectOption('multi-destination');
  await expect(editor).not.toHaveValue(OWN);
  await editor.focus();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(editor).toHaveValue(OWN);
  await expect(page.getByLabel('Source Region')).toHaveValue('ap-south-1');
  await expect(page.locator('.notice')).toContainText('Restored the previous document and its context');
});

test('7. a broken share link says so and stays; a working link restores its tab', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openEditor(page, '/#s=AAAAtruncated');
  await expect(page.locator('.notice')).toContainText('share link is damaged or incomplete');
  expect(new URL(page.url()).hash).toBe('#s=AAAAtruncated');
  // A working link made on the KMS tab opens on it.
  await paste(page, OWN);
  await page.getByRole('tab', { name: 'KMS key policies' }).click();
  await page.getByRole('button', { name: 'Share link' }).click();
  const url = await page.getByLabel('Share link', { exact: true }).inputValue();
  expect(url).toContain('&tab=kms');
  const p2 = await context.newPage();
  await openEditor(p2, url);
  await expect(p2.getByRole('textbox', { name: 'Replication configuration' })).toHaveValue(OWN);
  await expect(p2.getByRole('tab', { name: 'KMS key policies' })).toHaveAttribute('aria-selected', 'true');
  await expect(p2.locator('.notice')).toContainText('Loaded the shared document');
});

test('8. the first minute: what the tool does, the example labelled, inputs that look editable', async ({ page }) => {
  await openEditor(page);
  await expect(page.locator('.tagline')).toContainText('nothing you type leaves this page');
  await expect(page.locator('.example-label')).toContainText('Example:');
  await paste(page, OWN);
  await expect(page.locator('.example-label')).toHaveCount(0);
  // An input is drawn on the panel's colour with a border of at least 3:1 against it.
  const look = await page.getByLabel('Source Region').evaluate((el) => {
    const s = getComputedStyle(el);
    const panel = getComputedStyle(el.closest('.panel')).backgroundColor;
    return { bg: s.backgroundColor, border: s.borderTopColor, width: s.borderTopWidth, panel };
  });
  expect(look.bg).toBe(look.panel);
  expect(parseFloat(look.width)).toBeGreaterThan(0);
  expect(contrast(look.border, look.panel)).toBeGreaterThanOrEqual(3);
});

test('9. a syntax error while typing keeps the last outputs, marked stale; the layout holds', async ({ page }) => {
  const editor = await openEditor(page);
  await paste(page, OWN);
  const outputs = page.locator('section.outputs');
  await expect(outputs.locator('.policy-doc[data-kind="role-permissions"]')).toBeVisible();
  await expect(page.getByLabel('Region of team-backup')).toBeVisible();
  // Type an unclosed tag in the middle.
  const at = OWN.indexOf('<Status>Enabled');
  await editor.evaluate((t, at) => { t.focus(); t.setSelectionRange(at, at); }, at);
  await page.keyboard.type('<Sta');
  await expect(outputs).toHaveClass(/stale/);
  await expect(outputs.locator('.stale-note')).toContainText('last readable version');
  await expect(outputs.locator('.policy-doc[data-kind="role-permissions"]')).toBeVisible();
  await expect(page.getByLabel('Region of team-backup')).toBeVisible();
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await expect(outputs).not.toHaveClass(/stale/);

  // A handful of problems: no scroll box of their own; the message column lines up.
  const list = diagnostics(page);
  const nested = await list.evaluate((el) => el.scrollHeight > el.clientHeight + 1);
  expect(nested).toBe(false);
  const xs = await list.locator('li .msg').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
  expect(xs.length).toBeGreaterThan(1);
  expect(new Set(xs).size).toBe(1);
  expect(await list.locator('li .msg').first().evaluate((e) => getComputedStyle(e).overflowWrap)).toBe('break-word');

  // At 1280 the editor stays in view while the page scrolls down the right column.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('tab', { name: 'Topology' }).click();
  // Down to where the workspace (the two columns) ends.
  const scrolled = await page.evaluate(() => {
    const end = document.querySelector('.workspace').getBoundingClientRect().bottom + window.scrollY;
    window.scrollTo(0, end - window.innerHeight - 4);
    return window.scrollY;
  });
  expect(scrolled).toBeGreaterThan(400);
  const box = await page.locator('.editor').boundingBox();
  expect(box.y).toBeGreaterThanOrEqual(-1);
  expect(box.y).toBeLessThan(800);
});

test('11. rules are counted from 1; the Account fix does not ask for its own undoing; inserted XML is indented', async ({ page }) => {
  const editor = await openEditor(page);
  const dup = OWN.replace('<ID>everything</ID>', '<ID>x</ID>').replace('</Rule>', `</Rule>
  <Rule>
    <ID>x</ID>
    <Priority>2</Priority>
    <Status>Enabled</Status>
    <Filter><Prefix>b/</Prefix></Filter>
    <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
    <Destination><Bucket>arn:aws:s3:::team-backup</Bucket></Destination>
  </Rule>`);
  await paste(page, dup);
  const item = diagnostics(page).locator('li[data-code="S3R216"]');
  await expect(item).toContainText('also used by rule #1');
  await expect(item).not.toContainText('rule 0');

  // Owner override in a same-account setup without Account: one fix settles it.
  const acct = OWN.replace('<Destination><Bucket>arn:aws:s3:::team-backup</Bucket></Destination>', `<Destination>
      <Bucket>arn:aws:s3:::team-backup</Bucket>
      <AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>
    </Destination>`);
  await paste(page, acct);
  await page.getByLabel('Account of team-backup').fill('444455556666');
  const fix = diagnostics(page).locator('li[data-code="S3R309"]').getByRole('button', { name: 'Remove AccessControlTranslation' });
  await fix.click();
  await expect(editor).not.toHaveValue(/AccessControlTranslation/);
  await expect(diagnostics(page).locator('li[data-code="S3R311"], li[data-code="S3R309"]')).toHaveCount(0);

  // A fix that inserts a block writes it on its own lines, indented like its siblings.
  const rtc = OWN.replace('<Destination><Bucket>arn:aws:s3:::team-backup</Bucket></Destination>', `<Destination>
      <Bucket>arn:aws:s3:::team-backup</Bucket>
      <ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>
    </Destination>`);
  await paste(page, rtc);
  await diagnostics(page).locator('li[data-code="S3R316"]').locator('button.fix').click();
  await expect(editor).toHaveValue(/<\/ReplicationTime>\n      <Metrics>\n        <Status>Enabled<\/Status>\n        <EventThreshold>\n          <Minutes>15<\/Minutes>\n        <\/EventThreshold>\n      <\/Metrics>\n/);
});

test('14. picking an example from the Rules page returns to the editor', async ({ page }) => {
  const editor = await openEditor(page);
  await page.getByRole('link', { name: 'Rules' }).click();
  await expect(page.locator('#rule-title')).toHaveText('Rules');
  await page.getByLabel('Load an example').selectOption('multi-destination');
  await expect(editor).toBeVisible();
  await expect(editor).toHaveValue(/media-main-use1|thumbnails/);
  expect(new URL(page.url()).hash).toBe('');
});

test('rule pages read their docs on demand; the first load leaves them out', async ({ page }) => {
  await openEditor(page);
  await page.goto('/#rule/S3R405');
  await expect(page.locator('.rule-docs')).toContainText('What it does');
  await expect(page.locator('.rule-docs')).toContainText('destination bucket');
});

/** WCAG contrast ratio of two CSS rgb() colours. */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
