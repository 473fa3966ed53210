// Gives the wasm's imports and exports short names, in the wasm and in its glue
// alike (node scripts/short-names.mjs WASM GLUE, both rewritten in place). The
// names wasm-bindgen writes (`__wbg_fillText_89d353a9ad9f4a1a`, each import's
// module `./autoscale_playground_bg.js`, `playground_adoptTraining`) stand twice
// in what the page loads, once in each file, and their hashes do not compress.
// Every old name must be found in the glue where it is used, and nowhere else
// afterwards: otherwise the script fails and writes nothing.
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) {
    console.error('usage: node scripts/short-names.mjs WASM GLUE');
    process.exit(2);
}
const bytes = readFileSync(wasmPath);
let glue = readFileSync(gluePath, 'utf8');
// The glue's import module: its own name with _bg (wasm-bindgen's --out-name).
const MODULE = `./${gluePath.split('/').pop().replace(/\.js$/, '')}_bg.js`;
// Exports read by name outside the glue.
const KEEP = new Set(['memory']);
const escape = (s) => s.replace(/[$]/g, '\\$');

function fail(message) {
    console.error(`short-names: ${message}`);
    process.exit(1);
}

// Unsigned LEB128, as the wasm binary writes counts and sizes.
function readU32(at) {
    let value = 0, shift = 0, b;
    do {
        b = bytes[at.i++];
        value += (b & 0x7f) * 2 ** shift;
        shift += 7;
    } while (b & 0x80);
    return value;
}
function u32(value) {
    const out = [];
    do {
        let b = value & 0x7f;
        value = Math.floor(value / 128);
        if (value) b |= 0x80;
        out.push(b);
    } while (value);
    return Buffer.from(out);
}
function readName(at) {
    const len = readU32(at);
    const name = bytes.subarray(at.i, at.i + len).toString('utf8');
    at.i += len;
    return name;
}
const name = (s) => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s)]);

// Short names in order: a..z, A..Z, then two letters and so on.
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
function short(n) {
    let s = '';
    do {
        s = LETTERS[n % LETTERS.length] + s;
        n = Math.floor(n / LETTERS.length) - 1;
    } while (n >= 0);
    return s;
}

const imports = new Map(); // old import name -> new
const exports = new Map(); // old export name -> new
const parts = [bytes.subarray(0, 8)];
const at = { i: 8 };
while (at.i < bytes.length) {
    const start = at.i;
    const id = bytes[at.i++];
    const size = readU32(at);
    const end = at.i + size;
    if (id === 2) {
        const count = readU32(at);
        const out = [u32(count)];
        for (let k = 0; k < count; k++) {
            const module = readName(at);
            const field = readName(at);
            // The import's description: its kind, then a function's type
            // index, a table's or memory's limits or a global's type; copied.
            const descStart = at.i;
            const kind = bytes[at.i++];
            if (kind === 0) readU32(at);
            else if (kind === 1) { at.i++; const flags = readU32(at); readU32(at); if (flags & 1) readU32(at); }
            else if (kind === 2) { const flags = readU32(at); readU32(at); if (flags & 1) readU32(at); }
            else if (kind === 3) { at.i += 2; }
            else fail(`import ${module}.${field} of unknown kind ${kind}`);
            if (module !== MODULE) fail(`an import from ${module}, not ${MODULE}`);
            if (!imports.has(field)) imports.set(field, short(imports.size));
            out.push(name('a'), name(imports.get(field)), bytes.subarray(descStart, at.i));
        }
        if (at.i !== end) fail('the import section did not end where its size said');
        const body = Buffer.concat(out);
        parts.push(Buffer.from([2]), u32(body.length), body);
    } else if (id === 7) {
        const count = readU32(at);
        const out = [u32(count)];
        for (let k = 0; k < count; k++) {
            const field = readName(at);
            const kind = bytes[at.i++];
            const index = readU32(at);
            // An export the glue never reads (wasm-bindgen's abort handler)
            // keeps its name, and so does the memory, which the page's
            // scripts read from what `init()` resolves to (bench.js: the heap).
            const used = !KEEP.has(field) && new RegExp(`\\bwasm\\.${escape(field)}\\b`).test(glue);
            if (used) exports.set(field, short(exports.size));
            out.push(name(used ? exports.get(field) : field), Buffer.from([kind]), u32(index));
        }
        if (at.i !== end) fail('the export section did not end where its size said');
        const body = Buffer.concat(out);
        parts.push(Buffer.from([7]), u32(body.length), body);
    } else {
        parts.push(bytes.subarray(start, end));
    }
    at.i = end;
}

function rename(pattern, old, replacement, left) {
    const before = glue;
    glue = glue.replace(new RegExp(pattern, 'gm'), replacement);
    if (glue === before) fail(`the glue never uses ${old}`);
    if (new RegExp(left).test(glue)) fail(`the glue uses ${old} other than as expected`);
}
// An import is a key of the glue's import object; an export is read as `wasm.name`.
for (const [old, now] of imports) rename(`(^\\s+)${escape(old)}:`, old, `$1${now}:`, `\\b${escape(old)}\\b`);
const moduleKey = `"${MODULE}": import0`;
if (!glue.includes(moduleKey)) fail(`the glue has no ${moduleKey}`);
glue = glue.replace(moduleKey, 'a: import0');
// (An export's name may also be the glue's own function of that name.)
for (const [old, now] of exports) {
    rename(`\\bwasm\\.${escape(old)}\\b`, old, `wasm.${now}`, `\\bwasm\\s*\\[|\\bwasm\\.${escape(old)}\\b`);
}

writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(gluePath, glue);
console.log(`short-names: ${imports.size} imports and ${exports.size} exports renamed`);
