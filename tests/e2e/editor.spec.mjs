import { test, expect, openEditor, rev, caretAt, SHOTS } from './fixtures.mjs';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const diagnostics = (page) => page.getByRole('list', { name: 'Diagnostics' });

test('loads the KMS example with no errors and full policies', async ({ page }) => {
  const editor = await openEditor(page);
  await expect(editor).toHaveValue(/<ReplicationConfiguration/);
  await expect(editor).toHaveValue(/SseKmsEncryptedObjects/);
  // No error-level diagnostics.
  await expect(diagnostics(page).locator('li[data-severity="error"]')).toHaveCount(0);
  await expect(page.locator('.gl-error')).toHaveCount(0);

  // Role permissions policy: S3 and both KMS statements, no placeholders left.
  const roleTab = page.getByRole('tab', { name: 'Role permissions policy' });
  await expect(roleTab).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByRole('tabpanel');
  await expect(panel).toContainText('s3:GetObjectVersionForReplication');
  await expect(panel).toContainText('s3:ReplicateObject');
  await expect(panel).toContainText('kms:Decrypt');
  await expect(panel).toContainText('kms:Encrypt');
  await expect(panel).toContainText('s3.us-east-1.amazonaws.com');
  await expect(panel).toContainText('s3.us-west-2.amazonaws.com');
  await expect(panel).not.toContainText('${');
  await expect(page.locator('.placeholders')).toHaveCount(0);
  await expect(page.locator('#outputs-heading')).toContainText('Policies complete');

  await page.getByRole('tab', { name: 'Trust policy' }).click();
  await expect(page.getByRole('tabpanel')).toContainText('sts:AssumeRole');
  await expect(page.getByRole('tabpanel')).toContainText('s3.amazonaws.com');

  await page.getByRole('tab', { name: 'KMS key policies' }).click();
  await expect(page.getByRole('tabpanel').locator('.policy-doc').first()).toBeVisible();
  await expect(page.getByRole('tabpanel')).toContainText('kms:ViaService');

  await page.getByRole('tab', { name: 'Destination bucket policy' }).click();
  await expect(page.getByRole('tabpanel')).toBeVisible();
  await page.getByRole('tab', { name: 'Audit' }).click();
  await expect(page.getByLabel('Existing role permissions policy')).toBeVisible();

  await page.getByRole('tab', { name: 'Role permissions policy' }).click();
  await page.screenshot({ path: path.join(SHOTS, 'load-1280.png'), fullPage: true });
});

test('a typed error is listed at its line, underlined, and selecting it moves the caret', async ({ page }) => {
  const editor = await openEditor(page);
  // Non-ASCII text before the error checks that selections use UTF-16 offsets.
  await caretAt(page, 0);
  await page.keyboard.type('<!-- 🙂 déjà vu -->\n');
  const value = await editor.inputValue();
  const lines = value.split('\n');
  const prefixLine = lines.findIndex((l) => l.includes('<Prefix>prefix1</Prefix>'));
  expect(prefixLine).toBeGreaterThan(0);
  const endOfPrefixLine = lines.slice(0, prefixLine + 1).join('\n').length;
  await caretAt(page, endOfPrefixLine);
  const before = await rev(page);
  await page.keyboard.type('\n    <Colour>blue</Colour>');
  await expect.poll(() => rev(page)).toBeGreaterThan(before);

  const errorLine = prefixLine + 2; // 1-based line of the typed element
  const item = diagnostics(page).locator(`li[data-severity="error"][data-line="${errorLine}"]`).first();
  await expect(item).toBeVisible();
  await expect(item).toContainText('Error');
  await expect(item).toContainText(`Line ${errorLine}:`);
  // The gutter marks the line and the highlight layer underlines the text.
  const hlLine = page.locator('.hl-line').nth(errorLine - 1);
  await expect(hlLine).toContainText('<Colour>blue</Colour>');
  await expect(hlLine.locator('.sq-error').first()).toBeVisible();
  await expect(page.locator('.gutter .gl').nth(errorLine - 1)).toHaveClass(/gl-error/);
  await page.screenshot({ path: path.join(SHOTS, 'typed-error.png') });

  // Selecting the diagnostic moves the caret/selection onto the offending text.
  await caretAt(page, 0);
  await item.locator('button.goto').click();
  await expect(editor).toBeFocused();
  const sel = await editor.evaluate((t) => ({ s: t.selectionStart, e: t.selectionEnd, v: t.value }));
  const selected = sel.v.slice(sel.s, sel.e);
  expect(selected).toContain('Colour');
  const selLine = sel.v.slice(0, sel.s).split('\n').length;
  expect(selLine).toBe(errorLine);
  // Hovering the underline shows the message.
  const box = await hlLine.locator('.sq-error').first().boundingBox();
  await page.mouse.move(box.x + 4, box.y + box.height / 2);
  await expect(page.getByRole('tooltip')).toBeVisible();
  // The caret inside the range shows the message in the status bar.
  await expect(page.locator('#caret-diagnostic')).toContainText('Error');
});

