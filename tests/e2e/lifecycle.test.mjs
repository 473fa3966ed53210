// A page in a background tab gets few or no animation frames; brought back, it
// plays on from where it was, at its speed (steps a frame), with no burst of
// catch-up steps. The page needs no visibilitychange handler for this: its loop
// plays a number of steps per frame, not per elapsed time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, waitTrained } from './harness.mjs';

const www = session();

// Steps played between consecutive frames, at most one a frame at speed 1.
function checkOneStepAFrame(frames) {
  const jumps = frames.slice(1).map((f, i) => f.step - frames[i].step);
  assert.ok(Math.max(...jumps) <= 1, `steps in a frame: ${Math.max(...jumps)}`);
  assert.ok(Math.min(...jumps) >= 0, 'the step never goes back');
}

test('a tab sent to the background and frozen plays on when it returns, with no burst', () => www.withPage('', async ({ page, context, errors }) => {
  await waitTrained(page);
  // One step a frame (the fourth speed, after 1, 2 and 5 steps a second), so
  // that the run (4,320 steps) lasts over a minute.
  await page.locator('#speed').fill('3');
  // The test's own frame loop records each frame's time and the run's step.
  await page.evaluate(() => {
    window.frames_ = [];
    const tick = (t) => {
      window.frames_.push({ t, step: window.playgroundTest.shown.step });
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.waitForFunction(() => window.playgroundTest.playing && window.frames_.length > 30);

  // Another tab in front, and this one frozen, as Chromium does to background
  // tabs; back after the other tab has drawn 60 frames (a condition, not a time).
  const other = await context.newPage();
  await other.bringToFront();
  const cdp = await context.newCDPSession(page);
  const before = await page.evaluate(() => window.frames_.length);
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  const away = await other.evaluate(() => new Promise((resolve) => {
    const from = performance.timeOrigin + performance.now();
    let n = 60;
    const tick = () => (--n <= 0 ? resolve({ from, to: performance.timeOrigin + performance.now() }) : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  }));
  await cdp.send('Page.setWebLifecycleState', { state: 'active' });
  await page.bringToFront();
  await other.close();
  await page.waitForFunction((n) => window.frames_.length > n + 30, before);

  const { frames, origin } = await page.evaluate(() => ({ frames: window.frames_, origin: performance.timeOrigin }));
  // Frames were withheld while frozen (the freeze itself, not headless
  // Chromium's throttling): one gap between this page's frames spans at least
  // half of the other tab's 60 frames (the freeze takes a frame or two to
  // take hold).
  const at = (f) => origin + f.t;
  const gaps = frames.slice(1).map((f, i) => Math.min(at(f), away.to) - Math.max(at(frames[i]), away.from));
  assert.ok(Math.max(...gaps) >= 0.5 * (away.to - away.from),
    `longest stretch without a frame while away: ${Math.max(...gaps).toFixed(0)} of ${(away.to - away.from).toFixed(0)} ms`);
  checkOneStepAFrame(frames);
  const last = frames.slice(-10);
  assert.ok(last.at(-1).step > last[0].step, 'the step counter advances again');
  assert.equal(await page.evaluate(() => window.playgroundTest.playing), true);
  assert.equal(await page.evaluate(() => Number(document.getElementById('clock').dataset.step) === window.playgroundTest.shown.step), true);
  assert.deepEqual(errors, []);
}));

test('a page hidden with its frames held for 60 frames of the browser resumes at its speed, one step a frame', () => www.withPage('about:blank', async ({ page, errors }) => {
  // A hidden tab as the specification describes it: visibilityState 'hidden',
  // and no animation frame until it is visible again. Each of the page's frames
  // is recorded with the step it ended on.
  await page.addInitScript(() => {
    const real = window.requestAnimationFrame.bind(window);
    let hidden = false;
    let held = [];
    window.frames_ = [];
    window.requestAnimationFrame = (callback) => {
      const run = (t) => {
        callback(t);
        window.frames_.push({ t, step: window.playgroundTest?.shown?.step ?? 0 });
      };
      if (hidden) {
        held.push(run);
        return 0;
      }
      return real(run);
    };
    window.heldCount_ = () => held.length;
    window.realFrames_ = (n) => new Promise((resolve) => {
      const tick = () => (--n <= 0 ? resolve() : real(tick));
      real(tick);
    });
    window.setHidden_ = (on) => {
      hidden = on;
      Object.defineProperty(document, 'visibilityState', { value: on ? 'hidden' : 'visible', configurable: true });
      Object.defineProperty(document, 'hidden', { value: on, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      if (!on) {
        const callbacks = held;
        held = [];
        for (const run of callbacks) real(run);
      }
    };
  });
  await page.goto(www.url);
  await waitTrained(page);
  await page.locator('#speed').fill('3');
  await page.waitForFunction(() => window.playgroundTest.playing && window.playgroundTest.shown.step > 30);

  await page.evaluate(() => window.setHidden_(true));
  // Hidden: the page's next frame request is held, and 60 real frames pass (the
  // test's own, counted) without one of the page's.
  // (Polled by timer: a poll by animation frame would itself be held.) Two real
  // frames more let any frame requested before hiding run first.
  await page.waitForFunction(() => window.heldCount_() > 0, null, { polling: 50 });
  await page.evaluate(() => window.realFrames_(2));
  const hidden = await page.evaluate(() => ({ frames: window.frames_.length, step: window.playgroundTest.shown.step }));
  await page.evaluate(() => window.realFrames_(60));
  const still = await page.evaluate(() => ({ frames: window.frames_.length, step: window.playgroundTest.shown.step }));
  assert.deepEqual(still, hidden, 'nothing plays while hidden');

  await page.evaluate(() => window.setHidden_(false));
  await page.waitForFunction((n) => window.frames_.length > n + 20, hidden.frames);
  const frames = await page.evaluate(() => window.frames_);
  const after = frames.slice(hidden.frames - 1);
  checkOneStepAFrame(after);
  assert.ok(after.at(-1).step > hidden.step, 'the step counter advances again');
  // The first frame back plays one step, however long the pause was.
  assert.ok(after[1].step - after[0].step <= 1, `first frame back: ${after[0].step} then ${after[1].step}`);
  assert.equal(await page.evaluate(() => window.playgroundTest.playing), true);
  assert.deepEqual(errors, []);
}));
