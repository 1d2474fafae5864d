import { test, expect, SHOTS } from './fixtures.mjs';
import path from 'node:path';

async function openPortal(page) {
  await page.addInitScript(() => {
    window.__events = { primary: [], secondary: [], reference: [] };
    document.addEventListener('change', (e) => {
      const id = e.target && e.target.id;
      if (window.__events[id]) window.__events[id].push(e.detail);
    }, true);
  });
  await page.goto('/embed.html');
  for (const id of ['primary', 'secondary', 'reference']) {
    await expect(page.locator(`#${id}`).getByRole('textbox', { name: 'Replication configuration' })).toBeVisible();
  }
  await expect(page.locator('#primary').getByRole('textbox', { name: 'Replication configuration' })).toHaveValue(/portal-replication/);
  await expect(page.locator('#secondary').getByRole('textbox', { name: 'Replication configuration' })).toHaveValue(/portal-fallback/);
}

const events = (page, id) => page.evaluate((id) => window.__events[id], id);

test('two editors render independently; typing fires change on one only', async ({ page }) => {
  await openPortal(page);
  const primary = page.locator('#primary');
  const secondary = page.locator('#secondary');
  await expect(primary.getByRole('list', { name: 'Diagnostics' })).toHaveCount(1);
  await expect(primary.getByRole('tab', { name: 'Role permissions policy' })).toBeVisible();
  await expect(secondary.getByRole('list', { name: 'Diagnostics' })).toHaveCount(1);
  await expect(secondary.getByRole('tab', { name: 'Role permissions policy' })).toHaveCount(0);
  await expect(primary.getByRole('list', { name: 'Diagnostics' }).locator('li[data-severity="error"]')).toHaveCount(0);

  const before = (await events(page, 'secondary')).length;
  const box = primary.getByRole('textbox', { name: 'Replication configuration' });
  const value = await box.inputValue();
  const at = value.indexOf('<Status>Enabled</Status>');
  await box.evaluate((t, at) => { t.focus(); t.setSelectionRange(at, at); }, at);
  await page.keyboard.type('<Colour>x</Colour>');
  await expect.poll(async () => (await events(page, 'primary')).at(-1)?.text ?? '').toContain('<Colour>x</Colour>');
  const last = (await events(page, 'primary')).at(-1);
  expect(last.valid).toBe(false);
  expect(last.format).toBe('xml');
  const colour = last.diagnostics.find((d) => d.message.includes('Colour'));
  expect(colour, JSON.stringify(last.diagnostics)).toBeTruthy();
  expect(colour.severity).toBe('error');
  expect(colour.range.start.line).toBe(value.slice(0, at).split('\n').length);
  expect(last.policies.documents.map((d) => d.kind)).toContain('role-permissions');
  await expect(primary.getByRole('list', { name: 'Diagnostics' }).locator('li[data-severity="error"]').first()).toBeVisible();
  // The other editors did not move.
  expect((await events(page, 'secondary')).length).toBe(before);
  await expect(secondary.getByRole('textbox', { name: 'Replication configuration' })).toHaveValue(/portal-fallback/);
  await expect(secondary.getByRole('list', { name: 'Diagnostics' }).locator('li[data-severity="error"]')).toHaveCount(0);
  expect(await page.locator('#primary').evaluate((el) => el.getValue())).toContain('<Colour>x</Colour>');
  await page.screenshot({ path: path.join(SHOTS, 'embed.png'), fullPage: true });
});

test('readonly blocks edits', async ({ page }) => {
  await openPortal(page);
  const box = page.locator('#reference').getByRole('textbox', { name: 'Replication configuration' });
  const value = await box.inputValue();
  await expect(box).not.toBeEditable();
  await box.click();
  await page.keyboard.type('hello');
  await expect(box).toHaveValue(value);
  await expect(page.locator('#reference').getByRole('button', { name: /Convert to/ })).toBeDisabled();
  await expect(page.locator('#reference button.fix')).toHaveCount(0);
  expect((await events(page, 'reference')).length).toBe(0);
});

test('setValue and setContext update the diagnostics and the policies', async ({ page }) => {
  await openPortal(page);
  const secondary = page.locator('#secondary');
  const doc = '{ "Role": "arn:aws:iam::111122223333:role/r", "Rules": [ { "Status": "Enabled" } ] }';
  // getValue() at once after setValue() reads what was set (the app renders on its next turn).
  expect(await page.locator('#secondary').evaluate((el, d) => { el.setValue(d); return el.getValue(); }, doc)).toBe(doc);
  await expect(secondary.getByRole('list', { name: 'Diagnostics' }).locator('li[data-severity="error"]').first()).toBeVisible();
  const last = (await events(page, 'secondary')).at(-1);
  expect(last.valid).toBe(false);
  expect(last.format).toBe('json');
  await page.getByRole('button', { name: 'Reset the fallback' }).click();
  await expect(secondary.getByRole('list', { name: 'Diagnostics' }).locator('li[data-severity="error"]')).toHaveCount(0);

  const primary = page.locator('#primary');
  await expect(primary.getByRole('tabpanel')).toContainText('portal-main-use1');
  await page.getByRole('button', { name: 'Use eu-west-1 for the primary' }).click();
  await expect(primary.getByLabel('Source Region')).toHaveValue('eu-west-1');
});

