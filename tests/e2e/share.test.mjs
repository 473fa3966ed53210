// Share links made and opened by the page: the same link gives the same run,
// "Copy link" carries every knob, and a bad link says what is wrong with it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, waitTrained, pause, linkOf, copiedText, unfold } from './harness.mjs';

const www = session();

// The figures a viewer reads: the scoreboard's inputs and every step's report.
const figures = (page) => page.evaluate(() => ({
  worlds: window.playgroundTest.metrics().worlds,
  csv: window.playgroundTest.stepsCsv(),
}));

test('the same link opened twice gives identical figures after the same number of steps', async () => {
  const hash = linkOf({
    s: { seed: 11, workload: { family: 'flash-crowd' }, agent: { episodes: 3 } },
    v: { show_rule: true, show_oracle: true, start_step: 400, hide_controls: true },
  });
  const runs = [];
  for (let i = 0; i < 2; i += 1) {
    await www.withPage(`#${hash}`, async ({ page, errors }) => {
      await waitTrained(page);
      await page.waitForFunction(() => window.playgroundTest.shown?.step === 400 && !window.playgroundTest.playing, null, { timeout: 60000 });
      // A link that hides the controls hides them.
      assert.equal(await page.isHidden('#scenario'), true);
      runs.push(await figures(page));
      assert.deepEqual(errors, []);
    });
  }
  assert.equal(runs[0].csv.trim().split('\n').length, 1 + 5 * 400);
  assert.ok(runs[0].worlds.every((w) => w.cost > 0));
  assert.deepEqual(runs[1], runs[0]);
});

// A value for every knob of the form, each different from the defaults.
const KNOBS = {
  seed: '4242',
  'workload.family': 'flash-crowd',
  'workload.base_rps': '30',
  'workload.amplitude': '0.4',
  'workload.noise': '0.1',
  'workload.spikes_per_day': '1',
  'workload.surges_per_day': '3',
  'workload.surge_min': '1.5',
  'workload.surge_max': '3',
  'workload.mmpp_rates': '10, 30, 50',
  'workload.mmpp_dwell_s': '600, 300, 120',
  'workload.step_at_s': '7200',
  'workload.step_to_rps': '20',
  'workload.scheduled.night_rps': '6',
  'workload.scheduled.day_rps': '40',
  'workload.scheduled.surge_at_h': '7.5',
  'workload.scheduled.surge_ramp_s': '240',
  'workload.scheduled.lunch_dip': '0.4',
  'workload.scheduled.evening_at_h': '18',
  'workload.scheduled.weekend': '0.6',
  'workload.scheduled.batch_rps': '4',
  'workload.replay.time_stretch': '2',
  'workload.replay.rate_scale': '1.5',
  'workload.replay.time_unit': 'ms',
  'workload.replay.spread': 'even',
  'scaling.boot_delay_s': '90',
  'sla.p95_s': '9',
  'replica.price_per_hour': '2.5',
  'agent.alpha': '0.2',
  'agent.gamma': '0.9',
  'agent.epsilon_start': '0.8',
  'agent.epsilon_end': '0.02',
  'agent.epsilon_decay': '0.95',
  'agent.episodes': '2',
  'agent.design': 'seed',
  'forecast.method': 'seasonal',
  'reward.sla_held': '1.5',
  'reward.sla_violated': '-12',
  'reward.per_replica': '-0.3',
  'reward.per_change': '-0.7',
  'reward.low_utilisation': '-0.2',
};

const knobValues = (page) => page.evaluate(() => Object.fromEntries(
  [...document.querySelectorAll('[data-key]')].map((el) => [el.dataset.key, el.value]),
));

