// Time a class can follow: the speeds (a few steps a second, then steps a
// frame), the scrubber over the run's steps, the capacity chart's zoom, and
// seeking by a click or a drag on the capacity chart (a click on a moment's
// marker opens that moment).

import { app, invalidate, $ } from './state.js';
import { openMoment } from './moments.js';

// Slowest first: 1, 2 and 5 steps a second (paced by the clock, loop.js), then
// steps a frame. The page opens at 1 step a frame (index 3): an hour of the run
// a second at the default step of a minute, so a day's wave plays in about 24 s
// and the whole three-day run in a minute and a quarter, slow enough to follow,
// fast enough that a newcomer sees the agent's day. A class slows it further.
export const SPEEDS = [
  { perSecond: 1 }, { perSecond: 2 }, { perSecond: 5 },
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].map((n) => ({ perFrame: n })),
];
const DEFAULT_SPEED = 3;

// The zoom's windows around the current step, in hours (0: the whole run).
const ZOOMS = [[0, 'whole run'], [12, '12 h'], [6, '6 h'], [2, '2 h']];

// The speed asked for in words: "2 steps/s" or "10 steps/frame".
export function speedWords() {
  const plural = (n) => (n === 1 ? '' : 's');
  return app.perSecond ? `${app.perSecond} step${plural(app.perSecond)}/s` : `${app.speed} step${plural(app.speed)}/frame`;
}

function setSpeed(index) {
  const speed = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, index))];
  app.perSecond = speed.perSecond ?? 0;
  app.speed = speed.perFrame ?? 0;
  app.played = app.speed;
  invalidate();
}

// The run's time at a step, "day 1, 20:34" (the core's clock, for any step).
// The end of a run of whole days is 24:00 of its last day ("day 3, 24:00"), as
// the core's clock says, not a day the run does not have.
export function timeAt(step, steps) {
  const t = Math.floor(step * (app.dt ?? 60));
  const two = (n) => String(n).padStart(2, '0');
  if (steps != null && step >= steps && t > 0 && t % 86400 === 0) return `day ${t / 86400}, 24:00`;
  return `day ${Math.floor(t / 86400) + 1}, ${two(Math.floor((t % 86400) / 3600))}:${two(Math.floor((t % 3600) / 60))}`;
}

// A step number as the page writes it: "1,234".
export const stepWords = (step) => step.toLocaleString('en-US');

// Set while the scrubber or the chart is being dragged: the step asked for,
// which the scrubber shows until the seek is done.
let target = null;

function seek(step) {
  if (app.dead || !app.pg) return;
  target = step;
  app.pg.seek(step);
  invalidate({ announce: true });
}

function element(tag, props = {}, ...children) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

export function initTimeline() {
  // The speed control is the page's (#speed); its steps are these.
  const speed = $('speed');
  speed.max = String(SPEEDS.length - 1);
  speed.value = String(DEFAULT_SPEED);
  speed.addEventListener('input', () => setSpeed(Number(speed.value)));
  setSpeed(Number(speed.value));

  const scrub = element('input', { id: 'scrub', type: 'range', min: '0', max: '0', step: '1', value: '0' });
  const at = element('output', { id: 'scrub-at', htmlFor: 'scrub' }, timeAt(0));
  // An <output> is a live region by default: the scrubber's time is not spoken
  // every step (the headline is).
  at.setAttribute('aria-live', 'off');
  scrub.addEventListener('input', () => seek(Number(scrub.value)));
  // The drag's last seek stands; the scrubber follows the run again once there.
  scrub.addEventListener('change', () => seek(Number(scrub.value)));

  const zoom = element('select', { id: 'zoom' });
  for (const [hours, words] of ZOOMS) zoom.add(new Option(words, String(hours)));
  zoom.addEventListener('change', () => setZoom(Number(zoom.value)));

  $('timeline').append(
    element('label', { htmlFor: 'scrub', className: 'scrub-label' }, 'Time'),
    scrub,
    at,
    element('label', { htmlFor: 'zoom' }, 'Zoom'),
    zoom,
  );
  bindChart($('capacity-canvas'));
}

// The capacity chart's zoom: `hours` around the current step (0: the whole run).
export function setZoom(hours) {
  app.zoom = hours;
  $('zoom').value = String(hours);
  app.pg.setZoom(hours);
  invalidate();
}

// A press on the capacity chart: on a moment's marker, opens it; elsewhere in
// the plot, seeks there, and on while dragged.
function bindChart(canvas) {
  let dragging = false;
  const stepUnder = (e) => app.pg.stepAt(e.offsetX, e.offsetY);
  canvas.addEventListener('pointerdown', (e) => {
    if (app.dead || !app.pg || e.button !== 0) return;
    const moment = app.pg.momentAt(e.offsetX, e.offsetY);
    if (moment != null) {
      openMoment(moment);
      return;
    }
    const step = stepUnder(e);
    if (step == null) return;
    dragging = true;
    canvas.setPointerCapture(e.pointerId);
    seek(step);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!dragging) return;
    const step = stepUnder(e);
    if (step != null && step !== target) seek(step);
  });
  const end = () => { dragging = false; };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
}

// Once a frame that changed something: the scrubber over this run's steps, at
// its step (or the step a seek goes to), and its clock.
export function showTimeline(m) {
  const scrub = $('scrub');
  if (!scrub) return;
  if (scrub.max !== String(m.steps)) scrub.max = String(m.steps);
  if (!m.seeking) target = null;
  const step = target ?? m.step;
  // Not while the scrubber is being dragged (it holds the pointer then).
  if (document.activeElement !== scrub || !scrub.matches(':active')) {
    if (scrub.value !== String(step)) scrub.value = String(step);
  }
  const words = `step ${stepWords(step)} of ${stepWords(m.steps)} · ${timeAt(step, m.steps)}${m.seeking ? ' (going there…)' : ''}`;
  if (scrub.getAttribute('aria-valuetext') !== words) scrub.setAttribute('aria-valuetext', words);
  const at = $('scrub-at');
  const shown = timeAt(step, m.steps);
  if (at.textContent !== shown) at.textContent = shown;
}
