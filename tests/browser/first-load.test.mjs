// The resident apps' first-load budget, checked on the build the other tests use:
// each resident page plus every JS, WASM and CSS file it references, brotli-compressed,
// is at most 150,000 bytes, and no resident page references the staff console's files.
// (The same count as scripts/figures.sh, which reports the figures in the README.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const BUDGET = 150_000;

function referencedAssets(page) {
  const html = fs.readFileSync(path.join(DIST, page), 'utf8');
  const refs = [...html.matchAll(/(?:href|src)="\/?([^"]+\.(?:js|wasm|css))"/g)].map((m) => m[1]);
  return [...new Set(refs)];
}

function firstLoadBytes(page) {
  return [page, ...referencedAssets(page)]
    .map((file) => fs.statSync(path.join(DIST, `${file}.br`)).size)
    .reduce((a, b) => a + b, 0);
}

for (const [app, page] of [['resident', 'index.html'], ['booking', 'booking/index.html'], ['grid', 'grid/index.html']]) {
  test(`the ${app} app's first load is within ${BUDGET} bytes brotli and carries no console code`, () => {
    const assets = referencedAssets(page);
    assert.ok(assets.some((a) => a.endsWith('.wasm')), `${page} references its wasm`);
    assert.ok(!assets.some((a) => a.startsWith('console/')), `${page} must not load the console: ${assets}`);
    const bytes = firstLoadBytes(page);
    assert.ok(bytes <= BUDGET, `${app} first load is ${bytes} bytes, over the ${BUDGET}-byte budget`);
  });
}
