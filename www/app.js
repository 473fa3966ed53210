// The page: a requestAnimationFrame loop that plays (`speed` steps per frame,
// within a time budget) and renders, while a worker (trainer.js) trains the agent
// and hands its table over; and the controls. Everything long-lived is in the
// wasm `Playground`; this file only routes events to it.

import init, { Playground, presetScenario, applyOverrides, encodeLink, decodeLink, replayScenario, replayMaxBytes } from './pkg/autoscale_playground.js';

const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const CANVASES = {
  capacity: 'capacity-canvas',
  latency: 'latency-canvas',
  cost: 'cost-canvas',
  heatmap: 'heatmap-canvas',
  forecast: 'forecast-canvas',
  curve: 'curve-canvas',
  forensics: 'forensics-canvas',
};
// Work per frame stops after this much time: stepping (a step of four worlds
// takes about half a millisecond) and training on the page's thread when there is
// no worker (an episode may take longer).
const FRAME_BUDGET_MS = 10;
// While playing, the screen-reader texts change at most this often.
const ANNOUNCE_EVERY_MS = 3000;

const $ = (id) => document.getElementById(id);

// Embedded (`?embed=1`): the compact layout (style.css), no keyboard shortcuts and
// no storage. The page uses no storage at all, so the host's settings never matter.
const EMBED = new URLSearchParams(location.search).get('embed') === '1';
// The height of the embed snippet's iframe: the compact layout at 400 px wide.
const EMBED_HEIGHT_PX = 800;

const app = {
  pg: null,
  playing: false,
  // Training in progress: in the worker (`worker`) or, without one, on this thread.
  training: false,
  worker: null,
  trainingId: 0,
  progress: null,
  dirty: true,
  dead: false,
  speed: 10,
  played: 10,
  // From a share link: hide the scenario controls; fast-forward to this step once trained.
  hideControls: false,
  startStep: 0,
  fastForwardTo: null,
  announcedAt: -Infinity,
  grid: { bins: 5, max: 20 },
  // Counts loads, so that a late answer for a replaced scenario is ignored.
  loads: 0,
  // Where the agent's first training came from: 'build' (a preset's, prebuilt)
  // or 'page' (trained here).
  trainedBy: null,
  // Whether the Elastic world's forecaster is pre-trained (at once unless learned).
  fitted: true,
  forecaster: '',
  cursor: null,
  metrics: null,
  // The trace file read last, {name, text}: a replay scenario's data, which its
  // link cannot carry.
  replay: null,
};
// A handle for the end-to-end tests and the curious.
window.playground = app;

function stop(message) {
  app.dead = true;
  const fatal = $('fatal');
  fatal.textContent = message;
  fatal.hidden = false;
}

window.addEventListener('playground-panic', (e) => stop(`The simulation stopped on an internal error: ${e.detail}`));

const message = (e) => String(e?.message ?? e);

// ---- the loop ----

function frame() {
  if (app.dead) return;
  try {
    const pg = app.pg;
    const start = performance.now();
    const spent = () => performance.now() - start;
    if (!app.fitted) {
      // A learned forecaster pre-trains first, a few mini-batches per frame; the
      // run waits for it (and restarts with it, if training ended meanwhile).
      while (spent() < FRAME_BUDGET_MS && !(app.fitted = pg.fit(1)));
      app.dirty = true;
    } else if (app.training && !app.worker) {
      while (spent() < FRAME_BUDGET_MS && pg.train(1) > 0);
      if (pg.metrics().training.done) trained();
      app.dirty = true;
    } else if (app.fastForwardTo != null) {
      let left = app.fastForwardTo - pg.metrics().step;
      while (left > 0 && spent() < FRAME_BUDGET_MS) {
        const n = pg.step(Math.min(left, 10));
        if (n === 0) break;
        left -= n;
      }
      if (left <= 0 || pg.metrics().finished) app.fastForwardTo = null;
      app.dirty = true;
    } else if (app.playing) {
      let played = 0;
      while (played < app.speed && spent() < FRAME_BUDGET_MS) {
        const n = pg.step(Math.min(app.speed - played, 10));
        if (n === 0) break;
        played += n;
      }
      // Smoothed, for the speed's label.
      app.played = Math.round(0.8 * app.played + 0.2 * played);
      app.dirty = true;
    }
    if (app.dirty) {
      app.dirty = false;
      pg.render();
      // The first drawn frame, for scripts/bench-browser.mjs.
      if (!performance.getEntriesByName('first-frame').length) performance.mark('first-frame');
      update();
      if (app.playing && app.metrics.finished) setPlaying(false);
    }
  } catch (e) {
    stop(`The simulation stopped: ${message(e)}`);
    return;
  }
  requestAnimationFrame(frame);
}

