// The guided lesson (a link's `view.lesson`): a few of the run's moments, one
// caption each, written from the source document's questions, with Back, Next
// and "step k of n". It opens on its list of questions, the run where the link
// put it, until Start. Each step opens the first moment of its kind (a kind the
// run lacks is skipped, and the panel says so); the last focuses the heatmap
// and explains the current decision. Captions quote the run's own figures: the
// moment's line and the scoreboard at that step. One step opens no moment: the
// forecast's worth, the whole run's figures of Elastic against the same agent
// trained without the forecast (the ablation world, No forecast, which a lesson
// link always shows), the run played to its end, in the verdict's words.

import { app, invalidate, $ } from './state.js';
import { explainCurrent } from './panels.js';
import { openMoment } from './moments.js';
import { setZoom } from './timeline.js';

// The zoom a step of the lesson shows its moment in, unless one is chosen: a
// few hours around it, where a spike is wider than a line.
const LESSON_ZOOM_HOURS = 6;

// Seconds as the page writes a delay: "5 min", "90 s".
const delay = (s) => (s >= 60 && s % 60 === 0 ? `${s / 60} min` : `${s} s`);
const fixed = (v, digits) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(digits));
// Violation steps as the verdict writes them: whole when they are whole (the
// exact physics), else expected with one decimal (the fluid's).
const stepsWords = (v) => (v == null || !Number.isFinite(v) ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(1));
// A saving as words: "12.3 % less", or "4.5 % more" when it is none.
const less = (v) => `${fixed(Math.abs(v), 1)} % ${v < 0 ? 'more' : 'less'}`;
// A moment's line as a sentence.
const sentence = (text) => `${text.replace(/[.\s]+$/, '')}.`;

// The lesson's steps, in the order of the source document's questions: the
// kind of moment each opens (none: the heatmap), the question, and its caption
// from the moment's line `text` (the heatmap's: the current decision's), the
// run's worlds `w` by kind and its scenario `s`.
const STEPS = [
  {
    kind: 'oscillation',
    absent: 'an oscillation',
    question: 'Why does the blue line wiggle?',
    caption: (text, w, s) => `Here: ${sentence(text)} The agent acts on a coarse state (utilisation bin, trend, forecast): noise across a bin edge flips its choice, and a change costs it only ${Math.abs(s.reward.per_change)} in reward. Elastic has changed capacity ${w.elastic?.capacity_changes ?? '–'} times so far.`,
  },
  {
    kind: 'pre_emptive',
    absent: 'a pre-emptive scale-up',
    question: 'Why does the agent sometimes scale up before the spike?',
    caption: (text, w, s, run, f) => `Here: ${sentence(text)} Its replicas were ready before the demand rose past what the old fleet carried${f.includes('safety floor scaled up') ? ': the safety floor added them this time, not the learnt values' : ''}. The forecast is in the agent's state, so when the forecast rises it can add replicas a boot delay (${delay(s.scaling.boot_delay_s)}) ahead; the forensics show what it read at this step (its need also counts the requests waiting and the last five minutes' highest need, so it may have acted on those). So far ${w.elastic?.scale_ups.early ?? '–'} of its scale-ups came early, ${w.elastic?.scale_ups.late ?? '–'} late.`,
  },
  {
    kind: 'late_reaction',
    absent: 'a late reaction',
    question: 'What happens when it reacts late?',
    caption: (text, w, s) => `Here: ${sentence(text)} A replica takes ${delay(s.scaling.boot_delay_s)} to boot: added after the rise, it comes too late, and requests queue past the SLA (p95 at most ${s.sla.p95_s} s) meanwhile. Elastic has broken the SLA in ${stepsWords(w.elastic?.sla_violation_steps)} steps so far (${fixed(w.elastic?.sla_violation_pct, 1)} %).`,
  },
  {
    kind: 'saving',
    absent: 'a saving in a dip',
    question: 'Why is the saving what it is?',
    caption: (text, w, s, run) => `Here: ${sentence(text)} Static pays for the peak all day; in a dip Elastic runs fewer replicas: the shaded area between the orange-red and blue lines is the saving (paler where it is still to be played). So far Elastic has cost ${fixed(w.elastic?.cost, 2)}, Static ${fixed(w.static?.cost, 2)}: ${less(w.elastic?.saving_pct)}${run.elastic ? `; over the whole run, ${less(run.elastic.saving_pct)}` : ''}.`,
  },
  {
    kind: 'forecast',
    absent: 'the agent without the forecast (tick \u201cNo forecast\u201d)',
    question: 'Does the forecast pay?',
    // At the run's end, the verdict's own sentence on the ablation: the figures
    // and what the forecast buys, whichever way it goes.
    caption: (text, w, s, run, f, m) => (m.step < m.steps ? 'Playing the run to its end\u2026' : `Over the whole run, Elastic, with the forecast in its state, costs ${fixed(w.elastic?.cost, 2)} with ${stepsWords(w.elastic?.sla_violation_steps)} SLA-violation steps. ${m.verdict.match(/Without the forecast.*/)?.[0] ?? ''}`),
  },
  {
    kind: null,
    question: 'What does the heatmap say?',
    caption: (now) => `Each cell is a state (utilisation and capacity, for one trend and forecast); its colour is the value of the best action there, its mark the action taken. The framed cell is the state now: ${sentence(now)} The forensics say why, and what the other actions would have led to.`,
  },
];

// The lesson under way: its steps (with the moment each opens) and where it is.
let lesson = null;

function element(tag, props = {}, ...children) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

