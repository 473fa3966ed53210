// The single-file build: one HTML file, opened from file://, trains and plays
// with nothing beside it and nothing refused by its own security policy.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { session, waitTrained, linkOf, ROOT, shownAndEngine, assertScoreboard } from './harness.mjs';

const FILE = join(ROOT, 'dist', 'autoscale-playground.html');
// A browser, and no server: the file is opened from file://.
const www = session({ serve: false });

before(() => {
  const run = spawnSync('node', [join(ROOT, 'scripts', 'build-single.mjs')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

test('the single file inlines everything and admits only its own inline code', () => {
  const html = readFileSync(FILE, 'utf8');
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
  assert.ok(csp, 'no policy');
  assert.match(csp[1], /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*' 'wasm-unsafe-eval'; worker-src blob:; style-src 'sha256-[A-Za-z0-9+/]+=*';/);
  assert.equal((html.match(/http-equiv="Content-Security-Policy"/g) ?? []).length, 1);
  assert.doesNotMatch(html, /<script[^>]* src=|<link rel="stylesheet"/);
  assert.equal((html.match(/<script type="module">/g) ?? []).length, 1);
});

// Opens `url`, waits until the trained agent plays, and checks where its training
// came from (`trainedBy`: 'build' for a preset's table adopted at load, 'page'
// for training in the page's worker, which is started only then) and what the
// scoreboard shows.
async function plays(url, { worker, trainedBy, episodes }) {
  await www.withPage(url, async ({ page, errors }) => {
    await waitTrained(page);
    await page.waitForFunction(() => window.playgroundTest.shown.step > 50, null, { timeout: 60000 });
    const state = await page.evaluate(() => ({
      worker: window.playgroundTest.worker,
      trainedBy: window.playgroundTest.trainedBy,
      episodes: window.playgroundTest.shown.training.episode,
      rows: [...document.querySelectorAll('#scoreboard tbody tr')].map((tr) => tr.cells[1].textContent),
    }));
    assert.equal(state.worker, worker);
    assert.equal(state.trainedBy, trainedBy);
    assert.equal(state.episodes, episodes);
    assert.equal(state.rows.length, 5);
    // The scoreboard shows the engine's figures.
    const shown = await shownAndEngine(page);
    assertScoreboard(shown.rows, shown.m.worlds);
    assert.equal(await page.locator('#fatal').isHidden(), true);
    assert.deepEqual(errors, []);
  });
}

test('opened from file://, the single file plays the preset trained at build time', async () => {
  await plays(pathToFileURL(FILE).href, { worker: false, trainedBy: 'build', episodes: 200 });
});

test('opened from file:// with a link, the single file trains in its worker and plays', async () => {
  const hash = linkOf({ s: { seed: 4, agent: { episodes: 2 } }, v: { autoplay: true } });
  await plays(`${pathToFileURL(FILE).href}#${hash}`, { worker: true, trainedBy: 'page', episodes: 2 });
});
