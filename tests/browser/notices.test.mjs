// Issue 14's journey end to end: a resident submits on a phone → the clerk accepts (the
// demo console shows the text that went out) → asks for everything missing at once (补正)
// → the resident follows the text's link and uploads → the clerk replies (处理意见书) and
// records its delivery (送达) on the case page → the resident opens the notice from
// 查进度 with the query code and rates the reply. axe-core and 320 px on the notice page,
// as residents and as staff see it. And a walk-in who wants no texts gets none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  TEST_TIMEOUT_MS, assertNoSeriousViolations, assertNoSidewaysScrollAt320, checkInput, pngFile,
  submitCaseViaUi, trackViaUi, useApp, withPage,
} from './helpers.mjs';
import {
  DESKTOP, act, caseState, fillWalkIn, openCaseFromQueue, signIn, submitWalkIn,
} from './console-helpers.mjs';

const app = useApp(import.meta.url);

const REPLY = '经核实，村口路灯线路老化，已于本周更换，恢复照明。';

/** `YYYY-MM-DD` in Asia/Shanghai, `days` from now. */
const inDays = (days) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

/** Clicks 刷新发送状态 until the text of `template` is delivered; returns its item. */
async function delivered(page, template) {
  const item = page.locator(`#c-messages .c-message[data-template="${template}"][data-state="delivered"]`);
  for (let i = 0; i < 50 && (await item.count()) === 0; i++) {
    await page.click('#c-messages-refresh');
    await page.waitForTimeout(100);
  }
  await item.first().waitFor({ state: 'visible' });
  return item.first();
}