// ---- what the page shows besides the canvases ----

function clock(m, dt) {
  const t = m.step * dt;
  const day = Math.floor(t / 86400) + 1;
  const hh = String(Math.floor((t % 86400) / 3600)).padStart(2, '0');
  const mm = String(Math.floor((t % 3600) / 60)).padStart(2, '0');
  return `step ${m.step} of ${m.steps} · day ${day}, ${hh}:${mm}`;
}

function update() {
  const m = app.pg.metrics();
  app.metrics = m;
  $('clock').textContent = clock(m, app.dt);
  $('clock').dataset.step = m.step;
  const t = app.training && app.progress ? app.progress : m.training;
  const progress = $('train-progress');
  progress.max = Math.max(t.episodes, 1);
  progress.value = t.episode;
  $('train-status').textContent = !app.fitted
    ? `pre-training the ${app.forecaster} forecaster: mini-batch ${m.fit.done} of ${m.fit.total}`
    : !app.training
    ? `trained: ${t.episode} episodes`
    : `training: episode ${t.episode} of ${t.episodes}${app.worker ? '; Elastic plays with its table so far, and the run restarts when training ends' : ''}`;
  $('play').textContent = app.playing ? 'Pause' : 'Play';
  showSpeed();
  scoreboard(m.worlds);
  const words = verdict(m.worlds);
  if ($('verdict').textContent !== words) $('verdict').textContent = words;
  const now = performance.now();
  if (!app.playing || now - app.announcedAt > ANNOUNCE_EVERY_MS) {
    app.announcedAt = now;
    announce(m);
  }
}

const fmt = (v, digits) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const short = (name) => (name === 'Elastic (RL)' ? 'Elastic' : name);

function scoreboard(worlds) {
  const body = $('scoreboard').tBodies[0];
  const rows = worlds.map((w) => [
    short(w.name),
    fmt(w.cost, 2),
    w.saving_pct == null || w.name === 'Static' ? '–' : `${fmt(w.saving_pct, 1)} %`,
    `${w.sla_violation_steps} (${fmt(w.sla_violation_pct, 1)} %)`,
    String(w.capacity_changes),
  ]);
  if (body.rows.length !== rows.length) {
    body.replaceChildren(...rows.map((r) => {
      const tr = document.createElement('tr');
      tr.className = r[0].toLowerCase();
      r.forEach((_, i) => tr.appendChild(document.createElement(i === 0 ? 'th' : 'td')));
      tr.cells[0].scope = 'row';
      return tr;
    }));
  }
  rows.forEach((r, i) => r.forEach((text, j) => {
    const cell = body.rows[i].cells[j];
    if (cell.textContent !== text) cell.textContent = text;
  }));
}