test('host CSS does not alter the editor, and the editor CSS does not leak', async ({ page }) => {
  await openPortal(page);
  const box = page.locator('#primary').getByRole('textbox', { name: 'Replication configuration' });
  const style = await box.evaluate((t) => {
    const s = getComputedStyle(t);
    return { font: s.fontFamily, transform: s.textTransform, spacing: s.letterSpacing, size: s.fontSize, color: s.color, lh: s.lineHeight };
  });
  expect(style.font).not.toContain('Georgia');
  expect(style.transform).toBe('none');
  expect(style.spacing).toBe('normal');
  expect(style.size).toBe('13px');
  expect(style.lh).toBe('20px');
  expect(style.color).toBe('rgba(0, 0, 0, 0)');
  const line = page.locator('#primary .hl-line').first();
  expect(await line.evaluate((l) => getComputedStyle(l).textTransform)).toBe('none');
  expect(await line.evaluate((l) => getComputedStyle(l).letterSpacing)).toBe('normal');
  // Themed through the documented custom property only.
  const tab = page.locator('#primary').getByRole('tab', { name: 'Role permissions policy' });
  expect(await tab.evaluate((t) => getComputedStyle(t).color)).toBe('rgb(138, 75, 0)');
  // Nothing of the editor's stylesheet applies to the host page.
  expect(await page.locator('#reset-secondary').evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(255, 105, 180)');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 247, 230)');
  // The dark-themed instance is dark whatever the page scheme.
  const darkBg = await page.locator('#secondary .editor').evaluate((e) => getComputedStyle(e).backgroundColor);
  expect(darkBg).toBe('rgb(17, 20, 26)');
});

test('an embedded editor checks a pasted Terraform file: positioned findings, its facts, its policies, one change event', async ({ page }) => {
  await openPortal(page);
  const primary = page.locator('#primary');
  const box = primary.getByRole('textbox', { name: 'Replication configuration' });
  const tf = [
    'provider "aws" {',
    '  region = "eu-west-1"',
    '}',
    'provider "aws" {',
    '  alias  = "replica"',
    '  region = "eu-central-1"',
    '}',
    'resource "aws_kms_key" "replica" {}',
    'resource "aws_s3_bucket" "replica" {',
    '  provider = aws.replica',
    '  bucket   = "portal-replica"',
    '}',
    'resource "aws_s3_bucket_replication_configuration" "main" {',
    '  bucket = "portal-source"',
    '  role   = "arn:aws:iam::111122223333:role/replication"',
    '  rule {',
    '    status = "Enabled"',
    '    filter {}',
    '    delete_marker_replication {',
    '      status = "Disabled"',
    '    }',
    '    source_selection_criteria {',
    '      sse_kms_encrypted_objects {',
    '        status = "Enabled"',
    '      }',
    '    }',
    '    destination {',
    '      bucket = aws_s3_bucket.replica.arn',
    '      encryption_configuration {',
    '        replica_kms_key_id = aws_kms_key.replica.arn',
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  await box.fill(tf);
  await expect(primary.locator('.app')).toHaveAttribute('data-template', 'ready');
  await expect(primary.getByRole('region', { name: 'Template', exact: true })).toContainText('Terraform file: 1 replication configuration');
  await expect(primary.getByRole('list', { name: 'Facts read from the code' })).toContainText('sourceRegion = eu-west-1 (line 2');
  const keyLine = tf.split('\n').findIndex((l) => l.includes('replica_kms_key_id')) + 1;
  await expect(primary.getByRole('list', { name: 'Diagnostics' }).locator(`li[data-code="S3R405"][data-line="${keyLine}"]`)).toBeVisible();
  await expect(primary.getByRole('tab', { name: 'Role permissions policy' })).toBeVisible();
  await expect(primary.locator('.policy-doc[data-kind="role-permissions"] pre')).toContainText('arn:aws:s3:::portal-replica/*');
  // The host hears about the template once, as the template it is.
  await expect.poll(async () => (await events(page, 'primary')).at(-1)?.format).toBe('terraform');
  const last = (await events(page, 'primary')).at(-1);
  expect(last.configuration).toBe('aws_s3_bucket_replication_configuration.main');
  expect(last.diagnostics.some((d) => d.code === 'S3R405' && d.range.start.line === keyLine)).toBe(true);
  expect(last.policies.documents.map((d) => d.kind)).toContain('role-permissions');
  expect((await events(page, 'primary')).filter((e) => e.text === tf).length).toBe(1);
  // The secondary editor did not move.
  await expect(page.locator('#secondary').locator('.app')).not.toHaveAttribute('data-template', /./);
});