test('a Fix button applies the fix and native undo reverts it', async ({ page }) => {
  const editor = await openEditor(page);
  await page.getByLabel('Load an example').selectOption('broken');
  await expect(editor).toHaveValue(/tagged-reports/);
  const fixable = diagnostics(page).locator('li:has(button.fix)').first();
  await expect(fixable).toBeVisible();
  const code = await fixable.getAttribute('data-code');
  const countBefore = await diagnostics(page).locator(`li[data-code="${code}"]`).count();
  const textBefore = await editor.inputValue();
  await page.screenshot({ path: path.join(SHOTS, 'broken-example.png') });
  await fixable.locator('button.fix').click();
  await expect(editor).not.toHaveValue(textBefore);
  await expect(diagnostics(page).locator(`li[data-code="${code}"]`)).toHaveCount(countBefore - 1);
  await expect(page.locator('.notice')).toContainText('Applied');
  // The fix went through the browser's editing, so undo restores the text.
  await editor.focus();
  await page.keyboard.press('Control+z');
  await expect(editor).toHaveValue(textBefore);
  await expect(diagnostics(page).locator(`li[data-code="${code}"]`)).toHaveCount(countBefore);
});

test('editing the context changes the kms:ViaService Region', async ({ page }) => {
  await openEditor(page);
  const panel = page.getByRole('tabpanel');
  await expect(panel).toContainText('"kms:ViaService": "s3.us-east-1.amazonaws.com"');
  await page.getByLabel('Source Region').fill('eu-west-3');
  await expect(panel).toContainText('"kms:ViaService": "s3.eu-west-3.amazonaws.com"');
  await expect(panel).not.toContainText('s3.us-east-1.amazonaws.com');
  // Back to the example's Region: the policy follows again.
  await page.getByLabel('Source Region').fill('us-east-1');
  await expect(panel).toContainText('"kms:ViaService": "s3.us-east-1.amazonaws.com"');
  await expect(panel).not.toContainText('eu-west-3');
});

test('share link round trip restores document and context', async ({ page, browser }) => {
  const editor = await openEditor(page);
  await page.getByLabel('Load an example').selectOption('multi-destination');
  await expect(editor).toHaveValue(/media-fanout/);
  await caretAt(page, 1);
  await page.keyboard.type('\n  "Ω": 1,');
  await page.getByLabel('Source bucket').fill('shared-bucket-ü');
  await page.getByRole('button', { name: 'Share link' }).click();
  const link = await page.getByLabel('Share link', { exact: true }).inputValue();
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*#s=[A-Za-z0-9_-]+&tab=role$/);
  const text = await editor.inputValue();

  // A fresh browser context: no localStorage, only the link.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  const leaks = [];
  await other.route('**/*', (r) => {
    if (new URL(r.request().url()).hostname !== '127.0.0.1') { leaks.push(r.request().url()); return r.abort(); }
    return r.continue();
  });
  await p2.goto(link);
  const e2 = p2.getByRole('textbox', { name: 'Replication configuration' });
  await expect(e2).toHaveValue(text);
  await expect(p2.getByLabel('Source bucket')).toHaveValue('shared-bucket-ü');
  await expect(p2.getByLabel('Region of media-cold-usw2')).toHaveValue('us-west-2');
  expect(leaks).toEqual([]);
  await other.close();

  // Editing after sharing drops the stale fragment; the last state survives a reload
  // through localStorage.
  expect(page.url()).toContain('#s=');
  await caretAt(page, 1);
  await page.keyboard.type(' ');
  await expect.poll(() => page.url()).not.toContain('#s=');
  const edited = await editor.inputValue();
  await page.waitForTimeout(600);
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Replication configuration' })).toHaveValue(edited);
  await expect(page.getByLabel('Source bucket')).toHaveValue('shared-bucket-ü');
});

