// The frame loop: the Playground decides what a frame does within its budget
// (pre-train a forecaster, train, fast-forward, play); then a render. A new
// Playground waiting to replace it (a changed scenario, its agent training)
// gets the rest of the frame.

import { app, stop, message, setPlaying } from './state.js';
import { update } from './panels.js';
import { showTimeline } from './timeline.js';
import { showMoments } from './moments.js';
import { showLesson } from './lesson.js';
import { showTweak } from './tweak.js';
import { tendNext, awaitingBuild } from './training.js';

// Work per frame stops after this much time (a step of four worlds takes about
// half a millisecond; an episode trained on this thread may take longer).
const FRAME_BUDGET_MS = 10;

// At a speed of steps a second, the most steps one frame plays: a frame that
// comes late (a hidden tab, a slow frame) drops what it owed beyond these
// rather than play a burst.
const MOST_PER_FRAME_PACED = 3;

// The pace of a steps-a-second speed: since when it counts, and the steps
// played since. Restarted whenever play or the speed changes.
let pace = null;

// The steps this frame may play: the speed's steps a frame, or at a speed of
// steps a second those due since play began (the first at once).
export function stepsDue(now) {
  if (!app.perSecond) {
    pace = null;
    return app.speed;
  }
  if (!app.playing) {
    pace = null;
    return 0;
  }
  if (pace?.rate !== app.perSecond) pace = { rate: app.perSecond, from: now, played: 0 };
  const owed = Math.floor(((now - pace.from) * pace.rate) / 1000) + 1 - pace.played;
  if (owed > MOST_PER_FRAME_PACED) pace.played += owed - MOST_PER_FRAME_PACED;
  return Math.max(0, Math.min(owed, MOST_PER_FRAME_PACED));
}

export function frame() {
  if (app.dead) return;
  try {
    const start = performance.now();
    const outOfTime = () => performance.now() - start >= FRAME_BUDGET_MS;
    const due = stepsDue(start);
    // A forecaster is not pre-trained while the build's pre-training may yet come.
    const f = awaitingBuild(app.pg) && !app.pg.fitted ? { work: 'waiting', played: 0 } : app.pg.advance(due, outOfTime);
    if (f.work === 'playing') {
      if (pace) pace.played += f.played;
      // Smoothed, for the speed's label.
      else app.played = Math.round(0.8 * app.played + 0.2 * f.played);
    }
    if (app.next) tendNext(outOfTime);
    // A new Playground that took over from a playing one plays once it has
    // reached the step (however its fast-forward ends).
    if (app.resume && !app.pg.seeking) {
      app.resume = false;
      if (!app.pg.playing && !app.pg.metrics().finished) setPlaying(true);
    }
    // A paced frame with no step due changes nothing.
    const idle = f.work === 'playing' && f.played === 0 && due === 0;
    if ((f.changed && !idle) || app.dirty) {
      app.dirty = false;
      app.pg.render();
      // The first drawn frame, for scripts/bench-browser.mjs.
      if (!performance.getEntriesByName('first-frame').length) performance.mark('first-frame');
      update();
      const m = app.metrics;
      showTimeline(m);
      showMoments(m);
      showLesson(m);
      showTweak(m);
    }
  } catch (e) {
    stop(`The simulation stopped: ${message(e)}`);
    return;
  }
  requestAnimationFrame(frame);
}
