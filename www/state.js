// The page's state shared by its modules (`app`) and the one way to ask for a
// redraw (`invalidate`), the fatal stop, play on and off, and the share link.
// What the run does (playing, training, the frame's work) is the wasm
// Playground's; `app` holds the page's own things.

import { encodeLink, decodeLink, presetScenario } from './pkg/autoscale_playground.js';

export const $ = (id) => document.getElementById(id);

// Embedded (`?embed=1`): the compact layout (style.css), no keyboard shortcuts and
// no storage. The page uses no storage at all, so the host's settings never matter.
export const EMBED = new URLSearchParams(location.search).get('embed') === '1';

// Every field of the page's own state, declared here and nowhere else (the
// object is sealed: a field added elsewhere throws). Redraws and re-announcements
// are asked for with invalidate(), below, not by writing `dirty` or `announce`.
export const app = {
  // The Playground shown (wasm), null until the first scenario is loaded.
  pg: null,
  // A Playground waiting to replace the one shown while its agent trains (a
  // changed scenario; scenario.js, training.js), or null.
  next: null,
  // The Playground's state, read where the modules expect it.
  get playing() { return this.pg?.playing ?? false; },
  get training() { return this.pg?.training ?? false; },
  get fitted() { return this.pg?.fitted ?? true; },
  // The training worker (trainer.js), null until a training needs it or when
  // the browser refused it (training then runs on this thread).
  worker: null,
  // The training the worker's messages must name to be heard: raised whenever
  // what it trains is no longer wanted.
  trainingId: 0,
  // Counts loads, so that a late answer for a replaced scenario is ignored.
  loads: 0,
  // The worker's last report on the training of the Playground shown
  // ({episode, episodes, ablation}), or null; and on the waiting one's.
  progress: null,
  nextProgress: null,
  // Where the agent's first training came from: 'build' (a preset's, prebuilt)
  // or 'page' (trained here).
  trainedBy: null,
  // What happened when the waiting Playground last took over (or failed to),
  // in words, or null (tweak.js shows it).
  tookOver: null,
  // Set when a Playground took over from a playing one: it plays once it has
  // reached the step (loop.js).
  resume: false,
  // A redraw is asked for (set by invalidate() only; the frame loop clears it).
  dirty: true,
  // The screen-reader texts are to be refreshed on the next draw though they
  // are throttled while playing (set by invalidate() only; panels.js clears it).
  announce: true,
  // The page stopped on a fatal error (stop()): no more frames.
  dead: false,
  // The speed (timeline.js): steps a frame, or steps a second (`perSecond`,
  // when not 0); and the steps a frame played lately, smoothed (loop.js).
  speed: 10,
  perSecond: 0,
  played: 10,
  // The capacity chart's zoom, in hours around the current step (0: the whole run).
  zoom: 0,
  // How a link shows the page (src/link.rs, Presentation): the controls the
  // students see ('full', 'charts' or 'playback'), whether it plays once
  // trained, and the guided lesson. The page's own link keeps them.
  view: { controls: 'full', autoplay: false, lesson: false, presenter: false },
  // The shown scenario's SLA (p95, s), step length (s) and forecaster's name
  // (upper case), read when it is shown; null before.
  sla: null,
  dt: null,
  forecaster: '',
  // The heatmap's keyboard cursor ({bin, row}), or null.
  cursor: null,
  // The moment last opened (its index in the run's moments), or null.
  openedMoment: null,
  // The Playground's metrics as the last frame drawn showed them, null before.
  metrics: null,
  // The trace file read last, {name, text}: a replay scenario's data, which its
  // link cannot carry.
  replay: null,
};
Object.seal(app);

// Asks for the page to be drawn again on the next frame, though the run did
// not change (a control, a resize, a new Playground); with `announce`, for the
// screen-reader texts (the forensics mirror, the charts' text alternatives) to
// be refreshed then too, which playing otherwise throttles. The one way to ask
// for either.
export function invalidate({ announce = false } = {}) {
  app.dirty = true;
  if (announce) app.announce = true;
}

