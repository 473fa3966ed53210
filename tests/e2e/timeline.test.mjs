// Time a class can follow, and teaching by changing one thing: seeking (the
// scrubber, the arrow keys, a click on the capacity chart) gives the figures
// that playing there gives; the slow speeds play their steps a second; the zoom;
// the moments listed and opened; the guided lesson; a changed knob's agent
// trains while the previous one plays, then takes over at the step reached; New
// seed. Some need the core's moments and the charts' hit tests (see each test).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, waitTrained, pause, linkOf } from './harness.mjs';

const www = session();

// What a step's figures are: every world's results and the clock.
const figures = (page) => page.evaluate(() => {
  const m = window.playgroundTest.metrics();
  return { step: m.step, clock: m.clock, worlds: m.worlds };
});

// Waits until a seek (or a fast-forward) is over, at `step` when given.
async function settled(page, step) {
  await page.waitForFunction((s) => {
    const t = window.playgroundTest;
    return !t.seeking && !t.playing && (s == null || t.stepIndex === s);
  }, step ?? null, { timeout: 60000 });
}

// The link of the page's current scenario with `view` fields changed.
async function linkWith(page, view) {
  const hash = await page.evaluate(() => location.hash.slice(1));
  const payload = JSON.parse(Buffer.from(hash.slice(3), 'base64url').toString());
  return linkOf({ s: payload.s ?? {}, v: { ...(payload.v ?? {}), ...view } });
}

