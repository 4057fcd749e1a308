// Issue 13's outputs in the console: a leader downloads the figures and the queue as
// .xlsx (导出 Excel: zh-CN file names, real zip files — the numbers inside are checked by
// tests/api/exports.rs with calamine), and opens 工作月报, the A4 monthly report, which
// passes axe-core, hides its controls in print and prints to a few A4 pages as Chromium's
// own PDF printer lays it out.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, useApp, withPage, createCaseViaApi, assertNoSeriousViolations, assertNoSidewaysScrollAt320 } from './helpers.mjs';
import { DESKTOP, signIn } from './console-helpers.mjs';

const app = useApp(import.meta.url);

/** Clicks `selector`, saves the download it starts; its suggested name and bytes. */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ow-xlsx-'));
  const saved = path.join(dir, file.suggestedFilename());
  await file.saveAs(saved);
  const bytes = fs.readFileSync(saved);
  fs.rmSync(dir, { recursive: true, force: true });
  return { name: file.suggestedFilename(), bytes };
}

/** An .xlsx is a zip holding the workbook part. */
function assertXlsx({ name, bytes }) {
  assert.ok(bytes.length > 1000, `${name}: ${bytes.length} bytes`);
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', `${name} is a zip`);
  assert.ok(bytes.includes(Buffer.from('xl/workbook.xml')), `${name} holds a workbook`);
}

/** Pages of a PDF: its `/Type /Page` objects (not the `/Pages` tree nodes). */
const pdfPages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;

test('a leader exports the figures and the queue as .xlsx', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await createCaseViaApi(app.url);
  await withPage(t, app, async (page) => {
    await signIn(page, 'leader');
    await page.click('#c-nav-figures');
    await page.locator('#c-fig-table').waitFor({ state: 'visible' });
    const figures = await download(page, '#c-fig-export');
    assert.match(figures.name, /^统计_县综治中心_\d{4}-\d\d-01至\d{4}-\d\d-\d\d\.xlsx$/);
    assertXlsx(figures);

    // The cases behind a number, from the queue it opens.
    await page.locator('.c-fig-row[data-figure="intake_online"] td').first().locator('.c-fig-value').click();
    await page.waitForURL((u) => u.searchParams.get('figure') === 'intake_online');
    await page.waitForFunction(() => document.querySelectorAll('.c-queue-row').length === 1);
    const behind = await download(page, '#c-queue-export');
    assert.match(behind.name, /^案件清单_受理量·网上_\d{4}-\d\d-01至.*\.xlsx$/);
    assertXlsx(behind);

    // The whole queue with a filter.
    await page.click('#c-queue-figure a');
    await page.locator('#c-queue-figure').waitFor({ state: 'detached' });
    await page.click('#c-count-overdue');
    const overdue = await download(page, '#c-queue-export');
    assert.match(overdue.name, /^案件清单_超期_\d{4}-\d\d-\d\d\.xlsx$/);
    assertXlsx(overdue);
    await assertNoSeriousViolations(page, 'the queue with its export button');
  }, DESKTOP);
});

test('工作月报 prints on a few A4 pages with its figures, charts and overdue list', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, 'leader');
    await page.click('#c-nav-figures');
    await page.locator('#c-fig-table').waitFor({ state: 'visible' });
    await page.click('#c-fig-report');
    await page.waitForURL((u) => u.pathname === '/console/report' && /^\d{4}-\d\d$/.test(u.searchParams.get('month') ?? ''));
    await page.locator('#report').waitFor({ state: 'visible' });
    assert.match(await page.locator('h1').textContent(), /^县综治中心工作月报（\d{4}年\d{1,2}月）$/);
    assert.ok(await page.locator('#r-figures tbody tr').count() >= 10, 'the headline figures');
    await page.locator('#r-intake-chart rect').first().waitFor({ state: 'attached' });
    assert.equal(await page.locator('#r-intake-table tbody tr').count(), 12, 'twelve months, as a table too');
    await assertNoSeriousViolations(page, 'the monthly report');

    // Another unit from the form: a township's report.
    await page.selectOption('#r-unit', { label: '城关街道综治中心' });
    await page.click('#r-go');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent.startsWith('城关街道综治中心工作月报'));

    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.noprint').first().isVisible(), false, 'the controls are not printed');
    const printed = await page.locator('#report').innerText();
    for (const text of ['主要指标', '按期办结率', '满意率', '环比', '同比', '近十二个月各渠道受理量', '超期未办结案件']) {
      assert.ok(printed.includes(text), `printed: ${text}`);
    }
    const pages = pdfPages(await page.pdf({ format: 'A4', printBackground: true }));
    assert.ok(pages >= 1 && pages <= 4, `the report prints on ${pages} A4 pages`);
  }, DESKTOP);
});

test('工作月报 on a 320 px screen', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, 'leader');
    await page.goto('/console/report');
    await page.locator('#report').waitFor({ state: 'visible' });
    await assertNoSidewaysScrollAt320(page, 'the monthly report');
  }, { width: 320, height: 640 });
});
