// What a resident on a phone stumbled on (issue 11's minor items, resident app): the
// large-text toggle says its state, 查进度 keeps the number (never the code) across a
// reload, the header reaches the other two resident apps, the photo picker is a large
// zh-CN button, the date says its format, and the privacy notice says who sees the full
// number and that each look is recorded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, createCaseViaApi, open, submitCaseViaUi, useApp, withPage } from './helpers.mjs';

const app = useApp(import.meta.url);

test('the large-text toggle says in words whether it is on', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/', '#large-text-toggle');
    const toggle = page.locator('#large-text-toggle');
    assert.doesNotMatch(await toggle.innerText(), /✓/, 'off: no check mark');
    await toggle.click();
    await page.waitForFunction(() => document.querySelector('#large-text-toggle')?.getAttribute('aria-pressed') === 'true');
    assert.match(await toggle.innerText(), /大字\s*✓/, 'on: the label carries a check mark, not only a colour');
  });
});

test('查进度 keeps the tracking number for the tab after a reload, never the query code', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const receipt = await createCaseViaApi(app.url);
  await withPage(t, app, async (page) => {
    await open(page, '/track', '#f-tracking_no');
    await page.fill('#f-tracking_no', receipt.tracking_no);
    await page.fill('#f-query_code', receipt.query_code);
    await page.click('#track-submit');
    await page.locator('#track-state').waitFor({ state: 'visible' });
    await page.reload();
    await page.locator('#f-tracking_no').waitFor({ state: 'visible' });
    assert.equal(await page.inputValue('#f-tracking_no'), receipt.tracking_no, 'the number is still there');
    assert.equal(await page.inputValue('#f-query_code'), '', 'the query code is not kept');
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
    assert.ok(!stored.includes(receipt.query_code), 'the query code is stored nowhere');
  });
});

test('the header reaches 找网格 and 法律援助预约', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/track', '#f-tracking_no');
    await page.click('.site-header a[href="/grid"]');
    await page.waitForURL(/\/grid$/);
    await page.locator('#main h1').waitFor({ state: 'visible' });
    await open(page, '/', '#main');
    await page.click('.site-header a[href="/booking"]');
    await page.waitForURL(/\/booking$/);
    await page.locator('#main h1').waitFor({ state: 'visible' });
  });
});

test('the form: a large zh-CN photo button, a date format hint, and a true privacy notice', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/submit', '#f-title');
    const pick = page.locator('label.pick-photos');
    assert.match(await pick.innerText(), /选择照片/);
    const box = await pick.boundingBox();
    assert.ok(box && box.height >= 44 && box.width >= 200, `the photo button is large enough to tap: ${JSON.stringify(box)}`);
    assert.match(await page.locator('#hint-occurred_on').innerText(), /年-月-日/);
    assert.match(await page.locator('#f-occurred_on').getAttribute('aria-describedby'), /hint-occurred_on/);
    await page.click('details.privacy summary');
    const notice = await page.locator('details.privacy').innerText();
    assert.match(notice, /默认脱敏显示/);
    assert.match(notice, /查看完整号码/);
    assert.match(notice, /记录查看人和查看时间/);
    assert.doesNotMatch(notice, /均脱敏显示/, 'the old, untrue wording is gone');
  });
});

test('the printed receipt is headed by the centre and leaves room for its seal', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await submitCaseViaUi(page);
    const issuer = page.locator('#receipt-issuer');
    assert.equal(await issuer.isVisible(), false, 'on screen the header is not repeated');
    await page.emulateMedia({ media: 'print' });
    assert.match(await issuer.innerText(), /县综治中心（一窗通办服务大厅）/);
    const seal = page.locator('.receipt .seal');
    assert.match(await seal.innerText(), /盖章/);
    const box = await seal.boundingBox();
    assert.ok(box && box.height >= 100, `room for a seal: ${JSON.stringify(box)}`);
  });
});
