// The README's screenshot (docs/screenshot.png): the page after training and a
// day of play, with every world shown. `make screenshot` runs this file alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serve, open, waitTrained, pause } from './harness.mjs';

test('a screenshot of the page is saved for the README', async () => {
  const server = await serve();
  const browser = await open(server.url, { width: 1400, height: 1000 });
  try {
    const { page } = browser;
    await page.check('#show-rule');
    await page.check('#show-oracle');
    await waitTrained(page);
    await page.waitForFunction(() => window.playground.metrics.step >= 1500, null, { timeout: 120000 });
    await pause(page);
    await page.click('#explain');
    await page.waitForFunction(() => /Decisive factor/.test(document.getElementById('forensics-text').textContent));
    const path = join(ROOT, 'docs', 'screenshot.png');
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    await page.screenshot({ path, fullPage: true });
    assert.ok(statSync(path).size > 50000, 'the screenshot has content');
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
