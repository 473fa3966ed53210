// The worlds beside Static and Elastic: Predictive, shown at first, switched off
// and on; No forecast (the ablation: the agent trained without the forecast in
// its state) switched on, trained in the worker, then on the scoreboard, in the
// charts and in the verdict; and the scoreboard's scale-ups early / late.
// The tests share one page and run in order.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { session, waitTrained, pause, shownAndEngine, assertScoreboard } from './harness.mjs';

// The page, open until the file's browser closes after its tests.
const www = session();
let browser;
let page;

before(async () => {
  browser = await www.open();
  page = browser.page;
});

// Pixels of the capacity chart within `tolerance` of an RGB colour on every channel.
function pixelsOf([r, g, b], tolerance) {
  return page.evaluate(({ r, g, b, tolerance }) => {
    const c = document.getElementById('capacity-canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - r) < tolerance && Math.abs(d[i + 1] - g) < tolerance && Math.abs(d[i + 2] - b) < tolerance) n++;
    }
    return n;
  }, { r, g, b, tolerance });
}

// Resolves after the page has drawn two more animation frames.
const drawn = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

// Each scoreboard row's world (its class) and whether it is shown.
const rows = () => page.evaluate(() => [...document.querySelectorAll('#scoreboard tbody tr')].map((tr) => [tr.className, !tr.hidden]));

// Predictive's line: dark grey (#333), dash-dot. The axes' text is #222, so a
// tight tolerance, and the count with the line shown is compared with the count
// without it at the same step.
const PREDICTIVE = [0x33, 0x33, 0x33];
const NO_FORECAST = [0x56, 0xb4, 0xe9];

// Plays on to `step` or a little past it at 10 steps a frame (the speed's
// seventh step) and pauses there, then sets the page's own speed (1 step a
// frame) back: where the run stands counts, not how fast it got there.
async function playTo(step) {
  await page.locator('#speed').fill('6');
  await page.waitForFunction((s) => window.playgroundTest.shown.step >= s, step, { timeout: 60000 });
  await pause(page);
  await page.locator('#speed').fill('3');
}

