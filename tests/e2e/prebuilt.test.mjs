// The trained agent at once: a preset's training is done at build time
// (scripts/build-wasm.sh, natively) and the page adopts it at load, so the
// trained agent plays within a second or two of opening the page. The build's
// table must be the one the browser would train itself, bit for bit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { session, ROOT, waitTrained, linkOf as link, unfold, pause } from './harness.mjs';

const www = session();

test('the page starts with the prebuilt training of its preset', () => www.withPage('', async ({ page, errors }) => {
  await waitTrained(page, 60000);
  const app = await page.evaluate(() => ({
    by: window.playgroundTest.trainedBy,
    training: window.playgroundTest.metrics().training,
    playing: window.playgroundTest.playing,
  }));
  assert.equal(app.by, 'build');
  assert.equal(app.training.episode, 200);
  assert.equal(app.training.done, true);
  assert.equal(app.playing, true);
  const status = await page.locator('#train-status').textContent();
  assert.equal(status, 'trained: 200 episodes');
  assert.deepEqual(errors, []);
}));

// Every preset the build trains: the page's presets, each with its file.
const PRESETS = ['diurnal', 'flash-crowd', 'bursty', 'scheduled', 'azure-conv', 'azure-code'];

test('the build trains a table for every preset and its ablation (No forecast), and no other', () => {
  const files = readdirSync(join(ROOT, 'www', 'pkg')).filter((f) => /^trained-.*\.json$/.test(f)).sort();
  assert.deepEqual(files, PRESETS.flatMap((p) => [`trained-${p}.json`, `trained-${p}-no-forecast.json`]).sort());
});

test('the build trained what the browser trains, bit for bit, for every preset', async () => {
  // Side by side on as many pages as the machine has cores (a page trains on its
  // own thread), each taking the next preset left.
  const left = [...PRESETS];
  const trainOn = () => www.withPage('', async ({ page, errors }) => {
    await waitTrained(page, 60000);
    for (let preset = left.shift(); preset; preset = left.shift()) {
      const built = JSON.parse(readFileSync(join(ROOT, 'www', 'pkg', `trained-${preset}.json`), 'utf8'));
      const trained = await page.evaluate(async (preset) => {
        // The worker's glue on its own (the worker runs its copy bundled into
        // pkg/trainer.js), so its wasm, the speed build, is started here.
        const wasm = await import('./pkg/trainer_core.js');
        await wasm.default();
        // A real-trace preset trains on its trace, served beside the page.
        const trace = wasm.presetInfo(preset)[1];
        const csv = trace ? await (await fetch(`./${trace}`)).text() : undefined;
        const t = new wasm.Training(wasm.presetScenario(preset), csv);
        while (!t.done()) t.run(1);
        const out = { table: t.table(), curve: Array.from(t.curve()), episode: t.episode() };
        t.free();
        return out;
      }, preset);
      assert.equal(trained.episode, built.episode, preset);
      assert.deepEqual(trained.curve, built.curve, `${preset}: learning curve`);
      assert.equal(trained.table, built.table, `${preset}: Q-table`);
      // A learned forecaster's pre-training ships too (the real-trace presets' TCN;
      // that the page plays the same run with it is the next test's).
      assert.equal(built.forecaster != null, preset.startsWith('azure'), `${preset}: ships a forecaster`);
    }
    assert.deepEqual(errors, []);
  });
  await Promise.all(Array.from({ length: Math.min(PRESETS.length, availableParallelism()) }, trainOn));
});

test('a real-trace preset adopts the build\'s pre-trained forecaster: the page pre-trains nothing, and plays the run it would pre-train for', async () => {
  const built = JSON.parse(readFileSync(join(ROOT, 'www', 'pkg', 'trained-azure-conv.json'), 'utf8'));
  // With the file as built, then with its forecaster left out (the page then
  // pre-trains the TCN itself): the same run, figure for figure, 600 steps in.
  const play = (stripped) => www.withPage('about:blank', async ({ page, errors }) => {
    if (stripped) {
      await page.route(/trained-azure-conv\.json$/, (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...built, forecaster: undefined }) }));
    }
    await page.goto(www.url);
    await waitTrained(page, 60000);
    // Every frame from the choice until the new run is shown: what the page said it did.
    const said = await page.evaluate(async () => {
      const t = window.playgroundTest;
      const run = t.run;
      const menu = document.getElementById('preset');
      menu.value = 'azure-conv';
      menu.dispatchEvent(new Event('change', { bubbles: true }));
      const seen = new Set();
      while (t.run === run || t.waiting) {
        await new Promise((r) => requestAnimationFrame(r));
        seen.add(document.getElementById('tweak-status').textContent.split(':')[0]);
      }
      return [...seen];
    });
    assert.equal(said.some((s) => /Pre-training/.test(s)), stripped, said.join(' | '));
    const fit = await page.evaluate(() => window.playgroundTest.metrics().fit);
    assert.deepEqual(fit, { done: built.forecaster.batches, total: built.forecaster.batches, finished: true });
    assert.equal(await page.evaluate(() => window.playgroundTest.worker), false, 'nothing trained in the worker');
    await pause(page);
    const run = await page.evaluate(() => {
      const t = window.playgroundTest;
      t.reset();
      t.step(600);
      return t.metrics().worlds;
    });
    assert.deepEqual(errors, []);
    return run;
  });
  const adopted = await play(false);
  assert.deepEqual(adopted, await play(true));
});

