// What a clerk met at the hall's 1366×768 PC (issue 11): an elderly walk-in with only a
// landline, or no phone but a postal address, is registered; the receipt survives the
// clerk's reload; a visitor who lost the query code gets a new one after an identity
// check (the old stops working); phones are masked for every role, and "查看完整号码"
// shows the number and is recorded with who and when; a 不满意 with its reason shows
// the reason on the callback task. The demo accounts' names never break mid-word.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, api, createCaseViaApi, trackApi, useApp, withPage } from './helpers.mjs';
import { DESKTOP, fillWalkIn, openCaseFromQueue, openConsole, signIn, signOut, submitWalkIn } from './console-helpers.mjs';

const app = useApp(import.meta.url);
const HALL_PC = { ...DESKTOP, width: 1366, height: 768 };

test('a walk-in with a landline, one with only a postal address; the receipt survives a reload',
  { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
    await withPage(t, app, async (page) => {
      await signIn(page, 'clerk');
      await page.click('#c-nav-walkin');
      await fillWalkIn(page, { title: '老人反映自来水管漏水', mobile: '0851 1234 5678' });
      const landline = await submitWalkIn(page);
      assert.match(await page.locator('.c-receipt').innerText(), /0851-\*\*\*\*5678/, 'the landline, masked');

      // The clerk reloads: the receipt and its query code are still there.
      await page.reload();
      await page.locator('#c-receipt-query-code').waitFor({ state: 'visible' });
      assert.equal((await page.locator('#c-receipt-query-code').textContent()).trim(), landline.queryCode);

      // No phone at all: a postal address receives the notices.
      await page.click('#c-receipt-next');
      await fillWalkIn(page, { title: '来信反映道路破损问题', channel: 'letter', mobile: '' });
      await page.click('#c-walkin-submit');
      await page.locator('#err-mobile').filter({ hasText: '通信地址' }).waitFor({ state: 'visible' });
      await page.fill('#f-postal_address', '桃源镇桃源村三组12号 王大爷收');
      // Leaving the field re-checks the phone: its message goes (before the click, so the
      // button does not move under the pointer).
      await page.press('#f-postal_address', 'Tab');
      await page.locator('#err-mobile').filter({ hasText: '通信地址' }).waitFor({ state: 'detached' }).catch(() => {});
      assert.equal((await page.locator('#err-mobile').textContent()).trim(), '');
      const post = await submitWalkIn(page);
      await openCaseFromQueue(page, post.trackingNo);
      assert.equal(await page.locator('#c-postal-address').innerText(), '桃源镇桃源村三组12号 王大爷收');
      assert.equal(await page.locator('#c-contact-phone').innerText(), '未留电话');

      // Signing out forgets the receipt: the next clerk at this PC never sees the code.
      await signOut(page);
      await signIn(page, 'clerk');
      await openConsole(page, '/console/receipt', 'h1');
      assert.equal(await page.locator('#c-receipt-query-code').count(), 0);
    }, HALL_PC);
  });

test('重新生成查询码: identity checked, the old code stops working, the new receipt prints',
  { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
    const receipt = await createCaseViaApi(app.url, { title: '遗失查询码的诉求' });
    await withPage(t, app, async (page) => {
      await signIn(page, 'clerk');
      await openCaseFromQueue(page, receipt.tracking_no);
      await page.click('#c-reissue-open');
      await page.click('#c-reissue-submit');
      assert.match(await page.locator('#c-reissue-error').innerText(), /核对/, 'the identity check comes first');
      await page.check('#c-reissue-identity');
      await page.click('#c-reissue-submit');
      await page.waitForURL((u) => u.pathname === '/console/receipt');
      const code = (await page.locator('#c-receipt-query-code').textContent()).trim();
      assert.match(code, /^\d{8}$/);
      assert.notEqual(code, receipt.query_code);
      assert.equal((await trackApi(app.url, receipt.tracking_no, receipt.query_code)).status, 404, 'the old code');
      assert.equal((await trackApi(app.url, receipt.tracking_no, code)).status, 200, 'the new code');
      await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
      await page.click('#c-print');
      assert.equal(await page.evaluate(() => window.__printed), 1, 'the new receipt prints');
      await openCaseFromQueue(page, receipt.tracking_no);
      assert.match(await page.locator('#c-timeline').innerText(), /重新生成查询码[\s\S]*窗口-李敏|窗口-李敏[\s\S]*重新生成查询码/);
    }, HALL_PC);
  });

