// What the page shows besides the canvases: status, scoreboard, verdict, texts.

import { app, $, message, setPlaying } from './state.js';

// While playing, the screen-reader texts change at most this often.
const ANNOUNCE_EVERY_MS = 3000;

function clock(m, dt) {
  const t = m.step * dt;
  const day = Math.floor(t / 86400) + 1;
  const hh = String(Math.floor((t % 86400) / 3600)).padStart(2, '0');
  const mm = String(Math.floor((t % 3600) / 60)).padStart(2, '0');
  return `step ${m.step} of ${m.steps} · day ${day}, ${hh}:${mm}`;
}

export function update() {
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

// The speed asked for, and what the frame budget allowed when that was less.
export function showSpeed() {
  const asked = `${app.speed} step${app.speed === 1 ? '' : 's'}/frame`;
  $('speed').setAttribute('aria-valuetext', asked);
  const capped = app.playing && app.played < app.speed && !app.metrics?.finished;
  const words = capped ? `${asked} (about ${app.played} fit in a frame)` : asked;
  if ($('speed-out').textContent !== words) $('speed-out').textContent = words;
}

// Pins the counterfactual forensics of the latest decision. It replays the run so
// far (a fraction of a second late in a run), so only on request, after a paint.
export function explainCurrent() {
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
