#!/usr/bin/env node
// The browser half of `make bench` (and of `make soak` with --soak): serves www/,
// opens the bench mode (www/bench.html) in headless Chromium with the test harness,
// runs its figures, times the real page's first frame, sums what the page
// transfers, and prints one table with the page's budgets, each met or missed;
// with target/bench/native.json (written by `cargo bench --bench budgets`) the
// wasm figures carry their ratio to native.
//
//   node scripts/bench-browser.mjs                 the figures and the budgets
//   node scripts/bench-browser.mjs --soak [STEPS]  only the heap soak (default 2 M)
//   node scripts/bench-browser.mjs --first-frame [RUNS]  only the first frame (default 5 loads)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, open, transferred, ROOT } from '../tests/e2e/harness.mjs';

const KB = 1024;
const args = process.argv.slice(2);
const soakAt = args.indexOf('--soak');
const soakSteps = soakAt < 0 ? null : Number(args[soakAt + 1] ?? 2_000_000);
const firstAt = args.indexOf('--first-frame');
const firstRuns = firstAt < 0 ? null : Number(args[firstAt + 1] ?? 5);

function nativeFigures() {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'target', 'bench', 'native.json'), 'utf8'));
  } catch {
    return {};
  }
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const fmt = (v, digits = 2) => (v == null || !Number.isFinite(v) ? '-' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/**
 * Time from navigation to the page's first drawn frame (ms), median of `runs`
 * fresh loads, and where the last load spent it: when each file had arrived and
 * the DOM was ready (ms after navigation).
 */
async function firstFrame(url, runs = 5) {
  const times = [];
  let phases = {};
  for (let i = 0; i < runs; i++) {
    const b = await open(`${url}index.html`);
    try {
      const t = await b.page.waitForFunction(() => performance.getEntriesByName('first-frame')[0]?.startTime, null, { timeout: 30000 });
      times.push(await t.jsonValue());
      phases = await b.page.evaluate(() => Object.fromEntries([
        ['DOM ready', performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd],
        // The first load of each file (the worker loads the glue again later).
        ...performance.getEntriesByType('resource').reverse().map((e) => [`${e.name.split('/').pop()} arrived`, e.responseEnd]),
      ]));
    } finally {
      await b.close();
    }
  }
  return { median: median(times), phases };
}

function table(rows) {
  const head = ['figure', 'browser', 'native', 'ratio', 'budget', 'met'];
  const all = [head, ...rows.map((r) => [r.figure, r.browser ?? '-', r.native ?? '-', r.ratio ?? '-', r.budget ?? '', r.met == null ? '' : r.met ? 'met' : 'MISSED'])];
  const widths = head.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  return all.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')).join('\n');
}

async function soak(url, steps) {
  const b = await open(`${url}bench.html`);
  try {
    await b.page.waitForFunction(() => window.bench?.ready, null, { timeout: 30000 });
    const r = await b.page.evaluate((n) => window.bench.soak(n), steps);
    const mb = (x) => (x == null ? '-' : `${(x / KB / KB).toFixed(1)} MB`);
    // "flat" only when measured: without the 1 M-step figure (fewer steps played)
    // nothing was compared, and the soak fails.
    const compared = r.heap1m != null && r.heapEnd != null;
    const flat = compared && r.heapEnd <= r.heap1m;
    const memory = !compared ? 'memory NOT COMPARED (the 1 M-step mark was never reached: give more than 1,000,000 steps)'
      : `wasm heap ${mb(r.heap1m)} after 1 M steps, ${mb(r.heapEnd)} at the end: ${flat ? 'flat' : 'GREW'}`;
    console.log(`browser soak: ${r.steps.toLocaleString('en-US')} steps of the page's engine (runs of 1 M steps) in ${r.seconds.toFixed(0)} s; `
      + `${memory}; figures ${r.finite ? 'all finite' : 'NOT ALL FINITE'}`);
    if (b.errors.length) console.log(`page errors: ${b.errors.join('; ')}`);
    return r.finite && flat && b.errors.length === 0;
  } finally {
    await b.close();
  }
}

async function bench(url) {
  const native = nativeFigures();
  const b = await open(`${url}bench.html`);
  let figures;
  try {
    await b.page.waitForFunction(() => window.bench?.ready, null, { timeout: 30000 });
    process.stderr.write('bench: simulation, training and forecasters in wasm...\n');
    const core = await b.page.evaluate(() => window.bench.core());
    process.stderr.write('bench: dashboard render...\n');
    const render = await b.page.evaluate(() => window.bench.render());
    figures = { core, render };
    if (b.errors.length) throw new Error(`the bench page failed: ${b.errors.join('; ')}`);
  } finally {
    await b.close();
  }
  process.stderr.write('bench: first frame and transfer sizes...\n');
  const first = await firstFrame(url);
  const files = await transferred(url);
  const counted = files.filter((f) => f.kind !== 'other');
  const sum = (list, k) => list.reduce((a, f) => a + f[k], 0);

  const { core, render } = figures;
  const rows = [];
  const ratio = (w, n) => (n ? `${fmt(w / n)}x` : '-');
  const sim = (figure, w, n, unit) => {
    rows.push({ figure: `${figure} (${unit})`, browser: fmt(w, 0), native: n == null ? '-' : fmt(n, 0), ratio: ratio(w, n), budget: '>= 0.6x', met: n ? w / n >= 0.6 : null });
  };
  sim('fluid world-steps', core.fluid, native.fluid_steps_per_s, '/s');
  sim('judge steps, 5 worlds', core.judge, native.judge_steps_per_s, '/s');
  sim('exact physics requests', core.exact, native.exact_requests_per_s, '/s');
  const e = core.trainEpisodes;
  rows.push({ figure: `training, ${e} episodes x 4,320 steps (s)`, browser: fmt(core.train), native: fmt(native.train20_s), ratio: native.train20_s ? `${fmt(core.train / native.train20_s)}x slower` : '-' });
  // 200 episodes in the browser: native's 200 scaled by the measured wasm/native
  // ratio over the first episodes (early episodes explore more, so they cost more
  // than late ones; scaling the native 200 keeps that right).
  const train200 = native.train200_s && native.train20_s ? native.train200_s * core.train / native.train20_s : core.train * 200 / e;
  rows.push({ figure: 'training, 200 episodes x 4,320 steps (s, estimated)', browser: fmt(train200), native: fmt(native.train200_s), budget: '<= 0.5 s', met: train200 <= 0.5 });
  for (const [name, us] of Object.entries(core.forecasters)) {
    const n = native[`forecaster_${name.replace('-', '_')}_us`];
    rows.push({ figure: `forecaster step, ${name} (us)`, browser: fmt(us, 3), native: fmt(n, 3), ratio: n ? `${fmt(us / n)}x slower` : '-', budget: ['lstm', 'tcn'].includes(name) ? '<= 50 us' : '', met: ['lstm', 'tcn'].includes(name) ? us <= 50 : null });
  }
  rows.push({ figure: 'forensics per call, step 2,160 (ms)', native: fmt(native.forensics_ms) });
  rows.push({ figure: 'heatmap data per call (us)', native: fmt(native.heatmap_us) });
  for (const [label, r] of [['start of run', render.start], [`${render.steps.toLocaleString('en-US')}-step window`, render.full]]) {
    rows.push({ figure: `dashboard render, ${label}, median (ms)`, browser: fmt(r.median), budget: '<= 4 ms', met: r.median <= 4 });
    rows.push({ figure: `dashboard render, ${label}, p95 (ms)`, browser: fmt(r.p95), budget: '<= 8 ms', met: r.p95 <= 8 });
  }
  rows.push({ figure: 'first frame after navigation, median of 5 (ms)', browser: fmt(first.median, 0), budget: '<= 300 ms', met: first.median <= 300 });
  for (const [what, ms] of Object.entries(first.phases)) rows.push({ figure: `  of which (last load): ${what} (ms)`, browser: fmt(ms, 0) });
  for (const kind of ['wasm', 'js', 'html', 'css']) {
    const of = counted.filter((f) => f.kind === kind);
    rows.push({ figure: `transfer ${kind} (${of.map((f) => f.path.split('/').pop()).join(', ')}), raw / gzip (KB)`, browser: `${fmt(sum(of, 'raw') / KB, 1)} / ${fmt(sum(of, 'gzip') / KB, 1)}` });
  }
  const total = sum(counted, 'gzip');
  rows.push({ figure: 'transfer wasm + JS + HTML + CSS, gzip -9 (KB)', browser: fmt(total / KB, 1), budget: '<= 250 KB', met: total <= 250 * KB });
  for (const f of files.filter((f) => f.kind === 'other')) rows.push({ figure: `also loaded: ${f.path} (not counted), raw / gzip (KB)`, browser: `${fmt(f.raw / KB, 1)} / ${fmt(f.gzip / KB, 1)}` });
  rows.push({ figure: 'wasm heap after 1 M and 10 M steps: `make soak`', browser: '' });
  console.log(`browser: headless Chromium (${process.env.CHROMIUM ?? '/usr/bin/chromium'}), page served from 127.0.0.1, device pixel ratio 1, 1400 x 1800 viewport`);
  console.log(table(rows));
}

const server = await serve();
try {
  if (soakSteps != null) {
    if (!(await soak(server.url, soakSteps))) process.exitCode = 1;
  } else if (firstRuns != null) {
    const first = await firstFrame(server.url, firstRuns);
    console.log(table([
      { figure: `first frame after navigation, median of ${firstRuns} (ms)`, browser: fmt(first.median, 0), budget: '<= 300 ms', met: first.median <= 300 },
      ...Object.entries(first.phases).map(([what, ms]) => ({ figure: `  of which (last load): ${what} (ms)`, browser: fmt(ms, 0) })),
    ]));
  } else {
    await bench(server.url);
  }
} finally {
  server.close();
}
