// Training: in the worker (trainer.js) or on this thread without one, and the
// build's training of a preset adopted.

import { app, $, stop, message, setPlaying, isPreset, replayCsv } from './state.js';

// Trains the current Playground's plan: in the worker while the page plays on
// (the worker continues from the page's training state, which may be the build's
// training of a preset), or on this thread across frames without one.
export function startTraining() {
  app.training = true;
  app.dirty = true;
  if (!app.worker) {
    app.playing = false;
    return;
  }
  app.progress = null;
  app.trainingId += 1;
  const state = app.pg.trainingState();
  const json = app.pg.scenarioJson();
  app.worker.postMessage({ start: json, replay: replayCsv(json), resume: state.episode > 0 ? state : null, id: app.trainingId });
  app.playing = true;
}

export function trained() {
  app.training = false;
  app.progress = null;
  if (app.startStep > 0) {
    // A link to a moment of the run: go there and stay.
    app.fastForwardTo = app.startStep;
    app.startStep = 0;
    setPlaying(false);
  } else {
    setPlaying(true);
  }
}

function onTrainingMessage({ data }) {
  if (app.dead || data.id !== app.trainingId) return;
  if (data.error) {
    app.training = false;
    $('train-status').textContent = `training failed: ${data.error}`;
    return;
  }
  app.progress = { episode: data.episode, episodes: data.episodes };
  if ('table' in data) {
    try {
      if (app.pg.adoptTraining(data.table, data.curve, data.episode, data.episodes)) trained();
    } catch (e) {
      stop(`Training could not be used: ${message(e)}`);
    }
  }
  app.dirty = true;
}

export function startWorker() {
  try {
    const worker = new Worker(new URL('./trainer.js', import.meta.url), { type: 'module' });
    worker.onmessage = onTrainingMessage;
    worker.onerror = (e) => {
      // Without a worker, training runs on this thread across frames.
      e.preventDefault();
      worker.terminate();
      app.worker = null;
      if (app.training) startTraining();
    };
    app.worker = worker;
  } catch {
    app.worker = null;
  }
}

// The first training of a newly loaded Playground `pg`. A preset starts with its
// training done at build time (scripts/build-wasm.sh), when there is one for
// exactly this scenario; anything else trains here. Until then, the worker's
// messages about the previous scenario are ignored.
export function trainLoaded(pg, family) {
  const loaded = ++app.loads;
  app.trainingId += 1;
  app.training = false;
  app.playing = false;
  prebuilt(family, pg.scenarioJson()).then((state) => {
    if (loaded !== app.loads || app.dead) return;
    try {
      if (state && pg.adoptTraining(state.table, state.curve, state.episode, state.episodes)) {
        app.trainedBy = 'build';
        trained();
        return;
      }
    } catch {
      // A table that does not fit this scenario: train instead.
    }
    app.trainedBy = 'page';
    startTraining();
  });
}

// The build's training state of a preset, if `json` is exactly that preset's
// scenario; null otherwise (no such file, another scenario, or no fetch from file://).
// Each file is fetched once; the default preset's while the wasm loads.
const prebuiltFiles = {};
export function fetchPrebuilt(family) {
  prebuiltFiles[family] ??= fetch(new URL(`./pkg/trained-${family}.json`, import.meta.url))
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
  return prebuiltFiles[family];
}

async function prebuilt(family, json) {
  if (!isPreset(family)) return null;
  const state = await fetchPrebuilt(family);
  return state?.scenario === json ? state : null;
}
