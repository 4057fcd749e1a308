// A half-filled form survives a reload (but never keeps the ID number), and one
// submission never becomes two cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  TEST_TIMEOUT_MS, VALID, VALID_ID_NUMBER, api, fieldError, fillValidForm, open, readDraft, readReceipt, submitAndReadReceipt,
  shownText, submitCaseViaUi, trackApi, useApp, waitForDraftContaining, withPage,
} from './helpers.mjs';

const app = useApp(import.meta.url);

test('a reload mid-form restores every field except the ID number', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/submit', '#f-title');
    const filled = await fillValidForm(page, { case_type: 'help', id_number: VALID_ID_NUMBER });
    await waitForDraftContaining(page, [VALID.title, VALID.address, VALID.mobile]).catch(() => {
      throw new Error('the typed fields were not saved to localStorage ow.draft within the step timeout');
    });

    await page.reload();
    await page.locator('#f-title').waitFor({ state: 'visible' });
    // Restoring the village may wait for the regions to load.
    await page.waitForFunction((v) => document.querySelector('#f-village_id')?.value === v, filled.village)
      .catch(() => {});

    assert.ok(await page.isChecked('#f-case_type-help'), 'the case type should be restored');
    assert.equal(await page.inputValue('#f-title'), VALID.title, 'the title should be restored');
    assert.equal(await page.inputValue('#f-description'), VALID.description, 'the description should be restored');
    assert.equal(await page.inputValue('#f-occurred_on'), VALID.occurred_on, 'the date should be restored');
    assert.equal(await page.inputValue('#f-township_id'), filled.township, 'the township should be restored');
    assert.equal(await page.inputValue('#f-village_id'), filled.village, 'the village should be restored');
    assert.ok(await page.isEnabled('#f-village_id'), 'the village select should be usable after the restore');
    assert.equal(await page.inputValue('#f-address'), VALID.address, 'the address should be restored');
    assert.equal(await page.inputValue('#f-contact_name'), VALID.contact_name, 'the contact name should be restored');
    assert.equal(await page.inputValue('#f-mobile'), VALID.mobile, 'the mobile number should be restored');
    assert.equal(await page.inputValue('#f-id_number'), '', 'the ID number must not be restored');
    assert.match(await shownText(page, '#note-id_number'), /身份证号码不保存在本机/,
      'after a restore with the ID number empty, a note under the field should say it must be typed again');
    await page.fill('#f-id_number', VALID_ID_NUMBER);
    assert.equal(await shownText(page, '#note-id_number'), '', 'the note should go once the ID number is typed again');
    const draft = await readDraft(page);
    assert.ok(!(draft.raw ?? '').includes(VALID_ID_NUMBER), `the ID number must never be stored in ow.draft: ${draft.raw}`);
    assert.ok(!(draft.raw ?? '').includes(VALID_ID_NUMBER.slice(0, 17)), `no part of the ID number may be stored in ow.draft: ${draft.raw}`);
    // The counter reflects the restored title.
    assert.equal((await page.locator('#count-title').textContent()).replace(/\s+/g, ''), `${[...VALID.title].length}/40`);
  });
});