test('Predictive is shown at first, and its switch hides and shows its line and its scoreboard row', async () => {
  await waitTrained(page);
  await playTo(600);
  assert.equal(await page.isChecked('#show-predictive'), true);
  assert.equal(await page.isChecked('#show-no-forecast'), false);
  await drawn();
  assert.deepEqual(await rows(), [['static', true], ['rule', true], ['elastic', true], ['oracle', true], ['predictive', true]]);
  const on = await pixelsOf(PREDICTIVE, 10);
  assert.match(await page.locator('#capacity-canvas').getAttribute('aria-label'), /, Predictive \d+ replicas/);

  await page.uncheck('#show-predictive');
  await drawn();
  assert.deepEqual((await rows()).find(([kind]) => kind === 'predictive'), ['predictive', false]);
  const off = await pixelsOf(PREDICTIVE, 10);
  assert.ok(on - off > 100, `Predictive's line: ${on} pixels shown, ${off} hidden`);
  assert.doesNotMatch(await page.locator('#verdict').textContent(), /Predictive/);
  assert.doesNotMatch(await page.locator('#capacity-canvas').getAttribute('aria-label'), /Predictive/);
  assert.match(await page.evaluate(() => location.hash), /^#v1\./, 'the link follows the switch');

  await page.check('#show-predictive');
  await drawn();
  assert.deepEqual((await rows()).find(([kind]) => kind === 'predictive'), ['predictive', true]);
  assert.equal(await pixelsOf(PREDICTIVE, 10), on);
  assert.match(await page.locator('#verdict').textContent(), /Predictive/);
});

test('the scoreboard counts each world\'s scale-ups early and late, as the engine does', async () => {
  const shown = await shownAndEngine(page);
  assertScoreboard(shown.rows, shown.m.worlds);
  for (const row of shown.rows) assert.match(row[5], /^\d+ \/ \d+$/, row[0]);
  // The Oracle sizes every step for its demand a boot delay ahead: early.
  const oracle = shown.m.worlds.find((w) => w.kind === 'oracle');
  assert.ok(oracle.scale_ups.early > 0, JSON.stringify(oracle.scale_ups));
  assert.match(await page.locator('#scoreboard thead th:last-child').getAttribute('title'), /^Early: decided at least a boot delay before the demand rise/);
});

test('No forecast switched on trains its agent in the worker, then joins the scoreboard, the chart and the verdict', async () => {
  await page.check('#show-no-forecast');
  // The run restarts with the new world, whose agent trains while the run plays.
  await page.waitForFunction(() => window.playgroundTest.metrics().training.ablation?.episodes === 200);
  assert.equal(await page.evaluate(() => window.playgroundTest.worker), true, 'trained in the worker');
  await page.waitForFunction(() => /No forecast: \d+ of 200/.test(document.getElementById('train-status').textContent));
  await waitTrained(page, 180000);
  const m = await page.evaluate(() => window.playgroundTest.metrics());
  assert.deepEqual(m.training.ablation, { episode: 200, episodes: 200 });
  assert.equal(m.training.episode, 200, 'the Elastic world\'s agent is as the build trained it');
  await playTo(600);
  // On to a day into the run with Step, wherever the pause caught it: the
  // line's length then depends neither on the speed nor on the pause's timing
  // (it pauses a little past step 600, where the line is a seventh of the
  // chart, much of it under the Elastic world's).
  await page.evaluate(() => {
    const step = document.getElementById('step');
    while (window.playgroundTest.stepIndex < 1440) step.click();
  });
  await page.waitForFunction(() => Number(document.getElementById('clock').dataset.step) === 1440);
  await drawn();
  assert.deepEqual((await rows()).at(-1), ['no_forecast', true]);
  const shown = await shownAndEngine(page);
  assertScoreboard(shown.rows, shown.m.worlds);
  assert.equal(shown.rows.at(-1)[0], 'No forecast');
  assert.match(shown.verdict, / Without the forecast in its state \(No forecast\) it costs [\d.]+ with [\d.]+ violation steps: the forecast buys [^.]+/);
  const sky = await pixelsOf(NO_FORECAST, 24);
  assert.ok(sky > 200, `No forecast's line at step 1440: ${sky} pixels`);
  assert.match(await page.evaluate(() => location.hash), /^#v1\./);

  await page.uncheck('#show-no-forecast');
  await drawn();
  assert.deepEqual((await rows()).map(([kind]) => kind), ['static', 'rule', 'elastic', 'oracle', 'predictive']);
  assert.equal(await page.evaluate(() => window.playgroundTest.metrics().training.ablation ?? null), null);
  assert.doesNotMatch(await page.locator('#verdict').textContent(), /Without the forecast/);
});

test('no errors in the console', () => {
  assert.deepEqual(browser.errors, []);
});

test('"Replay with the exact physics" plays the run\'s decisions per request and shows both physics\' violation steps side by side', () => www.withPage('', async ({ page, errors }) => {
  await waitTrained(page);
  await page.waitForFunction(() => window.playgroundTest.shown.step >= 120, null, { timeout: 60000 });
  await page.click('#replay-exact');
  await page.waitForFunction(() => window.playgroundTest.metrics().exact?.done, null, { timeout: 120000 });
  const { exact, worlds, step } = await page.evaluate(() => {
    const m = window.playgroundTest.metrics();
    return { exact: m.exact, worlds: m.worlds, step: m.step };
  });
  assert.equal(exact.until, step, 'the steps played when asked');
  await page.waitForFunction(() => /^Steps 0 to [\d,]+ replayed per request\.$/.test(document.getElementById('exact-status').textContent));
  const rows = await page.evaluate(() => [...document.querySelectorAll('#exact-table tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)));
  const shownWorlds = exact.worlds.filter((w) => w.kind !== 'no_forecast');
  assert.equal(rows.length, shownWorlds.length);
  rows.forEach((row, i) => {
    const w = shownWorlds[i];
    const fluid = worlds.find((x) => x.kind === w.kind);
    assert.equal(row[0], fluid.short);
    assert.equal(w.fluid_violation_steps, fluid.sla_violation_steps, `${fluid.short}: the scoreboard's figure`);
    assert.equal(row[2], String(w.violation_steps));
    assert.ok(Number.isInteger(w.violation_steps));
    assert.match(row[3], /^\d+\.\d s$/);
  });
  assert.deepEqual(errors, []);
}));

test('"Replay with the exact physics" before any step says why it cannot, and the run goes on', () => www.withPage('', async ({ page }) => {
  await waitTrained(page);
  await pause(page);
  await page.evaluate(() => window.playgroundTest.reset());
  await page.click('#replay-exact');
  await page.waitForFunction(() => document.getElementById('exact-status').textContent === 'Cannot replay: nothing to replay yet: play some steps first.');
  assert.equal(await page.isHidden('#exact-table'), true);
}));
