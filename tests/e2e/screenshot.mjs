// The README's screenshot (docs/screenshot.png): the classroom layout's first
// screen at 1,366 x 768 (a laptop or a projector) after training and a day of
// play, every world shown and the forensics of the current decision explained. Not part of `make test` (its name does not
// match tests/e2e/*.test.mjs, so the tests never rewrite the tracked file):
// `make screenshot` runs it alone, with `node --test tests/e2e/screenshot.mjs`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serve, open, waitTrained, pause } from './harness.mjs';

const WIDTH = 1366;
const HEIGHT = 768;

// The width and height in a PNG's header (the IHDR chunk, right after the signature).
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('a screenshot of the classroom layout at 1,366 x 768 after a day of play, every world shown, is saved for the README', async () => {
  const server = await serve();
  const browser = await open(server.url, { width: WIDTH, height: HEIGHT });
  try {
    const { page } = browser;
    await page.check('#show-rule');
    await page.check('#show-oracle');
    await page.check('#show-predictive');
    await waitTrained(page);
    await page.waitForFunction(() => window.playgroundTest.shown.step >= 1500, null, { timeout: 120000 });
    await pause(page);
    await page.click('#explain');
    await page.waitForFunction(() => /Decisive factor/.test(document.getElementById('forensics-text').textContent));
    // What the picture shows: the five standard worlds on the scoreboard, the trained agent.
    const shown = await page.evaluate(() => ({
      rows: [...document.querySelectorAll('#scoreboard tbody tr')].map((tr) => tr.cells[0].textContent),
      rule: document.getElementById('show-rule').checked,
      oracle: document.getElementById('show-oracle').checked,
      step: window.playgroundTest.shown.step,
      episodes: window.playgroundTest.shown.training.episode,
      // The capacity chart and its p95 strip, Change one thing and the saving on
      // the screen shot (and the forensics' headline, above its bottom edge).
      bottom: Math.max(...['capacity-canvas', 'latency-canvas', 'tweak', 'saving'].map((id) => document.getElementById(id).getBoundingClientRect().bottom)),
    }));
    assert.deepEqual(shown.rows, ['Static', 'Rule', 'Elastic', 'Oracle', 'Predictive']);
    assert.equal(shown.rule && shown.oracle, true);
    assert.ok(shown.step >= 1500 && shown.episodes > 0, JSON.stringify(shown));
    const path = join(ROOT, 'docs', 'screenshot.png');
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    assert.ok(shown.bottom <= HEIGHT, `the first screen ends at ${shown.bottom} px`);
    await page.screenshot({ path });
    const bytes = readFileSync(path);
    // The first screen, not a blank or cropped capture.
    assert.deepEqual(pngSize(bytes), { width: WIDTH, height: HEIGHT });
    assert.ok(bytes.length > 50000, `the screenshot has content: ${bytes.length} bytes`);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
