// Every page passes axe-core without serious or critical violations, in each mode a
// resident may use, and fits a 320 px phone without sideways scrolling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, createCaseViaApi, fieldError, open, submitCaseViaUi, trackViaUi, useApp, withPage, forEachState, assertNoSeriousViolations, assertNoSidewaysScrollAt320 } from './helpers.mjs';

const app = useApp(import.meta.url);



/** Each page a resident sees, brought into its state: [name, async (page) => {}]. */
function pages() {
  let receipt = null;
  return [
    ['home /', (page) => open(page, '/', '#main a[href$="/submit"]')],
    ['/submit', (page) => open(page, '/submit', '#f-title')],
    ['/submit with errors after a failed submit', async (page) => {
      await open(page, '/submit', '#f-title');
      await page.click('#submit-case');
      await fieldError(page, 'title');
    }],
    ['/receipt', async (page) => { receipt = await submitCaseViaUi(page); }],
    ['/track with a result', async (page) => {
      if (!receipt) { // the /receipt step failed before submitting: make a case another way
        const r = await createCaseViaApi(app.url);
        receipt = { trackingNo: r.tracking_no, queryCode: r.query_code };
      }
      await trackViaUi(page, receipt.trackingNo, receipt.queryCode);
      await page.locator('#track-state').waitFor({ state: 'visible' });
    }],
    ['/submit in large-text mode', async (page) => {
      await open(page, '/submit', '#f-title');
      await page.click('#large-text-toggle');
      await page.waitForFunction(() => document.querySelector('#large-text-toggle')?.getAttribute('aria-pressed') === 'true');
    }],
    ['/submit in English', async (page) => {
      await open(page, '/submit', '#f-title');
      await page.click('#lang-toggle');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
    }],
  ];
}

// Each page state is a subtest with its own fresh phone context; /track looks up the
// case that the /receipt step submitted.
test('axe-core finds no serious or critical violations', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  await forEachState(t, app, pages(), assertNoSeriousViolations);
});

test('no page scrolls sideways on a 320 px phone', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  await forEachState(t, app, pages(), assertNoSidewaysScrollAt320);
});

test('the tracking number stays on one line on a 375 px phone', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    const oneLine = async (id) => {
      await page.locator(id).waitFor({ state: 'visible' });
      const lines = await page.locator(id).evaluate((el) => new Set([...el.children].map((c) => Math.round(c.getBoundingClientRect().top))).size);
      assert.equal(lines, 1, `${id} should fit on one line at 375 px, its digit groups take ${lines} lines`);
    };
    const receipt = await submitCaseViaUi(page);
    await oneLine('#receipt-tracking-no');
    await trackViaUi(page, receipt.trackingNo, receipt.queryCode);
    await oneLine('#track-tracking-no');
  }, { width: 375, height: 667 });
});
