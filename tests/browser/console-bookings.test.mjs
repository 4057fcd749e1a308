// The console's booking desk (预约) end to end, on the real server and build: residents
// book through the API; the clerk opens the place's day, checks one in, marks another
// as not come, books a walk-in on behalf of a visitor, takes a legal-aid application at
// its appointment, approves it and assigns a lawyer, cancels a booking with a reason
// after a confirmation (issue 10); the administrator changes the
// places per slot and adds a closed day, and the residents' booking days follow.
// The three pages pass axe-core (also in large text) and fit a 320 px screen.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, api, useApp, withPage, forEachState, assertNoSeriousViolations, assertNoSidewaysScrollAt320 } from './helpers.mjs';
import { DESKTOP, signIn, signOut } from './console-helpers.mjs';

const app = useApp(import.meta.url);

/** Booking codes: 8 characters without 0/O, 1/I/L. */
const CODE = /^[2-9A-HJKMNP-Z]{8}$/;

let mobileSeq = 0;
/** A fresh mainland mobile number (one booking per mobile per day). */
const newMobile = () => `1370000${String(1000 + (process.pid % 5000) + mobileSeq++).padStart(4, '0')}`;

// ---------------------------------------------------------------------------------------
// Through the API

/** The first place and the first day with at least `count` bookable start times of
 * `service` (a one-hour service starts only where two half-hour slots are free): {place, date, starts}. */
async function bookableDay(baseURL, count, service = 'consultation') {
  const places = await api(baseURL, 'GET', '/api/v1/booking/places');
  assert.equal(places.status, 200, `GET /api/v1/booking/places answered ${places.status}: ${places.text}`);
  const place = places.json[0];
  const days = await api(baseURL, 'GET', `/api/v1/booking/places/${place.id}/days?service=${service}`);
  for (const day of days.json.filter((d) => d.open && d.free > 0)) {
    const starts = await bookableStarts(baseURL, { place, date: day.date }, service);
    if (starts.length >= count) return { place, date: day.date, starts };
  }
  throw new Error(`no day of the booking window has ${count} bookable start times for ${service}`);
}

/** The start times of a day where `service` still has 2 places, through the API. */
async function bookableStarts(baseURL, { place, date }, service = 'consultation') {
  const slots = await api(baseURL, 'GET', `/api/v1/booking/places/${place.id}/slots?date=${date}&service=${service}`);
  assert.equal(slots.status, 200, `GET …/slots answered ${slots.status}: ${slots.text}`);
  return (slots.json ?? []).filter((s) => s.bookable && s.remaining >= 2).map((s) => s.start);
}

/** Books through the API as a resident would; returns the booking. */
async function bookViaApi(baseURL, { place, date }, start, overrides = {}) {
  const res = await api(baseURL, 'POST', '/api/v1/bookings', {
    headers: { 'Idempotency-Key': randomUUID() },
    body: {
      place_id: place.id, service: 'consultation', date, start, name: '张三',
      mobile: newMobile(), description: '被拖欠三个月工资，想咨询怎么办', waitlist: false, ...overrides,
    },
  });
  assert.equal(res.status, 201, `POST /api/v1/bookings answered ${res.status}: ${res.text}`);
  return res.json;
}

// ---------------------------------------------------------------------------------------
// Through the console

/** Opens the booking desk on a place and date; waits for the day's list. */
async function openDay(page, placeId, date) {
  await page.click('#c-nav-bookings');
  await page.locator('#c-b-place option').first().waitFor({ state: 'attached' });
  await page.selectOption('#c-b-place', String(placeId));
  await page.fill('#c-b-date', date);
  await page.waitForFunction(
    (d) => document.querySelector('#c-b-day-title')?.textContent?.includes(d)
      && document.querySelector('#c-b-list')?.getAttribute('aria-busy') === 'false',
    date,
  );
}

/** The day-view row of a booking code (waits for it). */
async function rowOf(page, code) {
  const row = page.locator(`.c-b-row[data-code="${code}"]`);
  await row.waitFor({ state: 'visible' });
  return row;
}

