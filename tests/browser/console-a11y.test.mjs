// Every console page passes axe-core without serious or critical violations, also in
// large-text mode, and the queue and case page fit a 320 px screen without sideways
// scrolling (a clerk on a phone, or a PC zoomed to 400 %).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, useApp, forEachState, assertNoSeriousViolations, assertNoSidewaysScrollAt320 } from './helpers.mjs';
import { DESKTOP, act, chooseDepartment, fillWalkIn, openCaseFromQueue, openConsole, signIn, submitWalkIn } from './console-helpers.mjs';

const app = useApp(import.meta.url);



/** Turns large-text mode on from the header. */
async function largeText(page) {
  await page.click('#c-large-text');
  await page.waitForFunction(() => document.documentElement.classList.contains('large-text'));
}

// One case, registered and dispatched once, for the queue and case-page states.
let shared = null;
async function sharedCase(page) {
  await signIn(page, 'clerk');
  if (shared) return shared;
  await page.click('#c-nav-walkin');
  await fillWalkIn(page, { case_type: 'dispute', title: '宅基地边界纠纷', representatives: '' });
  const receipt = await submitWalkIn(page);
  await openCaseFromQueue(page, receipt.trackingNo);
  await act(page, 'accept');
  await act(page, 'dispatch', () => chooseDepartment(page, '司法所'));
  shared = receipt;
  return shared;
}

async function queue(page) {
  await sharedCase(page);
  await page.click('#c-nav-queue');
  await page.locator('.c-queue-row').first().waitFor({ state: 'visible' });
}

async function casePage(page) {
  const { trackingNo } = await sharedCase(page);
  await openCaseFromQueue(page, trackingNo);
  await page.locator('#c-timeline li.c-event').first().waitFor({ state: 'visible' });
}

/** Each console page state: [name, async (page) => {}]. Staff pages on the desktop. */
const PAGES = [
  ['sign-in', (page) => openConsole(page, '/console/signin', '.c-demo-account')],
  ['sign-in with an error', async (page) => {
    await openConsole(page, '/console/signin', '#c-username');
    await page.fill('#c-username', 'clerk');
    await page.fill('#c-password', 'not-the-password');
    await page.click('#c-signin');
    await page.waitForFunction(() => (document.querySelector('#c-signin-error')?.textContent ?? '').trim() !== '');
  }],
  ['queue', queue],
  ['queue in large-text mode', async (page) => { await queue(page); await largeText(page); }],
  ['case page', casePage],
  ['case page with the dispatch form open', async (page) => {
    await casePage(page);
    await page.click('#c-act-dispatch');
    await page.locator('#c-action-form').waitFor({ state: 'visible' });
  }],
  ['case page with the mediation form open and its errors', async (page) => {
    await casePage(page);
    await page.click('#c-act-record_mediation');
    await page.click('#c-act-submit');
    await page.waitForFunction(() => (document.querySelector('#err-agreement')?.textContent ?? '').trim() !== '');
  }],
  ['case page in large-text mode', async (page) => { await casePage(page); await largeText(page); }],
  ['walk-in', async (page) => { await signIn(page, 'clerk'); await openConsole(page, '/console/walk-in', '#f-title'); }],
  ['walk-in with errors', async (page) => {
    await signIn(page, 'clerk');
    await openConsole(page, '/console/walk-in', '#f-title');
    await page.click('#c-walkin-submit');
    await page.waitForFunction(() => (document.querySelector('#err-title')?.textContent ?? '').trim() !== '');
  }],
  ['receipt', async (page) => {
    await signIn(page, 'clerk');
    await page.click('#c-nav-walkin');
    await fillWalkIn(page, { title: '道路积水影响出行' });
    await submitWalkIn(page);
  }],
  ['holidays', async (page) => { await signIn(page, 'admin'); await page.click('#c-nav-holidays'); await page.locator('.c-holiday').first().waitFor({ state: 'visible' }); }],
  ['staff accounts', async (page) => { await signIn(page, 'admin'); await page.click('#c-nav-staff'); await page.locator('.c-staff').first().waitFor({ state: 'visible' }); }],
  ['staff accounts in large-text mode', async (page) => {
    await signIn(page, 'admin');
    await page.click('#c-nav-staff');
    await page.locator('.c-staff').first().waitFor({ state: 'visible' });
    await largeText(page);
  }],
];

test('axe-core finds no serious or critical violations on the console', { timeout: TEST_TIMEOUT_MS * 4 }, async (t) => {
  await forEachState(t, app, PAGES, assertNoSeriousViolations, DESKTOP);
});

test('the queue and the case page do not scroll sideways at 320 px', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  const narrow = { ...DESKTOP, width: 320, height: 640 };
  const states = [
    ['queue', queue],
    ['queue in large-text mode', async (page) => { await queue(page); await largeText(page); }],
    ['case page', casePage],
    ['case page in large-text mode', async (page) => { await casePage(page); await largeText(page); }],
    ['walk-in', async (page) => { await signIn(page, 'clerk'); await openConsole(page, '/console/walk-in', '#f-title'); }],
  ];
  await forEachState(t, app, states, assertNoSidewaysScrollAt320, narrow);
});
