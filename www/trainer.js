// The training worker: plays training episodes off the page's thread (one can
// take longer than a frame) and posts, after each, the episode count and reward
// curve, and every few episodes and at the end the Q-table, which the page hands
// to its Playground; likewise for the ablation's agent when asked (`ablation`:
// its count, and its table and curve with the other's). Messages in: {start:
// scenarioJson, id, resume?: trainingState, ablation?: trainingState, replay?:
// the CSV text of a replay scenario}, {stop: true}: nothing left to train, or
// {warm: true}: a short training played and thrown away (below).

// The worker's own build of the wasm (scripts/build-wasm.sh): the same code and
// arithmetic as the page's, optimised for speed rather than size (about a third
// faster at training), fetched only when a training needs the worker.
import init, { Training, presetNames, presetScenario } from './pkg/trainer_core.js';

// Tables are sent at most this often (each is about 60 KB of JSON).
const TABLE_EVERY_MS = 250;

let training = null;
let id = 0;
let running = false;
let sentAt = 0;
const ready = init();

function post(withTable) {
  const state = { id, episode: training.episode(), episodes: training.episodes(), curve: training.curve(), ablation: training.ablation(withTable) };
  if (withTable) {
    state.table = training.table();
    sentAt = performance.now();
  }
  postMessage(state);
}

// Episodes for about SLICE_MS a task, then a report, so that messages (a new
// scenario, more episodes) are handled between slices. The next slice is queued
// through a MessageChannel, not setTimeout(0): nested timeouts are clamped to
// 4 ms, which at one episode a task (about 5 ms each) cost 200 episodes 0.8 s.
const SLICE_MS = 30;
const next = new MessageChannel();
next.port1.onmessage = loop;

function loop() {
  if (!training || training.done()) {
    running = false;
    return;
  }
  const started = performance.now();
  try {
    do training.run(1);
    while (!training.done() && performance.now() - started < SLICE_MS);
  } catch (e) {
    postMessage({ id, error: String(e?.message ?? e) });
    running = false;
    return;
  }
  post(training.done() || performance.now() - sentAt > TABLE_EVERY_MS);
  next.port2.postMessage(null);
}

// V8 compiles wasm first with its baseline compiler and optimises a function
// only once it has run hot: the first 200 episodes of a worker spent about a
// quarter of their time (about 200 ms) in baseline code. A short training played
// when the page expects one (the visitor reaches for a control that trains)
// makes the training functions hot first; its result is thrown away, so it
// changes no figure of any run: two episodes of a day of the first preset.
function warm() {
  try {
    const s = JSON.parse(presetScenario(presetNames()[0]));
    s.steps = 1440;
    s.agent.episodes = 2;
    const w = new Training(JSON.stringify(s));
    while (!w.done()) w.run(1);
    w.free();
  } catch {
    // Only a head start: a failure here changes nothing.
  }
}

onmessage = async ({ data }) => {
  await ready;
  if (data.warm) {
    warm();
    return;
  }
  if (data.stop) {
    training?.free();
    training = null;
    return;
  }
  try {
    if ('start' in data) {
      training?.free();
      training = new Training(data.start, data.replay);
      id = data.id;
      // Continuing the page's training (after it adopted the build's, say).
      if (data.resume) {
        const r = data.resume;
        training.resume(r.table, r.curve, r.episode, r.episodes);
      }
      const a = data.ablation;
      if (a) training.resumeAblation(a.table, a.curve, a.episode, a.episodes);
      sentAt = performance.now();
      post(true);
    }
  } catch (e) {
    postMessage({ id: data.id, error: String(e?.message ?? e) });
    return;
  }
  if (!running) {
    running = true;
    next.port2.postMessage(null);
  }
};