/** Waits until a booking's row shows `status` (its data-status). */
async function rowStatusIs(page, code, status) {
  await page.waitForFunction(
    ([c, s]) => document.querySelector(`.c-b-row[data-code="${c}"]`)?.getAttribute('data-status') === s,
    [code, status],
  ).catch(async () => {
    const now = await page.locator(`.c-b-row[data-code="${code}"]`).getAttribute('data-status').catch(() => '(no row)');
    throw new Error(`booking ${code} should be ${status}, is ${now}`);
  });
}

/** Takes the legal-aid application of a booking from the day view; returns its page path. */
async function openLegalAid(page, bookingId, { limitationEndsOn } = {}) {
  await page.click(`#c-b-legal-aid-${bookingId}`);
  await page.locator('#c-la-open').waitFor({ state: 'visible' });
  await page.selectOption('#c-la-matter', 'labour_relation_or_pay');
  await page.fill('#c-la-income', '1500');
  if (limitationEndsOn) await page.fill('#c-la-limitation', limitationEndsOn);
  await page.click('#c-la-open-submit');
  await page.waitForURL((u) => /^\/console\/legal-aid\/\d+$/.test(u.pathname));
  await page.locator('#c-la-state').waitFor({ state: 'visible' });
  return new URL(page.url()).pathname;
}

/** Waits until the application's state is `state` and the status line says something. */
async function laStateIs(page, state) {
  await page.waitForFunction(
    (s) => document.querySelector('#c-la-state')?.getAttribute('data-state') === s,
    state,
  ).catch(async () => {
    const error = await page.locator('.form-error').allInnerTexts().catch(() => []);
    throw new Error(`the application should be ${state}; errors shown: ${error.join(' ')}`);
  });
}

/** `YYYY-MM-DD` `n` days after `date`. */
function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Today in Asia/Shanghai, as the server counts days. */
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

test('the clerk sees which bookings the pre-check found urgent (issue 11)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const day = await bookableDay(app.url, 1, 'legal_aid_application');
  const urgent = await bookViaApi(app.url, day, day.starts[0], {
    service: 'legal_aid_application', name: '赵六', description: '仲裁时效还剩三天', urgent: true,
  });
  const plain = await bookViaApi(app.url, day, day.starts[0], { service: 'legal_aid_application', name: '钱七' });
  await withPage(t, app, async (page) => {
    await signIn(page, 'clerk');
    await openDay(page, day.place.id, day.date);
    const row = await rowOf(page, urgent.code);
    assert.match(await row.innerText(), /紧急：时效将届满/, 'the urgent booking should carry the badge');
    assert.doesNotMatch(await (await rowOf(page, plain.code)).innerText(), /紧急/, 'a booking without the flag has no badge');
  });
});

