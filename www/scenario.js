// A scenario loaded into a new Playground, and the form of its knobs.

import { Playground, applyOverrides } from './pkg/autoscale_playground.js';
import { app, $, message, isPreset, replayCsv, updateLink } from './state.js';
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
  if (isPreset(scenario.workload.family)) $('preset').value = scenario.workload.family;
  updateLink();
  trainLoaded(pg, scenario.workload.family);
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

export function showFamily(family) {
  for (const label of document.querySelectorAll('[data-family]')) {
    label.hidden = !label.dataset.family.split(' ').includes(family);
  }
}

export function applyKnobs(event) {
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
