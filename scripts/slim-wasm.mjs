// Trunk post_build step: makes an app's wasm and its JS glue smaller, before the glue is
// minified. Every resident app's first load is held to 150,000 bytes.
//
// 1. Exports no app calls. leptos always links server_fn's browser client, and with it
//    wasm-streams, whose `#[wasm_bindgen]` classes (IntoUnderlyingSource, …Sink,
//    …ByteSource) are exported from every binary that links the crate, used or not:
//    exports are roots, so neither rustc nor wasm-opt can drop them or the code behind
//    them. OneWindow never streams: binaryen's wasm-metadce is told every other export is
//    a root and removes those, wasm-opt optimises again, and the classes leave the glue.
// 2. Import names. wasm-bindgen names each import after its JS function plus a 16-digit
//    hash (`__wbg_setAttribute_6a3ee9b5deb88ed3`), written once in the wasm and once in
//    the glue: ~150 imports, ~2 KB of incompressible hex per app. They are renamed to
//    short names in both files (binaryen's own minify-imports pass only renames "env").
//
// Each step changes both files or neither: a glue whose text does not have the expected
// shape (another wasm-bindgen version) is left as it is, and so is its wasm.
//
// Usage: node scripts/slim-wasm.mjs FILE_bg.wasm  (rewrites it and FILE.js)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const UNUSED = /^(__wbg_)?intounderlying(bytesource|source|sink)_/;
// The features Rust's wasm32-unknown-unknown target enables, as wasm-opt knows them.
const FEATURES = ['--enable-reference-types', '--enable-bulk-memory', '--enable-multivalue',
  '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals'];

const wasmFile = process.argv[2];
const glueFile = wasmFile.replace(/_bg\.wasm$/, '.js');
if (!existsSync(glueFile)) process.exit(0);
dropUnusedExports(wasmFile, glueFile);
shortenImportNames(wasmFile, glueFile);

function dropUnusedExports(wasmFile, glueFile) {
  const glue = readFileSync(glueFile, 'utf8');
  let slim = glue
    .replace(/^export class (IntoUnderlying\w+) \{[\s\S]*?^if \(Symbol\.dispose\) \1\.prototype\[Symbol\.dispose\] = \1\.prototype\.free;\n/gm, '')
    .replace(/^const IntoUnderlying\w+Finalization = [\s\S]*?;\n/gm, '');
  if (!/\b__wbindgen_enum_ReadableStreamType\b[\s\S]*\b__wbindgen_enum_ReadableStreamType\b/.test(slim)) {
    slim = slim.replace(/^const __wbindgen_enum_ReadableStreamType = .*;\n/m, '');
  }
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasmFile))).map((e) => e.name);
  if (/IntoUnderlying|intounderlying/.test(slim) || !exports.some((name) => UNUSED.test(name))) return;
  // A node with no "root" key is not a root (binaryen refuses `"root": false`).
  const graph = exports.map((name) => (UNUSED.test(name) ? { name: `export:${name}`, export: name }
    : { name: `export:${name}`, export: name, root: true }));
  const dir = mkdtempSync(join(tmpdir(), 'ow-slim-'));
  const graphFile = join(dir, 'graph.json');
  writeFileSync(graphFile, JSON.stringify(graph));
  const pruned = join(dir, 'pruned.wasm');
  execFileSync('wasm-metadce', [...FEATURES, '--graph-file', graphFile, wasmFile, '-o', pruned], { stdio: ['ignore', 'ignore', 'inherit'] });
  // The same optimisation Trunk ran (the page's data-wasm-opt and -params), and the
  // target-features section, which nothing reads at run time.
  execFileSync('wasm-opt', [...FEATURES, '-Oz', '--converge', '--strip-producers', '--strip-target-features',
    '--low-memory-unused', '--zero-filled-memory', pruned, '-o', wasmFile], { stdio: 'inherit' });
  writeFileSync(glueFile, slim);
}

function shortenImportNames(wasmFile, glueFile) {
  const wasm = readFileSync(wasmFile);
  const section = importSection(wasm);
  if (!section) return;
  const renamed = new Map();
  const entries = section.entries.map((entry) => {
    const short = `_${renamed.size.toString(36)}`;
    if (!renamed.has(entry.name)) renamed.set(entry.name, short);
    return { ...entry, name: renamed.get(entry.name) };
  });
  let glue = readFileSync(glueFile, 'utf8');
  for (const [long, short] of renamed) {
    const pattern = new RegExp(`\\b${long}\\b`, 'g');
    if (!/^__wbg|^__wbindgen/.test(long) || !pattern.test(glue)) return; // not the expected glue
    glue = glue.replace(pattern, short);
  }
  const body = [uleb(entries.length)];
  for (const e of entries) body.push(name(e.module), name(e.name), e.descriptor);
  const payload = Buffer.concat(body);
  const rebuilt = Buffer.concat([wasm.subarray(0, section.start), Buffer.from([2]), uleb(payload.length), payload,
    wasm.subarray(section.end)]);
  new WebAssembly.Module(rebuilt); // throws (and changes nothing) if the rewrite is not valid
  writeFileSync(wasmFile, rebuilt);
  writeFileSync(glueFile, glue);
}

/** The import section: where it starts and ends (with its header) and its entries. */
function importSection(wasm) {
  let at = 8; // magic and version
  while (at < wasm.length) {
    const start = at;
    const id = wasm[at++];
    const [size, sizeEnd] = readUleb(wasm, at);
    at = sizeEnd;
    if (id === 2) return { start, end: at + size, entries: importEntries(wasm, at) };
    at += size;
  }
  return null;
}

function importEntries(wasm, at) {
  const [count, next] = readUleb(wasm, at);
  at = next;
  const entries = [];
  for (let i = 0; i < count; i++) {
    let module, field;
    [module, at] = readName(wasm, at);
    [field, at] = readName(wasm, at);
    const from = at;
    const kind = wasm[at++];
    if (kind === 0) at = readUleb(wasm, at)[1]; // function: type index
    else if (kind === 1) at = readLimits(wasm, at + 1); // table: reference type, limits
    else if (kind === 2) at = readLimits(wasm, at); // memory: limits
    else if (kind === 3) at += 2; // global: value type, mutability
    else throw new Error(`import kind ${kind} not understood`);
    entries.push({ module, name: field, descriptor: wasm.subarray(from, at) });
  }
  return entries;
}

function readLimits(wasm, at) {
  const flags = wasm[at++];
  at = readUleb(wasm, at)[1];
  return flags & 1 ? readUleb(wasm, at)[1] : at;
}

function readName(wasm, at) {
  const [length, start] = readUleb(wasm, at);
  return [wasm.subarray(start, start + length).toString('utf8'), start + length];
}

function readUleb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function uleb(value) {
  const bytes = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    bytes.push(byte);
  } while (value > 0);
  return Buffer.from(bytes);
}

function name(text) {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([uleb(bytes.length), bytes]);
}
