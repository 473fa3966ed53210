// Training: in the worker (trainer.js) or on this thread without one, and the
// build's training of a preset adopted. The Playground keeps the training state
// and decides what follows it (play, or go to a link's step). With the ablation
// world ("No forecast") shown, its agent is trained alongside, the same way.
// A Playground waiting to replace the one shown (`app.next`) trains the same
// way while the one shown plays on; trained, it takes over at the step the run
// had reached, playing if it was playing (`aim`).

import { app, invalidate, $, stop, message, replayCsv } from './state.js';

// What follows a new agent's training: scenario.js's takeOver, registered by it
// (scenario.js imports this module, so this one cannot import it back: the
// single-file build needs the modules' imports without a cycle).
let takeOver = () => {};
export function onTrained(f) {
  takeOver = f;
}

// The Playground the worker trains for (the one shown, or the one waiting).
let trainee = null;

// Trains a Playground's plan (the one shown's, or the waiting one's): in the
// worker while the page plays on (the worker continues from the Playground's
// training state, which may be the build's training of a preset), or on this
// thread across frames without one.
export function startTraining(pg = app.pg) {
  trainee = pg;
  if (pg === app.next) app.nextProgress = null;
  else app.progress = null;
  invalidate();
  // The worker is started by the first training that needs it: a preset trained
  // at build time loads no worker (nor a second copy of the wasm).
  if (!app.worker && !workerFailed) startWorker();
  pg.startTraining(!app.worker);
  // The waiting Playground plays nothing until it takes over.
  if (pg === app.next) pg.setPlaying(false);
  if (!app.worker) return;
  app.trainingId += 1;
  const state = pg.trainingState();
  const json = pg.scenarioJson();
  app.worker.postMessage({
    start: json, replay: replayCsv(json), resume: state.episode > 0 ? state : null,
    ablation: pg.ablationState() ?? null, id: app.trainingId,
  });
}

// Where the waiting Playground goes once trained: the step the run shown has
// reached, playing if it plays (the core fast-forwards there, then plays or
// stays paused). Set before anything that may end its training.
// A new preset's run starts at its beginning instead: another workload's step
// reached says nothing of this one, and replaying a real trace there took seconds.
let aimed = null;
let fromStart = null;
export function startAtBeginning(pg) {
  fromStart = pg;
}
function aim(pg) {
  if (pg !== app.next) return;
  aimed = { step: pg === fromStart ? 0 : app.pg.stepIndex, playing: app.pg.playing };
  pg.setStartStep(aimed.step);
  pg.setAutoplay(aimed.playing);
}

// The waiting Playground takes over once every agent of it is trained.
function settle(pg) {
  if (pg === app.next && pg.trained && !pg.training && pg.fitted) takeOver(aimed);
}

// A frame's rest for the waiting Playground: its forecaster's pre-training, or
// its training on this thread without a worker; it takes over once trained.
export function tendNext(outOfTime) {
  const pg = app.next;
  // Nothing is pre-trained or trained while the build's training may yet come.
  if (pg === awaited) return;
  aim(pg);
  pg.advance(0, outOfTime);
  settle(pg);
}

// The waiting Playground's training failed: it is dropped, the run shown goes on.
function dropNext(why) {
  app.next.free();
  app.next = null;
  app.tookOver = `The new agent could not be trained (${why}); the previous agent plays on.`;
  invalidate();
}

// Adds or removes the ablation world, "No forecast". Its agent is trained as the
// Elastic world's is: in the worker while the run plays on (an episode can take
// longer than a frame, so never on this thread while a worker can do it), or on
// this thread across frames without a worker. Training under way goes on with
// or without it; with nothing left to train, the worker stops.
export function showAblation(on) {
  const pg = app.next ?? app.pg;
  pg.setAblation(on);
  if (!pg.trained) {
    startTraining(pg);
  } else if (app.worker) {
    app.trainingId += 1;
    app.progress = null;
    app.worker.postMessage({ stop: true });
  }
}

