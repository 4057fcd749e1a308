// The Content-Security-Policy the server sends (issue 10) is one the four apps live with:
// every page loads and starts (its inline fallback script allowed by hash, the wasm by
// 'wasm-unsafe-eval') with no violation reported by the browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, open, useApp, withPage } from './helpers.mjs';
import { DESKTOP, signIn } from './console-helpers.mjs';

const app = useApp(import.meta.url);

const PAGES = [
  ['home', '/', '#main h1'],
  ['我要反映', '/submit', '#f-title'],
  ['查进度', '/track', '#f-tracking_no'],
  ['法律援助预约', '/booking', '#main h1'],
  ['找网格', '/grid', '#main h1'],
  ['工作台 sign-in', '/console', '#main'],
];

/** Records every CSP violation of the page, from its first script on. */
async function watchViolations(page) {
  const seen = [];
  page.on('console', (msg) => { if (/Content Security Policy/i.test(msg.text())) seen.push(msg.text()); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return seen;
}

test('every app starts under the CSP with no violation', { timeout: TEST_TIMEOUT_MS * 3 }, async (t) => {
  for (const [name, path, ready] of PAGES) {
    await t.test(name, async (st) => {
      await withPage(st, app, async (page) => {
        const seen = await watchViolations(page);
        const answer = await page.goto(new URL(path, app.url).href);
        assert.match(answer.headers()['content-security-policy'] ?? '', /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
        await page.locator(ready).first().waitFor({ state: 'visible' });
        await page.waitForFunction(() => !document.getElementById('ow-boot'));
        assert.deepEqual(seen, [], `${name}: CSP violations`);
      });
    });
  }
});

test('the console works under the CSP once signed in', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    const seen = await watchViolations(page);
    await signIn(page, 'clerk');
    await page.locator('#main h1').first().waitFor({ state: 'visible' });
    assert.deepEqual(seen, [], 'CSP violations in the console');
  }, DESKTOP);
});
