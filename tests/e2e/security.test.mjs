// Security: untrusted text (link fields, trace file names, the messages that echo
// them) is shown as text and never runs; a Content-Security-Policy forbids inline
// script; the page asks for nothing beyond its own files; in a frame it never
// navigates the page that embeds it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { session, waitTrained, waitPlayed, ROOT, linkOf as link, unfold } from './harness.mjs';

const www = session();

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=1</script>';

// Whether anything of a payload became markup or ran: a flag it would set, and
// elements it would have added (the page has no <img>, and one script, pkg/app.js: its modules bundled by
// scripts/build-wasm.sh).
async function markup(page) {
  return page.evaluate(() => ({
    pwned: window.__pwned,
    images: document.querySelectorAll('img').length,
    scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
  }));
}
const CLEAN = { pwned: undefined, images: 0, scripts: ['pkg/app.js'] };

test('script in link fields is shown as text and never runs', async () => {
  // The workload family is echoed by the link's error; a replay's source by the
  // message that its file is not loaded.
  for (const [payload, s] of [
    [IMG, { workload: { family: IMG } }],
    [SCRIPT, { workload: { family: 'replay', replay: { source: SCRIPT } } }],
  ]) {
    await www.withPage(`#${link({ s, v: { autoplay: true } })}`, async ({ page, errors }) => {
      await waitPlayed({ page, errors });
      const text = await page.locator('#scenario-error').textContent();
      assert.ok(text.includes(payload), `the banner shows the payload as text: ${text}`);
      assert.equal(await page.locator('#scenario-error').evaluate((el) => el.children.length), 0);
      assert.deepEqual(await markup(page), CLEAN);
      assert.deepEqual(errors, []);
    });
  }
});

test('script in a trace file name is shown as text and never runs', () => www.withPage('', async ({ page, errors }) => {
  await waitTrained(page);
  // A good file: its name is shown beside the file input.
  const good = `${IMG}.csv`;
  await page.setInputFiles('#trace-file', { name: good, mimeType: 'text/csv', buffer: Buffer.from('minute,requests\n0,600\n1,900\n2,1200\n') });
  await page.waitForFunction(() => JSON.parse(window.playgroundTest.scenarioJson()).workload.family === 'replay');
  assert.equal(await page.locator('#trace-name').textContent(), `replaying ${good}`);
  assert.equal(await page.locator('#trace-name').evaluate((el) => el.children.length), 0);
  // A bad file: its name is in the banner.
  const bad = `${SCRIPT}.csv`;
  await page.setInputFiles('#trace-file', { name: bad, mimeType: 'text/csv', buffer: Buffer.from('minute,requests\n0,lots\n') });
  await page.waitForFunction((name) => document.getElementById('scenario-error').textContent.includes(name), bad);
  assert.match(await page.locator('#scenario-error').textContent(), /line 2: count 'lots' is not a number$/);
  // The share link carries the name too, as data: the page decodes it back.
  const source = await page.evaluate(() => JSON.parse(window.playgroundTest.scenarioJson()).workload.replay.source);
  assert.equal(source, good);
  await waitTrained(page);
  assert.deepEqual(await markup(page), CLEAN);
  assert.deepEqual(errors, []);
}));

test('no page script writes HTML from text, or reaches the embedding page but to post it its height', () => {
  const posts = [];
  for (const name of readdirSync(join(ROOT, 'www')).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(ROOT, 'www', name), 'utf8');
    for (const sink of [/\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\beval\s*\(/, /new Function\b/,
      /\btop\.location/, /window\.top\b/, /\bparent\.location/, /window\.parent\b(?!\.postMessage\(|\s*!==\s*window\b)/, /_top\b/]) {
      assert.doesNotMatch(code, sink, `${name} uses ${sink}`);
    }
    posts.push(...[...code.matchAll(/window\.parent\.postMessage\(([^)]*)\)/g)].map((m) => `${name}: ${m[1]}`));
  }
  // One message: the embedded page's height (a number), for the host to size its frame.
  assert.deepEqual(posts, ["app.js: { type: HEIGHT_MESSAGE, height }, '*'"]);
});

