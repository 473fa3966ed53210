// The guided lesson is true for its run, on every preset (issue 26): the
// lesson link the CLI prints (`link --preset P --lesson`) is opened for each
// preset, and every step walked. Each step that opens a moment opens one of
// its kind, as the engine lists the moments, and the forensics pinned for it
// agree (a pre-emptive step's say "Pre-emptive", never "A reaction"; a late
// reaction's say "A reaction"; an oscillation's decision changed capacity; a
// saving's replicas are the worlds' at that step). Every figure a caption
// quotes is the scoreboard's at that step and the engine's; the saving's whole-
// run figure and the forecast step's figures are the run played ahead (the
// frontier), which the scoreboard shows at the run's end; the forecast step's
// sign (in the verdict's words) is the one its figures give. A kind the run lacks is named as skipped.
// A preset takes seconds: its agent is the build's (the ablation's trains in
// the page, the real traces' forecaster is fitted there), the lesson's seeks
// replay the run at the page's fast-forward.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { session, waitTrained, assertShows, ROOT } from './harness.mjs';

const www = session();

const cli = (...args) => execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'autoscale-playground', '--', ...args], { cwd: ROOT }).toString().trim();
const PRESETS = cli('presets').split(/\s+/);

// The moment kinds in the lesson's order, with the words the panel says of a
// kind the run lacks.
const KINDS = [
  ['oscillation', 'an oscillation'],
  ['pre_emptive', 'a pre-emptive scale-up'],
  ['late_reaction', 'a late reaction'],
  ['saving', 'a saving in a dip'],
];

// What the page shows in one turn, once it has drawn the engine's step and no
// seek is under way: the lesson's texts, the forensics panel, the scoreboard's
// rows by name, and the engine's metrics.
async function shown(page) {
  const handle = await page.waitForFunction(() => {
    const t = window.playgroundTest;
    const m = t.metrics();
    const text = (id) => document.getElementById(id).textContent;
    return !t.seeking && Number(document.getElementById('clock').dataset.step) === m.step && {
      progress: text('lesson-progress'),
      question: text('lesson-question'),
      caption: text('lesson-caption'),
      forensics: text('forensics-text'),
      rows: Object.fromEntries([...document.querySelectorAll('#scoreboard tbody tr')].map((tr) => [tr.cells[0].textContent, [...tr.cells].map((c) => c.textContent)])),
      m,
    };
  }, null, { timeout: 60000 });
  return handle.jsonValue();
}

// Waits for step `k` (from 1) of `n`, then until `ready(shown)` holds.
async function atStep(page, k, n, ready) {
  await page.waitForFunction((want) => document.getElementById('lesson-progress').textContent === want, `step ${k} of ${n}`);
  for (const deadline = Date.now() + 60000; ;) {
    const s = await shown(page);
    if (ready(s)) return s;
    assert.ok(Date.now() < deadline, `step ${k}: the page did not settle: ${JSON.stringify({ step: s.m.step, forensics: s.forensics.slice(0, 200), caption: s.caption })}`);
    await page.waitForTimeout(100);
  }
}

// A figure quoted by a caption, as `re`'s groups, which must be there.
function quoted(caption, re, what) {
  const m = caption.match(re);
  assert.ok(m, `${what}: the caption says no such figure: ${caption}`);
  return m.slice(1);
}

// A scoreboard cell "V (P %)" as [V, P].
const violations = (cell) => cell.match(/^([\d.]+) \(([\d.]+)\s%\)$/).slice(1);

// A count of violation steps as the page words it: whole when whole.
const stepsWords = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

// What the forecast buys, as the lesson (in the verdict's words) must say it
// from the whole run's figures: Elastic against No forecast on cost (level
// when "0.0 %" apart) and on violation steps (level to a tenth of a step).
function buys(el, nf) {
  const p = (100 * Math.abs(el.cost - nf.cost) / nf.cost).toFixed(1);
  const c = p === '0.0' ? 0 : Math.sign(el.cost - nf.cost);
  const v = Math.sign(Math.round(10 * el.sla_violation_steps) - Math.round(10 * nf.sla_violation_steps));
  const n = stepsWords(Math.abs(el.sla_violation_steps - nf.sla_violation_steps));
  if (c < 0) return v < 0 ? `a ${p} % saving and ${n} fewer violation steps` : v === 0 ? `a ${p} % saving with no more violation steps` : `a ${p} % saving at the price of ${n} more violation steps`;
  if (v < 0) return `${n} fewer violation steps for ${c === 0 ? 'the same cost' : `${p} % more cost`}`;
  if (c === 0) return v === 0 ? 'nothing on this run' : `nothing: it breaks the SLA in ${n} more steps at the same cost`;
  return v === 0 ? `nothing: it costs ${p} % more` : `nothing: it costs ${p} % more, with ${n} more violation steps`;
}