test('markup in user text is shown as text and executes nothing', async ({ page }) => {
  const editor = await openEditor(page);
  const evil = '<?xml version="1.0"?>\n<ReplicationConfiguration>\n' +
    '  <Role>arn:aws:iam::111122223333:role/<script>window.__pwned = 1</script></Role>\n' +
    '  <img src="x" onerror="window.__pwned = 2">\n' +
    '  <Rule><ID>"><svg onload="window.__pwned = 3"></ID></Rule>\n' +
    '</ReplicationConfiguration>\n';
  await editor.fill(evil);
  await page.getByLabel('Source bucket').fill('<img src=y onerror="window.__pwned=4">');
  await page.getByRole('tab', { name: 'Audit' }).click();
  await page.getByLabel('Existing role permissions policy').fill('{"Statement":"<script>window.__pwned=5</script>"}');
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  // Nothing from the document became an element.
  await expect(page.locator('#app script, #app img, #app svg, #app iframe')).toHaveCount(0);
  await expect(page.locator('.hl')).toContainText('<script>window.__pwned = 1</script>');
  // Diagnostics mention the text literally.
  await expect(page.getByRole('list', { name: 'Diagnostics' }).locator('li').first()).toBeVisible();
  // A share link carrying the same text is just as inert.
  await page.getByRole('button', { name: 'Share link' }).click();
  const link = await page.getByLabel('Share link', { exact: true }).inputValue();
  await page.goto(link);
  await expect(page.getByRole('textbox', { name: 'Replication configuration' })).toHaveValue(evil);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  await expect(page.locator('#app script, #app img, #app svg, #app iframe')).toHaveCount(0);
});

test('every example loads; rule pages open; no request leaves 127.0.0.1', async ({ page, guard }) => {
  const editor = await openEditor(page);
  const ids = await page.getByLabel('Load an example').locator('option').evaluateAll(
    (os) => os.map((o) => o.value).filter(Boolean));
  expect(ids.length).toBeGreaterThanOrEqual(7);
  for (const id of ids) {
    const before = await rev(page);
    await page.getByLabel('Load an example').selectOption(id);
    await expect.poll(() => rev(page)).toBeGreaterThan(before);
    const errors = await diagnostics(page).locator('li[data-severity="error"]').count();
    if (id === 'broken') expect(errors).toBeGreaterThan(0);
    else expect(errors, `example ${id} has errors`).toBe(0);
    for (const tab of ['Role permissions policy', 'Trust policy', 'KMS key policies', 'Destination bucket policy']) {
      await page.getByRole('tab', { name: tab }).click();
    }
    await page.getByRole('tab', { name: 'Role permissions policy' }).click();
  }
  // Convert and back.
  await page.getByLabel('Load an example').selectOption('rtc');
  await page.getByRole('button', { name: 'Convert to JSON' }).click();
  await expect(editor).toHaveValue(/^\{/);
  await page.getByRole('button', { name: 'Convert to XML' }).click();
  await expect(editor).toHaveValue(/<ReplicationConfiguration/);
  await page.getByRole('button', { name: 'Format document' }).click();
  // Rule pages from a diagnostic's code link, and back.
  await page.getByLabel('Load an example').selectOption('broken');
  const codeLink = diagnostics(page).locator('a.code').first();
  const code = await codeLink.textContent();
  await codeLink.click();
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(code) })).toBeVisible();
  await expect(page.locator('.rule-docs')).toContainText('What it does');
  await page.screenshot({ path: path.join(SHOTS, 'rule-page.png'), fullPage: true });
  await page.getByRole('link', { name: 'All rules' }).click();
  await expect(page.locator('.rule-index')).toBeVisible();
  await page.getByRole('link', { name: '← Back to the editor' }).click();
  await expect(editor).toBeVisible();
  await expect(editor).toHaveValue(/tagged-reports/);
  const origins = new Set(guard.requests.map((r) => new URL(r).origin));
  expect([...origins].every((o) => o.startsWith('http://127.0.0.1:') || o === 'null')).toBe(true);
});

