// The run's moments beside the chart (found by the core over the whole run,
// `metrics().moments`): a heading per kind with its count, Previous and Next
// from the current step, and each moment a button that opens it: the run goes
// to just after its decision, paused, with the decision's forensics pinned.

import { app, invalidate, $, message } from './state.js';

// The kinds in the order the page lists them (the core's `MomentKind`), the
// shape of their markers on the capacity chart, and what to say when a run has
// none.
export const KINDS = [
  { key: 'pre_emptive', mark: '\u25b2', label: 'Pre-emptive scale-ups', none: 'No pre-emptive scale-up in this run.' },
  { key: 'late_reaction', mark: '\u25a0', label: 'Late reactions', none: 'No late reaction in this run.' },
  { key: 'oscillation', mark: '\u25c6', label: 'Oscillations', none: 'No oscillation in this run.' },
  { key: 'saving', mark: '\u25cf', label: 'Savings in a dip', none: 'No saving in a dip in this run.' },
];

function element(tag, props = {}, ...children) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

// Opens moment `index` of the run's moments; false when it cannot be (the
// error is shown).
export function openMoment(index) {
  if (app.dead || !app.pg) return false;
  try {
    app.pg.openMoment(index);
  } catch (e) {
    $('moments-status').textContent = message(e);
    return false;
  }
  app.openedMoment = index;
  invalidate({ announce: true });
  return true;
}

export function initMoments() {
  $('moments').append(
    element('h2', {}, 'Moments of the run'),
    element('p', { id: 'moments-status', className: 'status', role: 'status' }),
    element('div', { id: 'moments-kinds' }),
  );
  $('moments-kinds').addEventListener('click', (e) => {
    const button = e.target.closest('button');
    if (!button) return;
    if (button.dataset.index != null) openMoment(Number(button.dataset.index));
    else if (button.dataset.go) go(button.dataset.kind, Number(button.dataset.go));
  });
}

// The moment of a kind after (dir 1) or before (dir -1) the current step; a
// moment is "current" when the run stands just after its decision.
function neighbour(moments, kind, step, dir) {
  const of = moments.map((m, i) => ({ m, i })).filter(({ m }) => m.kind === kind);
  if (dir > 0) return of.find(({ m }) => m.step + 1 > step)?.i;
  return of.reverse().find(({ m }) => m.step + 1 < step)?.i;
}

function go(kind, dir) {
  const m = app.metrics;
  if (!m) return;
  const i = neighbour(m.moments, kind, m.step, dir);
  if (i != null) openMoment(i);
}

// The list as built last, to rebuild it only when the moments change.
let built = null;

// Once a frame that changed something: the list (rebuilt when the run's
// moments change) and which buttons apply at the current step.
export function showMoments(m) {
  const status = $('moments-status');
  const key = `${m.lookahead_done}:${m.moments.length}:${m.moments[0]?.step}:${m.moments.at(-1)?.step}:${m.steps}`;
  if (key !== built) {
    built = key;
    app.openedMoment = null;
    status.textContent = m.lookahead_done ? (m.moments_note ?? '') : 'Finding the run\u2019s moments\u2026';
    $('moments-kinds').replaceChildren(...(m.lookahead_done ? KINDS.map((k) => kindList(k, m.moments)) : []));
  }
  if (!m.lookahead_done) return;
  for (const section of $('moments-kinds').children) {
    const kind = section.dataset.kind;
    const [previous, next] = section.querySelectorAll('button[data-go]');
    if (!previous) continue;
    const seeking = m.seeking;
    previous.disabled = seeking || neighbour(m.moments, kind, m.step, -1) == null;
    next.disabled = seeking || neighbour(m.moments, kind, m.step, 1) == null;
  }
  for (const button of $('moments-kinds').querySelectorAll('button[data-index]')) {
    const current = Number(button.dataset.index) === app.openedMoment && m.step === m.moments[app.openedMoment]?.step + 1;
    if (current) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
}

// A kind's section: heading with count, then Previous, Next and its moments
// folded beside them (every kind's heading fits beside the chart).
function kindList(kind, moments) {
  const of = moments.map((m, i) => ({ m, i })).filter(({ m }) => m.kind === kind.key);
  const section = element('section', { className: 'moment-kind' });
  section.dataset.kind = kind.key;
  const mark = element('span', { className: 'mark' }, kind.mark);
  mark.setAttribute('aria-hidden', 'true');
  const head = element('div', { className: 'kind-head' }, mark, element('h3', {}, `${kind.label} (${of.length})`));
  section.append(head);
  if (!of.length) {
    section.append(element('p', { className: 'status' }, kind.none));
    return section;
  }
  const nav = element('div', { className: 'kind-nav' });
  for (const [dir, words] of [[-1, 'Previous'], [1, 'Next']]) {
    const button = element('button', { type: 'button' }, words);
    button.dataset.kind = kind.key;
    button.dataset.go = String(dir);
    button.setAttribute('aria-label', `${words}: ${kind.label.toLowerCase()}`);
    nav.append(button);
  }
  const list = element('ol', { className: 'moment-list' });
  for (const { m, i } of of) {
    // (Its line begins with its time: "Day 1, 00:46: scaled up ...".)
    const button = element('button', { type: 'button' }, m.text);
    button.dataset.index = String(i);
    list.append(element('li', {}, button));
  }
  nav.append(element('details', { className: 'moment-items' }, element('summary', {}, `All ${of.length}`), list));
  section.append(nav);
  return section;
}
