// The heatmap's interaction: slice, tooltip, keyboard cursor, a cell explained.

import { SliceDirection } from './pkg/autoscale_playground.js';
import { app, invalidate, $, message } from './state.js';

export function applySlice() {
  app.pg.setSlice(SliceDirection[$('slice-trend').value], SliceDirection[$('slice-forecast').value]);
  invalidate();
}

export function heatmapTip(e) {
  const tip = $('heatmap-tip');
  const cell = app.pg.cellAt(e.offsetX, e.offsetY);
  if (!cell) {
    tip.hidden = true;
    return;
  }
  tip.textContent = app.pg.describeCell(cell.bin, cell.row);
  tip.style.left = `${e.offsetX + 14}px`;
  tip.style.top = `${e.offsetY + 14}px`;
  tip.hidden = false;
}

export function explainCell(bin, row) {
  try {
    app.pg.setPlaying(false);
    app.pg.explainCell(bin, row);
  } catch (e) {
    $('forensics-text').textContent = message(e);
  }
  invalidate({ announce: true });
}

export function heatmapKey(e) {
  const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
  if (e.key in moves) {
    e.preventDefault();
    const [db, dc] = moves[e.key];
    const c = app.cursor ?? { bin: 0, row: 1 };
    const grid = app.pg.metrics().grid;
    app.cursor = {
      bin: Math.min(Math.max(c.bin + (app.cursor ? db : 0), 0), grid.bins - 1),
      row: Math.min(Math.max(c.row + (app.cursor ? dc : 0), 1), grid.max),
    };
    app.pg.setCursor(app.cursor.bin, app.cursor.row);
    $('heatmap-cell').textContent = app.pg.describeCell(app.cursor.bin, app.cursor.row);
    invalidate();
  } else if (e.key === 'Enter' && app.cursor) {
    e.preventDefault();
    explainCell(app.cursor.bin, app.cursor.row);
  } else if (e.key === 'Escape') {
    app.cursor = null;
    app.pg.clearCursor();
    $('heatmap-cell').textContent = '';
    invalidate();
  }
}
