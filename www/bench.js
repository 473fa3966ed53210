// The bench mode (bench.html): runs each figure of src/web/bench.rs, the
// dashboard's render time and the heap soak, on the page's wasm built with the
// bench functions (scripts/build-wasm.sh --bench: www/pkg-bench/). The figures
// are returned to scripts/bench-browser.mjs through `window.bench`, and shown on
// the page by the Run button.

import init, {
  Playground, presetScenario, applyOverrides,
  benchFluid, benchExact, benchTraining, benchJudge, benchForecaster, benchRender,
} from './pkg-bench/autoscale_playground.js';

const CANVASES = {
  capacity: 'capacity-canvas', latency: 'latency-canvas', cost: 'cost-canvas', heatmap: 'heatmap-canvas',
  forecast: 'forecast-canvas', curve: 'curve-canvas', forensics: 'forensics-canvas',
};
const FORECASTERS = ['naive', 'moving-average', 'seasonal', 'lstm', 'tcn'];

const wasm = await init();
/** The wasm heap in bytes: its linear memory grows and never shrinks. */
const heap = () => wasm.memory.buffer.byteLength;

/** Median and 95th percentile of a list of numbers. */
function quantiles(v) {
  const s = [...v].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95), frames: s.length };
}

/** The page's opening scenario (diurnal, 30 training episodes), with overrides. */
function playground(overrides = []) {
  return new Playground(applyOverrides(presetScenario('diurnal'), overrides), CANVASES, null);
}

/** Render time per frame at the start of a run and over a full 4,320-step run. */
function render(frames = 120) {
  const pg = playground();
  while (pg.train(10) > 0);
  const start = quantiles(benchRender(pg, frames));
  const steps = pg.metrics().steps;
  pg.step(steps - frames - pg.metrics().step);
  const full = quantiles(benchRender(pg, frames));
  pg.free();
  return { start, full, steps };
}

/**
 * Plays the page's engine (four worlds, the chart history, the agent learning
 * live) for `total` steps on runs of `runSteps` steps, restarting each at its end
 * as the page's reset does; the heap after the first million steps and at the end,
 * and whether every figure stayed finite.
 */
async function soak(total, runSteps = 1000000, chunk = 50000) {
  const pg = playground([`steps=${runSteps}`]);
  pg.setLearnLive(true);
  const t0 = performance.now();
  let played = 0, finite = true, heap1m = null;
  const allFinite = () => pg.metrics().worlds.every((w) =>
    [w.cost, w.replica_hours, w.dropped, w.mean_utilisation, w.total_reward].every(Number.isFinite)
    && (w.p95_s == null || Number.isFinite(w.p95_s)));
  while (played < total) {
    const n = pg.step(Math.min(chunk, total - played));
    if (n === 0) {
      finite &&= allFinite();
      pg.reset();
      // The first million steps include the restart that ends them: its memory
      // is part of the steady state.
      if (played === 1000000) heap1m = heap();
      continue;
    }
    played += n;
    // Yields to the event loop now and then, so the tab stays alive.
    await new Promise((r) => setTimeout(r, 0));
  }
  finite &&= allFinite();
  if (played === 1000000) heap1m = heap();
  const result = { steps: played, seconds: (performance.now() - t0) / 1e3, heap1m, heapEnd: heap(), finite };
  pg.free();
  return result;
}

function core({ trainEpisodes = 20 } = {}) {
  const forecasters = {};
  for (const f of FORECASTERS) forecasters[f] = benchForecaster(f, 5);
  return {
    fluid: benchFluid(9),
    exact: benchExact(3),
    judge: benchJudge(3),
    trainEpisodes,
    train: benchTraining(trainEpisodes),
    forecasters,
  };
}

window.bench = { ready: true, heap, core, render, soak };

document.getElementById('run').addEventListener('click', async () => {
  const out = document.getElementById('out');
  out.textContent = 'running...';
  await new Promise((r) => setTimeout(r, 50));
  const figures = { core: core(), render: render(), heap: heap() };
  out.textContent = JSON.stringify(figures, null, 2);
});
