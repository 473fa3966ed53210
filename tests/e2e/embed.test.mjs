// Embed mode: the snippet of "Copy embed code" in a host page, 400 and 1,200 px
// wide: the compact layout draws and plays, takes no keys and touches no storage.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { session, waitTrained, copiedText, linkOf, shownAndEngine, assertScoreboard } from './harness.mjs';

// The playground on 127.0.0.1 and a host page on localhost: another site, as a
// documentation site is. (Both on loopback: Chromium lets a page frame a
// loopback address only from loopback.)
const www = session();
let host;
let hostPage = '';
before(async () => {
  host = createServer((_, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end(hostPage);
  });
  await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
});
after(() => host?.close());

// What the first test copies, and the following ones embed.
let snippet = null;

// Counts every read of localStorage or sessionStorage, in every frame.
function countStorage() {
  for (const name of ['localStorage', 'sessionStorage']) {
    // The window's own accessor (Window is a global interface: its attributes
    // live on the window object itself).
    const own = Object.getOwnPropertyDescriptor(window, name);
    Object.defineProperty(window, name, {
      configurable: true,
      get() {
        (window.storageUses ??= []).push(name);
        return own.get.call(this);
      },
    });
  }
}

test('"Copy embed code" writes an iframe snippet with a title, of the same run in embed mode', async () => {
  const hash = linkOf({ s: { seed: 9, agent: { episodes: 2 } }, v: { show_rule: false, show_oracle: true, start_step: 0, hide_controls: false } });
  await www.withPage(`#${hash}`, async ({ page, errors }) => {
    await waitTrained(page);
    const copied = await copiedText(page, '#copy-embed');
    // The iframe, then, commented, the host's optional listener for the height.
    const m = copied.match(/^<iframe src="([^"]+)" title="([^"]+)" width="100%" height="(\d+)" loading="lazy"><\/iframe>\n<!-- Optional: [^\n]*\n<script>(.+)<\/script> -->$/);
    assert.ok(m, copied);
    assert.equal(m[3], '720');
    assert.match(m[4], /^addEventListener\('message', .*'autoscale-playground:height'.*\);$/);
    const src = new URL(m[1].replace(/&amp;/g, '&'));
    assert.equal(src.searchParams.get('embed'), '1');
    assert.equal(src.hash, await page.evaluate(() => location.hash));
    assert.equal(m[2], 'Autoscale Playground: diurnal workload, seed 9');
    assert.match(await page.locator('#share-status').textContent(), /^Copied the embed code\.$/);
    assert.deepEqual(errors, []);
    snippet = copied;
  });
});

test('an embed opens on the finished run, drawn and paused, not on an empty chart; Play plays it from the start', async () => {
  assert.ok(snippet, 'needs the snippet the first test copies');
  const src = snippet.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');
  const url = new URL(src);
  await www.withPage(`?embed=1${url.hash}`, { width: 800, height: 900 }, async ({ page, errors }) => {
    await page.waitForFunction(() => {
      const t = window.playgroundTest;
      return t?.shown?.training.done && !t.training && !t.seeking && t.shown.step > 0 && t.shown.step === t.shown.steps;
    }, null, { timeout: 60000 });
    assert.equal(await page.evaluate(() => window.playgroundTest.playing), false);
    const inked = await page.evaluate(() => {
      const canvas = document.getElementById('capacity-canvas');
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)) n += 1;
      return n / (canvas.width * canvas.height);
    });
    assert.ok(inked > 0.02, `only ${inked} of the capacity chart is drawn`);
    await page.click('#play');
    await page.waitForFunction(() => window.playgroundTest.playing && window.playgroundTest.shown.step < 200, null, { timeout: 20000 });
    assert.deepEqual(errors, []);
  });
});