export function stop(message) {
  app.dead = true;
  const fatal = $('fatal');
  fatal.textContent = message;
  fatal.hidden = false;
}

window.addEventListener('playground-panic', (e) => stop(`The simulation stopped on an internal error: ${e.detail}`));

export const message = (e) => String(e?.message ?? e);

// Plays or pauses (refused while training runs on this thread; a finished run
// restarts).
export function setPlaying(on) {
  if (app.dead || !app.pg.setPlaying(on)) return;
  invalidate({ announce: true });
}

// The CSV a scenario replays (the trace file read last), if it is a replay.
export function replayCsv(json) {
  return JSON.parse(json).workload?.family === 'replay' ? app.replay?.text : undefined;
}

// The preset menu's entry for a scenario (JSON) whose workload is `preset`'s
// (presetOf): the preset when the scenario is exactly the preset's, and ''
// ("custom") once a knob, the seed or the trace differs.
export function presetShown(json, preset) {
  if (!preset) return '';
  const canonical = (j) => JSON.stringify(JSON.parse(j));
  return canonical(json) === canonical(presetScenario(preset)) ? preset : '';
}

// ---- the link ----

// The URL's hash is the share link of what is shown: scenario and toggles.
export function updateLink() {
  history.replaceState(null, '', `#${linkHash(0)}`);
  $('open-full').href = pageUrl(false, 0);
}

// The share link of the applied scenario (every knob, seed and forecaster) and
// the view, opening at `startStep`, with `view` ({controls, autoplay, lesson}).
function linkHash(startStep, view = app.view) {
  return encodeLink(app.pg.scenarioJson(), JSON.stringify({
    show_rule: $('show-rule').checked,
    show_oracle: $('show-oracle').checked,
    show_predictive: $('show-predictive').checked,
    show_no_forecast: $('show-no-forecast').checked,
    start_step: startStep,
    hide_controls: false,
    controls: view.controls,
    autoplay: view.autoplay,
    lesson: view.lesson,
    presenter: view.presenter,
  }));
}

// This page's address with the share link, as the full page or embedded; other
// query parameters are kept.
export function pageUrl(embed, startStep, view = app.view) {
  const url = new URL(location.href);
  if (embed) url.searchParams.set('embed', '1');
  else url.searchParams.delete('embed');
  url.hash = linkHash(startStep, view);
  return url.href;
}

// A link's view as the page applies it: links made before `controls` existed
// hide the scenario with `hide_controls`, read as 'charts'.
export function linkView(view) {
  const controls = view.controls === 'full' && view.hide_controls ? 'charts' : view.controls;
  return { controls, autoplay: view.autoplay, lesson: view.lesson, presenter: view.presenter };
}

// A link edited in the address bar while the page runs (the page's own updates
// replace the address and fire no event): a link the page can read opens as at
// the start (the page reloads on it); one it refuses, a file's path for a trace
// say, is named in the banner, the address goes back to the run's own link,
// and the run goes on untouched.
export function followEditedLinks() {
  window.addEventListener('hashchange', () => {
    const hash = location.hash.slice(1);
    if (!hash) {
      updateLink();
      return;
    }
    try {
      decodeLink(hash);
    } catch (e) {
      $('scenario-error').textContent = `The link could not be read (${message(e)}); the run goes on unchanged.`;
      updateLink();
      return;
    }
    location.reload();
  });
}

// The scenario and view of the link the page was opened with, if any.
export function linked() {
  const hash = location.hash.slice(1);
  if (!hash) return null;
  try {
    return decodeLink(hash);
  } catch (e) {
    $('scenario-error').textContent = `The link could not be read (${message(e)}); showing the ${$('preset').value} preset instead.`;
    return null;
  }
}