test('keyboard only: tabs with arrow keys, diagnostics with Enter', async ({ page }) => {
  const editor = await openEditor(page);
  await page.getByLabel('Load an example').selectOption('broken');
  await page.getByRole('tab', { name: 'Role permissions policy' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Trust policy' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Trust policy' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Audit' })).toHaveAttribute('aria-selected', 'true');
  const first = diagnostics(page).locator('li button.goto').first();
  await first.focus();
  await page.keyboard.press('Enter');
  await expect(editor).toBeFocused();
  // Tab leaves the textarea (no keyboard trap).
  await page.keyboard.press('Tab');
  await expect(editor).not.toBeFocused();
});

test('narrow screen and dark scheme render', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  const page = await ctx.newPage();
  await page.goto('/');
  const editor = page.getByRole('textbox', { name: 'Replication configuration' });
  await expect(editor).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).not.toBe('rgb(247, 248, 250)');
  await page.screenshot({ path: path.join(SHOTS, 'narrow-dark.png'), fullPage: true });
  await ctx.close();
});

test('large documents: the highlight layer follows scrolling and stays aligned', async ({ page }) => {
  const editor = await openEditor(page);
  let doc = '<?xml version="1.0" encoding="UTF-8"?>\n<ReplicationConfiguration>\n' +
    '  <Role>arn:aws:iam::111122223333:role/replication-role</Role>\n';
  for (let i = 0; i < 300; i++) {
    doc += `  <Rule>\n    <ID>r${i}</ID>\n    <Priority>${i + 1}</Priority>\n    <Filter>\n      <Prefix>p${i}/</Prefix>\n` +
      '    </Filter>\n    <Status>Enabled</Status>\n    <Destination>\n      <Bucket>arn:aws:s3:::destination-bucket</Bucket>\n' +
      '    </Destination>\n    <DeleteMarkerReplication>\n      <Status>Disabled</Status>\n    </DeleteMarkerReplication>\n  </Rule>\n';
  }
  doc += '</ReplicationConfiguration>\n';
  // (Playwright's fill() goes through the browser's editing commands, which take seconds for
  // thousands of lines; a paste-like value change is what a user does here.)
  await editor.evaluate((t, doc) => {
    t.value = doc;
    t.dispatchEvent(new Event('input', { bubbles: true }));
  }, doc);
  const lines = doc.split('\n');
  const target = lines.length - 2; // 0-based index of the closing root tag
  await editor.evaluate((t) => { t.scrollTop = t.scrollHeight; });
  const last = page.locator('.hl-line', { hasText: '</ReplicationConfiguration>' });
  await expect(last).toHaveCount(1);
  await expect(page.locator('.gutter .gl', { hasText: String(target + 1) }).last()).toBeVisible();
  const check = async () => {
    const [lb, tb, top] = await Promise.all([last.boundingBox(), editor.boundingBox(), editor.evaluate((t) => t.scrollTop)]);
    const expected = tb.y + 8 + target * 20 - top;
    return Math.abs(lb.y - expected);
  };
  await expect.poll(check).toBeLessThan(1);
  // Scroll back to the top: the first lines are drawn again.
  await editor.evaluate((t) => { t.scrollTop = 0; });
  await expect(page.locator('.hl-line').first()).toContainText('<?xml');
  await expect(page.locator('.hl-line', { hasText: '</ReplicationConfiguration>' })).toHaveCount(0);
});

test('audit: the generated role policy passes, a trimmed one is reported', async ({ page }) => {
  await openEditor(page);
  const generated = await page.getByRole('tabpanel').locator('.policy-doc[data-kind="role-permissions"] pre').textContent();
  const policy = JSON.parse(generated);
  await page.getByRole('tab', { name: 'Audit' }).click();
  const field = page.getByLabel('Existing role permissions policy');
  await field.fill(JSON.stringify(policy, null, 2));
  await expect(page.getByRole('tabpanel')).not.toContainText('Paste one or more');
  const findings = page.getByRole('list', { name: 'Audit findings' });
  await expect(findings.locator('li.diag-error')).toHaveCount(0);
  // Drop the KMS statements: the audit must notice.
  policy.Statement = policy.Statement.filter((s) => !JSON.stringify(s.Action).includes('kms:'));
  await field.fill(JSON.stringify(policy, null, 2));
  await expect(findings.locator('li').first()).toBeVisible();
  await expect(findings).toContainText('kms:');
  await page.screenshot({ path: path.join(SHOTS, 'audit.png'), fullPage: true });
});

