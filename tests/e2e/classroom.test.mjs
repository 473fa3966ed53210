// The classroom layout and the class link: what a class link hides, a link
// opening paused, the first screen at 1,366 x 768 (capacity chart and its p95
// strip on the same time axis, "Change one thing" beside them with its status
// line, the forensics' headline and the saving), the Share menu over the page closed by a click outside it or
// Escape, no sideways scrolling on a 390 px phone, no chart's text outside its
// chart, Space after a click on Step, and "custom" for a scenario that is no
// preset.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { session, waitTrained, linkOf, shownStep } from './harness.mjs';

const www = session();
// The scenario fields of the page's own link to its first preset, whose
// training the build made (a link to it opens trained, with no worker).
let preset;
before(() => www.withPage('', async ({ page }) => {
  await page.waitForFunction(() => location.hash.length > 1);
  const hash = await page.evaluate(() => location.hash.slice(1));
  preset = JSON.parse(Buffer.from(hash.replace(/^v1\./, ''), 'base64url')).s;
}));

// A link to the preset with a view.
const presetLink = (view) => `#${linkOf({ s: preset, v: view })}`;

// Resolves after the page has drawn `n` more animation frames.
const frames = (page, n) => page.evaluate((n) => new Promise((resolve) => {
  const tick = () => (--n <= 0 ? resolve() : requestAnimationFrame(tick));
  requestAnimationFrame(tick);
}), n);

// Whether each element (by id) is shown: drawn, not inside anything hidden.
const visible = (page, ids) => page.evaluate((ids) => Object.fromEntries(ids.map((id) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no element #${id}`);
  // Inside a closed <details> is folded, not hidden: the summary is what counts.
  const folded = el.closest('details:not([open])');
  const shown = folded && !el.closest('summary') ? folded.querySelector('summary') : el;
  return [id, shown.checkVisibility({ visibilityProperty: true })];
})), ids);

// Every control a view may hide, and which of them each view shows.
const CONTROLS = ['play', 'step', 'speed', 'reset', 'timeline', 'explain', 'show-rule', 'show-no-forecast', 'moments',
  'copy-link', 'copy-class-link', 'copy-embed', 'export-csv', 'export-png', 'import-table',
  'scenario', 'preset', 'apply', 'tweak', 'train', 'learn-live', 'trace-file', 'train-status'];
const CHARTS = ['capacity-canvas', 'forensics-canvas', 'saving', 'scoreboard', 'heatmap-canvas', 'latency-canvas', 'cost-canvas', 'forecast-canvas', 'curve-canvas', 'frontier-canvas'];
const PLAYBACK = ['play', 'step', 'speed', 'reset', 'timeline'];
const SHOWN = {
  full: CONTROLS,
  charts: [...PLAYBACK, 'explain', 'show-rule', 'show-no-forecast', 'moments'],
  playback: PLAYBACK,
};

for (const [controls, view] of [['full', { controls: 'full' }], ['charts', { controls: 'charts' }], ['playback', { controls: 'playback' }],
  ['charts', { hide_controls: true }]]) {
  test(`a class link's view ${JSON.stringify(view)} shows the ${controls} controls and hides the others`, () => www.withPage(presetLink(view), { width: 1366, height: 768 }, async ({ page, errors }) => {
    await waitTrained(page);
    const shown = await visible(page, [...CONTROLS, ...CHARTS]);
    const expected = Object.fromEntries([...CONTROLS.map((id) => [id, SHOWN[controls].includes(id)]), ...CHARTS.map((id) => [id, true])]);
    assert.deepEqual(shown, expected);
    // What is hidden is not reached by Tab either.
    const tabbable = await page.evaluate(() => [...document.querySelectorAll('button, input, select, summary, a[href]')]
      .filter((el) => el.checkVisibility()).map((el) => el.id).filter(Boolean));
    for (const id of CONTROLS.filter((id) => !SHOWN[controls].includes(id))) assert.ok(!tabbable.includes(id), `#${id} is reachable`);
    // The page's own link keeps the view (a reload shows the same).
    const kept = await page.evaluate(() => window.playgroundTest.view.controls);
    assert.equal(kept, controls);
    assert.deepEqual(errors, []);
  }));
}

