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

