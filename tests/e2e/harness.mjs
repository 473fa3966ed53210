// Shared by the end-to-end tests and `make screenshot`: serves www/ on loopback
// with Python's http.server, and drives /usr/bin/chromium with playwright-core.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

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

/**
 * Opens the page in a fresh Chromium profile. Collects console errors and page
 * errors into `errors`. `scale` is the device pixel ratio.
 */
export async function open(url, { width = 1400, height = 1800, scale = 1 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'playground-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: { width, height },
    deviceScaleFactor: scale,
  });
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(url);
  return {
    page,
    context,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the page's training is done and it plays. */
export async function waitTrained(page, timeout = 60000) {
  await page.waitForFunction(() => {
    const app = window.playground;
    return app?.pg && !app.training && app.metrics?.training.done;
  }, null, { timeout });
}

/** The step counter as the page shows it. */
export async function shownStep(page) {
  return Number(await page.locator('#clock').getAttribute('data-step'));
}

/** Pauses (if playing) and waits for the page to settle. */
export async function pause(page) {
  if ((await page.locator('#play').textContent()) === 'Pause') await page.click('#play');
  await page.waitForFunction(() => !window.playground.playing);
}


/** A share link (the hash, without '#') in the v1 format of a payload {s, v}. */
export function linkOf(payload) {
  return `v1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
}

/**
 * Clicks a copy button (with the clipboard allowed) and returns what it put on
 * the clipboard.
 */
export async function copiedText(page, selector) {
  const origin = new URL(page.url()).origin;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], origin === 'null' ? {} : { origin });
  await page.evaluate(() => { document.getElementById('share-status').textContent = ''; });
  await page.click(selector);
  await page.waitForFunction(() => document.getElementById('share-status').textContent !== '');
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Clicks a download button; resolves to the file's name and bytes. */
export async function downloaded(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

/**
 * What the page (index.html) loads from its server until it plays and `settleMs`
 * after: one entry per file, { path, kind (wasm, js, html, css or other), raw,
 * gzip } in bytes, gzip at level 9, largest first. Used by tests/e2e/size.test.mjs
 * and scripts/bench-browser.mjs.
 */
export async function transferred(url, settleMs = 3000) {
  const { gzipSync, constants } = await import('node:zlib');
  const b = await open('about:blank');
  const bodies = new Map();
  const pending = [];
  b.page.on('response', (r) => {
    if (!r.url().startsWith(url)) return;
    // A redirect or an aborted response has no body: it transfers nothing here.
    pending.push(r.body().then((body) => bodies.set(new URL(r.url()).pathname, body), () => {}));
  });
  try {
    await b.page.goto(`${url}index.html`);
    await b.page.waitForFunction(() => window.playground?.pg, null, { timeout: 30000 });
    await b.page.waitForTimeout(settleMs);
    await Promise.all(pending);
  } finally {
    await b.close();
  }
  const kind = (path) => (path.endsWith('.wasm') ? 'wasm' : /\.m?js$/.test(path) ? 'js' : path.endsWith('.css') ? 'css' : /(\.html|\/)$/.test(path) ? 'html' : 'other');
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
    await browser.page.waitForFunction(() => window.playground?.metrics?.step > 0, null, { timeout });
  } catch (e) {
    const shown = await browser.page.evaluate(() => ({
      fatal: document.getElementById('fatal')?.textContent,
      banner: document.getElementById('scenario-error')?.textContent,
      training: window.playground?.metrics?.training,
    })).catch(() => null);
    throw new Error(`${e.message}; the page showed ${JSON.stringify(shown)}; console errors: ${JSON.stringify(browser.errors)}`);
  }
}