// The scoreboard in words, as plainly as the table: the Elastic world against
// Static, against Rule (whichever wins, and at what price in violations) and
// against the Oracle's floor.
function verdict(worlds) {
  const world = (name) => worlds.find((w) => w.name === name);
  const [el, st, rule, oracle] = ['Elastic (RL)', 'Static', 'Rule', 'Oracle'].map(world);
  if (!el || !st || !(st.cost > 0) || !(el.cost > 0)) return '';
  const pct = (a, b) => `${Math.abs(100 * (a - b) / b).toFixed(1)} %`;
  const v = (w) => w.sla_violation_steps;
  const words = [`Elastic costs ${pct(el.cost, st.cost)} ${el.cost <= st.cost ? 'less' : 'more'} than Static, with ${v(el)} SLA-violation steps (Static ${v(st)}).`];
  if (rule && shown('Rule') && rule.cost > 0) {
    const cheaper = el.cost <= rule.cost;
    const fewer = v(el) <= v(rule);
    if (cheaper && fewer) words.push(`It beats Rule: ${pct(el.cost, rule.cost)} cheaper, with no more violations (${v(el)} against ${v(rule)}).`);
    else if (!cheaper && v(rule) <= v(el)) words.push(`Rule beats it on this run: ${pct(rule.cost, el.cost)} cheaper, with no more violations (${v(rule)} against ${v(el)}).`);
    else if (cheaper) words.push(`It is ${pct(el.cost, rule.cost)} cheaper than Rule but breaks the SLA more often (${v(el)} steps against ${v(rule)}).`);
    else words.push(`Rule is ${pct(rule.cost, el.cost)} cheaper but breaks the SLA more often (${v(rule)} steps against ${v(el)}).`);
  }
  if (oracle && shown('Oracle') && oracle.cost > 0) words.push(`It costs ${pct(el.cost, oracle.cost)} ${el.cost >= oracle.cost ? 'more' : 'less'} than the Oracle (perfect foresight).`);
  return words.join(' ');
}

// The forensics mirror and the charts' text alternatives; throttled while
// playing, so that a screen reader is not flooded.
function announce(m) {
  const text = app.pg.forensicsText();
  const mirror = $('forensics-text');
  if (mirror.textContent !== text) mirror.textContent = text;
  const now = m.now.filter((w) => shown(w.name));
  $('capacity-canvas').ariaLabel = `Capacity at ${clock(m, app.dt)}: `
    + now.map((w) => `${short(w.name)} ${w.provisioned} replicas${w.booting ? ` (${w.booting} booting)` : ''}`).join(', ')
    + (m.demand_replicas == null ? '' : `; demand worth ${m.demand_replicas.toFixed(1)} replicas.`);
  $('latency-canvas').ariaLabel = `p95 latency of the last step: `
    + now.map((w) => `${short(w.name)} ${fmt(w.p95, 1)} s`).join(', ') + `; SLA ${app.sla} s.`;
  $('cost-canvas').ariaLabel = 'Cost so far: '
    + m.worlds.filter((w) => shown(w.name)).map((w) => `${short(w.name)} ${fmt(w.cost, 0)}`).join(', ') + '.';
  const t = m.training;
  $('curve-canvas').ariaLabel = t.last_reward == null ? 'Learning curve: no training yet.'
    : `Learning curve: ${t.episode} episodes, the last one's reward ${t.last_reward.toFixed(0)}.`;
  const f = m.forecast;
  $('forecast-canvas').ariaLabel = 'Forecast against actual demand over the last three hours'
    + (f ? `; mean absolute error so far ${f.mae.toFixed(2)} req/s, ${f.horizon} steps ahead (the last value seen: ${f.persistence_mae.toFixed(2)}).` : '.');
}

function shown(name) {
  if (name === 'Rule') return $('show-rule').checked;
  if (name === 'Oracle') return $('show-oracle').checked;
  return true;
}

// ---- controls ----

// The speed asked for, and what the frame budget allowed when that was less.
function showSpeed() {
  const asked = `${app.speed} step${app.speed === 1 ? '' : 's'}/frame`;
  $('speed').setAttribute('aria-valuetext', asked);
  const capped = app.playing && app.played < app.speed && !app.metrics?.finished;
  const words = capped ? `${asked} (about ${app.played} fit in a frame)` : asked;
  if ($('speed-out').textContent !== words) $('speed-out').textContent = words;
}

function setPlaying(on) {
  if (app.dead || (on && app.training && !app.worker)) return;
  if (on && app.pg.metrics().finished) app.pg.reset();
  app.playing = on;
  app.announcedAt = -Infinity;
  app.dirty = true;
}