test('phones are masked for every role; 查看完整号码 shows it and is recorded', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  const receipt = await createCaseViaApi(app.url, { title: '占道经营影响通行', mobile: '13812345678' });
  await withPage(t, app, async (page) => {
    await signIn(page, 'leader');
    await openCaseFromQueue(page, receipt.tracking_no);
    assert.equal(await page.locator('#c-contact-phone').innerText(), '138****5678');
    assert.doesNotMatch(await page.locator('main').innerText(), /13812345678/);
    await signOut(page);

    await signIn(page, 'clerk');
    await openCaseFromQueue(page, receipt.tracking_no);
    assert.equal(await page.locator('#c-contact-phone').innerText(), '138****5678', 'the clerk too, by default');
    await page.click('#c-reveal-contact');
    await page.locator('#c-contact-phone', { hasText: '13812345678' }).waitFor({ state: 'visible' });
    await page.reload();
    await page.locator('#c-timeline').waitFor({ state: 'visible' });
    const event = page.locator('#c-timeline li.c-event[data-kind="contact_revealed"]');
    assert.match(await event.innerText(), /窗口-李敏/, 'who revealed it, and when');
    assert.equal(await page.locator('#c-contact-phone').innerText(), '138****5678', 'masked again after a reload');
  }, HALL_PC);
});

/** A member of staff signed in through the API: `act(path, body)` posts with the session's cookie and CSRF token. */
async function staffSession(username) {
  const res = await fetch(`${app.url}/api/v1/console/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo-password-2026' }),
  });
  assert.equal(res.status, 200, `sign-in of ${username}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const info = await res.json();
  const headers = { cookie, 'x-csrf-token': info.csrf_token };
  const call = async (method, path, body) => {
    const r = await api(app.url, method, path, { body, headers });
    assert.ok(r.ok, `${method} ${path} answered ${r.status}: ${r.text}`);
    return r.json;
  };
  return { info, get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}

test('不满意 with a reason: the callback task shows it to the clerk', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  // Set up through the API: a case accepted, dispatched to 综治办, answered and replied to.
  const receipt = await createCaseViaApi(app.url, { title: '菜市场夜间装卸噪音' });
  const clerk = await staffSession('clerk');
  const officer = await staffSession('officer_zongzhi');
  const id = (await clerk.get(`/api/v1/console/cases?q=${receipt.tracking_no}`)).items[0].id;
  const actOn = (who, action) => who.post(`/api/v1/console/cases/${id}/actions`, action);
  await actOn(clerk, { action: 'accept', note: '' });
  const due = new Date(Date.now() + 14 * 86400e3).toISOString().slice(0, 10);
  let detail = await actOn(clerk, { action: 'dispatch', department_ids: [officer.info.department_id], due_on: due, note: '' });
  const part = detail.dispatches[0].id;
  await actOn(officer, { action: 'take', dispatch_id: part });
  await actOn(officer, { action: 'respond', dispatch_id: part, response: '已约谈市场管理方' });
  await actOn(clerk, { action: 'reply', reply: '经协调，菜市场已承诺夜间停止装卸作业。' });
  // The resident rates 不满意 with a reason (what the resident app sends).
  const rated = await api(app.url, 'POST', '/api/v1/track/act', {
    body: { tracking_no: receipt.tracking_no, query_code: receipt.query_code, rating: 'dissatisfied', review_reason: '夜里十点后仍有货车装卸' },
  });
  assert.equal(rated.status, 200, rated.text);
  const told = rated.json.events.find((e) => e.kind === 'rated')?.note ?? '';
  const callbackDue = told.match(/中心将在 (\d{4}-\d{2}-\d{2}) 前与您联系回访/)?.[1];
  assert.ok(callbackDue, `the resident is told by when the centre calls back: ${told}`);

  await withPage(t, app, async (page) => {
    await signIn(page, 'clerk');
    await openCaseFromQueue(page, receipt.tracking_no);
    const task = page.locator('.c-callback[data-open="true"]');
    await task.waitFor({ state: 'visible' });
    assert.match(await task.innerText(), new RegExp(`${callbackDue} 前回访`), 'the same day as the resident was told');
    assert.match(await task.locator('.c-callback-reason').innerText(), /夜里十点后仍有货车装卸/);
  }, HALL_PC);
});

test('the demo accounts table never breaks a user name mid-word', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await openConsole(page, '/console/signin', '.c-demo-account');
    const broken = await page.locator('.c-demo-account code').evaluateAll((codes) =>
      codes.filter((c) => c.getClientRects().length > 1).map((c) => c.textContent));
    assert.deepEqual(broken, [], 'user names and passwords on one line each');
  }, HALL_PC);
});
