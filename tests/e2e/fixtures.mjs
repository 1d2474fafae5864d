// Shared test setup: every test fails if the page logs an error, throws, opens a dialog, or
// sends a request anywhere but 127.0.0.1 (such requests are also blocked).
import { test as base, expect } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-results');

export const test = base.extend({
  guard: [async ({ page, context }, use) => {
    const problems = [];
    const requests = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname !== '127.0.0.1') {
        problems.push(`request left 127.0.0.1: ${url.href}`);
        return route.abort();
      }
      return route.continue();
    });
    context.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
    await use({ problems, requests });
    expect(problems, problems.join('\n')).toEqual([]);
    for (const r of requests) {
      const u = new URL(r);
      expect(['127.0.0.1', ''].includes(u.hostname) || u.protocol === 'blob:' || u.protocol === 'data:', r).toBe(true);
    }
  }, { auto: true }],
});

export { expect };

/** Open the editor and wait until the wasm app has rendered its first analysis. */
export async function openEditor(page, url = '/') {
  await page.goto(url);
  const editor = page.getByRole('textbox', { name: 'Replication configuration' });
  await expect(editor).toBeVisible();
  await expect(page.locator('.app[data-rev]')).toBeVisible();
  return editor;
}

/** Current revision of the analysis (increments on every recomputation). */
export async function rev(page) {
  return Number(await page.locator('.app').getAttribute('data-rev'));
}

/** Put the caret at UTF-16 offset `at` of the editor. */
export async function caretAt(page, at) {
  await page.getByRole('textbox', { name: 'Replication configuration' }).evaluate((t, at) => {
    t.focus();
    t.setSelectionRange(at, at);
  }, at);
}