test('a link made by Copy link after changing the knobs restores every knob', async () => {
  let url;
  let applied;
  await www.withPage('', async ({ page, errors }) => {
    await waitTrained(page);
    const keys = Object.keys(await knobValues(page));
    assert.deepEqual(keys.filter((k) => !(k in KNOBS)), [], 'a knob of the form has no test value');
    await page.evaluate((knobs) => {
      for (const el of document.querySelectorAll('[data-key]')) el.value = knobs[el.dataset.key];
    }, KNOBS);
    await page.click('#apply');
    await page.waitForFunction(() => JSON.parse(window.playgroundTest.scenarioJson()).seed === 4242);
    assert.equal(await page.locator('#scenario-error').textContent(), '');
    await page.uncheck('#show-oracle');
    // The worlds beside Static and Elastic: Predictive off, the ablation on.
    await page.uncheck('#show-predictive');
    await page.check('#show-no-forecast');
    await waitTrained(page);
    applied = await page.evaluate(() => window.playgroundTest.scenarioJson());
    url = await copiedText(page, '#copy-link');
    assert.match(await page.locator('#share-status').textContent(), /^Copied the link\.$/);
    assert.equal(url, await page.evaluate(() => location.href));
    assert.deepEqual(errors, []);
  });

  await www.withPage(url, async ({ page, errors }) => {
    await waitTrained(page);
    const values = await knobValues(page);
    const number = (v) => (Number.isFinite(Number(v)) ? Number(v) : v.replace(/\s+/g, ''));
    for (const [key, want] of Object.entries(KNOBS)) {
      assert.equal(number(values[key]), number(want), key);
    }
    assert.equal(await page.evaluate(() => window.playgroundTest.scenarioJson()), applied);
    assert.equal(await page.isChecked('#show-oracle'), false);
    assert.equal(await page.isChecked('#show-rule'), true);
    assert.equal(await page.isChecked('#show-predictive'), false);
    assert.equal(await page.isChecked('#show-no-forecast'), true);
    const trained = await page.evaluate(() => window.playgroundTest.metrics());
    assert.equal(trained.worlds.at(-1).kind, 'no_forecast');
    assert.deepEqual(trained.training.ablation, { episode: 2, episodes: 2 }, 'the ablation trained as planned');
    assert.deepEqual(errors, []);
  });
});

test('"Copy link" to this step opens the run at that step', async () => {
  let url;
  await www.withPage(`#${linkOf({ s: { seed: 5, agent: { episodes: 2 } } })}`, async ({ page }) => {
    await waitTrained(page);
    await pause(page);
    await page.click('#reset');
    await page.evaluate(() => { window.playgroundTest.step(123); });
    await unfold(page, '#link-at-step');
    await page.check('#link-at-step');
    url = await copiedText(page, '#copy-link');
    assert.match(await page.locator('#share-status').textContent(), /^Copied the link to step 123\.$/);
  });
  await www.withPage(url, async ({ page, errors }) => {
    await waitTrained(page);
    await page.waitForFunction(() => window.playgroundTest.shown?.step === 123 && !window.playgroundTest.playing, null, { timeout: 60000 });
    assert.deepEqual(errors, []);
  });
});

test('a corrupted link and an out-of-range value are named, and the defaults play', async () => {
  const cases = [
    // Cut in the middle of its JSON.
    [linkOf({ s: { seed: 3 } }).slice(0, 14), /^The link could not be read \(the link's content is not valid: .+\); showing the diurnal preset instead\.$/],
    [linkOf({ s: { sla: { p95_s: -1 } } }), /^The link could not be read \(.*sla\.p95_s.*-1.*0\.001.*86400.*\); showing the diurnal preset instead\.$/s],
    [linkOf({ s: { agent: { alpha: 7 } } }), /agent\.alpha.*7.*0.*1/s],
  ];
  for (const [hash, want] of cases) {
    await www.withPage(`#${hash}`, async ({ page, errors }) => {
      await page.waitForFunction(() => window.playgroundTest.shown?.step > 0, null, { timeout: 60000 });
      assert.match(await page.locator('#scenario-error').textContent(), want, hash);
      const scenario = await page.evaluate(() => JSON.parse(window.playgroundTest.scenarioJson()));
      assert.equal(scenario.sla.p95_s, 8, 'the preset plays, not the link');
      assert.deepEqual(errors, []);
    });
  }
});

test('when the browser refuses the clipboard, the link is shown selected to copy by hand', () => www.withPage(`#${linkOf({ s: { seed: 8, agent: { episodes: 1 } } })}`, async ({ page, errors }) => {
  await waitTrained(page);
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  });
  await unfold(page, '#copy-link');
  await page.click('#copy-link');
  await page.waitForFunction(() => document.getElementById('share-status').textContent !== '');
  assert.equal(await page.locator('#share-status').textContent(),
    'The browser did not allow copying (Write permission denied.): the link is selected below, copy it with Ctrl+C.');
  assert.equal(await page.isVisible('#share-text'), true);
  const shown = await page.evaluate(() => {
    const box = document.getElementById('share-text');
    return { value: box.value, selected: box.value.slice(box.selectionStart, box.selectionEnd), href: location.href };
  });
  assert.equal(shown.value, shown.href);
  assert.equal(shown.selected, shown.value);
  assert.deepEqual(errors, []);
}));
