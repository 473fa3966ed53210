// The page end to end: www/ served on 127.0.0.1, driven in headless Chromium.
// The tests share one page and run in order, as a visitor would use it.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { session, waitTrained, shownStep, pause, shownAndEngine, assertScoreboard, assertShows, shortName, unfold } from './harness.mjs';

// The page, open until the file's browser closes after its tests.
const www = session();
let browser;
let page;

before(async () => {
  browser = await www.open();
  page = browser.page;
});

const metrics = () => page.evaluate(() => window.playgroundTest.metrics());

// Pixels of a canvas within 24 of an RGB colour on every channel.
function pixelsOf(id, [r, g, b]) {
  return page.evaluate(({ id, r, g, b }) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - r) < 24 && Math.abs(d[i + 1] - g) < 24 && Math.abs(d[i + 2] - b) < 24) n++;
    }
    return n;
  }, { id, r, g, b });
}

// A canvas's pixels, as a digest of its PNG.
const image = async (id) => createHash('sha256')
  .update(await page.evaluate((id) => document.getElementById(id).toDataURL(), id)).digest('hex');

// What a visitor reads: the clock, the scoreboard, and the charts' pixels.
async function figures() {
  return {
    clock: await page.locator('#clock').textContent(),
    scoreboard: await page.locator('#scoreboard tbody').innerText(),
    capacity: await image('capacity-canvas'),
    cost: await image('cost-canvas'),
  };
}

// Resolves after the page has drawn `n` more animation frames: "nothing happened"
// is decided over frames the page had to play in, not over a time.
const frames = (n) => page.evaluate((n) => new Promise((resolve) => {
  const tick = () => (--n <= 0 ? resolve() : requestAnimationFrame(tick));
  requestAnimationFrame(tick);
}), n);

// Checks the verdict's sentence comparing Elastic (`el`) with another world
// (`other`) at the start of `rest`, and returns what follows it.
function assertAgainst(verdict, rest, el, other) {
  const name = shortName(other.name);
  const pct = (a, b) => Math.abs(100 * (a - b) / b);
  const v = (w) => w.sla_violation_steps;
  // A difference the words' rounding hides reads as none.
  const sameCost = pct(el.cost, other.cost).toFixed(1) === '0.0';
  const sameSteps = Math.round(10 * v(el)) === Math.round(10 * v(other));
  if (sameCost) {
    const re = sameSteps ? new RegExp(`^ It matches ${name}: the same cost, and as many violation steps \\(([\\d.]+)\\)\\.`)
      : new RegExp(`^ It costs the same as ${name} (and|but) breaks the SLA (less|more) often \\(([\\d.]+) steps against ([\\d.]+)\\)\\.`);
    const r = rest.match(re);
    assert.ok(r, `${verdict}: expected ${re}`);
    if (!sameSteps) {
      assert.equal(r[2], v(el) < v(other) ? 'less' : 'more', verdict);
      assertShows(r[3], v(el), `${verdict}: violation steps`);
      assertShows(r[4], v(other), `${verdict}: violation steps`);
    } else assertShows(r[1], v(el), `${verdict}: violation steps`);
    return rest.slice(r[0].length);
  }
  const cheaper = el.cost <= other.cost;
  const fewer = sameSteps || v(el) <= v(other);
  const [re, a, b, counts] = cheaper && fewer ? [new RegExp(`^ It beats ${name}: (\\S+) % cheaper, with no more violations \\(([\\d.]+) against ([\\d.]+)\\)\\.`), el, other, [v(el), v(other)]]
    : !cheaper && (sameSteps || v(other) <= v(el)) ? [new RegExp(`^ ${name} beats it on this run: (\\S+) % cheaper, with no more violations \\(([\\d.]+) against ([\\d.]+)\\)\\.`), other, el, [v(other), v(el)]]
    : cheaper ? [new RegExp(`^ It is (\\S+) % cheaper than ${name} but breaks the SLA more often \\(([\\d.]+) steps against ([\\d.]+)\\)\\.`), el, other, [v(el), v(other)]]
    : [new RegExp(`^ ${name} is (\\S+) % cheaper but breaks the SLA more often \\(([\\d.]+) steps against ([\\d.]+)\\)\\.`), other, el, [v(other), v(el)]];
  const r = rest.match(re);
  assert.ok(r, `${verdict}: expected ${re}`);
  assertShows(r[1], pct(a.cost, b.cost), `verdict: against ${name}`);
  assertShows(r[2], counts[0], `${verdict}: violation steps`);
  assertShows(r[3], counts[1], `${verdict}: violation steps`);
  return rest.slice(r[0].length);
}