export function initLesson(link) {
  if (!link?.view?.lesson) return;
  const panel = $('lesson');
  const back = element('button', { id: 'lesson-back', type: 'button' }, 'Back');
  const next = element('button', { id: 'lesson-next', type: 'button' }, 'Next');
  const close = element('button', { id: 'lesson-close', type: 'button', title: 'Close the lesson' }, '\u00d7');
  close.setAttribute('aria-label', 'Close the lesson');
  panel.append(
    element('div', { className: 'lesson-head' }, element('h2', {}, 'Guided lesson'), element('span', { id: 'lesson-progress', className: 'status' }), close),
    element('h3', { id: 'lesson-question' }),
    element('p', { id: 'lesson-caption', className: 'caption' }),
    element('p', { id: 'lesson-skipped', className: 'status' }),
    element('div', { className: 'row' }, back, next),
  );
  panel.setAttribute('aria-live', 'polite');
  back.addEventListener('click', () => go(lesson.at - 1));
  next.addEventListener('click', () => go(lesson.at + 1));
  close.addEventListener('click', () => {
    panel.hidden = true;
    lesson = null;
  });
  lesson = { steps: null, skipped: [], at: -1 };
  panel.hidden = false;
  $('lesson-question').textContent = 'Finding the run\u2019s moments\u2026';
  back.disabled = true;
  next.disabled = true;
}

// The steps this run has: each kind's first moment; kinds without one skipped
// (the forecast's step without the ablation world).
function plan({ moments, frontier }) {
  const steps = [];
  const skipped = [];
  for (const step of STEPS) {
    const index = step.kind === 'forecast' ? (frontier?.worlds.some((w) => w.kind === 'no_forecast') ? null : -1)
      : step.kind ? moments.findIndex((m) => m.kind === step.kind) : null;
    if (index === -1) skipped.push(step.absent);
    else steps.push({ ...step, index });
  }
  return { steps, skipped };
}

// Goes to step `k` (from 0; -1: the list of questions) and opens what it shows.
function go(k) {
  if (!lesson?.steps || k < -1 || k >= lesson.steps.length) return;
  lesson.at = k;
  invalidate();
  const step = lesson.steps[k];
  // On the heatmap's step the panel floats beside it, the caption on screen.
  $('lesson').classList.toggle('floating', !!step && !step.kind);
  if (k < 0) return;
  if (step.index != null) {
    if (!app.zoom) setZoom(LESSON_ZOOM_HOURS);
    openMoment(step.index);
  } else if (step.kind) {
    // The forecast's worth: the whole run, played to its end.
    setZoom(0);
    app.pg.seek(app.metrics.steps);
  } else {
    // The heatmap and the current decision explained.
    const heatmap = $('heatmap-canvas');
    heatmap.focus({ preventScroll: true });
    heatmap.scrollIntoView({ block: 'center', behavior: 'smooth' });
    explainCurrent();
  }
}

// The scenario of the Playground shown, read once per Playground.
let scenarioOf = { pg: null, s: null };
function scenario() {
  if (scenarioOf.pg !== app.pg) scenarioOf = { pg: app.pg, s: JSON.parse(app.pg.scenarioJson()) };
  return scenarioOf.s;
}

const set = (id, text) => {
  const el = $(id);
  if (el.textContent !== text) el.textContent = text;
};

// Once a frame that changed something: the lesson planned once the run's
// moments are known (then its first step opened), and the step's caption with
// the figures at the step shown.
export function showLesson(m) {
  if (!lesson) return;
  if (!m.lookahead_done) {
    // A new run (a scenario applied) has moments of its own: planned anew.
    if (lesson.steps) {
      lesson.steps = null;
      set('lesson-question', 'Finding the run\u2019s moments\u2026');
      set('lesson-caption', '');
      $('lesson-back').disabled = true;
      $('lesson-next').disabled = true;
    }
    return;
  }
  if (!lesson.steps) {
    Object.assign(lesson, plan(m), { at: -1 });
    // (tests/e2e/lesson.test.mjs holds the diurnal preset to it.)
    set('lesson-skipped', lesson.skipped.length ? `Not in this run, so skipped: ${lesson.skipped.join(', ')}. The diurnal preset\u2019s run has every kind of moment.` : '');
  }
  const n = lesson.steps.length;
  set('lesson-next', lesson.at < 0 ? 'Start' : 'Next');
  if (lesson.at < 0) {
    set('lesson-progress', `${n} steps`);
    set('lesson-question', `${n} questions about this run`);
    set('lesson-caption', lesson.steps.map((s) => s.question).join(' '));
    $('lesson-back').disabled = true;
    $('lesson-next').disabled = false;
    return;
  }
  const step = lesson.steps[lesson.at];
  set('lesson-progress', `step ${lesson.at + 1} of ${n}`);
  set('lesson-question', step.question);
  const worlds = Object.fromEntries(m.worlds.map((w) => [w.kind, w]));
  // A moment's line, or for the heatmap the current decision's (the forensics' first line).
  const forensics = app.pg.forensicsText();
  const text = step.index != null ? m.moments[step.index]?.text ?? '' : forensics.split('\n')[0];
  // The whole run's figures, from the run played ahead.
  const run = Object.fromEntries((m.frontier?.worlds ?? []).map((w) => [w.kind, w]));
  set('lesson-caption', step.caption(text, worlds, scenario(), run, forensics, m));
  $('lesson-back').disabled = false;
  $('lesson-next').disabled = lesson.at === n - 1;
}
