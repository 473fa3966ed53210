// Errors in the page: an invalid value, file or link shows a banner naming every
// problem, and the run that was going on plays on untouched; a good trace file
// becomes a replay whose name the page shows.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, open, waitTrained, waitPlayed, pause, linkOf as link } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(() => server?.close());

const banner = (page) => page.locator('#scenario-error').textContent();
const step = (page) => page.evaluate(() => window.playground.metrics.step);

// A request-level trace of an hour: one request every 2 s, then every 0.5 s.
function goodTrace() {
  const rows = ['TIMESTAMP,ContextTokens,GeneratedTokens'];
  let t = Date.UTC(2023, 10, 16, 18, 0, 0);
  while (t < Date.UTC(2023, 10, 16, 19, 0, 0)) {
    rows.push(`${new Date(t).toISOString().replace('T', ' ').replace('Z', '')},100,20`);
    t += t < Date.UTC(2023, 10, 16, 18, 30, 0) ? 2000 : 500;
  }
  return `${rows.join('\n')}\n`;
}

test('a bad value, a bad file and a file over the cap name every problem, and the run plays on untouched', async () => {
  const browser = await open(server.url);
  try {
    const { page } = browser;
    await waitTrained(page);
    await page.waitForFunction(() => window.playground.playing && window.playground.metrics.step > 20);
    await page.evaluate(() => { window.runBefore = window.playground.pg; });
    const scenario = await page.evaluate(() => window.playground.pg.scenarioJson());

    // Two values out of range at once: both are named.
    await page.click('#scenario summary');
    await page.fill('[data-key="agent.alpha"]', '3');
    await page.fill('[data-key="agent.gamma"]', '-1');
    await page.click('#apply');
    await page.waitForFunction(() => document.getElementById('scenario-error').textContent.length > 0);
    const values = await banner(page);
    assert.match(values, /agent\.alpha = 3: must be a number from 0 to 1/);
    assert.match(values, /agent\.gamma = -1: must be a number from 0 to 1/);
    assert.equal(await page.getAttribute('#scenario-error', 'role'), 'alert');
    assert.equal(await page.isVisible('#scenario-error'), true);

    // A file with two bad lines: both are named, with their line numbers.
    const s1 = await step(page);
    await page.setInputFiles('#trace-file', {
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:00:01,1,1\nsoon,1,1\n2023-11-16 18:00:02,x,1\n'),
    });
    await page.waitForFunction(() => document.getElementById('scenario-error').textContent.includes('broken.csv'));
    assert.equal(await banner(page), [
      "The trace 'broken.csv' was not used; the run goes on unchanged.",
      "replay file 'broken.csv' line 3: timestamp 'soon' is neither a number nor YYYY-MM-DD HH:MM:SS[.fff]",
      "line 4: context tokens 'x' is not a whole number from 0 to 10000000",
    ].join('\n'));

    // A file over the cap is refused before it is read; the message names the cap.
    await page.evaluate(() => {
      const input = document.getElementById('trace-file');
      const files = new DataTransfer();
      files.items.add(new File([new Uint8Array(64 * 1024 * 1024 + 1)], 'huge.csv', { type: 'text/csv' }));
      input.files = files.files;
      input.dispatchEvent(new Event('change'));
    });
    assert.equal(await banner(page), `The trace 'huge.csv' was not read: it has ${64 * 1024 * 1024 + 1} bytes, and at most ${64 * 1024 * 1024} (64 MB) are accepted.`);

    // The run that was going on: the same Playground and scenario, still playing.
    assert.equal(await page.evaluate(() => window.playground.pg === window.runBefore), true);
    assert.equal(await page.evaluate(() => window.playground.pg.scenarioJson()), scenario);
    assert.equal(await page.evaluate(() => window.playground.playing), true);
    await page.waitForFunction((s) => window.playground.metrics.step > s + 20, s1);
    assert.equal(await page.locator('#trace-name').textContent(), '');

    // Its figures are those of an untouched run: another page, opened fresh on the
    // same scenario and given nothing wrong, played to the same step.
    await pause(page);
    const played = await page.evaluate(() => ({ m: window.playground.pg.metrics(), by: window.playground.trainedBy }));
    assert.ok(played.m.step > 40);
    const fresh = await open(server.url);
    try {
      await waitTrained(fresh.page);
      await pause(fresh.page);
      const untouched = await fresh.page.evaluate((n) => {
        const pg = window.playground.pg;
        pg.reset();
        pg.step(n);
        return { m: pg.metrics(), by: window.playground.trainedBy, scenario: pg.scenarioJson() };
      }, played.m.step);
      assert.equal(untouched.scenario, scenario);
      assert.equal(untouched.by, played.by);
      assert.equal(untouched.m.step, played.m.step);
      assert.deepEqual(untouched.m.training, played.m.training);
      assert.deepEqual(played.m.worlds, untouched.m.worlds);
      assert.deepEqual(fresh.errors, []);
    } finally {
      await fresh.close();
    }
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test('a good trace file becomes a replay; the page shows its name and plays it', async () => {
  // A scenario of few episodes, so that training on the trace is quick.
  const browser = await open(`${server.url}#${link({ s: { agent: { episodes: 3 } }, v: { autoplay: true } })}`);
  try {
    const { page } = browser;
    await waitTrained(page);
    await page.setInputFiles('#trace-file', { name: 'one hour.csv', mimeType: 'text/csv', buffer: Buffer.from(goodTrace()) });
    await page.waitForFunction(() => JSON.parse(window.playground.pg.scenarioJson()).workload.family === 'replay');
    const scenario = await page.evaluate(() => JSON.parse(window.playground.pg.scenarioJson()));
    assert.equal(scenario.workload.replay.source, 'one hour.csv');
    assert.equal(await page.locator('#trace-name').textContent(), 'replaying one hour.csv');
    assert.equal(await banner(page), '');
    assert.equal(await page.locator('[data-key="workload.family"]').inputValue(), 'replay');
    // Trained on the trace (in the worker, which got the file too), then played.
    await waitTrained(page);
    await page.waitForFunction(() => window.playground.playing && window.playground.metrics.step > 10);
    const demand = await page.evaluate(() => window.playground.metrics.demand_replicas);
    assert.ok(demand > 0, `demand ${demand}`);

    // Apply keeps the trace: a replay knob changes, the file stays.
    await page.click('#scenario summary');
    await page.fill('[data-key="workload.replay.rate_scale"]', '2');
    await page.click('#apply');
    await page.waitForFunction(() => JSON.parse(window.playground.pg.scenarioJson()).workload.replay.rate_scale === 2);
    assert.equal(await banner(page), '');
    assert.equal(await page.locator('#trace-name').textContent(), 'replaying one hour.csv');
    await waitTrained(page);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test('a link with values out of range names each of them, and the default preset plays', async () => {
  const hash = link({ s: { agent: { alpha: 3, gamma: 2 }, scaling: { boot_delay_s: -5 } }, v: { autoplay: true } });
  const browser = await open(`${server.url}#${hash}`);
  try {
    const { page } = browser;
    await waitPlayed(browser);
    const text = await banner(page);
    assert.match(text, /^The link could not be read \(/);
    for (const problem of [/agent\.alpha = 3: must be/, /agent\.gamma = 2: must be/, /scaling\.boot_delay_s = -5: must be/]) {
      assert.match(text, problem);
    }
    assert.match(text, /showing the diurnal preset instead\.$/);
    assert.equal(await page.evaluate(() => JSON.parse(window.playground.pg.scenarioJson()).workload.family), 'diurnal');
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test('a link to a replay, whose file a link cannot carry, says so and plays the preset', async () => {
  const hash = link({ s: { workload: { family: 'replay', replay: { source: 'mine.csv' } } }, v: { autoplay: true } });
  const browser = await open(`${server.url}#${hash}`);
  try {
    const { page } = browser;
    await waitPlayed(browser);
    // A link names no file (tests/e2e/hostile.test.mjs): refused, naming the field.
    const text = await banner(page);
    assert.match(text, /^The link could not be read \(the link's scenario: invalid scenario:\n {2}workload\.replay\.source = "mine\.csv": a link names no file: /);
    assert.match(text, /replay a file of yours by choosing it in the page, or with --set workload\.replay\.source=FILE\); showing the diurnal preset instead\.$/);
    assert.equal(await page.evaluate(() => JSON.parse(window.playground.pg.scenarioJson()).workload.family), 'diurnal');
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
