// The real-trace presets in the page: the trace is fetched only when its preset
// is chosen, never with the page; the build's training of the preset is adopted;
// what the importer read is shown under the file's name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, waitTrained } from './harness.mjs';

const www = session();

test('a real-trace preset fetches its trace when chosen, plays its build training and shows what was read', () => www.withPage('', async ({ page, errors }) => {
  const fetched = [];
  page.on('request', (r) => { if (r.url().includes('/traces/')) fetched.push(new URL(r.url()).pathname); });
  await waitTrained(page);
  assert.deepEqual(fetched, [], 'the first load fetches no trace');
  assert.equal(await page.locator('#trace-report').textContent(), '');

  await page.selectOption('#preset', 'azure-conv');
  await page.waitForFunction(() => /19,366 requests/.test(document.getElementById('trace-report').textContent));
  await waitTrained(page);
  assert.deepEqual(fetched, ['/traces/azure-llm-2023/AzureLLMInferenceTrace_conv.csv']);
  assert.equal(await page.locator('#trace-name').textContent(), 'replaying traces/azure-llm-2023/AzureLLMInferenceTrace_conv.csv');
  assert.equal(
    await page.locator('#trace-report').textContent(),
    'read 19,366 requests over 58.4 min: mean 332/min, peak 502/min; timestamps as dates and times; 0.0 % on repeated timestamps; token columns: ContextTokens, GeneratedTokens',
  );
  const state = await page.evaluate(() => ({
    trainedBy: window.playgroundTest.trainedBy,
    preset: document.getElementById('preset').value,
    replay: JSON.parse(window.playgroundTest.scenarioJson()).workload.replay,
  }));
  assert.equal(state.trainedBy, 'build', 'the build trained this preset');
  assert.equal(state.preset, 'azure-conv');
  assert.equal(state.replay.rate_scale, 5);
  assert.equal(state.replay.spread, 'even');

  // Back and forth: the other trace is fetched once, this one not again.
  await page.selectOption('#preset', 'azure-code');
  await page.waitForFunction(() => /8,819 requests/.test(document.getElementById('trace-report').textContent));
  await page.selectOption('#preset', 'diurnal');
  await page.waitForFunction(() => document.getElementById('trace-report').textContent === '');
  assert.deepEqual(fetched, ['/traces/azure-llm-2023/AzureLLMInferenceTrace_conv.csv', '/traces/azure-llm-2023/AzureLLMInferenceTrace_code.csv']);

  // A chosen file's guesses and warnings are shown too.
  await page.setInputFiles('#trace-file', { name: 'two.csv', mimeType: 'text/csv', buffer: Buffer.from('0\n0\n') });
  await page.waitForFunction(() => /warning:/.test(document.getElementById('trace-report').textContent));
  const report = await page.locator('#trace-report').textContent();
  assert.match(report, /^read 2 requests over 0\.0 s: no mean rate \(no length\)/);
  assert.match(report, /\nguessed: no header, whole numbers, and a row has 1 column/);
  assert.match(report, /\nwarning: all 2 requests share one timestamp/);
  assert.deepEqual(errors, []);
}));
