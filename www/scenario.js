// A scenario loaded into a new Playground, and the form of its knobs, built from
// the core's table of knobs (every label, range and family in one place).

import { Playground, World, applyOverrides, knobs, presetNames, presetInfo, presetOf, presetScenario, replayReport } from './pkg/autoscale_playground.js';
import { app, $, message, replayCsv, updateLink, presetShown } from './state.js';
import { applySlice } from './heatmap.js';
import { trainLoaded } from './training.js';

const CANVASES = {
  capacity: 'capacity-canvas',
  latency: 'latency-canvas',
  cost: 'cost-canvas',
  heatmap: 'heatmap-canvas',
  forecast: 'forecast-canvas',
  curve: 'curve-canvas',
  forensics: 'forensics-canvas',
};

// A new Playground for a scenario; the old one is freed once the new one exists,
// so a scenario that fails leaves the run that was going on untouched.
export function load(json) {
  const pg = new Playground(json, CANVASES, replayCsv(json));
  app.pg?.free();
  app.pg = pg;
  const scenario = JSON.parse(pg.scenarioJson());
  app.sla = scenario.sla.p95_s;
  app.forecaster = scenario.forecast.method.toUpperCase();
  app.cursor = null;
  fillKnobs(scenario);
  // The file's name is the user's text: shown as text only; beside it, what the
  // importer read of the file, guessed and warns of.
  const replay = scenario.workload.family === 'replay';
  $('trace-name').textContent = replay ? `replaying ${scenario.workload.replay.source}` : '';
  $('trace-report').textContent = replay ? replayReport(json, app.replay.text) : '';
  $('page-episodes').textContent = String(scenario.agent.episodes);
  pg.showWorld(World.Rule, $('show-rule').checked);
  pg.showWorld(World.Oracle, $('show-oracle').checked);
  pg.showWorld(World.Predictive, $('show-predictive').checked);
  pg.setAblation($('show-no-forecast').checked);
  pg.setLearnLive($('learn-live').checked);
  applySlice();
  $('scenario-error').textContent = '';
  const preset = presetOf(json);
  $('preset').value = presetShown(pg.scenarioJson(), preset);
  updateLink();
  trainLoaded(pg, preset);
}

// A preset. A real trace's CSV is fetched when its preset is first chosen (never
// with the page), then replayed as a chosen file is.
export async function loadPreset(name) {
  await fetchTrace(presetInfo(name)[1]);
  load(presetScenario(name));
}

// Makes a preset's trace (its path from the page, or nothing) the replay's data.
// Resolved against the page, not this module, which the page runs bundled into
// pkg/app.js (scripts/build-wasm.sh).
export async function fetchTrace(trace) {
  if (!trace || app.replay?.name === trace) return;
  const response = await fetch(new URL(trace, document.baseURI)).catch(() => null);
  if (!response?.ok) throw new Error(`The trace ${trace} could not be fetched; the run goes on unchanged.`);
  app.replay = { name: trace, text: await response.text() };
}

// ---- the form ----

const inputs = () => [...document.querySelectorAll('[data-key]')];
const field = (obj, key) => key.split('.').reduce((o, k) => o?.[k], obj);

// One knob's labelled control.
function control(knob) {
  const label = document.createElement('label');
  let input;
  const kind = knob.kind;
  if (kind === 'choice') {
    input = document.createElement('select');
    for (const [value, words] of knob.options) input.add(new Option(words, value));
  } else {
    input = document.createElement('input');
    if (kind === 'flag') input.type = 'checkbox';
    else if (kind === 'list' || kind === 'text') input.type = 'text';
    else {
      input.type = 'number';
      input.step = kind === 'real' ? 'any' : '1';
      input.min = String(knob.lo ?? 0);
      if (knob.hi != null) input.max = String(knob.hi);
    }
    if (kind === 'list') input.dataset.list = '';
  }
  input.dataset.key = knob.path;
  if (knob.families.length) label.dataset.family = knob.families.join(' ');
  label.append(`${knob.label} `, input);
  return label;
}

// The preset menu and the knobs' fieldsets, once, from the core's lists.
export function buildForm() {
  for (const name of presetNames()) {
    const option = new Option(name.replace('-', ' '), name);
    option.title = presetInfo(name)[0];
    $('preset').add(option);
  }
  const groups = new Map();
  for (const knob of knobs()) {
    if (knob.path === 'seed') {
      $('seed-knob').append(control(knob));
      continue;
    }
    if (knob.group === 'none') continue;
    if (!groups.has(knob.group)) {
      const fieldset = document.createElement('fieldset');
      const legend = document.createElement('legend');
      legend.textContent = knob.legend;
      fieldset.append(legend);
      groups.set(knob.group, fieldset);
      $('knobs').append(fieldset);
    }
    groups.get(knob.group).append(control(knob));
  }
}

function fillKnobs(scenario) {
  for (const el of inputs()) {
    const v = field(scenario, el.dataset.key);
    if (el.type === 'checkbox') el.checked = v;
    else el.value = Array.isArray(v) ? v.join(', ') : String(v);
    el.removeAttribute('aria-invalid');
  }
  showFamily(scenario.workload.family);
}

export function showFamily(family) {
  for (const label of document.querySelectorAll('[data-family]')) {
    label.hidden = !label.dataset.family.split(' ').includes(family);
  }
}

// Marks the controls of the fields an error names ("agent.utilisation_bins[2]"
// marks the list).
function markFields(fields) {
  const bad = new Set(fields.map((f) => f.replace(/\[\d+\]$/, '')));
  for (const el of inputs()) {
    if (bad.has(el.dataset.key)) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
  }
}

export function applyKnobs(event) {
  event.preventDefault();
  const overrides = inputs().map((el) => {
    const v = el.type === 'checkbox' ? String(el.checked) : el.value.trim();
    return `${el.dataset.key}=${'list' in el.dataset ? `[${v}]` : v}`;
  });
  try {
    load(applyOverrides(app.pg.scenarioJson(), overrides));
  } catch (e) {
    markFields(e.fields ?? []);
    $('scenario-error').textContent = message(e);
  }
}
