// Mistakes are explained next to the field, in Chinese, and nothing typed is lost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  TEST_TIMEOUT_MS, VALID, createCaseViaApi, fieldError, fillValidForm, open, shownText, trackViaUi, useApp, withPage,
} from './helpers.mjs';

const app = useApp(import.meta.url);

test('a short mobile number is explained at #err-mobile and every typed field is kept', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    const casesPosted = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/cases') casesPosted.push(r.status());
    });
    await open(page, '/submit', '#f-title');
    const filled = await fillValidForm(page, { mobile: '1381234', privacy: true });
    await page.click('#submit-case');

    const message = await fieldError(page, 'mobile');
    assert.match(message, /11 位|手机号/, `#err-mobile should explain a mainland mobile number in Chinese, got "${message}"`);

    assert.equal(new URL(page.url()).pathname, '/submit', 'an invalid form should stay on /submit');
    assert.ok(!casesPosted.some((s) => s >= 200 && s < 300), `no case should be created, POST /api/v1/cases answered ${casesPosted}`);

    // Nothing the resident typed is lost.
    assert.equal(await page.inputValue('#f-mobile'), '1381234', 'the wrong mobile number should stay for correcting');
    assert.equal(await page.inputValue('#f-title'), VALID.title);
    assert.equal(await page.inputValue('#f-description'), VALID.description);
    assert.equal(await page.inputValue('#f-contact_name'), VALID.contact_name);
    assert.equal(await page.inputValue('#f-address'), VALID.address);
    assert.equal(await page.inputValue('#f-occurred_on'), VALID.occurred_on);
    assert.equal(await page.inputValue('#f-township_id'), filled.township);
    assert.equal(await page.inputValue('#f-village_id'), filled.village);
    assert.ok(await page.isChecked(`#f-case_type-${VALID.case_type}`), 'the chosen case type should stay chosen');

    // Only the mobile number is wrong, so only it has a message.
    for (const field of ['title', 'description', 'contact_name']) {
      const text = await shownText(page, `#err-${field}`);
      assert.equal(text, '', `#err-${field} should be empty for a valid ${field}, shows "${text}"`);
    }

    // Correcting the number lets the form through.
    await page.fill('#f-mobile', VALID.mobile);
    await page.click('#submit-case');
    await page.waitForURL((u) => u.pathname === '/receipt');
  });
});

test('the title counter follows typing', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/submit', '#f-title');
    const counter = page.locator('#count-title');
    const expectCount = async (n, why) => {
      await page.waitForFunction((want) => (document.querySelector('#count-title')?.textContent ?? '').replace(/\s+/g, '') === want, `${n}/40`)
        .catch(async () => assert.fail(`#count-title should read "${n}/40" ${why}, it reads "${await counter.textContent()}"`));
    };
    await expectCount(0, 'on an empty form');
    await page.locator('#f-title').pressSequentially('村口路灯');
    await expectCount(4, 'after typing 4 Chinese characters');
    await page.locator('#f-title').pressSequentially('不亮');
    await expectCount(6, 'after typing 2 more');
    await page.locator('#f-title').press('Backspace');
    await expectCount(5, 'after deleting one');

    await page.locator('#f-description').pressSequentially('路灯坏了');
    const desc = (await page.locator('#count-description').textContent()).replace(/\s+/g, '');
    assert.match(desc, /^4\/\d+$/, `#count-description should count 4 characters, reads "${desc}"`);
  });
});

test('a wrong query code on /track says so and shows no case', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const receipt = await createCaseViaApi(app.url);
  await withPage(t, app, async (page) => {
    const last = receipt.query_code.slice(-1);
    const wrong = receipt.query_code.slice(0, -1) + (last === '2' ? '3' : '2');
    await trackViaUi(page, receipt.tracking_no, wrong);
    const error = page.locator('#track-error');
    await error.waitFor({ state: 'visible' });
    assert.match(await error.innerText(), /不正确/, 'a wrong code should be reported as 不正确');
    assert.equal(await shownText(page, '#track-state'), '', 'no case state should show for a wrong code');
    assert.equal(await page.locator('ol#track-timeline li').count(), 0, 'no timeline should show for a wrong code');
    assert.ok(!(await page.locator('#main').innerText()).includes(VALID.title), "the case's title must not leak for a wrong code");
  });
});