// Parses the verdict and checks each of its figures against the engine's worlds
// (the page's words: Elastic against Static, then Rule (and its other targets
// once the run is over), Predictive, the Oracle and the ablation when shown).
function assertVerdict(verdict, m, { rule, oracle, predictive }) {
  const worlds = m.worlds;
  const world = (kind) => worlds.find((w) => w.kind === kind);
  const [el, st] = ['elastic', 'static'].map(world);
  const pct = (a, b) => Math.abs(100 * (a - b) / b);
  const v = (w) => w.sla_violation_steps;
  const head = verdict.match(/^Elastic costs (?:the same as|(\S+) % (less|more) than) Static, with ([\d.]+) SLA-violation steps \(Static ([\d.]+)\)\.(.*)$/);
  assert.ok(head, verdict);
  if (pct(el.cost, st.cost).toFixed(1) === '0.0') assert.equal(head[1], undefined, verdict);
  else {
    assertShows(head[1], pct(el.cost, st.cost), 'verdict: Elastic against Static');
    assert.equal(head[2], el.cost <= st.cost ? 'less' : 'more', verdict);
  }
  // Violation steps: whole under the exact physics, expected (one decimal) under the fluid.
  assertShows(head[3], v(el), `${verdict}: Elastic's violation steps`);
  assertShows(head[4], v(st), `${verdict}: Static's violation steps`);
  let rest = head[5];
  if (rule) {
    rest = assertAgainst(verdict, rest, el, world('rule'));
    if (m.rule_targets.length) {
      const f = rest.match(/^ (It is (not )?below the Rule's frontier \(targets 40 to 95 %\)|No Rule target from 40 to 95 %)[^.]*(\.\d+[^.]*)*\./);
      assert.ok(f, `${verdict}: the Rule's frontier`);
      rest = rest.slice(f[0].length);
    }
  }
  if (predictive) rest = assertAgainst(verdict, rest, el, world('predictive'));
  if (oracle) {
    const or = world('oracle');
    const o = rest.match(/^ It costs (?:the same as|(\S+) % (more|less) than) the Oracle \(perfect foresight\)\./);
    assert.ok(o, verdict);
    if (pct(el.cost, or.cost).toFixed(1) === '0.0') assert.equal(o[1], undefined, verdict);
    else {
      assertShows(o[1], pct(el.cost, or.cost), 'verdict: against the Oracle');
      assert.equal(o[2], el.cost >= or.cost ? 'more' : 'less', verdict);
    }
    rest = rest.slice(o[0].length);
  }
  const blind = world('no_forecast');
  if (blind) {
    const b = rest.match(/^ Without the forecast in its state \(No forecast\) it costs (\S+) with ([\d.]+) violation steps: the forecast buys [^.]*(\.\d[^.]*)*\.$/);
    assert.ok(b, `${verdict}: what the forecast buys`);
    assertShows(b[1], blind.cost, 'verdict: the ablation\'s cost');
    assertShows(b[2], v(blind), 'verdict: the ablation\'s violation steps');
    rest = '';
  }
  assert.equal(rest, '', `${verdict}: words beyond the figures`);
}

// Checks the charts' text alternatives against the engine: the capacity, p95 and
// cost of each world shown, the demand, the learning curve and the forecast error.
function assertCaptions(labels, m, shownNames) {
  const now = m.now.filter((w) => shownNames.includes(w.name));
  // (The clock before the worlds has colons of its own: "day 1, 14:40".)
  const cap = labels['capacity-canvas'].match(/^Capacity at .*?: ((?:[A-Za-z ]+ \d+ replicas(?: \(\d+ booting\))?(?:, )?)+)(?:; demand worth (\S+) replicas)?\.?$/);
  assert.ok(cap, labels['capacity-canvas']);
  assert.deepEqual(cap[1].split(', '), now.map((w) => `${shortName(w.name)} ${w.provisioned} replicas${w.booting ? ` (${w.booting} booting)` : ''}`));
  if (m.demand_replicas != null) assertShows(cap[2], m.demand_replicas, 'caption: demand');
  const lat = labels['latency-canvas'].match(/^p95 latency of the last step: (.*); SLA \S+ s\.$/);
  assert.ok(lat, labels['latency-canvas']);
  const p95s = lat[1].split(', ');
  assert.equal(p95s.length, now.length);
  p95s.forEach((text, i) => {
    const [, name, value] = text.match(/^(.+) (\S+) s$/);
    assert.equal(name, shortName(now[i].name));
    if (now[i].p95 == null) assert.equal(value, '–');
    else assertShows(value, now[i].p95, `caption: ${name} p95`);
  });
  const cost = labels['cost-canvas'].match(/^Cost so far: (.*)\.$/);
  assert.ok(cost, labels['cost-canvas']);
  const worlds = m.worlds.filter((w) => shownNames.includes(w.name));
  cost[1].split(', ').forEach((text, i) => {
    const [, name, value] = text.match(/^(.+) (\S+)$/);
    assert.equal(name, shortName(worlds[i].name));
    assertShows(value, worlds[i].cost, `caption: ${name} cost`);
  });
  const curve = labels['curve-canvas'].match(/^Learning curve: (\d+) episodes, the last one's reward (\S+)\.$/);
  assert.ok(curve, labels['curve-canvas']);
  assert.equal(Number(curve[1]), m.training.episode);
  assertShows(curve[2], m.training.last_reward, 'caption: last reward');
}

// Clicks the Step button n times (through its own click handler).
async function stepTimes(n) {
  await page.evaluate((n) => {
    const button = document.getElementById('step');
    for (let i = 0; i < n; i++) button.click();
  }, n);
  await page.waitForFunction((n) => Number(document.getElementById('clock').dataset.step) === n, n);
}

test('the page plays at once and its step counter advances', async () => {
  await page.waitForFunction(() => Number(document.getElementById('clock').dataset.step) > 0, null, { timeout: 60000 });
  await waitTrained(page);
  const first = await shownStep(page);
  await page.waitForFunction((s) => Number(document.getElementById('clock').dataset.step) > s + 30, first);
  assert.equal(await page.locator('#play').textContent(), 'Pause');
});

test('Space toggles play', async () => {
  await page.locator('h1').click();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !window.playgroundTest.playing);
  const paused = await shownStep(page);
  await frames(30);
  assert.equal(await shownStep(page), paused, 'the step counter stands still for 30 frames while paused');
  await page.keyboard.press('Space');
  await page.waitForFunction((s) => Number(document.getElementById('clock').dataset.step) > s, paused);
});

test('Elastic and Static lines differ, and the scoreboard, the verdict and the captions show the engine\'s figures', async () => {
  // A day played at 10 steps a frame (the speed's seventh step), then the
  // page's own speed again. (Half a day left Elastic's line at about 300 pixels
  // of its own colour, the bound below, when the page was read right at step 720.)
  await page.locator('#speed').fill('6');
  await page.waitForFunction(() => window.playgroundTest.shown.step >= 1440, null, { timeout: 60000 });
  await page.locator('#speed').fill('3');
  const vermillion = await pixelsOf('capacity-canvas', [0xd5, 0x5e, 0x00]);
  const blue = await pixelsOf('capacity-canvas', [0x00, 0x72, 0xb2]);
  assert.ok(vermillion > 300, `Static's line: ${vermillion} pixels`);
  assert.ok(blue > 300, `Elastic's line: ${blue} pixels`);
  const m = await metrics();
  const world = (name) => m.worlds.find((w) => w.name === name);
  assert.notEqual(world('Elastic (RL)').cost, world('Static').cost);
  // The scoreboard, the verdict and the captions show the engine's figures (read
  // paused: the captions are refreshed on every frame only then).
  await pause(page);
  const shown = await shownAndEngine(page);
  assertScoreboard(shown.rows, shown.m.worlds);
  const elastic = shown.m.worlds.find((w) => w.name === 'Elastic (RL)');
  assert.ok(elastic.saving_pct > 0, `Elastic's saving: ${elastic.saving_pct}`);
  const view = await page.evaluate(() => Object.fromEntries(['rule', 'oracle', 'predictive'].map((w) => [w, document.getElementById(`show-${w}`).checked])));
  assert.deepEqual(view, { rule: true, oracle: true, predictive: true }, 'every standard world shown at first');
  assertVerdict(shown.verdict, shown.m, view);
  const names = ['Static', 'Elastic (RL)', ...(view.rule ? ['Rule'] : []), ...(view.oracle ? ['Oracle'] : []), ...(view.predictive ? ['Predictive'] : [])];
  assertCaptions(shown.labels, shown.m, names);
  await page.click('#play');
  await page.waitForFunction(() => window.playgroundTest.playing);
});

test('hovering a heatmap cell shows its values; clicking it, its forensics', async () => {
  const box = await page.locator('#heatmap-canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('#heatmap-tip:not([hidden])');
  // The calm agent's cells: headroom against the need, by utilisation.
  assert.match(await page.locator('#heatmap-tip').textContent(), /^Headroom .*, utilisation .*, demand/);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => !window.playgroundTest.playing);
  await page.waitForFunction(() => /^Headroom |^Step \d+:/.test(document.getElementById('forensics-text').textContent));
});

test('Explain pauses, mirrors the forensics in text, and speaks their headline', async () => {
  await page.click('#play');
  await page.waitForFunction(() => window.playgroundTest.playing);
  await page.click('#explain');
  await page.waitForFunction(() => /Decisive factor/.test(document.getElementById('forensics-text').textContent));
  const text = await page.locator('#forensics-text').textContent();
  assert.match(text, /^Step \d+: headroom/);
  assert.match(text, /If (scale down|hold|scale up) \(\d+ replicas\)/);
  assert.equal(await page.evaluate(() => window.playgroundTest.forensicsText()), text);
  // Spoken: the decision and its decisive factor, in one line.
  const step = text.match(/^Step ([\d,]+):/)[1];
  const chose = text.match(/^(Chose [^.]*)\./m)[1];
  const factor = text.match(/^Decisive factor([^.]*)\./m)[1];
  await page.waitForFunction((want) => document.getElementById('headline').textContent === want, `Step ${step}: ${chose}; decisive factor${factor}.`);
});

test('reset with the same seed gives identical figures after the same number of steps', async () => {
  await waitTrained(page);
  await pause(page);
  await page.click('#reset');
  await stepTimes(300);
  const first = await figures();
  assert.match(first.clock, /^step 300 of 4320/);
  await page.click('#reset');
  await stepTimes(300);
  assert.deepEqual(await figures(), first, 'after Reset');
  // The same scenario and seed applied anew: trained again, the same figures.
  await page.click('#apply');
  await waitTrained(page);
  await pause(page);
  await page.click('#reset');
  await stepTimes(300);
  assert.deepEqual(await figures(), first, 'after Apply and retrain with the same seed');
});

test('training changes the heatmap', async () => {
  await waitTrained(page);
  await pause(page);
  await page.click('#reset');
  const before = await image('heatmap-canvas');
  const episodes = (await metrics()).training.episode;
  await unfold(page, '#train');
  await page.fill('#train-episodes', '5');
  await page.click('#train');
  await page.waitForFunction((e) => window.playgroundTest.shown?.training.episode >= e + 5 && !window.playgroundTest.training, episodes, { timeout: 60000 });
  await pause(page);
  await page.click('#reset');
  assert.notEqual(await image('heatmap-canvas'), before);
  assert.match(await page.locator('#train-status').textContent(), new RegExp(`trained: ${episodes + 5} episodes`));
});

test('every control has an accessible name and is reached by Tab, and the heatmap is operated by the arrow keys', async () => {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const interactive = new Set(['button', 'checkbox', 'switch', 'slider', 'spinbutton', 'combobox', 'textbox', 'radio', 'link', 'DisclosureTriangle']);
  const controls = nodes.filter((n) => !n.ignored && interactive.has(n.role?.value));
  assert.ok(controls.length >= 30, `found ${controls.length} controls`);
  const unnamed = controls.filter((n) => !n.name?.value?.trim()).map((n) => `${n.role.value} #${n.backendDOMNodeId}`);
  assert.deepEqual(unnamed, []);
  // Keyboard: Tab, from nothing focused, reaches every visible control.
  const controlsToReach = await page.evaluate(() => {
    const all = [...document.querySelectorAll('button, input, select, summary, textarea, a[href], canvas[tabindex]')]
      // A group of radio buttons is one stop, its checked button (arrows move within it).
      .filter((el) => el.checkVisibility() && !el.disabled && !(el.type === 'radio' && !el.checked));
    all.forEach((el, i) => { el.dataset.tabCheck = String(i); });
    document.activeElement?.blur();
    return all.map((el) => el.id || el.outerHTML.slice(0, 60));
  });
  assert.ok(controlsToReach.length >= 30, `${controlsToReach.length} controls`);
  const reached = new Set();
  for (let i = 0; i < controlsToReach.length + 10; i += 1) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => document.activeElement?.dataset.tabCheck ?? null);
    if (at != null) reached.add(Number(at));
  }
  const unreached = controlsToReach.filter((_, i) => !reached.has(i));
  assert.deepEqual(unreached, [], 'controls Tab never reaches');
  await page.evaluate(() => document.querySelectorAll('[data-tab-check]').forEach((el) => delete el.dataset.tabCheck));
  // The heatmap by keyboard: arrows move a cursor and describe the cell.
  await page.focus('#heatmap-canvas');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  // The first press puts the cursor on the first cell (3 or more short, the lowest
  // utilisation row), the second moves it a row up.
  assert.match(await page.locator('#heatmap-cell').textContent(), /^Headroom 3 or more replicas short, utilisation 30-50 %, /);
});

test('a scenario out of range is refused with a message naming the field, and the field is marked', async () => {
  await unfold(page, '#knobs');
  await page.fill('[data-key="agent.alpha"]', '3');
  await page.fill('[data-key="agent.gamma"]', '-1');
  await page.click('#apply');
  await page.waitForFunction(() => document.getElementById('scenario-error').textContent.length > 0);
  const error = await page.locator('#scenario-error').textContent();
  assert.match(error, /agent\.alpha = 3: must be a number from 0 to 1/);
  assert.match(error, /agent\.gamma = -1: must be a number from 0 to 1/);
  const marked = await page.evaluate(() => [...document.querySelectorAll('[aria-invalid="true"]')].map((el) => el.dataset.key));
  assert.deepEqual(marked, ['agent.alpha', 'agent.gamma']);
  await page.fill('[data-key="agent.alpha"]', '0.1');
  await page.fill('[data-key="agent.gamma"]', '0.95');
});

test('no errors in the console', () => {
  assert.deepEqual(browser.errors, []);
});