test('"Copy class link" writes a link with the chosen view, and that link opens with it, paused', async () => {
  const link = await www.withPage('', { width: 1366, height: 768 }, async ({ page }) => {
    await waitTrained(page);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(www.url).origin });
    await page.click('#share summary');
    await page.check('#class-playback');
    await page.check('#class-lesson');
    await page.click('#copy-class-link');
    await page.waitForFunction(() => /^Copied the class link/.test(document.getElementById('share-status').textContent));
    return page.evaluate(() => navigator.clipboard.readText());
  });
  await www.withPage(link, { width: 1366, height: 768 }, async ({ page }) => {
    await waitTrained(page);
    await frames(page, 30);
    const state = await page.evaluate(() => ({ view: window.playgroundTest.view, playing: window.playgroundTest.playing, step: window.playgroundTest.shown.step,
      playback: document.documentElement.classList.contains('controls-playback') }));
    assert.deepEqual(state, { view: { controls: 'playback', autoplay: false, lesson: true, presenter: false }, playing: false, step: 0, playback: true });
  });
});

for (const [what, view, expected] of [
  ['opens paused at step 0', {}, { playing: false, step: 0 }],
  ['opens paused at its start step', { start_step: 300 }, { playing: false, step: 300 }],
]) {
  test(`a link ${what} once trained, and plays when Play is pressed`, () => www.withPage(presetLink(view), { width: 1366, height: 768 }, async ({ page, errors }) => {
    await waitTrained(page);
    await page.waitForFunction((s) => window.playgroundTest.shown.step === s, expected.step);
    await frames(page, 30);
    assert.deepEqual(await page.evaluate(() => ({ playing: window.playgroundTest.playing, step: window.playgroundTest.shown.step })), expected);
    assert.equal(await page.locator('#play').textContent(), 'Play');
    await page.click('#play');
    await page.waitForFunction((s) => window.playgroundTest.shown.step > s + 10, expected.step);
    assert.deepEqual(errors, []);
  }));
}

test('a link with autoplay plays once trained', () => www.withPage(presetLink({ autoplay: true }), { width: 1366, height: 768 }, async ({ page }) => {
  await waitTrained(page);
  await page.waitForFunction(() => window.playgroundTest.shown.step > 20);
  assert.equal(await page.evaluate(() => window.playgroundTest.playing), true);
}));

test('at 1,366 x 768 the capacity chart, the forensics\' headline and the saving are on the first screen, the moments beside the chart, in type of 16 px', () => www.withPage('', { width: 1366, height: 768 }, async ({ page, errors }) => {
  await waitTrained(page);
  await page.waitForFunction(() => window.playgroundTest.shown.step > 1);
  await frames(page, 3);
  const at = await page.evaluate(() => {
    const box = (id) => { const r = document.getElementById(id).getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height }; };
    return {
      capacity: box('capacity-canvas'), forensics: box('forensics-canvas'), saving: box('saving'), moments: box('moments'),
      body: parseFloat(getComputedStyle(document.body).fontSize),
      play: parseFloat(getComputedStyle(document.getElementById('play')).fontSize),
      headline: window.playgroundTest.textBoxes().find((b) => b.panel === 'forensics'),
      scrollY: window.scrollY,
    };
  });
  assert.equal(at.scrollY, 0);
  for (const id of ['capacity', 'saving']) {
    assert.ok(at[id].top >= 0 && at[id].bottom <= 768, `${id}: ${JSON.stringify(at[id])}`);
  }
  // The forensics begin on it (the p95 strip under the chart pushed the rest
  // below): their headline, the step and the choice, whole.
  assert.match(at.headline.text, /^Step [\d,]+: Chose /);
  const headline = at.forensics.top + at.headline.y + at.headline.h;
  assert.ok(at.forensics.top >= 0 && headline <= 768, `the forensics' headline ends at ${headline} px`);
  // Charts tall enough to read from the back of a room.
  assert.ok(at.capacity.height >= 240, `capacity chart ${at.capacity.height} px tall`);
  assert.ok(at.forensics.height >= 160, `forensics ${at.forensics.height} px tall`);
  // The moments to the right of the chart, level with it.
  assert.ok(at.moments.left >= at.capacity.right && at.moments.top < at.capacity.bottom, JSON.stringify(at));
  assert.ok(at.body >= 16 && at.play >= 16, `body ${at.body} px, buttons ${at.play} px`);
  assert.deepEqual(errors, []);
}));

