// A scenario loaded into a new Playground, and the form of its knobs, built from
// the core's table of knobs (every label, range and family in one place). A new
// scenario whose agent must first train waits beside the run shown: the
// previous agent plays on until the new one is trained, then takes over at the
// step the run had reached (training.js).

import { Playground, World, applyOverrides, knobs, presetNames, presetInfo, presetOf, presetScenario, replayReport, shown as shownOutside } from './pkg/autoscale_playground.js';
import { app, invalidate, $, message, replayCsv, updateLink, presetShown } from './state.js';
import { applySlice } from './heatmap.js';
import { trainLoaded, onTrained, startAtBeginning, fetchPrebuilt } from './training.js';
import { stepWords, timeAt } from './timeline.js';

const CANVASES = {
  capacity: 'capacity-canvas',
  latency: 'latency-canvas',
  cost: 'cost-canvas',
  heatmap: 'heatmap-canvas',
  forecast: 'forecast-canvas',
  curve: 'curve-canvas',
  forensics: 'forensics-canvas',
  frontier: 'frontier-canvas',
};

// The canvases the page has (the frontier panel's is optional to the binding).
function canvases() {
  return Object.fromEntries(Object.entries(CANVASES).filter(([, id]) => $(id)));
}

// A new Playground for a scenario. With a trained agent playing, the new one
// waits (`app.next`) while its agent trains, and the run shown goes on; else it
// is shown at once. A scenario that fails leaves the run untouched.
export function load(json) {
  // The build's training is fetched while the new Playground sizes its worlds.
  const preset = presetOf(json);
  if (preset) fetchPrebuilt(preset);
  const pg = new Playground(json, canvases(), replayCsv(json));
  const scenario = JSON.parse(pg.scenarioJson());
  pg.showWorld(World.Rule, $('show-rule').checked);
  pg.showWorld(World.Oracle, $('show-oracle').checked);
  pg.showWorld(World.Predictive, $('show-predictive').checked);
  pg.setAblation($('show-no-forecast').checked);
  pg.setLearnLive($('learn-live').checked);
  pg.setZoom(app.zoom);
  fillKnobs(scenario);
  // The file's name is the user's text: shown as text only, escaped; beside it,
  // what the importer read of the file, guessed and warns of.
  const replay = scenario.workload.family === 'replay';
  $('trace-name').textContent = replay ? `replaying ${shownOutside(scenario.workload.replay.source)}` : '';
  $('trace-report').textContent = replay ? replayReport(json, app.replay.text) : '';
  $('scenario-error').textContent = '';
  $('preset').value = presetShown(pg.scenarioJson(), preset);
  const keep = app.pg && app.pg.trained && !app.pg.training;
  if (keep) {
    app.next?.free();
    app.next = pg;
    change = changed(JSON.parse(app.pg.scenarioJson()), scenario, preset);
    if (preset && preset !== presetOf(app.pg.scenarioJson())) startAtBeginning(pg);
    app.tookOver = null;
    invalidate();
  } else {
    app.next?.free();
    app.next = null;
    show(pg);
  }
  trainLoaded(pg, preset);
}

// What the waiting Playground changes, in words (`changed`).
let change = '';

// Makes `pg` the Playground shown, the one before (if any) freed.
function show(pg) {
  app.pg?.free();
  app.pg = pg;
  const scenario = JSON.parse(pg.scenarioJson());
  app.sla = scenario.sla.p95_s;
  app.dt = scenario.dt_s;
  app.forecaster = scenario.forecast.method.toUpperCase();
  app.cursor = null;
  app.openedMoment = null;
  $('page-episodes').textContent = String(scenario.agent.episodes);
  applySlice();
  updateLink();
  invalidate({ announce: true });
}

// The waiting Playground, trained and sent to `aim` ({step, playing}: where the
// run shown stood, training.js), replaces the one shown, and the page says so.
onTrained(takeOver);

export function takeOver(aim) {
  const pg = app.next;
  const at = aim.step;
  app.next = null;
  // The agent taken over from stays as "before", unless the scenario is another preset's.
  if (!change.startsWith('the ')) pg.keepBefore(app.pg);
  show(pg);
  // Played on from there if the run was playing (loop.js).
  app.resume = aim.playing;
  // At most two lines beside the chart at 1,366 x 768, where a third was cut
  // off; the chart shows that the run was replayed to that step with it.
  const when = at > 0 ? `took over at step ${stepWords(at)} (${timeAt(at)})` : 'took over at the start of the run';
  app.tookOver = `The new agent${change ? ` (${change})` : ''} ${when}.`;
}