// A scenario's seed in a link (the hash).
const seedOf = (hash) => JSON.parse(Buffer.from(hash.replace(/^#?v1\./, ''), 'base64url').toString()).s.seed;

test('seeking with the scrubber gives the figures playing gives, forward and back; the arrow keys step it', () => www.withPage('', async ({ page, errors }) => {
  await waitTrained(page);
  await pause(page);
  const played = await page.evaluate(() => {
    const t = window.playgroundTest;
    t.reset();
    t.step(700);
    const at700 = t.metrics();
    t.step(1);
    const at701 = t.metrics();
    t.reset();
    return { at700: { step: at700.step, clock: at700.clock, worlds: at700.worlds }, clock701: at701.clock };
  });
  assert.equal(played.at700.step, 700);
  await page.locator('#scrub').fill('700');
  await settled(page, 700);
  assert.deepEqual(await figures(page), played.at700, 'seeking forward');
  await page.locator('#scrub').fill('1500');
  await settled(page, 1500);
  await page.locator('#scrub').fill('700');
  await settled(page, 700);
  assert.deepEqual(await figures(page), played.at700, 'seeking back (a replay from step 0)');
  // The scrubber says where the run is, and shows it as the clock does.
  await page.waitForFunction(() => document.getElementById('scrub').getAttribute('aria-valuetext') === 'step 700 of 4,320 · day 1, 11:40');
  assert.equal(await page.locator('#scrub-at').textContent(), 'day 1, 11:40');
  await page.focus('#scrub');
  await page.keyboard.press('ArrowRight');
  await settled(page, 701);
  assert.equal((await figures(page)).clock, played.clock701);
  await page.keyboard.press('ArrowLeft');
  await settled(page, 700);
  assert.deepEqual(await figures(page), played.at700, 'one step back with the arrow key');
  assert.deepEqual(errors, []);
}));

test('the slow speeds play 1, 2 and 5 steps a second of the page\'s clock; the page opens at 1 step a frame', () => www.withPage('', async ({ page, errors }) => {
  assert.equal(await page.locator('#speed').inputValue(), '3');
  await page.waitForFunction(() => document.getElementById('speed-out').textContent === '1 step/frame');
  await waitTrained(page);
  await pause(page);
  // The page's time from here on is the test's: it moves only by runFor.
  await page.clock.install();
  await page.clock.pauseAt(Date.now() + 1000);
  for (const [index, rate] of [[0, 1], [1, 2], [2, 5]]) {
    await page.locator('#speed').fill(String(index));
    const from = await page.evaluate(() => window.playgroundTest.stepIndex);
    await page.click('#play');
    await page.clock.runFor(4000);
    const played = (await page.evaluate(() => window.playgroundTest.stepIndex)) - from;
    await page.click('#play');
    await page.clock.runFor(100);
    // One step at once, then one each 1/rate s: 4 s give 4 rate steps, or
    // one more when the last is due on the last frame.
    assert.ok(played >= 4 * rate && played <= 4 * rate + 1, `${rate} steps/s: ${played} steps in 4 s`);
    assert.equal(await page.locator('#speed-out').textContent(), `${rate} step${rate === 1 ? '' : 's'}/s`);
  }
  assert.deepEqual(errors, []);
}));

test('the zoom shows a window of its hours with the step a third of the way in, the minutes after it drawn faintly, or the whole run', () => www.withPage('', async ({ page, errors }) => {
  await waitTrained(page);
  await pause(page);
  await page.locator('#scrub').fill('1000');
  await settled(page, 1000);
  for (const [hours, width] of [['12', 720], ['6', 360], ['2', 120]]) {
    await page.selectOption('#zoom', hours);
    const zoom = await page.evaluate(() => window.playgroundTest.metrics().zoom);
    assert.deepEqual(zoom, [1000 - Math.floor(width / 3), 1000 - Math.floor(width / 3) + width], `${hours} h`);
  }
  // Past "now" the chart is not blank: the demand and Elastic's replicas as the
  // lookahead played them, faintly.
  await page.waitForFunction(() => window.playgroundTest.metrics().lookahead_done, null, { timeout: 60000 });
  await page.evaluate(() => window.playgroundTest.step(0));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  // Blue-ish pixels (Elastic's faint line) in the plot's part well after now.
  const ink = await page.evaluate(() => {
    const canvas = document.getElementById('capacity-canvas');
    const { width, height } = canvas;
    const x0 = Math.round(width * 0.7), x1 = Math.round(width * 0.85);
    const { data } = canvas.getContext('2d').getImageData(x0, 0, x1 - x0, height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i + 2] > data[i] + 40) n += 1;
    return n;
  });
  assert.ok(ink >= 20, `the minutes after now are blank: ${ink} blue pixels past now`);
  await page.selectOption('#zoom', '0');
  assert.equal(await page.evaluate(() => window.playgroundTest.metrics().zoom), null);
  assert.deepEqual(errors, []);
}));

// Needs the charts' hit test (stepAt), from the charts' branch.
test('a click on the capacity chart seeks to the step under it', () => www.withPage('', { width: 1366, height: 900 }, async ({ page, errors }) => {
  await waitTrained(page);
  await pause(page);
  const canvas = page.locator('#capacity-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const x = Math.round(box.width / 2);
  const y = Math.round(box.height / 2);
  const step = await page.evaluate(([px, py]) => window.playgroundTest.stepAt(px, py), [x, y]);
  assert.ok(Number.isInteger(step) && step > 1000 && step < 3400, `the step at the middle of the plot: ${step}`);
  await page.mouse.click(box.x + x, box.y + y);
  await settled(page, step);
  assert.deepEqual(errors, []);
}));

// A day a minute at a time (a counts file, repeated over the run's three
// days): a quiet night (a dip for Elastic to save in), a slow morning ramp (for
// a forecast to see coming), a ripple around midday (capacity to wiggle over),
// a sudden 20-minute surge (too sudden to be early for), then evening.
function eventfulDay() {
  const rows = ['interval,count'];
  for (let t = 0; t < 1440; t += 1) {
    let rps = 5;
    if (t >= 360 && t < 600) rps = 5 + (25 * (t - 360)) / 240;
    else if (t >= 600 && t < 960) rps = 30 + (Math.floor(t / 5) % 2 ? 4 : -4);
    else if (t >= 960 && t < 1200) rps = 30 - (25 * (t - 960)) / 240;
    if (t >= 840 && t < 860) rps = 60;
    rows.push(`${t},${Math.round(rps * 60)}`);
  }
  return rows.join('\n');
}

function flatDay() {
  return ['interval,count', ...Array.from({ length: 1440 }, (_, t) => `${t},900`)].join('\n');
}

// Loads a trace file and waits for its run's moments.
async function momentsOf(page, name, csv) {
  await page.setInputFiles('#trace-file', { name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction((n) => JSON.parse(window.playgroundTest.scenarioJson()).workload.replay?.source === n, name, { timeout: 60000 });
  await waitTrained(page, 120000);
  await page.waitForFunction(() => window.playgroundTest.metrics().lookahead_done, null, { timeout: 120000 });
  // Found: the status holds the moments' note (a looped trace's repeats left
  // out), else nothing.
  await page.waitForFunction(() => document.getElementById('moments-status').textContent === (window.playgroundTest.metrics().moments_note ?? ''));
  return page.evaluate(() => ({
    status: document.getElementById('moments-status').textContent,
    moments: window.playgroundTest.metrics().moments,
    sections: [...document.querySelectorAll('#moments-kinds .moment-kind')].map((s) => ({
      kind: s.dataset.kind,
      heading: s.querySelector('h3').textContent,
      items: [...s.querySelectorAll('button[data-index]')].map((b) => ({ index: Number(b.dataset.index), text: b.textContent })),
      none: s.querySelector('p')?.textContent ?? null,
    })),
  }));
}

const KINDS = [
  ['pre_emptive', 'Pre-emptive scale-ups', 'No pre-emptive scale-up in this run.'],
  ['late_reaction', 'Late reactions', 'No late reaction in this run.'],
  ['oscillation', 'Oscillations', 'No oscillation in this run.'],
  ['saving', 'Savings in a dip', 'No saving in a dip in this run.'],
];

// Needs the core's moments (the lookahead), from the core's branch.
test('a constructed trace lists each kind of moment, each opens just after its decision, and Next and Previous move between them; a flat trace lists none', () => www.withPage('', { width: 1366, height: 900 }, async ({ page, errors }) => {
  await waitTrained(page);
  assert.match(await page.locator('#moments').textContent(), /Finding the run’s moments…|Pre-emptive/);
  const { moments, sections, status } = await momentsOf(page, 'eventful.csv', eventfulDay());
  // The day is looped over the run's three: each moment listed at its first pass.
  assert.match(status, /^The trace repeats every 1440 steps: each moment is listed at its first pass \(\d+ repeats? left out\)\.$/);
  assert.deepEqual(sections.map((s) => s.kind), KINDS.map((k) => k[0]));
  for (const [kind, label] of KINDS) {
    const section = sections.find((s) => s.kind === kind);
    const of = moments.map((m, i) => ({ ...m, i })).filter((m) => m.kind === kind);
    assert.ok(of.length > 0, `${kind}: found on the constructed trace`);
    assert.equal(section.heading, `${label} (${of.length})`);
    assert.deepEqual(section.items, of.map((m) => ({ index: m.i, text: m.text })));
  }
  // A moment opened: the run just after its decision, paused, the button marked.
  const pre = moments.map((m, i) => ({ ...m, i })).filter((m) => m.kind === 'pre_emptive');
  await page.click('[data-kind="pre_emptive"] summary');
  await page.click(`#moments-kinds button[data-index="${pre[0].i}"]`);
  await settled(page, pre[0].step + 1);
  await page.waitForFunction((i) => document.querySelector(`button[data-index="${i}"]`).getAttribute('aria-current') === 'true', pre[0].i);
  const nav = (words) => page.click(`[aria-label="${words}: pre-emptive scale-ups"]`);
  if (pre.length > 1) {
    await nav('Next');
    await settled(page, pre[1].step + 1);
    await nav('Previous');
    await settled(page, pre[0].step + 1);
  }
  assert.equal(await page.isDisabled('[aria-label="Previous: pre-emptive scale-ups"]'), true, 'none before the first');

  const flat = await momentsOf(page, 'flat.csv', flatDay());
  // No rise to be early or late for, no dip to save in.
  for (const [kind, , none] of KINDS.filter((k) => k[0] !== 'oscillation')) {
    assert.equal(flat.moments.filter((m) => m.kind === kind).length, 0, `${kind} on a flat trace`);
    assert.equal(flat.sections.find((s) => s.kind === kind).none, none);
  }
  assert.deepEqual(errors, []);
}));

// Needs the core's moments (the lookahead), from the core's branch.
test('the guided lesson lists its questions, then walks through the run\'s moments, a caption each, each moment opened', async () => {
  const url = await www.withPage('', async ({ page }) => {
    await waitTrained(page);
    return `#${await linkWith(page, { lesson: true })}`;
  });
  await www.withPage(url, { width: 1366, height: 768 }, async ({ page, errors }) => {
    assert.equal(await page.isVisible('#lesson'), true);
    await waitTrained(page);
    await page.waitForFunction(() => /^\d steps$/.test(document.getElementById('lesson-progress').textContent), null, { timeout: 120000 });
    const moments = await page.evaluate(() => window.playgroundTest.metrics().moments);
    const kinds = ['oscillation', 'pre_emptive', 'late_reaction', 'saving'].filter((k) => moments.some((m) => m.kind === k));
    // A step a kind, then whether the forecast pays, then the heatmap.
    const n = kinds.length + 2;
    assert.ok(n >= 5, `the run has ${kinds.length} kinds of moment`);
    // First the questions, the run where the link put it (paused at step 0).
    assert.equal(await page.locator('#lesson-progress').textContent(), `${n} steps`);
    assert.match(await page.locator('#lesson-caption').textContent(), /Why is the saving what it is\? Does the forecast pay\? What does the heatmap say\?$/);
    assert.equal(await page.evaluate(() => window.playgroundTest.stepIndex), 0);
    assert.equal(await page.locator('#lesson-next').textContent(), 'Start');
    await page.click('#lesson-next');
    for (let k = 0; k < n; k += 1) {
      await page.waitForFunction((want) => document.getElementById('lesson-progress').textContent === want, `step ${k + 1} of ${n}`);
      let caption = await page.locator('#lesson-caption').textContent();
      if (k < kinds.length) {
        const m = moments.find((x) => x.kind === kinds[k]);
        await settled(page, m.step + 1);
        // Read again once the moment is reached: the caption's figures are the step shown's.
        caption = await page.locator('#lesson-caption').textContent();
        assert.ok(caption.includes(m.text.replace(/[.\s]+$/, '')), `step ${k + 1} quotes its moment: ${caption}`);
        // Shown zoomed to 6 hours (the whole run was chosen), where a spike is wider than a line.
        const zoom = await page.evaluate(() => window.playgroundTest.metrics().zoom);
        assert.equal(zoom[1] - zoom[0], 360, JSON.stringify(zoom));
        // The saving step quotes the whole run's saving too, as the engine has it.
        const whole = caption.match(/over the whole run, ([\d.]+) % less\.$/);
        if (kinds[k] === 'saving') {
          assert.ok(whole, caption);
          const run = await page.evaluate(() => window.playgroundTest.metrics().frontier.worlds.find((w) => w.kind === 'elastic').saving_pct);
          assert.equal(whole[1], run.toFixed(1));
        }
        // A count of violation steps reads as the scoreboard's: whole when whole.
        const said = caption.match(/broken the SLA in ([\d.]+) steps so far/);
        if (said) {
          const v = await page.evaluate(() => window.playgroundTest.shown.worlds.find((w) => w.kind === 'elastic').sla_violation_steps);
          assert.equal(said[1], Number.isInteger(v) ? String(v) : v.toFixed(1), caption);
        }
      } else if (k === kinds.length) {
        // The whole run: played to its end (tests/e2e/lesson.test.mjs checks its figures and sign).
        assert.equal(await page.locator('#lesson-question').textContent(), 'Does the forecast pay?');
        await settled(page, await page.evaluate(() => window.playgroundTest.metrics().steps));
        await page.waitForFunction(() => document.getElementById('lesson-caption').textContent.startsWith('Over the whole run'));
        caption = await page.locator('#lesson-caption').textContent();
      } else {
        assert.match(await page.locator('#lesson-question').textContent(), /heatmap/);
        await page.waitForFunction(() => document.activeElement?.id === 'heatmap-canvas');
        // The heatmap and the caption that speaks of it both on screen: the
        // lesson's panel follows the reader down to the heatmap.
        await page.waitForTimeout(800);
        const onScreen = await page.evaluate(() => ['heatmap-canvas', 'lesson-caption', 'lesson-next'].map((id) => {
          const r = document.getElementById(id).getBoundingClientRect();
          return [id, r.top >= 0 && r.bottom <= innerHeight, Math.round(r.top), Math.round(r.bottom)];
        }));
        for (const [id, inside, top, bottom] of onScreen) assert.ok(inside, `${id} at ${top}-${bottom} of ${await page.evaluate(() => innerHeight)} px`);
      }
      assert.ok(caption.length > 80, caption);
      assert.equal(await page.isDisabled('#lesson-back'), false);
      assert.equal(await page.isDisabled('#lesson-next'), k === n - 1);
      if (k < n - 1) await page.click('#lesson-next');
    }
    await page.click('#lesson-back');
    await page.waitForFunction((want) => document.getElementById('lesson-progress').textContent === want, `step ${n - 1} of ${n}`);
    await page.click('#lesson-close');
    assert.equal(await page.isVisible('#lesson'), false);
    assert.deepEqual(errors, []);
  });
});

test('a changed reward weight trains a new agent while the previous one plays on, then it takes over at the step reached and says so', () => www.withPage('', async ({ page, errors }) => {
  await waitTrained(page);
  await page.waitForFunction(() => window.playgroundTest.shown.step > 100);
  const before = await page.evaluate(() => JSON.parse(window.playgroundTest.scenarioJson()).reward.sla_violated);
  assert.notEqual(before, -40);
  await page.fill('[data-tweak="reward.sla_violated"]', '-40');
  await page.click('#tweak-apply');
  await page.waitForFunction(() => /^Training the new agent: episode \d+ of \d+; the previous agent plays on\.$/.test(document.getElementById('tweak-status').textContent));
  // Until it takes over, the board is the previous agent's, trained, playing on.
  const samples = [];
  // Each sample in one evaluation, so that the new agent cannot take over
  // between the check that it waits and the sample.
  for (;;) {
    const sample = await page.evaluate(() => {
      if (!window.playgroundTest.waiting) return null;
      const t = window.playgroundTest;
      return { step: t.stepIndex, trained: t.trained && !t.training, weight: JSON.parse(t.scenarioJson()).reward.sla_violated, at: window.playgroundTest.shown.step };
    });
    if (!sample) break;
    samples.push(sample);
    await page.waitForTimeout(100);
  }
  assert.ok(samples.length >= 2, `${samples.length} samples while the new agent trained`);
  assert.ok(samples.every((s) => s.trained && s.weight === before), JSON.stringify(samples.filter((s) => !(s.trained && s.weight === before))));
  assert.ok(samples.at(-1).step > samples[0].step, 'the previous agent played on');
  await page.waitForFunction(() => /took over/.test(document.getElementById('tweak-status').textContent));
  const status = await page.locator('#tweak-status').textContent();
  const said = status.match(/^The new agent \(violation weight −40\) took over at step ([\d,]+) \(day (\d), (\d\d):(\d\d)\)\.$/);
  assert.ok(said, status);
  const at = Number(said[1].replace(/,/g, ''));
  assert.ok(at >= samples.at(-1).step, `took over at ${at}, after ${samples.at(-1).step}`);
  assert.equal(Number(said[2]) * 1440 + Number(said[3]) * 60 + Number(said[4]) - 1440, at, 'its clock is the step\'s (1-minute steps)');
  await page.waitForFunction((s) => !window.playgroundTest.seeking && window.playgroundTest.stepIndex >= s, at);
  assert.equal(await page.evaluate(() => JSON.parse(window.playgroundTest.scenarioJson()).reward.sla_violated), -40);
  // The run the new agent took over is its own run replayed to that step.
  await pause(page);
  await page.evaluate((s) => window.playgroundTest.seek(s), at);
  await settled(page, at);
  const shown = await figures(page);
  const replayed = await page.evaluate((s) => {
    const t = window.playgroundTest;
    t.reset();
    t.step(s);
    const m = t.metrics();
    return { step: m.step, clock: m.clock, worlds: m.worlds };
  }, at);
  assert.deepEqual(shown, replayed);
  assert.deepEqual(errors, []);
}));

// Needs the core's fast-forward that then plays (`setAutoplay`), from the core's branch.
test('after taking over, the run plays on if it was playing and stays paused if it was paused', () => www.withPage('', async ({ page, errors }) => {
  await waitTrained(page);
  for (const [playing, weight] of [[true, '-30'], [false, '-35']]) {
    if (!playing) await pause(page);
    await page.fill('[data-tweak="reward.sla_violated"]', weight);
    await page.click('#tweak-apply');
    await page.waitForFunction(() => /took over/.test(document.getElementById('tweak-status').textContent), null, { timeout: 60000 });
    await page.waitForFunction(() => !window.playgroundTest.seeking);
    const at = Number((await page.locator('#tweak-status').textContent()).match(/step ([\d,]+)/)[1].replace(/,/g, ''));
    if (playing) await page.waitForFunction((s) => window.playgroundTest.playing && window.playgroundTest.stepIndex > s, at);
    else {
      await page.waitForTimeout(300);
      assert.deepEqual(await page.evaluate(() => [window.playgroundTest.playing, window.playgroundTest.stepIndex]), [false, at]);
    }
  }
  assert.deepEqual(errors, []);
}));

test('a weight out of range is refused with its field, value and range, and the run goes on', () => www.withPage('', async ({ page, errors }) => {
  await waitTrained(page);
  const scenario = await page.evaluate(() => window.playgroundTest.scenarioJson());
  await page.fill('[data-tweak="reward.sla_violated"]', '5000');
  await page.click('#tweak-apply');
  assert.match(await page.locator('#tweak-error').textContent(), /^invalid scenario:\n\s*reward\.sla_violated = 5000: must be a number from -1000 to 1000$/);
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('[aria-invalid="true"]')].map((el) => el.dataset.tweak)), ['reward.sla_violated']);
  assert.equal(await page.evaluate(() => window.playgroundTest.waiting), false);
  assert.equal(await page.evaluate(() => window.playgroundTest.scenarioJson()), scenario);
  assert.deepEqual(errors, []);
}));

test('another preset chosen mid-run starts at its beginning, playing, and says so', () => www.withPage('', async ({ page, errors }) => {
  await waitTrained(page);
  await page.waitForFunction(() => window.playgroundTest.shown.step > 300);
  const run = await page.evaluate(() => window.playgroundTest.run);
  await page.selectOption('#preset', 'bursty');
  await page.waitForFunction((old) => window.playgroundTest.run !== old && !window.playgroundTest.waiting, run, { timeout: 60000 });
  assert.equal(await page.evaluate(() => JSON.parse(window.playgroundTest.scenarioJson()).workload.family), 'bursty');
  // Its first frames are the run's first steps, not the 300th step of the diurnal run.
  const first = await page.evaluate(() => window.playgroundTest.stepIndex);
  assert.ok(first < 200, `the bursty run shown at step ${first}`);
  await page.waitForFunction((s) => window.playgroundTest.playing && window.playgroundTest.stepIndex > s, first);
  assert.equal(await page.locator('#tweak-status').textContent(), 'The new agent (the bursty preset) took over at the start of the run.');
  assert.deepEqual(errors, []);
}));

test('New seed shows a fresh seed, puts it in the link, and the link reloads the same run', async () => {
  let url;
  let run;
  await www.withPage('', async ({ page, errors }) => {
    await waitTrained(page);
    const old = await page.inputValue('[data-key="seed"]');
    await page.click('#new-seed');
    const seed = Number(await page.inputValue('[data-key="seed"]'));
    assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32 && String(seed) !== old, `${old} → ${seed}`);
    await waitTrained(page, 120000);
    assert.equal(await page.evaluate(() => JSON.parse(window.playgroundTest.scenarioJson()).seed), seed);
    assert.equal(seedOf(await page.evaluate(() => location.hash)), seed);
    assert.match(await page.locator('#tweak-status').textContent(), new RegExp(`^The new agent \\(seed ${seed}\\) took over at`));
    url = await page.evaluate(() => location.href);
    await pause(page);
    run = await page.evaluate(() => {
      const t = window.playgroundTest;
      t.reset();
      t.step(600);
      return t.metrics().worlds;
    });
    assert.deepEqual(errors, []);
  });
  await www.withPage(url, async ({ page, errors }) => {
    await waitTrained(page, 120000);
    await pause(page);
    const replayed = await page.evaluate(() => {
      const t = window.playgroundTest;
      t.reset();
      t.step(600);
      return t.metrics().worlds;
    });
    assert.deepEqual(replayed, run);
    assert.deepEqual(errors, []);
  });
});

test('at the end of a run the clock and the scrubber say the same time (a run of whole days ends at 24:00 of its last day)', () => www.withPage('', async ({ page }) => {
  await waitTrained(page);
  await pause(page);
  const steps = await page.evaluate(() => window.playgroundTest.metrics().steps);
  await page.evaluate((s) => window.playgroundTest.seek(s), steps);
  await settled(page, steps);
  await page.waitForFunction((s) => window.playgroundTest.shown.step === s && document.getElementById('scrub-at').textContent.includes('24:00'), steps, { timeout: 60000 });
  const clock = await page.evaluate(() => document.getElementById('clock').textContent);
  const scrub = await page.evaluate(() => [document.getElementById('scrub-at').textContent, document.getElementById('scrub').getAttribute('aria-valuetext')]);
  const time = clock.split(' · ')[1];
  assert.match(time, /^day \d+, 24:00$/);
  assert.equal(scrub[0], time);
  assert.ok(scrub[1].endsWith(time), scrub[1]);
}));

test('while playing, the page speaks a one-line headline at most every few seconds, and the scrubber is no live region', () => www.withPage('', async ({ page }) => {
  await waitTrained(page);
  const live = await page.evaluate(() => [...document.querySelectorAll('[aria-live]:not([aria-live="off"]), [role="status"], [role="log"], output:not([aria-live="off"])')].map((e) => e.id));
  assert.ok(!live.includes('scrub-at'), `the scrubber's time is a live region: ${live}`);
  assert.ok(!live.includes('forensics-text'), 'the whole forensics are a live region');
  assert.ok(live.includes('headline'));
  const changes = await page.evaluate(() => new Promise((resolve) => {
    const seen = [];
    const observer = new MutationObserver(() => seen.push(document.getElementById('headline').textContent));
    observer.observe(document.getElementById('headline'), { childList: true, characterData: true, subtree: true });
    if (!window.playgroundTest.playing) document.getElementById('play').click();
    setTimeout(() => { observer.disconnect(); resolve(seen); }, 10000);
  }));
  assert.ok(changes.length >= 1 && changes.length <= 5, `${changes.length} changes in 10 s: ${changes.join(' | ')}`);
  // The agent's choice, or the safety floor's scale-up when it overrode it.
  for (const line of changes) assert.match(line, /^Step [\d,]+: (Chose |The safety floor scaled up \(\d+ → \d+ replicas\))[^\n]*\.$/);
}));