test('with No forecast shown, a preset adopts the build\'s ablation agent, which plays the run as the one the page trains', async () => {
  // The scheduled preset (the page's link to it) with the ablation world shown.
  const hash = await www.withPage('', async ({ page }) => {
    await waitTrained(page, 60000);
    await page.selectOption('#preset', 'scheduled');
    await waitTrained(page, 60000);
    return page.evaluate(() => location.hash.slice(1));
  });
  const payload = JSON.parse(Buffer.from(hash.slice(3), 'base64url').toString());
  const at = `#${link({ s: payload.s, v: { ...payload.v, show_no_forecast: true } })}`;
  // The whole run's figures of the No forecast world, and whether the page trained anything.
  const run = (refused) => www.withPage('about:blank', async ({ page, errors }) => {
    if (refused) await page.route(/trained-[a-z-]+-no-forecast\.json$/, (r) => r.fulfill({ status: 404, body: '' }));
    await page.goto(new URL(at, www.url).href);
    await waitTrained(page, 120000);
    await page.waitForFunction(() => window.playgroundTest.metrics().lookahead_done, null, { timeout: 60000 });
    const out = await page.evaluate(() => ({
      worker: window.playgroundTest.worker,
      blind: window.playgroundTest.metrics().frontier.worlds.find((w) => w.kind === 'no_forecast'),
      episodes: window.playgroundTest.metrics().training.ablation,
    }));
    // (The refused file's 404 is the one error the browser reports.)
    assert.deepEqual(errors.filter((e) => !(refused && /404/.test(e))), []);
    return out;
  });
  const built = await run(false);
  assert.equal(built.worker, false, 'nothing trained in the page');
  const trained = await run(true);
  assert.equal(trained.worker, true, 'without the file, the page trained it');
  assert.deepEqual(built.episodes, trained.episodes);
  assert.deepEqual(built.blind, trained.blind, 'the same run, figure for figure');
});

test('a scenario other than a preset is trained in the page', () => www.withPage(`#${link({ s: { seed: 11, agent: { episodes: 3 } }, v: { show_rule: true, show_oracle: true, start_step: 0, hide_controls: false } })}`, async ({ page, errors }) => {
  await waitTrained(page);
  assert.equal(await page.evaluate(() => window.playgroundTest.trainedBy), 'page');
  assert.equal(await page.evaluate(() => window.playgroundTest.metrics().training.episode), 3);
  // More training continues from the adopted state in the worker.
  await unfold(page, '#train');
  await page.fill('#train-episodes', '2');
  await page.click('#train');
  await page.waitForFunction(() => window.playgroundTest.shown?.training.episode === 5 && !window.playgroundTest.training, null, { timeout: 60000 });
  assert.deepEqual(errors, []);
}));

test('Train after the prebuilt training continues from it', () => www.withPage('', async ({ page, errors }) => {
  await waitTrained(page, 60000);
  const before = await page.evaluate(() => window.playgroundTest.trainingState());
  await unfold(page, '#train');
  await page.fill('#train-episodes', '2');
  await page.click('#train');
  await page.waitForFunction(() => window.playgroundTest.shown?.training.episode === 202 && !window.playgroundTest.training, null, { timeout: 60000 });
  const after = await page.evaluate(() => window.playgroundTest.trainingState());
  assert.deepEqual(after.curve.slice(0, 200), before.curve, 'the first 200 episodes are the build\'s');
  assert.equal(after.curve.length, 202);
  assert.deepEqual(errors, []);
}));