// Pins the counterfactual forensics of the latest decision. It replays the run so
// far (a fraction of a second late in a run), so only on request, after a paint.
function explainCurrent() {
  setPlaying(false);
  const step = app.pg.metrics().step;
  if (step < 2) {
    $('forensics-text').textContent = 'Nothing to explain yet: play a few steps first.';
    return;
  }
  $('forensics-text').textContent = `Replaying the run to explain step ${step - 1} ...`;
  setTimeout(() => {
    try {
      app.pg.explain(step - 1);
    } catch (e) {
      $('forensics-text').textContent = message(e);
    }
    app.announcedAt = -Infinity;
    app.dirty = true;
  }, 20);
}

// Trains the current Playground's plan: in the worker while the page plays on
// (the worker continues from the page's training state, which may be the build's
// training of a preset), or on this thread across frames without one.
function startTraining() {
  app.training = true;
  app.dirty = true;
  if (!app.worker) {
    app.playing = false;
    return;
  }
  app.progress = null;
  app.trainingId += 1;
  const state = app.pg.trainingState();
  const json = app.pg.scenarioJson();
  app.worker.postMessage({ start: json, replay: replayCsv(json), resume: state.episode > 0 ? state : null, id: app.trainingId });
  app.playing = true;
}

function trained() {
  app.training = false;
  app.progress = null;
  if (app.startStep > 0) {
    // A link to a moment of the run: go there and stay.
    app.fastForwardTo = app.startStep;
    app.startStep = 0;
    setPlaying(false);
  } else {
    setPlaying(true);
  }
}

function onTrainingMessage({ data }) {
  if (app.dead || data.id !== app.trainingId) return;
  if (data.error) {
    app.training = false;
    $('train-status').textContent = `training failed: ${data.error}`;
    return;
  }
  app.progress = { episode: data.episode, episodes: data.episodes };
  if ('table' in data) {
    try {
      if (app.pg.adoptTraining(data.table, data.curve, data.episode, data.episodes)) trained();
    } catch (e) {
      stop(`Training could not be used: ${message(e)}`);
    }
  }
  app.dirty = true;
}

function startWorker() {
  try {
    const worker = new Worker(new URL('./trainer.js', import.meta.url), { type: 'module' });
    worker.onmessage = onTrainingMessage;
    worker.onerror = (e) => {
      // Without a worker, training runs on this thread across frames.
      e.preventDefault();
      worker.terminate();
      app.worker = null;
      if (app.training) startTraining();
    };
    app.worker = worker;
  } catch {
    app.worker = null;
  }
}

// The CSV a scenario replays (the trace file read last), if it is a replay.
function replayCsv(json) {
  return JSON.parse(json).workload?.family === 'replay' ? app.replay?.text : undefined;
}

// A new Playground for a scenario; the old one is freed once the new one exists,
// so a scenario that fails leaves the run that was going on untouched.
function load(json) {
  const pg = new Playground(json, CANVASES, replayCsv(json));
  app.pg?.free();
  app.pg = pg;
  const scenario = JSON.parse(pg.scenarioJson());
  app.dt = scenario.dt_s;
  app.sla = scenario.sla.p95_s;
  app.forecaster = scenario.forecast.method.toUpperCase();
  app.fitted = pg.metrics().fit.finished;
  app.grid = { bins: scenario.agent.utilisation_bins.length + 1, max: scenario.scaling.max_replicas };
  app.cursor = null;
  fillKnobs(scenario);
  // The file's name is the user's text: shown as text only.
  $('trace-name').textContent = scenario.workload.family === 'replay' ? `replaying ${scenario.workload.replay.source}` : '';
  $('page-episodes').textContent = String(scenario.agent.episodes);
  pg.showWorld('Rule', $('show-rule').checked);
  pg.showWorld('Oracle', $('show-oracle').checked);
  pg.setLearnLive($('learn-live').checked);
  applySlice();
  $('scenario-error').textContent = '';
  if ([...$('preset').options].some((o) => o.value === scenario.workload.family)) $('preset').value = scenario.workload.family;
  updateLink();
  // A preset starts with its training done at build time (scripts/build-wasm.sh),
  // when there is one for exactly this scenario; anything else trains here.
  // Until then, the worker's messages about the previous scenario are ignored.
  const loaded = ++app.loads;
  app.trainingId += 1;
  app.training = false;
  app.playing = false;
  prebuilt(scenario.workload.family, pg.scenarioJson()).then((state) => {
    if (loaded !== app.loads || app.dead) return;
    try {
      if (state && pg.adoptTraining(state.table, state.curve, state.episode, state.episodes)) {
        app.trainedBy = 'build';
        trained();
        return;
      }
    } catch {
      // A table that does not fit this scenario: train instead.
    }
    app.trainedBy = 'page';
    startTraining();
  });
}