// The x of each tick label on a time chart's axis (its lowest row of numbers), by its text.
const ticksOf = (boxes, panel) => {
  const numbers = boxes.filter((b) => b.panel === panel && /^\d+(\.\d+)?$/.test(b.text));
  const bottom = Math.max(...numbers.map((b) => b.y));
  return Object.fromEntries(numbers.filter((b) => Math.abs(b.y - bottom) < 1).map((b) => [b.text, b.x + b.w / 2]));
};

test('at 1,366 x 768 the p95 strip lies right under the capacity chart, on the same time axis', () => www.withPage('', { width: 1366, height: 768 }, async ({ page, errors }) => {
  await waitTrained(page);
  await frames(page, 3);
  const at = await page.evaluate(() => ({
    boxes: window.playgroundTest.textBoxes(),
    ...Object.fromEntries(['capacity', 'latency'].map((id) => {
      const r = document.getElementById(`${id}-canvas`).getBoundingClientRect();
      return [id, { top: r.top, bottom: r.bottom, left: r.left, right: r.right }];
    })),
  }));
  const gap = at.latency.top - at.capacity.bottom;
  assert.ok(gap >= 0 && gap <= 4, `the p95 strip starts ${gap} px below the capacity chart`);
  assert.ok(at.latency.bottom <= 768, `the p95 strip ends at ${at.latency.bottom} px`);
  assert.deepEqual([at.latency.left, at.latency.right], [at.capacity.left, at.capacity.right], 'the same width');
  // The same hours at the same x: every tick both draw, to the pixel.
  const [capacity, latency] = [ticksOf(at.boxes, 'capacity'), ticksOf(at.boxes, 'latency')];
  const both = Object.keys(capacity).filter((t) => t in latency);
  assert.ok(both.length >= 3, `ticks in both: ${both}`);
  for (const t of both) assert.ok(Math.abs(capacity[t] - latency[t]) <= 1, `${t} h at ${capacity[t]} px on the capacity chart, ${latency[t]} px on the p95 strip`);
  assert.deepEqual(errors, []);
}));

test('at 1,366 x 768 "Change one thing" is beside the chart on the first screen, its status line too while the new agent trains and once it took over', () => www.withPage('', { width: 1366, height: 768 }, async ({ page, errors }) => {
  await waitTrained(page);
  const box = (id) => page.evaluate((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height, scrollY: window.scrollY };
  }, id);
  const onScreen = (b) => b.scrollY === 0 && b.top >= 0 && b.bottom <= 768 && b.height > 0;
  const [tweak, chart] = [await box('tweak'), await box('capacity-canvas')];
  assert.ok(onScreen(tweak), `Change one thing: ${JSON.stringify(tweak)}`);
  assert.ok(tweak.left >= chart.right && tweak.top < chart.bottom + 140, `not beside the chart: ${JSON.stringify({ tweak, chart })}`);
  // Changed and applied without scrolling (a click by Playwright would scroll to it).
  await page.evaluate(() => {
    const input = document.querySelector('[data-tweak="reward.sla_violated"]');
    input.value = '-40';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    document.getElementById('tweak-apply').click();
  });
  await page.waitForFunction(() => /^Training the new agent: episode \d+/.test(document.getElementById('tweak-status').textContent));
  const status = await box('tweak-status');
  assert.ok(onScreen(status), `the status line while training: ${JSON.stringify(status)}`);
  assert.ok(onScreen(await box('tweak-apply')), 'Apply off screen');
  // Once the new agent took over, its line says so, whole: inside the side
  // column's box (which scrolls, and clips what is below it), not scrolled.
  await page.waitForFunction(() => /^The new agent .* took over at step/.test(document.getElementById('tweak-status').textContent));
  const [said, side] = [await box('tweak-status'), await box('side')];
  const scrolled = await page.evaluate(() => document.getElementById('side').scrollTop);
  assert.ok(onScreen(said) && scrolled === 0 && said.bottom <= side.bottom, `the takeover's line cut off: ${JSON.stringify({ said, side, scrolled })}`);
  assert.deepEqual(errors, []);
}));

