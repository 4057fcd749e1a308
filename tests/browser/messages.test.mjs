// Issue 14 in the browser: the console's case page shows the texts that went out (demo
// mode's `log` gateway: shown, not sent), a clerk asks for everything missing at once
// (补正), the resident sends a photo on the small /materials page with the query code,
// and the case shows what came back. axe-core and 320 px on the new page and sections.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  TEST_TIMEOUT_MS, assertNoSeriousViolations, assertNoSidewaysScrollAt320, createCaseViaApi, open, pngFile, useApp,
  withPage,
} from './helpers.mjs';
import { DESKTOP, openCaseFromQueue, signIn } from './console-helpers.mjs';

const app = useApp(import.meta.url);

/** `YYYY-MM-DD`, `days` from now. */
const inDays = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Clicks 刷新发送状态 until the message of `template` is delivered. */
async function delivered(page, template) {
  const item = page.locator(`#c-messages .c-message[data-template="${template}"][data-state="delivered"]`);
  for (let i = 0; i < 50 && (await item.count()) === 0; i++) {
    await page.click('#c-messages-refresh');
    await page.waitForTimeout(100);
  }
  await item.waitFor({ state: 'visible' });
  return item;
}

test('texts shown on the case page; 补正 asked, sent from /materials, and shown back',
  { timeout: TEST_TIMEOUT_MS * 3 }, async (t) => {
    const receipt = await createCaseViaApi(app.url, { title: '村口路灯不亮（补正）' });
    await withPage(t, app, async (page) => {
      await signIn(page, 'clerk');
      await openCaseFromQueue(page, receipt.tracking_no);
      const text = await (await delivered(page, 'case_received')).innerText();
      assert.match(text, /【一窗通办】您的诉求已收到/);
      assert.ok(text.includes(receipt.tracking_no) && !text.includes(receipt.query_code), text);
      assert.match(text, /138\*\*\*\*5678|\*\*\*\*/);

      await page.fill('#c-materials-items', '路灯位置的照片\n村委会出具的情况说明');
      await page.fill('#c-materials-due', inDays(7));
      await page.click('#c-materials-submit');
      await page.locator('#c-status').filter({ hasText: '已一次性告知补正材料' }).waitFor();
      await page.locator('#c-materials .c-material[data-answered="false"]').waitFor();
      await delivered(page, 'case_materials_requested');
      await assertNoSeriousViolations(page, 'the case page with texts and 补正');
    }, DESKTOP);

    await withPage(t, app, async (page) => {
      await open(page, `/materials?no=${receipt.tracking_no}`, 'h1');
      assert.equal(await page.inputValue('#m-no'), receipt.tracking_no, 'the number from the text message link');
      await page.fill('#m-code', receipt.query_code);
      await page.click('#m-show');
      await page.locator('#m-items').filter({ hasText: '1. 路灯位置的照片；2. 村委会出具的情况说明' }).waitFor();
      await assertNoSeriousViolations(page, '/materials');
      await assertNoSidewaysScrollAt320(page, '/materials');
      await page.setInputFiles('#m-photos', pngFile());
      await page.fill('#m-note', '情况说明已盖章，稍后送到窗口');
      await page.click('#m-submit');
      await page.locator('#m-status').filter({ hasText: '已提交' }).waitFor();
    }, { width: 320, height: 640 });

    await withPage(t, app, async (page) => {
      await signIn(page, 'clerk');
      await openCaseFromQueue(page, receipt.tracking_no);
      const answered = page.locator('#c-materials .c-material[data-answered="true"]');
      await answered.waitFor();
      assert.match(await answered.innerText(), /群众已补正：情况说明已盖章/);
      assert.equal(await answered.locator('img').count(), 1, 'the photo sent');
    }, DESKTOP);
  });
