// The frame loop: one kind of work per frame within a budget, then a render.

import { app, stop, message, setPlaying } from './state.js';
import { update } from './panels.js';
import { trained } from './training.js';

// Work per frame stops after this much time: stepping (a step of four worlds
// takes about half a millisecond) and training on the page's thread when there is
// no worker (an episode may take longer).
const FRAME_BUDGET_MS = 10;

export function frame() {
  if (app.dead) return;
  try {
    const pg = app.pg;
    const start = performance.now();
    const spent = () => performance.now() - start;
    if (!app.fitted) {
      // A learned forecaster pre-trains first, a few mini-batches per frame; the
      // run waits for it (and restarts with it, if training ended meanwhile).
      while (spent() < FRAME_BUDGET_MS && !(app.fitted = pg.fit(1)));
      app.dirty = true;
    } else if (app.training && !app.worker) {
      while (spent() < FRAME_BUDGET_MS && pg.train(1) > 0);
      if (pg.metrics().training.done) trained();
      app.dirty = true;
    } else if (app.fastForwardTo != null) {
      let left = app.fastForwardTo - pg.metrics().step;
      while (left > 0 && spent() < FRAME_BUDGET_MS) {
        const n = pg.step(Math.min(left, 10));
        if (n === 0) break;
        left -= n;
      }
      if (left <= 0 || pg.metrics().finished) app.fastForwardTo = null;
      app.dirty = true;
    } else if (app.playing) {
      let played = 0;
      while (played < app.speed && spent() < FRAME_BUDGET_MS) {
        const n = pg.step(Math.min(app.speed - played, 10));
        if (n === 0) break;
        played += n;
      }
      // Smoothed, for the speed's label.
      app.played = Math.round(0.8 * app.played + 0.2 * played);
      app.dirty = true;
    }
    if (app.dirty) {
      app.dirty = false;
      pg.render();
      // The first drawn frame, for scripts/bench-browser.mjs.
      if (!performance.getEntriesByName('first-frame').length) performance.mark('first-frame');
      update();
      if (app.playing && app.metrics.finished) setPlaying(false);
    }
  } catch (e) {
    stop(`The simulation stopped: ${message(e)}`);
    return;
  }
  requestAnimationFrame(frame);
}