test('replaying a submission with its Idempotency-Key returns the same case', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/submit', '#f-title');
    await fillValidForm(page, { privacy: true });
    const keyInDraft = await readDraft(page);
    const receipt = await submitAndReadReceipt(page);
    assert.equal(receipt.requests.length, 1, 'one click should send one POST /api/v1/cases');
    const request = receipt.requests[0];
    const key = request.headers()['idempotency-key'];
    assert.ok(key, 'the submission should carry an Idempotency-Key header');
    if (keyInDraft.json) {
      t.diagnostic(`ow.draft keys: ${Object.keys(keyInDraft.json).join(', ')}; holds the key: ${keyInDraft.raw.includes(key)}`);
    }
    const body = request.postData();

    // The same body with the same key (a retry after a lost answer): the same case.
    const replay = await api(app.url, 'POST', '/api/v1/cases', { body, headers: { 'Idempotency-Key': key } });
    assert.ok(replay.ok, `a replay with the same key should succeed, got ${replay.status} ${replay.text}`);
    assert.equal(replay.json.tracking_no, receipt.trackingNo, 'a replay with the same key must return the same tracking number');
    const stillTracks = await trackApi(app.url, receipt.trackingNo, receipt.queryCode);
    assert.equal(stillTracks.status, 200, `after a replay the receipt's query code must still work, got ${stillTracks.status} ${stillTracks.text}`);

    // The same key with a different body is refused.
    const changed = JSON.stringify({ ...JSON.parse(body), title: '另一件事情' });
    const reused = await api(app.url, 'POST', '/api/v1/cases', { body: changed, headers: { 'Idempotency-Key': key } });
    assert.ok(reused.status >= 400 && reused.status < 500, `the same key with another body should be refused, got ${reused.status} ${reused.text}`);
    assert.equal(reused.json?.code, 'IDEMPOTENCY_KEY_REUSED');

    // No key at all is refused.
    const keyless = await api(app.url, 'POST', '/api/v1/cases', { body });
    assert.equal(keyless.status, 400, `a submission without Idempotency-Key should answer 400, got ${keyless.status} ${keyless.text}`);
    assert.equal(keyless.json?.code, 'IDEMPOTENCY_KEY_MISSING');
  });
});

test('double-clicking submit makes one case', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    const answers = [];
    page.on('response', async (r) => {
      if (r.request().method() !== 'POST' || new URL(r.url()).pathname !== '/api/v1/cases') return;
      const entry = { status: r.status(), key: r.request().headers()['idempotency-key'], trackingNo: null };
      answers.push(entry);
      entry.trackingNo = (await r.json().catch(() => null))?.tracking_no ?? null;
    });
    await open(page, '/submit', '#f-title');
    await fillValidForm(page, { privacy: true });
    const receipt = await submitAndReadReceipt(page, { click: (p) => p.dblclick('#submit-case') });
    await page.waitForTimeout(1_000); // let a second request, if any, come back

    const created = new Set(answers.filter((a) => a.status >= 200 && a.status < 300).map((a) => a.trackingNo));
    assert.equal(created.size, 1, `a double click must create one case, answers: ${JSON.stringify(answers)}`);
    assert.deepEqual([...created], [receipt.trackingNo], 'the receipt should show the one case created');
    assert.equal(new Set(answers.map((a) => a.key)).size, 1, `every request of one submission should use one Idempotency-Key: ${JSON.stringify(answers)}`);
  });
});

test('going back after a submit and pressing submit again does not repeat the case', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/submit', '#f-title');
    await fillValidForm(page, { privacy: true });
    const first = await submitAndReadReceipt(page);
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/submit');
    await page.locator('#f-title').waitFor({ state: 'visible' });
    const title = await page.inputValue('#f-title');
    t.diagnostic(`after going back the title field holds "${title}"`);
    const posted = [];
    page.on('response', async (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/cases') {
        posted.push({ status: r.status(), trackingNo: (await r.json().catch(() => null))?.tracking_no });
      }
    });
    await page.click('#submit-case');
    if (title === '') {
      // The draft was cleared: submitting the empty form only shows what is missing.
      await fieldError(page, 'title');
      assert.equal(new URL(page.url()).pathname, '/submit');
      assert.ok(!posted.some((p) => p.status < 300), `an empty form must not create a case: ${JSON.stringify(posted)}`);
    } else {
      // The old entries are still there: sending them again must give back the same case.
      await page.waitForURL((u) => u.pathname === '/receipt');
      const again = await readReceipt(page);
      assert.equal(again.trackingNo, first.trackingNo, 'resubmitting the same entries must not create a second case');
    }
  });
});

