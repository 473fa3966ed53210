// Share, export and import, and a trace file read into a replay.

import { replayScenario, replayMaxBytes, shown } from './pkg/autoscale_playground.js';
import { app, invalidate, $, message, pageUrl } from './state.js';
import { load } from './scenario.js';
import { startTraining } from './training.js';

// The embed snippet's iframe, without the host's listener: as wide as its
// column, and as tall as the compact layout is at 600 px wide (it is 965 px
// tall at 400 px wide, 650 at 1,000: the frame scrolls, or leaves a margin).
// With the listener, the frame follows the height the page posts.
const EMBED_HEIGHT_PX = 720;

// Puts `text` on the clipboard and says so; when the browser refuses, shows the
// text selected, to copy by hand.
async function copyText(text, what) {
  const status = $('share-status');
  const box = $('share-text');
  box.value = text;
  try {
    await navigator.clipboard.writeText(text);
    box.hidden = true;
    status.textContent = `Copied the ${what}.`;
  } catch (e) {
    box.hidden = false;
    box.select();
    status.textContent = `The browser did not allow copying (${message(e)}): the ${what} is selected below, copy it with Ctrl+C.`;
  }
}

export function copyLink() {
  const step = $('link-at-step').checked ? app.pg.stepIndex : 0;
  copyText(pageUrl(false, step), step ? `link to step ${step}` : 'link');
}

// A link for a class: what the students see, whether it plays at once, and the
// guided lesson, as chosen in the Class link fieldset; at this step when asked.
export function copyClassLink() {
  const step = $('link-at-step').checked ? app.pg.stepIndex : 0;
  const view = {
    controls: document.querySelector('input[name="class-controls"]:checked')?.value ?? 'charts',
    autoplay: $('class-autoplay').checked,
    lesson: $('class-lesson').checked,
    presenter: $('class-presenter').checked,
  };
  copyText(pageUrl(false, step, view), step ? `class link to step ${step}` : 'class link');
}

// The message the embedded page posts to its host whenever its height changes
// (app.js), and the one line a host page may add to follow it.
export const HEIGHT_MESSAGE = 'autoscale-playground:height';

// An iframe snippet for a documentation page: the compact layout, the same run;
// then, commented, the listener that makes the frame as tall as its content.
export function copyEmbed() {
  const s = JSON.parse(app.pg.scenarioJson());
  const attr = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const title = `Autoscale Playground: ${s.workload.family} workload, seed ${s.seed}`;
  const listener = `addEventListener('message', (e) => { if (e.origin === ${JSON.stringify(location.origin)} && e.data?.type === '${HEIGHT_MESSAGE}') `
    + `for (const f of document.querySelectorAll('iframe')) if (f.contentWindow === e.source) f.height = e.data.height; });`;
  copyText(`<iframe src="${attr(pageUrl(true, 0))}" title="${attr(title)}" width="100%" height="${EMBED_HEIGHT_PX}" loading="lazy"></iframe>\n`
    + `<!-- Optional: the frame as tall as its content (the page posts {type: '${HEIGHT_MESSAGE}', height} on every resize):\n`
    + `<script>${listener}</script> -->`, 'embed code');
}

// Saves `blob` as a file named `name` through a temporary download link.
function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by the next task; the URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function exported(what) {
  $('export-error').textContent = '';
  $('export-status').textContent = what;
}

function exportFailed(what, e) {
  $('export-status').textContent = '';
  $('export-error').textContent = `Could not ${what}: ${message(e)}`;
}

export function exportCsv() {
  try {
    const step = app.pg.stepIndex;
    download(`autoscale-run-${step}-steps.csv`, new Blob([app.pg.stepsCsv()], { type: 'text/csv' }));
    exported(`Exported the ${step} steps played, every world's.`);
  } catch (e) {
    exportFailed('export the run', e);
  }
}

