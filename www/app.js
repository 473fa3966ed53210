// The page's wiring: the controls' events routed to the modules, and the start.
// Everything long-lived is in the wasm `Playground`.
//
// index.html carries no comments (its gzip bytes count in the page's budget); of
// its parts: the Content-Security-Policy lets only the page's own files run or
// load (frame-ancestors cannot be set there: a meta policy ignores it, it needs
// an HTTP header from the server); the wasm is preloaded in parallel with the
// scripts, as the glue's fetch() asks for it (same-origin CORS mode), so that
// its request finds the preload; pkg/app.js (this module, bundled) runs as soon
// as it arrives (async): it starts the wasm, then waits for the page; #timeline
// is filled by timeline.js (speeds, scrubber, zoom); #share opens over the page,
// so that nothing below it moves.

import init, { World, presetScenario, presetNames, presetInfo, presetOf } from './pkg/autoscale_playground.js';
import { app, invalidate, $, EMBED, stop, message, setPlaying, updateLink, linked, linkView, followEditedLinks } from './state.js';
import { frame } from './loop.js';
import { startTraining, showAblation, warmWorker } from './training.js';
import { explainCurrent } from './panels.js';
import { applySlice, heatmapTip, explainCell, heatmapKey } from './heatmap.js';
import { load, loadPreset, fetchTrace, showFamily, applyKnobs, buildForm } from './scenario.js';
import { initTimeline } from './timeline.js';
import { initMoments } from './moments.js';
import { initLesson } from './lesson.js';
import { initTweak } from './tweak.js';
import { copyLink, copyClassLink, copyEmbed, HEIGHT_MESSAGE, exportCsv, exportTable, importTable, exportPng, readTrace } from './share.js';

// Space plays or pauses wherever the focus is, except in a field that takes
// text (a text or number box, a menu, a text area): a check box, a radio
// button, a slider or a button clicked last takes no Space, so it neither
// flips "No forecast" (which would retrain the agent) nor presses Step. Enter
// still presses buttons and a click still ticks a box.
const TAKES_TEXT = 'textarea, select, [contenteditable], input:not([type=checkbox]):not([type=radio]):not([type=range]):not([type=button]):not([type=submit]):not([type=reset]):not([type=color]):not([type=file])';
const isSpace = (e) => e.key === ' ' && !e.ctrlKey && !e.altKey && !e.metaKey;
function onKey(e) {
  if (e.target.closest?.(TAKES_TEXT) || e.ctrlKey || e.altKey || e.metaKey) return;
  if (e.key === 'p' || e.key === 'P') {
    // Presenter mode, for a projector; the link keeps it.
    app.view = { ...app.view, presenter: !app.view.presenter };
    document.documentElement.classList.toggle('presenter', app.view.presenter);
    updateLink();
    invalidate();
    return;
  }
  if (!isSpace(e)) return;
  e.preventDefault();
  if (!e.repeat) setPlaying(!app.playing);
}
// A check box or a button acts on Space's release: taken here too.
function onKeyUp(e) {
  if (isSpace(e) && !e.target.closest?.(TAKES_TEXT)) e.preventDefault();
}

// A link's view: the controls it hides (classes on <html>, style.css), the
// guided lesson's flag, and paused unless it says to play.
function applyView(view) {
  app.view = view;
  const root = document.documentElement.classList;
  root.toggle('controls-charts', view.controls === 'charts');
  root.toggle('controls-playback', view.controls === 'playback');
  root.toggle('presenter', !!view.presenter);
  app.pg.setAutoplay(view.autoplay);
}

// A menu that opens over the page (Share and export, on a wide screen) covers
// the controls beneath it: a click outside it closes it (the click still does
// what it was for), and so does Escape in it, the focus back on its summary.
function bindMenus() {
  const menus = [...document.querySelectorAll('details.menu')];
  const over = (menu) => getComputedStyle(menu.querySelector('.menu-body')).position === 'absolute';
  document.addEventListener('click', (e) => {
    for (const menu of menus) {
      if (menu.open && !menu.contains(e.target) && over(menu)) menu.open = false;
    }
  });
  for (const menu of menus) {
    menu.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !menu.open) return;
      menu.open = false;
      menu.querySelector('summary').focus();
    });
  }
}