test('a draft whose key already made a case shows that case\'s receipt, not a second case', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    // The first submission succeeds, but suppose its answer was lost: the draft (with
    // its key) is still on the device, and the resident edits it and submits again.
    const first = await submitCaseViaUi(page);
    const request = first.requests[0];
    const key = request.headers()['idempotency-key'];
    assert.ok(key, 'the submission should carry an Idempotency-Key header');
    const sent = JSON.parse(request.postData());
    const editedTitle = '路灯修好后又坏了';
    await page.evaluate((draft) => localStorage.setItem('ow.draft', JSON.stringify(draft)), {
      key, req: { ...sent, title: editedTitle, id_number: '', photo_ids: [] }, photos: [],
    });
    await page.evaluate(() => sessionStorage.clear());
    await open(page, '/submit', '#f-title');
    assert.equal(await page.inputValue('#f-title'), editedTitle, 'the edited draft should be restored');
    await page.waitForFunction((v) => document.querySelector('#f-village_id')?.value === v, String(sent.village_id));

    const answers = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/cases') {
        answers.push({ status: r.status(), key: r.request().headers()['idempotency-key'] });
      }
    });
    const again = await submitAndReadReceipt(page);
    assert.deepEqual(answers, [{ status: 409, key }], 'the resend should carry the old key and be answered 409 once');
    assert.equal(again.trackingNo, first.trackingNo, 'the receipt should show the ORIGINAL tracking number');
    assert.equal(again.queryCode, first.queryCode, 'the receipt should show the original query code');
    assert.equal(await shownText(page, '#receipt-notice'),
      '您此前已提交成功，以下是那次提交的回执；如需反映新的事项，请重新填写', 'the receipt should say it is the earlier submission');
    assert.match(await page.locator('.receipt').innerText(), new RegExp(VALID.title), 'the receipt should show the original title');
    assert.ok(!(await page.locator('.receipt').innerText()).includes(editedTitle), 'the edited title made no case');
    assert.equal((await readDraft(page)).raw, null, 'the draft should be cleared as after a success');
    const tracked = await trackApi(app.url, first.trackingNo, first.queryCode);
    assert.equal(tracked.status, 200, `the original case should still track, got ${tracked.status} ${tracked.text}`);
    assert.equal(tracked.json?.title, VALID.title, 'the tracked case keeps its original title');

    // A reload of the receipt page (sessionStorage fallback) keeps the number and the notice.
    await page.reload();
    const reloaded = await readReceipt(page);
    assert.equal(reloaded.trackingNo, first.trackingNo, 'a reload should still show the original receipt');
    assert.match(await shownText(page, '#receipt-notice'), /您此前已提交成功/, 'a reload should keep the notice');
  });
});

test('the receipt shows without sessionStorage', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    // Some WeChat and private modes throw on sessionStorage writes.
    await page.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k, v) {
        if (this === window.sessionStorage) throw new DOMException('blocked', 'QuotaExceededError');
        return setItem.call(this, k, v);
      };
    });
    const receipt = await submitCaseViaUi(page);
    assert.match(receipt.trackingNo, /^\d{13,}$/, 'the receipt should show the tracking number');
    assert.equal(await shownText(page, '#receipt-notice'), '', 'a plain success shows no "already submitted" notice');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'the test setup should have kept sessionStorage empty');
  });
});

test('a draft of another shape keeps every readable field', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/submit', '#f-title');
    await page.evaluate(() => localStorage.setItem('ow.draft', JSON.stringify({
      key: 'k', version: 9, photos: 'none',
      req: { title: '旧版草稿的标题', description: '旧版草稿的内容', case_type: 'no-such-type', township_id: 'x', mobile: 13812345678, extra: 1 },
    })));
    await page.reload();
    await page.locator('#f-title').waitFor({ state: 'visible' });
    assert.equal(await page.inputValue('#f-title'), '旧版草稿的标题', 'a readable title survives unreadable neighbours');
    assert.equal(await page.inputValue('#f-description'), '旧版草稿的内容', 'a readable description survives unreadable neighbours');
  });
});
