// 政务公开 (issue 13): the public page of a month's figures per township, written by the
// server, on a resident's WeChat phone: linked from 找网格's header (the resident app's
// download has no room for it), a tap opens it; it passes axe-core, fits a 320 px screen in
// large print and moves between months.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, useApp, withPage, assertNoSeriousViolations, assertNoSidewaysScrollAt320 } from './helpers.mjs';

const app = useApp(import.meta.url);

test('找网格\'s header links to 政务公开, and a tap opens it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await page.goto('/grid');
    await page.locator('#g-nav-open').click();
    await page.waitForURL((u) => u.pathname === '/open');
    assert.match(await page.locator('h1').textContent(), /^政务公开：/);
  });
});

test('政务公开 on a 320 px phone: every township, axe-core clean, other months', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await page.goto('/open');
    assert.match(await page.locator('h1').textContent(), /^政务公开：\d{4}年\d{1,2}月群众诉求办理情况$/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    const towns = await page.locator('.town h2').allTextContents();
    for (const name of ['城关街道', '桃源镇', '清河镇', '石桥乡']) assert.ok(towns.includes(name), `${name} in ${towns}`);
    // Large print: the text 18 px, the figures 22 px or more.
    const sizes = await page.evaluate(() => ({
      body: parseFloat(getComputedStyle(document.body).fontSize),
      figure: parseFloat(getComputedStyle(document.querySelector('.town dd')).fontSize),
    }));
    assert.ok(sizes.body >= 18 && sizes.figure >= 22, JSON.stringify(sizes));
    await assertNoSidewaysScrollAt320(page, '政务公开');
    await assertNoSeriousViolations(page, '政务公开');

    // The month before, from the list of months.
    const second = page.locator('nav[aria-label="其他月份"] a').nth(1);
    const month = (await second.getAttribute('href')).split('=')[1];
    await second.click();
    await page.waitForURL((u) => u.searchParams.get('month') === month);
    assert.equal(await page.locator('[aria-current="page"]').getAttribute('href'), `/open?month=${month}`);
    await assertNoSeriousViolations(page, '政务公开, the month before');
  }, { width: 320, height: 640 });
});
