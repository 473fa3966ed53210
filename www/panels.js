// What the page shows besides the canvases: status, scoreboard, verdict, texts.
// The figures and words are the Playground's metrics; this places them.

import { app, invalidate, $, message, setPlaying } from './state.js';
import { speedWords } from './timeline.js';

// While playing, the screen-reader texts change at most this often, unless
// invalidate() asks for them at once (`app.announce`).
const ANNOUNCE_EVERY_MS = 3000;

// When the screen-reader texts were refreshed last (performance.now()).
let announcedAt = -Infinity;

export function update() {
  const m = app.pg.metrics();
  app.metrics = m;
  $('clock').textContent = m.clock;
  $('clock').dataset.step = m.step;
  const runs = m.training.runs;
  const t = runs === 'elsewhere' && app.progress ? app.progress : m.training;
  // The ablation's agent (No forecast), when shown, trains alongside: one bar for both.
  const a = t.ablation;
  const progress = $('train-progress');
  progress.max = Math.max(t.episodes + (a?.episodes ?? 0), 1);
  progress.value = t.episode + (a?.episode ?? 0);
  $('train-status').textContent = !m.fit.finished
    ? `pre-training the ${app.forecaster} forecaster: mini-batch ${m.fit.done} of ${m.fit.total}`
    : runs === 'idle'
    ? `trained: ${t.episode} episodes${a ? ` (No forecast: ${a.episode})` : ''}`
    : `training: episode ${t.episode} of ${t.episodes}${a ? ` (No forecast: ${a.episode} of ${a.episodes})` : ''}${runs === 'elsewhere' ? '; the worlds play with their tables so far, and the run restarts when training ends' : ''}`;
  $('play').textContent = m.playing ? 'Pause' : 'Play';
  showSpeed();
  scoreboard(m.before ? [...m.worlds, { ...m.before, scale_ups: null }] : m.worlds);
  exactReplay(m.exact, m.worlds);
  saving(m.worlds);
  if ($('verdict').textContent !== m.verdict) $('verdict').textContent = m.verdict;
  const now = performance.now();
  if (!m.playing || app.announce || now - announcedAt > ANNOUNCE_EVERY_MS) {
    app.announce = false;
    announcedAt = now;
    announce(m);
  }
}

const fmt = (v, digits) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(digits));
// A share: its number and '%' never apart (a no-break space), so that a narrow
// scoreboard wraps "34.6 (0.8 %)" only before the parenthesis.
const pct = (v) => `${fmt(v, 1)}\u00a0%`;
const steps = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
function scoreboard(worlds) {
  const body = $('scoreboard').tBodies[0];
  const rows = worlds.map((w) => [
    w.short,
    fmt(w.cost, 2),
    w.saving_pct == null || w.kind === 'static' ? '–' : pct(w.saving_pct),
    `${steps(w.sla_violation_steps)} (${pct(w.sla_violation_pct)})`,
    String(w.capacity_changes),
    w.scale_ups ? `${w.scale_ups.early} / ${w.scale_ups.late}` : '–',
  ]);
  if (body.rows.length !== rows.length || worlds.some((w, i) => body.rows[i].className !== w.kind)) {
    body.replaceChildren(...rows.map((r, i) => {
      const tr = document.createElement('tr');
      tr.className = worlds[i].kind;
      r.forEach((_, i) => tr.appendChild(document.createElement(i === 0 ? 'th' : 'td')));
      tr.cells[0].scope = 'row';
      return tr;
    }));
  }
  rows.forEach((r, i) => {
    const tr = body.rows[i];
    // A world switched off leaves the scoreboard as it leaves the charts.
    const hidden = !shown(worlds[i].kind);
    if (tr.hidden !== hidden) tr.hidden = hidden;
    r.forEach((text, j) => {
      const cell = tr.cells[j];
      if (cell.textContent !== text) cell.textContent = text;
    });
  });
}

// The exact replay's table: each world's violation steps over the replayed
// steps under the fluid (expected) and the exact physics (whole), and its
// progress while it plays.
function exactReplay(r, worlds) {
  const table = $('exact-table');
  const status = $('exact-status');
  if (!r) {
    if (!table.hidden) table.hidden = true;
    if (status.dataset.error !== '1' && status.textContent) status.textContent = '';
    return;
  }
  status.dataset.error = '';
  const words = r.done
    ? `Steps 0 to ${r.until.toLocaleString('en-US')} replayed per request.`
    : `Replaying steps 0 to ${r.until.toLocaleString('en-US')} per request: ${Math.floor((100 * r.played) / r.until)} %…`;
  if (status.textContent !== words) status.textContent = words;
  if (table.hidden) table.hidden = false;
  const name = (kind) => worlds.find((w) => w.kind === kind)?.short ?? kind;
  const rows = r.worlds.filter((w) => shown(w.kind)).map((w) => [name(w.kind), steps(w.fluid_violation_steps), r.done ? String(w.violation_steps) : '…', r.done ? `${fmt(w.p95_s, 1)} s` : '…']);
  const body = table.tBodies[0];
  const text = JSON.stringify(rows);
  if (body.dataset.rows === text) return;
  body.dataset.rows = text;
  body.replaceChildren(...rows.map((r) => {
    const tr = document.createElement('tr');
    r.forEach((v, i) => {
      const cell = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) cell.scope = 'row';
      cell.textContent = v;
      tr.appendChild(cell);
    });
    return tr;
  }));
}

