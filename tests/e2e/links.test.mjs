// Share links: the page opens on the scenario and view a link names, and says so
// when a link cannot be read.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, waitTrained, linkOf as link } from './harness.mjs';

const www = session();

test('a link opens its scenario, fast-forwards to its step and hides the controls', async () => {
  const hash = link({
    s: { seed: 7, workload: { family: 'bursty' }, agent: { episodes: 4 } },
    v: { show_rule: false, show_oracle: true, start_step: 245, hide_controls: true },
  });
  await www.withPage(`#${hash}`, async ({ page, errors }) => {
    await waitTrained(page);
    await page.waitForFunction(() => window.playgroundTest.shown?.step === 245 && !window.playgroundTest.playing, null, { timeout: 30000 });
    const scenario = await page.evaluate(() => JSON.parse(window.playgroundTest.scenarioJson()));
    assert.equal(scenario.seed, 7);
    assert.equal(scenario.workload.family, 'bursty');
    assert.equal(scenario.agent.episodes, 4);
    assert.equal(await page.isChecked('#show-rule'), false);
    assert.equal(await page.isChecked('#show-oracle'), true);
    // A link made before Predictive and the ablation: Predictive shown, no ablation.
    assert.equal(await page.isChecked('#show-predictive'), true);
    assert.equal(await page.isChecked('#show-no-forecast'), false);
    assert.equal(await page.isHidden('#scenario'), true);
    // The bursty workload with another seed and episodes: no preset's scenario.
    assert.equal(await page.locator('#preset').inputValue(), '');
    assert.equal(await page.evaluate(() => document.getElementById('preset').selectedOptions[0].textContent), 'custom');
    assert.deepEqual(errors, []);
  });
});

test('a link that cannot be read is reported, and the default preset plays', () => www.withPage(`#v1.not-a-link!`, async ({ page, errors }) => {
  await page.waitForFunction(() => window.playgroundTest.shown?.step > 0, null, { timeout: 30000 });
  assert.match(await page.locator('#scenario-error').textContent(), /^The link could not be read \(.+\); showing the diurnal preset instead\.$/);
  assert.match(await page.evaluate(() => location.hash), /^#v1\./);
  assert.deepEqual(errors, []);
}));
