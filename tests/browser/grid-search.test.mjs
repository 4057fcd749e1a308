// 找网格 as an elderly resident types it on a 375×667 phone: a full address with unit
// and room ("幸福小区5栋2单元301室") finds the grid of its known part, and the answer —
// matches or "没有找到" — shows where the eye is (on screen, right under the box). A
// position far outside the county says so and offers search and pick instead of a grid
// 1,500 km away.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, open, useApp, withPage } from './helpers.mjs';

const app = useApp(import.meta.url);

/** Whether the element is wholly inside the viewport now. */
const onScreen = (page, selector) => page.locator(selector).evaluate((el) => {
  const r = el.getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
});

test('a full address finds its grid and the answer is on screen', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/grid', '#g-search');
    for (const address of ['幸福小区5栋2单元301室', '幸福小区5栋2单元']) {
      await page.fill('#g-search', address);
      await page.press('#g-search', 'Enter');
      await page.waitForFunction((q) => (document.querySelector('#g-matches')?.textContent ?? '').includes('幸福小区5栋')
        && document.querySelector('#g-search-status')?.textContent?.startsWith('找到'), address);
      assert.match(await page.locator('#g-matches li').first().innerText(), /幸福小区5栋/, address);
      assert.ok(await onScreen(page, '#g-search-status'), `the result message for ${address} is on screen`);
      assert.ok(await onScreen(page, '#g-matches li'), `the first match for ${address} is on screen`);
    }
    await page.fill('#g-search', '完全没有这个地方');
    await page.press('#g-search', 'Enter');
    await page.waitForFunction(() => /没有找到/.test(document.querySelector('#g-search-status')?.textContent ?? ''));
    assert.ok(await onScreen(page, '#g-search-status'), 'the no-result message is on screen');
  }, { width: 375, height: 667 });
});

test('a position far outside the county says so and offers search and pick', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page, context) => {
    await context.grantPermissions(['geolocation'], { origin: app.url });
    await context.setGeolocation({ longitude: 116.39, latitude: 39.91 }); // Beijing, ~1,500 km away
    await open(page, '/grid', '#g-locate');
    await page.click('#g-locate');
    const notice = page.locator('#g-outside-county');
    await notice.waitFor({ state: 'visible' });
    assert.match(await notice.innerText(), /不在本县范围内/);
    assert.doesNotMatch(await page.locator('#g-locate-result').innerText(), /公里/, 'no distance to a faraway grid');
    await notice.locator('a[href="#g-search"]').click();
    await notice.locator('a[href="#g-township"]').waitFor({ state: 'visible' });
  });
});
