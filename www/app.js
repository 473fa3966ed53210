// The page's wiring: the controls' events routed to the modules, and the start.
// Everything long-lived is in the wasm `Playground`.

import init, { World, presetScenario, presetNames, presetInfo, presetOf } from './pkg/autoscale_playground.js';
import { app, $, EMBED, stop, message, setPlaying, updateLink, linked } from './state.js';
import { frame } from './loop.js';
import { startTraining, showAblation } from './training.js';
import { explainCurrent } from './panels.js';
import { applySlice, heatmapTip, explainCell, heatmapKey } from './heatmap.js';
import { load, loadPreset, fetchTrace, showFamily, applyKnobs, buildForm } from './scenario.js';
import { initTimeline } from './timeline.js';
import { initMoments } from './moments.js';
import { initLesson } from './lesson.js';
import { initTweak } from './tweak.js';
import { copyLink, copyEmbed, exportCsv, exportTable, importTable, exportPng, readTrace } from './share.js';

// Space toggles play, except where Space already means something.
function onKey(e) {
  if (e.key !== ' ' || e.ctrlKey || e.altKey || e.metaKey) return;
  if (e.target.closest('input, select, textarea, button, summary, a, canvas, [contenteditable]')) return;
  e.preventDefault();
  setPlaying(!app.playing);
}

function bindControls() {
  $('play').addEventListener('click', () => setPlaying(!app.playing));
  $('step').addEventListener('click', () => {
    setPlaying(false);
    app.pg.step(1);
    app.announcedAt = -Infinity;
    app.dirty = true;
  });
  $('explain').addEventListener('click', explainCurrent);
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
    app.announcedAt = -Infinity;
    app.dirty = true;
  });
  $('train').addEventListener('click', () => {
    const n = Math.max(1, Math.min(5000, Math.round(Number($('train-episodes').value)) || 1));
    app.pg.planTraining(n);
    app.trainedBy = 'page';
    startTraining();
  });
  $('learn-live').addEventListener('change', (e) => {
    app.pg.setLearnLive(e.target.checked);
    app.dirty = true;
  });
  for (const [id, world] of [['show-rule', World.Rule], ['show-oracle', World.Oracle], ['show-predictive', World.Predictive], ['show-no-forecast', null]]) {
    $(id).addEventListener('change', (e) => {
      // No forecast is a world of its own (with an agent to train), not only lines.
      if (world == null) showAblation(e.target.checked);
      else app.pg.showWorld(world, e.target.checked);
      updateLink();
      app.announcedAt = -Infinity;
      app.dirty = true;
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
  if (!EMBED) document.addEventListener('keydown', onKey);
  $('copy-link').addEventListener('click', copyLink);
  $('copy-embed').addEventListener('click', copyEmbed);
  $('export-csv').addEventListener('click', exportCsv);
  $('export-table').addEventListener('click', exportTable);
  $('import-table').addEventListener('change', importTable);
  $('export-png').addEventListener('click', exportPng);
  // Canvases follow the layout: redraw when it changes.
  new ResizeObserver(() => { app.dirty = true; }).observe($('dashboard'));
}

async function main() {
  try {
    await init();
  } catch (e) {
    stop(`Could not load the simulation (${message(e)}). Build it with "make serve".`);
    return;
  }
  if (EMBED) {
    document.documentElement.classList.add('embed');
    $('open-full').hidden = false;
    $('play').removeAttribute('aria-keyshortcuts');
  }
  buildForm();
  bindControls();
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
      $('show-no-forecast').checked = link.view.show_no_forecast;
      app.hideControls = link.view.hide_controls;
      $('scenario').hidden = app.hideControls;
    }
    let error = $('scenario-error').textContent;
    try {
      // A link to a real-trace preset's workload: its trace is fetched first.
      if (link) await fetchTrace(presetInfo(presetOf(link.scenario) ?? '')[1]);
      load(link ? link.scenario : presetScenario(presetNames()[0]));
      // A link to a moment of the run: go there, paused, once trained.
      if (link) app.pg.setStartStep(link.view.start_step);
    } catch (e) {
      // A link that decodes but cannot run here (a replay, whose file it cannot carry).
      if (!link) throw e;
      error = `The link's scenario could not be opened (${message(e)}); showing the ${$('preset').value} preset instead.`;
      load(presetScenario($('preset').value));
    }
    $('scenario-error').textContent = error;
  } catch (e) {
    stop(message(e));
    return;
  }
  requestAnimationFrame(frame);
}

main();
