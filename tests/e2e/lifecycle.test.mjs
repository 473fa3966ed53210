// A page in a background tab gets few or no animation frames; brought back, it
// plays on from where it was, at its speed (steps a frame), with no burst of
// catch-up steps. The page needs no visibilitychange handler for this: its loop
// plays a number of steps per frame, not per elapsed time.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, open, waitTrained } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(() => server?.close());

// Steps played between consecutive frames, at most one a frame at speed 1.
function checkOneStepAFrame(frames) {
  const jumps = frames.slice(1).map((f, i) => f.step - frames[i].step);
  assert.ok(Math.max(...jumps) <= 1, `steps in a frame: ${Math.max(...jumps)}`);
  assert.ok(Math.min(...jumps) >= 0, 'the step never goes back');
}

test('a tab sent to the background and frozen plays on when it returns, with no burst', async () => {
  const browser = await open(server.url);
  try {
    const { page, context } = browser;
    await waitTrained(page);
    // One step a frame, so that the run (4,320 steps) lasts over a minute.
    await page.locator('#speed').fill('0');
    // The test's own frame loop records each frame's time and the run's step.
    await page.evaluate(() => {
      window.frames_ = [];
      const tick = (t) => {
        window.frames_.push({ t, step: window.playground.metrics.step });
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.waitForFunction(() => window.playground.playing && window.frames_.length > 30);

    // Another tab in front, and this one frozen, as Chromium does to background
    // tabs; three seconds later, back.
    const other = await context.newPage();
    await other.bringToFront();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    await new Promise((r) => setTimeout(r, 3000));
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    await page.bringToFront();
    await other.close();
    await page.waitForTimeout(1500);

    const frames = await page.evaluate(() => window.frames_);
    // Frames were withheld while in the background (headless Chromium slows them
    // to about one a second rather than stopping them).
    const gaps = frames.slice(1).map((f, i) => f.t - frames[i].t);
    assert.ok(Math.max(...gaps) > 600, `longest time between frames: ${Math.max(...gaps).toFixed(0)} ms`);
    checkOneStepAFrame(frames);
    const last = frames.slice(-10);
    assert.ok(last.at(-1).step > last[0].step, 'the step counter advances again');
    assert.equal(await page.evaluate(() => window.playground.playing), true);
    assert.equal(await page.evaluate(() => Number(document.getElementById('clock').dataset.step) === window.playground.metrics.step), true);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test('a page hidden with its frames paused for seconds resumes at its speed', async () => {
  const browser = await open('about:blank');
  try {
    const { page } = browser;
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
          window.frames_.push({ t, step: window.playground?.metrics?.step ?? 0 });
        };
        if (hidden) {
          held.push(run);
          return 0;
        }
        return real(run);
      };
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
    await page.goto(server.url);
    await waitTrained(page);
    await page.locator('#speed').fill('0');
    await page.waitForFunction(() => window.playground.playing && window.playground.metrics.step > 30);

    await page.evaluate(() => window.setHidden_(true));
    await page.waitForTimeout(200);
    const hidden = await page.evaluate(() => ({ frames: window.frames_.length, step: window.playground.metrics.step }));
    await page.waitForTimeout(3000);
    const still = await page.evaluate(() => ({ frames: window.frames_.length, step: window.playground.metrics.step }));
    assert.deepEqual(still, hidden, 'nothing plays while hidden');

    await page.evaluate(() => window.setHidden_(false));
    await page.waitForFunction((n) => window.frames_.length > n + 20, hidden.frames);
    const frames = await page.evaluate(() => window.frames_);
    const after = frames.slice(hidden.frames - 1);
    checkOneStepAFrame(after);
    assert.ok(after.at(-1).step > hidden.step, 'the step counter advances again');
    // The first frame back plays one step, however long the pause was.
    assert.ok(after[1].step - after[0].step <= 1, `first frame back: ${after[0].step} then ${after[1].step}`);
    assert.equal(await page.evaluate(() => window.playground.playing), true);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