test('the Share and export menu opens over the page, and a click outside it or Escape closes it', () => www.withPage('', { width: 1366, height: 768 }, async ({ page, errors }) => {
  await waitTrained(page);
  const open = () => page.evaluate(() => document.getElementById('share').open);
  const chart = () => page.evaluate(() => document.getElementById('capacity-canvas').getBoundingClientRect().top);
  const top = await chart();
  await page.click('#share summary');
  assert.equal(await open(), true);
  assert.equal(await chart(), top, 'nothing below the menu moved');
  // A click outside it closes it and does what it was for.
  await page.click('#play');
  assert.equal(await open(), false);
  await page.waitForFunction(() => !window.playgroundTest.playing);
  // Escape in it closes it, the focus back on its summary.
  await page.click('#share summary');
  await page.click('#class-autoplay');
  await page.keyboard.press('Escape');
  assert.equal(await open(), false);
  assert.equal(await page.evaluate(() => document.activeElement.matches('#share summary')), true);
  assert.deepEqual(errors, []);
}));

test('at 390 px wide nothing scrolls sideways, the menus and knobs open included', () => www.withPage('', { width: 390, height: 844 }, async ({ page }) => {
  await waitTrained(page);
  await page.waitForFunction(() => window.playgroundTest.shown.step > 0);
  const width = () => page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(await width() <= 390, `the page is ${await width()} px wide`);
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  await frames(page, 2);
  assert.ok(await width() <= 390, `with every fold open, the page is ${await width()} px wide`);
  // Every chart fits the width.
  const widest = await page.evaluate(() => Math.max(...[...document.querySelectorAll('canvas')].map((c) => c.getBoundingClientRect().right)));
  assert.ok(widest <= 390, `a canvas ends at ${widest} px`);
}));

// The panels every page draws (src/web/canvas.rs, TextBox.panel).
const PANELS = ['capacity', 'latency', 'cost', 'heatmap', 'forecast', 'curve', 'forensics', 'frontier'];
for (const [width, height] of [[1366, 768], [390, 844]]) {
  test(`at ${width} x ${height} every text drawn on a chart lies inside its chart's area`, () => www.withPage('', { width, height }, async ({ page }) => {
    await waitTrained(page);
    // A day of play at 20 steps a frame (the speed's eighth step), not the
    // page's one: where the charts stand, not how fast they got there, counts.
    await page.locator('#speed').fill('7');
    await page.waitForFunction(() => window.playgroundTest.shown.step >= 1500, null, { timeout: 60000 });
    await page.click('#play');
    await page.waitForFunction(() => !window.playgroundTest.playing);
    await frames(page, 2);
    const { boxes, sizes } = await page.evaluate(() => ({
      boxes: window.playgroundTest.textBoxes(),
      sizes: Object.fromEntries([...document.querySelectorAll('canvas')].map((c) => [c.id, [c.clientWidth, c.clientHeight]])),
    }));
    // Every panel drew text (axis ticks, labels, the forensics): an empty list
    // checks nothing.
    assert.ok(boxes.length >= 40, `${boxes.length} text boxes`);
    assert.deepEqual(PANELS.filter((p) => !boxes.some((x) => x.panel === p)), [], 'panels with no text');
    const canvasOf = { capacity: 'capacity-canvas', latency: 'latency-canvas', cost: 'cost-canvas', heatmap: 'heatmap-canvas', forecast: 'forecast-canvas', curve: 'curve-canvas', forensics: 'forensics-canvas', frontier: 'frontier-canvas' };
    const out = [];
    for (const x of boxes) {
      const [w, h] = sizes[canvasOf[x.panel]];
      const a = x.area;
      const inside = x.x >= a.x - 0.5 && x.y >= a.y - 0.5 && x.x + x.w <= a.x + a.w + 0.5 && x.y + x.h <= a.y + a.h + 0.5;
      const areaInCanvas = a.x >= 0 && a.y >= 0 && a.x + a.w <= w + 0.5 && a.y + a.h <= h + 0.5;
      if (!inside || !areaInCanvas || !(x.w > 0 && x.h > 0)) out.push(`${x.panel} "${x.text}" at ${[x.x, x.y, x.w, x.h].map(Math.round)} in ${[a.x, a.y, a.w, a.h].map(Math.round)} of ${w}x${h}`);
    }
    assert.deepEqual(out, []);
  }));
}

