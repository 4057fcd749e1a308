// 法律援助预约: a resident on WeChat books a legal-aid application after the optional
// pre-check, gets a booking code with every material to bring, looks it up, cancels it
// and books again; a full slot offers the nearest free times and the waiting list.
// Every booking page passes axe-core (also in large text) and fits a 320 px phone.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, api, open, optionValues, useApp, withPage, forEachState, assertNoSeriousViolations, assertNoSidewaysScrollAt320 } from './helpers.mjs';

const app = useApp(import.meta.url);

/** Booking codes: 8 characters without 0/O, 1/I/L. */
const CODE = /^[2-9A-HJKMNP-Z]{8}$/;

let mobileSeq = 0;
/** A fresh mainland mobile number (one booking per mobile per day). */
const newMobile = () => `1390000${String(1000 + (process.pid % 5000) + mobileSeq++).padStart(4, '0')}`;

// ---------------------------------------------------------------------------------------
// Through the API: setup and checks

/** The first free start times of `service` at the first place, through the API:
 * [{place, date, start}]. A one-hour service starts only where two half-hour slots are free. */
async function bookableSlots(baseURL, count = 1, service = 'consultation') {
  const places = await api(baseURL, 'GET', '/api/v1/booking/places');
  assert.equal(places.status, 200, `GET /api/v1/booking/places answered ${places.status}: ${places.text}`);
  const place = places.json[0];
  const days = await api(baseURL, 'GET', `/api/v1/booking/places/${place.id}/days?service=${service}`);
  assert.equal(days.status, 200, `GET …/days answered ${days.status}: ${days.text}`);
  const found = [];
  for (const day of days.json.filter((d) => d.open && d.free > 0)) {
    const slots = await api(baseURL, 'GET', `/api/v1/booking/places/${place.id}/slots?date=${day.date}&service=${service}`);
    for (const slot of slots.json ?? []) {
      if (slot.bookable) found.push({ place, date: day.date, start: slot.start, slot });
      if (found.length >= count) return found;
    }
  }
  assert.ok(found.length >= count, `the demo data should have ${count} bookable slot(s), found ${found.length}`);
  return found;
}

/** Books through the API; returns the answer. */
function bookViaApi(baseURL, { place, date, start }, overrides = {}) {
  return api(baseURL, 'POST', '/api/v1/bookings', {
    headers: { 'Idempotency-Key': randomUUID() },
    body: {
      place_id: place.id, service: 'consultation', date, start, name: '李四',
      mobile: newMobile(), description: '咨询借款纠纷', waitlist: false, ...overrides,
    },
  });
}

/** Fills a slot through the API until it is full. */
async function fillSlot(baseURL, where) {
  for (let i = 0; i < 60; i++) {
    const res = await bookViaApi(baseURL, where);
    if (res.status === 409 && res.json?.code === 'SLOT_FULL') return res.json;
    assert.equal(res.status, 201, `filling the slot: POST /api/v1/bookings answered ${res.status}: ${res.text}`);
  }
  throw new Error('the slot never became full');
}

// ---------------------------------------------------------------------------------------
// Through the UI

/** Waits until the times of `date` have loaded (a day may have none left). */
async function slotsOf(page, date) {
  await page.locator(`.b-slots[aria-busy="false"][data-date="${date}"]`).waitFor({ state: 'attached' });
}

/** Picks the first place, then the first open day with a bookable time, and that time. */
async function pickFirstBookable(page) {
  const places = await optionValues(page, '#b-place');
  await page.selectOption('#b-place', places[0]);
  await page.locator('.b-day').first().waitFor({ state: 'visible' });
  const days = page.locator('.b-day:not([disabled])');
  const n = await days.count();
  assert.ok(n > 0, 'the booking window should have open days');
  for (let i = 0; i < n; i++) {
    const day = days.nth(i);
    if ((await day.innerText()).includes('暂无空位')) continue;
    const date = await day.getAttribute('data-date');
    await day.click();
    assert.equal(await day.getAttribute('aria-pressed'), 'true', 'the chosen day should be marked as chosen');
    await slotsOf(page, date);
    const slot = page.locator('.b-slot:not([disabled])').first();
    if (!(await slot.count())) continue;
    const text = await slot.innerText();
    assert.match(text, /剩余 \d+ 个名额/, `a bookable time should show the places left, shows "${text}"`);
    const start = await slot.getAttribute('data-start');
    const time = await slot.locator('.b-slot-time').innerText();
    await slot.click();
    await page.waitForURL((u) => u.pathname === '/booking/details');
    return { date, start, time };
  }
  throw new Error('no open day had a bookable time');
}