// The build's training state of a preset, if `json` is exactly that preset's
// scenario; null otherwise (no such file, another scenario, or no fetch from file://).
// Each file is fetched once; the default preset's while the wasm loads.
const prebuiltFiles = {};
function fetchPrebuilt(family) {
  prebuiltFiles[family] ??= fetch(new URL(`./pkg/trained-${family}.json`, import.meta.url))
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
  return prebuiltFiles[family];
}

async function prebuilt(family, json) {
  if (![...$('preset').options].some((o) => o.value === family)) return null;
  const state = await fetchPrebuilt(family);
  return state?.scenario === json ? state : null;
}

// The URL's hash is the share link of what is shown: scenario and toggles.
function updateLink() {
  history.replaceState(null, '', `#${linkHash(0)}`);
  $('open-full').href = pageUrl(false, 0);
}

// The share link of the applied scenario (every knob, seed and forecaster) and
// the view, opening at `startStep`.
function linkHash(startStep) {
  const view = {
    show_rule: $('show-rule').checked,
    show_oracle: $('show-oracle').checked,
    start_step: startStep,
    hide_controls: app.hideControls,
  };
  return encodeLink(app.pg.scenarioJson(), view);
}

// This page's address with the share link, as the full page or embedded; other
// query parameters are kept.
function pageUrl(embed, startStep) {
  const url = new URL(location.href);
  if (embed) url.searchParams.set('embed', '1');
  else url.searchParams.delete('embed');
  url.hash = linkHash(startStep);
  return url.href;
}

// ---- share, export and import ----

// Puts `text` on the clipboard and says so; when the browser refuses, shows the
// text selected, to copy by hand.
async function copyText(text, what) {
  const status = $('share-status');
  const box = $('share-text');
  box.value = text;
  try {
    await navigator.clipboard.writeText(text);
    box.hidden = true;
    status.textContent = `Copied the ${what}.`;
  } catch (e) {
    box.hidden = false;
    box.select();
    status.textContent = `The browser did not allow copying (${message(e)}): the ${what} is selected below, copy it with Ctrl+C.`;
  }
}

function copyLink() {
  const step = $('link-at-step').checked ? app.pg.metrics().step : 0;
  copyText(pageUrl(false, step), step ? `link to step ${step}` : 'link');
}

// An iframe snippet for a documentation page: the compact layout, the same run.
function copyEmbed() {
  const s = JSON.parse(app.pg.scenarioJson());
  const attr = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const title = `Autoscale Playground: ${s.workload.family} workload, seed ${s.seed}`;
  copyText(`<iframe src="${attr(pageUrl(true, 0))}" title="${attr(title)}" width="100%" height="${EMBED_HEIGHT_PX}" loading="lazy"></iframe>`, 'embed code');
}

// Saves `blob` as a file named `name` through a temporary download link.
function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by the next task; the URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function exported(what) {
  $('export-error').textContent = '';
  $('export-status').textContent = what;
}

function exportFailed(what, e) {
  $('export-status').textContent = '';
  $('export-error').textContent = `Could not ${what}: ${message(e)}`;
}