for (const [width, height] of [[1366, 768], [1920, 1080]]) {
  test(`at ${width} x ${height} the forensics lead with the decision and its decisive factor in type of 20 px or more, cut nowhere, and chart labels are 14 px or more`, () => www.withPage('', { width, height }, async ({ page }) => {
    await waitTrained(page);
    await page.waitForFunction(() => window.playgroundTest.shown.step >= 200, null, { timeout: 60000 });
    await page.click('#explain');
    await page.waitForFunction(() => /Decisive factor/.test(document.getElementById('forensics-text').textContent));
    await frames(page, 3);
    const boxes = await page.evaluate(() => window.playgroundTest.textBoxes());
    const forensics = boxes.filter((b) => b.panel === 'forensics');
    // The headline: the step and the choice, then the decisive factor.
    assert.match(forensics[0].text, /^Step [\d,]+: Chose /);
    const factor = forensics.findIndex((b) => b.text.startsWith('Decisive factor'));
    assert.ok(factor >= 1 && factor <= 2, forensics.map((b) => b.text).join(' | '));
    // A box is as tall as its font's ascent and descent, a little over 1 em.
    for (const b of forensics.slice(0, factor + 1)) assert.ok(b.h >= 20, `headline "${b.text}" ${b.h} px tall`);
    // Nothing is cut off: every line drawn is whole, in type no smaller than the captions'.
    const caption = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('#forensics-panel figcaption')).fontSize));
    for (const b of forensics) {
      assert.ok(!b.text.endsWith('…'), `cut: "${b.text}"`);
      assert.ok(b.h >= caption, `"${b.text}" ${b.h} px tall, under the caption's ${caption} px type`);
    }
    const text = await page.evaluate(() => window.playgroundTest.forensicsText());
    const drawn = forensics.map((b) => b.text).join(' ');
    const more = forensics.at(-1).text.match(/^(\d+) more lines? under Details, below\.$/);
    if (!more) for (const line of text.split('\n')) assert.ok(drawn.includes(line.split(' ').slice(0, 4).join(' ')), `not drawn: ${line}`);
    // The time charts' tick labels and legends, and the heatmap's labels.
    for (const b of boxes.filter((b) => ['capacity', 'latency', 'cost', 'heatmap'].includes(b.panel))) {
      assert.ok(b.h >= 14, `${b.panel} "${b.text}" ${b.h} px tall`);
    }
  }));
}