/** The minutes between the two times of `HH:MM–HH:MM`. */
function minutesOf(span) {
  const [from, to] = span.split('–').map((t) => t.trim().split(':').map(Number)).map(([h, m]) => h * 60 + m);
  return to - from;
}

/** Fills the details form and submits; returns the POST /api/v1/bookings requests made. */
async function fillAndSubmit(page, { name = '张三', mobile, description = '拖欠工资三个月，想申请法律援助。' }) {
  const requests = [];
  const onRequest = (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/bookings') requests.push(r);
  };
  page.on('request', onRequest);
  await page.fill('#b-name', name);
  await page.fill('#b-mobile', mobile);
  await page.fill('#b-description', description);
  await page.click('#b-submit');
  await page.waitForURL((u) => u.pathname === '/booking/done');
  page.off('request', onRequest);
  return requests;
}

/** What the confirmation (or 我的预约) shows. */
async function readBooking(page) {
  await page.locator('#b-code').waitFor({ state: 'visible' });
  return {
    code: (await page.locator('#b-code').innerText()).replace(/\s+/g, ''),
    status: (await page.locator('#b-status').innerText()).trim(),
    materials: await page.locator('#b-materials li').allInnerTexts(),
    when: (await page.locator('#b-when').innerText()).trim(),
  };
}

/** Waits until #b-status reads `pattern`. */
async function statusIs(page, pattern) {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('#b-status')?.textContent ?? ''), pattern.source)
    .catch(async () => {
      throw new Error(`#b-status should read ${pattern}, reads "${await page.locator('#b-status').textContent().catch(() => '(missing)')}"`);
    });
}

/** Looks a booking up on 我的预约. */
async function lookUp(page, code, mobile) {
  await page.fill('#b-lookup-code', code);
  await page.fill('#b-lookup-mobile', mobile);
  await page.click('#b-lookup');
  // Typed in lower case or with spaces, the code is still found (and shown in capitals).
  const shown = code.replace(/\s+/g, '').toUpperCase();
  await page.waitForFunction((c) => (document.querySelector('#b-code')?.textContent ?? '').replace(/\s+/g, '') === c, shown);
}

// ---------------------------------------------------------------------------------------