test('the clerk checks in, marks a no-show, books a walk-in and takes a legal-aid application; the admin edits the schedule',
  { timeout: TEST_TIMEOUT_MS * 3 }, async (t) => {
    const day = await bookableDay(app.url, 3);
    const came = await bookViaApi(app.url, day, day.starts[0]);
    const missed = await bookViaApi(app.url, day, day.starts[0], { name: '李四' });
    const [aidStart] = await bookableStarts(app.url, day, 'legal_aid_application');
    const aid = await bookViaApi(app.url, day, aidStart, {
      service: 'legal_aid_application', name: '王五', description: '被拖欠工资三个月，约 1.2 万元',
    });

    await withPage(t, app, async (page) => {
      await signIn(page, 'clerk');
      await openDay(page, day.place.id, day.date);

      // The residents' bookings are there, in full for the clerk.
      const row = await rowOf(page, came.code);
      assert.equal(await row.getAttribute('data-status'), 'booked');
      assert.match(await row.innerText(), /已预约/);
      assert.match(await row.innerText(), new RegExp(day.starts[0]));
      assert.match(await row.innerText(), /被拖欠三个月工资/);
      assert.match(await row.innerText(), /137\d{8}/, 'the clerk sees the whole mobile number');

      // Check-in and no-show.
      const cameId = await row.getAttribute('data-id');
      await page.click(`#c-b-checkin-${cameId}`);
      await rowStatusIs(page, came.code, 'checked_in');
      assert.match(await (await rowOf(page, came.code)).innerText(), /已签到/);
      assert.match(await page.locator('#c-b-status').innerText(), /已签到/, 'the result is announced');
      assert.equal(await page.locator(`#c-b-checkin-${cameId}`).count(), 0, 'no second check-in');
      const missedId = await (await rowOf(page, missed.code)).getAttribute('data-id');
      await page.click(`#c-b-noshow-${missedId}`);
      await rowStatusIs(page, missed.code, 'no_show');
      assert.match(await (await rowOf(page, missed.code)).innerText(), /未到/);

      // A walk-in booked on behalf: the form says what is missing, then books.
      await page.click('#c-b-walkin-submit');
      await page.waitForFunction(() => (document.querySelector('#err-service')?.textContent ?? '').trim() !== '');
      assert.equal(await page.getAttribute('#c-b-w-name', 'aria-invalid'), 'true');
      await page.selectOption('#c-b-w-service', 'document_drafting');
      // The times for that service (45 minutes: two half-hour slots each).
      await page.locator('#c-b-slots[data-service="document_drafting"][aria-busy="false"]').waitFor({ state: 'attached' });
      const slot = page.locator('.c-b-slot:not([disabled])').first();
      await slot.click();
      assert.equal(await slot.getAttribute('aria-pressed'), 'true');
      await page.fill('#c-b-w-name', '赵六');
      await page.fill('#c-b-w-mobile', newMobile());
      await page.fill('#c-b-w-description', '代写起诉状');
      await page.click('#c-b-walkin-submit');
      await page.locator('#c-b-walkin-code').waitFor({ state: 'visible' });
      const walkInCode = (await page.locator('#c-b-walkin-code').innerText()).trim();
      assert.match(walkInCode, CODE, `the walk-in gets a booking code, got "${walkInCode}"`);
      assert.equal(await (await rowOf(page, walkInCode)).getAttribute('data-status'), 'booked', 'and shows in the day');

      // The legal-aid application taken at the appointment: 7 days to decide, then 3 to assign.
      const aidId = await (await rowOf(page, aid.code)).getAttribute('data-id');
      await openLegalAid(page, aidId);
      assert.equal(await page.locator('#c-la-state').getAttribute('data-state'), 'received');
      assert.match(await page.locator('#c-la-applicant').innerText(), /王五/);
      assert.match(await page.locator('#c-la-matter-shown').innerText(), /劳动报酬/);
      assert.match(await page.locator('#c-la-decision-due').innerText(), /\d{4}-\d{2}-\d{2}/, 'the decision is due on a date');
      assert.equal(await page.locator('#c-la-assign').count(), 0, 'not urgent: no lawyer before the decision');
      // 补正 (Art.43): everything missing at once; the decision clock pauses, then resumes.
      const due = new Date(Date.now() + 8 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10);
      await page.fill('#c-la-materials-items-input', '劳动合同或工资条\n欠薪证明');
      await page.fill('#c-la-materials-due', due);
      await page.click('#c-la-materials-submit');
      await page.locator('#c-la-materials-awaited').waitFor();
      assert.match(await page.locator('#c-la-materials-items').innerText(), /劳动合同或工资条[\s\S]*欠薪证明/);
      assert.match(await page.locator('#c-la-status').innerText(), /审查期限暂停/);
      await page.click('#c-la-materials-received');
      await page.locator('#c-la-materials').waitFor();
      assert.match(await page.locator('#c-la-status').innerText(), /材料已补齐/);
      await page.check('#c-la-approve');
      await page.click('#c-la-decide-submit');
      await laStateIs(page, 'approved');
      assert.match(await page.locator('#c-la-status').innerText(), /给予法律援助/);
      assert.match(await page.locator('#c-la-notice').getAttribute('href'), /^\/console\/notice\?legal_aid=\d+&kind=legal_aid_granted$/);
      assert.match(await page.locator('#c-la-lawyer-due').innerText(), /\d{4}-\d{2}-\d{2}/, 'a lawyer is due within 3 days');
      await page.fill('#c-la-lawyer', '安澜县法律援助中心 刘律师');
      await page.click('#c-la-assign-submit');
      await laStateIs(page, 'assigned');
      assert.match(await page.locator('#c-la-lawyer-name').innerText(), /刘律师/);

      // Back on the day view the applicant shows as checked in.
      await openDay(page, day.place.id, day.date);
      await rowStatusIs(page, aid.code, 'checked_in');
      await signOut(page);

      // The administrator: 3 places a slot and a closed day.
      await signIn(page, 'admin');
      assert.equal(await page.locator('#c-nav-bookings').count(), 0, 'the booking desk is not the admin\'s');
      await page.click('#c-nav-schedule');
      await page.locator('#c-sch-capacity').waitFor({ state: 'visible' });
      await page.selectOption('#c-sch-place', String(day.place.id));
      await page.waitForFunction(() => /^\d+$/.test(document.querySelector('#c-sch-capacity')?.value ?? ''));
      assert.equal(await page.inputValue('#c-sch-capacity'), '2');
      assert.ok(await page.locator('.c-sch-hours-row').count() > 0, 'the weekly hours are listed');
      await page.fill('#c-sch-capacity', '0');
      await page.click('#c-sch-save');
      await page.waitForFunction(() => (document.querySelector('#err-capacity')?.textContent ?? '').trim() !== '');
      assert.equal(await page.getAttribute('#c-sch-capacity', 'aria-invalid'), 'true', 'checked before sending');

      const days = (await api(app.url, 'GET', `/api/v1/booking/places/${day.place.id}/days`)).json;
      const closing = days.filter((d) => d.open).at(-1).date;
      await page.fill('#c-sch-capacity', '3');
      await page.click('#c-sch-add-closed');
      const closedRow = page.locator('.c-sch-closed-row').last();
      await closedRow.locator('input[type="date"]').fill(closing);
      await closedRow.locator('input[type="text"]').fill('集中培训');
      await page.click('#c-sch-save');
      await page.waitForFunction(() => /已保存/.test(document.querySelector('#c-sch-status')?.textContent ?? ''))
        .catch(async () => { throw new Error(`saving failed: ${await page.locator('.form-error').allInnerTexts()}`); });

      // The residents' side follows.
      const after = (await api(app.url, 'GET', `/api/v1/booking/places/${day.place.id}/days`)).json;
      const shown = after.find((d) => d.date === closing);
      assert.deepEqual([shown.open, shown.note], [false, '集中培训'], 'the closed day is closed for residents');
      const open = after.find((d) => d.open && d.date > day.date) ?? after.find((d) => d.open);
      const slots = (await api(app.url, 'GET', `/api/v1/booking/places/${day.place.id}/slots?date=${open.date}`)).json;
      assert.ok(slots.length > 0 && slots.every((s) => s.capacity === 3), 'every slot has 3 places now');
    }, DESKTOP);
  });

