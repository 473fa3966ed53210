// Teach by changing one thing: the reward's weights and the agent's main knobs
// beside the chart, with Apply. The new agent trains while the previous one
// plays on (never a half-trained agent on the board); trained, it takes over at
// the step the run had reached, and the page says so (scenario.js, training.js).

import { knobs } from './pkg/autoscale_playground.js';
import { app, invalidate, $ } from './state.js';
import { applyControls, control, TWEAK_WORDS } from './scenario.js';
import { awaitingBuild } from './training.js';

// The knobs held here, by group, in order (their ranges are the core's).
const GROUPS = [
  ['Reward weights', ['reward.sla_violated', 'reward.sla_held', 'reward.per_replica', 'reward.per_change', 'reward.low_utilisation']],
  ['The agent', ['agent.alpha', 'agent.gamma', 'agent.epsilon_start', 'agent.episodes', 'agent.design']],
];

function element(tag, props = {}, ...children) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

const controls = () => [...document.querySelectorAll('[data-tweak]')];

export function initTweak() {
  const all = new Map(knobs().map((k) => [k.path, k]));
  const form = element('form', { id: 'tweak-form', noValidate: true });
  form.setAttribute('aria-label', 'Change one thing');
  for (const [legend, paths] of GROUPS) {
    const fieldset = element('fieldset', {}, element('legend', {}, legend));
    for (const path of paths) {
      const knob = all.get(path);
      if (!knob) continue;
      const words = TWEAK_WORDS[path] ?? knob.label;
      fieldset.append(control(knob, 'tweak', words[0].toUpperCase() + words.slice(1)));
    }
    form.append(fieldset);
  }
  form.append(element('button', { id: 'tweak-apply', type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const error = applyControls(controls());
    $('tweak-error').textContent = error;
    if (!error) invalidate();
  });
  $('tweak').append(
    element('h2', {}, 'Change one thing'),
    element('p', { className: 'hint' }, 'Change a reward weight or a knob of the agent and Apply: a new agent trains while this one plays on, then takes over at the step the run has reached.'),
    form,
    element('p', { id: 'tweak-status', className: 'status', role: 'status' }),
    element('p', { id: 'tweak-error', className: 'error', role: 'alert' }),
  );
}

// What the new agent is doing while it trains, or what happened when it took over.
function status() {
  const next = app.next;
  if (!next) return app.tookOver ?? '';
  if (awaitingBuild(next)) return 'Preparing the new agent; the previous agent plays on.';
  if (!next.fitted) return 'Pre-training the new agent\u2019s forecaster; the previous agent plays on.';
  const t = app.nextProgress ?? (next.training ? next.metrics().training : null);
  if (!t) return 'Preparing the new agent; the previous agent plays on.';
  const a = t.ablation;
  return `Training the new agent: episode ${t.episode} of ${t.episodes}${a ? ` (No forecast: ${a.episode} of ${a.episodes})` : ''}; the previous agent plays on.`;
}

// Once a frame that changed something. While a new agent trains, Train (more
// episodes for the agent shown) waits: the worker is the new agent's.
export function showTweak() {
  const text = status();
  const line = $('tweak-status');
  if (line.textContent !== text) line.textContent = text;
  const train = $('train');
  if (train.disabled !== !!app.next) train.disabled = !!app.next;
}
