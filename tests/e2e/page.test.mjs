// The page end to end: www/ served on 127.0.0.1, driven in headless Chromium.
// The tests share one page and run in order, as a visitor would use it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { serve, open, waitTrained, shownStep, pause } from './harness.mjs';

let server;
let browser;
let page;

before(async () => {
  server = await serve();
  browser = await open(server.url);
  page = browser.page;
});

after(async () => {
  await browser?.close();
  server?.close();
});

const metrics = () => page.evaluate(() => window.playground.pg.metrics());

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

// Clicks the Step button n times (through its own click handler).
async function stepTimes(n) {
  await page.evaluate((n) => {
    const button = document.getElementById('step');
    for (let i = 0; i < n; i++) button.click();
  }, n);
  await page.waitForFunction((n) => Number(document.getElementById('clock').dataset.step) === n, n);
}

test('the page plays at once and its step counter advances', async () => {
  await page.waitForFunction(() => Number(document.getElementById('clock').dataset.step) > 0, null, { timeout: 15000 });
  await waitTrained(page);
  const first = await shownStep(page);
  await page.waitForFunction((s) => Number(document.getElementById('clock').dataset.step) > s + 30, first);
  assert.equal(await page.locator('#play').textContent(), 'Pause');
});

test('Space toggles play', async () => {
  await page.locator('h1').click();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !window.playground.playing);
  const paused = await shownStep(page);
  await page.waitForTimeout(300);
  assert.equal(await shownStep(page), paused, 'the step counter stands still while paused');
  await page.keyboard.press('Space');
  await page.waitForFunction((s) => Number(document.getElementById('clock').dataset.step) > s, paused);
});

test('Elastic and Static lines differ, and the scoreboard shows a saving', async () => {
  await page.waitForFunction(() => window.playground.metrics.step >= 720, null, { timeout: 60000 });
  const vermillion = await pixelsOf('capacity-canvas', [0xd5, 0x5e, 0x00]);
  const blue = await pixelsOf('capacity-canvas', [0x00, 0x72, 0xb2]);
  assert.ok(vermillion > 300, `Static's line: ${vermillion} pixels`);
  assert.ok(blue > 300, `Elastic's line: ${blue} pixels`);
  const m = await metrics();
  const world = (name) => m.worlds.find((w) => w.name === name);
  assert.notEqual(world('Elastic (RL)').cost, world('Static').cost);
  const saving = await page.locator('#scoreboard tr.elastic td').nth(1).textContent();
  assert.match(saving, /^\d+\.\d %$/);
  assert.ok(parseFloat(saving) > 0, `Elastic's saving: ${saving}`);
  // The verdict says the same in words, with Rule and the Oracle.
  const [verdict, shownSaving] = await page.evaluate(() => [
    document.getElementById('verdict').textContent,
    document.querySelector('#scoreboard tr.elastic td:nth-of-type(2)').textContent,
  ]);
  assert.match(verdict, /^Elastic costs \d+\.\d % less than Static, with \d+ SLA-violation steps \(Static \d+\)\. (It beats Rule|Rule beats it|It is|Rule is) .+ It costs \d+\.\d % (more|less) than the Oracle \(perfect foresight\)\.$/);
  assert.ok(verdict.includes(`${shownSaving.replace(' %', '')} % less than Static`), `${verdict} / ${shownSaving}`);
});

test('hovering a heatmap cell shows its values; clicking it, its forensics', async () => {
  const box = await page.locator('#heatmap-canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('#heatmap-tip:not([hidden])');
  assert.match(await page.locator('#heatmap-tip').textContent(), /^Utilisation .*replicas?, demand/);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => !window.playground.playing);
  await page.waitForFunction(() => /^Utilisation |^Step \d+:/.test(document.getElementById('forensics-text').textContent));
});

test('Explain pauses and mirrors the forensics in the live region', async () => {
  await page.click('#play');
  await page.waitForFunction(() => window.playground.playing);
  await page.click('#explain');
  await page.waitForFunction(() => /Decisive factor/.test(document.getElementById('forensics-text').textContent));
  const text = await page.locator('#forensics-text').textContent();
  assert.match(text, /^Step \d+: utilisation/);
  assert.match(text, /If (scale down|hold|scale up) \(\d+ replicas\)/);
  assert.equal(await page.evaluate(() => window.playground.pg.forensicsText()), text);
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
  await page.fill('#train-episodes', '5');
  await page.click('#train');
  await page.waitForFunction((e) => window.playground.metrics?.training.episode >= e + 5 && !window.playground.training, episodes, { timeout: 60000 });
  await pause(page);
  await page.click('#reset');
  assert.notEqual(await image('heatmap-canvas'), before);
  assert.match(await page.locator('#train-status').textContent(), new RegExp(`trained: ${episodes + 5} episodes`));
});

test('every control has an accessible name and is keyboard operable', async () => {
  await page.locator('details').evaluate((d) => { d.open = true; });
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const interactive = new Set(['button', 'checkbox', 'switch', 'slider', 'spinbutton', 'combobox', 'textbox', 'radio', 'link', 'DisclosureTriangle']);
  const controls = nodes.filter((n) => !n.ignored && interactive.has(n.role?.value));
  assert.ok(controls.length >= 30, `found ${controls.length} controls`);
  const unnamed = controls.filter((n) => !n.name?.value?.trim()).map((n) => `${n.role.value} #${n.backendDOMNodeId}`);
  assert.deepEqual(unnamed, []);
  // Keyboard: every control is reachable by Tab (none has a negative tabindex).
  const unreachable = await page.evaluate(() => [...document.querySelectorAll('button, input, select, summary, canvas[tabindex]')]
    .filter((el) => el.tabIndex < 0).map((el) => el.id || el.outerHTML.slice(0, 60)));
  assert.deepEqual(unreachable, []);
  // The heatmap by keyboard: arrows move a cursor and describe the cell.
  await page.focus('#heatmap-canvas');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.match(await page.locator('#heatmap-cell').textContent(), /^Utilisation .*, 2 replicas/);
});

test('a scenario out of range is refused with a message naming the field', async () => {
  await page.locator('details').evaluate((d) => { d.open = true; });
  await page.fill('[data-key="agent.alpha"]', '3');
  await page.click('#apply');
  await page.waitForFunction(() => document.getElementById('scenario-error').textContent.length > 0);
  assert.match(await page.locator('#scenario-error').textContent(), /agent\.alpha = 3: must be a number from 0 to 1/);
  await page.fill('[data-key="agent.alpha"]', '0.1');
});

test('no errors in the console', () => {
  assert.deepEqual(browser.errors, []);
});