test('a pasted Terraform module is checked by the template reader: language, configurations, facts, positioned diagnostics', async ({ page }) => {
  const editor = await openEditor(page);
  const tf = [
    'provider "aws" {',
    '  region = "eu-west-1"',
    '}',
    'provider "aws" {',
    '  alias  = "replica"',
    '  region = "eu-central-1"',
    '}',
    'resource "aws_kms_key" "replica" {}',
    'resource "aws_s3_bucket" "source" {',
    '  bucket = "acme-source"',
    '}',
    'resource "aws_s3_bucket" "replica" {',
    '  provider = aws.replica',
    '  bucket   = "acme-replica"',
    '}',
    'resource "aws_s3_bucket_replication_configuration" "main" {',
    '  bucket = aws_s3_bucket.source.id',
    '  role   = "arn:aws:iam::111122223333:role/replication"',
    '  rule {',
    '    status = "Enabled"',
    '    filter {}',
    '    delete_marker_replication {',
    '      status = "Enabled"',
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
    'resource "aws_s3_bucket_replication_configuration" "other" {',
    '  bucket = "acme-other"',
    '  role   = "arn:aws:iam::111122223333:role/replication"',
    '  rule {',
    '    status = "Enabled"',
    '    destination {',
    '      bucket = "arn:aws:s3:::acme-replica"',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  await editor.fill(tf);
  await expect(page.locator('.app')).toHaveAttribute('data-template', 'ready');
  const bar = page.getByRole('region', { name: 'Template', exact: true });
  await expect(bar).toContainText('Terraform file: 2 replication configurations');
  await expect(page.locator('.format-badge')).toHaveText('Terraform file');
  // The key of this module is in the source Region: S3R405 on the replica_kms_key_id line.
  const keyLine = tf.split('\n').findIndex((l) => l.includes('replica_kms_key_id')) + 1;
  const item = diagnostics(page).locator(`li[data-code="S3R405"][data-line="${keyLine}"]`);
  await expect(item).toBeVisible();
  await expect(bar.getByRole('list', { name: 'Facts read from the code' })).toContainText('sourceRegion = eu-west-1 (line 2');
  await page.screenshot({ path: path.join(SHOTS, 'template-terraform.png'), fullPage: true });
  // The other configuration: a V1 rule whose source versioning is unknown, no S3R405.
  await bar.getByLabel('Configuration').selectOption({ label: 'aws_s3_bucket_replication_configuration.other' });
  await expect(diagnostics(page).locator('li[data-code="S3R405"]')).toHaveCount(0);
  await expect(diagnostics(page).locator('li[data-code="S3R233"]')).toHaveCount(1);
  // Back to an API document: the template bar goes away.
  await editor.fill('<ReplicationConfiguration/>');
  await expect(bar).toHaveCount(0);
});

test('a pasted CloudFormation template is checked by the template reader', async ({ page }) => {
  const editor = await openEditor(page);
  const yaml = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Source:',
    '    Type: AWS::S3::Bucket',
    '    Properties:',
    '      BucketName: acme-source',
    '      VersioningConfiguration:',
    '        Status: Enabled',
    '      ReplicationConfiguration:',
    '        Role: arn:aws:iam::111122223333:role/replication',
    '        Rules:',
    '          - ID: all',
    '            Status: Enabled',
    '            Destination:',
    '              Bucket: arn:aws:s3:::acme-replica',
    '',
  ].join('\n');
  await editor.fill(yaml);
  await expect(page.locator('.app')).toHaveAttribute('data-template', 'ready');
  await expect(page.getByRole('region', { name: 'Template', exact: true })).toContainText('CloudFormation template: 1 replication configuration');
  // `ID` is the API's spelling; CloudFormation's is `Id`: S3R002 on its line.
  const line = yaml.split('\n').findIndex((l) => l.includes('- ID: all')) + 1;
  await expect(diagnostics(page).locator(`li[data-code="S3R002"][data-line="${line}"]`)).toBeVisible();
});

