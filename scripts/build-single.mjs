// Builds dist/autoscale-playground.html: the page as one file that works opened
// from file:// (offline teaching) or put on any static site (documentation).
// Needs the page built first (scripts/build-wasm.sh; `make single` does both).
//
// The file holds the stylesheet, the wasm (base64), the wasm-bindgen glue,
// the page's modules (app.js and what it imports) and the build's trained presets
// in one module script, and the training worker (the glue and trainer.js) as text
// started from a Blob URL, with the worker's own wasm build (trainer_core: the
// speed build that carries the worker's class) inlined beside the page's. Its Content-Security-Policy admits exactly these inline
// script and style elements by their SHA-256 hashes, computed here, and nothing
// from elsewhere.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WWW = join(ROOT, 'www');
const PKG = join(WWW, 'pkg');
const GLUE = 'autoscale_playground.js';
const WASM = 'autoscale_playground_bg.wasm';
const OUT = join(ROOT, 'dist', 'autoscale-playground.html');

function fail(message) {
  console.error(`build-single: ${message}`);
  process.exit(1);
}

const read = (path) => {
  if (!existsSync(path)) fail(`${path} is missing: build the page first (scripts/build-wasm.sh)`);
  return readFileSync(path, 'utf8');
};

// The glue as a script that evaluates to its exports: its `export` keywords and
// its closing export list are removed, and the exports returned as an object whose
// `default`, the init function, loads the inlined wasm when given nothing.
function glueExpression(glue) {
  const names = [];
  let body = glue.replace(/^export (class|function|async function|const|let) (\w+)/gm, (_, kind, name) => {
    names.push(name);
    return `${kind} ${name}`;
  });
  const list = /^export \{ initSync, __wbg_init as default \};\s*$/m;
  if (!list.test(body)) fail(`${GLUE} does not end with wasm-bindgen 0.2's export list; update build-single.mjs for this wasm-bindgen`);
  body = body.replace(list, '');
  const stray = body.match(/^(import|export)\b.*$/m);
  if (stray) fail(`${GLUE} has a statement this build cannot inline: ${stray[0]}`);
  return `(() => {\n${body}\nreturn { default: (arg) => __wbg_init(arg ?? { module_or_path: wasmBytes() }), initSync, ${names.join(', ')} };\n})()`;
}

// A module's imports of the glue become reads from `pkg`, and its imports of the
// page's other modules reads from theirs (`modules`: file name to variable name);
// any other import is an error (this build would have to inline that file too).
// An import list as a destructuring pattern: `a as b` reads `a: b`.
const renamed = (names) => names.trim().replace(/([\w$]+)\s+as\s+([\w$]+)/g, '$1: $2');

function withoutImports(source, file, modules = {}) {
  const out = source
    .replace(
      /^import\s+(?:(\w+)\s*,\s*)?\{([^}]*)\}\s+from\s+'\.\/pkg\/(?:autoscale_playground|trainer_core)\.js';?$/m,
      (_, init, names) => `const { ${init ? `default: ${init}, ` : ''}${renamed(names)} } = pkg;`,
    )
    .replace(
      /^import\s+\{([^}]*)\}\s+from\s+'\.\/([\w-]+\.js)';?$/gm,
      (line, names, dep) => (dep in modules ? `const { ${renamed(names)} } = ${modules[dep]};` : line),
    );
  const stray = out.match(/^\s*import\b[^(].*$/m);
  if (stray) fail(`${file} imports something this build does not inline: ${stray[0].trim()}`);
  return out;
}

// The page's own modules that `source` imports, by file name.
const localImports = (source) => [...source.matchAll(/^import\s+\{[^}]*\}\s+from\s+'\.\/([\w-]+\.js)';?$/gm)].map((m) => m[1]);

// The page's modules from `entry` along their imports, each after the modules it
// imports: the order in which a browser evaluates them. Imports that form a cycle
// are refused.
function moduleOrder(entry) {
  const order = [];
  const path = [];
  const visit = (file) => {
    if (order.includes(file)) return;
    if (path.includes(file)) fail(`the page's modules import each other in a cycle: ${[...path, file].join(' -> ')}`);
    path.push(file);
    for (const dep of localImports(read(join(WWW, file)))) visit(dep);
    path.pop();
    order.push(file);
  };
  visit(entry);
  return order;
}

// The page's modules as one script: each module a function scope that evaluates
// to its exports, in evaluation order, its imports read from the modules before
// it. Exports must be declarations of functions, classes or constants (a binding
// that changes would not be seen through the copy an import takes).
function inlineModules(entry) {
  const modules = {};
  return moduleOrder(entry).map((file) => {
    const names = [];
    const body = withoutImports(read(join(WWW, file)), file, modules)
      .replace(/^export (async function|function|class|const) ([\w$]+)/gm, (_, kind, name) => {
        names.push(name);
        return `${kind} ${name}`;
      });
    const stray = body.match(/^\s*export\b.*$/m);
    if (stray) fail(`${file} has an export this build cannot inline: ${stray[0].trim()}`);
    modules[file] = `module_${file.replace(/\W/g, '_')}`;
    return `// ${file}\nconst ${modules[file]} = (() => {\n${body}\nreturn {${names.length ? ` ${names.join(', ')} ` : ''}};\n})();`;
  }).join('\n');
}