for (const [width, height] of [[1366, 768], [1920, 1080]]) {
  test(`at ${width} x ${height} an opened moment's forensics lead with its decision and cut nothing off at the panel's bottom`, () => www.withPage('', { width, height }, async ({ page }) => {
    await waitTrained(page);
    await page.waitForFunction(() => window.playgroundTest.metrics().lookahead_done && window.playgroundTest.metrics().moments.some((m) => m.kind === 'late_reaction'), null, { timeout: 60000 });
    // The first late reaction: its forensics begin with the moment's lines,
    // then the decision's (a scale-up, its timing, the floor's words: long).
    await page.evaluate(() => document.querySelector('button[data-kind="late_reaction"][data-go="1"]').click());
    await page.waitForFunction(() => document.getElementById('forensics-text').textContent.startsWith('Moment: ') && !window.playgroundTest.seeking, null, { timeout: 60000 });
    await frames(page, 3);
    const { boxes, h } = await page.evaluate(() => ({
      boxes: window.playgroundTest.textBoxes().filter((b) => b.panel === 'forensics'),
      h: document.getElementById('forensics-canvas').clientHeight,
    }));
    // (A late reaction is often the safety floor's: "Step 367: The safety floor scaled up (5 → 6 replicas)".)
    assert.match(boxes[0].text, /^Step [\d,]+: (Chose |The safety floor scaled up \(\d+ → \d+ replicas\)$)/, boxes.map((b) => b.text).join(' | '));
    assert.ok(boxes[0].h >= 20, `headline ${boxes[0].h} px tall`);
    // The line the page speaks is the one it draws, the decision's (not the
    // moment's first line), then its decisive factor.
    // (A long decision wraps over several boxes, words apart.)
    const factorAt = boxes.findIndex((b) => b.text.startsWith('Decisive factor'));
    const decision = boxes.slice(0, factorAt > 0 ? factorAt : 1).map((b) => b.text).join(' ');
    const factor = factorAt > 0 ? boxes[factorAt].text.split('. ')[0].replace(/\.$/, '') : '';
    const spoken = `${decision.replace(/\.$/, '')}${factor ? `; d${factor.slice(1)}` : ''}.`;
    await page.waitForFunction((s) => document.getElementById('headline').textContent === s, spoken, { timeout: 10000 })
      .catch(async () => assert.fail(`spoken "${await page.locator('#headline').textContent()}", drawn "${spoken}"`));
    // Every line lies whole inside the canvas; what does not fit is folded
    // away under Details, said on the last line.
    for (const b of boxes) assert.ok(b.y >= 0 && b.y + b.h <= h + 0.5, `"${b.text}" at ${Math.round(b.y)}-${Math.round(b.y + b.h)} of ${h} px`);
    const text = await page.evaluate(() => window.playgroundTest.forensicsText());
    const drawn = boxes.map((b) => b.text).join(' ');
    if (!/^\d+ more lines? under Details, below\.$/.test(boxes.at(-1).text)) {
      for (const line of text.split('\n')) assert.ok(drawn.includes(line.split(' ').slice(0, 4).join(' ')), `not drawn, and no note of it: ${line}`);
    }
  }));
}

test('the frontier panel clips its violation axis past the worlds and labels the Rule target the verdict cites', () => www.withPage('', { width: 1366, height: 768 }, async ({ page }) => {
  await waitTrained(page);
  await page.waitForFunction(() => window.playgroundTest.metrics().frontier?.rule.length > 0, null, { timeout: 60000 });
  await frames(page, 3);
  const { boxes, frontier } = await page.evaluate(() => ({ boxes: window.playgroundTest.textBoxes().filter((b) => b.panel === 'frontier'), frontier: window.playgroundTest.metrics().frontier }));
  const el = frontier.worlds.find((w) => w.kind === 'elastic');
  const within = frontier.rule.filter((r) => r.sla_violation_steps <= el.sla_violation_steps);
  const cited = within.length ? within.reduce((a, b) => (b.cost < a.cost ? b : a))
    : frontier.rule.reduce((a, b) => (b.sla_violation_steps < a.sla_violation_steps ? b : a));
  assert.ok(boxes.some((b) => b.text === `Rule ${cited.target.toFixed(2)}`), `no label for the cited target ${cited.target}: ${boxes.map((b) => b.text).join(' | ')}`);
  for (const w of frontier.worlds) assert.ok(boxes.some((b) => b.text === w.short), `no label for ${w.short}`);
  // The violation axis's ticks: the numbers on its lowest row.
  const numbers = boxes.filter((b) => /^\d+(\.\d+)?$/.test(b.text));
  const bottom = Math.max(...numbers.map((b) => b.y));
  const ticks = numbers.filter((b) => Math.abs(b.y - bottom) < 1).map((b) => Number(b.text));
  const reach = Math.max(cited.sla_violation_steps, ...frontier.worlds.map((w) => w.sla_violation_steps), 1);
  assert.ok(Math.max(...ticks) <= 2 * reach + 1, `the axis runs to ${Math.max(...ticks)} for points within ${reach}`);
  const far = Math.max(...frontier.rule.map((r) => r.sla_violation_steps));
  if (far > Math.max(...ticks)) assert.ok(boxes.some((b) => /^Rule [\d.]+-[\d.]+: to \d+ steps →$/.test(b.text)), `the Rule line leaves the plot unsaid: ${boxes.map((b) => b.text).join(" | ")}`);
}));