function exportCsv() {
  try {
    const step = app.pg.metrics().step;
    download(`autoscale-run-${step}-steps.csv`, new Blob([app.pg.stepsCsv()], { type: 'text/csv' }));
    exported(`Exported the ${step} steps played, every world's.`);
  } catch (e) {
    exportFailed('export the run', e);
  }
}

function exportTable() {
  try {
    download('autoscale-q-table.json', new Blob([app.pg.tableJson()], { type: 'application/json' }));
    exported('Exported the Q-table.');
  } catch (e) {
    exportFailed('export the Q-table', e);
  }
}

// Takes a Q-table file as the trained agent; a file that does not fit is
// reported and the run goes on as it was.
async function importTable(e) {
  const input = e.target;
  const file = input.files[0];
  if (!file) return;
  try {
    app.pg.loadTable(await file.text());
    // Training in progress would replace the loaded table: stop listening to it.
    app.trainingId += 1;
    app.loads += 1;
    app.training = false;
    app.progress = null;
    app.announcedAt = -Infinity;
    app.dirty = true;
    exported(`Loaded the Q-table of ${file.name}: the run restarted with it.`);
  } catch (err) {
    exportFailed(`load ${file.name}`, err);
  } finally {
    // So that choosing the same file again loads it again.
    input.value = '';
  }
}

// The dashboard as one image: every canvas shown and the scoreboard's text, where
// they are on the page, at the canvases' resolution.
function exportPng() {
  const board = $('dashboard');
  const origin = board.getBoundingClientRect();
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(origin.width * ratio);
  canvas.height = Math.round(origin.height * ratio);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const at = (el) => {
    const r = el.getBoundingClientRect();
    return [(r.left - origin.left) * ratio, (r.top - origin.top) * ratio, r.width * ratio, r.height * ratio];
  };
  for (const c of board.querySelectorAll('canvas')) {
    const [x, y, w, h] = at(c);
    if (w > 0 && h > 0 && c.width > 0) ctx.drawImage(c, x, y, w, h);
  }
  ctx.textBaseline = 'middle';
  for (const cell of $('scoreboard').querySelectorAll('th, td')) {
    const [x, y, w, h] = at(cell);
    const style = getComputedStyle(cell);
    ctx.font = `${style.fontWeight} ${parseFloat(style.fontSize) * ratio}px ${style.fontFamily}`;
    ctx.fillStyle = style.color;
    ctx.textAlign = style.textAlign === 'right' ? 'right' : 'left';
    const pad = parseFloat(style.paddingLeft) * ratio;
    ctx.fillText(cell.textContent, ctx.textAlign === 'right' ? x + w - pad : x + pad, y + h / 2);
  }
  canvas.toBlob((blob) => {
    if (!blob) {
      exportFailed('export the dashboard', 'the browser could not encode the image');
      return;
    }
    download(`autoscale-dashboard-${app.pg.metrics().step}-steps.png`, blob);
    exported('Exported the dashboard.');
  }, 'image/png');
}

// The scenario and view of the link the page was opened with, if any.
function linked() {
  const hash = location.hash.slice(1);
  if (!hash) return null;
  try {
    return decodeLink(hash);
  } catch (e) {
    $('scenario-error').textContent = `The link could not be read (${message(e)}); showing the ${$('preset').value} preset instead.`;
    return null;
  }
}

const knobs = () => [...document.querySelectorAll('[data-key]')];
const field = (obj, key) => key.split('.').reduce((o, k) => o?.[k], obj);

function fillKnobs(scenario) {
  for (const el of knobs()) {
    const v = field(scenario, el.dataset.key);
    el.value = Array.isArray(v) ? v.join(', ') : String(v);
  }
  showFamily(scenario.workload.family);
}

function showFamily(family) {
  for (const label of document.querySelectorAll('[data-family]')) {
    label.hidden = !label.dataset.family.split(' ').includes(family);
  }
}

function applyKnobs(event) {
  event.preventDefault();
  const overrides = knobs().map((el) => {
    const v = el.value.trim();
    return `${el.dataset.key}=${'list' in el.dataset ? `[${v}]` : v}`;
  });
  try {
    load(applyOverrides(app.pg.scenarioJson(), overrides));
  } catch (e) {
    $('scenario-error').textContent = message(e);
  }
}