export function exportTable() {
  try {
    download('autoscale-q-table.json', new Blob([app.pg.tableJson()], { type: 'application/json' }));
    exported('Exported the Q-table.');
  } catch (e) {
    exportFailed('export the Q-table', e);
  }
}

// Takes a Q-table file as the trained agent; a file that does not fit is
// reported and the run goes on as it was.
export async function importTable(e) {
  const input = e.target;
  const file = input.files[0];
  if (!file) return;
  try {
    app.pg.loadTable(await file.text());
    // Training in progress would replace the loaded table: stop listening to it.
    app.trainingId += 1;
    app.loads += 1;
    app.progress = null;
    // The ablation's agent (No forecast, when shown) still trains as it did.
    if (!app.pg.trained) startTraining();
    invalidate({ announce: true });
    exported(`Loaded the Q-table of ${file.name}: the run restarted with it.`);
  } catch (err) {
    exportFailed(`load ${file.name}`, err);
  } finally {
    // So that choosing the same file again loads it again.
    input.value = '';
  }
}

// The dashboard as one image: every canvas shown and the scoreboard's text, where
// they are on the page, at the canvases' resolution.
export function exportPng() {
  const board = $('dashboard');
  const origin = board.getBoundingClientRect();
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(origin.width * ratio);
  canvas.height = Math.round(origin.height * ratio);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const at = (el) => {
    const r = el.getBoundingClientRect();
    return [(r.left - origin.left) * ratio, (r.top - origin.top) * ratio, r.width * ratio, r.height * ratio];
  };
  for (const c of board.querySelectorAll('canvas')) {
    const [x, y, w, h] = at(c);
    if (w > 0 && h > 0 && c.width > 0) ctx.drawImage(c, x, y, w, h);
  }
  ctx.textBaseline = 'middle';
  // The rows shown: a world switched off is not on the scoreboard.
  for (const cell of $('scoreboard').querySelectorAll('thead th, tbody tr:not([hidden]) > *')) {
    const [x, y, w, h] = at(cell);
    const style = getComputedStyle(cell);
    ctx.font = `${style.fontWeight} ${parseFloat(style.fontSize) * ratio}px ${style.fontFamily}`;
    ctx.fillStyle = style.color;
    ctx.textAlign = style.textAlign === 'right' ? 'right' : 'left';
    const pad = parseFloat(style.paddingLeft) * ratio;
    ctx.fillText(cell.textContent, ctx.textAlign === 'right' ? x + w - pad : x + pad, y + h / 2);
  }
  canvas.toBlob((blob) => {
    if (!blob) {
      exportFailed('export the dashboard', 'the browser could not encode the image');
      return;
    }
    download(`autoscale-dashboard-${app.pg.stepIndex}-steps.png`, blob);
    exported('Exported the dashboard.');
  }, 'image/png');
}

// A trace file chosen by the user: refused before reading when too large, then
// read by the CLI's importer (in wasm) into a replay of the current scenario.
// Any problem goes to the banner and the run that was going on plays on.
export async function readTrace(event) {
  const input = event.target;
  const file = input.files?.[0];
  if (!file) return;
  const cap = replayMaxBytes();
  if (file.size > cap) {
    $('scenario-error').textContent = `The trace '${shown(file.name)}' was not read: it has ${file.size} bytes, and at most ${cap} (${cap / 2 ** 20} MB) are accepted.`;
    input.value = '';
    return;
  }
  try {
    const text = await file.text();
    const json = replayScenario(app.pg.scenarioJson(), file.name, text);
    const before = app.replay;
    app.replay = { name: file.name, text };
    try {
      load(json);
    } catch (e) {
      app.replay = before;
      throw e;
    }
  } catch (e) {
    $('scenario-error').textContent = `The trace '${shown(file.name)}' was not used; the run goes on unchanged.\n${message(e)}`;
  }
  // Choosing the same file again reads it again.
  input.value = '';
}