// Embedded, the host page learns the page's height whenever it changes, to size
// its frame (the listener is in the embed snippet, share.js).
function postHeight() {
  let posted = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === posted) return;
    posted = height;
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, '*');
  }).observe(document.documentElement);
}

function bindControls() {
  $('play').addEventListener('click', () => setPlaying(!app.playing));
  $('step').addEventListener('click', () => {
    setPlaying(false);
    app.pg.step(1);
    invalidate({ announce: true });
  });
  $('explain').addEventListener('click', explainCurrent);
  $('replay-exact').addEventListener('click', () => {
    const status = $('exact-status');
    try {
      app.pg.replayExact();
      status.dataset.error = '';
    } catch (e) {
      status.textContent = `Cannot replay: ${message(e)}.`;
      status.dataset.error = '1';
    }
    invalidate();
  });
  $('copy-forensics').addEventListener('click', async () => {
    const button = $('copy-forensics');
    try {
      await navigator.clipboard.writeText(app.pg.forensicsText());
      button.textContent = 'Copied';
    } catch (e) {
      button.textContent = `Could not copy: ${message(e)}`;
    }
    setTimeout(() => { button.textContent = 'Copy the forensics text'; }, 2000);
  });
  $('reset').addEventListener('click', () => {
    app.pg.reset();
    invalidate({ announce: true });
  });
  // Reaching for a control that trains (a knob of "Change one thing" or of the
  // scenario, New seed, a preset, a trace file, Train, No forecast) starts the
  // training worker ahead of the click that needs it.
  for (const id of ['tweak', 'scenario-panel', 'show-no-forecast']) {
    for (const type of ['focusin', 'pointerdown']) $(id).addEventListener(type, warmWorker, { passive: true });
  }
  $('train').addEventListener('click', () => {
    const n = Math.max(1, Math.min(5000, Math.round(Number($('train-episodes').value)) || 1));
    app.pg.planTraining(n);
    app.trainedBy = 'page';
    startTraining();
  });
  $('learn-live').addEventListener('change', (e) => {
    app.pg.setLearnLive(e.target.checked);
    invalidate();
  });
  for (const [id, world] of [['show-rule', World.Rule], ['show-oracle', World.Oracle], ['show-predictive', World.Predictive], ['show-no-forecast', null]]) {
    $(id).addEventListener('change', (e) => {
      // No forecast is a world of its own (with an agent to train), not only lines.
      if (world == null) showAblation(e.target.checked);
      else app.pg.showWorld(world, e.target.checked);
      updateLink();
      invalidate({ announce: true });
    });
  }
  $('preset').addEventListener('change', (e) => {
    loadPreset(e.target.value).catch((err) => { $('scenario-error').textContent = message(err); });
  });
  document.querySelector('[data-key="workload.family"]').addEventListener('change', (e) => showFamily(e.target.value));
  $('scenario').addEventListener('submit', applyKnobs);
  $('trace-file').addEventListener('change', readTrace);
  $('slice-trend').addEventListener('change', applySlice);
  $('slice-forecast').addEventListener('change', applySlice);
  const heatmap = $('heatmap-canvas');
  heatmap.addEventListener('mousemove', heatmapTip);
  heatmap.addEventListener('mouseleave', () => { $('heatmap-tip').hidden = true; });
  heatmap.addEventListener('click', (e) => {
    const cell = app.pg.cellAt(e.offsetX, e.offsetY);
    if (cell) explainCell(cell.bin, cell.row);
  });
  heatmap.addEventListener('keydown', heatmapKey);
  // Embedded, the host page's keys stay the host page's.
  if (!EMBED) {
    document.addEventListener('keydown', onKey);
    document.addEventListener('keyup', onKeyUp);
  }
  $('copy-link').addEventListener('click', copyLink);
  $('copy-class-link').addEventListener('click', copyClassLink);
  $('copy-embed').addEventListener('click', copyEmbed);
  $('export-csv').addEventListener('click', exportCsv);
  $('export-table').addEventListener('click', exportTable);
  $('import-table').addEventListener('change', importTable);
  $('export-png').addEventListener('click', exportPng);
  // Canvases follow the layout: redraw when it changes.
  new ResizeObserver(() => invalidate()).observe($('dashboard'));
}

