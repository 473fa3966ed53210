// Shared by the end-to-end tests and `make screenshot`: serves www/ on loopback
// with Python's http.server, and drives /usr/bin/chromium with playwright-core.
// A test file takes one served www/ and one browser for all its tests
// (`session`); every page a test opens has a fresh browser context of its own,
// as isolated as a fresh profile (no storage, cache, cookies or permissions
// shared), without the cost of starting a browser. The tests reach the page
// through its test hook, `window.playgroundTest` (testhook.js, installed in
// every page `open` opens).

import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TEST_HOOK = join(dirname(fileURLToPath(import.meta.url)), 'testhook.js');

// Flags that keep Chromium off the (closed) network and quiet.
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Serves www/ on 127.0.0.1 at a free port; resolves to { url, close }. */
export function serve() {
  return new Promise((resolve, reject) => {
    const server = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', join(ROOT, 'www')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`http.server did not start: ${out}`)), 10000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/port (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${m[1]}/`, close: () => server.kill() });
      }
    });
    server.on('error', reject);
  });
}

/** Starts headless Chromium (process.env.CHROMIUM, or /usr/bin/chromium). */
export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS });
}

/**
 * Opens `url` in a fresh browser context of `browser` (or, without one, of a
 * browser started for this page alone). Collects console errors and page errors
 * into `errors`. `scale` is the device pixel ratio. Resolves to
 * { page, context, errors, close }.
 */
export async function open(url, { width = 1400, height = 1800, scale = 1, browser = null } = {}) {
  const own = browser ? null : await launch();
  const context = await (browser ?? own).newContext({ viewport: { width, height }, deviceScaleFactor: scale });
  await context.addInitScript({ path: TEST_HOOK });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  const close = async () => {
    await context.close();
    await own?.close();
  };
  try {
    await page.goto(url);
  } catch (e) {
    await close();
    throw e;
  }
  return { page, context, errors, close };
}

/**
 * A test file's served www/ (unless `serve` is false) and browser, both
 * started before its tests and closed after them. Returns:
 * - `url`: the served page's address (once the file's tests run);
 * - `browser`: the file's Chromium;
 * - `open(at, options)`: `open` on `at` (resolved against `url`: '' for the
 *   page, '#v1.…' for a link, or any absolute address) in a fresh context of it;
 * - `withPage(at, [options,] fn)`: `fn({ page, context, errors })` on such a
 *   page, closed after it whatever happens; resolves to what `fn` returns.
 */
export function session({ serve: serving = true } = {}) {
  let server = null;
  // Started once, by the file's `before` or by the first page opened, whichever
  // comes first (node 20 runs a file's `before` hooks side by side).
  let started = null;
  const start = () => (started ??= Promise.all([serving ? serve() : null, launch()]).then(([srv, browser]) => {
    server = srv;
    s.browser = browser;
    s.url = srv?.url ?? null;
  }));
  const s = {
    url: null,
    browser: null,
    async open(at = '', options = {}) {
      await start();
      return open(s.url ? new URL(at, s.url).href : at, { ...options, browser: s.browser });
    },
    async withPage(at, options, fn) {
      if (typeof options === 'function') [options, fn] = [{}, options];
      const b = await s.open(at, options);
      try {
        return await fn(b);
      } finally {
        await b.close();
      }
    },
  };
  before(start);
  after(async () => {
    await started?.catch(() => {});
    await s.browser?.close();
    server?.close();
  });
  return s;
}

/**
 * Waits until the page's training is done and its run settled: a new
 * scenario's agent trained and shown (none waiting to take over), and no
 * fast-forward under way. (A new agent that takes over replays the run to the
 * step reached, then plays on if the run was playing: a pause before that would
 * be undone. So would a link's fast-forward to its step.)
 */
export async function waitTrained(page, timeout = 60000) {
  await page.waitForFunction(() => {
    const t = window.playgroundTest;
    return t?.shown?.training.done && !t.waiting && !t.training && !t.seeking;
  }, null, { timeout });
}

/** The step counter as the page shows it. */
export async function shownStep(page) {
  return Number(await page.locator('#clock').getAttribute('data-step'));
}

