// The learned forecasters in the page: selectable (a scenario field, so links
// carry it), pre-trained across frames with the progress shown, and the forecast
// panel's running error against persistence.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { session, waitTrained, pause, shownAndEngine, assertShows, ROOT, linkOf as link } from './harness.mjs';

// The dotted --set overrides of a scenario's fields.
const overrides = (o, prefix = '') => Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v)
  ? overrides(v, `${prefix}${k}.`) : ['--set', `${prefix}${k}=${v}`]));

// The demand of every step of a scenario's run (req/s), from the CLI's CSV: the
// series the forecast panel scores, computed without the page.
function demandOf(scenario) {
  const dir = mkdtempSync(join(tmpdir(), 'playground-demand-'));
  try {
    const out = join(dir, 'run.csv');
    execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'autoscale-playground', '--', 'simulate', ...overrides(scenario), '--out', out],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
    const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n');
    const column = header.split(',').indexOf('demand');
    assert.ok(column >= 0, header);
    return rows.map((r) => Number(r.split(',')[column]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const www = session();

// Plays once trained (a link opens paused otherwise).
const VIEW = { show_rule: true, show_oracle: true, start_step: 0, hide_controls: false, autoplay: true };

for (const method of ['lstm', 'tcn']) {
  test(`the ${method} forecaster pre-trains in the page and its running MAE is shown`, async () => {
    const scenario = { forecast: { method }, agent: { episodes: 2 } };
    const hash = link({ s: scenario, v: VIEW });
    const demand = demandOf(scenario);
    await www.withPage(`#${hash}`, async ({ page, errors }) => {
      // The status names the pre-training while it runs; frames keep coming.
      await page.waitForFunction(() => /^pre-training the (LSTM|TCN) forecaster: mini-batch \d+ of \d+$/.test(document.getElementById('train-status').textContent), null, { timeout: 60000 });
      await waitTrained(page, 120000);
      // Played on at 10 steps a frame (the speed's seventh step): the figures
      // are checked where the run stands, whatever its speed.
      await page.locator('#speed').fill('6');
      await page.waitForFunction(() => window.playgroundTest.fitted && window.playgroundTest.shown?.step > 200, null, { timeout: 60000 });
      await pause(page);
      const { m, labels } = await shownAndEngine(page);
      assert.equal(m.fit.finished, true);
      assert.ok(m.fit.total > 0 && m.fit.done >= m.fit.total, JSON.stringify(m.fit));
      assert.ok(Number.isFinite(m.forecast.mae) && m.forecast.mae > 0, JSON.stringify(m.forecast));
      assert.equal(m.forecast.steps, m.step - m.forecast.horizon);
      // Persistence (the demand a horizon before) over the same steps, from the
      // CLI's demand series: the engine's running figure is that mean.
      const h = m.forecast.horizon;
      let sum = 0;
      for (let t = h; t < m.step; t += 1) sum += Math.abs(demand[t - h] - demand[t]);
      const persistence = sum / (m.step - h);
      // (The CSV prints 6 decimals: each term is off by at most 1e-6, so the mean.)
      assert.ok(Math.abs(m.forecast.persistence_mae - persistence) <= 1e-6,
        `persistence MAE ${m.forecast.persistence_mae} in the page, ${persistence} from the demand series`);
      // The caption shows the engine's errors and horizon.
      const caption = labels['forecast-canvas'].match(/mean absolute error so far (\S+) req\/s, (\d+) steps ahead \(the last value seen: (\S+)\)\.$/);
      assert.ok(caption, labels['forecast-canvas']);
      assertShows(caption[1], m.forecast.mae, 'caption: forecast MAE');
      assert.equal(Number(caption[2]), h);
      assertShows(caption[3], persistence, 'caption: persistence MAE');
      assert.equal(await page.locator('[data-key="forecast.method"]').inputValue(), method);
      assert.deepEqual(errors, []);
    });
  });
}