test('a resident books legal aid after the pre-check, looks it up, cancels and books again', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  await withPage(t, app, async (page) => {
    const mobile = newMobile();
    // The four services, each with all its materials at once.
    await open(page, '/booking', '.b-service');
    await page.waitForFunction(() => document.querySelectorAll('.b-service').length === 4);
    const services = await page.locator('.b-service').evaluateAll((els) => els.map((el) => ({
      code: el.dataset.service, materials: el.querySelectorAll('.b-materials li').length, text: el.innerText,
    })));
    assert.deepEqual(services.map((s) => s.code).sort(), ['consultation', 'document_drafting', 'legal_aid_application', 'mediation']);
    for (const s of services) {
      assert.ok(s.materials >= 3, `${s.code} should list every material to bring, lists ${s.materials}`);
      assert.match(s.text, /\d+ 分钟/, `${s.code} should say how long it takes`);
    }
    assert.match(services.find((s) => s.code === 'legal_aid_application').text, /法律援助申请/);

    // The optional pre-check: a migrant worker's unpaid wages.
    await page.click('#b-choose-legal_aid_application');
    await page.waitForURL((u) => u.pathname === '/booking/precheck');
    await page.locator('#b-pc-skip').waitFor({ state: 'visible' });
    await page.selectOption('#b-pc-matter', 'labour_relation_or_pay');
    assert.match(await page.locator('#b-pc-matter option:checked').innerText(), /确认劳动关系或支付劳动报酬/);
    await page.check('#b-pc-group-migrant_worker_wages_or_injury');
    await page.click('#b-pc-run');
    await page.locator('#b-pc-result').waitFor({ state: 'visible' });
    assert.match(await page.locator('#b-pc-verdict').innerText(), /可能符合条件/);
    const reasons = await page.locator('#b-pc-reasons li').allInnerTexts();
    assert.ok(reasons.some((r) => r.includes('第四十二条')), `the reasons should cite Art.42, they are: ${reasons.join(' | ')}`);
    assert.equal(await page.locator('#b-pc-urgent').count(), 0, 'no urgent banner without a near limitation date');

    // A limitation period ending in 3 days: urgent (Art.44); still never blocks.
    const soon = new Date(Date.now() + 8 * 3_600_000 + 3 * 86_400_000).toISOString().slice(0, 10);
    await page.fill('#b-pc-limitation', soon);
    await page.click('#b-pc-run');
    await page.locator('#b-pc-urgent').waitFor({ state: 'visible' });
    await page.click('#b-pc-continue');
    await page.waitForURL((u) => u.pathname === '/booking/slot' && u.searchParams.get('service') === 'legal_aid_application');

    // Place, day, time: 约 60 分钟 is an hour over two half-hour slots (issue 11).
    const first = await pickFirstBookable(page);
    assert.equal(minutesOf(first.time), 60, `a legal-aid application's time should be an hour, is "${first.time}"`);
    assert.match(await page.locator('#b-summary').innerText(), /法律援助申请/);

    // Details: a wrong mobile is refused in Chinese, nothing is sent.
    await page.fill('#b-name', '张三');
    await page.fill('#b-mobile', '12345');
    await page.fill('#b-description', '拖欠工资三个月，想申请法律援助。');
    await page.click('#b-submit');
    await page.waitForFunction(() => (document.querySelector('#b-mobile-err')?.textContent ?? '').includes('手机号码'));
    assert.equal(await page.getAttribute('#b-mobile', 'aria-invalid'), 'true');

    const requests = await fillAndSubmit(page, { mobile });
    assert.equal(requests.length, 1, 'one tap should send one POST /api/v1/bookings');
    assert.ok(requests[0].headers()['idempotency-key'], 'the booking should carry an Idempotency-Key');
    const sent = JSON.parse(requests[0].postData());
    assert.equal(sent.service, 'legal_aid_application');
    assert.equal(sent.date, first.date);
    assert.equal(sent.start, first.start);

    // The confirmation: code, status, materials, where, a QR code and printing.
    const booked = await readBooking(page);
    assert.match(booked.code, CODE, `the booking code should be 8 unambiguous characters, is "${booked.code}"`);
    assert.match(booked.status, /已预约/);
    assert.ok(booked.materials.length >= 3 && booked.materials.some((m) => m.includes('身份证')),
      `the confirmation should list all materials, lists: ${booked.materials.join(' | ')}`);
    assert.ok(booked.when.includes(first.start), `the confirmation should show the time ${first.start}, shows "${booked.when}"`);
    assert.match(await page.locator('#b-place-name a[href^="tel:"]').getAttribute('href'), /^tel:/);
    await page.locator('#b-print').waitFor({ state: 'visible' });

    // A reload keeps the confirmation (code and mobile in sessionStorage).
    await page.reload();
    assert.equal((await readBooking(page)).code, booked.code, 'a reload of /booking/done should show the same booking');

    // 我的预约: look it up and cancel.
    await page.click('#b-nav-mine');
    await page.waitForURL((u) => u.pathname === '/booking/mine');
    // A wrong mobile finds nothing, and says so in Chinese.
    await page.fill('#b-lookup-code', booked.code);
    await page.fill('#b-lookup-mobile', '13900000000');
    await page.click('#b-lookup');
    await page.waitForFunction(() => (document.querySelector('#b-lookup-error')?.textContent ?? '').includes('不正确'));
    assert.equal(await page.locator('#b-code').count(), 0, 'nothing should show for a wrong mobile');
    await lookUp(page, booked.code.toLowerCase(), mobile);
    await statusIs(page, /已预约/);
    await page.click('#b-cancel');
    await page.locator('#b-cancel-yes').waitFor({ state: 'visible' });
    await page.click('#b-cancel-yes');
    await statusIs(page, /已取消/);
    assert.equal(await page.locator('#b-cancel').isVisible(), false, 'a cancelled booking offers no cancel button');
    const viaApi = await api(app.url, 'POST', '/api/v1/bookings/lookup', { body: { code: booked.code, mobile } });
    assert.equal(viaApi.json?.status, 'cancelled', `the API should agree the booking is cancelled: ${viaApi.text}`);

    // Book again, the same day and time: the cancelled booking does not count.
    await page.click('#b-rebook');
    await page.waitForURL((u) => u.pathname === '/booking');
    await page.click('#b-choose-legal_aid_application');
    await page.click('#b-pc-skip');
    await page.waitForURL((u) => u.pathname === '/booking/slot');
    const second = await pickFirstBookable(page);
    await fillAndSubmit(page, { mobile });
    const rebooked = await readBooking(page);
    assert.match(rebooked.code, CODE);
    assert.notEqual(rebooked.code, booked.code, 'booking again should give a new code');
    assert.match(rebooked.status, /已预约/);
    assert.ok(rebooked.when.includes(second.start));
  }, { width: 375, height: 667 });
});

