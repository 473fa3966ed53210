// The size budget of issue 6, the one figure the tests assert (timings are
// printed by `make bench`, never asserted): what the page loads from its server
// to start playing, wasm + JS + HTML + CSS, is at most 250 KB with gzip -9. Every
// file it loads until the trained agent plays is captured, whenever it arrives;
// the only files outside the budget are the presets' trained tables (JSON),
// listed with their size, and any other kind of file fails the test.
// On 2026-11-29: 246.8 KB (the wasm 220 KB, the JS 21 KB, HTML 3.8, CSS 1.6).
// On 2026-12-06: 247.8 KB (wasm 227,444 bytes, JS 19,215, HTML 4,460, CSS 2,585),
// from 282.2 KB after the merges of that day: the wasm reads and writes JSON
// with the core's own src/json/ (no serde_json in it), a scenario's tree is
// read along the table of knobs, the stylesheet is minified.
// On 2026-12-06 again: 243.2 KB (wasm 223,118 bytes, JS 18,365, HTML 4,740, CSS
// 2,790), from 256.0 KB after the page features merged later that day: short
// import and export names (scripts/short-names.mjs), a size-class allocator,
// no Debug in the decision makers' and forecasters' vtables, no standard stable
// sort. Then 249.2 KB (255,130 bytes: wasm 229,086, JS 18,514) once the agent's
// floor and the Oracle's plan merged and the allocator was taken back (the
// soak's heap grew 1.3 times with it). Then 249.7 KB (255,711 bytes: wasm
// 229,330, JS 18,851) with issue 26's lesson step on the forecast (in the
// verdict's words, not a second wording), the heatmap's 14 px labels and the
// build's ablation agents adopted. Then 249.9 KB (255,848 bytes: wasm 229,480,
// HTML 4,646, CSS 2,871) with issue 26's p95 strip under the capacity chart and
// "Change one thing" beside it. Then 256,755 bytes (wasm 230,387), over the
// budget, after the agent's merge of that day; 255,170 (wasm 228,829, JS
// 18,824) once the page drew a new seed itself (no getrandom in the wasm) and
// the charts' layer keys were no longer Debug-formatted; 255,502 with an
// opened moment's forensics headline; 255,577 with the lesson floating beside
// the heatmap on its step.
// `scripts/build-wasm.sh && node --test
// --test-reporter=./tests/e2e/reporter.mjs tests/e2e/size.test.mjs`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, transferred } from './harness.mjs';

const www = session();

// The budget is 250 KB. It was missed on 2026-12-01 (257.1 KB, guarded at 258
// KB while won back); on the same day the wasm lost its per-struct scenario
// deserializers and core's float parser: 231.9 KB (wasm 215.6, JS 11.6, HTML
// 3.1, CSS 1.7). Missed again from 2026-12-01 (the classroom page: 260.1 KB)
// to 2026-12-06 (282.2 KB), under a guard of 262 KB; met again on 2026-12-06
// (above), so the test asserts the budget itself.
const BUDGET = 250 * 1024;

test('the page loads at most 250 KB gzip of wasm, JS, HTML and CSS', async () => {
  const files = await transferred(www.url, { browser: www.browser });
  const counted = files.filter((f) => f.kind !== 'other');
  for (const f of files) console.log(`${f.path}: ${f.raw} bytes, ${f.gzip} gzip${f.kind === 'other' ? ' (not counted)' : ''}`);
  const total = counted.reduce((sum, f) => sum + f.gzip, 0);
  console.log(`wasm + JS + HTML + CSS: ${total} bytes, ${(total / 1024).toFixed(1)} KB gzip (budget ${BUDGET / 1024} KB: ${total <= BUDGET ? `met, ${BUDGET - total} bytes to spare` : `MISSED by ${total - BUDGET} bytes`})`);
  for (const kind of ['wasm', 'js', 'html', 'css']) assert.ok(counted.some((f) => f.kind === kind), `the page loaded no ${kind}`);
  const others = files.filter((f) => f.kind === 'other');
  assert.deepEqual(others.filter((f) => !/^\/pkg\/trained-[a-z-]+\.json$/.test(f.path)).map((f) => f.path), [], 'files outside the budget');
  console.log(`trained tables (JSON, outside the budget): ${(others.reduce((sum, f) => sum + f.gzip, 0) / 1024).toFixed(1)} KB gzip`);
  assert.ok(total <= BUDGET, `${total} bytes gzip, over the budget of ${BUDGET}`);
});