// The saving readout beside the forensics: the scoreboard's Elastic-against-Static
// saving, large, with the two costs it compares.
function saving(worlds) {
  const elastic = worlds.find((w) => w.kind === 'elastic');
  const base = worlds.find((w) => w.kind === 'static');
  const v = elastic?.saving_pct;
  const words = v == null || !Number.isFinite(v) || !base
    ? ['Elastic against Static: ', '–', ' (nothing played yet)']
    : [v >= 0 ? 'Elastic saves ' : 'Elastic costs ', pct(Math.abs(v)), `${v >= 0 ? ' of' : ' more than'} Static's cost so far: ${fmt(elastic.cost, 2)} against ${fmt(base.cost, 2)}.`];
  const el = $('saving');
  if (el.textContent === words.join('')) return;
  const big = document.createElement('b');
  big.textContent = words[1];
  el.replaceChildren(words[0], big, words[2]);
}

// The decision in one line, the only text the page speaks by itself: "Step
// 700: Chose hold; decisive factor: SLA.", or the safety floor's "Step 505:
// The safety floor scaled up (7 → 8 replicas)."; the decision's, also when an
// open moment's lines come first, as the canvas draws it (the whole forensics
// are in the mirror, read on demand).
export function headline(text) {
  const lines = text.split('\n');
  const step = text.match(/^Step [\d,]+/m)?.[0];
  const chose = lines.find((l) => l.startsWith('Chose'))?.split('.')[0]
    ?? lines.find((l) => l.startsWith('The safety floor'))?.split(/(?<=\)): /)[0];
  if (!step || !chose) return lines[0];
  const factor = lines.find((l) => l.startsWith('Decisive factor'))?.split('.')[0];
  return `${step}: ${chose}${factor ? `; ${factor[0].toLowerCase()}${factor.slice(1)}` : ''}.`;
}

// The forensics mirror, the spoken headline and the charts' text alternatives;
// throttled while playing, so that a screen reader is not flooded.
function announce(m) {
  const text = app.pg.forensicsText();
  const mirror = $('forensics-text');
  if (mirror.textContent !== text) mirror.textContent = text;
  const line = headline(text);
  if ($('headline').textContent !== line) $('headline').textContent = line;
  const now = m.now.filter((w) => shown(w.kind));
  $('capacity-canvas').ariaLabel = `Capacity at ${m.clock}: `
    + now.map((w) => `${w.short} ${w.provisioned} replicas${w.booting ? ` (${w.booting} booting)` : ''}`).join(', ')
    + (m.demand_replicas == null ? '' : `; demand worth ${m.demand_replicas.toFixed(1)} replicas.`);
  $('latency-canvas').ariaLabel = `p95 latency of the last step: `
    + now.map((w) => `${w.short} ${fmt(w.p95, 1)} s`).join(', ') + `; SLA ${app.sla} s.`;
  $('cost-canvas').ariaLabel = 'Cost so far: '
    + m.worlds.filter((w) => shown(w.kind)).map((w) => `${w.short} ${fmt(w.cost, 0)}`).join(', ') + '.';
  const t = m.training;
  $('curve-canvas').ariaLabel = t.last_reward == null ? 'Learning curve: no training yet.'
    : `Learning curve: ${t.episode} episodes, the last one's reward ${t.last_reward.toFixed(0)}.`;
  const f = m.forecast;
  $('forecast-canvas').ariaLabel = 'Forecast against actual demand over the last three hours'
    + (f ? `; mean absolute error so far ${f.mae.toFixed(2)} req/s, ${f.horizon} steps ahead (the last value seen: ${f.persistence_mae.toFixed(2)}).` : '.');
}

// Whether a world is shown (Rule, Oracle, Predictive and No forecast have a
// switch: "show-no-forecast" for the kind "no_forecast").
function shown(kind) {
  const toggle = $(`show-${kind.replace('_', '-')}`);
  return toggle ? toggle.checked : true;
}

// The speed asked for, and what the frame budget allowed when that was less.
export function showSpeed() {
  const asked = speedWords();
  $('speed').setAttribute('aria-valuetext', asked);
  const capped = !app.perSecond && app.metrics?.playing && app.played < app.speed && !app.metrics?.finished;
  const words = capped ? `${asked} (about ${app.played} fit in a frame)` : asked;
  if ($('speed-out').textContent !== words) $('speed-out').textContent = words;
}

// Pins the counterfactual forensics of the latest decision. It replays the run so
// far (a fraction of a second late in a run), so only on request, after a paint.
export function explainCurrent() {
  setPlaying(false);
  const step = app.pg.stepIndex;
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
    invalidate({ announce: true });
  }, 20);
}