// index.html runs this module as soon as it arrives (async), so that the wasm
// compiles while the page is still parsed and styled; the page is used once
// both are done.
function styled() {
  const parsed = document.readyState === 'loading'
    ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }))
    : Promise.resolve();
  return parsed.then(() => Promise.all([...document.querySelectorAll('link[rel=stylesheet]')]
    .filter((link) => !link.sheet)
    .map((link) => new Promise((resolve) => {
      link.addEventListener('load', resolve, { once: true });
      link.addEventListener('error', resolve, { once: true });
    }))));
}

async function main() {
  // The e2e tests' handle (tests/e2e/testhook.js, which the harness installs).
  window.playgroundInternals = { app, invalidate };
  let failed = null;
  try {
    await init();
  } catch (e) {
    failed = e;
  }
  await styled();
  if (failed) {
    stop(`Could not load the simulation (${message(failed)}). Build it with "make serve".`);
    return;
  }
  if (EMBED) {
    document.documentElement.classList.add('embed');
    $('open-full').hidden = false;
    $('play').removeAttribute('aria-keyshortcuts');
    if (window.parent !== window) postHeight();
  }
  buildForm();
  // Shown when the scenario is no preset's (knobs changed, a trace replayed).
  const custom = new Option('custom', '');
  custom.disabled = true;
  $('preset').add(custom);
  bindControls();
  bindMenus();
  initTimeline();
  initMoments();
  initTweak();
  try {
    const link = linked();
    // Read before the first load rewrites the URL's hash (updateLink).
    initLesson(link);
    if (link) {
      $('show-rule').checked = link.view.show_rule;
      $('show-oracle').checked = link.view.show_oracle;
      $('show-predictive').checked = link.view.show_predictive;
      // A lesson asks whether the forecast pays: it shows the world without it.
      $('show-no-forecast').checked = link.view.show_no_forecast || link.view.lesson;
      app.view = linkView(link.view);
    }
    let error = $('scenario-error').textContent;
    try {
      // A link to a real-trace preset's workload: its trace is fetched first.
      if (link) await fetchTrace(presetInfo(presetOf(link.scenario) ?? '')[1]);
      load(link ? link.scenario : presetScenario(presetNames()[0]));
      // A link opens paused (unless it says to play), at its step once trained.
      if (link) {
        applyView(app.view);
        // An embed that would open paused at step 0, on an empty chart, opens
        // on the finished run instead (its whole story drawn, the scoreboard
        // final); Play plays it from the start.
        const poster = EMBED && !app.view.autoplay && link.view.start_step === 0;
        app.pg.setStartStep(poster ? 0xffffffff : link.view.start_step);
      }
    } catch (e) {
      // A link that decodes but cannot run here (a replay, whose file it cannot carry).
      if (!link) throw e;
      error = `The link's scenario could not be opened (${message(e)}); showing the ${$('preset').value} preset instead.`;
      load(presetScenario($('preset').value));
      applyView(app.view);
    }
    $('scenario-error').textContent = error;
  } catch (e) {
    stop(message(e));
    return;
  }
  followEditedLinks();
  // The first frame now, in this task: before anything optional (the preset's
  // training, the worker) has arrived or started; then one every display frame.
  frame();
}

main();