test('a full time offers the nearest free times and the waiting list', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  await withPage(t, app, async (page) => {
    const [target] = await bookableSlots(app.url, 1);
    const full = await fillSlot(app.url, target);
    assert.ok(full.alternatives?.length > 0, `SLOT_FULL should carry the nearest free slots: ${JSON.stringify(full)}`);

    // Someone who chose the time before it filled up submits: the alternatives are offered.
    const params = new URLSearchParams({ service: 'consultation', place: String(target.place.id), date: target.date, start: target.start });
    await open(page, `/booking/details?${params}`, '#b-name');
    await page.fill('#b-name', '王五');
    await page.fill('#b-mobile', newMobile());
    await page.fill('#b-description', '邻里纠纷，想咨询怎么办。');
    await page.click('#b-submit');
    await page.waitForFunction(() => (document.querySelector('#b-error')?.textContent ?? '').includes('约满'));
    assert.ok((await page.locator('.b-alt').count()) > 0, 'a full time should offer the nearest free times');
    await page.locator('#b-waitlist').waitFor({ state: 'visible' });

    // Join the waiting list instead.
    await page.click('#b-waitlist');
    await page.waitForURL((u) => u.pathname === '/booking/done');
    await statusIs(page, /候补第\s*1\s*位/);

    // The slot page shows the time as full and offers the waiting list.
    await open(page, `/booking/slot?service=consultation&place=${target.place.id}&date=${target.date}`, '#b-place');
    const slot = page.locator(`.b-slot[data-start="${target.start}"]`);
    await slot.waitFor({ state: 'visible' });
    assert.equal(await slot.isDisabled(), true, 'a full time cannot be booked');
    assert.match(await slot.innerText(), /已满/);
    await page.locator(`.b-join-wait[data-start="${target.start}"]`).waitFor({ state: 'visible' });

    // Taking an alternative books it at once.
    await open(page, `/booking/details?${params}`, '#b-name');
    await page.fill('#b-name', '赵六');
    await page.fill('#b-mobile', newMobile());
    await page.fill('#b-description', '想咨询继承问题。');
    await page.click('#b-submit');
    await page.locator('.b-alt').first().waitFor({ state: 'visible' });
    const altStart = await page.locator('.b-alt').first().getAttribute('data-start');
    await page.locator('.b-alt').first().click();
    await page.waitForURL((u) => u.pathname === '/booking/done');
    await statusIs(page, /已预约/);
    assert.ok((await page.locator('#b-when').innerText()).includes(altStart));
  });
});

