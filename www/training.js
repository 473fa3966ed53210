// Training: in the worker (trainer.js) or on this thread without one, and the
// build's training of a preset adopted. The Playground keeps the training state
// and decides what follows it (play, or go to a link's step). With the ablation
// world ("No forecast") shown, its agent is trained alongside, the same way.

import { app, $, stop, message, replayCsv } from './state.js';

// Trains the current Playground's plan: in the worker while the page plays on
// (the worker continues from the page's training state, which may be the build's
// training of a preset), or on this thread across frames without one.
export function startTraining() {
  app.progress = null;
  app.dirty = true;
  // The worker is started by the first training that needs it: a preset trained
  // at build time loads no worker (nor a second copy of the wasm).
  if (!app.worker && !workerFailed) startWorker();
  app.pg.startTraining(!app.worker);
  if (!app.worker) return;
  app.trainingId += 1;
  const state = app.pg.trainingState();
  const json = app.pg.scenarioJson();
  app.worker.postMessage({
    start: json, replay: replayCsv(json), resume: state.episode > 0 ? state : null,
    ablation: app.pg.ablationState() ?? null, id: app.trainingId,
  });
}

// Adds or removes the ablation world, "No forecast". Its agent is trained as the
// Elastic world's is: in the worker while the run plays on (an episode can take
// longer than a frame, so never on this thread while a worker can do it), or on
// this thread across frames without a worker. Training under way goes on with
// or without it; with nothing left to train, the worker stops.
export function showAblation(on) {
  app.pg.setAblation(on);
  if (!app.pg.trained) {
    startTraining();
  } else if (app.worker) {
    app.trainingId += 1;
    app.progress = null;
    app.worker.postMessage({ stop: true });
  }
}

function onTrainingMessage({ data }) {
  if (app.dead || data.id !== app.trainingId) return;
  app.dirty = true;
  if (data.error) {
    app.pg.stopTraining();
    $('train-status').textContent = `training failed: ${data.error}`;
    return;
  }
  const a = data.ablation;
  app.progress = { episode: data.episode, episodes: data.episodes, ablation: a ? { episode: a.episode, episodes: a.episodes } : null };
  if ('table' in data) {
    try {
      // The ablation's first: when it ends every plan, the Elastic world's has
      // ended before (the page holds that table already).
      if ((a && app.pg.adoptAblation(a.table, a.curve, a.episode, a.episodes))
        || app.pg.adoptTraining(data.table, data.curve, data.episode, data.episodes)) app.progress = null;
    } catch (e) {
      stop(`Training could not be used: ${message(e)}`);
    }
  }
}

// Set when the browser refused the worker: training then runs on this thread.
let workerFailed = false;

function startWorker() {
  try {
    // Beside this module: www/trainer.js, or pkg/trainer.js (its bundle) when the
    // page runs this module bundled into pkg/app.js.
    const worker = new Worker(new URL('./trainer.js', import.meta.url), { type: 'module' });
    worker.onmessage = onTrainingMessage;
    worker.onerror = (e) => {
      // Without a worker, training runs on this thread across frames.
      e.preventDefault();
      worker.terminate();
      app.worker = null;
      workerFailed = true;
      if (app.training) startTraining();
    };
    app.worker = worker;
  } catch {
    app.worker = null;
    workerFailed = true;
  }
}

// The first training of a newly loaded Playground `pg`. A preset starts with its
// training done at build time (scripts/build-wasm.sh), which the Playground
// adopts only for exactly its scenario; anything else trains here. Until then,
// the worker's messages about the previous scenario are ignored.
export function trainLoaded(pg, preset) {
  const loaded = ++app.loads;
  app.trainingId += 1;
  const file = preset ? fetchPrebuilt(preset) : Promise.resolve(null);
  file.then((p) => {
    if (loaded !== app.loads || app.dead) return;
    try {
      if (p && pg.adoptPrebuilt(p.fingerprint, p.table, p.curve, p.episode, p.episodes)) {
        app.trainedBy = 'build';
        app.dirty = true;
        // The ablation's agent, when shown, has no build-time training.
        if (!pg.trained) startTraining();
        return;
      }
    } catch {
      // A file that is not a training state: train instead.
    }
    app.trainedBy = 'page';
    startTraining();
  });
}

// The build's training state of a preset (null when there is none, or no fetch
// from file://). Each file is fetched once. Beside the page, not this module: the
// page runs this module bundled into pkg/app.js (scripts/build-wasm.sh).
const prebuiltFiles = {};
function fetchPrebuilt(preset) {
  prebuiltFiles[preset] ??= fetch(new URL(`pkg/trained-${preset}.json`, document.baseURI))
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
  return prebuiltFiles[preset];
}