test('the clerk cancels a booking with a reason after a confirmation; the row shows 已取消 (issue 10)',
  { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
    const day = await bookableDay(app.url, 1);
    const other = await bookViaApi(app.url, day, day.starts[0], { name: '周八' });
    const mobile = newMobile();
    const [hourStart] = await bookableStarts(app.url, day, 'legal_aid_application');
    const hour = await bookViaApi(app.url, day, hourStart, {
      service: 'legal_aid_application', name: '吴九', mobile, description: '工伤赔偿，想申请法律援助',
    });
    assert.notEqual(hour.start, hour.end);

    await withPage(t, app, async (page) => {
      await signIn(page, 'clerk');
      await openDay(page, day.place.id, day.date);
      // A one-hour appointment shows over both of its half hours (issue 11).
      const row = await rowOf(page, hour.code);
      assert.match(await row.locator('.c-b-time').innerText(), new RegExp(`${hour.start}–${hour.end}`));
      assert.match(await row.innerText(), /占 2 个时段/);
      const id = await row.getAttribute('data-id');

      // The button asks first and says what will happen; "不取消" changes nothing.
      await page.click(`#c-b-cancel-${id}`);
      await page.locator('#c-b-cancel').waitFor({ state: 'visible' });
      assert.ok(await page.evaluate(() => document.activeElement?.id === 'c-b-cancel-title'), 'focus goes to the confirmation');
      assert.match(await page.locator('#c-b-cancel-what').innerText(), new RegExp(hour.code));
      assert.equal(await row.getAttribute('data-status'), 'booked', 'nothing is sent before the confirmation');
      await page.click('#c-b-cancel-keep');
      await page.locator('#c-b-cancel').waitFor({ state: 'detached' });
      assert.equal(await (await rowOf(page, hour.code)).getAttribute('data-status'), 'booked');

      // A reason is required, checked before anything is sent.
      await page.click(`#c-b-cancel-${id}`);
      await page.click('#c-b-cancel-confirm');
      await page.waitForFunction(() => (document.querySelector('#err-reason')?.textContent ?? '').trim() !== '');
      assert.equal(await page.getAttribute('#c-b-cancel-reason', 'aria-invalid'), 'true');
      const still = await api(app.url, 'POST', '/api/v1/bookings/lookup', { body: { code: hour.code, mobile } });
      assert.equal(still.json?.status, 'booked', still.text);

      await page.fill('#c-b-cancel-reason', '群众来电取消');
      await page.click('#c-b-cancel-confirm');
      await rowStatusIs(page, hour.code, 'cancelled');
      assert.match(await (await rowOf(page, hour.code)).innerText(), /已取消/);
      assert.match(await page.locator('#c-b-status').innerText(), /已取消/, 'the result is announced');
      assert.equal(await page.locator('#c-b-cancel').count(), 0, 'the confirmation closes');
      assert.equal(await page.locator(`#c-b-cancel-${id}`).count(), 0, 'a cancelled booking offers no second cancel');
      assert.equal(await (await rowOf(page, other.code)).getAttribute('data-status'), 'booked', 'the others stay');

      // The resident sees it cancelled, and a reload of the day agrees.
      const seen = await api(app.url, 'POST', '/api/v1/bookings/lookup', { body: { code: hour.code, mobile } });
      assert.equal(seen.json?.status, 'cancelled', seen.text);
      await page.reload();
      await openDay(page, day.place.id, day.date);
      await rowStatusIs(page, hour.code, 'cancelled');
    }, DESKTOP);
  });