/**
 * Pauses (if playing) and waits until the page has drawn itself paused: the
 * frame after the pause refreshes every text, the screen-reader texts (which
 * playing throttles) included. Until then the captions may be seconds old
 * while the clock already shows the step the run stopped at.
 */
export async function pause(page) {
  if ((await page.locator('#play').textContent()) === 'Pause') await page.click('#play');
  await page.waitForFunction(() => !window.playgroundTest.playing && window.playgroundTest.shown?.playing === false);
}


/** A share link (the hash, without '#') in the v1 format of a payload {s, v}. */
export function linkOf(payload) {
  return `v1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
}

/**
 * Opens the folds (<details>: the Share and export menu, the scenario's knobs,
 * training) that hold the element `selector` names, as a visitor would, so that
 * it can be clicked or filled.
 */
export async function unfold(page, selector) {
  await page.locator(selector).evaluate((el) => {
    for (let d = el.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
  });
}

/**
 * Clicks a copy button (with the clipboard allowed) and returns what it put on
 * the clipboard.
 */
export async function copiedText(page, selector) {
  const origin = new URL(page.url()).origin;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], origin === 'null' ? {} : { origin });
  await page.evaluate(() => { document.getElementById('share-status').textContent = ''; });
  await unfold(page, selector);
  await page.click(selector);
  await page.waitForFunction(() => document.getElementById('share-status').textContent !== '');
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Clicks a download button; resolves to the file's name and bytes. */
export async function downloaded(page, selector) {
  await unfold(page, selector);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

/**
 * What the page (index.html) loads from its server until the trained agent plays:
 * one entry per file, { path, kind (wasm, js, html, css or other), raw, gzip } in
 * bytes, gzip at level 9, largest first. Every file counts, whenever it arrives:
 * the page's own resource timing (and the worker's requests, which the browser
 * reports to the page) lists what it loaded, and each must have been captured.
 * Used by tests/e2e/size.test.mjs and scripts/bench-browser.mjs. In a fresh
 * context of `browser`, or of a browser started for it.
 */
export async function transferred(url, { browser = null } = {}) {
  const { gzipSync, constants } = await import('node:zlib');
  const b = await open('about:blank', { browser });
  const bodies = new Map();
  const pending = [];
  b.page.on('response', (r) => {
    if (!r.url().startsWith(url)) return;
    // A redirect or an aborted response has no body: it transfers nothing here.
    // By path and query: the same file fetched again with a query is another load.
    const at = new URL(r.url());
    pending.push(r.body().then((body) => bodies.set(at.pathname + at.search, body), () => {}));
  });
  let listed;
  try {
    await b.page.goto(`${url}index.html`);
    // Until the trained agent plays: the preset's table adopted, a frame drawn.
    await b.page.waitForFunction(() => {
      const t = window.playgroundTest;
      return t?.shown?.training.done && !t.training && t.playing && t.shown.step > 0;
    }, null, { timeout: 60000 });
    listed = await b.page.evaluate(() => [location.pathname + location.search,
      ...performance.getEntriesByType('resource').map((e) => { const at = new URL(e.name); return at.pathname + at.search; })]);
    // Every response seen so far has its body.
    let done = 0;
    while (done < pending.length) {
      const n = pending.length;
      await Promise.all(pending.slice(done, n));
      done = n;
    }
  } finally {
    await b.close();
  }
  const missing = [...new Set(listed)].filter((path) => !bodies.has(path));
  if (missing.length) throw new Error(`the page loaded ${missing.join(', ')}, but no body was captured`);
  const kind = (file) => { const path = new URL(file, url).pathname; return path.endsWith('.wasm') ? 'wasm' : /\.m?js$/.test(path) ? 'js' : path.endsWith('.css') ? 'css' : /(\.html|\/)$/.test(path) ? 'html' : 'other'; };
  return [...bodies]
    .map(([path, body]) => ({ path, kind: kind(path), raw: body.length, gzip: gzipSync(body, { level: constants.Z_BEST_COMPRESSION }).length }))
    .sort((x, y) => y.gzip - x.gzip);
}

/**
 * Waits until the page opened by `open` has played a step; on a timeout the error
 * says what the page showed (fatal message, banner, training) and its console errors.
 */
export async function waitPlayed(browser, timeout = 30000) {
  try {
    await browser.page.waitForFunction(() => window.playgroundTest?.shown?.step > 0, null, { timeout });
  } catch (e) {
    const shown = await browser.page.evaluate(() => ({
      fatal: document.getElementById('fatal')?.textContent,
      banner: document.getElementById('scenario-error')?.textContent,
      training: window.playgroundTest?.shown?.training,
    })).catch(() => null);
    throw new Error(`${e.message}; the page showed ${JSON.stringify(shown)}; console errors: ${JSON.stringify(browser.errors)}`);
  }
}

/**
 * What the page shows of the run, read in one turn together with the engine's
 * figures (`window.playgroundTest.metrics()`), once the page has drawn the step the
 * engine is at: the scoreboard's rows (cell texts), the verdict, the charts'
 * text alternatives, and the metrics.
 */
export async function shownAndEngine(frameOrPage, timeout = 30000) {
  // One turn of the page's event loop reads both, and only once the page has
  // drawn the engine's step (a frame may fall between two turns while playing).
  const handle = await frameOrPage.waitForFunction(() => Number(document.getElementById('clock').dataset.step) === window.playgroundTest.metrics().step && ({
    step: Number(document.getElementById('clock').dataset.step),
    rows: [...document.querySelectorAll('#scoreboard tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)),
    verdict: document.getElementById('verdict').textContent,
    labels: Object.fromEntries(['capacity-canvas', 'latency-canvas', 'cost-canvas', 'curve-canvas', 'forecast-canvas']
      .map((id) => [id, document.getElementById(id).ariaLabel ?? document.getElementById(id).getAttribute('aria-label')])),
    m: window.playgroundTest.metrics(),
  }), null, { timeout });
  return handle.jsonValue();
}

/** The short name the page gives a world. */
export const shortName = (name) => ({ 'Elastic (RL)': 'Elastic', 'Elastic, no forecast': 'No forecast' })[name] ?? name;

/**
 * Asserts that `text`, a number as the page rounds it (with any number of
 * decimals), is `value` rounded: within half a unit of its last digit.
 */
export function assertShows(text, value, what) {
  const m = String(text).match(/^-?\d+(?:\.(\d+))?$/);
  if (!m) throw new assert.AssertionError({ message: `${what}: '${text}' is not a number as shown`, actual: text, expected: value });
  const half = 0.5 * 10 ** -(m[1]?.length ?? 0);
  assert.ok(Number.isFinite(value) && Math.abs(Number(text) - value) <= half * (1 + 1e-9), `${what}: shows ${text}, the engine has ${value}`);
}

/**
 * Asserts that every row of the scoreboard shows its world's figures from the
 * engine: name, cost, saving against Static, SLA-violation steps (count and %),
 * capacity changes, scale-ups early / late.
 */
export function assertScoreboard(rows, worlds) {
  assert.equal(rows.length, worlds.length, `${rows.length} rows for ${worlds.length} worlds`);
  rows.forEach((row, i) => {
    const w = worlds[i];
    const name = shortName(w.name);
    assert.equal(row.length, 6, `${name}: ${row}`);
    assert.equal(row[0], name);
    assertShows(row[1], w.cost, `${name}: cost`);
    if (w.name === 'Static' || w.saving_pct == null) assert.equal(row[2], '–', `${name}: saving`);
    else assertShows(row[2].replace(/\s%$/, ''), w.saving_pct, `${name}: saving`);
    // (The space before '%' is a no-break space, which \s matches.)
    const v = row[3].match(/^(\d+(?:\.\d)?) \((.+)\s%\)$/);
    assert.ok(v, `${name}: violations '${row[3]}'`);
    assertShows(v[1], w.sla_violation_steps, `${name}: SLA-violation steps`);
    assertShows(v[2], w.sla_violation_pct, `${name}: SLA-violation share`);
    assert.equal(row[4], String(w.capacity_changes), `${name}: capacity changes`);
    assert.equal(row[5], `${w.scale_ups.early} / ${w.scale_ups.late}`, `${name}: scale-ups early / late`);
  });
}