for (const width of [400, 1200]) {
  test(`embed mode renders and plays in an iframe ${width} px wide, without keys or storage`, async () => {
    assert.ok(snippet, 'needs the snippet the first test copies');
    const hash = new URL(snippet.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&')).hash;
    await www.withPage('about:blank', { width: width + 100, height: 900 }, async ({ page, context, errors }) => {
      await context.addInitScript(countStorage);
      // The host page: the snippet, in a column this wide, above a long text.
      hostPage = `<!doctype html><title>Host</title><body style="margin:0"><div style="width:${width}px">${snippet}</div>`
        + '<p style="height:3000px">host text</p></body>';
      await page.goto(`http://localhost:${host.address().port}/`);
      const frame = await (await page.waitForSelector('iframe')).contentFrame();
      // An embed opens paused on the finished run once trained: Play plays it
      // from the start.
      await frame.waitForFunction(() => window.playgroundTest?.shown?.training.done && !window.playgroundTest.training && !window.playgroundTest.seeking, null, { timeout: 60000 });
      if (!(await frame.evaluate(() => window.playgroundTest.playing))) await frame.click('#play');
      await frame.waitForFunction(() => window.playgroundTest.shown.step > 20, null, { timeout: 60000 });

      const layout = await frame.evaluate(() => {
        const shown = (id) => document.getElementById(id).checkVisibility();
        const canvas = document.getElementById('capacity-canvas');
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let inked = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)) inked += 1;
        const full = document.getElementById('open-full');
        return {
          canvasWidth: canvas.clientWidth,
          inkedShare: inked / (canvas.width * canvas.height),
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          rows: [...document.querySelectorAll('#scoreboard tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)),
          shown: Object.fromEntries(['play', 'capacity-canvas', 'scoreboard', 'open-full', 'step', 'scenario', 'latency-canvas', 'heatmap-canvas', 'copy-link']
            .map((id) => [id, shown(id)])),
          full: { href: full.href, target: full.target, rel: full.rel, text: full.textContent },
        };
      });
      assert.ok(layout.canvasWidth > width - 60 && layout.canvasWidth <= width, `capacity canvas ${layout.canvasWidth} px wide`);
      assert.ok(layout.inkedShare > 0.01, `only ${layout.inkedShare} of the capacity chart is drawn`);
      assert.ok(layout.overflow <= 0, `the layout is ${layout.overflow} px wider than the frame`);
      assert.deepEqual(layout.rows.map((r) => r[0]), ['Static', 'Rule', 'Elastic', 'Oracle', 'Predictive']);
      // The compact scoreboard shows the engine's figures.
      const shown = await shownAndEngine(frame);
      assertScoreboard(shown.rows, shown.m.worlds);
      assert.deepEqual(layout.shown, {
        play: true, 'capacity-canvas': true, scoreboard: true, 'open-full': true,
        step: false, scenario: false, 'latency-canvas': false, 'heatmap-canvas': false, 'copy-link': false,
      });
      const full = new URL(layout.full.href);
      assert.equal(full.searchParams.has('embed'), false);
      assert.equal(full.hash, hash);
      assert.deepEqual([layout.full.target, layout.full.rel, layout.full.text], ['_blank', 'noopener', 'Open the full playground']);

      // Space in the frame neither toggles play nor is taken from the page.
      await frame.click('#play');
      await frame.waitForFunction(() => !window.playgroundTest.playing);
      const step = await frame.evaluate(() => window.playgroundTest.shown.step);
      const taken = await frame.evaluate(() => {
        const e = new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true });
        document.body.dispatchEvent(e);
        return e.defaultPrevented;
      });
      assert.equal(taken, false);
      await frame.click('#scoreboard caption');
      await page.keyboard.press('Space');
      // Decided over 30 frames the embedded page drew, not over a time.
      await frame.evaluate(() => new Promise((resolve) => {
        let n = 30;
        const tick = () => (--n <= 0 ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }));
      assert.equal(await frame.evaluate(() => window.playgroundTest.playing), false);
      assert.equal(await frame.evaluate(() => window.playgroundTest.shown.step), step);
      // Play plays.
      await frame.click('#play');
      await frame.waitForFunction((s) => window.playgroundTest.shown.step > s + 10, step);

      assert.equal(await frame.evaluate(() => window.storageUses ?? null), null, 'the embedded page used storage');
      // The count counts. (A frame of another site may be refused storage
      // outright, as this one is: reading it would throw.)
      assert.deepEqual(await frame.evaluate(() => {
        try { void window.sessionStorage; } catch { /* refused, and counted */ }
        return window.storageUses;
      }), ['sessionStorage']);
      assert.deepEqual(errors, []);
    });
  });
}

test('with the snippet\'s listener, the host\'s frame takes the height the embedded page posts, at 400 and 1,000 px wide', async () => {
  assert.ok(snippet, 'needs the snippet the first test copies');
  // The snippet as a host adds it: the commented listener uncommented.
  const live = snippet.replace(/<!-- Optional: [^\n]*\n(<script>.+<\/script>) -->$/, '$1');
  assert.notEqual(live, snippet);
  for (const width of [400, 1000]) {
    await www.withPage('about:blank', { width: width + 100, height: 900 }, async ({ page, errors }) => {
      hostPage = `<!doctype html><title>Host</title><body style="margin:0"><div style="width:${width}px">${live}</div></body>`;
      await page.goto(`http://localhost:${host.address().port}/`);
      const frame = await (await page.waitForSelector('iframe')).contentFrame();
      // Once trained and on its finished run (the poster), the page's height settles.
      await frame.waitForFunction(() => window.playgroundTest?.shown?.training.done && !window.playgroundTest.seeking, null, { timeout: 60000 });
      let content = 0;
      for (let tries = 0; tries < 20; tries += 1) {
        content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
        if (await page.evaluate((h) => document.querySelector('iframe').height === String(h), content)) break;
        await page.waitForTimeout(250);
      }
      await page.waitForFunction((h) => document.querySelector('iframe').height === String(h), content, { timeout: 10000 });
      // The frame shows all of the page, and no blank below it.
      const inner = await frame.evaluate(() => ({ scroll: document.documentElement.scrollHeight, view: window.innerHeight }));
      assert.equal(inner.view, content, `${width} px: frame ${inner.view} px tall, content ${content} px`);
      assert.ok(inner.scroll <= inner.view, JSON.stringify(inner));
      assert.ok(content > 300 && content < 1400, `${width} px: ${content} px`);
      assert.deepEqual(errors, []);
    });
  }
});
