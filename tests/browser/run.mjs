// Runs the browser tests: `node run.mjs [name-filter…]` from tests/browser.
// Needs the release server (target/release/onewindow) and the frontend build (dist/):
// `make test` builds both first. Each *.test.mjs starts its own server and browser.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
process.chdir(here);

if (!fs.existsSync(path.join(here, 'node_modules', 'playwright-core'))) {
  console.error("browser tests: node_modules is missing: run 'npm ci' in tests/browser (scripts/setup.sh test does)");
  process.exit(1);
}
const { missingPrerequisites, ARTIFACTS } = await import('./helpers.mjs');
const missing = missingPrerequisites();
if (missing.length) {
  console.error(`browser tests: cannot run:\n  - ${missing.join('\n  - ')}`);
  process.exit(1);
}

const filters = process.argv.slice(2);
const files = fs.readdirSync(here)
  .filter((f) => f.endsWith('.test.mjs'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`browser tests: no test file matches ${filters.join(' ')}`);
  process.exit(1);
}
fs.rmSync(ARTIFACTS, { recursive: true, force: true });

const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=tap', ...files], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (code !== 0 && fs.existsSync(ARTIFACTS)) console.error(`browser tests: screenshots and logs of failures are in ${ARTIFACTS}`);
  process.exit(code ?? (signal ? 1 : 0));
});