// What each preset's lesson had, for the log.
const outcome = {};

for (const preset of PRESETS) {
  test(`the lesson on ${preset} is true for its run: each step's moment is of its kind as the forensics judge it, every figure is the scoreboard's and the engine's, the forecast's sign is its figures', a missing kind is named as skipped`, async () => {
    const link = cli('link', '--preset', preset, '--lesson');
    await www.withPage(link, { width: 1366, height: 768 }, async ({ page, errors }) => {
      await waitTrained(page, 240000);
      await page.waitForFunction(() => /^\d+ steps$/.test(document.getElementById('lesson-progress').textContent), null, { timeout: 240000 });
      const start = await shown(page);
      const { moments, frontier } = start.m;
      const whole = Object.fromEntries(frontier.worlds.map((w) => [w.kind, w]));
      assert.ok(whole.no_forecast, 'a lesson link shows the world without the forecast');
      // Both agents the build's (the ablation's too): nothing trained in the page.
      assert.equal(await page.evaluate(() => window.playgroundTest.worker), false, 'no training in the page');
      // The steps: each kind the run has, the forecast's worth, the heatmap.
      const kinds = KINDS.filter(([kind]) => moments.some((m) => m.kind === kind));
      const skipped = KINDS.filter(([kind]) => !moments.some((m) => m.kind === kind)).map(([, words]) => words);
      const n = kinds.length + 2;
      assert.equal(start.progress, `${n} steps`);
      assert.equal(await page.locator('#lesson-skipped').textContent(), skipped.length ? `Not in this run, so skipped: ${skipped.join(', ')}. The diurnal preset\u2019s run has every kind of moment.` : '');
      // Where kinds are skipped, the panel sends the class to the diurnal preset: it must have them all.
      if (preset === 'diurnal') assert.deepEqual(skipped, [], 'the diurnal preset\'s run has every kind of moment');
      outcome[preset] = { steps: [...kinds.map(([kind]) => kind), 'forecast', 'heatmap'], skipped };
      await page.click('#lesson-next');

      for (const [i, [kind]] of kinds.entries()) {
        // The first moment of its kind, opened: the run just after its decision,
        // the forensics pinned with the moment's line.
        const s = await atStep(page, i + 1, n, (x) => x.forensics.startsWith('Moment: '));
        const head = s.forensics.split('\n')[0].slice('Moment: '.length);
        const opened = s.m.moments.find((m) => m.text === head && m.step + 1 === s.m.step);
        assert.ok(opened, `step ${i + 1}: the forensics' moment '${head}' is no moment of the engine's at step ${s.m.step - 1}`);
        assert.equal(opened.kind, kind, `step ${i + 1} opens a moment of its kind`);
        assert.equal(opened, s.m.moments.find((m) => m.kind === kind), 'the first of its kind');
        assert.ok(s.caption.startsWith(`Here: ${head.replace(/[.\s]+$/, '')}.`), s.caption);
        const lines = s.forensics.split('\n');
        const row = s.rows.Elastic;
        if (kind === 'pre_emptive') {
          assert.ok(lines.some((l) => l.startsWith('Pre-emptive: ')), `the forensics call it pre-emptive: ${s.forensics}`);
          assert.ok(!/A reaction|Unprompted/.test(s.forensics), `the forensics call it no reaction: ${s.forensics}`);
          const floor = lines.some((l) => l.startsWith('The safety floor scaled up'));
          assert.equal(s.caption.includes('the safety floor added them this time'), floor, 'the caption says when the floor added them');
          const [early, late] = quoted(s.caption, /So far (\d+) of its scale-ups came early, (\d+) late\.$/, 'scale-ups');
          assert.equal(`${early} / ${late}`, row[5]);
          const w = s.m.worlds.find((x) => x.kind === 'elastic');
          assert.deepEqual([Number(early), Number(late)], [w.scale_ups.early, w.scale_ups.late]);
        } else if (kind === 'late_reaction') {
          assert.ok(lines.some((l) => l.startsWith('A reaction: ')), `the forensics call it a reaction: ${s.forensics}`);
          assert.ok(!/Pre-emptive: /.test(s.forensics), s.forensics);
          const [v, p] = quoted(s.caption, /Elastic has broken the SLA in ([\d.]+) steps so far \(([\d.]+) %\)\.$/, 'violations');
          assert.deepEqual([v, p], violations(row[3]));
          const w = s.m.worlds.find((x) => x.kind === 'elastic');
          assertShows(v, w.sla_violation_steps, 'violation steps');
          assertShows(p, w.sla_violation_pct, 'violation share');
        } else if (kind === 'oscillation') {
          // Its first change: the decision changed capacity.
          const change = s.forensics.match(/(?:Chose scale (?:up|down): |The safety floor scaled up \()(\d+) → (\d+) replicas/);
          assert.ok(change && change[1] !== change[2], `the decision changed capacity: ${s.forensics}`);
          const [changes] = quoted(s.caption, /Elastic has changed capacity (\d+) times so far\.$/, 'changes');
          assert.equal(changes, row[4]);
          assert.equal(Number(changes), s.m.worlds.find((x) => x.kind === 'elastic').capacity_changes);
        } else {
          // The replicas it names are the worlds' at its step.
          const [el, st] = quoted(head, /Elastic ran (\d+) replicas where Static ran (\d+)/, 'replicas').map(Number);
          const now = Object.fromEntries(s.m.now.map((w) => [w.kind, w.provisioned]));
          assert.deepEqual([el, st], [now.elastic, now.static], 'the saving moment\'s replicas');
          assert.ok(el < st);
          const [cost, base, so, sign, all, allSign] = quoted(s.caption, /So far Elastic has cost ([\d.]+), Static ([\d.]+): ([\d.]+) % (less|more); over the whole run, ([\d.]+) % (less|more)\.$/, 'saving');
          assert.equal(cost, row[1]);
          assert.equal(base, s.rows.Static[1]);
          assert.equal(`${sign === 'more' ? '-' : ''}${so}`, row[2].replace(/\s%$/, ''));
          const w = s.m.worlds.find((x) => x.kind === 'elastic');
          assertShows(cost, w.cost, 'Elastic\'s cost');
          assertShows(so, Math.abs(w.saving_pct), 'the saving so far');
          assert.equal(sign, w.saving_pct < 0 ? 'more' : 'less');
          assertShows(all, Math.abs(whole.elastic.saving_pct), 'the whole run\'s saving');
          assert.equal(allSign, whole.elastic.saving_pct < 0 ? 'more' : 'less');
        }
        await page.click('#lesson-next');
      }

      // The forecast's worth: the run played to its end, where the scoreboard
      // shows the whole run's figures the caption quotes.
      const f = await atStep(page, kinds.length + 1, n, (x) => x.m.step === x.m.steps);
      assert.equal(f.question, 'Does the forecast pay?');
      const [ec, ev] = quoted(f.caption, /^Over the whole run, Elastic, with the forecast in its state, costs ([\d.]+) with ([\d.]+) SLA-violation steps\. /, 'Elastic');
      const [nc, nv, said] = quoted(f.caption, /Without the forecast in its state \(No forecast\) it costs ([\d.]+) with ([\d.]+) violation steps: the forecast buys (.+)\.$/, 'No forecast');
      for (const [name, kindOf, cost, v] of [['Elastic', 'elastic', ec, ev], ['No forecast', 'no_forecast', nc, nv]]) {
        const end = f.m.worlds.find((w) => w.kind === kindOf);
        assertShows(cost, whole[kindOf].cost, `${name}'s whole-run cost`);
        assertShows(v, whole[kindOf].sla_violation_steps, `${name}'s whole-run violation steps`);
        assertShows(cost, end.cost, `${name}'s cost at the end`);
        assertShows(v, end.sla_violation_steps, `${name}'s violation steps at the end`);
        assert.equal(cost, f.rows[name][1], `${name}: the scoreboard's cost`);
        assert.equal(v, violations(f.rows[name][3])[0], `${name}: the scoreboard's violation steps`);
      }
      // The sign as the figures give it, whichever way it goes.
      assert.equal(said, buys(whole.elastic, whole.no_forecast), f.caption);
      outcome[preset].forecast = `buys ${said} (Elastic ${ec} / ${ev}, No forecast ${nc} / ${nv})`;

      // Last, the heatmap and the current decision explained.
      await page.click('#lesson-next');
      const h = await atStep(page, n, n, (x) => !/^Replaying/.test(x.forensics) && x.forensics.startsWith('Step '));
      assert.match(h.question, /heatmap/);
      assert.ok(h.caption.includes(h.forensics.split('\n')[0]), h.caption);
      assert.equal(await page.isDisabled('#lesson-next'), true);
      assert.deepEqual(errors, []);
      console.log(`${preset}: ${JSON.stringify(outcome[preset])}`);
    });
  });
}