test('a one-hour service offers only times with two free half hours (issue 11)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const [where] = await bookableSlots(app.url, 1, 'legal_aid_application');
  await withPage(t, app, async (page) => {
    const path = (service) => `/booking/slot?service=${service}&place=${where.place.id}&date=${where.date}`;
    await open(page, path('legal_aid_application'), '#b-place');
    await slotsOf(page, where.date);
    const times = await page.locator('.b-slot .b-slot-time').allInnerTexts();
    assert.ok(times.length > 0, 'the day has one-hour times');
    for (const time of times) assert.equal(minutesOf(time), 60, `every time is an hour, "${time}" is not`);
    const starts = await page.locator('.b-slot').evaluateAll((els) => els.map((el) => el.dataset.start));
    assert.ok(!starts.includes('11:30') && !starts.includes('17:00'), `no hour starts half an hour before a break: ${starts}`);

    // A consultation (30 minutes) is offered by the half hour, 11:30 included.
    await open(page, path('consultation'), '#b-place');
    await slotsOf(page, where.date);
    const halves = await page.locator('.b-slot').evaluateAll((els) => els.map((el) => el.dataset.start));
    assert.ok(halves.includes('11:30'), `consultations keep every half hour: ${halves}`);
  });
});

test('my booking: reschedule to another time', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    const [where] = await bookableSlots(app.url, 1);
    const mobile = newMobile();
    const made = await bookViaApi(app.url, where, { mobile });
    assert.equal(made.status, 201, made.text);
    await open(page, '/booking/mine', '#b-lookup-code');
    await lookUp(page, made.json.code, mobile);
    await page.click('#b-reschedule');
    await page.locator('.b-day').first().waitFor({ state: 'visible' });
    // Nothing to confirm before a new time is chosen (issue 11).
    assert.equal(await page.locator('#b-reschedule-confirm').isVisible(), false,
      'the confirm button should not show before a new time is chosen');
    // Another bookable time of any open day.
    const days = page.locator('.b-day:not([disabled])');
    let moved = null;
    for (let i = 0; i < (await days.count()) && !moved; i++) {
      const date = await days.nth(i).getAttribute('data-date');
      await days.nth(i).click();
      await slotsOf(page, date);
      const slots = page.locator('.b-slot:not([disabled])');
      for (let j = 0; j < (await slots.count()); j++) {
        const start = await slots.nth(j).getAttribute('data-start');
        if (date === where.date && start === where.start) continue;
        await slots.nth(j).click();
        moved = { date, start };
        break;
      }
    }
    assert.ok(moved, 'there should be another bookable time');
    assert.match(await page.locator('#b-reschedule-confirm').innerText(), new RegExp(`确认改约到 .*${moved.start}`));
    await page.click('#b-reschedule-confirm');
    await page.waitForFunction((s) => (document.querySelector('#b-when')?.textContent ?? '').includes(s), moved.start);
    await statusIs(page, /已预约/);
    // The resident is told it worked, in a status message that names the new time.
    const done = page.locator('[role="status"]#b-moved');
    await done.waitFor({ state: 'visible' });
    const said = await done.innerText();
    assert.match(said, /已改约到/, `a success message should follow the move, reads "${said}"`);
    assert.ok(said.includes(moved.start), `the message should name the new time ${moved.start}, reads "${said}"`);
    assert.equal(await page.locator('#b-reschedule-confirm').isVisible(), false);
    const viaApi = await api(app.url, 'POST', '/api/v1/bookings/lookup', { body: { code: made.json.code, mobile } });
    assert.equal(viaApi.json?.date, moved.date);
    assert.equal(viaApi.json?.start, moved.start);
  });
});

// ---------------------------------------------------------------------------------------
// Small things on a 375 px phone (issue 11)