// The policy as index.html states it.
const REQUIRED = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'style-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

test('index.html has a Content-Security-Policy and no inline script or style', () => {
  const html = readFileSync(join(ROOT, 'www', 'index.html'), 'utf8');
  const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)];
  assert.equal(metas.length, 1, 'one CSP meta tag');
  const policy = Object.fromEntries(metas[0][1].split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
  for (const [directive, sources] of Object.entries(REQUIRED)) assert.deepEqual(policy[directive], sources, directive);
  assert.ok(!Object.values(policy).flat().includes("'unsafe-inline'"), 'no unsafe-inline');
  assert.ok(!Object.values(policy).flat().includes("'unsafe-eval'"), 'no unsafe-eval');
  // The CSP comes before any script or style it governs.
  assert.ok(html.indexOf('Content-Security-Policy') < html.search(/<script|<link rel="stylesheet"/i));
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  assert.ok(scripts.length > 0);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, /\bsrc="[^"]+"/, 'every script is a file');
    assert.equal(body.trim(), '', 'no inline script');
  }
  assert.doesNotMatch(html, /<style\b/i, 'no style element');
  assert.doesNotMatch(html, /\sstyle\s*=/i, 'no style attribute');
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler');
  assert.doesNotMatch(html, /javascript:/i, 'no javascript: URL');
});

// The page's own files, from its own origin: nothing else is fetched.
// The page's modules and the worker's are the build's bundles in pkg/ (each with the
// wasm-bindgen glue inside).
// The worker runs its own speed build of the wasm (trainer_core_bg.wasm).
const OWN = [/^\/$/, /^\/index\.html$/, /^\/pkg\/(app|trainer)\.js$/, /^\/pkg\/style\.css$/,
  /^\/pkg\/(autoscale_playground|trainer_core)_bg\.wasm$/, /^\/pkg\/trained-[a-z-]+\.json$/];

test('a normal run breaks no CSP rule and fetches only the page\'s own files', () => www.withPage('about:blank', async ({ page, context, errors }) => {
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(www.url);
  await waitTrained(page);
  // Load, training (in the worker) and play, with every panel drawn.
  await page.waitForFunction(() => window.playgroundTest.playing && window.playgroundTest.shown.step > 100);
  await page.hover('#heatmap-canvas');
  await page.click('#explain');
  await page.waitForFunction(() => document.getElementById('forensics-text').textContent.includes('step'));
  await unfold(page, '#train');
  await page.click('#train');
  await waitTrained(page);
  const origin = new URL(www.url).origin;
  const foreign = requests.filter((u) => {
    const url = new URL(u);
    return url.protocol !== 'data:' && (url.origin !== origin || !OWN.some((p) => p.test(url.pathname)));
  });
  assert.deepEqual(foreign, [], 'requests beyond the page\'s own files');
  for (const file of ['/pkg/app.js', '/pkg/style.css', '/pkg/trainer.js', '/pkg/autoscale_playground_bg.wasm', '/pkg/trainer_core_bg.wasm']) {
    assert.ok(requests.some((u) => new URL(u).pathname === file), `${file} was loaded`);
  }
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.deepEqual(errors, []);
}));

