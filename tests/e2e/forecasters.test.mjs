// The learned forecasters in the page: selectable (a scenario field, so links
// carry it), pre-trained across frames with the progress shown, and the forecast
// panel's running error against persistence.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, open, waitTrained, pause, linkOf as link } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(() => server?.close());

const VIEW = { show_rule: true, show_oracle: true, start_step: 0, hide_controls: false };

for (const method of ['lstm', 'tcn']) {
  test(`the ${method} forecaster pre-trains in the page and its running MAE is shown`, async () => {
    const browser = await open(`${server.url}#${link({ s: { forecast: { method }, agent: { episodes: 2 } }, v: VIEW })}`);
    try {
      const { page } = browser;
      // The status names the pre-training while it runs; frames keep coming.
      await page.waitForFunction(() => /^pre-training the (LSTM|TCN) forecaster: mini-batch \d+ of \d+$/.test(document.getElementById('train-status').textContent), null, { timeout: 15000 });
      await waitTrained(page, 120000);
      await page.waitForFunction(() => window.playground.fitted && window.playground.metrics?.step > 200, null, { timeout: 60000 });
      await pause(page);
      const m = await page.evaluate(() => window.playground.pg.metrics());
      assert.equal(m.fit.finished, true);
      assert.ok(m.fit.total > 0 && m.fit.done >= m.fit.total, JSON.stringify(m.fit));
      assert.ok(Number.isFinite(m.forecast.mae) && m.forecast.mae > 0, JSON.stringify(m.forecast));
      assert.ok(Number.isFinite(m.forecast.persistence_mae) && m.forecast.persistence_mae > 0);
      assert.equal(m.forecast.steps, m.step - m.forecast.horizon);
      assert.match(await page.locator('#forecast-canvas').getAttribute('aria-label'), /mean absolute error so far \d+\.\d\d req\/s, \d+ steps ahead/);
      assert.equal(await page.locator('[data-key="forecast.method"]').inputValue(), method);
      assert.deepEqual(browser.errors, []);
    } finally {
      await browser.close();
    }
  });
}