/** How many lines each `part` of each element matching `selector` spans: [{text, part, lines}]. */
function linesOfParts(page, selector, parts) {
  return page.locator(selector).evaluateAll((els, parts) => els.flatMap((el) => {
    const node = [...el.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const text = el.textContent;
    return parts.flatMap((re) => {
      const m = node && new RegExp(re).exec(node.textContent);
      if (!m) return [];
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      return [{ text, part: m[0], lines: tops.size }];
    });
  }), parts);
}

test('an urgent pre-check result goes on with the booking (issue 11)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/booking/precheck?service=legal_aid_application', '#b-pc-matter');
    await page.selectOption('#b-pc-matter', 'labour_relation_or_pay');
    await page.fill('#b-pc-income', '1500');
    // Ends in two days (Asia/Shanghai): under seven.
    await page.fill('#b-pc-limitation', new Date(Date.now() + 8 * 3_600_000 + 2 * 86_400_000).toISOString().slice(0, 10));
    await page.click('#b-pc-run');
    await page.locator('#b-pc-urgent').waitFor({ state: 'visible' });
    await page.click('#b-pc-continue');
    await page.waitForURL((u) => u.pathname === '/booking/slot');
    await pickFirstBookable(page);
    const requests = await fillAndSubmit(page, { mobile: newMobile() });
    assert.ok(requests.length >= 1, 'the booking should be sent');
    assert.equal(requests.at(-1).postDataJSON().urgent, true, 'the booking should say the pre-check found it urgent');
    // Without the pre-check (or not urgent), nothing is claimed.
    await open(page, '/booking/slot?service=consultation', '#b-place');
    await pickFirstBookable(page);
    const plain = await fillAndSubmit(page, { mobile: newMobile() });
    assert.notEqual(plain.at(-1).postDataJSON().urgent, true);
  });
});

test('at 375 px the day tiles keep 周四 and the date whole, and the place phone is one tap-to-call line', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    for (const large of [false, true]) {
      await open(page, '/booking/slot?service=consultation', '#b-place');
      if (large) await largeText(page);
      const places = await optionValues(page, '#b-place');
      await page.selectOption('#b-place', places[0]);
      await page.locator('.b-day').first().waitFor({ state: 'visible' });
      const parts = await linesOfParts(page, '.b-day-date', ['周.', '\\d+月\\d+日']);
      assert.ok(parts.length >= 2, 'the day tiles should show dates and weekdays');
      for (const p of parts) {
        assert.equal(p.lines, 1, `"${p.part}" of the tile "${p.text}" should not break across lines${large ? ' (large text)' : ''}`);
      }
      const phone = page.locator('#b-place-info a[href^="tel:"]');
      await phone.waitFor({ state: 'visible' });
      const number = (await phone.innerText()).trim();
      assert.match(number, /^[\d-]{7,}$/, `the place's phone should be the link's text, reads "${number}"`);
      assert.equal(await phone.getAttribute('href'), `tel:${number}`);
      const lines = await phone.evaluate((a) => new Set([...a.getClientRects()].map((r) => Math.round(r.top))).size);
      assert.equal(lines, 1, `the phone ${number} should not break across lines${large ? ' (large text)' : ''}`);
    }
  });
});