// What changed from scenario `a` to `b`, in words: "violation weight −40", the
// preset chosen, or the first few knobs that differ.
function changed(a, b, preset) {
  if (preset && preset !== presetOf(JSON.stringify(a))) return `the ${preset.replace('-', ' ')} preset`;
  const words = knobs()
    .filter((k) => JSON.stringify(field(a, k.path)) !== JSON.stringify(field(b, k.path)))
    .map((k) => `${TWEAK_WORDS[k.path] ?? k.label.replace(/ \(.*\)$/, '')} ${shown(field(b, k.path))}`);
  if (words.length > 3) return `${words.slice(0, 3).join(', ')} and ${words.length - 3} more changes`;
  return words.join(', ');
}

// A knob's value as the page writes it: negative numbers with a true minus sign.
const shown = (v) => (Array.isArray(v) ? v.join(', ') : typeof v === 'number' ? String(v).replace('-', '\u2212') : String(v));

// The knobs "Change one thing" holds (tweak.js), with the short words the page
// uses for them.
export const TWEAK_WORDS = {
  'reward.sla_violated': 'violation weight',
  'reward.sla_held': 'SLA-held weight',
  'reward.per_replica': 'per-replica weight',
  'reward.per_change': 'per-change weight',
  'reward.low_utilisation': 'low-utilisation weight',
  'agent.alpha': 'learning rate \u03b1',
  'agent.gamma': 'discount \u03b3',
  'agent.epsilon_start': 'exploration \u03b5',
  'agent.episodes': 'training episodes',
  'agent.design': 'agent',
  seed: 'seed',
};

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
// The form's knobs and those of "Change one thing" (tweak.js), each by its path.
const allInputs = () => [...document.querySelectorAll('[data-key], [data-tweak]')];
const pathOf = (el) => el.dataset.key ?? el.dataset.tweak;
const field = (obj, key) => key.split('.').reduce((o, k) => o?.[k], obj);

// One knob's labelled control: in the scenario form (`data-key`), or under
// another attribute and label (tweak.js).
export function control(knob, attr = 'key', words = knob.label) {
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
  input.dataset[attr] = knob.path;
  if (knob.families.length) label.dataset.family = knob.families.join(' ');
  label.append(`${words} `, input);
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
      const button = document.createElement('button');
      button.type = 'button';
      button.id = 'new-seed';
      button.textContent = 'New seed';
      button.addEventListener('click', newSeed);
      $('seed-knob').append(control(knob), button);
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
  for (const el of allInputs()) {
    const v = field(scenario, pathOf(el));
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

// Marks those of `controls` whose fields an error names
// ("agent.utilisation_bins[2]" marks the list).
function markFields(fields, controls) {
  const bad = new Set(fields.map((f) => f.replace(/\[\d+\]$/, '')));
  for (const el of controls) {
    if (bad.has(pathOf(el))) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
  }
}

// The scenario applied last: the one waiting to take over, or the one shown.
export const appliedJson = () => (app.next ?? app.pg).scenarioJson();

// Applies the values of `controls` to the applied scenario. A scenario out of
// range changes nothing: the error names each field, its value and its range,
// those controls are marked, and the run goes on; returns the error's message
// then, else ''.
export function applyControls(controls) {
  const overrides = controls.map((el) => {
    const v = el.type === 'checkbox' ? String(el.checked) : el.value.trim();
    return `${pathOf(el)}=${'list' in el.dataset ? `[${v}]` : v}`;
  });
  try {
    load(applyOverrides(appliedJson(), overrides));
    return '';
  } catch (e) {
    markFields(e.fields ?? [], controls);
    return message(e);
  }
}

export function applyKnobs(event) {
  event.preventDefault();
  const error = applyControls(inputs());
  if (error) $('scenario-error').textContent = error;
}

// A seed from the browser's entropy (below 2^32), shown in the seed field and applied (the
// link carries it once its run is shown, so the run stays reproducible).
function newSeed() {
  try {
    const input = document.querySelector('[data-key="seed"]');
    input.value = String(crypto.getRandomValues(new Uint32Array(1))[0]);
    const error = applyControls([input]);
    if (error) $('scenario-error').textContent = error;
  } catch (e) {
    $('scenario-error').textContent = message(e);
  }
}
