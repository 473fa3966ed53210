// The e2e tests' reporter (`node --test --test-reporter=./tests/e2e/reporter.mjs`):
// one line per test, its output, each failure in full, and the counts. A test
// that did not run (skip or todo) is reported as NOT RUN and fails the command:
// every test must run.

import { inspect } from 'node:util';

export default async function* reporter(source) {
  let notRun = 0;
  for await (const { type, data } of source) {
    // A file's own event names the file; its tests are nested under it.
    const isFile = data?.file && data.name === data.file;
    switch (type) {
      case 'test:stdout':
      case 'test:stderr':
        yield data.message;
        break;
      case 'test:pass':
        if (isFile) break;
        if (data.skip !== undefined || data.todo !== undefined) {
          notRun += 1;
          process.exitCode = 1;
          yield `NOT RUN ${data.name}\n`;
        } else {
          yield `ok ${data.name} (${Math.round(data.details.duration_ms)} ms)\n`;
        }
        break;
      case 'test:fail': {
        const error = data.details.error;
        yield `not ok ${isFile ? `in ${data.file}` : data.name}\n${inspect(error?.cause ?? error, { depth: 4 }).replace(/^/gm, '  ')}\n`;
        break;
      }
      case 'test:diagnostic': {
        // The counts; the ones for tests that did not run only when some did not.
        const [key, value] = data.message.split(' ');
        if (['skipped', 'todo', 'cancelled'].includes(key)) {
          if (Number(value) > 0) yield `NOT RUN (${key}) ${value}\n`;
        } else {
          yield `# ${data.message}\n`;
        }
        break;
      }
      default:
        break;
    }
  }
  if (notRun > 0) yield `${notRun} test(s) did not run\n`;
}