// A trace file chosen by the user: refused before reading when too large, then
// read by the CLI's importer (in wasm) into a replay of the current scenario.
// Any problem goes to the banner and the run that was going on plays on.
async function readTrace(event) {
  const input = event.target;
  const file = input.files?.[0];
  if (!file) return;
  const cap = replayMaxBytes();
  if (file.size > cap) {
    $('scenario-error').textContent = `The trace '${file.name}' was not read: it has ${file.size} bytes, and at most ${cap} (${cap / 2 ** 20} MB) are accepted.`;
    input.value = '';
    return;
  }
  try {
    const text = await file.text();
    const json = replayScenario(app.pg.scenarioJson(), file.name, text);
    const before = app.replay;
    app.replay = { name: file.name, text };
    try {
      load(json);
    } catch (e) {
      app.replay = before;
      throw e;
    }
  } catch (e) {
    $('scenario-error').textContent = `The trace '${file.name}' was not used; the run goes on unchanged.\n${message(e)}`;
  }
  // Choosing the same file again reads it again.
  input.value = '';
}

function applySlice() {
  app.pg.setSlice(Number($('slice-trend').value), Number($('slice-forecast').value));
  app.dirty = true;
}

// Space toggles play, except where Space already means something.
function onKey(e) {
  if (e.key !== ' ' || e.ctrlKey || e.altKey || e.metaKey) return;
  if (e.target.closest('input, select, textarea, button, summary, a, canvas, [contenteditable]')) return;
  e.preventDefault();
  setPlaying(!app.playing);
}

function heatmapTip(e) {
  const tip = $('heatmap-tip');
  const cell = app.pg.cellAt(e.offsetX, e.offsetY);
  if (!cell) {
    tip.hidden = true;
    return;
  }
  tip.textContent = app.pg.describeCell(cell.bin, cell.capacity);
  tip.style.left = `${e.offsetX + 14}px`;
  tip.style.top = `${e.offsetY + 14}px`;
  tip.hidden = false;
}

function explainCell(bin, capacity) {
  try {
    app.playing = false;
    app.pg.explainCell(bin, capacity);
  } catch (e) {
    $('forensics-text').textContent = message(e);
  }
  app.announcedAt = -Infinity;
  app.dirty = true;
}

function heatmapKey(e) {
  const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
  if (e.key in moves) {
    e.preventDefault();
    const [db, dc] = moves[e.key];
    const c = app.cursor ?? { bin: 0, capacity: 1 };
    app.cursor = {
      bin: Math.min(Math.max(c.bin + (app.cursor ? db : 0), 0), app.grid.bins - 1),
      capacity: Math.min(Math.max(c.capacity + (app.cursor ? dc : 0), 1), app.grid.max),
    };
    app.pg.setCursor(app.cursor.bin, app.cursor.capacity);
    $('heatmap-cell').textContent = app.pg.describeCell(app.cursor.bin, app.cursor.capacity);
    app.dirty = true;
  } else if (e.key === 'Enter' && app.cursor) {
    e.preventDefault();
    explainCell(app.cursor.bin, app.cursor.capacity);
  } else if (e.key === 'Escape') {
    app.cursor = null;
    app.pg.setCursor(-1, 0);
    $('heatmap-cell').textContent = '';
    app.dirty = true;
  }
}

