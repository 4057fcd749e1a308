// The county on three levels (issue 12), on the real server and build. A grid worker on
// a phone (375×667, position emulated) reports a dispute with a photo and GPS; the
// township clerk finds it in the queue and hands it to the village station (交办), which
// settles it on the spot (就地化解). Another report goes up (上报) to the county, which
// dispatches it to a county bureau and replies. A resident tracks a case submitted
// online and sees which unit replied — never a person's name. axe on the new pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  TEST_TIMEOUT_MS, assertNoSeriousViolations, assertNoSidewaysScroll, createCaseViaApi, digits, pngFile,
  trackViaUi, useApp, withPage,
} from './helpers.mjs';
import {
  DESKTOP, act, caseState, chooseDepartment, fillWalkIn, openCaseFromQueue, openConsole, signIn, signOut, submitWalkIn,
} from './console-helpers.mjs';

const app = useApp(import.meta.url);

// Inside 幸福社区第1网格 (AL010101) of the demo county.
const IN_XINGFU_GRID = { longitude: 107.41234, latitude: 27.87554, accuracy: 10 };
const PHONE = { permissions: ['geolocation'], geolocation: IN_XINGFU_GRID };

/** Fills and sends the grid worker's report form; returns the tracking number. */
async function report(page, { title, locate = true, photo = false }) {
  await openConsole(page, '/console/field/report', '#f-title');
  await page.check('#f-type-dispute');
  await page.fill('#f-title', title);
  await page.fill('#f-description', '三楼住户卫生间漏水到二楼，两家争执不下。');
  await page.fill('#f-people', '二楼王某、三楼李某');
  if (locate) {
    await page.click('#f-locate');
    await page.locator('#f-located', { hasText: '幸福社区第1网格' }).waitFor();
  }
  if (photo) {
    const uploaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/uploads');
    await page.setInputFiles('#f-photo', pngFile());
    assert.ok((await uploaded).ok(), 'the photo is uploaded');
    await page.locator('#f-photo-count', { hasText: '已添加 1 张' }).waitFor();
  }
  await page.click('#f-submit');
  const done = page.locator('#f-done');
  await done.waitFor({ state: 'visible' });
  return (await done.innerText()).match(/受理编号\s*(\d{13})/)[1];
}

test('a grid worker reports from the field, the township hands it down, the village settles it; another goes up to the county',
  { timeout: TEST_TIMEOUT_MS * 6 }, async (t) => {
    let first;
    let second;
    // The grid worker, on a phone with one hand.
    await withPage(t, app, async (page) => {
      await signIn(page, 'grid_xingfu');
      await page.locator('#f-go-report').waitFor({ state: 'visible' });
      const box = await page.locator('#f-go-report').boundingBox();
      assert.ok(box.height >= 48 && box.width >= 300, `a large target: ${JSON.stringify(box)}`);
      await assertNoSeriousViolations(page, 'the grid worker\'s page');
      await assertNoSidewaysScroll(page, 'the grid worker\'s page', 375);

      await openConsole(page, '/console/field/report', '#f-title');
      await assertNoSeriousViolations(page, 'the report form');
      await assertNoSidewaysScroll(page, 'the report form', 375);
      // A draft survives a reload (a weak signal, a closed tab).
      await page.fill('#f-title', '草稿测试');
      await page.reload();
      await page.locator('#f-title').waitFor({ state: 'visible' });
      assert.equal(await page.inputValue('#f-title'), '草稿测试', 'the draft is kept on the phone');

      first = await report(page, { title: '3栋漏水邻里纠纷', photo: true });
      await page.click('#f-done a');
      await page.locator('#f-tasks').waitFor({ state: 'visible' });
      assert.match(await page.locator('#f-tasks').innerText(), /3栋漏水邻里纠纷/, 'in the grid\'s open cases');
      second = await report(page, { title: '两镇交界山林权属纠纷', locate: false });
    }, PHONE);

    await withPage(t, app, async (page) => {
      // The township clerk hands the first down to the village station.
      await signIn(page, 'clerk_chengguan');
      await openCaseFromQueue(page, first);
      assert.match(await page.locator('#c-case-unit').innerText(), /城关街道综治中心/);
      assert.match(await page.locator('.c-facts').innerText(), /网格上报[\s\S]*幸福社区第1网格/);
      await act(page, 'assign_down', async () => {
        await page.selectOption('#c-f-target', { label: '幸福社区服务站' });
        await page.fill('#c-f-reason', '邻里小事，由社区就地调解');
      });
      assert.match(await page.locator('#c-case-unit').innerText(), /幸福社区服务站/);
      assert.match(await page.locator('#c-handovers').innerText(), /交办[\s\S]*幸福社区服务站/);
      // The second goes up to the county: across two townships.
      await openCaseFromQueue(page, second);
      await act(page, 'report_up', async () => {
        await page.selectOption('#c-f-target', { label: '县综治中心' });
        await page.fill('#c-f-reason', '涉及两个乡镇，需县级协调');
      });
      assert.match(await page.locator('#c-case-unit').innerText(), /县综治中心/);
      await assertNoSeriousViolations(page, 'the case page after a hand-over');
      await signOut(page);

      // The village station settles the first on the spot.
      await signIn(page, 'station_xingfu');
      await openCaseFromQueue(page, first);
      await act(page, 'resolve_on_spot', async () => {
        await page.fill('#c-f-parties', '二楼王某、三楼李某');
        await page.fill('#c-f-agreement', '李某三日内修复防水层，赔偿王某500元');
      });
      assert.equal(await caseState(page), 'closed', 'a grid report settled on the spot is closed at grid level');
      assert.match(await page.locator('.c-facts').innerText(), /就地化解/);
      await signOut(page);

      // The county dispatches the second to a county bureau, which answers; the county replies.
      await signIn(page, 'clerk');
      await openCaseFromQueue(page, second);
      await act(page, 'accept');
      await act(page, 'dispatch', async () => {
        const offered = await page.locator('#c-action-form label').allInnerTexts();
        assert.ok(!offered.some((l) => l.includes('派出所')), `only county bureaus for a county case: ${offered}`);
        await chooseDepartment(page, '县司法局');
      });
      await signOut(page);
      await signIn(page, 'officer_county_sifa');
      await openCaseFromQueue(page, second);
      await act(page, 'take');
      await act(page, 'respond', async () => { await page.fill('#c-f-response', '已会同两镇核实山林权属，依法调处。'); });
      await signOut(page);
      await signIn(page, 'clerk');
      await openCaseFromQueue(page, second);
      await act(page, 'record_mediation', async () => {
        await page.fill('#c-f-agreement', '双方同意按林权证界线确权');
      });
      await act(page, 'reply', async () => { await page.fill('#c-f-reply', '经县级协调，山林权属已依法确认，请双方遵照执行。'); });
      assert.equal(await caseState(page), 'replied');
    }, DESKTOP);
  });

