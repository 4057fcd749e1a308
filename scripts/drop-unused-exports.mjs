// Trunk post_build step: removes from each app's wasm the exports that no app calls.
//
// leptos always links server_fn's browser client, and with it wasm-streams, whose
// `#[wasm_bindgen]` classes (IntoUnderlyingSource, …Sink, …ByteSource) are exported from
// every binary that links the crate, used or not: exports are roots, so neither rustc nor
// wasm-opt can drop them or the stream code behind them. OneWindow never streams, so
// binaryen's wasm-metadce is told every other export is a root, removes those, and
// wasm-opt then optimises again. The JS glue keeps its unused classes, which only call
// into the wasm when constructed (never).
//
// Usage: node scripts/drop-unused-exports.mjs FILE.wasm  (rewrites the file)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const UNUSED = /^(__wbg_)?intounderlying(bytesource|source|sink)_/;
// The features Rust's wasm32-unknown-unknown target enables, as wasm-opt knows them.
const FEATURES = ['--enable-reference-types', '--enable-bulk-memory', '--enable-multivalue',
  '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals'];

const file = process.argv[2];
const exports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(file))).map((e) => e.name);
if (!exports.some((name) => UNUSED.test(name))) process.exit(0);
// A node with no "root" key is not a root (binaryen refuses `"root": false`).
const graph = exports.map((name) => (UNUSED.test(name) ? { name: `export:${name}`, export: name }
  : { name: `export:${name}`, export: name, root: true }));
const dir = mkdtempSync(join(tmpdir(), 'ow-metadce-'));
const graphFile = join(dir, 'graph.json');
writeFileSync(graphFile, JSON.stringify(graph));
const pruned = join(dir, 'pruned.wasm');
execFileSync('wasm-metadce', [...FEATURES, '--graph-file', graphFile, file, '-o', pruned], { stdio: ['ignore', 'ignore', 'inherit'] });
// The same optimisation Trunk ran (index.html's data-wasm-opt and -params).
execFileSync('wasm-opt', [...FEATURES, '-Oz', '--converge', '--strip-producers', '--low-memory-unused',
  '--zero-filled-memory', pruned, '-o', file], { stdio: 'inherit' });