test('submitted → accepted (texted) → 补正 → reply delivered → notice opened from 查进度 → rated',
  { timeout: TEST_TIMEOUT_MS * 4 }, async (t) => {
    let receipt;
    await withPage(t, app, async (page) => { receipt = await submitCaseViaUi(page, { title: '村口路灯不亮（告知书）' }); });

    await withPage(t, app, async (page) => {
      await signIn(page, 'clerk');
      await openCaseFromQueue(page, receipt.trackingNo);
      await act(page, 'accept');
      assert.equal(await caseState(page), 'accepted');
      // Demo mode: the text is shown on the case page instead of being sent.
      const accepted = await (await delivered(page, 'case_accepted')).innerText();
      assert.match(accepted, /【一窗通办】/);
      assert.ok(accepted.includes(receipt.trackingNo) && !accepted.includes(receipt.queryCode), accepted);
      // The 受理告知书 is listed with its number, not yet delivered.
      const acceptance = page.locator('#c-notices .c-notice[data-kind="acceptance"]');
      assert.match(await acceptance.innerText(), /受理告知书.*〔\d{4}〕\d+号[\s\S]*尚未记录送达/);

      await page.fill('#c-materials-items', '路灯位置的照片\n村委会出具的情况说明');
      await page.fill('#c-materials-due', inDays(7));
      await page.click('#c-materials-submit');
      await page.locator('#c-status').filter({ hasText: '已一次性告知补正材料' }).waitFor();
    }, DESKTOP);

    // The resident follows the text's link (the console shows what the phone got).
    let link;
    await withPage(t, app, async (page) => {
      await signIn(page, 'clerk');
      await openCaseFromQueue(page, receipt.trackingNo);
      const text = await (await delivered(page, 'case_materials_requested')).innerText();
      const match = text.match(/\/materials\?no=\d+/);
      assert.ok(match, `the text carries the upload link: ${text}`);
      link = match[0];
    }, DESKTOP);
    await withPage(t, app, async (page) => {
      await page.goto(link);
      await page.locator('#m-code').waitFor({ state: 'visible' });
      await page.fill('#m-code', receipt.queryCode);
      await page.click('#m-show');
      await page.locator('#m-items').filter({ hasText: '路灯位置的照片' }).waitFor();
      await page.setInputFiles('#m-photos', pngFile());
      await page.fill('#m-note', '情况说明已盖章');
      await page.click('#m-submit');
      await page.locator('#m-status').filter({ hasText: '已提交' }).waitFor();
    });

    // The clerk sees what came back, replies, and records how the 处理意见书 reached the resident.
    await withPage(t, app, async (page) => {
      await signIn(page, 'clerk');
      await openCaseFromQueue(page, receipt.trackingNo);
      await page.locator('#c-materials .c-material[data-answered="true"]').waitFor();
      await act(page, 'reply', async () => { await page.fill('#c-f-reply', REPLY); });
      assert.equal(await caseState(page), 'replied');
      const reply = page.locator('#c-notices .c-notice[data-kind="reply"]');
      await reply.waitFor();
      assert.equal(await reply.getAttribute('data-delivered'), 'false');

      assert.equal(await page.inputValue('#c-delivery-kind'), 'reply', 'the latest notice is chosen');
      await page.click('#c-delivery-submit');
      await page.locator('#c-delivery-error').filter({ hasText: /\S/ }).waitFor();
      await page.selectOption('#c-delivery-via', 'sms_link');
      await page.fill('#c-delivery-on', inDays(0));
      await page.click('#c-delivery-submit');
      await page.locator('#c-status').filter({ hasText: '已记录送达' }).waitFor();
      const shown = page.locator('#c-notices .c-notice[data-kind="reply"][data-delivered="true"]');
      await shown.waitFor();
      assert.match(await shown.innerText(), new RegExp(`送达：${inDays(0)} 短信链接送达`));
      await page.locator('#c-timeline li.c-event[data-kind="notice_delivered"]').waitFor();
      // The review window runs from the delivery: 30 days from today.
      assert.match(await page.locator('#c-deadlines').innerText(), new RegExp(inDays(30)));
      await assertNoSeriousViolations(page, 'the case page with its notices');

      // The staff's printable notice.
      const href = await reply.locator('a.c-notice-print').getAttribute('href');
      assert.match(href, /^\/console\/notice\?case=\d+&kind=reply$/);
      await page.goto(href);
      await page.locator('#notice-number').waitFor();
      assert.match(await page.locator('#notice').innerText(), /处理意见书[\s\S]*线路老化[\s\S]*30 日内请求复查/);
      await assertNoSeriousViolations(page, '/console/notice');
      await page.setViewportSize({ width: 320, height: 640 });
      await assertNoSidewaysScrollAt320(page, '/console/notice');
    }, DESKTOP);

    // The resident opens the 处理意见书 from 查进度 and rates the reply.
    await withPage(t, app, async (page) => {
      await trackViaUi(page, receipt.trackingNo, receipt.queryCode);
      await page.locator('#track-timeline a.notice-link[href*="kind=reply"]').click();
      await page.locator('#n-code').waitFor();
      assert.equal(await page.inputValue('#n-no'), receipt.trackingNo);
      await assertNoSeriousViolations(page, "/notice's form");
      await assertNoSidewaysScrollAt320(page, "/notice's form");
      await page.fill('#n-code', receipt.queryCode);
      await page.click('button[type="submit"]');
      await page.locator('#notice-number').waitFor();
      assert.match(await page.locator('#notice').innerText(), /处理意见书[\s\S]*线路老化/);
      assert.ok(!page.url().includes(receipt.queryCode), 'the query code stays out of the address');
      await assertNoSeriousViolations(page, '/notice');
      await assertNoSidewaysScrollAt320(page, '/notice');

      await trackViaUi(page, receipt.trackingNo, receipt.queryCode);
      await page.click('#rate-satisfied');
      await page.locator('#track-rating').filter({ hasText: '满意' }).waitFor();
    }, { width: 320, height: 640 });
  });

test('a walk-in who wants no texts gets none', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, 'clerk');
    await page.click('#c-nav-walkin');
    await fillWalkIn(page, { title: '窗口登记不收短信' });
    await checkInput(page, '#f-sms_opt_out');
    const receipt = await submitWalkIn(page);
    await openCaseFromQueue(page, receipt.trackingNo);
    await act(page, 'accept');
    await page.locator('#c-messages-none').waitFor();
  }, DESKTOP);
});
