// 统计 (issue 13): a leader opens the figures, changes the period, clicks a rate and lands
// on the queue listing exactly the cases it counted; the page passes axe-core (also in
// large text) and fits a 320 px screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  TEST_TIMEOUT_MS, useApp, withPage, createCaseViaApi, assertNoSeriousViolations, assertNoSidewaysScrollAt320,
} from './helpers.mjs';
import { DESKTOP, signIn } from './console-helpers.mjs';

const app = useApp(import.meta.url);

/** The 本期 value text of a figure's row. */
const current = (page, figure) =>
  page.locator(`.c-fig-row[data-figure="${figure}"] td`).first().locator('.c-fig-value').textContent();

async function openFigures(page) {
  await signIn(page, 'leader');
  await page.click('#c-nav-figures');
  await page.locator('#c-fig-table').waitFor({ state: 'visible' });
}

/** Waits until the scope line names this period. */
async function waitForPeriod(page, from, to) {
  await page.waitForFunction(([f, t]) => (document.querySelector('#c-fig-scope')?.textContent ?? '').includes(`本期 ${f} 至 ${t}`), [from, to]);
}

test('a leader reads the figures, changes the period and opens the cases behind a rate', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await createCaseViaApi(app.url);
  await createCaseViaApi(app.url);
  await withPage(t, app, async (page) => {
    await openFigures(page);
    assert.equal((await current(page, 'intake_online')).trim(), '2');
    // The definition is the tooltip of the figure's name.
    const tip = await page.locator('.c-fig-row[data-figure="on_time_completion"] .c-fig-name').getAttribute('title');
    assert.match(tip, /延期/);
    // Grouped in sections; days read as days; legal-aid figures have no case list.
    assert.ok((await page.locator('.c-fig-section').count()) >= 6);
    assert.match(await current(page, 'handling_days_average'), /^0$|天/);
    assert.equal(await page.locator('.c-fig-row[data-figure="booking_no_shows"] a').count(), 0);
    // The unit picker: a township's figures, then the county's again.
    const options = await page.locator('#c-fig-unit option').allTextContents();
    assert.ok(options.length > 3 && options[0].trim() === '县综治中心', options.join('|'));
    const township = options.find((o) => o.trim().endsWith('综治中心') && o.trim() !== '县综治中心').trim();
    await page.selectOption('#c-fig-unit', { label: options.find((o) => o.trim() === township) });
    await page.waitForFunction((t) => (document.querySelector('#c-fig-scope')?.textContent ?? '').startsWith(t), township);
    await page.selectOption('#c-fig-unit', { index: 0 });
    await page.waitForFunction(() => (document.querySelector('#c-fig-scope')?.textContent ?? '').startsWith('县综治中心'));
    // The chart's numbers as a table too.
    await page.locator('#c-fig-chart rect').first().waitFor({ state: 'attached' });
    assert.ok((await page.locator('#c-fig-monthly tbody tr').count()) >= 1);

    // A custom range a year back: nothing then.
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    await page.fill('#c-fig-from', `${year - 1}-01-01`);
    await page.fill('#c-fig-to', `${year - 1}-12-31`);
    await page.click('#c-fig-go');
    await waitForPeriod(page, `${year - 1}-01-01`, `${year - 1}-12-31`);
    assert.equal((await current(page, 'intake_online')).trim(), '0');
    assert.equal(await page.locator('#c-fig-range').getAttribute('aria-pressed'), 'true');

    // This year.
    await page.click('#c-fig-year');
    await waitForPeriod(page, `${year}-01-01`, `${year}-12-31`);
    assert.equal((await current(page, 'intake_online')).trim(), '2');
    assert.equal((await current(page, 'acceptance_on_time')).trim(), '0.0%');
    await assertNoSeriousViolations(page, 'the figures page');

    // The rate opens its numerator's cases (none accepted yet) …
    await page.locator('.c-fig-row[data-figure="acceptance_on_time"] td').first().locator('.c-fig-value').click();
    await page.waitForURL((u) => u.pathname === '/console' && u.searchParams.get('figure') === 'acceptance_on_time');
    await page.locator('#c-queue-figure').waitFor({ state: 'visible' });
    assert.match(await page.locator('#c-queue-figure').textContent(), new RegExp(`按期受理率：${year}-01-01 至 ${year}-12-31`));
    await page.locator('.c-empty').waitFor({ state: 'visible' });
    // … and its denominator the two received.
    await page.goBack();
    await page.locator('#c-fig-table').waitFor({ state: 'visible' });
    await page.locator('.c-fig-row[data-figure="acceptance_on_time"] td').first().locator('.c-fig-den').click();
    await page.waitForURL((u) => u.searchParams.get('part') === 'denominator');
    await page.waitForFunction(() => document.querySelectorAll('.c-queue-row').length === 2);
    assert.match(await page.locator('#c-page-info').textContent(), /共 2 条/);
    // 显示全部 leaves the figure's filter.
    await page.click('#c-queue-figure a');
    await page.locator('#c-queue-figure').waitFor({ state: 'detached' });
  }, DESKTOP);
});

test('the figures page in large text and at 320 px', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await openFigures(page);
    await assertNoSidewaysScrollAt320(page, 'the figures page');
    await page.click('#c-large-text');
    await page.waitForFunction(() => document.documentElement.classList.contains('large-text'));
    await assertNoSeriousViolations(page, 'the figures page in large text');
    await assertNoSidewaysScrollAt320(page, 'the figures page in large text');
  }, { width: 320, height: 640 });
});