test('a resident sees which unit replied, never a person', { timeout: TEST_TIMEOUT_MS * 3 }, async (t) => {
  const receipt = await createCaseViaApi(app.url, { title: '社区路灯不亮' });
  await withPage(t, app, async (page) => {
    await signIn(page, 'clerk_chengguan');
    await openCaseFromQueue(page, digits(receipt.tracking_no));
    await act(page, 'accept');
    await act(page, 'reply', async () => { await page.fill('#c-f-reply', '经核实，社区路灯已于今日修复，感谢您的反映。'); });
  }, DESKTOP);
  await withPage(t, app, async (page) => {
    await trackViaUi(page, receipt.tracking_no, receipt.query_code);
    const timeline = await page.locator('#main').innerText();
    assert.match(timeline, /城关街道综治中心/, 'the unit that replied');
    for (const person of ['何芳', '李敏']) assert.ok(!timeline.includes(person), `no staff name: ${person}`);
  });
});

test('an administrator creates a grid worker in a village station, who signs in to the field pages', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, 'admin');
    await page.click('#c-nav-staff');
    await page.locator('#c-s-username').waitFor({ state: 'visible' });
    await page.locator('.c-staff[data-username="grid_xingfu"]').waitFor({ state: 'visible' });
    assert.match(await page.locator('.c-staff[data-username="station_xingfu"]').innerText(), /幸福社区服务站/);
    await page.fill('#c-s-username', 'grid_new');
    await page.fill('#c-s-display-name', '网格员-新人');
    await page.selectOption('#c-s-role', 'grid_worker');
    await page.locator('#c-s-unit option', { hasText: '幸福社区服务站' }).waitFor({ state: 'attached' });
    await page.selectOption('#c-s-unit', { label: '幸福社区服务站（村（社区））' });
    await page.locator('#c-s-grid option', { hasText: '幸福社区第2网格' }).waitFor({ state: 'attached' });
    await page.selectOption('#c-s-grid', { label: '城关街道 幸福社区 幸福社区第2网格' });
    await page.fill('#c-s-password', 'a-long-enough-password');
    await page.click('#c-s-create');
    const created = page.locator('.c-staff[data-username="grid_new"]');
    await created.waitFor({ state: 'visible' });
    assert.match(await created.innerText(), /网格员[\s\S]*幸福社区服务站/);
    await assertNoSeriousViolations(page, 'the accounts page');
    await signOut(page);
  }, DESKTOP);
  await withPage(t, app, async (page) => {
    await signIn(page, 'grid_new', 'a-long-enough-password');
    await page.locator('#f-go-settle').waitFor({ state: 'visible' });
    await page.click('#f-go-settle');
    await page.locator('#f-parties').waitFor({ state: 'visible' });
    await assertNoSeriousViolations(page, 'the 就地化解 form');
    await assertNoSidewaysScroll(page, 'the 就地化解 form', 375);
  });
});

test('a walk-in registered with its grid is found by the queue\'s grid filter', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, 'clerk_chengguan');
    await page.click('#c-nav-walkin');
    await fillWalkIn(page, { title: '小区楼道堆物', mobile: '13600003333' });
    await page.selectOption('#f-grid_id', { label: '幸福社区第2网格' });
    const receipt = await submitWalkIn(page);
    await page.click('#c-nav-queue');
    await page.locator('#c-filter-grid').waitFor({ state: 'visible' });
    await page.selectOption('#c-filter-grid', { label: '幸福社区 幸福社区第2网格' });
    const row = page.locator(`.c-queue-row[data-tracking-no="${receipt.trackingNo}"]`);
    await row.waitFor({ state: 'visible' });
    assert.match(await row.innerText(), /幸福社区第2网格[\s\S]*城关街道综治中心/);
    assert.equal(await page.locator('.c-queue-row').count(), 1, 'only that grid\'s cases');
  }, DESKTOP);
});
