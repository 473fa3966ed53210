// Hostile links in the page: a link that names a file for its trace is refused
// with a message naming the field, nothing is fetched for it, and the run goes
// on (the default preset on opening; the run that was playing when the address
// is edited); what the message echoes of the link is escaped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, waitTrained, waitPlayed, linkOf } from './harness.mjs';

const www = session();

const banner = (page) => page.locator('#scenario-error').textContent();
const replayOf = (source) => linkOf({ s: { workload: { family: 'replay', replay: { source } } }, v: { autoplay: true } });

test('a link naming a file is refused before anything is fetched, and the preset plays', () => www.withPage(`#${replayOf('../../../etc/passwd')}`, async ({ page, errors }) => {
  await waitPlayed({ page, errors });
  const text = await banner(page);
  assert.match(text, /^The link could not be read \(the link's scenario: invalid scenario:\n {2}workload\.replay\.source = "\.\.\/\.\.\/\.\.\/etc\/passwd": a link names no file: it may replay only a trace shipped with the playground \(azure-conv, azure-code/);
  assert.match(text, /; showing the diurnal preset instead\.$/);
  assert.equal(await page.evaluate(() => JSON.parse(window.playgroundTest.scenarioJson()).workload.family), 'diurnal');
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.deepEqual(fetched.filter((url) => /passwd|etc/.test(url)), []);
  assert.deepEqual(errors, []);
}));

test('a link edited in the address bar to name a file is refused, escaped, and the run goes on', () => www.withPage('', async ({ page, errors }) => {
  await waitTrained(page);
  await page.waitForFunction(() => window.playgroundTest.playing && window.playgroundTest.shown.step > 5);
  const before = await page.evaluate(() => ({
    hash: location.hash, run: window.playgroundTest.run, scenario: window.playgroundTest.scenarioJson(), step: window.playgroundTest.shown.step,
  }));
  await page.evaluate((hash) => { location.hash = hash; }, replayOf('/tmp/\u001b[2J\u0007trace.csv'));
  await page.waitForFunction(() => document.getElementById('scenario-error').textContent.length > 0);
  const text = await banner(page);
  assert.match(text, /^The link could not be read \(the link's scenario: invalid scenario:\n {2}workload\.replay\.source = "\/tmp\/\\e\[2J\\u\{7\}trace\.csv": a link names no file/);
  assert.match(text, /; the run goes on unchanged\.$/);
  assert.ok(![...text].some((c) => c < ' ' && c !== '\n'), JSON.stringify(text));
  // The same run, still playing; the address is its own link again.
  assert.equal(await page.evaluate(() => window.playgroundTest.run), before.run);
  assert.equal(await page.evaluate(() => window.playgroundTest.scenarioJson()), before.scenario);
  await page.waitForFunction((s) => window.playgroundTest.playing && window.playgroundTest.shown.step > s + 10, before.step);
  assert.match(await page.evaluate(() => location.hash), /^#v1\./);
  assert.equal(await page.evaluate(() => location.hash), before.hash);
  assert.deepEqual(errors, []);
}));