// Presenter mode at 1,920 x 1,080, and at 200 % zoom there (960 x 540 CSS
// pixels at twice the pixels per CSS pixel).
for (const [width, height, scale] of [[1920, 1080, 1], [960, 540, 2]]) {
  test(`presenter mode (a link's view, or P) keeps the run bar, the capacity chart with its p95 strip and the forensics on one screen at ${width} x ${height} CSS px, scale ${scale}`, () => www.withPage(presetLink({ presenter: true }), { width, height, scale }, async ({ page }) => {
    await waitTrained(page);
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('presenter')), true);
    const boxes = await page.evaluate(() => Object.fromEntries(['run', 'capacity-canvas', 'latency-canvas', 'forensics-canvas'].map((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      return [id, { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height }];
    })));
    for (const [id, b] of Object.entries(boxes)) {
      assert.ok(b.top >= 0 && b.bottom <= height && b.left >= 0 && b.right <= width, `${id} off screen: ${JSON.stringify(b)}`);
    }
    assert.ok(boxes['capacity-canvas'].height >= 220, `capacity ${boxes['capacity-canvas'].height} px tall`);
    // P turns it off (and the page's link forgets it), and on again.
    await page.click('#scoreboard caption');
    await page.keyboard.press('p');
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('presenter')), false);
    const view = await page.evaluate(() => JSON.parse(atob(location.hash.slice(4).replace(/-/g, '+').replace(/_/g, '/'))).v);
    assert.equal(view?.presenter ?? false, false);
    await page.keyboard.press('p');
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('presenter')), true);
  }));
}

test('after a click on Step, Space plays (and pauses), and Space in a text field does not', () => www.withPage(presetLink({}), { width: 1366, height: 768 }, async ({ page }) => {
  await waitTrained(page);
  await page.click('#step');
  await page.waitForFunction(() => window.playgroundTest.shown.step === 1);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.playgroundTest.playing);
  await page.waitForFunction(() => window.playgroundTest.shown.step > 10);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !window.playgroundTest.playing);
  const step = await shownStep(page);
  await page.click('#scenario summary');
  await page.focus('[data-key="agent.alpha"]');
  await page.keyboard.press('Space');
  await frames(page, 30);
  assert.equal(await page.evaluate(() => window.playgroundTest.playing), false);
  assert.equal(await shownStep(page), step);
}));

test('after a click on a check box or a slider, Space plays and pauses and leaves the box as it was', () => www.withPage(presetLink({}), { width: 1366, height: 768 }, async ({ page }) => {
  await waitTrained(page);
  await page.click('#show-rule');
  assert.equal(await page.isChecked('#show-rule'), false);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.playgroundTest.playing);
  assert.equal(await page.isChecked('#show-rule'), false, 'Space flipped the check box');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !window.playgroundTest.playing);
  assert.equal(await page.isChecked('#show-rule'), false, 'Space flipped the check box');
  await page.focus('#scrub');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.playgroundTest.playing);
}));

test('the preset menu says "custom" once a knob makes the scenario no preset\'s', () => www.withPage('', { width: 1366, height: 768 }, async ({ page, errors }) => {
  await waitTrained(page);
  assert.equal(await page.locator('#preset').inputValue(), 'diurnal');
  await page.click('#scenario summary');
  await page.fill('[data-key="agent.alpha"]', '0.2');
  await page.click('#apply');
  await page.waitForFunction(() => document.getElementById('preset').value === '');
  assert.equal(await page.evaluate(() => document.getElementById('preset').selectedOptions[0].textContent), 'custom');
  assert.deepEqual(errors, []);
}));