test("a template's configuration has its policies, simulation and topology, from the facts its code states", async ({ page }) => {
  const editor = await openEditor(page);
  const yaml = [
    'Resources:',
    '  Role:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      AssumeRolePolicyDocument: {}',
    '  Source:',
    '    Type: AWS::S3::Bucket',
    '    Properties:',
    '      BucketName: acme-source',
    '      VersioningConfiguration:',
    '        Status: Enabled',
    '      ReplicationConfiguration:',
    '        Role: !GetAtt Role.Arn',
    '        Rules:',
    '          - Id: reports',
    '            Status: Enabled',
    '            Prefix: reports/',
    '            Destination:',
    '              Bucket: arn:aws:s3:::acme-replica',
    '  Other:',
    '    Type: AWS::S3::Bucket',
    '    Properties:',
    '      BucketName: acme-other',
    '      ReplicationConfiguration:',
    '        Role: arn:aws:iam::111122223333:role/other',
    '        Rules:',
    '          - Status: Enabled',
    '            Prefix: logs/',
    '            Destination:',
    '              Bucket: arn:aws:s3:::acme-archive',
    '',
  ].join('\n');
  await editor.fill(yaml);
  await expect(page.locator('.app')).toHaveAttribute('data-template', 'ready');
  // The page's own deployment context does not apply; the outputs speak for the configuration.
  await expect(page.getByRole('region', { name: 'About templates' })).toContainText('Resources.Source');
  await expect(page.getByRole('region', { name: 'Deployment context' })).toHaveCount(0);
  const panel = page.getByRole('tabpanel');
  const role = JSON.parse(await panel.locator('.policy-doc[data-kind="role-permissions"] pre').textContent());
  const resources = role.Statement.flatMap((s) => [].concat(s.Resource));
  // The stack's partition is the template's to decide: a placeholder in JSON.
  expect(resources.some((r) => /^arn:[^:]+:s3:::acme-source$/.test(r)), resources.join(' ')).toBe(true);
  expect(resources.some((r) => /^arn:[^:]+:s3:::acme-replica\/reports\/\*$/.test(r)), resources.join(' ')).toBe(true);
  // As CloudFormation, the policy names the template's own bucket and role.
  await page.getByRole('radiogroup', { name: 'Policy format' }).getByRole('radio', { name: 'CloudFormation' }).check();
  await expect(panel.getByLabel('CloudFormation code', { exact: true })).toContainText('Source.Arn');
  await page.getByRole('radiogroup', { name: 'Policy format' }).getByRole('radio', { name: 'JSON' }).check();
  // Simulation follows the rule's prefix.
  await page.getByRole('tab', { name: 'Simulate' }).click();
  await page.getByLabel('Object key').fill('reports/2026.csv');
  const dest = page.locator('.sim-dest[data-bucket="acme-replica"]');
  await expect(dest).toHaveAttribute('data-replicated', 'true');
  await page.getByLabel('Object key').fill('other/2026.csv');
  await expect(dest).toHaveAttribute('data-replicated', 'false');
  // The topology draws the selected configuration; picking the other one redraws it.
  await page.getByRole('tab', { name: 'Topology' }).click();
  await expect(page.locator('.topo-source')).toContainText('acme-source');
  await expect(page.locator('.topo-dest[data-bucket="acme-replica"]')).toHaveCount(1);
  await page.getByRole('region', { name: 'Template', exact: true }).getByLabel('Configuration').selectOption({ label: 'Resources.Other' });
  await expect(page.locator('.topo-source')).toContainText('acme-other');
  await expect(page.locator('.topo-dest[data-bucket="acme-archive"]')).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'About templates' })).toContainText('Resources.Other');
});