// Script text may not close its element or open a comment the HTML parser reads.
function scriptSafe(js) {
  return js.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const html = read(join(WWW, 'index.html'));
const css = read(join(WWW, 'style.css'));
const glue = read(join(PKG, GLUE));
const trainer = read(join(WWW, 'trainer.js'));
const wasmPath = join(PKG, WASM);
if (!existsSync(wasmPath)) fail(`${wasmPath} is missing: build the page first (scripts/build-wasm.sh)`);
const wasm = readFileSync(wasmPath).toString('base64');
// The build's trained presets (scripts/build-wasm.sh), which the page fetches,
// and the real traces of the presets that replay one (www/traces/<set>/*.csv,
// about 1 MB), fetched when such a preset is chosen: a file:// page can fetch
// nothing, so they are inlined too. Each is found by its last two path parts.
const TRACES = join(WWW, 'traces');
if (!existsSync(TRACES)) fail(`${TRACES} is missing: build the page first (scripts/build-wasm.sh)`);
const traces = readdirSync(TRACES).flatMap((set) => readdirSync(join(TRACES, set))
  .filter((f) => f.endsWith('.csv'))
  .map((f) => [`${set}/${f}`, readFileSync(join(TRACES, set, f), 'utf8')]));
const trained = Object.fromEntries(readdirSync(PKG)
  .filter((f) => /^trained-[\w-]+\.json$/.test(f))
  .map((f) => [`pkg/${f}`, readFileSync(join(PKG, f), 'utf8')])
  .concat(traces));

const glueJs = glueExpression(glue);
const trainerGlue = read(join(PKG, 'trainer_core.js'));
const trainerWasm = readFileSync(join(PKG, 'trainer_core_bg.wasm')).toString('base64');
// A classic script (Chromium starts no module worker from a blob: URL of a
// file:// page), so without import.meta: the glue reads it only to find the wasm
// file when given no bytes, which never happens here.
const worker = `const wasmBytes = () => Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
const pkg = ${glueExpression(trainerGlue).replaceAll('import.meta.url', 'self.location.href')};
${withoutImports(trainer, 'trainer.js')}`;
if (/\bimport\.meta\b/.test(worker)) fail('trainer.js reads import.meta, which a classic worker does not have');

// One module: the page's own code (its modules, unchanged but for their imports
// and exports) after a prelude that gives it the wasm, the glue, the trained
// presets and a worker without any file beside it. `fetch` and `Worker` are
// shadowed in this module's scope only: the page fetches the trained presets and
// starts trainer.js by URL.
const script = scriptSafe(`// Autoscale Playground, single-file build (scripts/build-single.mjs).
const WASM_BASE64 = ${JSON.stringify(wasm)};
const wasmBytes = () => Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
const pkg = ${glueJs};
const INLINED = ${JSON.stringify(trained)};
const fetch = async (url) => {
  const name = new URL(url, location.href).pathname.split('/').slice(-2).join('/');
  return name in INLINED ? new Response(INLINED[name], { headers: { 'Content-Type': 'application/json' } }) : new Response(null, { status: 404 });
};
const WORKER_SOURCE = ${JSON.stringify(`const WASM_BASE64 = "${trainerWasm}";\n${worker}`)};
let workerUrl = null;
const Worker = class extends globalThis.Worker {
  constructor() {
    workerUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    super(workerUrl);
  }
};
${inlineModules('app.js')}`);

const csp = [
  "default-src 'none'",
  `script-src ${sha256(script)} 'wasm-unsafe-eval'`,
  'worker-src blob:',
  `style-src ${sha256(css)}`,
  'img-src data: blob:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

let page = html;
const replaceOnce = (pattern, replacement, what) => {
  if (!pattern.test(page)) fail(`www/index.html has no ${what}`);
  page = page.replace(pattern, () => replacement);
};
// The served page's policy (its files from 'self') does not fit a single file.
if (/http-equiv="Content-Security-Policy"/.test(page)) {
  replaceOnce(/(<!--(?:(?!-->)[\s\S])*-->\s*)?<meta http-equiv="Content-Security-Policy"[^>]*>/, '', 'policy');
}
replaceOnce(/<meta charset="utf-8">/, `<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="${csp}">`, '<meta charset="utf-8">');
// The wasm is inlined: no file to fetch ahead.
replaceOnce(/<link rel="preload" href="pkg\/autoscale_playground_bg.wasm"[^>]*>\n/, '', 'wasm preload link');
replaceOnce(/<link rel="stylesheet" href="pkg\/style.css">/, `<style>${css}</style>`, 'stylesheet link');
// index.html loads the build's bundle of these modules (pkg/app.js); this file
// inlines the modules themselves.
replaceOnce(/<script type="module" src="pkg\/app.js" async><\/script>/, `<script type="module">${script}</script>`, 'pkg/app.js script element');

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, page);
console.log(`build-single: ${OUT} (${Math.round(Buffer.byteLength(page) / 1024)} KB)`);