// ---------------------------------------------------------------------------------------
// Accessibility and narrow screens



async function largeText(page) {
  await page.click('#c-large-text');
  await page.waitForFunction(() => document.documentElement.classList.contains('large-text'));
}

// One day with a booking of each kind and one urgent legal-aid application, made once.
let fixture = null;
async function bookingsFixture() {
  if (fixture) return fixture;
  const day = await bookableDay(app.url, 2);
  await bookViaApi(app.url, day, day.starts[0]);
  const [aidStart] = await bookableStarts(app.url, day, 'legal_aid_application');
  const aid = await bookViaApi(app.url, day, aidStart, { service: 'legal_aid_application', name: '孙七' });
  fixture = { day, aid, legalAidPath: null };
  return fixture;
}

async function bookingsPage(page) {
  const { day } = await bookingsFixture();
  await signIn(page, 'clerk');
  await openDay(page, day.place.id, day.date);
  await page.locator('.c-b-row').first().waitFor({ state: 'visible' });
  await page.locator('#c-b-slots[aria-busy="false"]').waitFor({ state: 'attached' });
}

async function legalAidPage(page) {
  const f = await bookingsFixture();
  await bookingsPage(page);
  if (!f.legalAidPath) {
    const id = await (await rowOf(page, f.aid.code)).getAttribute('data-id');
    // Urgent (Art.44): the limitation period ends in 3 days, so both forms show.
    f.legalAidPath = await openLegalAid(page, id, { limitationEndsOn: addDays(shanghaiToday(), 3) });
  } else {
    await page.goto(f.legalAidPath);
  }
  await page.locator('#c-la-decide').waitFor({ state: 'visible' });
  await page.locator('#c-la-urgent').waitFor({ state: 'visible' });
}