function bindControls() {
  $('play').addEventListener('click', () => setPlaying(!app.playing));
  $('step').addEventListener('click', () => {
    setPlaying(false);
    app.pg.step(1);
    app.announcedAt = -Infinity;
    app.dirty = true;
  });
  $('explain').addEventListener('click', explainCurrent);
  $('copy-forensics').addEventListener('click', async () => {
    const button = $('copy-forensics');
    try {
      await navigator.clipboard.writeText(app.pg.forensicsText());
      button.textContent = 'Copied';
    } catch (e) {
      button.textContent = `Could not copy: ${message(e)}`;
    }
    setTimeout(() => { button.textContent = 'Copy the forensics text'; }, 2000);
  });
  $('reset').addEventListener('click', () => {
    app.pg.reset();
    app.announcedAt = -Infinity;
    app.dirty = true;
  });
  const speed = $('speed');
  const onSpeed = () => {
    app.speed = SPEEDS[Number(speed.value)];
    app.played = app.speed;
    showSpeed();
  };
  speed.addEventListener('input', onSpeed);
  onSpeed();
  $('train').addEventListener('click', () => {
    const n = Math.max(1, Math.min(5000, Math.round(Number($('train-episodes').value)) || 1));
    app.pg.planTraining(n);
    app.trainedBy = 'page';
    startTraining();
  });
  $('learn-live').addEventListener('change', (e) => {
    app.pg.setLearnLive(e.target.checked);
    app.dirty = true;
  });
  for (const [id, world] of [['show-rule', 'Rule'], ['show-oracle', 'Oracle']]) {
    $(id).addEventListener('change', (e) => {
      app.pg.showWorld(world, e.target.checked);
      updateLink();
      app.announcedAt = -Infinity;
      app.dirty = true;
    });
  }
  $('preset').addEventListener('change', (e) => {
    try {
      load(presetScenario(e.target.value));
    } catch (err) {
      $('scenario-error').textContent = message(err);
    }
  });
  document.querySelector('[data-key="workload.family"]').addEventListener('change', (e) => showFamily(e.target.value));
  $('scenario').addEventListener('submit', applyKnobs);
  $('trace-file').addEventListener('change', readTrace);
  $('slice-trend').addEventListener('change', applySlice);
  $('slice-forecast').addEventListener('change', applySlice);
  const heatmap = $('heatmap-canvas');
  heatmap.addEventListener('mousemove', heatmapTip);
  heatmap.addEventListener('mouseleave', () => { $('heatmap-tip').hidden = true; });
  heatmap.addEventListener('click', (e) => {
    const cell = app.pg.cellAt(e.offsetX, e.offsetY);
    if (cell) explainCell(cell.bin, cell.capacity);
  });
  heatmap.addEventListener('keydown', heatmapKey);
  // Embedded, the host page's keys stay the host page's.
  if (!EMBED) document.addEventListener('keydown', onKey);
  $('copy-link').addEventListener('click', copyLink);
  $('copy-embed').addEventListener('click', copyEmbed);
  $('export-csv').addEventListener('click', exportCsv);
  $('export-table').addEventListener('click', exportTable);
  $('import-table').addEventListener('change', importTable);
  $('export-png').addEventListener('click', exportPng);
  // Canvases follow the layout: redraw when it changes.
  new ResizeObserver(() => { app.dirty = true; }).observe($('dashboard'));
}

async function main() {
  fetchPrebuilt($('preset').value);
  try {
    await init();
  } catch (e) {
    stop(`Could not load the simulation (${message(e)}). Build it with "make serve".`);
    return;
  }
  if (EMBED) {
    document.documentElement.classList.add('embed');
    $('open-full').hidden = false;
    $('play').removeAttribute('aria-keyshortcuts');
  }
  bindControls();
  startWorker();
  try {
    const link = linked();
    if (link) {
      $('show-rule').checked = link.view.show_rule;
      $('show-oracle').checked = link.view.show_oracle;
      app.hideControls = link.view.hide_controls;
      $('scenario').hidden = app.hideControls;
      app.startStep = link.view.start_step;
    }
    let error = $('scenario-error').textContent;
    try {
      load(link ? link.scenario : presetScenario($('preset').value));
    } catch (e) {
      // A link that decodes but cannot run here (a replay, whose file it cannot carry).
      if (!link) throw e;
      error = `The link's scenario could not be opened (${message(e)}); showing the ${$('preset').value} preset instead.`;
      app.startStep = 0;
      load(presetScenario($('preset').value));
    }
    $('scenario-error').textContent = error;
  } catch (e) {
    stop(message(e));
    return;
  }
  requestAnimationFrame(frame);
}

main();
