// Steps of the staff console (服务大厅工作台, /console), for console*.test.mjs: a desktop
// context for staff, signing in and out, registering a walk-in, finding a case in the
// queue and taking an action on it. Element ids are the console's contract with these
// tests (see frontend/src/console/).

import { VALID, checkInput, chooseRegion, digits } from './helpers.mjs';

export const DEMO_PASSWORD = 'demo-password-2026';

/** The hall's PC: a desktop browser, 1280×900, zh-CN. Pass as `withPage`'s context options. */
export const DESKTOP = Object.freeze({
  width: 1280,
  height: 900,
  deviceScaleFactor: 1,
  isMobile: false,
  hasTouch: false,
  userAgent:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
});

/** Opens a console path and waits until `selector` shows. */
export async function openConsole(page, urlPath, selector) {
  await page.goto(urlPath);
  await page.locator(selector).first().waitFor({ state: 'visible' });
}

/** Signs in as a demo account from the sign-in page; waits for the header's user. */
export async function signIn(page, username, password = DEMO_PASSWORD) {
  if (!(await page.locator('#c-username').isVisible().catch(() => false))) {
    await openConsole(page, '/console/signin', '#c-username');
  }
  await page.fill('#c-username', username);
  await page.fill('#c-password', password);
  await page.click('#c-signin');
  await page.locator('#c-user').waitFor({ state: 'visible' });
}

/** Signs out from the header; waits for the sign-in form. */
export async function signOut(page) {
  await page.click('#c-signout');
  await page.locator('#c-username').waitFor({ state: 'visible' });
  await page.locator('#c-user').waitFor({ state: 'detached' });
}

/**
 * Fills the walk-in form with valid values (overridable) and the privacy consent;
 * does not submit. Returns the values used.
 */
export async function fillWalkIn(page, overrides = {}) {
  const v = { ...VALID, channel: 'visit', group_size: '1', ...overrides };
  await page.locator('#f-title').waitFor({ state: 'visible' });
  await page.selectOption('#c-f-channel', v.channel);
  await page.fill('#c-f-group-size', v.group_size);
  if (v.representatives) await page.fill('#c-f-representatives', v.representatives);
  await checkInput(page, `#f-case_type-${v.case_type}`);
  for (const field of ['title', 'description', 'occurred_on']) await page.fill(`#f-${field}`, v[field]);
  const region = await chooseRegion(page, v.regionIndex ?? 0);
  for (const field of ['address', 'contact_name', 'mobile', 'id_number']) {
    if (v[field] != null) await page.fill(`#f-${field}`, v[field]);
  }
  if (v.case_type === 'dispute') await page.selectOption('#f-mediation', v.mediation ?? 'willing');
  await checkInput(page, '#f-privacy_accepted');
  return { ...v, ...region };
}

/** Submits the walk-in form and reads the receipt it leads to. */
export async function submitWalkIn(page) {
  await page.click('#c-walkin-submit');
  await page.waitForURL((u) => u.pathname === '/console/receipt');
  const no = page.locator('#c-receipt-tracking-no');
  await no.waitFor({ state: 'visible' });
  return {
    trackingNo: digits(await no.textContent()),
    queryCode: (await page.locator('#c-receipt-query-code').textContent()).trim(),
  };
}

/** Searches the queue for a tracking number and returns its row (waits for it). */
export async function findInQueue(page, trackingNo) {
  if (!(await page.locator('#c-search').isVisible().catch(() => false))) {
    await page.click('#c-nav-queue');
  }
  await page.fill('#c-search', trackingNo);
  await page.press('#c-search', 'Enter');
  const row = page.locator(`.c-queue-row[data-tracking-no="${trackingNo}"]`);
  await row.waitFor({ state: 'visible' });
  return row;
}

/** Opens a case from the queue by its tracking number; waits for its page. */
export async function openCaseFromQueue(page, trackingNo) {
  const row = await findInQueue(page, trackingNo);
  await row.locator('a.c-case-link').click();
  await page.waitForFunction(
    (no) => (document.querySelector('#c-case-tracking-no')?.textContent ?? '').replace(/\s+/g, '') === no,
    trackingNo,
  );
}

/** The case page's state code (`data-state` of #c-case-state). */
export const caseState = (page) => page.locator('#c-case-state').getAttribute('data-state');

/**
 * Takes an action on the open case page: opens its form (`#c-act-<code>`), lets
 * `fill(page)` fill it, submits, and waits until the page re-rendered with the
 * announcement in #c-status. Fails with the form's error if the server refused.
 */
export async function act(page, code, fill = async () => {}) {
  await page.click(`#c-act-${code}`);
  await page.locator('#c-act-submit').waitFor({ state: 'visible' });
  await fill(page);
  await page.click('#c-act-submit');
  // Success re-renders the page from the server's answer, closing the form.
  await page.waitForFunction(() => {
    const error = document.querySelector('#c-act-error')?.textContent ?? '';
    const status = document.querySelector('#c-status')?.textContent ?? '';
    return (!document.querySelector('#c-action-form') && status !== '') || error.trim() !== '';
  });
  const error = await page.locator('#c-act-error').textContent({ timeout: 1000 }).catch(() => '');
  if (error?.trim()) throw new Error(`action ${code} was refused: ${error.trim()}`);
}

/** Ticks the department whose name contains `name` in the open dispatch form. */
export async function chooseDepartment(page, name) {
  const label = page.locator('#c-action-form label', { hasText: name }).first();
  const id = await label.getAttribute('for');
  await checkInput(page, `#${id}`);
}

/** `data-state` of the dispatch to the department whose name contains `name`. */
export const dispatchState = (page, name) =>
  page.locator(`#c-dispatches .c-dispatch[data-department*="${name}"]`).first().getAttribute('data-state');