/** The day with the first booked row's cancellation open and sent without a reason. */
async function cancelConfirmation(page) {
  await bookingsPage(page);
  await page.locator('.c-b-row[data-status="booked"] [id^="c-b-cancel-"]').first().click();
  await page.locator('#c-b-cancel').waitFor({ state: 'visible' });
  await page.click('#c-b-cancel-confirm');
  await page.waitForFunction(() => (document.querySelector('#err-reason')?.textContent ?? '').trim() !== '');
}

async function schedulePage(page) {
  await signIn(page, 'admin');
  await page.click('#c-nav-schedule');
  await page.waitForFunction(() => /^\d+$/.test(document.querySelector('#c-sch-capacity')?.value ?? ''));
}

const PAGES = [
  ['bookings', bookingsPage],
  ['bookings with the walk-in errors', async (page) => {
    await bookingsPage(page);
    await page.click('#c-b-walkin-submit');
    await page.waitForFunction(() => (document.querySelector('#err-name')?.textContent ?? '').trim() !== '');
  }],
  ['bookings with the legal-aid form open', async (page) => {
    const { aid } = await bookingsFixture();
    await bookingsPage(page);
    const row = await rowOf(page, aid.code);
    if (await row.getAttribute('data-status') !== 'booked') return; // taken already: covered by the page itself
    await page.click(`#c-b-legal-aid-${await row.getAttribute('data-id')}`);
    await page.locator('#c-la-open').waitFor({ state: 'visible' });
  }],
  ['bookings in large-text mode', async (page) => { await bookingsPage(page); await largeText(page); }],
  ['bookings with a cancellation to confirm, its reason missing', cancelConfirmation],
  ['legal-aid application', legalAidPage],
  ['legal-aid application refused without reasons', async (page) => {
    await legalAidPage(page);
    await page.check('#c-la-refuse');
    await page.click('#c-la-decide-submit');
    await page.waitForFunction(() => (document.querySelector('#err-reasons')?.textContent ?? '').trim() !== '');
  }],
  ['legal-aid application in large-text mode', async (page) => { await legalAidPage(page); await largeText(page); }],
  ['schedule', schedulePage],
  ['schedule with errors', async (page) => {
    await schedulePage(page);
    await page.fill('#c-sch-slot-minutes', '5');
    await page.click('#c-sch-add-hours');
    const row = page.locator('.c-sch-hours-row').last();
    await row.locator('input').first().fill('18:00');
    await page.click('#c-sch-save');
    await page.waitForFunction(() => (document.querySelector('#err-slot_minutes')?.textContent ?? '').trim() !== '');
    assert.ok(await row.locator('.c-sch-row-err').innerText(), 'the bad hours row says what is wrong');
  }],
  ['schedule in large-text mode', async (page) => { await schedulePage(page); await largeText(page); }],
];

test('axe-core finds no serious or critical violations on the booking pages', { timeout: TEST_TIMEOUT_MS * 4 }, async (t) => {
  // The legal-aid form before the application is taken (the later states take it).
  const order = [PAGES[2], ...PAGES.filter((_, i) => i !== 2)];
  await forEachState(t, app, order, assertNoSeriousViolations, DESKTOP);
});

test('the booking pages do not scroll sideways at 320 px', { timeout: TEST_TIMEOUT_MS * 3 }, async (t) => {
  const narrow = { ...DESKTOP, width: 320, height: 640 };
  const states = [
    ['bookings', bookingsPage],
    ['bookings in large-text mode', async (page) => { await bookingsPage(page); await largeText(page); }],
    ['bookings with a cancellation to confirm', cancelConfirmation],
    ['legal-aid application', legalAidPage],
    ['legal-aid application in large-text mode', async (page) => { await legalAidPage(page); await largeText(page); }],
    ['schedule', schedulePage],
    ['schedule in large-text mode', async (page) => { await schedulePage(page); await largeText(page); }],
  ];
  await forEachState(t, app, states, assertNoSidewaysScrollAt320, narrow);
});
