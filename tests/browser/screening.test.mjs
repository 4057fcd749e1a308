// 排查 (issue 12), on the real server and build. A grid worker on a 375×667 phone records a
// screening round: households visited, a dispute graded 红 and reported up, a risk graded
// 黄 and watched. A finding without a grade is refused beside it, the draft survives a
// reload, and the round makes one case in the township centre's queue. The township
// clerk sees the grid's open risks, filters them by grade and grid, and opens the case;
// the grid worker settles the watched one later. axe on the new pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, assertNoSeriousViolations, assertNoSidewaysScroll, useApp, withPage } from './helpers.mjs';
import { DESKTOP, openConsole, signIn } from './console-helpers.mjs';

const app = useApp(import.meta.url);

test('a grid worker records a round on a phone; the township sees its open risks by grade and grid',
  { timeout: TEST_TIMEOUT_MS * 4 }, async (t) => {
    let trackingNo;
    await withPage(t, app, async (page) => {
      await signIn(page, 'grid_xingfu');
      await page.click('#f-go-screening');
      await page.locator('#f-households').waitFor({ state: 'visible' });
      await page.locator('#f-risks').waitFor({ state: 'visible' });
      await assertNoSeriousViolations(page, 'the screening page');
      await assertNoSidewaysScroll(page, 'the screening page', 375);

      await page.fill('#f-households', '18');
      await page.fill('#f-note', '幸福小区1—5栋');
      await page.click('#f-add-finding');
      await page.check('#f-finding-0-kind-dispute');
      await page.fill('#f-finding-0-description', '两户因宅基地界址争执，扬言动手');
      await page.fill('#f-finding-0-people', '赵某、钱某');
      await page.check('#f-finding-0-state-reported');
      // No grade yet: refused beside the finding, nothing sent twice.
      await page.click('#f-submit');
      await page.locator('#f-finding-0-level-err', { hasText: '风险等级只能是红、黄、绿之一' }).waitFor();
      await page.check('#f-finding-0-level-red');

      await page.click('#f-add-finding');
      await page.check('#f-finding-1-kind-hazard');
      await page.check('#f-finding-1-level-yellow');
      await page.fill('#f-finding-1-description', '4栋外墙瓷砖松动');
      const box = await page.locator('#f-finding-1-level-yellow').boundingBox();
      assert.ok(box.height >= 20, `a grade is easy to tap: ${JSON.stringify(box)}`);
      await assertNoSeriousViolations(page, 'the screening form with two findings');
      await assertNoSidewaysScroll(page, 'the screening form with two findings', 375);

      // A weak signal, a closed tab: the draft is kept on the phone.
      await page.reload();
      await page.locator('#f-finding-1-description').waitFor({ state: 'visible' });
      assert.equal(await page.inputValue('#f-households'), '18');
      assert.equal(await page.inputValue('#f-finding-1-description'), '4栋外墙瓷砖松动');
      assert.ok(await page.isChecked('#f-finding-0-level-red'), 'the grade is kept');

      await page.click('#f-submit');
      const done = page.locator('#f-done');
      await done.waitFor({ state: 'visible' });
      const text = await done.innerText();
      assert.match(text, /走访 18 户，发现 2 项/);
      trackingNo = text.match(/受理编号\s*(\d{13})/)[1];
      await page.locator('#f-risks .f-risk').nth(1).waitFor();
      const risks = await page.locator('#f-risks').innerText();
      assert.match(risks, /红风险[\s\S]*已上报[\s\S]*黄风险[\s\S]*持续关注/, risks);
      assert.equal(await page.inputValue('#f-households'), '', 'a fresh draft for the next round');
    });

    await withPage(t, app, async (page) => {
      await signIn(page, 'clerk_chengguan');
      await page.click('#c-nav-risks');
      await page.locator('.c-risks-table tbody tr').first().waitFor();
      assert.equal(await page.locator('.c-risks-table tbody tr').count(), 2);
      assert.match(await page.locator('.c-risks-table tbody tr').first().innerText(), /红色[\s\S]*矛盾纠纷[\s\S]*赵某/);
      await assertNoSeriousViolations(page, 'the risks page');
      await page.selectOption('#c-risks-level', 'yellow');
      await page.locator('#c-risks-count', { hasText: '共 1 项' }).waitFor();
      assert.match(await page.locator('.c-risks-table tbody').innerText(), /4栋外墙瓷砖松动/);
      await page.selectOption('#c-risks-level', '');
      await page.selectOption('#c-risks-grid', { label: '幸福社区 幸福社区第1网格' });
      await page.locator('#c-risks-count', { hasText: '共 2 项' }).waitFor();
      await page.click(`.c-risks-table a:has-text("${trackingNo}")`);
      await page.locator('#c-case-unit').waitFor({ state: 'visible' });
      assert.match(await page.locator('#c-case-unit').innerText(), /城关街道综治中心/);
      assert.match(await page.locator('.c-facts').innerText(), /网格上报[\s\S]*幸福社区第1网格/);
    }, DESKTOP);

    await withPage(t, app, async (page) => {
      // Later, the watched risk is settled on the phone.
      await signIn(page, 'grid_xingfu');
      await openConsole(page, '/console/field/screening', '#f-risks .f-risk');
      const watched = page.locator('#f-risks .f-risk', { hasText: '4栋外墙瓷砖松动' });
      await watched.locator('input[type="text"]').fill('物业已清除松动瓷砖');
      await watched.locator('button', { hasText: '已化解' }).click();
      await page.locator('#f-risks .f-risk', { hasText: '4栋外墙瓷砖松动' }).waitFor({ state: 'detached' });
      assert.equal(await page.locator('#f-risks .f-risk').count(), 1, 'the one reported up is still open');
    });
  });