test("a template's own role policy is audited in the editor, at its line", async ({ page }) => {
  const editor = await openEditor(page);
  const fixture = path.join(ROOT, 'tests/fixtures/iac/policies/cloudformation/get-object-version.yaml');
  const yaml = fs.readFileSync(fixture, 'utf8');
  await editor.fill(yaml);
  await expect(page.locator('.app')).toHaveAttribute('data-template', 'ready');
  const line = yaml.split('\n').findIndex((l) => l.includes('# expect: S3R703')) + 1;
  const item = diagnostics(page).locator(`li[data-code="S3R703"][data-line="${line}"]`);
  await expect(item).toBeVisible();
  await expect(item).toContainText('GetObjectVersionForReplication');
  // Its quick fix is an edit of the template itself.
  await item.getByRole('button', { name: /Replace `s3:GetObjectVersion` with `s3:GetObjectVersionForReplication`/ }).click();
  await expect(editor).toHaveValue(/- s3:GetObjectVersionForReplication  # expect: S3R703/);
  await expect(page.locator('.app')).toHaveAttribute('data-template', 'ready');
  await expect(diagnostics(page).locator('li[data-code="S3R703"]')).toHaveCount(0);
  // A missing permission: the statement to add, as a YAML item of the template's policy.
  await editor.fill(fs.readFileSync(fixture.replace('get-object-version', 'v1-replicate-delete'), 'utf8'));
  await expect(page.locator('.app')).toHaveAttribute('data-template', 'ready');
  const missing = diagnostics(page).locator('li[data-code="S3R708"]');
  await missing.getByRole('button', { name: /Add a statement allowing s3:ReplicateDelete/ }).click();
  await expect(editor).toHaveValue(/- Effect: Allow\n\s+Action: s3:ReplicateDelete\n/);
  await expect(page.locator('.app')).toHaveAttribute('data-template', 'ready');
  await expect(diagnostics(page).locator('li[data-code="S3R708"]')).toHaveCount(0);
  // The corrected twin: no policy finding left.
  await editor.fill(fs.readFileSync(fixture.replace('get-object-version', 'good'), 'utf8'));
  await expect(page.locator('.app')).toHaveAttribute('data-template', 'ready');
  await expect(diagnostics(page).locator('li[data-code^="S3R70"]')).toHaveCount(0);
});

test('the policy tabs switch between JSON, Terraform and CloudFormation; copy and download give the chosen form', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openEditor(page);
  const panel = page.getByRole('tabpanel');
  const formats = page.getByRole('radiogroup', { name: 'Policy format' });
  await expect(formats.getByRole('radio', { name: 'JSON' })).toBeChecked();
  const json = JSON.parse(await panel.locator('.policy-doc[data-kind="role-permissions"] pre').textContent());
  const actions = json.Statement.flatMap((s) => [].concat(s.Action)).sort();

  await formats.getByRole('radio', { name: 'Terraform' }).check();
  const code = panel.getByLabel('Terraform code', { exact: true });
  await expect(code).toContainText('data "aws_iam_policy_document" "replication_permissions" {');
  const tf = await code.textContent();
  // The same statements: every action of the JSON role policy appears in the Terraform.
  for (const a of actions) expect(tf).toContain(`"${a}"`);
  await expect(panel.locator('.policy-doc')).toHaveCount(0);
  await page.screenshot({ path: path.join(SHOTS, 'policies-terraform.png') });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Download replication-policies.tf' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('replication-policies.tf');
  expect(fs.readFileSync(await download.path(), 'utf8')).toBe(tf);
  await panel.getByRole('button', { name: 'Copy the Terraform code' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tf);

  // The choice holds across tabs, and follows the document.
  await page.getByRole('tab', { name: 'Trust policy' }).click();
  await expect(page.getByRole('tabpanel').getByLabel('Terraform code', { exact: true })).toContainText('sts:AssumeRole');

  await formats.getByRole('radio', { name: 'CloudFormation' }).check();
  const yaml = page.getByRole('tabpanel').getByLabel('CloudFormation code', { exact: true });
  await expect(yaml).toContainText('AWSTemplateFormatVersion: "2010-09-09"');
  await expect(yaml).toContainText('Type: AWS::IAM::Role');
  const [yamlDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('tabpanel').getByRole('button', { name: 'Download replication-policies.yaml' }).click(),
  ]);
  expect(yamlDownload.suggestedFilename()).toBe('replication-policies.yaml');

  await formats.getByRole('radio', { name: 'JSON' }).check();
  await expect(page.getByRole('tabpanel').locator('.policy-doc').first()).toBeVisible();
});

test('a pasted cdktf synth output (.tf.json) is read as Terraform, findings at their JSON lines', async ({ page }) => {
  const editor = await openEditor(page);
  const json = fs.readFileSync(path.join(ROOT, 'tests/fixtures/iac/cdktf-synth/cdk.tf.json'), 'utf8');
  await editor.fill(json);
  await expect(page.locator('.app')).toHaveAttribute('data-template', 'ready');
  await expect(page.locator('.format-badge')).toHaveText('Terraform file');
  const bar = page.getByRole('region', { name: 'Template', exact: true });
  await expect(bar).toContainText('1 replication configuration');
  // Two rules share a priority: S3R211 on a line of the JSON, inside the configuration.
  const item = diagnostics(page).locator('li[data-code="S3R211"]');
  await expect(item).toHaveCount(1);
  const line = Number(await item.getAttribute('data-line'));
  const first = json.split('\n').findIndex((l) => l.includes('"aws_s3_bucket_replication_configuration"')) + 1;
  expect(line).toBeGreaterThan(first);
});
