// Determinism across targets: a share link gives the same figures in the browser
// (wasm, the agent trained in the page's worker) and natively (the CLI's
// `compare --link`), bit for bit, after the same number of steps.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { session, waitTrained, pause, ROOT, linkOf as link } from './harness.mjs';

const www = session();

const STEPS = 500;

// The CLI's results after `steps` steps of the link's run, every figure at full
// precision.
function native(hash, steps) {
  const out = execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'autoscale-playground', '--',
    'compare', '--link', hash, '--steps', String(steps), '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out);
}

// Not a preset's scenario, so the page trains the agent itself (in wasm).
for (const [name, s] of [
  ['bursty, seed 11', { seed: 11, workload: { family: 'bursty' }, agent: { episodes: 30 } }],
  ['flash crowd, seed 5, boot delay 300 s', { seed: 5, workload: { family: 'flash-crowd' }, scaling: { boot_delay_s: 300 }, agent: { episodes: 30 } }],
]) {
  test(`a link gives the same figures in the browser and the CLI: ${name}`, async () => {
    const hash = link({ s });
    const expected = native(hash, STEPS);
    await www.withPage(`#${hash}`, async ({ page, errors }) => {
      await waitTrained(page, 120000);
      await pause(page);
      const m = await page.evaluate((n) => {
        const t = window.playgroundTest;
        t.reset();
        t.step(n);
        return t.metrics();
      }, STEPS);
      assert.equal(await page.evaluate(() => window.playgroundTest.trainedBy), 'page');
      assert.equal(m.step, expected.step);
      assert.equal(m.training.episode, expected.episodes);
      assert.equal(expected.step, STEPS);
      assert.equal(m.worlds.length, expected.worlds.length);
      expected.worlds.forEach((want, i) => {
        const got = m.worlds[i];
        for (const [key, value] of Object.entries(want)) {
          // The page leaves out what the CLI prints as null.
          const shown = got[key] ?? null;
          // A count of kinds (the scale-ups early, late, unprompted) field by field.
          if (value !== null && typeof value === 'object') assert.deepEqual(shown, value, `${want.name}: ${key}`);
          else assert.ok(Object.is(shown, value), `${want.name}: ${key} is ${shown} in the browser, ${value} natively`);
        }
      });
      // The figures moved: the comparison is not of zeros.
      const elastic = expected.worlds.find((w) => w.name === 'Elastic (RL)');
      assert.ok(elastic.cost > 0 && elastic.capacity_changes > 0, JSON.stringify(elastic));
      assert.deepEqual(errors, []);
    });
  });
}
