// Export and import: the run's CSV is the CLI's for the same link, a Q-table
// exported and loaded back makes the same decisions, a wrong one is refused with
// its reason, and the dashboard comes out as one PNG.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { session, waitTrained, pause, linkOf, downloaded, ROOT } from './harness.mjs';

const www = session();

const STEPS = 300;
// A short run with a quickly trained agent, opened at step STEPS.
const SCENARIO = { seed: 21, steps: 720, agent: { episodes: 3 } };
const LINK = linkOf({ s: SCENARIO, v: { show_rule: true, show_oracle: true, start_step: STEPS, hide_controls: false } });

// Runs `fn` on the page opened on `hash` once it stands, trained, at step STEPS.
function atStep(hash, fn) {
  return www.withPage(`#${hash}`, async (b) => {
    await waitTrained(b.page);
    await b.page.waitForFunction((n) => window.playgroundTest.shown?.step === n && !window.playgroundTest.playing, STEPS, { timeout: 60000 });
    return fn(b);
  });
}

// The CLI's `compare --out` for a link: every world's steps.
function cliCsv(link) {
  const dir = mkdtempSync(join(tmpdir(), 'playground-export-'));
  try {
    const out = join(dir, 'run.csv');
    const run = spawnSync('cargo', ['run', '--release', '--quiet', '--bin', 'autoscale-playground', '--', 'compare', '--link', link, '--out', out], {
      cwd: ROOT, encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the exported CSV equals the CLI\'s for the same link, up to the steps played', async () => {
  const page = await atStep(LINK, async (b) => {
    const file = await downloaded(b.page, '#export-csv');
    assert.equal(file.name, `autoscale-run-${STEPS}-steps.csv`);
    assert.match(await b.page.locator('#export-status').textContent(), /^Exported the 300 steps played/);
    assert.deepEqual(b.errors, []);
    return file.bytes.toString('utf8').trimEnd().split('\n');
  });
  const cli = cliCsv(`${www.url}#${LINK}`).trimEnd().split('\n');
  assert.equal(cli[0], 'world,step,time_s,demand,ready,booting,provisioned,arrivals,completed,dropped,in_system,mean_response_s,p95_response_s,utilisation,cost,sla_held');
  assert.equal(cli.length, 1 + 5 * SCENARIO.steps);
  const played = [cli[0], ...cli.slice(1).filter((row) => Number(row.split(',')[1]) < STEPS)];
  assert.equal(page.length, 1 + 5 * STEPS);
  assert.deepEqual(page, played);
});

// The CLI's `simulate --physics exact` of one world's schedule (its provisioned
// replicas, step by step) for a link, from `initial` replicas ready before step 0
// as the page's worlds start: over its first `steps` steps (the whole run is
// played: a run's length shapes its workload), the cost and the violation steps
// (steps whose p95 missed the SLA), from the per-step CSV.
function cliExact(link, schedule, initial, steps) {
  const dir = mkdtempSync(join(tmpdir(), 'playground-exact-'));
  try {
    const plan = join(dir, 'plan.txt');
    const out = join(dir, 'run.csv');
    writeFileSync(plan, `${schedule.join('\n')}\n`);
    const run = spawnSync('cargo', ['run', '--release', '--quiet', '--bin', 'autoscale-playground', '--', 'simulate', '--link', link,
      '--schedule', plan, '--initial', String(initial), '--physics', 'exact', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const [head, ...all] = readFileSync(out, 'utf8').trimEnd().split('\n').map((r) => r.split(','));
    const col = (name) => head.indexOf(name);
    const rows = all.filter((r) => Number(r[col('step')]) < steps);
    return {
      steps: rows.length,
      cost: rows.reduce((sum, r) => sum + Number(r[col('cost')]), 0),
      violation_steps: rows.filter((r) => r[col('sla_held')] === '0').length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('"Replay with the exact physics" gives, world by world, the CLI\'s simulate --physics exact of the same decisions', async () => {
  const { exact, csv, scenario } = await atStep(LINK, async ({ page, errors }) => {
    await page.click('#replay-exact');
    await page.waitForFunction(() => window.playgroundTest.metrics().exact?.done, null, { timeout: 120000 });
    const got = await page.evaluate(() => {
      const t = window.playgroundTest;
      return { exact: t.metrics().exact, csv: t.stepsCsv(), scenario: JSON.parse(t.scenarioJson()) };
    });
    assert.deepEqual(errors, []);
    return got;
  });
  assert.equal(exact.until, STEPS);
  const [head, ...rows] = csv.trimEnd().split('\n').map((r) => r.split(','));
  const shorts = [...new Set(rows.map((r) => r[0]))];
  assert.equal(shorts.length, exact.worlds.length);
  exact.worlds.forEach((w, i) => {
    const schedule = rows.filter((r) => r[0] === shorts[i]).map((r) => Number(r[head.indexOf('provisioned')]));
    assert.equal(schedule.length, STEPS);
    const cli = cliExact(`${www.url}#${LINK}`, schedule, scenario.scaling.initial_replicas, STEPS);
    assert.equal(cli.steps, STEPS);
    assert.equal(w.violation_steps, cli.violation_steps, `${shorts[i]}: violation steps, page against CLI`);
    // The CSV gives each step's cost to six decimals.
    assert.ok(Math.abs(w.cost - cli.cost) <= 5e-7 * STEPS, `${shorts[i]}: cost ${w.cost} against the CLI's ${cli.cost}`);
  });
});

test('a Q-table exported and loaded back gives the same decisions; a wrong one is refused', async () => {
  const { table, csv } = await atStep(LINK, async ({ page }) => {
    const file = await downloaded(page, '#export-table');
    assert.equal(file.name, 'autoscale-q-table.json');
    const json = file.bytes.toString('utf8');
    assert.equal(JSON.parse(json).version, 1);
    return { table: json, csv: await page.evaluate(() => window.playgroundTest.stepsCsv()) };
  });

  // The same scenario with an agent trained less: other decisions until the
  // table is loaded.
  const other = linkOf({ s: { ...SCENARIO, agent: { episodes: 1 } }, v: { show_rule: true, show_oracle: true, start_step: STEPS, hide_controls: false } });
  await atStep(other, async ({ page, errors }) => {
    await pause(page);
    assert.notEqual(await page.evaluate(() => window.playgroundTest.stepsCsv()), csv);

    // A wrong version and a wrong format: named, and the run goes on untouched.
    const before = await page.evaluate(() => [window.playgroundTest.metrics().step, window.playgroundTest.tableJson()]);
    const wrong = [
      ['newer.json', { ...JSON.parse(table), version: 2 }, /^Could not load newer\.json: this is not a Q-table this page can use: format version 2 is not supported \(this build reads version 1\)$/],
      ['other.json', { format: 'something-else', version: 1 }, /^Could not load other\.json: this is not a Q-table this page can use: .+/],
    ];
    for (const [name, content, want] of wrong) {
      await page.setInputFiles('#import-table', { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(content)) });
      await page.waitForFunction(() => document.getElementById('export-error').textContent !== '');
      assert.match(await page.locator('#export-error').textContent(), want);
      assert.deepEqual(await page.evaluate(() => [window.playgroundTest.metrics().step, window.playgroundTest.tableJson()]), before);
    }

    await page.setInputFiles('#import-table', { name: 'trained.json', mimeType: 'application/json', buffer: Buffer.from(table) });
    await page.waitForFunction(() => document.getElementById('export-status').textContent.startsWith('Loaded'));
    assert.equal(await page.locator('#export-status').textContent(), 'Loaded the Q-table of trained.json: the run restarted with it.');
    assert.equal(await page.locator('#export-error').textContent(), '');
    await pause(page);
    const replayed = await page.evaluate((n) => {
      const t = window.playgroundTest;
      t.reset();
      t.step(n);
      return { table: t.tableJson(), csv: t.stepsCsv() };
    }, STEPS);
    assert.equal(replayed.table, table);
    assert.equal(replayed.csv, csv);
    assert.deepEqual(errors, []);
  });
});

test('the dashboard exports as one PNG of the whole dashboard', () => atStep(LINK, async ({ page, errors }) => {
  const size = await page.evaluate(() => {
    const r = document.getElementById('dashboard').getBoundingClientRect();
    return [Math.round(r.width * devicePixelRatio), Math.round(r.height * devicePixelRatio)];
  });
  const file = await downloaded(page, '#export-png');
  assert.equal(file.name, `autoscale-dashboard-${STEPS}-steps.png`);
  const png = file.bytes;
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // IHDR: width and height, big-endian, after the signature and the chunk header.
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], size);
  // Six charts and a table compress to far more than a blank image's few KB.
  assert.ok(png.length > 50000, `${png.length} bytes`);
  assert.deepEqual(errors, []);
}));