test('in large text the booking header leaves the 375×667 screen to the page', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    for (const [path, ready] of [['/booking', '.b-service'], ['/booking/mine', '#b-lookup-code']]) {
      await open(page, path, ready);
      // The choice is kept across pages: turn it on once.
      if (!(await page.evaluate(() => document.documentElement.classList.contains('large-text')))) await largeText(page);
      const { header, viewport } = await page.evaluate(() => ({
        header: document.querySelector('.site-header').getBoundingClientRect().height,
        viewport: window.innerHeight,
      }));
      assert.equal(viewport, 667);
      assert.ok(header <= viewport * 0.25, `the header on ${path} should take at most a quarter of the screen in large text, takes ${Math.round(header)} px of ${viewport}`);
      // Still every way out and both toggles, large enough for a thumb.
      for (const sel of ['#b-nav-book', '#b-nav-mine', '#b-nav-home', '#b-nav-track', '#lang-toggle', '#large-text-toggle']) {
        const box = await page.locator(sel).boundingBox();
        assert.ok(box && box.height >= 44, `${sel} should stay in the header at least 44 px tall`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------
// Accessibility and small screens



async function largeText(page) {
  await page.click('#large-text-toggle');
  await page.waitForFunction(() => document.documentElement.classList.contains('large-text'));
}

/** A booking made through the API, kept in this tab as the app keeps its own. */
async function bookingInTab(page) {
  const [where] = await bookableSlots(app.url, 1, 'legal_aid_application');
  const mobile = newMobile();
  const made = await bookViaApi(app.url, where, { mobile, service: 'legal_aid_application' });
  assert.equal(made.status, 201, made.text);
  await page.goto('/booking/mine');
  await page.evaluate((v) => sessionStorage.setItem('ow.booking', JSON.stringify(v)), { code: made.json.code, mobile });
  return made.json;
}

/** Each booking page brought into a state worth checking: [name, async (page) => {}]. */
const PAGES = [
  ['/booking', (page) => open(page, '/booking', '.b-service')],
  ['/booking in large text', async (page) => { await open(page, '/booking', '.b-service'); await largeText(page); }],
  ['/booking in English', async (page) => {
    await open(page, '/booking', '.b-service');
    await page.click('#lang-toggle');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }],
  ['/booking/precheck with an urgent result', async (page) => {
    await open(page, '/booking/precheck?service=legal_aid_application', '#b-pc-matter');
    await page.selectOption('#b-pc-matter', 'support');
    await page.fill('#b-pc-income', '99999');
    await page.fill('#b-pc-limitation', new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10));
    await page.click('#b-pc-run');
    await page.locator('#b-pc-urgent').waitFor({ state: 'visible' });
  }],
  ['/booking/precheck in large text', async (page) => {
    await open(page, '/booking/precheck?service=legal_aid_application', '#b-pc-matter');
    await largeText(page);
    await page.click('#b-pc-run');
    await page.locator('#b-pc-result').waitFor({ state: 'visible' });
  }],
  ['/booking/slot with a day chosen', async (page) => {
    await open(page, '/booking/slot?service=consultation', '#b-place');
    const places = await optionValues(page, '#b-place');
    await page.selectOption('#b-place', places[0]);
    await page.locator('.b-day:not([disabled])').first().click();
    await page.locator('.b-slot').first().waitFor({ state: 'visible' });
  }],
  ['/booking/slot in large text', async (page) => {
    await open(page, '/booking/slot?service=consultation', '#b-place');
    await largeText(page);
    const places = await optionValues(page, '#b-place');
    await page.selectOption('#b-place', places[0]);
    await page.locator('.b-day:not([disabled])').first().click();
    await page.locator('.b-slot').first().waitFor({ state: 'visible' });
  }],
  ['/booking/details with errors', async (page) => {
    const [where] = await bookableSlots(app.url, 1);
    await open(page, `/booking/details?service=mediation&place=${where.place.id}&date=${where.date}&start=${where.start}`, '#b-name');
    await page.click('#b-submit');
    await page.waitForFunction(() => (document.querySelector('#b-name-err')?.textContent ?? '') !== '');
  }],
  ['/booking/details in large text', async (page) => {
    const [where] = await bookableSlots(app.url, 1);
    await open(page, `/booking/details?service=mediation&place=${where.place.id}&date=${where.date}&start=${where.start}`, '#b-name');
    await largeText(page);
  }],
  ['/booking/done', async (page) => {
    await bookingInTab(page);
    await open(page, '/booking/done', '#b-code');
  }],
  ['/booking/done in large text', async (page) => {
    await bookingInTab(page);
    await open(page, '/booking/done', '#b-code');
    await largeText(page);
  }],
  ['/booking/mine with a booking and the cancel question', async (page) => {
    await bookingInTab(page);
    await open(page, '/booking/mine', '#b-code');
    await page.click('#b-cancel');
    await page.locator('#b-cancel-yes').waitFor({ state: 'visible' });
  }],
  ['/booking/mine rescheduling in large text', async (page) => {
    await bookingInTab(page);
    await open(page, '/booking/mine', '#b-code');
    await largeText(page);
    await page.click('#b-reschedule');
    await page.locator('.b-day:not([disabled])').first().click();
    await page.locator('.b-slot').first().waitFor({ state: 'visible' });
  }],
];

test('axe-core finds no serious or critical violations on the booking pages', { timeout: TEST_TIMEOUT_MS * 4 }, async (t) => {
  await forEachState(t, app, PAGES, assertNoSeriousViolations);
});

test('no booking page scrolls sideways on a 320 px phone', { timeout: TEST_TIMEOUT_MS * 4 }, async (t) => {
  await forEachState(t, app, PAGES, assertNoSidewaysScrollAt320);
});