test('in a frame allowed to navigate the page that embeds it, every control of the page leaves that page where it was', () => www.withPage('about:blank', async ({ page, context }) => {
  // The embedding page and the playground, each at an origin of its own, served
  // through the test (Chromium refuses a loopback frame in a page that did not
  // come from loopback). The sandbox ALLOWS top navigation and popups: if the
  // page tried to navigate its embedder, by a link or by script, it would
  // succeed, and the test would see it.
  const host = 'http://embedder.test/';
  const playground = 'http://playground.test/';
  await context.route(`${host}**`, (route) => route.fulfill({
    contentType: 'text/html',
    body: '<!doctype html><title>Host</title><script>window.hostMark = "still here";</script>'
      + `<iframe sandbox="allow-scripts allow-same-origin allow-top-navigation allow-popups allow-downloads" src="${playground}" width="1400" height="1800"></iframe>`,
  }));
  await context.route(`${playground}**`, async (route) => {
    const url = new URL(route.request().url());
    await route.fulfill({ response: await route.fetch({ url: new URL(url.pathname.slice(1), www.url).href }) });
  });
  // In the playground's frame: every window.open is recorded with its target.
  await context.addInitScript(() => {
    if (window === window.top) return;
    const real = window.open.bind(window);
    window.opened_ = [];
    window.open = (url, target, ...rest) => {
      window.opened_.push(String(target ?? '_blank'));
      return real(url, target, ...rest);
    };
  });
  // Pages the frame opens (the full playground, in a new tab) are closed.
  context.on('page', (p) => { if (p !== page) p.close().catch(() => {}); });
  const navigations = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });
  await page.goto(host);
  navigations.length = 0;
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  await frame.waitForFunction(() => {
    const t = window.playgroundTest;
    return t?.shown?.training.done && !t.training && t.shown.step > 10;
  }, null, { timeout: 60000 });
  await frame.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));

  // No link, form or base of the page targets the embedder.
  const targets = () => frame.evaluate(() => [...document.querySelectorAll('a[target], form[target], base[target], area[target]')]
    .map((el) => el.target.toLowerCase()).filter((t) => t === '_top' || t === '_parent'));
  assert.deepEqual(await targets(), []);

  // Every button, link and summary, each named once by a mark the test sets (so
  // that the list does not shift as the page changes), is clicked; a control
  // that is shown and enabled must take its click.
  const names = await frame.evaluate(() => [...document.querySelectorAll('button, a[href], summary')].map((el, i) => {
    el.dataset.clickCheck = String(i);
    return el.id || el.textContent.trim().slice(0, 40);
  }));
  assert.ok(names.length >= 6, `${names.length} controls`);
  const clicked = [];
  for (let i = 0; i < names.length; i += 1) {
    // The folds opened as a visitor opens them to reach the control (a summary
    // clicked closes its fold: opened again each time): every fold that pushes
    // the page down, but a menu that opens over the page (Share and export)
    // only for a control in it, since it covers the controls beneath it and a
    // click outside it closes it.
    await frame.evaluate((i) => {
      const el = document.querySelector(`[data-click-check="${i}"]`);
      document.querySelectorAll('details').forEach((d) => { d.open = !d.classList.contains('menu') || d.contains(el); });
    }, i);
    const control = frame.locator(`[data-click-check="${i}"]`);
    if (!(await control.isVisible()) || !(await control.isEnabled())) continue;
    // The Q-table import opens a file chooser: none is given.
    await control.click({ timeout: 10000 });
    clicked.push(names[i]);
    assert.deepEqual(navigations, [], `the embedding page navigated after a click on ${names[i]}`);
  }
  assert.ok(clicked.length >= 6, `clicked ${clicked.join(', ')}`);
  // Whatever the clicks started has run by the time both documents have drawn
  // two more frames.
  const twoFrames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  await frame.evaluate(twoFrames);
  await page.evaluate(twoFrames);

  assert.deepEqual(navigations, [], 'the embedding page navigated');
  assert.equal(page.url(), host);
  assert.equal(await page.evaluate(() => window.hostMark), 'still here');
  assert.deepEqual(await frame.evaluate(() => window.opened_.filter((t) => /^_(top|parent)$/i.test(t))), [], 'window.open aimed at the embedder');
  assert.deepEqual(await targets(), []);
  // The frame still runs the playground after all that.
  assert.equal(await frame.evaluate(() => typeof window.playgroundTest.stepIndex), 'number');
  assert.equal(await frame.evaluate(() => window.playgroundTest.dead), false);
}));