function onTrainingMessage({ data }) {
  const pg = trainee;
  if (app.dead || data.id !== app.trainingId || (pg !== app.pg && pg !== app.next)) return;
  const waiting = pg === app.next;
  invalidate();
  if (data.error) {
    pg.stopTraining();
    if (waiting) dropNext(data.error);
    else $('train-status').textContent = `training failed: ${data.error}`;
    return;
  }
  const a = data.ablation;
  const progress = { episode: data.episode, episodes: data.episodes, ablation: a ? { episode: a.episode, episodes: a.episodes } : null };
  if (waiting) app.nextProgress = progress;
  else app.progress = progress;
  if ('table' in data) {
    try {
      aim(pg);
      // The ablation's first: when it ends every plan, the Elastic world's has
      // ended before (the page holds that table already).
      if ((a && pg.adoptAblation(a.table, a.curve, a.episode, a.episodes))
        || pg.adoptTraining(data.table, data.curve, data.episode, data.episodes)) {
        if (waiting) app.nextProgress = null;
        else app.progress = null;
      }
    } catch (e) {
      if (waiting) dropNext(message(e));
      else stop(`Training could not be used: ${message(e)}`);
      return;
    }
    settle(pg);
  }
}

// Starts the worker before a training needs it, when the visitor reaches for a
// control that trains (app.js): its wasm is fetched and compiled by the time
// Apply or New seed is pressed. A page that only plays a prebuilt preset never
// loads it.
export function warmWorker() {
  if (app.worker || workerFailed || app.dead) return;
  startWorker();
  // Its wasm optimised before the training that counts (trainer.js, `warm`).
  app.worker?.postMessage({ warm: true });
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
      if (trainee && (trainee === app.next || trainee === app.pg) && trainee.training) startTraining(trainee);
    };
    app.worker = worker;
  } catch {
    app.worker = null;
    workerFailed = true;
  }
}

// The first training of a newly loaded Playground `pg`. A preset starts with its
// training done at build time (scripts/build-wasm.sh), which the Playground
// adopts only for exactly its scenario (and its ablation's, when No forecast is
// shown, fetched only then); anything else trains here. Until then,
// the worker's messages about the previous scenario are ignored.
// The Playground whose build's training is being fetched.
let awaited = null;
export const awaitingBuild = (pg) => pg === awaited;

export function trainLoaded(pg, preset) {
  const loaded = ++app.loads;
  app.trainingId += 1;
  const file = preset ? fetchPrebuilt(preset) : Promise.resolve(null);
  awaited = preset ? pg : null;
  file.then((p) => {
    if (awaited === pg) awaited = null;
    if (loaded !== app.loads || app.dead) return;
    try {
      aim(pg);
      if (p && pg.adoptPrebuilt(p.fingerprint, p.table, p.curve, p.episode, p.episodes, p.forecaster?.state, p.forecaster?.batches ?? 0)) {
        app.trainedBy = 'build';
        invalidate();
        if (pg.trained) settle(pg);
        // The ablation's agent, shown: its build-time training too (the scenario
        // is the preset's: its fingerprint was just matched), else trained here.
        else fetchPrebuilt(`${preset}-no-forecast`).then((b) => {
          if (loaded !== app.loads || app.dead) return;
          try {
            aim(pg);
            if (b && pg.adoptAblation(b.table, b.curve, b.episode, b.episodes)) {
              invalidate();
              return settle(pg);
            }
          } catch {
            // Not a training state: trained here.
          }
          startTraining(pg);
        });
        return;
      }
    } catch {
      // A file that is not a training state: train instead.
    }
    app.trainedBy = 'page';
    startTraining(pg);
  });
}

// The build's training state of a preset (null when there is none, or no fetch
// from file://). Each file is fetched once. Beside the page, not this module: the
// page runs this module bundled into pkg/app.js (scripts/build-wasm.sh).
const prebuiltFiles = {};
export function fetchPrebuilt(preset) {
  prebuiltFiles[preset] ??= fetch(new URL(`pkg/trained-${preset}.json`, document.baseURI))
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
  return prebuiltFiles[preset];
}
