// The frame loop: the Playground decides what a frame does within its budget
// (pre-train a forecaster, train, fast-forward, play); then a render.

import { app, stop, message } from './state.js';
import { update } from './panels.js';

// Work per frame stops after this much time (a step of four worlds takes about
// half a millisecond; an episode trained on this thread may take longer).
const FRAME_BUDGET_MS = 10;

export function frame() {
  if (app.dead) return;
  try {
    const start = performance.now();
    const f = app.pg.advance(app.speed, () => performance.now() - start >= FRAME_BUDGET_MS);
    // Smoothed, for the speed's label.
    if (f.work === 'playing') app.played = Math.round(0.8 * app.played + 0.2 * f.played);
    if (f.changed || app.dirty) {
      app.dirty = false;
      app.pg.render();
      // The first drawn frame, for scripts/bench-browser.mjs.
      if (!performance.getEntriesByName('first-frame').length) performance.mark('first-frame');
      update();
    }
  } catch (e) {
    stop(`The simulation stopped: ${message(e)}`);
    return;
  }
  requestAnimationFrame(frame);
}
