// A resident on WeChat reports a broken street light with a photo, gets a receipt,
// and later looks the case up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  TEST_TIMEOUT_MS, VALID, digits, attachPhoto, checkInput, fillValidForm, open, readDraft, readReceipt,
  shownText, submitAndReadReceipt, trackApi, useApp, withPage,
} from './helpers.mjs';

const app = useApp(import.meta.url);

test('a resident submits a complaint with a photo on WeChat, gets a receipt and tracks it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    // Home: the two things a resident comes for.
    await open(page, '/', '#main a[href$="/submit"]');
    const submitLink = page.locator('#main a[href$="/submit"]').first();
    assert.match(await submitLink.innerText(), /我要反映/, 'the home page link to /submit should read 我要反映');
    assert.match(await page.locator('#main a[href$="/track"]').first().innerText(), /查进度/,
      'the home page link to /track should read 查进度');
    await submitLink.click();
    await page.waitForURL((u) => u.pathname === '/submit');

    // The form, in Chinese.
    const filled = await fillValidForm(page, { case_type: 'complaint', title: VALID.title });
    assert.equal(await page.inputValue('#f-village_id'), filled.village, 'the chosen village should stay selected');
    const upload = await attachPhoto(page);
    if (upload) assert.equal(upload.kind, 'png', `the server should read the photo as a PNG, got ${JSON.stringify(upload)}`);
    await checkInput(page, '#f-privacy_accepted');

    const receipt = await submitAndReadReceipt(page);
    assert.equal(receipt.requests.length, 1, 'one click on submit should send exactly one POST /api/v1/cases');
    const sent = JSON.parse(receipt.requests[0].postData() ?? '{}');
    assert.equal(sent.photo_ids?.length, 1, `the submission should carry the uploaded photo's id, sent: ${receipt.requests[0].postData()}`);
    assert.ok(receipt.requests[0].headers()['idempotency-key'], 'the submission should carry an Idempotency-Key header');

    // The receipt.
    assert.match(receipt.trackingNo, /^\d{13}$/, `the receipt should show a 13-digit tracking number, got "${receipt.trackingNo}"`);
    assert.ok(receipt.queryCode.length >= 4, `the receipt should show a query code, got "${receipt.queryCode}"`);
    assert.match(receipt.deadlines, /15/, `the receipt should state the 15-day acceptance notice deadline, got "${receipt.deadlines}"`);
    const qr = page.locator('#receipt-qr');
    const qrSrc = await qr.getAttribute('src');
    assert.ok(qrSrc?.endsWith(`/api/v1/qr/track/${receipt.trackingNo}.svg`),
      `the QR image should come from /api/v1/qr/track/${receipt.trackingNo}.svg, src is "${qrSrc}"`);
    await page.waitForFunction(() => {
      const img = document.querySelector('#receipt-qr');
      return img && img.complete && img.naturalWidth > 0;
    }).catch(() => { throw new Error(`the QR image ${qrSrc} did not load`); });
    await page.locator('#print-a4').waitFor({ state: 'visible' });
    await page.locator('#print-80mm').waitFor({ state: 'visible' });

    // The draft is gone once the case is in.
    const draft = await readDraft(page);
    for (const typed of [VALID.title, VALID.mobile, VALID.contact_name]) {
      assert.ok(!(draft.raw ?? '').includes(typed),
        `after a successful submit the draft ow.draft should be cleared, it still holds "${typed}": ${draft.raw}`);
    }

    // Reloading the receipt keeps it.
    await page.reload();
    const again = await readReceipt(page);
    assert.equal(again.trackingNo, receipt.trackingNo, 'after a reload /receipt should show the same tracking number');
    assert.equal(again.queryCode, receipt.queryCode, 'after a reload /receipt should show the same query code');

    // Tracking: the number comes prefilled from the link.
    await open(page, `/track?no=${receipt.trackingNo}`, '#f-query_code');
    assert.equal((await page.inputValue('#f-tracking_no')).replace(/\s+/g, ''), receipt.trackingNo,
      '/track?no=… should prefill the tracking number');
    for (const id of ['#f-tracking_no', '#f-query_code']) {
      assert.equal(await page.getAttribute(id, 'inputmode'), 'numeric', `${id} should open the phone's number pad`);
    }
    await page.fill('#f-query_code', receipt.queryCode);
    await page.click('#track-submit');
    const state = page.locator('#track-state');
    await state.waitFor({ state: 'visible' });
    assert.match(await state.innerText(), /已登记/, 'a new case should show the state 已登记');
    const items = page.locator('ol#track-timeline li');
    assert.ok((await items.count()) >= 1, 'the timeline of a new case should have at least one event');
    assert.equal(await shownText(page, '#track-error'), '', 'no error should show next to a found case');

    // The same lookup through the API agrees.
    const viaApi = await trackApi(app.url, receipt.trackingNo, receipt.queryCode);
    assert.equal(viaApi.status, 200, `POST /api/v1/track with the receipt's code should answer 200, got ${viaApi.status} ${viaApi.text}`);
    assert.equal(viaApi.json.state, 'registered');
  });
});

test('a link to the same page with another query opens it afresh', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/track?no=1111222233333', '#f-tracking_no');
    assert.equal(digits(await page.inputValue('#f-tracking_no')), '1111222233333');
    // An in-app link (handled by the router, no page load) to /track with another number.
    await page.evaluate(() => {
      const a = document.createElement('a');
      a.href = '/track?no=4444555566666';
      a.id = 'test-link';
      a.textContent = 'another';
      document.querySelector('#main').prepend(a);
    });
    const loads = [];
    page.on('load', () => loads.push(page.url()));
    await page.click('#test-link');
    await page.waitForURL((u) => u.search === '?no=4444555566666');
    await page.waitForFunction(() => (document.querySelector('#f-tracking_no')?.value ?? '').replace(/\s+/g, '') === '4444555566666')
      .catch(async () => {
        throw new Error(`/track was not reopened for the new query: #f-tracking_no holds "${await page.inputValue('#f-tracking_no')}"`);
      });
    assert.deepEqual(loads, [], 'the link should be followed in the app, without a page load');
  });
});
