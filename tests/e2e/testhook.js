// The end-to-end tests' handle on the page, `window.playgroundTest`: the few
// readings and actions the tests need, each named here, and nothing else of the
// page's state. The actions change the run as the page's controls do, and ask
// for a redraw.
//
// Not part of the page (its bytes would count in the first load's budget): the
// harness (harness.mjs, `open`) runs this script in every frame before the
// page's own, and the page publishes its state once it is set up
// (`window.playgroundInternals = { app, invalidate }`, app.js), which defines
// the handle at that moment, as the page once did itself.

(() => {
  let published = null;
  Object.defineProperty(window, 'playgroundInternals', {
    configurable: true,
    get: () => published,
    set(internals) {
      published = internals;
      exposeTestHook(internals);
    },
  });

  function exposeTestHook({ app, invalidate }) {
    // A number for each Playground shown, given when first asked for.
    const runs = new WeakMap();
    let counted = 0;
    const redrawn = () => invalidate({ announce: true });
    window.playgroundTest = Object.freeze({
      // The metrics as the frame drawn last showed them (what the page shows:
      // `step`, `training`, `demand_replicas` ...), null before the first frame.
      get shown() { return app.metrics; },
      // The engine's metrics now (the Playground's `metrics()`).
      metrics: () => app.pg.metrics(),
      // The step the engine is at, and whether it plays, seeks (or fast-forwards
      // to a link's step), trains its agent (here or in the worker), has a
      // trained agent, and has its forecaster fitted.
      get stepIndex() { return app.pg?.stepIndex ?? 0; },
      get playing() { return app.playing; },
      get seeking() { return app.pg?.seeking ?? false; },
      get training() { return app.training; },
      get trained() { return app.pg?.trained ?? false; },
      get fitted() { return app.fitted; },
      // Whether a new agent (a changed scenario's) trains, waiting to take over.
      get waiting() { return app.next != null; },
      // Where the agent's first training came from: 'build' or 'page'.
      get trainedBy() { return app.trainedBy; },
      // Whether the training worker was started.
      get worker() { return app.worker != null; },
      // The link's view the page keeps: {controls, autoplay, lesson}.
      get view() { return { ...app.view }; },
      // Whether the page stopped on a fatal error.
      get dead() { return app.dead; },
      // A number for the Playground shown: the same until another replaces it.
      get run() {
        if (!runs.has(app.pg)) runs.set(app.pg, ++counted);
        return runs.get(app.pg);
      },
      // The shown run's scenario (JSON), every step's report (the CSV export),
      // Q-table (JSON), training state, forensics text, the texts its charts drew
      // with their boxes, and the step under a point of the capacity chart.
      scenarioJson: () => app.pg.scenarioJson(),
      stepsCsv: () => app.pg.stepsCsv(),
      tableJson: () => app.pg.tableJson(),
      trainingState: () => app.pg.trainingState(),
      forensicsText: () => app.pg.forensicsText(),
      textBoxes: () => app.pg.textBoxes(),
      stepAt: (x, y) => app.pg.stepAt(x, y),
      // Back to step 0; `n` steps on; to step `step` (over frames, `seeking`).
      reset() { app.pg.reset(); redrawn(); },
      step(n) { app.pg.step(n); redrawn(); },
      seek(step) { app.pg.seek(step); redrawn(); },
    });
  }
})();
