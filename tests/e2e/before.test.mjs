// Issue 26's "before": when a new agent takes over (Change one thing, Apply),
// the previous agent's Elastic line stays on the capacity chart, grey and
// labelled "Elastic before", and the scoreboard keeps a row "Elastic (before)"
// with its figures over the same steps (its own run, played ahead before the
// takeover); a reset clears both.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, waitTrained, pause } from './harness.mjs';

const www = session();

// The scoreboard's rows shown, each as its cells' texts.
const board = (page) => page.evaluate(() => [...document.querySelectorAll('#scoreboard tbody tr:not([hidden])')]
  .map((tr) => [...tr.cells].map((c) => c.textContent)));
const labels = (page) => page.evaluate(() => window.playgroundTest.textBoxes()
  .filter((b) => /^Elastic before \d+$/.test(b.text)).map((b) => b.text));

test('after a takeover the previous agent stays as "before": its line on the capacity chart and its row on the scoreboard, with its figures at the same step; a reset clears it', () => www.withPage('', async ({ page, errors }) => {
  await waitTrained(page);
  // The previous agent's whole run played ahead, then the run paused at step 600.
  await page.waitForFunction(() => window.playgroundTest.metrics().lookahead_done, null, { timeout: 60000 });
  await pause(page);
  await page.evaluate(() => window.playgroundTest.seek(600));
  await page.waitForFunction(() => !window.playgroundTest.seeking && window.playgroundTest.shown?.step === 600, null, { timeout: 60000 });
  const old = (await board(page)).find((r) => r[0] === 'Elastic');
  assert.ok(old, 'an Elastic row');
  assert.deepEqual(await labels(page), [], 'no "before" yet');
  await page.fill('[data-tweak="reward.sla_violated"]', '-40');
  await page.click('#tweak-apply');
  await page.waitForFunction(() => /took over/.test(document.getElementById('tweak-status').textContent), null, { timeout: 60000 });
  await page.waitForFunction(() => !window.playgroundTest.seeking && window.playgroundTest.shown?.step === 600, null, { timeout: 60000 });
  await page.waitForFunction(() => [...document.querySelectorAll('#scoreboard tbody th')].some((th) => th.textContent === 'Elastic (before)'));
  const rows = await board(page);
  const before = rows.find((r) => r[0] === 'Elastic (before)');
  // Cost, saving, violation steps and capacity changes are the previous agent's at step 600.
  assert.deepEqual(before.slice(1, 5), old.slice(1, 5), JSON.stringify({ old, rows }));
  assert.equal(before[5], '–');
  assert.notDeepEqual(rows.find((r) => r[0] === 'Elastic'), old, 'the new agent plays otherwise');
  assert.equal(rows.filter((r) => /before/.test(r[0])).length, 1);
  assert.equal((await labels(page)).length, 1, 'the chart labels the previous agent\'s line');
  await page.evaluate(() => window.playgroundTest.reset());
  await page.waitForFunction(() => ![...document.querySelectorAll('#scoreboard tbody th')].some((th) => /before/.test(th.textContent)));
  assert.deepEqual(await labels(page), []);
  assert.deepEqual(errors, []);
}));
